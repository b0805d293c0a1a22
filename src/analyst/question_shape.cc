// The question's shape (analyst/question_shape.h): the answer unit, the filters and a
// breakdown's dimension, from the slots and a closed set of function words.

#include "analyst/question_shape.h"

#include <algorithm>
#include <initializer_list>
#include <set>

#include "analyst/text.h"

namespace aa::analyst {

namespace {

using Words = std::vector<std::string>;

bool is(const std::string& w, std::initializer_list<const char*> xs) {
  return std::any_of(xs.begin(), xs.end(), [&](const char* x) { return w == x; });
}

bool says_any(const Words& w, std::initializer_list<const char*> xs) {
  return std::any_of(w.begin(), w.end(), [&](const std::string& x) { return is(x, xs); });
}

// Nouns for members themselves.
bool people_word(const std::string& x) {
  return is(x, {"members", "member", "customers", "customer", "people", "ppl", "clients",
                "flyers", "cardholders", "passengers", "folks", "everyone", "everybody",
                "travellers", "champions", "holders", "custs", "cust"});
}

// The qualifier of a generic group word ("band", "tier", "group"): what the question measures
// it on.
std::string qualified(const Words& w, std::size_t i) {
  for (std::size_t k = i; k > 0 && k + 3 > i; --k) {
    const std::string& x = w[k - 1];
    if (is(x, {"risk"})) {
      return "";  // a risk tier is a filter, not a breakdown
    }
    if (is(x, {"card", "cards"})) {
      return "card";
    }
    if (is(x, {"clv", "value", "spend", "spending"})) {
      return "clv";
    }
    if (is(x, {"tenure", "membership"})) {
      return "tenure";
    }
    if (is(x, {"enrollment", "enrolment", "cohort", "joining"})) {
      return "year";
    }
  }
  if (says_any(w, {"risk"})) {
    return "";
  }
  if (says_any(w, {"card", "cards"})) {
    return "card";
  }
  if (says_any(w, {"clv", "value"})) {
    return "clv";
  }
  return says_any(w, {"tenure"}) ? "tenure" : "";
}

// The dimension word i names, if any ("province", "segments", "card tier", "by how long").
std::string dimension_at(const Words& w, std::size_t i, const Slots& s) {
  const std::string& x = w[i];
  if (is(x, {"province", "provinces", "region", "regions", "provincial", "regionally"})) {
    return "province";
  }
  if (is(x, {"segment", "segments", "segmentation"})) {
    return "segment";
  }
  if (is(x, {"gender", "genders", "sex", "sexes"})) {
    return "gender";
  }
  if (x == "card" || (x == "cards" && s.cards.empty())) {
    return "card";
  }
  if (x == "tenure" || (x == "how" && i + 1 < w.size() && w[i + 1] == "long") ||
      (x == "length" && i + 2 < w.size() && w[i + 1] == "of" && w[i + 2] == "membership")) {
    return "tenure";
  }
  if (is(x, {"cohort", "cohorts"}) ||
      (is(x, {"year", "years"}) && i > 0 &&
       is(w[i - 1], {"enrollment", "enrolment", "joining", "signup", "enrolled"}))) {
    return "year";
  }
  if (is(x, {"band", "bands", "tier", "tiers", "group", "groups", "bucket", "buckets", "type",
             "types", "level", "levels"})) {
    return qualified(w, i);
  }
  return "";
}

// A breakdown: "for each province", "per segment", "split by gender", "by card tier",
// "across provinces", "card breakdown", "which card type", a plural dimension ("Rank the
// provinces"), three names of one kind, "where in Canada". "" when none, or two dimensions.
std::string breakdown(const Words& w, const Slots& s) {
  if (says_any(w, {"curve", "survival", "kaplan", "meier", "hazard", "reason", "reasons", "why",
                   "driving", "drivers"})) {
    return "";  // the curve split by a group is the curve; reasons within groups are reasons
  }
  if (says_any(w, {"churned", "churners", "leavers"}) &&
      says_any(w, {"retained", "stayers", "stayed"})) {
    return "";  // "segment mix of churned vs retained members": leavers against stayers
  }
  std::set<std::string> found;
  const auto look = [&](std::size_t from, std::size_t span) {
    for (std::size_t k = from; k < w.size() && k < from + span; ++k) {
      if (const std::string d = dimension_at(w, k, s); !d.empty()) {
        found.insert(d);
        return;
      }
    }
  };
  for (std::size_t i = 0; i < w.size(); ++i) {
    const std::string& x = w[i];
    if (is(x, {"each", "per", "every", "across", "by", "among"})) {
      // "sorted by tenure" orders members; it splits nothing.
      const bool order = x == "by" && i > 0 &&
                         is(w[i - 1], {"sorted", "sort", "ordered", "order", "ranked", "rank"});
      if (!order && (x != "among" || (i + 1 < w.size() && w[i + 1] == "the"))) {
        look(i + 1, 3);
      }
    } else if (is(x, {"which", "what"}) && i + 1 < w.size()) {
      // "which card type", "which tenure group" (not "which members ... in a segment").
      for (std::size_t k = i + 1; k < w.size() && k < i + 3; ++k) {
        const std::string d = dimension_at(w, k, s);
        if (!d.empty() && !(d == "segment" && s.segments.size() == 1)) {
          found.insert(d);
          break;
        }
        if (people_word(w[k]) && w[k].back() == 's') {
          break;  // "which members in a segment ..." asks for members
        }
      }
    } else if (is(x, {"breakdown", "split", "wise", "mix", "overview"}) && i > 0) {
      if (const std::string d = dimension_at(w, i - 1, s); !d.empty()) {
        found.insert(d);
      }
    } else if (is(x, {"provinces", "regions", "segments", "genders", "cohorts"}) ||
               (x == "cards" && s.cards.empty()) ||
               (is(x, {"tiers", "bands", "groups"}) && !qualified(w, i).empty())) {
      found.insert(dimension_at(w, i, s));
    } else if (x == "where" && i + 2 < w.size() && w[i + 1] == "in" &&
               is(w[i + 2], {"canada", "the", "country"})) {
      found.insert("province");
    }
  }
  // Three names of one kind, compared or not ("Compare Star, Nova and Aurora on median CLV");
  // a third segment may be "value at risk" read as the At Risk segment.
  if (s.provinces.size() >= 3) {
    found.insert("province");
  }
  if (s.segments.size() >= 3 && !s.compare) {
    found.insert("segment");
  }
  if (s.cards.size() >= 3) {
    found.insert("card");
  }
  // "low, medium and high value members": the CLV bands.
  const auto levels = static_cast<int>(says_any(w, {"low"})) +
                      static_cast<int>(says_any(w, {"medium"})) +
                      static_cast<int>(says_any(w, {"high"}));
  if (levels >= 2 && says_any(w, {"clv", "value"}) && !says_any(w, {"risk"})) {
    found.insert("clv");
  }
  if (s.clv_tiers.size() >= 2 && !s.yes_no) {
    found.insert("clv");  // "low, medium and high value members"
  }
  found.erase("");
  if (found == std::set<std::string>{"province", "segment"} && says_any(w, {"which", "what"}) &&
      s.provinces.empty() && s.segments.empty()) {
    return "priority";  // "which segment and which province ...": the one place to act first
  }
  return found.size() == 1 ? *found.begin() : "";
}

// Filters beyond names: a CLV or tenure range, a risk tier of medium or low (or "risk tier"),
// the enrollment type.
int range_filters(const Words& w) {
  int n = 0;
  bool clv = false;
  bool tenure = false;
  bool tier = false;
  const auto number = [&](std::size_t from, std::size_t to) {
    for (std::size_t k = from; k < w.size() && k <= to; ++k) {
      const bool digits = std::all_of(w[k].begin(), w[k].end(), [](char c) {
        return c >= '0' && c <= '9';
      }) || (w[k].size() > 1 && w[k].back() == 'k' && w[k][0] >= '0' && w[k][0] <= '9');
      if (digits || is(w[k], {"one", "two", "three", "four", "five", "six", "seven", "eight",
                               "nine", "ten", "twelve", "eighteen", "twenty", "thirty"})) {
        return true;
      }
    }
    return false;
  };
  for (std::size_t i = 0; i < w.size(); ++i) {
    const bool comparison = is(w[i], {"above", "over", "below", "under", "between", "than",
                                      "least", "most", "exceeding", "beyond"}) &&
                            number(i + 1, i + 3);
    if (comparison) {
      for (std::size_t k = i >= 3 ? i - 3 : 0; k < w.size() && k <= i + 4; ++k) {
        clv = clv || is(w[k], {"clv", "value"});
        tenure = tenure || (is(w[k], {"tenure", "months", "years"}) && k > i &&
                            !is(w[i], {"most", "least"}));
      }
    }
    if (w[i] == "risk" && i > 0 && is(w[i - 1], {"medium", "low", "moderate", "mid"})) {
      tier = true;
    }
    if (w[i] == "risk" && i + 1 < w.size() && is(w[i + 1], {"tier", "band", "category"})) {
      tier = true;
    }
  }
  // "above the 75th percentile of CLV": a range of a measure.
  clv = clv || (says_any(w, {"percentile", "percentiles", "quartile", "quartiles", "decile"}) &&
                 says_any(w, {"above", "below", "over", "under", "top", "bottom"}) &&
                 says_any(w, {"clv", "value"}));
  n += clv + tenure + tier;
  n += says_any(w, {"promotion", "promo", "promotional"}) ? 1 : 0;
  return n;
}

bool figure_words(const Words& w, const Slots& s) {
  return s.how_much || says_any(w, {"rate", "rates", "average", "avg", "mean", "median", "total",
                                    "sum", "count", "counts", "percentage", "proportion", "share",
                                    "fraction", "percent", "kpi",
                                    "kpis", "metrics", "stats", "statistics", "numbers",
                                    "figures", "worth", "snapshot", "headline", "summary", "revenue"});
}

// A list of members: "who", "which members", top N, "list/find/show/give/export ... members",
// "sorted by", "... first", or a bare noun phrase of filters and members.
bool asks_members(const Words& w, const Slots& s) {
  if (s.audience == "members" || (s.top_n && s.audience.empty())) {
    return true;
  }
  if (s.audience == "groups" || !std::any_of(w.begin(), w.end(), people_word)) {
    return false;
  }
  if (says_any(w, {"list", "find", "show", "give", "export", "pull", "fetch", "sorted",
                   "ordered"})) {
    return !figure_words(w, s);  // "Give me the KPIs for Star members" asks for figures
  }
  for (std::size_t i = 1; i < w.size(); ++i) {
    if (w[i] == "first" && is(w[i - 1], {"highest", "lowest", "newest", "oldest", "shortest",
                                         "longest", "biggest", "smallest", "largest", "last"})) {
      return true;
    }
  }
  // A noun phrase ("medium risk people in new brunswick"): no question word, no verb of asking.
  static const std::set<std::string> openers = {
      "what", "how",  "which", "who",  "why",  "when",   "where", "is",   "are",  "do",
      "does", "did",  "can",   "could", "should", "will", "would", "has", "have", "tell",
      "explain", "compare", "whats", "is", "was", "were"};
  return !w.empty() && !openers.count(w.front()) && !says_any(w, {"vs", "versus", "compared"}) &&
         !figure_words(w, s);
}

bool says_model(const Words& w) {
  for (std::size_t i = 1; i < w.size(); ++i) {
    if (w[i] == "model" && w[i - 1] == "rfm") {
      return false;  // the RFM model is the segments
    }
  }
  return says_any(w, {"model", "models", "ai", "algorithm", "computer", "predictions",
                      "prediction", "flags", "flagged", "scoring", "scorings", "scores",
                      "retrain", "retraining", "drift", "psi"});
}

bool says_data(const Words& w) {
  return says_any(w, {"data", "dataset", "datasets", "export", "exports", "feed", "extract",
                      "input", "inputs"});
}

bool says_over_time(const Words& w) {
  return says_any(w, {"changed", "shifted", "shift", "drift", "drifted", "drifting", "lately",
                      "recently", "still", "alerts", "alert", "alarm", "alarms", "monitor",
                      "retrain", "retraining", "retrained", "trained", "ago", "anymore", "stale",
                      "decay", "decaying", "degrading", "degraded", "worse", "slipping", "held",
                      "true", "since", "previous", "broken", "broke", "psi"});
}

bool says_quality(const Words& w) {
  return says_any(w, {"good", "accurate", "accuracy", "right", "trust", "trustworthy",
                      "reliable", "precision", "recall", "wrong", "guessing", "guess",
                      "calibrated", "performance", "perform", "performs", "better"});
}

}  // namespace

bool speaks_of_monitor(const Words& w) {
  if (says_any(w, {"alert", "alerts", "alarm", "alarms", "matured", "mature", "maturing",
                   "immature", "arrival", "arrivals"})) {
    return true;
  }
  const auto pair = [&](std::initializer_list<const char*> a, std::initializer_list<const char*> b) {
    for (std::size_t i = 0; i + 1 < w.size(); ++i) {
      if (is(w[i], a) && is(w[i + 1], b)) {
        return true;
      }
    }
    return false;
  };
  const bool over_time = says_any(w, {"previous", "last", "prior", "earlier", "since", "up",
                                      "down", "risen", "rose", "fell", "changed", "compared"});
  return pair({"level"}, {"shift", "shifts", "shifted"}) ||
         pair({"calibration"}, {"ratio"}) || pair({"observed"}, {"over", "vs", "versus"}) ||
         pair({"member"}, {"months", "month"}) || pair({"scored", "scoring"}, {"month", "months"}) ||
         (pair({"quarantine"}, {"rate", "rates"}) && over_time) ||
         // "the data's last month", "the latest month in the data"
         (says_any(w, {"data"}) && pair({"last", "latest", "newest", "final"}, {"month"}) &&
          !says_any(w, {"changed", "change", "since", "compared", "vs", "versus", "trend"}));
}

bool speaks_of_ingest_details(const Words& w) {
  for (std::size_t i = 0; i < w.size(); ++i) {
    const bool next_is = i + 1 < w.size();
    if (is(w[i], {"null", "nulls", "nulled", "skipped", "malformed", "csv", "quarantined",
                  "rejected", "unparseable", "unparsable"}) ||
        (w[i] == "blank" && next_is && is(w[i + 1], {"lines", "line", "rows", "row"})) ||
        (w[i] == "negative" && next_is &&
         is(w[i + 1], {"salary", "salaries", "values", "amounts", "incomes", "clv", "numbers"}))) {
      return true;
    }
  }
  return false;
}

bool cannot_lose(const Words& w) {
  // Anywhere in the words: the corrector may have read "never" as another word, and the words
  // as written follow the corrected ones.
  return says_any(w, {"lose", "losing"}) && says_any(w, {"never", "afford"});
}

QuestionShape shape_of(const Slots& s, const Words& corrected, const Words& written) {
  // The function words as written ("shortest" is no typo of "smartest"), the others corrected.
  Words w = corrected;
  static const std::set<std::string> function_words = {
      "shortest", "longest", "newest", "oldest",  "highest", "lowest", "biggest", "smallest",
      "largest",  "first",   "sorted", "ordered", "each",    "per",    "across",  "every",
      "median",   "mean",    "total",  "count",   "counts",  "split",  "among"};
  for (std::size_t i = 0; i < w.size() && i < written.size(); ++i) {
    if (function_words.count(written[i])) {
      w[i] = written[i];
    }
  }
  QuestionShape out;
  const int names = static_cast<int>(!s.provinces.empty()) + static_cast<int>(!s.cards.empty()) +
                    static_cast<int>(!s.segments.empty()) + static_cast<int>(!s.genders.empty()) +
                    static_cast<int>(!s.clv_tiers.empty()) +
                    static_cast<int>(!s.tenure_groups.empty());
  const int ranges = range_filters(w);
  out.filters = names + ranges;
  out.names = static_cast<int>(!s.provinces.empty()) + static_cast<int>(!s.cards.empty()) +
              static_cast<int>(!s.segments.empty()) + static_cast<int>(!s.genders.empty());
  const std::size_t named = s.provinces.size() + s.cards.size() + s.segments.size();
  out.only_one_name = ranges == 0 && names == 1 && named == 1;
  out.beyond_names = ranges > 0;
  for (std::size_t i = 1; i < w.size(); ++i) {
    out.high_risk = out.high_risk || (w[i] == "risk" && w[i - 1] == "high");
  }
  out.ranked = s.about_leaving ||
               says_any(w, {"call", "phone", "ring", "contact", "reach", "valuable", "value",
                            "clv", "spenders", "spend", "best", "vip", "vips", "worth", "richest",
                            "top", "biggest"});
  out.about_value = says_any(w, {"valuable", "value", "clv", "spenders", "spender", "vip", "vips",
                                 "worth", "richest", "wealthiest", "best", "profitable",
                                 "profit", "lucrative"});
  out.ranked = out.ranked || out.about_value;
  out.cannot_lose = cannot_lose(written);
  for (std::size_t i = 0; i + 1 < w.size(); ++i) {
    const std::size_t k = i + (w[i + 1] == "the" && i + 2 < w.size() ? 2 : 1);
    out.against_average = out.against_average ||
                          (is(w[i], {"than", "vs", "versus"}) &&
                           is(w[k], {"average", "avg", "typical", "baseline", "overall"}));
  }
  out.calling = says_any(w, {"call", "phone", "ring", "contact", "reach"});
  for (std::size_t i = 0; i < w.size(); ++i) {
    bool superlative_first = false;
    for (std::size_t k = i >= 3 ? i - 3 : 0; w[i] == "first" && k < i; ++k) {
      superlative_first =
          superlative_first || is(w[k], {"highest", "lowest", "newest", "oldest", "shortest",
                                         "longest", "biggest", "smallest", "largest"});
    }
    const bool order =
        is(w[i], {"sorted", "ordered", "ascending", "descending"}) || superlative_first;
    out.sorted = out.sorted || order;
  }
  out.sorted = out.sorted && !says_any(w, {"churn", "risk", "score", "probability", "riskiest"});
  // Two names of one kind set side by side, or a yes/no question.
  const bool two = s.provinces.size() >= 2 || s.segments.size() >= 2 || s.cards.size() >= 2 ||
                   s.genders.size() >= 2 || s.clv_tiers.size() >= 2 || s.tenure_groups.size() >= 2;
  out.compare = (s.compare && two) || s.yes_no;
  out.projection = says_any(w, {"will", "expect", "expected", "predict", "forecast", "projected",
                                "next", "lose", "losing", "lost", "loss", "revenue", "scenario",
                                "inaction", "nothing", "curve", "survival", "hazard", "long",
                                "stay", "still", "left", "remain", "remaining", "cohort", "peak",
                                "why", "reasons", "compare", "compared", "vs", "versus",
                                "differ", "difference", "each", "per", "by", "exposed",
                                "stake", "impact", "cost", "time", "lasts", "duration", "mark",
                                "reach", "survive", "later"}) ||
                     out.compare;
  for (std::size_t i = 0; i < w.size(); ++i) {
    // "how long does a member last" (not "the last year"); "value at risk" (not "high risk").
    const bool lasting = w[i] == "last" && (i + 1 == w.size() || !is(w[i + 1], {"year", "month",
                         "quarter", "week", "night", "export", "load", "ingest", "time", "12",
                         "six", "three", "two"}));
    const bool at_risk = w[i] == "risk" && i > 0 && w[i - 1] == "at";
    out.projection = out.projection || lasting || at_risk;
  }
  // A statistic of a measure the KPIs hold: "mean churn score", "member count", "average CLV".
  for (std::size_t i = 0; i < w.size(); ++i) {
    if (!is(w[i], {"count", "mean", "average", "avg", "median", "total"})) {
      continue;
    }
    for (std::size_t k = i > 0 ? i - 1 : 0; k < w.size() && k <= i + 2; ++k) {
      out.stat_words =
          out.stat_words || is(w[k], {"clv", "churn", "churn_score", "score", "retention",
                                      "cancellation", "value", "recency", "frequency",
                                      "monetary", "member"});
    }
  }
  if (s.loyalty_number || s.budget_cad || s.cost_per_contact_cad || s.save_rate) {
    return out;  // one member, a budget: the rules say it
  }
  // "would actually have cancelled", "did they actually come true": the predictions' record.
  bool realised = false;
  for (std::size_t i = 0; i + 1 < w.size(); ++i) {
    realised = realised || (w[i] == "actually" && is(w[i + 1], {"have", "come", "happen",
                                                                 "happened", "cancelled"}));
  }
  if ((says_model(w) && (says_over_time(w) || realised)) || speaks_of_monitor(w)) {
    out.unit = AnswerUnit::kModelOverTime;
  } else if (says_data(w) && says_any(w, {"changed", "change", "changes", "shifted", "shift",
                                          "drift", "drifted", "different", "lately", "recently",
                                          "since", "previous"})) {
    out.unit = AnswerUnit::kModelOverTime;  // the data's drift is the model's monitor's
  } else if (says_model(w) && says_quality(w) &&
             std::adjacent_find(w.begin(), w.end(), [](const std::string& a, const std::string& b) {
               return is(a, {"this", "current"}) && is(b, {"quarter", "month", "week"});
             }) != w.end()) {
    out.unit = AnswerUnit::kModelOverTime;  // "trust the predictions this quarter": of late
  } else if (says_model(w) && says_quality(w)) {
    out.unit = AnswerUnit::kModelQuality;
  } else if (out.dimension = breakdown(w, s); !out.dimension.empty()) {
    out.unit = AnswerUnit::kBreakdown;
  } else if (out.against_average && out.filters >= 2) {
    out.unit = AnswerUnit::kFigure;  // "Are Nova members in Nova Scotia riskier than average?"
  } else if (asks_members(w, s)) {
    out.unit = AnswerUnit::kMembers;
  } else if (figure_words(w, s)) {
    out.unit = AnswerUnit::kFigure;
  }
  return out;
}

namespace {

bool member_list(const std::string& i) {
  return i == "search" || i == "individuals" || i == "rewards";
}
bool group_intent(const std::string& i) {
  return i == "geography" || i == "segments" || i == "cards" || i == "gender" || i == "tenure" ||
         i == "clv_bands" || i == "cohorts";
}

}  // namespace

bool shape_contradicts(const QuestionShape& shape, const std::string& shape_says,
                       const std::string& intent) {
  if (shape_says.empty() || intent == shape_says) {
    return false;
  }
  switch (shape.unit) {
    case AnswerUnit::kMembers:  // a list of members is not a group's summary nor a figure
      return group_intent(intent) || intent == "overview" || intent == "impact" ||
             (member_list(intent) && shape_says == "search" &&
              (intent != "individuals" || shape.beyond_names || shape.sorted));
    case AnswerUnit::kBreakdown:  // groups are not members, nor another dimension's groups
      return member_list(intent) || group_intent(intent) || intent == "overview" ||
             intent == "impact";
    case AnswerUnit::kFigure:  // a slice's figure is neither its members nor its dimension
      return member_list(intent) || group_intent(intent) || intent == "impact" ||
             intent == "survival";
    case AnswerUnit::kModelOverTime:
    case AnswerUnit::kModelQuality:
      return intent == "model" || intent == "model_health" || member_list(intent);
    default:
      return false;
  }
}

std::string shape_intent(const QuestionShape& shape, const Slots& s) {
  switch (shape.unit) {
    case AnswerUnit::kModelOverTime:
      return "model_health";
    case AnswerUnit::kModelQuality:
      return "model";
    case AnswerUnit::kBreakdown: {
      // Two names of the dimension set side by side are their comparison (segments: its own
      // intent).
      const std::size_t names = shape.dimension == "segment"    ? s.segments.size()
                                : shape.dimension == "province" ? s.provinces.size()
                                : shape.dimension == "card"     ? s.cards.size()
                                                                : 0;
      if (names == 2) {
        return "";  // two named: their comparison, which the rules read
      }
      static const std::pair<const char*, const char*> intents[] = {
          {"province", "geography"}, {"segment", "segments"}, {"card", "cards"},
          {"gender", "gender"},      {"tenure", "tenure"},    {"clv", "clv_bands"},
          {"year", "cohorts"},       {"priority", "priority"}};
      for (const auto& [d, intent] : intents) {
        if (shape.dimension == d) {
          return intent;
        }
      }
      return "";
    }
    case AnswerUnit::kMembers:
      // Members of a slice: the member search, unless they are ranked by risk or value with
      // names alone (the at-risk list, the rewards list), and it is not an explicit order.
      if (shape.compare && !shape.sorted) {
        return "";  // "Quebec vs Ontario: who keeps members better?" compares groups
      }
      if (shape.filters > 0 && (!shape.ranked || shape.beyond_names || shape.sorted)) {
        return "search";
      }
      // Members of a slice ranked by risk or value: the at-risk list, or the most valuable.
      return shape.names == 0 ? ""
             : shape.cannot_lose ? "rewards"  // "top value customers we must never lose"
             : s.about_leaving  ? "individuals"
             : shape.about_value ? "rewards"
                                 : "";
    case AnswerUnit::kFigure:
      // A figure of a slice (two names, or a range, a tier, the enrollment type): its KPIs. One
      // name alone ("How much CLV do the Champions hold?") is that group's own intent.
      if (shape.against_average && shape.filters >= 2) {
        return "overview";  // a slice against the baseline: the slice's KPIs beside everyone's
      }
      if (shape.projection) {
        return "";
      }
      // Or a headline statistic of everyone ("Total member count and mean churn score").
      // A high risk tier is a slice of a figure ("How many ... are already high risk?").
      return ((shape.filters > 0 || shape.high_risk) &&
              (!shape.only_one_name || shape.high_risk)) ||
                     (shape.filters == 0 && shape.stat_words)
                 ? "overview"
                 : "";
    default:
      return "";
  }
}

}  // namespace aa::analyst
