// The question classifier (analyst/classifier.h) on hand-made cases: it separates what its
// examples separate, reads character n-grams (a misspelling it never saw), learns nothing from
// skipped examples, and is deterministic. And the bounded edit distance it shares with the
// planner agrees with the full one.

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

TEST(Classifier, LearnsTheSameScorersEveryTime) {
  const Classifier a(weather_and_money(), 2);
  const Classifier b(weather_and_money(), 2);
  EXPECT_EQ(a.scores("revenue and rain"), b.scores("revenue and rain"));
}

TEST(Classifier, AQuestionOfSeveralLabelsCountsForEach) {
  auto examples = weather_and_money();
  examples.push_back({"d", {0, 1}, "revenue lost to rain"});
  const Classifier c(examples, 2);
  const auto s = c.scores("revenue lost to rain");
  EXPECT_GT(s[0], 0);
  EXPECT_GT(s[1], 0);
}

TEST(EditDistance, TheBoundedDistanceAgreesWithTheFullOneWithinItsLimit) {
  const std::vector<std::string> words = {
      "",         "a",         "churn",    "chrun",   "churning", "cancellation", "cancelation",
      "province", "provinces", "provnice", "segment", "segmnet"};
  for (const auto& a : words) {
    for (const auto& b : words) {
      const std::size_t full = analyst::edit_distance(a, b);
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
