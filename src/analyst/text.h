#pragma once
// Words of a question and forgiving matches between them: the small text tools the slot
// filler, the ranker and the planner share.

#include <optional>
#include <string>
#include <vector>

namespace aa::analyst {

// Lower-case words of a text, punctuation dropped ("at-risk" -> "at", "risk").
std::vector<std::string> words_of(const std::string& text);
// Edit distance with adjacent transpositions counted as one edit (optimal string alignment).
std::size_t edit_distance(const std::string& a, const std::string& b);
// The same when it is at most `limit`; otherwise some number above `limit` (it stops early).
std::size_t edit_distance_within(const std::string& a, const std::string& b, std::size_t limit);
// Whether a word of the question stands for `keyword`: the same, a longer form of it (churn ->
// churning), or one typo away when both are long enough (two when both have nine letters or more).
bool word_matches(const std::string& word, const std::string& keyword);
// Where the phrase `keyword` (words) occurs in `words` (index of its first word), if it does.
std::optional<std::size_t> find_phrase(const std::vector<std::string>& words,
                                       const std::vector<std::string>& keyword);
// Whether `words` holds the phrase (words separated by spaces in `phrase`).
bool has_phrase(const std::vector<std::string>& words, const std::string& phrase);

}  // namespace aa::analyst
