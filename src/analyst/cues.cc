// The rules' cues (analyst/cues.h): predicates over a question's words, and what they and the
// slots say for each intent.

#include "analyst/cues.h"

#include <algorithm>
#include <map>
#include <set>

#include "analyst/question_shape.h"
#include "analyst/text.h"

namespace aa::analyst {

namespace {

bool said(const Words& words, const char* word) {
  return std::find(words.begin(), words.end(), word) != words.end();
}

// Whether the question asks for a projection: "predict", "expect", "forecast", "will".
bool says_forecast(const Words& w) {
  for (const char* x : {"predict", "predicts", "predicted", "expect", "expected", "forecast",
                        "projected", "projection", "will", "horizon", "next", "coming"}) {
    if (said(w, x)) {
      return true;
    }
  }
  return false;
}

// Whether the question asks for one headline figure ("our churn rate", "the average CLV")
// without splitting it by anything ("by province", "per segment", "across tiers").
bool asks_headline_figure(const Words& w) {
  const auto has = [&](const char* a, const char* b) {
    for (std::size_t i = 0; i + 1 < w.size(); ++i) {
      if (w[i] == a && w[i + 1] == b) {
        return true;
      }
    }
    return false;
  };
  const bool figure = has("churn", "rate") || has("cancellation", "rate") ||
                      has("retention", "rate") || has("average", "clv") ||
                      has("attrition", "rate") || has("avg", "clv");
  for (const char* x :
       {"by",       "per",       "each",   "across",  "split",    "between", "vs",
        "versus",   "band",      "bands",  "tier",    "tiers",    "segment", "segments",
        "province", "provinces", "cohort", "cohorts", "curve",    "gender",  "card",
        "cards",    "over",      "tenure", "month",   "months",   "year",    "years",
        "after",    "with",      "change", "changes", "vary",     "varies",  "differ",
        "differs",  "time",      "relate", "against", "compared", "trend"}) {
    if (said(w, x)) {
      return false;
    }
  }
  return figure;
}

// Whether the question speaks of value being lost: a word of losing and a word of value.
bool money_lost(const Words& w, const Words& m) {
  const auto any = [&](std::initializer_list<const char*> xs) {
    return std::any_of(xs.begin(), xs.end(), [&](const char* x) { return said(w, x); });
  };
  const bool losing =
      said(m, "loss") || any({"lose", "losing", "lost", "loss", "losses", "forfeit", "bleed"});
  return losing && any({"clv", "value", "revenue", "money", "dollars", "cad", "income"});
}

// Whether the question asks for the survival curve itself.
bool draws_the_curve(const Words& w) {
  for (const char* x : {"kaplan", "meier", "survival", "greenwood"}) {
    if (said(w, x)) {
      return true;
    }
  }
  // "curve" alone, unless it is the model's ("ROC curve", "lift curve").
  for (const char* x : {"roc", "auc", "lift", "calibration", "model", "precision", "recall"}) {
    if (said(w, x)) {
      return false;
    }
  }
  return said(w, "curve") || said(w, "km");
}

// Whether the question is about the input data rather than the model's output.
bool speaks_of_data(const Words& w) {
  const bool data = said(w, "data") || said(w, "dataset") || said(w, "input") || said(w, "files") ||
                    said(w, "file") || said(w, "records");
  for (const char* x : {"model", "models", "prediction", "predictions", "scores", "score",
                        "probabilities", "auc", "predict"}) {
    if (said(w, x)) {
      return false;
    }
  }
  return data;
}

// Whether the question speaks of value (CLV, spending, worth) rather than of risk.
bool about_value(const Words& words) {
  for (const char* w : {"value", "valuable", "clv",         "spenders",  "spender",   "spends",
                        "spent", "richest",  "wealthiest",  "worth",     "premium",   "vip",
                        "vips",  "best",     "profitable",  "profit",    "lucrative", "reward",
                        "thank", "thanks",   "recognition", "recognise", "jewels"}) {
    if (has_phrase(words, w)) {
      return true;
    }
  }
  return false;
}

// Whether the question weighs what explains churn: a feature (tenure, flights, activity) with
// a word of explaining ("explain", "signal", "mostly", "beyond", "predict", "pick up").
bool weighs_features(const Words& w) {
  static const std::set<std::string> features = {
      "tenure",   "behaviour", "behavior",  "activity", "flights",    "flying",
      "flight",   "recency",   "frequency", "points",   "distance",   "monetary",
      "features", "feature",   "variables", "variable", "inactivity", "engagement"};
  static const std::set<std::string> explaining = {
      "explain",    "explains",   "explained",   "signal",    "signals",    "mostly",
      "beyond",     "predict",    "predicts",    "predictor", "predictors", "predictive",
      "pick",       "driver",     "drivers",     "drive",     "drives",     "matter",
      "matters",    "importance", "important",   "influence", "influences", "account",
      "accounts",   "contribute", "contributes", "stronger",  "strongest",  "indicator",
      "indicators", "warning",    "sign",        "signs",       "push",      "pushes",
      "dominant",   "contribution", "contributions", "shap", "attribution"};
  const auto any = [&](const std::set<std::string>& set) {
    return std::any_of(w.begin(), w.end(), [&](const std::string& x) { return set.count(x) > 0; });
  };
  return any(features) && any(explaining);
}

// Whether the reasons are what the question asks for ("the most common reasons on the at-risk
// list"), not something shown beside members ("the riskiest members with their reasons").
bool asks_reasons(const Words& w) {
  for (std::size_t i = 0; i < w.size(); ++i) {
    if (w[i] == "reason" || w[i] == "reasons") {
      // "with their reasons", "and their main reasons": shown beside the members.
      const auto beside = [&](std::size_t k) {
        return w[k] == "their" || w[k] == "its" || w[k] == "with" || w[k] == "and" ||
               w[k] == "w";  // "top 30 risky custs w reasons"
      };
      const bool theirs = (i > 0 && beside(i - 1)) || (i > 1 && w[i - 2] == "their");
      if (!theirs) {
        return true;
      }
    }
  }
  return false;
}

// Whether the question counts members without splitting them ("How many members do we have?",
// "how many customers in total").
bool counts_members(const Words& w) {
  if (w.size() < 2 || w[0] != "how" || w[1] != "many") {
    return false;
  }
  for (const char* x : {"by",      "per",     "each",   "across", "will",   "expect", "lose",
                        "worth",   "next",    "should", "could",  "predict", "contact", "call",
                        "survive", "stay",    "last",   "still",  "after",   "years",  "months",
                        "year",    "month",   "until",  "reach",  "remain"}) {
    if (said(w, x)) {
      return false;
    }
  }
  return true;
}

// Whether the question sets members who left beside members who stayed ("churned members
// against retained ones", "leavers vs stayers").
bool leavers_against_stayers(const Words& w) {
  const auto any = [&](std::initializer_list<const char*> xs) {
    return std::any_of(xs.begin(), xs.end(), [&](const char* x) { return said(w, x); });
  };
  if (any({"churned", "churners", "leavers", "quitters", "cancelled", "cancellers", "departed",
           "lapsed", "defectors"}) &&
      any({"retained", "stayers", "stayed", "remained", "retainers", "loyalists", "renewed"})) {
    return true;
  }
  // "Do the people who quit fly less than the ones who stay?": those who leave set against
  // those who stay.
  return any({"quit", "leave", "left", "cancel", "churn"}) && any({"stay", "remain"}) &&
         any({"than", "vs", "versus", "compared", "against"});
}

// Whether the question is about the model's record over time: "is the model broken lately",
// "realized AUC of past scorings".
bool model_over_time(const Words& w) {
  const auto any = [&](std::initializer_list<const char*> xs) {
    return std::any_of(xs.begin(), xs.end(), [&](const char* x) { return said(w, x); });
  };
  const bool model = any({"model", "models", "scorings", "scoring", "predictions", "auc", "scores"});
  return model && any({"broken", "broke", "lately", "recently", "realized", "realised", "scorings",
                       "past", "degrading", "worse", "deteriorating", "deteriorated", "slipping"});
}

// Whether the question supposes retention work stopped: "if retention spend is frozen", "what
// happens if we stop the campaigns": the cost of doing nothing.
bool retention_stopped(const Words& w) {
  const auto any = [&](std::initializer_list<const char*> xs) {
    return std::any_of(xs.begin(), xs.end(), [&](const char* x) { return said(w, x); });
  };
  return any({"if", "happens", "happen", "suppose", "when"}) &&
         any({"frozen", "freeze", "froze", "stop", "stopped", "halt", "halted", "pause",
              "paused", "scrap", "scrapped", "cancelled", "axed", "zero", "don", "dont",
              "without", "not"}) &&
         any({"retention", "spend", "spending", "budget", "campaign", "campaigns", "outreach",
              "calls", "calling", "efforts", "programme", "program"});
}

// Whether the question weighs whether calling members pays: "is it worth calling the low-risk
// members", "ranked by dollars saved after the cost of the call".
bool weighs_calling(const Words& w) {
  const auto any = [&](std::initializer_list<const char*> xs) {
    return std::any_of(xs.begin(), xs.end(), [&](const char* x) { return said(w, x); });
  };
  const bool calling = any({"calling", "call", "calls", "contacting", "contact", "phoning",
                            "ringing", "saving", "saved"});
  // "worth calling" alone is about a group ("Are Dormant members worth calling?") unless it is a
  // risk level, whose calls may not pay.
  const bool pays = any({"cost", "costs", "net", "roi", "pays", "payoff", "dollars"}) ||
                    (said(w, "worth") && any({"risk", "risky"}));
  return calling && pays && !any({"churn", "cancellations"});
}

}  // namespace

bool chit_chat(const Words& words) {
  static const std::set<std::string> small_talk = {
      "thanks",  "thank",   "you",       "thx",     "ty",     "hello", "hi",      "hey",
      "ok",      "okay",    "great",     "cool",    "cheers", "bye",   "goodbye", "nice",
      "good",    "morning", "afternoon", "evening", "yes",    "no",    "sure",    "awesome",
      "perfect", "lol",     "much",      "very",    "so",     "there"};
  // "Who are you?", "What are you?": about the analyst, not the programme.
  const Words about_me[] = {
      {"who", "are", "you"}, {"what", "are", "you"}, {"are", "you", "a", "bot"}};
  for (const auto& q : about_me) {
    if (words == q) {
      return true;
    }
  }
  return std::all_of(words.begin(), words.end(),
                     [](const std::string& w) { return small_talk.count(w) > 0; });
}

bool command(const Words& words) {
  static const std::set<std::string> verbs = {
      "delete",   "erase",  "wipe",      "remove", "truncate", "restart", "reboot",    "kill",
      "install",  "deploy", "uninstall", "book",   "buy",      "sing",    "translate", "reset",
      "shutdown", "shut",   "upload",    "rename", "insert",   "modify"};
  const bool drop_table = words.size() > 1 && words[0] == "drop" &&
                          (words[1] == "the" || words[1] == "table" || words[1] == "all");
  // SQL of any kind ("Write me a SQL query that drops the customers table"): never run, never
  // answered as a question about members.
  const bool sql = std::any_of(words.begin(), words.end(), [](const std::string& w) {
    return w == "sql" || w == "drops" || w == "truncate";
  });
  if (drop_table || sql || (!words.empty() && verbs.count(words.front()) > 0)) {
    return true;
  }
  // Acts on members or systems the analyst only reads ("Change member 123456's card to Aurora",
  // "Please export the high-risk list to Salesforce", "mark 420380 as contacted"), after a
  // courtesy; the same verb asking for an answer ("send me the list", "update me on churn",
  // "change in churn") is a question.
  static const std::set<std::string> courtesy = {"please", "pls",   "plz", "kindly", "can",
                                                 "could",  "would", "you", "u"};
  static const std::set<std::string> acts = {
      "change", "update", "mark",    "upgrade", "downgrade", "export",      "text",
      "email",  "send",   "retrain", "rewrite", "notify",    "unsubscribe", "cancel"};
  static const std::set<std::string> asks = {
      "me",      "us",       "in",        "of",     "over",  "rate",     "rates",
      "risk",    "trend",    "by",        "on",     "about", "campaign", "campaigns",
      "message", "messages", "marketing", "offers", "offer", "reminders"};
  std::size_t i = 0;
  while (i < words.size() && courtesy.count(words[i])) {
    ++i;
  }
  return i < words.size() && acts.count(words[i]) &&
         (i + 1 >= words.size() || !asks.count(words[i + 1]));
}

namespace {

// What a rule reads: the slots, the words, the words with phrases mapped.
struct Cue {
  const Slots& s;
  const Words& w;
  const Words& m;
  // "Who ...?", "which customers", a top N of unnamed things: individual members.
  bool members() const { return s.audience == "members" || (s.top_n && s.audience.empty()); }
  // Two things set side by side, or a yes/no question about one against another.
  bool pair() const { return s.compare || s.yes_no; }
  bool cohort_words() const {
    return std::any_of(w.begin(), w.end(), [](const std::string& x) {
      return x == "cohort" || x == "cohorts" || x == "intake" || x == "intakes" || x == "vintage" ||
             x == "vintages";
    });
  }
};

double member_signal(const Cue& c) {
  // A member's number decides ("404871 rfm segment", "why is 736432 flagged"): what the question
  // asks of one member, their profile answers. Without a number there is no one to look up.
  return c.s.loyalty_number ? 8 : -10;
}

double comparison_signal(const Cue& c) {
  if (draws_the_curve(c.w)) {
    return 0;  // "the retention curve for At Risk against Champions": the curve, split
  }
  return c.s.segments.size() >= 2 && c.pair() ? 3 : c.s.segments.empty() ? -1 : 0;
}

double cohorts_signal(const Cue& c) {
  if (!c.s.years.empty() && !c.s.loyalty_number) {
    return 1.5;  // enrollment years named: the cohorts
  }
  return c.cohort_words() ? 0.7 : 0;
}

double survival_signal(const Cue& c) {
  return draws_the_curve(c.w) ? 1.5 : 0;  // "Kaplan-Meier curve by segment": the curve, split
}

double impact_signal(const Cue& c) {
  const Slots& s = c.s;
  if (retention_stopped(c.w)) {
    return 2;  // "what happens if retention spend is frozen": the cost of doing nothing
  }
  if (said(c.m, "inaction") || said(c.w, "ignore") || said(c.w, "ignoring")) {
    return 1.5;  // "if we do nothing": the cost of inaction
  }
  if (money_lost(c.w, c.m) && s.clv_tiers.empty() && s.audience.empty()) {
    return 1;  // "lost CLV", "the value we stand to lose": an amount lost
  }
  const bool counted = s.how_much || said(c.w, "churners") || said(c.w, "number");
  const bool projection = counted && s.about_leaving && s.audience.empty() && !s.yes_no &&
                          !s.names_something() && says_forecast(c.w);
  return projection ? 1 : 0;  // "How many cancellations does the model predict?"
}

double overview_signal(const Cue& c) {
  if (said(c.w, "kpi") || said(c.w, "kpis") || said(c.w, "percentile") ||
      said(c.w, "percentiles")) {
    return 1.5;  // "KPIs for CLV between 2000 and 5000", "the share above the 75th percentile"
  }
  if (asks_headline_figure(c.w) && !c.s.compare && c.s.audience.empty()) {
    return 1;  // "What's our current churn rate?": one figure for the whole slice
  }
  if (counts_members(c.w) && !c.s.about_leaving && c.s.audience.empty()) {
    return 1;  // "How many members do we have?": the headline count
  }
  // A group named without a headline figure asks about that group ("How many Potential
  // members do we have and how risky are they?").
  return c.s.names_something() ? -0.5 : 0;
}

double data_quality_signal(const Cue& c) {
  if (speaks_of_ingest_details(c.w)) {
    return 2;  // "blank lines skipped", "negative salaries set to null"
  }
  if (speaks_of_monitor(c.w)) {
    return -1;  // the monitor's alerts, maturity and member-months are the model's health
  }
  if (speaks_of_data(c.w)) {
    return 1;  // "Is the data reliable?" is the data, not the model
  }
  const bool model = said(c.w, "model") || said(c.w, "models") || said(c.w, "predictions");
  return model ? -1 : 0;  // "model quality" is the model's
}

double drivers_signal(const Cue& c) {
  const bool why = !c.w.empty() && (c.w.front() == "why" || c.w.front() == "y");
  if (why && !c.s.loyalty_number) {
    return 3;  // "Why ...?" asks for reasons, whatever group it names ("Why do Nova card holders
               // churn?")
  }
  if (asks_reasons(c.w)) {
    return 1.5;  // "the most common reasons on the at-risk list": the reasons, not the list
  }
  if (leavers_against_stayers(c.w)) {
    return 1.5;  // "what do quitters look like vs stayers": churned against retained members
  }
  return weighs_features(c.w) ? 1.5 : 0;  // "Is it mostly tenure or flight behaviour?"
}

double budget_signal(const Cue& c) {
  const Slots& s = c.s;
  if (s.budget_cad || s.cost_per_contact_cad || s.save_rate) {
    return 1.5;
  }
  if (weighs_calling(c.w)) {
    return 2;  // whom calling pays for: the retention plan
  }
  if (said(c.m, "outreach")) {
    return 1;  // "the cost to contact everyone worth saving"
  }
  // "Who spends the most?" asks about members' spending, not a budget.
  return s.audience == "members" && !said(c.w, "campaign") ? -1 : 0;
}

// One kind of group named and nothing else: the question is about that group.
double geography_signal(const Cue& c) {
  const Slots& s = c.s;
  const bool only = s.cards.empty() && s.segments.empty() && s.genders.empty();
  return c.members()                           ? 0
         : s.provinces.size() >= 2 && c.pair() ? 2
         : s.provinces.empty()                 ? 0
         : only && s.audience.empty()          ? 1.3
                                               : 0.5;
}

double cards_signal(const Cue& c) {
  const Slots& s = c.s;
  const bool only = s.provinces.empty() && s.segments.empty() && s.genders.empty();
  return c.members()                       ? 0
         : s.cards.size() >= 2 && c.pair() ? 2
         : s.cards.empty()                 ? 0
         : only && s.audience.empty()      ? 0.7
                                           : 0;
}

double gender_signal(const Cue& c) {
  const Slots& s = c.s;
  return s.genders.empty() || (c.members() && s.about_leaving) ? 0 : c.pair() ? 1.5 : 0.5;
}

double tenure_signal(const Cue& c) {
  const Slots& s = c.s;
  if (c.cohort_words() || !s.years.empty()) {
    return 0;  // "newer cohorts", "2017's new members" are enrollment years, not tenure groups
  }
  if (weighs_features(c.w) || said(c.w, "model") || said(c.w, "auc") ||
      said(c.w, "bootstrap")) {
    return -0.5;  // "Does tenure explain most cancellations?" asks for the drivers; "a tenure
                  // rule" beside the model asks about the model
  }
  return s.tenure_groups.empty() || (c.members() && s.about_leaving) ? 0
         : s.tenure_groups.size() >= 2 || c.pair()                   ? 1.5
                                                                     : 0.5;
}

double clv_bands_signal(const Cue& c) {
  if (c.members() && c.s.about_leaving) {
    return -1;  // "Which high-value customers are about to leave?" asks for the members
  }
  return !c.s.clv_tiers.empty() && c.pair() && !c.members() ? 1 : 0;
}

double individuals_signal(const Cue& c) {
  const Slots& s = c.s;
  if (asks_reasons(c.w)) {
    return -0.5;  // the reasons across the list, not the list
  }
  const bool calling = std::any_of(c.w.begin(), c.w.end(), [](const std::string& x) {
    return x == "call" || x == "phone" || x == "ring" || x == "contact" || x == "reach";
  });
  if (s.loyalty_number || s.budget_cad || s.cost_per_contact_cad || weighs_calling(c.w)) {
    return -1;  // one member by number: the profile; a budget: the retention plan's list
  }
  for (std::size_t i = 0; i + 2 < c.w.size(); ++i) {
    const std::string& x = c.w[i];
    const bool money = x == "revenue" || x == "value" || x == "clv" || x == "dollars" ||
                       x == "money";
    if (money && c.w[i + 1] == "at" && c.w[i + 2] == "risk" &&
        (!s.segments.empty() || !s.provinces.empty() || !s.cards.empty())) {
      return -1;  // "revenue at risk from Champions": an amount, not a list of members
    }
  }
  if (cannot_lose(c.w)) {
    return -0.5;  // "top value customers we must never lose": the most valuable, not leavers
  }
  const bool risky = said(c.w, "risky") || said(c.w, "riskiest");
  // "Which high-value customers are about to leave?" is the at-risk list; "Who should we call
  // to thank our most valuable members?" is rewards.
  const bool value = about_value(c.w);
  return s.audience == "groups"                                  ? -1.5
         : s.audience == "members" && s.about_leaving            ? 1.5
         : c.members() && (s.about_leaving || calling || risky) && !value ? 1.5
         : c.members() && value                                  ? -0.5
                                                                 : 0;
}

double rewards_signal(const Cue& c) {
  return c.members() && ((!c.s.about_leaving && about_value(c.w)) || cannot_lose(c.w)) ? 1.5 : 0;
}

double segments_signal(const Cue& c) {
  const Slots& s = c.s;
  if (s.segments.size() == 1 && s.provinces.empty() && s.cards.empty() && s.audience.empty()) {
    return 1;  // "How are our Champions doing?"
  }
  if (s.segments.size() >= 2 && c.pair()) {
    return 0;  // two segments compared: the comparison
  }
  const bool other_dimension = std::any_of(c.w.begin(), c.w.end(), [](const std::string& x) {
    return x == "province" || x == "provinces" || x == "region" || x == "regions" || x == "part" ||
           x == "card" || x == "tier" || x == "tiers" || x == "band" || x == "bands" ||
           x == "cohort" || x == "cohorts" || x == "gender";
  });
  return s.audience == "groups" && !other_dimension ? 1 : 0;  // "which kinds of members"
}

// Whether the question orders a list: "sorted by CLV", "ordered by recency", "ascending".
bool asks_sorted(const Words& w) {
  for (std::size_t i = 0; i < w.size(); ++i) {
    const std::string& x = w[i];
    if (x == "ascending" || x == "descending" || x == "asc" || x == "desc") {
      return true;
    }
    const bool by = i + 1 < w.size() && w[i + 1] == "by";
    if (by && (x == "sorted" || x == "sort" || x == "ordered" || x == "order")) {
      return true;
    }
  }
  return false;
}

// Whether the question speaks of members themselves ("members", "everyone", "people").
bool names_members(const Words& w) {
  for (const char* x : {"members", "member", "customers", "people", "everyone", "everybody",
                        "flyers", "clients", "passengers", "cardholders", "ones", "folks"}) {
    if (said(w, x)) {
      return true;
    }
  }
  return false;
}

double model_health_signal(const Cue& c) {
  if (speaks_of_monitor(c.w) && !speaks_of_ingest_details(c.w)) {
    return 2;  // the monitor's own vocabulary: alerts, matured scorings, calibration ratio
  }
  return model_over_time(c.w) && !speaks_of_data(c.w) ? 1.5 : 0;
}

// A list of members narrowed by filters and put in an order: Customer 360's search, not the
// at-risk list nor the rewards list ("Give me everyone in the medium risk tier in
// Saskatchewan, sorted by CLV", "show me the dormant people in quebec").
double search_signal(const Cue& c) {
  const Slots& s = c.s;
  if (s.loyalty_number || s.budget_cad || s.audience == "groups") {
    return -1;
  }
  if (asks_sorted(c.w)) {
    // Groups put in order ("summary_by_card sorted by churn") are the groups' summaries; members
    // by churn score are the at-risk list itself.
    const bool by_risk = std::any_of(c.w.begin(), c.w.end(), [](const std::string& x) {
      return x == "churn" || x == "risk" || x == "score" || x == "churn_score" || x == "riskiest";
    }) && !std::any_of(c.w.begin(), c.w.end(), [](const std::string& x) { return x == "tier"; });
    return names_members(c.w) && !by_risk ? 2.5 : -0.5;
  }
  if (said(c.w, "search")) {
    return 1.5;
  }
  const bool listing = std::any_of(c.w.begin(), c.w.end(), [](const std::string& x) {
    return x == "show" || x == "list" || x == "find" || x == "pull" || x == "everyone" ||
           x == "search" || x == "give";
  });
  const bool risk_tier = std::any_of(c.w.begin(), c.w.end(), [&](const std::string& x) {
    return &x != &c.w.back() && x == "risk" && *(&x + 1) == "tier";
  });
  const bool filtered = !s.provinces.empty() || !s.segments.empty() || !s.cards.empty() || risk_tier;
  const bool not_flown = said(c.w, "flown") || said(c.w, "longest");
  const bool plain = !s.top_n && !s.how_much && !s.yes_no && !about_value(c.w) &&
                     (!s.about_leaving || risk_tier);
  if (listing && filtered && names_members(c.w) && (plain || not_flown)) {
    return 2;  // the members of a slice, with nothing said of ranking them by risk or value
  }
  return 0;
}

}  // namespace

double rule_signal(const std::string& intent, const Slots& s, const Words& w, const Words& mapped) {
  using Rule = double (*)(const Cue&);
  static const std::map<std::string, Rule> rules = {{"model_health", model_health_signal},{"member", member_signal},
                                                    {"comparison", comparison_signal},
                                                    {"cohorts", cohorts_signal},
                                                    {"survival", survival_signal},
                                                    {"impact", impact_signal},
                                                    {"overview", overview_signal},
                                                    {"data_quality", data_quality_signal},
                                                    {"drivers", drivers_signal},
                                                    {"budget", budget_signal},
                                                    {"geography", geography_signal},
                                                    {"cards", cards_signal},
                                                    {"gender", gender_signal},
                                                    {"tenure", tenure_signal},
                                                    {"clv_bands", clv_bands_signal},
                                                    {"individuals", individuals_signal},
                                                    {"rewards", rewards_signal},
                                                    {"segments", segments_signal},
                                                    {"search", search_signal}};
  const auto it = rules.find(intent);
  return it == rules.end() ? 0 : it->second(Cue{s, w, mapped});
}

}  // namespace aa::analyst
