// SlotFiller: reads the slots of a question (analyst/slots.h).

#include <algorithm>
#include <cctype>
#include <regex>
#include <set>

#include "analyst/slots.h"
#include "analyst/text.h"

namespace aa::analyst {

namespace {

using Words = std::vector<std::string>;

// A word of the question standing for a word of a name from the data: the same, its plural or
// possessive, or a typo away in names of six letters or more. Stricter than word_matches, so
// that "start" is not the card Star.
bool name_word_matches(const std::string& word, const std::string& name) {
  if (word == name || word == name + "s") {
    return true;
  }
  if (name.size() >= 6 && word.size() >= 5) {
    return edit_distance(word, name) <= (name.size() >= 9 ? 2u : 1u);
  }
  // Five letters: two neighbours swapped only ("Loyla" for Loyal).
  if (name.size() == 5 && word.size() == 5 && edit_distance(word, name) == 1) {
    return std::is_permutation(word.begin(), word.end(), name.begin());
  }
  return false;
}

// Whether the question's `at`-th word is written with a capital, as a name is ("Ptoential
// members"): the words as words_of cuts them, case kept.
bool capitalised(const std::string& question, std::size_t at) {
  std::size_t n = 0;
  bool in_word = false;
  for (const char c : question) {
    const bool alnum = std::isalnum(static_cast<unsigned char>(c)) != 0;
    if (alnum && !in_word) {
      if (n == at) {
        return std::isupper(static_cast<unsigned char>(c)) != 0;
      }
      ++n;
    }
    in_word = alnum;
  }
  return false;
}

struct Mention {
  std::size_t at;
  std::size_t length;
  std::string name;
};

// The names the words mention, in order of first mention (with where they stand).
std::vector<Mention> mentions(const Words& words, const std::vector<std::string>& names) {
  std::vector<Mention> out;
  for (const auto& name : names) {
    const Words parts = words_of(name);
    for (std::size_t i = 0; !parts.empty() && i + parts.size() <= words.size(); ++i) {
      bool all = true;
      for (std::size_t k = 0; k < parts.size() && all; ++k) {
        all = name_word_matches(words[i + k], parts[k]);
      }
      if (all) {
        out.push_back({i, parts.size(), name});
        break;
      }
    }
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const Mention& a, const Mention& b) { return a.at < b.at; });
  return out;
}

std::vector<std::string> names_of(const std::vector<Mention>& found) {
  std::vector<std::string> out;
  for (const auto& m : found) {
    out.push_back(m.name);
  }
  return out;
}

bool any_word(const Words& words, std::initializer_list<const char*> list) {
  return std::any_of(words.begin(), words.end(), [&](const std::string& w) {
    return std::any_of(list.begin(), list.end(), [&](const char* k) { return w == k; });
  });
}

bool says_compare(const Words& w) {
  return any_word(w, {"vs", "versus", "v", "against", "compare", "compared", "comparing",
                      "comparison", "contrast", "than", "differ", "differs", "difference",
                      "differences", "different", "differently", "separates", "between"}) ||
         has_phrase(w, "side by side") || has_phrase(w, "stack up");
}

// Provinces, with a few common abbreviations.
std::vector<Mention> province_mentions(const Words& words, const ops::Domains& d) {
  std::vector<Mention> found = mentions(words, d.province);
  const std::vector<std::pair<const char*, const char*>> abbreviations = {
      {"bc", "British Columbia"}, {"qc", "Quebec"}, {"pei", "Prince Edward Island"}};
  for (const auto& [abbreviation, name] : abbreviations) {
    const auto it = std::find(words.begin(), words.end(), abbreviation);
    const bool known = std::find(d.province.begin(), d.province.end(), name) != d.province.end();
    const bool listed =
        std::any_of(found.begin(), found.end(), [&](const Mention& m) { return m.name == name; });
    if (it != words.end() && known && !listed) {
      found.push_back({static_cast<std::size_t>(it - words.begin()), 1, name});
    }
  }
  std::stable_sort(found.begin(), found.end(),
                   [](const Mention& a, const Mention& b) { return a.at < b.at; });
  return found;
}

// Segments. "at risk", "loyal" and "potential" are also everyday words: they count as names
// when written as names ("At Risk"), beside "segment", or beside another segment named in a
// comparison.
std::vector<std::string> segment_names(const std::string& question, const Words& words,
                                       const ops::Domains& d, bool compare) {
  Words aliased = words;
  std::replace(aliased.begin(), aliased.end(), std::string("champs"), std::string("champions"));
  const auto found = mentions(aliased, d.rfm_segment);
  const bool says_segment = has_phrase(words, "segment");
  const auto strong = std::count_if(found.begin(), found.end(), [](const Mention& m) {
    return m.name == "Champions" || m.name == "Dormant";
  });
  std::vector<std::string> out;
  for (const auto& m : found) {
    const bool everyday = m.name == "At Risk" || m.name == "Loyal" || m.name == "Potential";
    const bool beside_other = compare && found.size() >= 2 && strong > 0;
    if (!everyday || says_segment || beside_other || question.find(m.name) != std::string::npos ||
        capitalised(question, m.at)) {
      out.push_back(m.name);
    }
  }
  return out;
}

// Cards. A card name inside a province ("Nova Scotia") is not a card; "star" counts when
// written as a name, beside "card" or "tier", or with another card.
std::vector<std::string> card_names(const std::string& question, const Words& words,
                                    const ops::Domains& d, const std::vector<Mention>& provinces) {
  std::vector<Mention> found;
  for (const auto& m : mentions(words, d.loyalty_card)) {
    const bool inside_province =
        std::any_of(provinces.begin(), provinces.end(),
                    [&](const auto& p) { return m.at >= p.at && m.at < p.at + p.length; });
    if (!inside_province) {
      found.push_back(m);
    }
  }
  const bool says_card =
      any_word(words, {"card", "cards", "cardholder", "cardholders", "tier", "tiers", "holders"});
  std::vector<std::string> out;
  for (const auto& m : found) {
    if (says_card || found.size() >= 2 || question.find(m.name) != std::string::npos) {
      out.push_back(m.name);
    }
  }
  return out;
}

void add_unique(std::vector<std::string>& list, const std::string& value) {
  if (std::find(list.begin(), list.end(), value) == list.end()) {
    list.push_back(value);
  }
}

// Genders by their everyday words, in order of mention, when the data holds them.
std::vector<std::string> gender_names(const Words& words, const ops::Domains& d) {
  static const std::set<std::string> female = {"women",   "woman",  "female",
                                               "females", "ladies", "girls"};
  static const std::set<std::string> male = {"men", "man", "male", "males", "guys", "gentlemen"};
  std::vector<std::string> out;
  for (const auto& w : words) {
    const char* g = female.count(w) ? "Female" : male.count(w) ? "Male" : nullptr;
    if (g != nullptr && std::find(d.gender.begin(), d.gender.end(), g) != d.gender.end()) {
      add_unique(out, g);
    }
  }
  return out;
}

std::vector<std::string> clv_tier_names(const Words& w) {
  std::vector<std::pair<std::size_t, std::string>> found;
  const auto find = [&](const char* phrase, const char* tier) {
    if (const auto at = find_phrase(w, words_of(phrase))) {
      found.emplace_back(*at, tier);
    }
  };
  for (const char* p :
       {"high value", "high clv", "valuable", "big spenders", "rich", "high-value"}) {
    find(p, "High");
  }
  for (const char* p : {"low value", "low clv", "cheap", "low lifetime", "low-value"}) {
    find(p, "Low");
  }
  for (const char* p : {"medium value", "mid value", "medium clv"}) {
    find(p, "Medium");
  }
  std::sort(found.begin(), found.end());
  std::vector<std::string> out;
  for (const auto& [at, tier] : found) {
    add_unique(out, tier);
  }
  return out;
}

std::vector<std::string> tenure_group_names(const Words& w) {
  std::vector<std::pair<std::size_t, std::string>> found;
  const auto find = [&](std::initializer_list<const char*> phrases, const char* group) {
    for (const char* p : phrases) {
      if (const auto at = find_phrase(w, words_of(p))) {
        found.emplace_back(*at, group);
      }
    }
  };
  find({"new members",
        "newer",
        "newest",
        "new ones",
        "new people",
        "new ppl",
        "recent joiners",
        "joined recently",
        "newcomers",
        "newbies",
        "newbie",
        "new joiners",
        "first year",
        "just joined",
        "recently",
        "new customers",
        "new recruits",
        "recent sign ups",
        "first twelve months",
        "first 12 months",
        "first months",
        "first six months",
        "first few months",
        "early months",
        "new sign ups",
        "recent signups"},
       kNewer);
  find({"long standing", "longstanding", "veterans", "veteran", "old timers", "oldtimers",
        "long time", "for years", "tenured", "established", "older members", "long term",
        "with us longer", "members longer", "old members", "longtime", "loyal for years"},
       kLongStanding);
  std::sort(found.begin(), found.end());
  std::vector<std::string> out;
  for (const auto& [at, group] : found) {
    add_unique(out, group);
  }
  return out;
}

// Enrollment years ("the 2016 joiners"): four digits from 2000 to 2039, not after a word that
// makes them a loyalty number or an amount.
std::vector<int> years_in(const Words& words) {
  std::vector<int> out;
  for (std::size_t i = 0; i < words.size(); ++i) {
    const std::string& w = words[i];
    const bool year = w.size() == 4 && (w.rfind("20", 0) == 0) &&
                      std::all_of(w.begin(), w.end(), [](char c) { return std::isdigit(c); }) &&
                      w[2] <= '3';
    const bool amount = i > 0 && (words[i - 1] == "cad" || words[i - 1] == "budget" ||
                                  words[i - 1] == "member" || words[i - 1] == "number");
    if (year && !amount) {
      out.push_back(std::stoi(w));
    }
  }
  return out;
}

}  // namespace

// Defined in slot_shape.cc: time words, audience, question shape.
void read_time_words(const Words& words, Slots& slots);
void read_audience(const Words& words, bool who_opens_clause, Slots& slots);
void read_shape(const Words& words, Slots& slots);
std::optional<std::int64_t> loyalty_number_in(const Words& words);
std::optional<std::int64_t> bare_member_number(const std::string& question, const Words& words);

namespace {

// The words the slot rules read, typos corrected: "Whih members", "memmber 123456".
Words corrected_words(const std::string& question) {
  static const std::vector<std::string> vocabulary = {
      "which",         "members",      "member",     "customers",  "customer", "people",
      "clients",       "cardholders",  "loyalty",    "number",     "account",  "profile",
      "passenger",     "passengers",   "flyers",     "travellers", "segments", "segment",
      "provinces",     "province",     "regions",    "region",     "kinds",    "types",
      "groups",        "categories",   "budget",     "campaign",   "contact",  "individuals",
      "individual",    "specific",     "versus",     "compare",    "between",  "highest",
      "riskiest",      "likeliest",    "lowest",     "cancel",     "churn",    "names",
      "cancellations", "cancellation", "cancelling", "churning",   "leaving",  "quitting",
      "leave",         "months",       "month",      "twelve"};
  Words out;
  for (const auto& w : words_of(question)) {
    std::string best = w;
    const bool plausible = w.size() >= 4 && std::isalpha(static_cast<unsigned char>(w[0]));
    const auto in_vocabulary = [&](const std::string& x) {
      return std::find(vocabulary.begin(), vocabulary.end(), x) != vocabulary.end();
    };
    // A plural of a known word is not a typo of it ("accounts").
    const bool known =
        in_vocabulary(w) || (w.back() == 's' && in_vocabulary(w.substr(0, w.size() - 1)));
    std::size_t best_distance = 3;
    if (plausible && !known) {
      for (const auto& v : vocabulary) {
        const std::size_t allowed = v.size() >= 8 ? 2 : 1;
        const bool near_length = w.size() + allowed >= v.size() && w.size() <= v.size() + allowed;
        // Four-letter words only towards "which" ("whih"): "that" is not "what".
        const bool eligible = (w.size() >= 5 || v == "which") && w[0] == v[0] && near_length;
        const std::size_t d = eligible ? edit_distance(w, v) : 99;
        if (d <= allowed && d < best_distance) {
          best = v;
          best_distance = d;
        }
      }
    }
    out.push_back(best);
  }
  return out;
}

}  // namespace

// The question with the words of an amount a swap of two letters away put right ("25 tohusand
// dollars", "40 grnad"), for the amount readers, which read the text as written.
std::string amount_words_corrected(std::string question) {
  static const std::vector<std::string> scales = {"thousand", "million", "grand", "dollars",
                                                  "bucks"};
  for (std::size_t i = 0; i < question.size();) {
    if (!std::isalpha(static_cast<unsigned char>(question[i]))) {
      ++i;
      continue;
    }
    std::size_t n = 0;
    while (i + n < question.size() && std::isalpha(static_cast<unsigned char>(question[i + n]))) {
      ++n;
    }
    std::string word = question.substr(i, n);
    std::transform(word.begin(), word.end(), word.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    for (const auto& scale : scales) {
      if (word != scale && word.size() == scale.size() && edit_distance(word, scale) == 1 &&
          std::is_permutation(word.begin(), word.end(), scale.begin())) {
        question.replace(i, n, scale);
        break;
      }
    }
    i += n;
  }
  return question;
}

Slots SlotFiller::fill(const std::string& written) const {
  const std::string question = amount_words_corrected(written);
  const Words words = corrected_words(question);
  Slots s;
  s.compare = says_compare(words);
  const auto provinces = province_mentions(words, domains_);
  s.provinces = names_of(provinces);
  s.segments = segment_names(question, words, domains_, s.compare || any_word(words, {"or"}));
  s.cards = card_names(question, words, domains_, provinces);
  s.genders = gender_names(words, domains_);
  s.clv_tiers = clv_tier_names(words);
  s.tenure_groups = tenure_group_names(words);
  s.years = years_in(words);
  s.top_n = top_n_in(words);
  s.budget_cad = budget_in(question);
  s.cost_per_contact_cad = cost_per_contact_in(question);
  // A percentage is a save rate beside words of saving or a campaign ("a 20% save rate"), not
  // in "churn probability above 50%".
  if (any_word(words, {"save", "saves", "saving", "saved", "success", "succeed", "convert",
                       "conversion", "campaign", "budget", "outreach", "retain", "keep"})) {
    s.save_rate = percent_in(question);
  }
  s.loyalty_number = loyalty_number_in(words);
  if (!s.loyalty_number && !s.budget_cad && !s.cost_per_contact_cad && !s.top_n) {
    s.loyalty_number = bare_member_number(question, words);
  }
  read_time_words(words, s);
  // "...; who do we call?": "who" opening a clause asks for members ("members who stop flying"
  // does not).
  static const std::regex who_opens(R"((^|[.;:?!,]\s*)who('s)?\b)", std::regex::icase);
  read_audience(words, std::regex_search(question, who_opens), s);
  read_shape(words, s);
  // "Champions or Loyal?", "what distinguishes Champions from Dormant": two of one kind named
  // are compared.
  const bool two = s.segments.size() >= 2 || s.provinces.size() >= 2 || s.cards.size() >= 2 ||
                   s.genders.size() >= 2 || s.clv_tiers.size() >= 2 || s.tenure_groups.size() >= 2;
  s.compare = s.compare || two;
  return s;
}

}  // namespace aa::analyst
