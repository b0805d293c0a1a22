#include "analyst/text.h"

#include <algorithm>
#include <cctype>

namespace aa::analyst {

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
    const std::size_t allowed = keyword.size() >= 9 && word.size() >= 9 ? 2 : 1;
    return edit_distance(word, keyword) <= allowed || edit_distance(word, keyword + "s") <= allowed;
  }
  return false;
}

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

bool has_phrase(const std::vector<std::string>& words, const std::string& phrase) {
  return find_phrase(words, words_of(phrase)).has_value();
}

}  // namespace aa::analyst
