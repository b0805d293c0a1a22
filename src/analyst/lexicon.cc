#include "analyst/lexicon.h"

#include <algorithm>

#include "analyst/text.h"

namespace aa::analyst {

namespace {

const std::unordered_set<std::string>& stop_words() {
  static const std::unordered_set<std::string> words = {
      "a",      "an",        "the",       "of",        "to",    "in",    "on",    "for",
      "and",    "or",        "is",        "are",       "was",   "were",  "be",    "been",
      "being",  "do",        "does",      "did",       "our",   "we",    "us",    "me",
      "my",     "i",         "you",       "your",      "it",    "its",   "this",  "that",
      "these",  "those",     "there",     "their",     "them",  "they",  "with",  "by",
      "at",     "from",      "as",        "please",    "pls",   "can",   "could", "would",
      "should", "will",      "shall",     "have",      "has",   "had",   "get",   "got",
      "give",   "show",      "tell",      "let",       "s",     "any",   "some",  "so",
      "just",   "about",     "into",      "then",      "what",  "whats", "which", "r",
      "u",      "ur",        "im",        "ive",       "id",    "d",     "ll",    "re",
      "ve",     "t",         "am",        "if",        "one",   "now",   "also",  "up",
      "out",    "here",      "really",    "actually",  "need",  "want",  "like",  "know",
      "see",    "look",      "put",       "gonna",     "wanna", "hey",   "hi",    "ok",
      "okay",   "usually",   "typically", "generally", "often", "tend",  "tends", "very",
      "right",  "currently", "basically"};
  return words;
}

// Everyday words the corrector must leave alone: a question's "makes" is not a typo of "males".
const std::unordered_set<std::string>& everyday_words() {
  static const std::unordered_set<std::string> words = {
      "make",    "makes",     "made",     "making",    "come",   "comes",   "came",    "bring",
      "brings",  "thing",     "things",   "doing",     "done",   "going",   "goes",    "gone",
      "take",    "takes",     "took",     "keep",      "keeps",  "kept",    "find",    "found",
      "think",   "thinks",    "mean",     "means",     "work",   "works",   "working", "happen",
      "happens", "change",    "changed",  "changes",   "time",   "times",   "today",   "week",
      "weeks",   "night",     "game",     "games",     "world",  "weather", "price",   "share",
      "shares",  "stock",     "poem",     "write",     "book",   "flight",  "hockey",  "password",
      "reset",   "french",    "sentence", "translate", "hello",  "there",   "where",   "whose",
      "after",   "before",    "since",    "until",     "while",  "about",   "above",   "below",
      "their",   "these",     "those",    "other",     "others", "every",   "anyone",  "someone",
      "people",  "person",    "place",    "places",    "point",  "points",  "start",   "stop",
      "stops",   "stopped",   "more",     "most",      "less",   "least",   "much",    "many",
      "first",   "last",      "next",     "best",      "worst",  "better",  "worse",   "still",
      "again",   "really",    "right",    "wrong",     "sure",   "good",    "great",   "small",
      "large",   "big",       "long",     "short",     "high",   "highest", "low",     "lowest",
      "same",    "different", "last",     "year",      "years",  "month",   "months",  "quarter",
      "tell",    "give",      "show",     "list",      "look",   "team",    "teams",   "call",
      "calls",   "line",      "lines",    "back",      "front",  "side",    "sides",   "part",
      "whole",   "total",     "number",   "numbers",   "figure", "money",   "spend",   "cost",
      "costs",   "rate",      "rates",    "each",      "both",   "either",  "neither", "most",
      "mail",    "email",     "phone",    "name",      "names",  "male",    "males",   "female",
      "clear",   "board",     "fine",     "plan",      "plane",  "planes",  "seat",    "seats",
      "sale",    "sales",     "ticket",   "tickets",   "cheap",  "rich",    "care",    "cares",
      "where",   "worth",     "word",     "words",     "story",  "table",   "tables",  "field",
      "fields",  "capital",   "city",     "cities",    "state",  "states",  "route",   "routes",
      "happy",   "unhappy",   "angry",    "stay",      "stays",  "staying", "leave",   "leaves"};
  return words;
}

}  // namespace

std::string stem(const std::string& word) {
  std::string w = word;
  const auto ends = [&](const char* s) {
    const std::string t = s;
    return w.size() > t.size() && w.compare(w.size() - t.size(), t.size(), t) == 0;
  };
  if (w.size() > 4 && ends("ies")) {
    w = w.substr(0, w.size() - 3) + "y";
  } else if (w.size() > 4 && ends("sses")) {
    w = w.substr(0, w.size() - 2);
  } else if (w.size() > 3 && ends("s") && !ends("ss") && !ends("us") && !ends("is")) {
    w.pop_back();
  }
  if (w.size() > 5 && ends("ing")) {
    w = w.substr(0, w.size() - 3);
  } else if (w.size() > 4 && ends("ed")) {
    w = w.substr(0, w.size() - 2);
  } else if (w.size() > 5 && ends("ly")) {
    w = w.substr(0, w.size() - 2);
  }
  if (w.size() > 4 && w.back() == 'e') {
    w.pop_back();
  }
  if (w.size() > 4 && w[w.size() - 1] == w[w.size() - 2] && w.back() != 's') {
    w.pop_back();
  }
  return w;
}

Lexicon::Lexicon(const std::vector<std::pair<std::string, std::string>>& synonyms) {
  for (const auto& [word, canonical] : synonyms) {
    if (const auto w = words_of(word); w.size() > 1) {
      phrases_.emplace_back(w, canonical);
      learn(word);
      learn(canonical);
      continue;
    }
    synonyms_[word] = canonical;
    stem_synonyms_.emplace(stem(word), canonical);
    learn(word);
    learn(canonical);
  }
  std::stable_sort(phrases_.begin(), phrases_.end(),
                   [](const auto& a, const auto& b) { return a.first.size() > b.first.size(); });
}

std::vector<std::string> Lexicon::phrases_mapped(const std::vector<std::string>& words) const {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < words.size();) {
    std::size_t taken = 0;
    for (const auto& [phrase, canonical] : phrases_) {
      if (i + phrase.size() <= words.size() &&
          std::equal(phrase.begin(), phrase.end(), words.begin() + static_cast<long>(i))) {
        out.push_back(canonical);
        taken = phrase.size();
        break;
      }
    }
    if (taken == 0) {
      out.push_back(words[i]);
      taken = 1;
    }
    i += taken;
  }
  return out;
}

void Lexicon::learn(const std::string& text) {
  for (const auto& w : words_of(text)) {
    if (known_.insert(w).second) {
      known_list_.push_back(w);
    }
  }
}

std::string Lexicon::canonical(const std::string& word) const {
  const auto it = synonyms_.find(word);
  return it == synonyms_.end() ? word : it->second;
}

std::string Lexicon::term_of(const std::string& word) const {
  if (stop_words().count(word)) {
    return "";
  }
  const std::string mapped = canonical(word);
  if (mapped != word) {
    return stem(mapped);
  }
  // A form the table does not list ("cancellations"): the synonym of its stem.
  const std::string s = stem(word);
  const auto it = stem_synonyms_.find(s);
  return it == stem_synonyms_.end() ? s : stem(it->second);
}

std::string Lexicon::corrected(const std::string& word) const {
  if (word.size() < 5 || known_.count(word) || stop_words().count(word) ||
      everyday_words().count(word)) {
    return word;
  }
  const std::size_t allowed = word.size() >= 7 ? 2 : 1;
  // A word keeps its first letter: "sing" is not a typo of "spend", "fraction" not of
  // "inaction".
  std::string best = word;
  std::size_t best_distance = allowed + 1;
  for (const auto& k : known_list_) {
    const std::size_t gap =
        k.size() > word.size() ? k.size() - word.size() : word.size() - k.size();
    if (k.size() < 4 || gap > allowed || k[0] != word[0]) {
      continue;
    }
    const std::size_t d = edit_distance_within(word, k, allowed);
    if (d < best_distance) {
      best = k;
      best_distance = d;
    }
  }
  return best;
}

std::vector<std::string> Lexicon::terms(const std::string& text) const {
  std::vector<std::string> out;
  for (const auto& w : phrases_mapped(words_of(text))) {
    if (std::string t = term_of(w); !t.empty()) {
      out.push_back(std::move(t));
    }
  }
  return out;
}

std::vector<std::string> Lexicon::query_terms(const std::string& text) const {
  std::vector<std::string> corrected_words;
  for (const auto& w : words_of(text)) {
    corrected_words.push_back(corrected(w));
  }
  std::vector<std::string> out;
  for (const auto& w : phrases_mapped(corrected_words)) {
    if (std::string t = term_of(w); !t.empty()) {
      out.push_back(std::move(t));
    }
  }
  return out;
}

}  // namespace aa::analyst
