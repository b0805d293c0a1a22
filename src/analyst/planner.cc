#include "analyst/planner.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <map>
#include <optional>
#include <regex>
#include <set>

#include "core/app_error.h"
#include "ops/registry.h"

namespace aa::analyst {

namespace {

struct Intent {
  const char* name;
  std::vector<std::vector<std::string>> keywords;  // each a word or a phrase of words
  std::vector<const char*> ops;
};

// Intents in order of precedence when a question matches several equally.
const std::vector<Intent>& intents() {
  static const std::vector<Intent> all = {
      {"budget",
       {{"budget"}, {"campaign"}, {"spend"}, {"outreach"}, {"contact"}, {"roi"}, {"afford"}},
       {"retention_plan"}},
      {"comparison",
       {{"compare"}, {"comparison"}, {"versus"}, {"vs"}, {"against"}, {"difference"}, {"differ"}},
       {"segment_comparison"}},
      {"priority",
       {{"focus"},
        {"priority"},
        {"prioritise"},
        {"prioritize"},
        {"initiative"},
        {"first"},
        {"efforts"}},
       {"single_priority_initiative", "value_at_risk_by_segment", "value_at_risk_by_province"}},
      {"impact",
       {{"money"},
        {"cost"},
        {"impact"},
        {"financial"},
        {"finance"},
        {"revenue"},
        {"lose"},
        {"losing"},
        {"loss"},
        {"nothing"},
        {"dollars"},
        {"worth"},
        {"bottom", "line"}},
       {"revenue_impact", "do_nothing_scenario"}},
      {"rewards",
       {{"reward"},
        {"vip"},
        {"thank"},
        {"appreciate"},
        {"best", "customers"},
        {"most", "valuable"},
        {"top", "value"},
        {"recognise"},
        {"recognize"},
        {"perks"}},
       {"top_value_customers"}},
      {"drivers",
       {{"why"}, {"cause"}, {"driver"}, {"reason"}, {"explain"}, {"factor"}, {"behind"}},
       {"churn_signal", "churn_reasons_summary"}},
      {"individuals",
       {{"who"},
        {"which", "members"},
        {"which", "customers"},
        {"names"},
        {"individual"},
        {"list"},
        {"people"},
        {"call"}},
       {"top_risk_customers"}},
      {"geography",
       {{"province"}, {"region"}, {"geography"}, {"geographic"}, {"where"}, {"location"}, {"map"}},
       {"value_at_risk_by_province", "summary_by_province"}},
      {"segments", {{"segment"}, {"rfm"}}, {"value_at_risk_by_segment", "summary_by_segment"}},
      {"tenure",
       {{"tenure"}, {"lifecycle"}, {"newest"}, {"joined"}, {"how", "long"}, {"new", "members"}},
       {"tenure_analysis"}},
      {"clv_bands",
       {{"clv"}, {"lifetime"}, {"band"}, {"high", "value"}, {"low", "value"}, {"tertile"}},
       {"churn_by_clv_tier"}},
      {"cards", {{"card"}, {"aurora"}, {"nova"}, {"star"}}, {"summary_by_card"}},
      {"gender", {{"gender"}, {"male"}, {"female"}, {"men"}, {"women"}}, {"summary_by_gender"}},
      {"survival",
       {{"survival"}, {"curve"}, {"stay"}, {"kaplan"}, {"retention", "rate"}},
       {"retention_curve"}},
      {"cohorts", {{"cohort"}, {"vintage"}, {"enrollment", "year"}}, {"cohort_retention"}},
      {"model",
       {{"model"}, {"accurate"}, {"accuracy"}, {"auc"}, {"calibration"}, {"predict"}},
       {"model_performance"}},
      {"data_quality",
       {{"quality"}, {"quarantine"}, {"rejected"}, {"ingest"}, {"errors"}},
       {"data_quality"}},
  };
  return all;
}

// Words that make "who"/"list" questions about members at risk (not about rewards).
const std::vector<std::string> kRiskWords = {"risk",   "churn",  "leave", "leaving",
                                             "cancel", "likely", "quit",  "lose"};

const std::map<std::string, int>& number_words() {
  static const std::map<std::string, int> words = {
      {"one", 1},     {"two", 2},     {"three", 3},   {"four", 4},
      {"five", 5},    {"six", 6},     {"seven", 7},   {"eight", 8},
      {"nine", 9},    {"ten", 10},    {"twelve", 12}, {"fifteen", 15},
      {"twenty", 20}, {"thirty", 30}, {"fifty", 50},  {"hundred", 100}};
  return words;
}

// Edit distance with adjacent transpositions counted as one edit (optimal string alignment).
std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i) {
    d[i][0] = i;
  }
  for (std::size_t j = 0; j <= b.size(); ++j) {
    d[0][j] = j;
  }
  for (std::size_t i = 1; i <= a.size(); ++i) {
    for (std::size_t j = 1; j <= b.size(); ++j) {
      d[i][j] = std::min(
          {d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.size()][b.size()];
}

// Where the phrase `keyword` occurs in `words` (index of its first word), if it does.
std::optional<std::size_t> find_phrase(const std::vector<std::string>& words,
                                       const std::vector<std::string>& keyword) {
  if (keyword.empty() || words.size() < keyword.size()) {
    return std::nullopt;
  }
  for (std::size_t i = 0; i + keyword.size() <= words.size(); ++i) {
    bool all = true;
    for (std::size_t k = 0; k < keyword.size() && all; ++k) {
      all = word_matches(words[i + k], keyword[k]);
    }
    if (all) {
      return i;
    }
  }
  return std::nullopt;
}

std::vector<std::string> name_words(const std::string& name) { return words_of(name); }

// The domain names the question mentions, in order of first mention.
std::vector<std::string> mentioned(const std::vector<std::string>& words,
                                   const std::vector<std::string>& names) {
  std::vector<std::pair<std::size_t, std::string>> found;
  for (const auto& name : names) {
    if (const auto at = find_phrase(words, name_words(name))) {
      found.emplace_back(*at, name);
    }
  }
  std::stable_sort(found.begin(), found.end());
  std::vector<std::string> out;
  for (const auto& [at, name] : found) {
    out.push_back(name);
  }
  return out;
}

// Segments the question names. "at risk" and "loyal" are also everyday words, so they count as
// segment names only when written as names ("At Risk", "Loyal") or beside "segment".
std::vector<std::string> mentioned_segments(const std::string& question,
                                            const std::vector<std::string>& words,
                                            const std::vector<std::string>& segments) {
  const bool says_segment = find_phrase(words, {"segment"}).has_value();
  std::vector<std::string> out;
  for (const auto& name : mentioned(words, segments)) {
    const bool everyday = name == "At Risk" || name == "Loyal" || name == "Potential";
    if (!everyday || says_segment || question.find(name) != std::string::npos) {
      out.push_back(name);
    }
  }
  return out;
}

std::optional<int> top_n(const std::vector<std::string>& words) {
  static const std::set<std::string> nouns = {"members",  "customers", "people", "names",
                                              "accounts", "clients",   "flyers", "travellers"};
  for (std::size_t i = 0; i < words.size(); ++i) {
    const std::string& w = words[i];
    std::optional<int> n;
    if (!w.empty() && std::all_of(w.begin(), w.end(), [](char c) { return std::isdigit(c); }) &&
        w.size() <= 4) {
      n = std::stoi(w);
    } else if (const auto it = number_words().find(w); it != number_words().end()) {
      n = it->second;
    }
    if (!n) {
      continue;
    }
    const bool after_top = i > 0 && (words[i - 1] == "top" || words[i - 1] == "first");
    const bool before_noun = i + 1 < words.size() && nouns.count(words[i + 1]) > 0;
    if (after_top || before_noun) {
      return std::clamp(*n, 1, 100);
    }
  }
  return std::nullopt;
}

// Money amounts in the question, in CAD ("CAD 50,000", "$50k", "50 000 dollars", "1.5M"), with
// the text around each.
struct Amount {
  double value;
  bool currency;
  std::string before;  // up to 30 characters before it, lower case
  std::string after;   // up to 16 characters after it
};

std::vector<Amount> amounts(const std::string& question) {
  static const std::regex amount(
      R"((cad|\$|c\$)?\s*([0-9]{1,3}(?:[ ,][0-9]{3})+|[0-9]+(?:\.[0-9]+)?)\s*(k|m|thousand|million)?\b\s*(cad|dollars|\$)?)",
      std::regex::icase);
  std::string lower = question;
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  std::vector<Amount> out;
  for (auto it = std::sregex_iterator(lower.begin(), lower.end(), amount);
       it != std::sregex_iterator(); ++it) {
    const auto& m = *it;
    std::string digits;
    for (const char c : m[2].str()) {
      if (c != ',' && c != ' ') {
        digits += c;
      }
    }
    double value = std::stod(digits);
    const std::string scale = m[3].str();
    value *= scale == "k" || scale == "thousand"  ? 1e3
             : scale == "m" || scale == "million" ? 1e6
                                                  : 1;
    const auto at = static_cast<std::size_t>(m.position(0));
    const std::size_t from = at >= 30 ? at - 30 : 0;
    out.push_back({value, m[1].matched || m[4].matched, lower.substr(from, at - from),
                   lower.substr(at + static_cast<std::size_t>(m.length(0)), 16)});
  }
  return out;
}

// "CAD 20 per contact", "25 each", "a contact costs CAD 15": the words right beside the amount.
bool says_per(const Amount& a) {
  const auto starts = [&](const char* w) {
    const auto first = a.after.find_first_not_of(' ');
    return first != std::string::npos && a.after.compare(first, std::strlen(w), w) == 0;
  };
  const auto ends = [&](const char* w) {
    const auto last = a.before.find_last_not_of(" $");
    const std::string b = last == std::string::npos ? "" : a.before.substr(0, last + 1);
    const std::string word = w;
    return b.size() >= word.size() && b.compare(b.size() - word.size(), word.size(), word) == 0;
  };
  return starts("per ") || starts("each") || starts("a contact") || starts("a head") ||
         ends("costs") || ends("cost of") || ends("costs cad") || ends("cost of cad") ||
         ends("at cad") || ends("at");
}

// The budget: an amount beside "budget", else the first amount in a currency that is not a
// cost per contact.
std::optional<double> budget_of(const std::vector<Amount>& found) {
  for (const auto& a : found) {
    if (a.before.find("budget") != std::string::npos && !says_per(a) && a.value > 0) {
      return a.value;
    }
  }
  for (const auto& a : found) {
    if (a.currency && !says_per(a) && a.value > 0) {
      return a.value;
    }
  }
  return std::nullopt;
}

std::optional<double> cost_per_contact_of(const std::vector<Amount>& found) {
  for (const auto& a : found) {
    if (says_per(a) && a.value > 0) {
      return a.value;
    }
  }
  return std::nullopt;
}

std::optional<double> percent(const std::string& question) {
  static const std::regex pct(R"(([0-9]{1,2}(?:\.[0-9]+)?)\s*(%|percent))", std::regex::icase);
  std::smatch m;
  if (std::regex_search(question, m, pct)) {
    return std::stod(m[1].str()) / 100;
  }
  return std::nullopt;
}

void add_step(Plan& plan, const std::string& op, nlohmann::json params = nlohmann::json::object()) {
  for (const auto& s : plan.steps) {
    if (s.op == op) {
      return;
    }
  }
  if (plan.steps.size() < kMaxSteps) {
    plan.steps.push_back({op, std::move(params)});
  }
}

}  // namespace

std::vector<std::string> words_of(const std::string& text) {
  std::vector<std::string> out;
  std::string word;
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u)) {
      word += static_cast<char>(std::tolower(u));
    } else if (!word.empty()) {
      out.push_back(word);
      word.clear();
    }
  }
  if (!word.empty()) {
    out.push_back(word);
  }
  return out;
}

bool word_matches(const std::string& word, const std::string& keyword) {
  if (word == keyword) {
    return true;
  }
  // A longer form: churn -> churning, province -> provinces (keywords of 4+ letters).
  if (keyword.size() >= 4 && word.size() > keyword.size() && word.size() <= keyword.size() + 4 &&
      word.compare(0, keyword.size(), keyword) == 0) {
    return true;
  }
  // One typo in keywords of 6+ letters, two in keywords of 9+ (against it or its plural).
  if (keyword.size() >= 6 && word.size() >= 5) {
    const std::size_t allowed = keyword.size() >= 9 ? 2 : 1;
    return edit_distance(word, keyword) <= allowed || edit_distance(word, keyword + "s") <= allowed;
  }
  return false;
}

Plan RulePlanner::plan(const std::string& question, const nlohmann::json& filters) {
  Plan plan;
  plan.planner = "rules";
  plan.filters = filters.is_null() ? nlohmann::json::object() : filters;
  const std::vector<std::string> words = words_of(question);

  // Intents, by how many of their keywords the question has (ties: table order).
  std::vector<std::pair<int, std::size_t>> scored;
  for (std::size_t i = 0; i < intents().size(); ++i) {
    int hits = 0;
    for (const auto& keyword : intents()[i].keywords) {
      hits += find_phrase(words, keyword) ? 1 : 0;
    }
    if (hits > 0) {
      scored.emplace_back(-hits, i);
    }
  }
  std::stable_sort(scored.begin(), scored.end());
  const bool risk_words = std::any_of(kRiskWords.begin(), kRiskWords.end(), [&](const auto& w) {
    return find_phrase(words, {w}).has_value();
  });
  std::vector<std::string> names;
  for (const auto& [score, i] : scored) {
    const std::string name = intents()[i].name;
    // "Who should we reward?" is about rewards; "who" means members at risk only beside a
    // word about risk or leaving.
    if (name == "individuals" && !risk_words) {
      continue;
    }
    names.push_back(name);
  }
  if (names.empty() && risk_words) {
    names.push_back("individuals");  // "customers likely to leave"
  }
  const auto has = [&](const char* intent) {
    return std::find(names.begin(), names.end(), intent) != names.end();
  };

  const auto segments = mentioned_segments(question, words, domains_.rfm_segment);
  const auto provinces = mentioned(words, domains_.province);
  const auto cards = mentioned(words, domains_.loyalty_card);
  const std::optional<int> n = top_n(words);

  // "Compare the card tiers", "a gender difference": without two named segments or provinces,
  // a comparison across a dimension is that dimension's summary, which compares its groups.
  if (has("comparison") && segments.size() < 2 && provinces.size() < 2) {
    static const std::set<std::string> dimensions = {"cards",  "gender",    "geography",
                                                     "tenure", "clv_bands", "segments"};
    if (std::any_of(names.begin(), names.end(),
                    [](const std::string& i) { return dimensions.count(i) > 0; })) {
      names.erase(std::find(names.begin(), names.end(), "comparison"));
    }
  }

  // A single province, segment or card named in a question that is not a comparison narrows
  // the slice, unless the filters already say otherwise.
  if (!has("comparison")) {
    const auto narrow = [&](const char* key, const std::vector<std::string>& found) {
      if (found.size() == 1 && !plan.filters.contains(key)) {
        plan.filters[key] = nlohmann::json::array({found.front()});
        plan.notes.push_back(fmt::format("the question names {} {}, so the figures cover it only",
                                         key, found.front()));
      }
    };
    narrow("province", provinces);
    narrow("rfm_segment", segments);
    narrow("loyalty_card", cards);
  }

  for (const auto& name : names) {
    const auto& intent = *std::find_if(intents().begin(), intents().end(),
                                       [&](const Intent& i) { return name == i.name; });
    for (const char* op : intent.ops) {
      nlohmann::json params = nlohmann::json::object();
      const std::string o = op;
      if (o == "segment_comparison") {
        if (segments.size() >= 2) {
          params = {{"segment_a", segments[0]}, {"segment_b", segments[1]}};
        } else if (provinces.size() >= 2) {
          add_step(plan, "value_at_risk_by_province");
          add_step(plan, "summary_by_province");
          continue;
        } else {
          params = {{"segment_a", segments.empty() ? "Champions" : segments[0]},
                    {"segment_b",
                     segments.empty() || segments[0] != "At Risk" ? "At Risk" : "Champions"}};
          plan.notes.push_back(fmt::format("no two segments named; comparing {} with {}",
                                           params["segment_a"].get<std::string>(),
                                           params["segment_b"].get<std::string>()));
        }
      } else if (o == "top_risk_customers" || o == "top_value_customers") {
        params["top_n"] = n.value_or(10);
      } else if (o == "retention_plan") {
        const auto found = amounts(question);
        if (const auto budget = budget_of(found)) {
          params["budget_cad"] = std::clamp(*budget, 0.01, 1e9);
        } else {
          plan.notes.push_back("no budget named; planning with the default CAD 10,000");
        }
        if (const auto cost = cost_per_contact_of(found)) {
          params["cost_per_contact_cad"] = std::clamp(*cost, 0.01, 1e6);
        }
        if (const auto rate = percent(question)) {
          params["save_rate"] = std::clamp(*rate, 0.001, 1.0);
        }
      }
      add_step(plan, o, params);
    }
  }

  if (names.empty()) {
    plan.understood = false;
    plan.intents = {"overview"};
    plan.notes.push_back(
        "the question did not match anything these operations answer, so this is an overview "
        "of the slice: value at risk by segment and province and the single priority");
    add_step(plan, "single_priority_initiative");
    add_step(plan, "value_at_risk_by_segment");
    add_step(plan, "value_at_risk_by_province");
  } else {
    plan.intents = names;
  }
  // The slice's KPIs and the portfolio's, for the evidence; then padding up to three steps.
  add_step(plan, "kpis_slice");
  add_step(plan, "kpis_baseline");
  for (const char* pad : {"do_nothing_scenario", "value_at_risk_by_segment"}) {
    if (plan.steps.size() < kMinSteps) {
      add_step(plan, pad);
    }
  }
  return plan;
}

void validate_plan(const Plan& plan, const ops::Domains& domains) {
  if (plan.steps.size() < kMinSteps || plan.steps.size() > kMaxSteps) {
    fail(ErrorKind::InvalidInput, "a plan has {} steps; it needs {} to {}", plan.steps.size(),
         kMinSteps, kMaxSteps);
  }
  std::set<std::string> seen;
  for (const auto& step : plan.steps) {
    const ops::Operation& op = ops::find_operation(step.op);
    if (!seen.insert(step.op).second) {
      fail(ErrorKind::InvalidInput, "the plan calls {} twice", step.op);
    }
    ops::check_params(step.op, op.params(domains), step.params);
  }
  ops::Filters::from_json(plan.filters, domains);
}

}  // namespace aa::analyst
