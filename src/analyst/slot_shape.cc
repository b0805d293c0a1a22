// The slots that are not names: time words, whom the question is about, its shape (yes/no,
// how much, the direction of a comparison), a loyalty number; and slots to and from JSON.

#include <algorithm>
#include <cctype>
#include <cmath>
#include <set>

#include "analyst/slots.h"
#include "analyst/text.h"

namespace aa::analyst {

using Words = std::vector<std::string>;

void read_time_words(const Words& words, Slots& slots) {
  // Phrase -> months it spans; the first found wins.
  static const std::vector<std::pair<const char*, double>> horizons = {
      {"today", 0},        {"this afternoon", 0}, {"this week", 0.25}, {"next week", 0.25},
      {"this month", 1},   {"next month", 1},     {"30 days", 1},      {"this quarter", 3},
      {"next quarter", 3}, {"90 days", 3},        {"three months", 3}, {"3 months", 3},
      {"six months", 6},   {"6 months", 6},       {"half year", 6},    {"this year", 12},
      {"next year", 12},   {"12 months", 12},     {"each year", 12},   {"per year", 12},
      {"a year", 12},      {"annual", 12},        {"annually", 12}};
  for (const auto& [phrase, months] : horizons) {
    if (has_phrase(words, phrase)) {
      slots.horizon = phrase;
      slots.horizon_months = months;
      return;
    }
  }
}

// "which kinds of members", "what sort of customer", "which regions": groups; "who", "which
// customers", "names", "a list of people": individual members.
void read_audience(const Words& w, bool who_opens_clause, Slots& slots) {
  static const std::set<std::string> people = {
      "members",     "customers", "people",   "clients",   "flyers",   "travellers", "ppl",
      "cardholders", "member",    "customer", "person",    "spenders", "passengers", "holders",
      "champions",   "passenger", "flyer",    "traveller", "client"};
  static const std::set<std::string> groups = {
      "kinds",   "kind",      "types",    "type",     "sorts",      "sort",
      "groups",  "group",     "segments", "segment",  "categories", "category",
      "regions", "provinces", "province", "tiers",    "bands",      "cohorts",
      "region",  "part",      "bucket",   "buckets",  "cluster",    "clusters",
      "slice",   "slices",    "persona",  "personas", "class",      "classes"};
  // "the top reasons members give": the ranked thing is not the members.
  static const std::set<std::string> aspects = {
      "reasons", "reason", "causes", "drivers", "factors", "segments", "provinces", "regions",
      "cards",   "tiers",  "bands",  "cohorts", "groups",  "kinds",    "types"};
  const auto within = [&](std::size_t i, const std::set<std::string>& set, std::size_t span) {
    for (std::size_t k = i + 1; k < w.size() && k <= i + span; ++k) {
      if (set.count(w[k])) {
        return true;
      }
    }
    return false;
  };
  for (std::size_t i = 0; i < w.size(); ++i) {
    const bool wh = w[i] == "which" || w[i] == "what";
    const bool of = i + 1 < w.size() && w[i + 1] == "of" && groups.count(w[i]);
    if ((wh && within(i, groups, 2)) || of) {
      slots.audience = "groups";
      return;
    }
  }
  for (std::size_t i = 0; i < w.size(); ++i) {
    const bool wh = w[i] == "which" || w[i] == "whom";
    // "Who ...?" asks for members; "members who stop flying" is a relative clause.
    const bool opens = i == 0 || w[i - 1] == "and" || w[i - 1] == "so" || w[i - 1] == "then";
    const bool who = (w[i] == "who" && (opens || who_opens_clause)) || w[i] == "whos";
    const bool named = w[i] == "names" || w[i] == "individual" || w[i] == "individuals" ||
                       w[i] == "specific" || w[i] == "list" || who;
    // "highest churn probability members", "top 20 customers": a list of members.
    // "export the members with ...", "pull up the customers ...": a list of members.
    const bool listing = w[i] == "export" || w[i] == "pull" || w[i] == "extract" ||
                         w[i] == "download" || w[i] == "show";
    const bool ranked = w[i] == "highest" || w[i] == "top" || w[i] == "riskiest" ||
                        w[i] == "likeliest" || w[i] == "lowest" || w[i] == "risky" ||
                        w[i] == "richest" || w[i] == "wealthiest" || w[i] == "best" ||
                        w[i] == "biggest";
    // "What Quebec clients ...?", "What 10 passengers ...?" (not "What do members ...?").
    static const std::set<std::string> verbs = {"do",     "does",  "did",  "are",  "is",
                                                "was",    "were",  "have", "has",  "can",
                                                "should", "would", "will", "make", "makes"};
    // "Which accounts ...?" (not "Which reason accounts for ...?").
    const bool accounts = (wh || w[i] == "what") && i + 1 < w.size() && w[i + 1] == "accounts";
    const bool what_people =
        w[i] == "what" && i + 1 < w.size() &&
        (people.count(w[i + 1]) > 0 ||
         (i + 2 < w.size() && people.count(w[i + 2]) > 0 && verbs.count(w[i + 1]) == 0));
    // "Members with the highest ...", "Customers likely to leave": a list of members.
    static const std::set<std::string> after_people = {"with", "who",   "that",  "likely", "most",
                                                       "at",   "about", "whose", "in"};
    const bool opens_with_people =
        i == 0 && people.count(w[0]) > 0 && w.size() > 1 && after_people.count(w[1]) > 0;
    if (named || what_people || accounts || opens_with_people || (wh && within(i, people, 3)) ||
        ((ranked || listing) && within(i, people, 4) && !within(i, aspects, 3))) {
      slots.audience = "members";
      return;
    }
  }
}

namespace {

// +1 for words that say "more" of something, -1 for "less"; 0 when none.
int comparative(const Words& w) {
  static const std::set<std::string> more = {"more",     "higher",  "greater", "bigger", "faster",
                                             "likelier", "quicker", "most",    "worse",  "riskier"};
  static const std::set<std::string> less = {"less",  "lower",  "fewer", "smaller",  "slower",
                                             "least", "better", "safer", "healthier"};
  for (const auto& x : w) {
    if (more.count(x)) {
      return 1;
    }
    if (less.count(x)) {
      return -1;
    }
  }
  return 0;
}

// Whether the comparison is about staying (+1 more loyal = less churn) rather than leaving.
bool about_staying(const Words& w) {
  static const std::set<std::string> stay = {"loyal",  "stay",     "stays",     "staying", "stick",
                                             "retain", "retained", "retention", "survive"};
  static const std::set<std::string> leave = {
      "cancel", "cancels", "churn", "churning", "leave",      "leaving",   "quit",        "quits",
      "risk",   "lose",    "drop",  "walk",     "cancelling", "canceling", "cancellation"};
  for (const auto& x : w) {
    if (leave.count(x)) {
      return false;
    }
    if (stay.count(x)) {
      return true;
    }
  }
  return false;
}

}  // namespace

void read_shape(const Words& words, Slots& slots) {
  static const std::set<std::string> auxiliaries = {
      "is",  "are",  "do",  "does", "did", "can",  "could", "will", "would", "should",
      "has", "have", "was", "were", "am",  "isnt", "arent", "dont", "doesnt"};
  Words w = words;
  while (!w.empty() && (w.front() == "and" || w.front() == "so" || w.front() == "ok" ||
                        w.front() == "now" || w.front() == "but")) {
    w.erase(w.begin());
  }
  const bool request = w.size() > 1 && (w[1] == "you" || w[1] == "u");
  slots.yes_no = !w.empty() && auxiliaries.count(w.front()) > 0 && !request;
  slots.how_much = has_phrase(words, "how much") || has_phrase(words, "how many") ||
                   has_phrase(words, "number of") || has_phrase(words, "count of");
  static const std::set<std::string> leaving = {
      "churn",      "churning",  "churned",      "risks",         "cancel",    "cancels",
      "cancelling", "canceling", "cancellation", "cancellations", "leave",     "leaving",
      "quit",       "quitting",  "risk",         "risky",         "riskiest",  "lose",
      "losing",     "walk",      "walking",      "defect",        "defecting", "lapse",
      "leavers",    "attrition", "save",         "drop",          "dropping",  "gone",
      "exit",       "churners",  "cancellers",   "defection",     "defections"};
  slots.about_leaving = std::any_of(words.begin(), words.end(),
                                    [](const std::string& x) { return leaving.count(x) > 0; });
  const int more = comparative(words);
  // "Riskier", "worse", "safer" and "better" say their direction themselves.
  const bool self_directed = std::any_of(words.begin(), words.end(), [](const std::string& x) {
    return x == "riskier" || x == "worse" || x == "safer" || x == "better" || x == "healthier";
  });
  slots.direction = self_directed || !about_staying(words) ? more : -more;
}

std::optional<std::int64_t> loyalty_number_in(const Words& words) {
  static const std::set<std::string> before = {"member",    "customer", "loyalty",  "number",
                                               "account",   "id",       "no",       "profile",
                                               "passenger", "members",  "customers"};
  for (std::size_t i = 1; i < words.size(); ++i) {
    const std::string& w = words[i];
    const bool digits = w.size() >= 3 && w.size() <= 12 &&
                        std::all_of(w.begin(), w.end(), [](char c) { return std::isdigit(c); });
    // "lookup 654321", "look up 654321": a bare number to look up is a member's.
    const bool look_up = words[i - 1] == "lookup" ||
                         (i > 1 && words[i - 1] == "up" && words[i - 2] == "look");
    if (digits && (before.count(words[i - 1]) || look_up)) {
      return std::stoll(w);
    }
  }
  return std::nullopt;
}

std::optional<std::int64_t> bare_member_number(const std::string& question, const Words& words) {
  // Six digits alone ("pull up #662341", "show 735891", "is 871234 likely to cancel?") are a
  // loyalty number: the programme's numbers have six digits, and no count, amount or year the
  // analyst reads is written that way without a unit or a word of amount beside it.
  static const std::set<std::string> amount_before = {
      "top",   "first", "budget", "of",    "spend", "spending", "than", "over", "above",
      "under", "below", "least",  "most",  "about", "around",   "cad",  "usd",  "k",
      "max",   "min",   "limit",  "total", "sum",   "only",     "just"};
  static const std::set<std::string> unit_after = {
      "members", "customers", "flyers",  "dollars", "cad",      "km",       "kilometres",
      "miles",   "points",    "flights", "people",  "accounts", "contacts", "calls",
      "budget",  "per",       "bucks",   "usd",     "each",     "a",        "k"};
  for (std::size_t i = 0; i < words.size(); ++i) {
    const std::string& w = words[i];
    if (w.size() != 6 || !std::all_of(w.begin(), w.end(), [](char c) { return std::isdigit(c); })) {
      continue;
    }
    const auto at = question.find(w);
    const bool money = at != std::string::npos && at > 0 &&
                       (question[at - 1] == '$' || (at > 1 && question[at - 2] == '$'));
    const bool amount = (i > 0 && amount_before.count(words[i - 1])) ||
                        (i + 1 < words.size() && unit_after.count(words[i + 1]));
    if (!money && !amount) {
      return std::stoll(w);
    }
  }
  return std::nullopt;
}

bool Slots::names_something() const {
  return !segments.empty() || !years.empty() || !provinces.empty() || !cards.empty() ||
         !genders.empty() || !clv_tiers.empty() || !tenure_groups.empty() || top_n || budget_cad ||
         cost_per_contact_cad || save_rate || loyalty_number;
}

nlohmann::json Slots::to_json() const {
  nlohmann::json j = {
      {"segments", segments},   {"provinces", provinces}, {"cards", cards},
      {"genders", genders},     {"clv_tiers", clv_tiers}, {"tenure_groups", tenure_groups},
      {"years", years},         {"compare", compare},     {"audience", audience},
      {"yes_no", yes_no},       {"how_much", how_much},   {"about_leaving", about_leaving},
      {"direction", direction}, {"horizon", horizon}};
  const auto put = [&](const char* key, const auto& value) {
    j[key] = value ? nlohmann::json(*value) : nlohmann::json();
  };
  put("top_n", top_n);
  put("budget_cad", budget_cad);
  put("cost_per_contact_cad", cost_per_contact_cad);
  put("save_rate", save_rate);
  put("loyalty_number", loyalty_number);
  put("horizon_months", horizon_months);
  return j;
}

namespace {

template <typename T>
std::optional<T> optional_of(const nlohmann::json& j, const char* key) {
  const auto it = j.find(key);
  if (it == j.end() || !it->is_number()) {
    return std::nullopt;
  }
  const double v = it->get<double>();  // untrusted: a follow-up's context comes from a request
  if (!std::isfinite(v) || std::abs(v) > 1e12) {
    return std::nullopt;
  }
  return static_cast<T>(v);
}

std::vector<std::string> strings_of(const nlohmann::json& j, const char* key) {
  std::vector<std::string> out;
  const auto it = j.find(key);
  if (it != j.end() && it->is_array()) {
    for (const auto& v : *it) {
      if (v.is_string()) {
        out.push_back(v.get<std::string>());
      }
    }
  }
  return out;
}

bool bool_of(const nlohmann::json& j, const char* key) {
  const auto it = j.find(key);
  return it != j.end() && it->is_boolean() && it->get<bool>();
}

std::string string_of(const nlohmann::json& j, const char* key) {
  const auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : "";
}

}  // namespace

Slots Slots::from_json(const nlohmann::json& j) {
  Slots s;
  if (!j.is_object()) {
    return s;
  }
  s.segments = strings_of(j, "segments");
  s.provinces = strings_of(j, "provinces");
  s.cards = strings_of(j, "cards");
  s.genders = strings_of(j, "genders");
  s.clv_tiers = strings_of(j, "clv_tiers");
  s.tenure_groups = strings_of(j, "tenure_groups");
  if (const auto it = j.find("years"); it != j.end() && it->is_array()) {
    for (const auto& y : *it) {
      if (y.is_number_integer() && y.get<std::int64_t>() > 1900 && y.get<std::int64_t>() < 2200) {
        s.years.push_back(y.get<int>());
      }
    }
  }
  s.compare = bool_of(j, "compare");
  s.yes_no = bool_of(j, "yes_no");
  s.how_much = bool_of(j, "how_much");
  s.about_leaving = bool_of(j, "about_leaving");
  const auto direction = optional_of<int>(j, "direction");
  s.direction = direction ? std::clamp(*direction, -1, 1) : 0;
  s.audience = string_of(j, "audience");
  s.horizon = string_of(j, "horizon");
  s.top_n = optional_of<int>(j, "top_n");
  s.budget_cad = optional_of<double>(j, "budget_cad");
  s.cost_per_contact_cad = optional_of<double>(j, "cost_per_contact_cad");
  s.save_rate = optional_of<double>(j, "save_rate");
  s.loyalty_number = optional_of<std::int64_t>(j, "loyalty_number");
  s.horizon_months = optional_of<double>(j, "horizon_months");
  return s;
}

}  // namespace aa::analyst
