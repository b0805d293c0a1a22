// Kaplan-Meier against a case computed by hand.

#include "ops/survival.h"

#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>

namespace aa::ops {
namespace {

// Six members; F enters late, at tenure 3.
//   A: 0..2 cancels   B: 0..3 censored   C: 1..3 cancels
//   D: 2..5 cancels   E: 0..1 censored   F: 3..4 cancels
// t  at risk          events  S(t)
// 0  A B E        3   0       1
// 1  A B E C      4   0       1
// 2  A B C D      4   1 (A)   3/4            = 0.75
// 3  B C D F      4   1 (C)   0.75 * 3/4     = 0.5625
// 4  D F          2   1 (F)   0.5625 * 1/2   = 0.28125
// 5  D            1   1 (D)   0
std::vector<SurvivalSubject> hand_case() {
  return {{0, 2, true, 1}, {0, 3, false, 1}, {1, 3, true, 1},
          {2, 5, true, 1}, {0, 1, false, 1}, {3, 4, true, 1}};
}

TEST(KaplanMeier, MatchesTheHandComputedCaseWithLateEntry) {
  const SurvivalCurve curve = kaplan_meier(hand_case());
  ASSERT_EQ(curve.points.size(), 6u);
  const std::int64_t at_risk[] = {3, 4, 4, 4, 2, 1};
  const std::int64_t events[] = {0, 0, 1, 1, 1, 1};
  const std::int64_t censored[] = {0, 1, 0, 1, 0, 0};
  const double survival[] = {1, 1, 0.75, 0.5625, 0.28125, 0};
  for (std::size_t t = 0; t < 6; ++t) {
    SCOPED_TRACE(t);
    EXPECT_EQ(curve.points[t].time, static_cast<int>(t));
    EXPECT_EQ(curve.points[t].at_risk, at_risk[t]);
    EXPECT_EQ(curve.points[t].events, events[t]);
    EXPECT_EQ(curve.points[t].censored, censored[t]);
    EXPECT_DOUBLE_EQ(curve.points[t].survival, survival[t]);
  }
  EXPECT_EQ(curve.subjects, 6);
  EXPECT_EQ(curve.events, 4);
  EXPECT_EQ(curve.median, 4);  // first time S <= 0.5: 0.28125 at t = 4 (0.5625 at t = 3)
  // Greenwood at t = 3: 1/(4*3) + 1/(4*3) = 1/6; half-width 1.96 * 0.5625 * sqrt(1/6).
  const double half = 1.959963984540054 * 0.5625 * std::sqrt(1.0 / 6);
  EXPECT_NEAR(curve.points[3].ci_low, 0.5625 - half, 1e-12);
  EXPECT_EQ(curve.points[3].ci_high, 1.0);  // 0.5625 + half = 1.0126, clipped
  EXPECT_EQ(curve.at(3), 0.5625);
  EXPECT_EQ(curve.at(9), std::nullopt);
}

TEST(KaplanMeier, WithoutLateEntryTheRiskSetsDiffer) {
  auto subjects = hand_case();
  subjects[5].entry = 0;  // F followed from enrollment
  const SurvivalCurve curve = kaplan_meier(subjects);
  // t=2: A B C D F at risk (5), A cancels: 0.8; t=3: B C D F (4), C: 0.6; t=4: D F, F: 0.3.
  EXPECT_DOUBLE_EQ(curve.points[2].survival, 0.8);
  EXPECT_DOUBLE_EQ(curve.points[3].survival, 0.8 * 0.75);
  EXPECT_DOUBLE_EQ(curve.points[4].survival, 0.8 * 0.75 * 0.5);
  EXPECT_EQ(curve.median, 4);
}

TEST(KaplanMeier, CountsWeighLikeRepeatedSubjects) {
  auto doubled = hand_case();
  for (auto& s : doubled) {
    s.count = 2;
  }
  const SurvivalCurve one = kaplan_meier(hand_case());
  const SurvivalCurve two = kaplan_meier(doubled);
  for (std::size_t t = 0; t < one.points.size(); ++t) {
    EXPECT_EQ(two.points[t].at_risk, 2 * one.points[t].at_risk);
    EXPECT_DOUBLE_EQ(two.points[t].survival, one.points[t].survival);
  }
}

TEST(KaplanMeier, EmptyAndInvalidInput) {
  EXPECT_TRUE(kaplan_meier({}).points.empty());
  EXPECT_THROW(kaplan_meier({{3, 2, true, 1}}), std::logic_error);
}

}  // namespace
}  // namespace aa::ops
