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
  return edit_distance_within(a, b, std::max(a.size(), b.size()));
}

std::size_t edit_distance_within(const std::string& a, const std::string& b, std::size_t limit) {
  // Three rows of the table (the transposition reads two rows back), kept between calls: the
  // planner compares every word of a question with its vocabulary.
  thread_local std::vector<std::size_t> rows[3];
  const std::size_t n = b.size() + 1;
  for (auto& r : rows) {
    r.resize(n);
  }
  std::size_t* before = rows[0].data();  // row i - 2
  std::size_t* prev = rows[1].data();    // row i - 1
  std::size_t* cur = rows[2].data();     // row i
  for (std::size_t j = 0; j < n; ++j) {
    prev[j] = j;
  }
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    std::size_t lowest = cur[0];
    for (std::size_t j = 1; j < n; ++j) {
      cur[j] =
          std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        cur[j] = std::min(cur[j], before[j - 2] + 1);
      }
      lowest = std::min(lowest, cur[j]);
    }
    // Every path continues through this row or the one before it (a transposition): when both
    // exceed the limit, so does the distance.
    if (lowest > limit && i > 1 && *std::min_element(prev, prev + n) > limit) {
      return limit + 1;
    }
    std::size_t* spare = before;
    before = prev;
    prev = cur;
    cur = spare;
  }
  return prev[n - 1];
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
    // Lengths further apart than the edits allowed cannot match (the plural adds a letter).
    if (word.size() + allowed < keyword.size() || word.size() > keyword.size() + 1 + allowed) {
      return false;
    }
    return edit_distance_within(word, keyword, allowed) <= allowed ||
           edit_distance_within(word, keyword + "s", allowed) <= allowed;
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
