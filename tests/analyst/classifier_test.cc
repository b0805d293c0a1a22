// The question classifier (analyst/classifier.h) on hand-made cases: it separates what its
// examples separate, reads character n-grams (a misspelling it never saw), learns nothing from
// skipped examples, and counts a question of two labels for both. And the planner's bounded
// edit distance agrees with the whole table within its limit.

#include "analyst/classifier.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "analyst/text.h"

namespace aa::test {
namespace {

using analyst::Classifier;

std::vector<Classifier::Example> weather_and_money() {
  return {
      {"a", {0}, "Will it rain tomorrow?"},       {"a", {0}, "Is it going to rain today"},
      {"a", {0}, "how much rain this weekend"},   {"a", {0}, "rain forecast for the week"},
      {"b", {1}, "What is our revenue?"},         {"b", {1}, "revenue by quarter please"},
      {"b", {1}, "how much revenue did we make"}, {"b", {1}, "show the revenue figures"},
  };
}

std::size_t best(const std::vector<double>& scores) {
  return static_cast<std::size_t>(std::max_element(scores.begin(), scores.end()) - scores.begin());
}

TEST(Classifier, SeparatesWhatItsExamplesSeparate) {
  const Classifier c(weather_and_money(), 2);
  EXPECT_TRUE(c.covers(0));
  EXPECT_TRUE(c.covers(1));
  EXPECT_EQ(best(c.scores("rain on friday?")), 0u);
  EXPECT_EQ(best(c.scores("what revenue this year")), 1u);
  // A misspelling no example holds still shares its character n-grams with the right word.
  EXPECT_EQ(best(c.scores("revenu last year")), 1u);
  EXPECT_EQ(best(c.scores("rainn next week")), 0u);
  // The words both sides share ("how much") decide nothing; the decision values say which side.
  const auto both = c.scores("how much revenue");
  EXPECT_GT(both[1], 0);
  EXPECT_LT(both[0], 0);
}

TEST(Classifier, SkippedExamplesTeachNothing) {
  auto examples = weather_and_money();
  examples.push_back({"c", {2}, "who won the hockey game"});
  const Classifier all(examples, 3);
  EXPECT_TRUE(all.covers(2));
  EXPECT_EQ(best(all.scores("who won the game")), 2u);
  std::vector<char> skip(examples.size(), 0);
  skip.back() = 1;
  const Classifier without(examples, 3, skip);
  EXPECT_FALSE(without.covers(2));
  EXPECT_NE(best(without.scores("who won the game")), 2u);
}

TEST(Classifier, AQuestionOfSeveralLabelsCountsForEach) {
  auto examples = weather_and_money();
  examples.push_back({"d", {0, 1}, "revenue lost to rain"});
  const Classifier c(examples, 2);
  const auto s = c.scores("revenue lost to rain");
  EXPECT_GT(s[0], 0);
  EXPECT_GT(s[1], 0);
}

// The optimal string alignment distance by the whole table, written here independently.
std::size_t reference_distance(const std::string& a, const std::string& b) {
  std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i) {
    for (std::size_t j = 0; j <= b.size(); ++j) {
      if (i == 0 || j == 0) {
        d[i][j] = i + j;
        continue;
      }
      d[i][j] = std::min(
          {d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0u : 1u)});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.size()][b.size()];
}

TEST(EditDistance, TheBoundedDistanceAgreesWithTheWholeTableWithinItsLimit) {
  const std::vector<std::string> words = {
      "",         "a",         "churn",    "chrun",   "churning", "cancellation", "cancelation",
      "province", "provinces", "provnice", "segment", "segmnet"};
  for (const auto& a : words) {
    for (const auto& b : words) {
      const std::size_t full = reference_distance(a, b);
      EXPECT_EQ(analyst::edit_distance(a, b), full) << a << " " << b;
      for (std::size_t limit = 0; limit <= 3; ++limit) {
        const std::size_t bounded = analyst::edit_distance_within(a, b, limit);
        if (full <= limit) {
          EXPECT_EQ(bounded, full) << a << " " << b << " " << limit;
        } else {
          EXPECT_GT(bounded, limit) << a << " " << b << " " << limit;
        }
      }
    }
  }
  EXPECT_EQ(analyst::edit_distance("chrun", "churn"), 1u);  // a transposition is one edit
  EXPECT_EQ(analyst::edit_distance("provnice", "province"), 1u);
  EXPECT_EQ(analyst::edit_distance("", "abc"), 3u);
}

}  // namespace
}  // namespace aa::test
