#pragma once
// Normalising words for the ranker: stop words dropped, a light stemmer (churning -> churn,
// categories -> category), synonyms mapped to one word (quit, leave, cancel -> churn), and
// typos in a question corrected to the nearest word the ranker knows.

#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

namespace aa::analyst {

class Lexicon {
 public:
  // `synonyms`: word or phrase -> the word it stands for (both as written, lower case).
  explicit Lexicon(const std::vector<std::pair<std::string, std::string>>& synonyms);
  // The terms of a text: stemmed, synonyms mapped, stop words dropped.
  std::vector<std::string> terms(const std::string& text) const;
  // As terms(), but each unknown word of five letters or more is first corrected to the nearest
  // known word with the same first letter (one edit, two from eight letters), when one is that
  // near.
  std::vector<std::string> query_terms(const std::string& text) const;
  // The word, corrected as query_terms() corrects it (the word itself when it is known, short
  // or nothing known is near enough).
  std::string corrected(const std::string& word) const;
  // Words the corrector may correct towards (the index's words as written).
  void learn(const std::string& text);
  // The canonical synonym of a word ("ring" -> "call"), the word itself otherwise.
  std::string canonical(const std::string& word) const;
  // The words with every synonym phrase ("walk out the door", "do nothing") replaced by the
  // word it stands for; other words as they are.
  std::vector<std::string> phrases_mapped(const std::vector<std::string>& words) const;

 private:
  std::string term_of(const std::string& word) const;  // "" for a stop word
  std::unordered_map<std::string, std::string> synonyms_;
  // Synonyms of several words, longest first: words -> the word they stand for.
  std::vector<std::pair<std::vector<std::string>, std::string>> phrases_;
  std::unordered_map<std::string, std::string> stem_synonyms_;  // stem of a word -> canonical
  std::unordered_set<std::string> known_;
  std::vector<std::string> known_list_;
};

// The light stemmer: plural -s/-es/-ies, -ing, -ed, -ly, a final -e, a doubled final letter.
std::string stem(const std::string& word);

}  // namespace aa::analyst
