// The cancellation hazard by tenure month and its spike rule, against cases computed by hand.
#include "model/tenure_hazard.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <stdexcept>

namespace aa {
namespace {

// last month index 5. Followed members, and the tenure at which they leave observation:
//   A  4 enrolled 0, cancel 2        exit 2, cancelled
//   B  2 enrolled 0, still members   exit 5 (the data's end)
//   C  3 enrolled 3, still members   exit 2
//   D  1 enrolled 3, cancels at 3    exit 0, cancelled
//   E  1 enrolled 4, cancels at 7    exit 1: after the data's end, censored there
// Not followed: F enrolled at 6 (after the data's end), G cancelled before enrolling.
// k  at risk                events  hazard
// 0  A B C D E  = 11        1 (D)   1/11
// 1  A B C E    = 10        0       0
// 2  A B C      =  9        4 (A)   4/9
// 3  B          =  2        0
// 4  B          =  2        0
// 5  B          =  2        0
std::vector<model::EnrollmentCount> tiny_table() {
  return {{0, 2, 4},              // A
          {0, std::nullopt, 2},   // B
          {3, std::nullopt, 3},   // C
          {3, 3, 1},              // D
          {4, 7, 1},              // E
          {6, std::nullopt, 1},   // F
          {5, 4, 1},              // G
          {1, std::nullopt, 0}};  // nobody
}

TEST(TenureHazard, CountsAtRiskEventsAndHazardWithCensoringAtTheDataEnd) {
  const auto counts = tiny_table();
  const model::TenureHazard t = model::tenure_hazard(counts, 5);
  ASSERT_EQ(t.months.size(), 6u);
  const std::int64_t at_risk[] = {11, 10, 9, 2, 2, 2};
  const std::int64_t events[] = {1, 0, 4, 0, 0, 0};
  for (std::size_t k = 0; k < 6; ++k) {
    SCOPED_TRACE(k);
    EXPECT_EQ(t.months[k].tenure_months, static_cast<int>(k));
    EXPECT_EQ(t.months[k].at_risk, at_risk[k]);
    EXPECT_EQ(t.months[k].events, events[k]);
    EXPECT_DOUBLE_EQ(t.months[k].hazard, double(events[k]) / double(at_risk[k]));
  }
  EXPECT_EQ(t.members, 11);
  EXPECT_EQ(t.cancellations, 5);
  EXPECT_EQ(t.cancellations_after_data_end, 1);
  EXPECT_EQ(t.excluded_members, 2);
  EXPECT_EQ(t.max_follow_up_months, 5);
  // Month 2's 95% Wilson interval for 4/9: centre (4/9 + z^2/18) / (1 + z^2/9) = 0.461063,
  // half-width z / (1 + z^2/9) * sqrt((4/9)(5/9)/9 + z^2/324) = 0.272285.
  EXPECT_NEAR(t.months[2].ci_low, 0.188779, 1e-6);
  EXPECT_NEAR(t.months[2].ci_high, 0.733349, 1e-6);
  // No cancellation: the interval starts at 0 and ends at z^2 / (n + z^2).
  EXPECT_EQ(t.months[1].ci_low, 0.0);
  const double z2 = 1.959963984540054 * 1.959963984540054;
  EXPECT_NEAR(t.months[1].ci_high, z2 / (10 + z2), 1e-12);
}

TEST(TenureHazard, NeighboursPoolAndTheExactTestOnAHandComputableCase) {
  const auto counts = tiny_table();
  const model::TenureHazard t = model::tenure_hazard(counts, 5);
  // Month 2's neighbours are 0, 1, 3, 4, 5 (up to 3 either side, inside the table):
  // 11 + 10 + 2 + 2 + 2 = 27 at risk, 1 cancellation; ratio (4/9) / (1/27) = 12.
  const model::TenureMonth& m = t.months[2];
  EXPECT_EQ(m.neighbour_at_risk, 27);
  EXPECT_EQ(m.neighbour_events, 1);
  EXPECT_DOUBLE_EQ(*m.neighbour_hazard, 1.0 / 27);
  EXPECT_NEAR(*m.ratio, 12.0, 1e-12);
  // The 5 cancellations of months 0-5 fall in month 2 with probability 9 / (9 + 27) = 1/4
  // under equal hazards: P(X >= 4) = 5 (1/4)^4 (3/4) + (1/4)^5 = 16/1024.
  EXPECT_NEAR(m.p_value, 16.0 / 1024, 1e-15);
  // Twelve times its neighbours, but 1/64 is far from 0.001 / 6: no spike.
  EXPECT_EQ(t.months_tested, 6);
  EXPECT_DOUBLE_EQ(*t.p_threshold, 0.001 / 6);
  EXPECT_FALSE(m.is_spike);
  EXPECT_TRUE(t.spikes.empty());
  EXPECT_FALSE(t.peak());
  // Month 4 (no cancellation): neighbours 1, 2, 3, 5 hold 10 + 9 + 2 + 2 = 23 at risk and
  // month 2's 4 cancellations; ratio 0, p = 1.
  EXPECT_DOUBLE_EQ(*t.months[4].neighbour_hazard, 4.0 / 23);
  EXPECT_DOUBLE_EQ(*t.months[4].ratio, 0.0);
  EXPECT_EQ(t.months[4].p_value, 1.0);
}

TEST(TenureHazard, NeighboursWithoutCancellationsLeaveTheRatioUndefined) {
  // 10 members enrolled in month 0, data until month 1: 2 cancel in month 0.
  const std::vector<model::EnrollmentCount> counts = {{0, 0, 2}, {0, std::nullopt, 8}};
  const model::TenureHazard t = model::tenure_hazard(counts, 1);
  ASSERT_EQ(t.months.size(), 2u);
  EXPECT_DOUBLE_EQ(*t.months[0].neighbour_hazard, 0.0);  // month 1: 8 at risk, none cancel
  EXPECT_FALSE(t.months[0].ratio.has_value());
  // Both cancellations in month 0, with probability 10 / (10 + 8) each: (5/9)^2.
  EXPECT_NEAR(t.months[0].p_value, 25.0 / 81, 1e-15);
  EXPECT_FALSE(t.months[0].is_spike);
  EXPECT_TRUE(t.to_json().at("rows").at(0).at("ratio").is_null());
}

TEST(TenureHazard, BinomialUpperTailOnHandComputableCases) {
  // Binomial(3, 1/4): P(X >= 1) = 1 - (3/4)^3, P(X >= 2) = 10/64, P(X >= 3) = 1/64.
  EXPECT_NEAR(model::binomial_upper_tail(1, 3, 0.25), 37.0 / 64, 1e-15);
  EXPECT_NEAR(model::binomial_upper_tail(2, 3, 0.25), 10.0 / 64, 1e-15);
  EXPECT_NEAR(model::binomial_upper_tail(3, 3, 0.25), 1.0 / 64, 1e-15);
  EXPECT_EQ(model::binomial_upper_tail(0, 3, 0.25), 1.0);
  EXPECT_EQ(model::binomial_upper_tail(4, 3, 0.25), 0.0);
  EXPECT_EQ(model::binomial_upper_tail(1, 3, 0.0), 0.0);
  EXPECT_EQ(model::binomial_upper_tail(3, 3, 1.0), 1.0);
  // Larger n, both sides of the mode (scipy.stats.binom.sf(x - 1, n, p)).
  EXPECT_NEAR(model::binomial_upper_tail(30, 1000, 0.02), 0.020696518673239326, 1e-12);
  EXPECT_NEAR(model::binomial_upper_tail(11, 1000, 0.02), 0.9897634518402367, 1e-12);
  // Far in the tail: tiny, not NaN (scipy: 3.26955500403157e-228).
  EXPECT_NEAR(model::binomial_upper_tail(400, 520, 9840.0 / 69740) / 3.26955500403157e-228, 1.0,
              1e-9);
  EXPECT_GT(model::binomial_upper_tail(400, 520, 9840.0 / 69740), 0.0);
  EXPECT_EQ(model::binomial_upper_tail(1000000, 1000000, 0.001), 0.0);  // below the smallest double
}

TEST(TenureHazard, WilsonIntervalMatchesThePublishedValues) {
  const model::Interval half = model::wilson_interval(5, 10);
  EXPECT_NEAR(half.low, 0.236593, 1e-6);
  EXPECT_NEAR(half.high, 0.763407, 1e-6);
  const model::Interval all = model::wilson_interval(10, 10);
  EXPECT_EQ(all.high, 1.0);
  const model::Interval none = model::wilson_interval(0, 0);
  EXPECT_EQ(none.low, 0.0);
  EXPECT_EQ(none.high, 1.0);
}

// One cohort of 10,000 members enrolled in month 0, data until month 24: 20 cancellations in
// every month of tenure 0-24, and 400 in month 8.
std::vector<model::EnrollmentCount> planted_spike() {
  std::vector<model::EnrollmentCount> counts;
  std::int64_t gone = 0;
  for (int k = 0; k <= 24; ++k) {
    const std::int64_t n = k == 8 ? 400 : 20;
    counts.push_back({0, k, n});
    gone += n;
  }
  counts.push_back({0, std::nullopt, 10000 - gone});
  return counts;
}

TEST(TenureHazard, FindsAPlantedSpikeWithItsShareOfCancellations) {
  const auto counts = planted_spike();
  const model::TenureHazard t = model::tenure_hazard(counts, 24);
  ASSERT_EQ(t.months.size(), 25u);
  EXPECT_EQ(t.cancellations, 24 * 20 + 400);
  // Month 8: 10,000 - 8 * 20 = 9,840 at risk, 400 cancellations. Its neighbours 5-7 and 9-11:
  // 9,900 + 9,880 + 9,860 + 9,440 + 9,420 + 9,400 = 57,900 at risk, 6 * 20 = 120 cancellations.
  const model::TenureMonth& m = t.months[8];
  EXPECT_EQ(m.at_risk, 9840);
  EXPECT_EQ(m.neighbour_at_risk, 57900);
  EXPECT_EQ(m.neighbour_events, 120);
  EXPECT_NEAR(*m.ratio, (400.0 / 9840) / (120.0 / 57900), 1e-12);  // 19.6
  // P(X >= 400), X ~ Binomial(520, 9,840 / 67,740) (scipy.stats.binom.sf(399, 520, ...)).
  EXPECT_NEAR(m.p_value / 2.0729238422388528e-223, 1.0, 1e-9);
  ASSERT_EQ(t.spikes.size(), 1u);
  const model::TenureSpike& s = t.spikes[0];
  EXPECT_EQ(s.tenure_months, 8);
  EXPECT_EQ(s.events, 400);
  EXPECT_DOUBLE_EQ(s.share_of_cancellations, 400.0 / 880);
  EXPECT_DOUBLE_EQ(s.hazard, 400.0 / 9840);
  EXPECT_DOUBLE_EQ(s.neighbour_hazard, 120.0 / 57900);
  EXPECT_EQ(t.peak()->tenure_months, 8);
  for (const auto& month : t.months) {
    EXPECT_EQ(month.is_spike, month.tenure_months == 8) << month.tenure_months;
  }
}

TEST(TenureHazard, ASignificantRiseBelowTheRatioIsNoSpike) {
  // 100,000 members, 1,000 cancellations a month and 2,000 in month 8: p is tiny, but the
  // hazard is about twice its neighbours', under the 3x of the rule.
  std::vector<model::EnrollmentCount> counts;
  std::int64_t gone = 0;
  for (int k = 0; k <= 20; ++k) {
    const std::int64_t n = k == 8 ? 2000 : 1000;
    counts.push_back({0, k, n});
    gone += n;
  }
  counts.push_back({0, std::nullopt, 100000 - gone});
  const model::TenureHazard t = model::tenure_hazard(counts, 20);
  EXPECT_LT(t.months[8].p_value, 1e-50);
  EXPECT_LT(*t.months[8].ratio, 3.0);
  EXPECT_TRUE(t.spikes.empty());
  // The same counts under a 1.5x rule: a spike.
  EXPECT_EQ(model::tenure_hazard(counts, 20, {3, 1.5, 0.001}).spikes.size(), 1u);
}

// Cohorts of 2,000 members enrolled in each of months 0-59, followed to month 83, each member
// cancelling with probability `hazard(k)` in month k of membership.
std::vector<model::EnrollmentCount> simulate(std::uint64_t seed, double (*hazard)(int)) {
  std::mt19937_64 rng(seed);
  std::vector<model::EnrollmentCount> counts;
  for (int e = 0; e < 60; ++e) {
    std::int64_t left = 2000;
    for (int k = 0; e + k <= 83; ++k) {
      std::binomial_distribution<std::int64_t> draw(left, hazard(k));
      const std::int64_t n = draw(rng);
      counts.push_back({e, e + k, n});
      left -= n;
    }
    counts.push_back({e, std::nullopt, left});
  }
  return counts;
}

TEST(TenureHazard, NoSpikeOnSmoothHazards) {
  const auto flat = [](int) { return 0.01; };
  const auto falling = [](int k) { return 0.005 + 0.03 * std::exp(-k / 12.0); };
  for (std::uint64_t seed = 1; seed <= 10; ++seed) {
    for (const auto& counts : {simulate(seed, flat), simulate(seed, falling)}) {
      const model::TenureHazard t = model::tenure_hazard(counts, 83);
      EXPECT_EQ(t.max_follow_up_months, 83);
      EXPECT_EQ(t.months_tested, 84);
      EXPECT_TRUE(t.spikes.empty())
          << "seed " << seed << ": month " << t.spikes.front().tenure_months;
    }
  }
  // Exactly flat, without noise: 1% of those at risk every month.
  std::vector<model::EnrollmentCount> counts;
  std::int64_t left = 1000000;
  for (int k = 0; k <= 40; ++k) {
    counts.push_back({0, k, left / 100});
    left -= left / 100;
  }
  counts.push_back({0, std::nullopt, left});
  const model::TenureHazard t = model::tenure_hazard(counts, 40);
  EXPECT_TRUE(t.spikes.empty());
  for (const auto& m : t.months) {
    EXPECT_NEAR(m.hazard, 0.01, 1e-4);
    EXPECT_GT(m.p_value, 0.01);
  }
}

TEST(TenureHazard, EmptyInputGivesAnEmptyTableAndTheRule) {
  const model::TenureHazard t = model::tenure_hazard({}, 10);
  EXPECT_TRUE(t.months.empty());
  EXPECT_TRUE(t.spikes.empty());
  EXPECT_EQ(t.max_follow_up_months, -1);
  EXPECT_FALSE(t.p_threshold.has_value());
  EXPECT_NE(t.rule.find("at least 3 times"), std::string::npos);
  const nlohmann::json j = t.to_json();
  EXPECT_TRUE(j.at("rows").empty());
  EXPECT_TRUE(j.at("max_follow_up_months").is_null());
  EXPECT_TRUE(j.at("peak").is_null());
  EXPECT_THROW(model::tenure_hazard({}, 10, {0, 3, 0.001}), std::logic_error);
  const std::vector<model::EnrollmentCount> negative = {{0, std::nullopt, -1}};
  EXPECT_THROW(model::tenure_hazard(negative, 10), std::logic_error);
}

TEST(TenureHazard, JsonLimitsTheRowsButListsEverySpikeAndStatesTheRule) {
  const auto counts = planted_spike();
  const model::TenureHazard t = model::tenure_hazard(counts, 24);
  const nlohmann::json all = t.to_json();
  EXPECT_EQ(all.at("rows").size(), 25u);
  const nlohmann::json j = t.to_json(5);
  ASSERT_EQ(j.at("rows").size(), 6u);  // months 0-5
  EXPECT_EQ(j.at("rows").at(5).at("tenure_months"), 5);
  EXPECT_EQ(j.at("rows").at(5).at("is_spike"), false);
  ASSERT_EQ(j.at("spikes").size(), 1u);  // month 8, past the rows shown
  EXPECT_EQ(j.at("spikes").at(0).at("tenure_months"), 8);
  EXPECT_EQ(j.at("spikes").at(0).at("events"), 400);
  EXPECT_EQ(j.at("peak"), j.at("spikes").at(0));
  EXPECT_DOUBLE_EQ(j.at("peak").at("share_of_cancellations").get<double>(), 400.0 / 880);
  EXPECT_EQ(j.at("cancellations"), 880);
  EXPECT_EQ(j.at("members"), 10000);
  EXPECT_EQ(j.at("spike_rule").at("months_tested"), 25);
  EXPECT_EQ(j.at("spike_rule").at("neighbour_window_months"), 3);
  EXPECT_EQ(j.at("rule"), t.rule);
  EXPECT_EQ(t.rule,
            "A month of membership is a spike when its cancellation hazard (cancellations that "
            "month over the members still enrolled and followed that long) is at least 3 times "
            "the pooled hazard of its neighbours (the months up to 3 before and after it, itself "
            "excluded: their cancellations over their members at risk), and a one-sided exact "
            "test finds it higher with p below 0.001 / 25 months tested = 4e-05 (Bonferroni). "
            "The test conditions on the cancellations of the month and its neighbours together: "
            "were the hazards equal, the month's number of them would be binomial, with the "
            "month's share of the members at risk as its probability.");
}

}  // namespace
}  // namespace aa
