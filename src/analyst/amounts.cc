// Numbers in a question: money amounts (a budget, a cost per contact), percentages and top-N
// counts, read with the words around them.

#include <algorithm>
#include <cctype>
#include <cstring>
#include <map>
#include <regex>
#include <set>

#include "analyst/slots.h"

namespace aa::analyst {

namespace {

// A money amount in the question, in CAD ("CAD 50,000", "$50k", "50 000 dollars", "1.5M",
// "2 grand"), with the text around it.
struct Amount {
  double value;
  bool currency;
  std::string before;  // up to 30 characters before it, lower case
  std::string after;   // up to 16 characters after it
};

std::vector<Amount> amounts(const std::string& question) {
  static const std::regex amount(
      R"((cad|\$|c\$)?\s*([0-9]{1,3}(?:[ ,][0-9]{3})+|[0-9]+(?:\.[0-9]+)?)\s*(k|m|thousand|million|grand)?\b\s*(cad|dollars|dollar|bucks|\$)?)",
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
    const std::string scale = m[3].str();
    const double value = std::stod(digits) * (scale == "m" || scale == "million" ? 1e6
                                              : scale.empty()                    ? 1
                                                                                 : 1e3);
    const auto at = static_cast<std::size_t>(m.position(0));
    const std::string next = lower.substr(at + static_cast<std::size_t>(m.length(0)), 12);
    if (!m[4].matched && scale.empty() &&
        std::regex_search(next, std::regex(R"(^\s*(months?|years?|weeks?|days?|%|percent|x\b))"))) {
      continue;  // "at 24 months", "30%": a time or a rate, not money
    }
    const std::size_t from = at >= 30 ? at - 30 : 0;
    // "5k", "2 grand", "1.5 million": a scaled amount in a question is money.
    out.push_back({value, m[1].matched || m[4].matched || !scale.empty(),
                   lower.substr(from, at - from),
                   lower.substr(at + static_cast<std::size_t>(m.length(0)), 16)});
  }
  return out;
}

bool starts_with_word(const std::string& text, const char* w) {
  const auto first = text.find_first_not_of(' ');
  return first != std::string::npos && text.compare(first, std::strlen(w), w) == 0;
}

bool ends_with_words(const std::string& text, const char* w) {
  const auto last = text.find_last_not_of(" $");
  const std::string b = last == std::string::npos ? "" : text.substr(0, last + 1);
  const std::string word = w;
  if (b.size() < word.size() || b.compare(b.size() - word.size(), word.size(), word) != 0) {
    return false;
  }
  // A whole word: "what" does not end with the word "at".
  return b.size() == word.size() || b[b.size() - word.size() - 1] == ' ';
}

// "CAD 20 per contact", "25 each", "a contact costs CAD 15": the words right beside the amount.
bool says_per(const Amount& a) {
  // "a 20 dollar call": the amount names what one call costs.
  for (const char* w : {"per ", "each", "a contact", "a call", "a head", "a member", "apiece", "call ",
                        "calls ", "contact ", "phone call"}) {
    if (starts_with_word(a.after, w)) {
      return true;
    }
  }
  for (const char* w : {"costs", "cost of", "costs cad", "cost of cad", "at cad", "at",
                        "per contact", "per call", "cost about", "costs about", "cost per"}) {
    if (ends_with_words(a.before, w)) {
      return true;
    }
  }
  return false;
}

const std::map<std::string, int>& number_words() {
  static const std::map<std::string, int> words = {
      {"one", 1},     {"two", 2},      {"three", 3},   {"four", 4},    {"five", 5},
      {"six", 6},     {"seven", 7},    {"eight", 8},   {"nine", 9},    {"ten", 10},
      {"twelve", 12}, {"fifteen", 15}, {"twenty", 20}, {"thirty", 30}, {"forty", 40},
      {"fifty", 50},  {"hundred", 100}};
  return words;
}

std::optional<int> number_word(const std::string& w) {
  if (!w.empty() && w.size() <= 4 &&
      std::all_of(w.begin(), w.end(), [](char c) { return std::isdigit(c); })) {
    return std::stoi(w);
  }
  if (const auto it = number_words().find(w); it != number_words().end()) {
    return it->second;
  }
  return std::nullopt;
}

}  // namespace

std::optional<double> budget_in(const std::string& question) {
  const auto found = amounts(question);
  for (const auto& a : found) {
    if (a.before.find("budget") != std::string::npos && !says_per(a) && a.value > 0) {
      return a.value;
    }
  }
  for (const auto& a : found) {
    // "a CLV above $10,000", "CLV between $5,000 and $10,000": a range of members' value, a
    // filter, not money to spend.
    const bool of_value =
        a.before.find("clv") != std::string::npos || a.before.find("value") != std::string::npos;
    const bool value_range =
        of_value && std::regex_search(a.before, std::regex(R"(\b(above|over|below|under|between|than|least|exceeding)\b)"));
    if (a.currency && !says_per(a) && a.value > 0 && !value_range) {
      return a.value;
    }
  }
  // "20k to spend", "spending 40 thousand": a large amount beside spending words; "how many
  // calls should we make with 40000": a large amount to work with, in a question of calls.
  std::string lower = question;
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  const bool of_calls = lower.find("call") != std::string::npos ||
                        lower.find("campaign") != std::string::npos ||
                        lower.find("outreach") != std::string::npos;
  for (const auto& a : found) {
    const bool spending = (of_calls && ends_with_words(a.before, "with") && a.value >= 1000) ||
                          a.after.find("to spend") != std::string::npos ||
                          a.before.find("spend") != std::string::npos ||
                          a.after.find("for retention") != std::string::npos ||
                          a.after.find("budget") != std::string::npos;
    if (spending && !says_per(a) && a.value >= 100) {
      return a.value;
    }
  }
  return std::nullopt;
}

std::optional<double> cost_per_contact_in(const std::string& question) {
  for (const auto& a : amounts(question)) {
    if (says_per(a) && a.value > 0) {
      return a.value;
    }
  }
  return std::nullopt;
}

std::optional<double> percent_in(const std::string& question) {
  static const std::regex pct(R"(([0-9]{1,2}(?:\.[0-9]+)?)\s*(%|percent))", std::regex::icase);
  std::smatch m;
  if (std::regex_search(question, m, pct)) {
    return std::stod(m[1].str()) / 100;
  }
  return std::nullopt;
}

// "top 20", "the first 5", "25 customers", "ten most valuable", "30 of them".
std::optional<int> top_n_in(const std::vector<std::string>& words) {
  static const std::set<std::string> after = {
      "members", "customers", "people",  "names", "accounts", "clients", "flyers", "travellers",
      "most",    "riskiest",  "highest", "best",  "biggest",  "largest", "top",    "vips"};
  for (std::size_t i = 0; i < words.size(); ++i) {
    const std::optional<int> n = number_word(words[i]);
    if (!n) {
      continue;
    }
    const bool after_top = i > 0 && (words[i - 1] == "top" || words[i - 1] == "first");
    const bool before_noun = i + 1 < words.size() && after.count(words[i + 1]) > 0;
    const auto next_two = [&](const char* a, const char* b) {
      return i + 2 < words.size() && words[i + 1] == a && words[i + 2] == b;
    };
    // "the first twelve months", "top 3 years": a span of time, not a count of members.
    static const std::set<std::string> time_units = {"months", "month", "years", "year",
                                                     "weeks",  "week",  "days",  "day"};
    if (i + 1 < words.size() && time_units.count(words[i + 1]) > 0) {
      continue;
    }
    if (after_top || before_noun || next_two("of", "them") || next_two("at", "risk")) {
      return std::clamp(*n, 1, 100);
    }
  }
  return std::nullopt;
}

}  // namespace aa::analyst
