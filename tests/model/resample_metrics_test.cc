// The bootstrap's one-pass metrics against compute_metrics on the resampled rows themselves.

#include "model/resample_metrics.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>

#include "support/test_support.h"

namespace aa {
namespace {

// The rows repeated counts[row] times, in a shuffled order (the order must not matter).
void expand(const std::vector<float>& y, const std::vector<double>& p,
            const std::vector<std::uint32_t>& counts, std::mt19937_64& rng, std::vector<float>& ey,
            std::vector<double>& ep) {
  std::vector<std::size_t> rows;
  for (std::size_t i = 0; i < counts.size(); ++i) {
    rows.insert(rows.end(), counts[i], i);
  }
  std::shuffle(rows.begin(), rows.end(), rng);
  ey.clear();
  ep.clear();
  for (const std::size_t r : rows) {
    ey.push_back(y[r]);
    ep.push_back(p[r]);
  }
}

void expect_same(const model::MetricSet& a, const model::MetricSet& b) {
  EXPECT_EQ(a.roc_auc, b.roc_auc);  // sums of whole counts: equal to the bit
  EXPECT_EQ(a.pr_auc, b.pr_auc);
  EXPECT_EQ(a.base_rate, b.base_rate);
  EXPECT_NEAR(a.brier, b.brier, 1e-12);  // the same sum in another order
  EXPECT_NEAR(a.ece, b.ece, 1e-12);
  // top_fraction takes a tie across the cut by its share of positives too.
  EXPECT_NEAR(a.top5.precision, b.top5.precision, 1e-12);
  EXPECT_NEAR(a.top5.recall, b.top5.recall, 1e-12);
  EXPECT_NEAR(a.top5.lift, b.top5.lift, 1e-12);
  EXPECT_NEAR(a.top10.precision, b.top10.precision, 1e-12);
  EXPECT_NEAR(a.top10.recall, b.top10.recall, 1e-12);
  EXPECT_NEAR(a.top10.lift, b.top10.lift, 1e-12);
}

// Twenty resamples of the rows: the one-pass metrics against those of the expanded rows.
void expect_same_over_resamples(const std::vector<float>& y, const std::vector<double>& p,
                                std::mt19937_64& rng) {
  const model::ResampleMetrics sorted(y, p);
  std::vector<std::uint32_t> counts(y.size());
  std::vector<float> ey;
  std::vector<double> ep;
  for (int r = 0; r < 20; ++r) {
    std::fill(counts.begin(), counts.end(), 0U);
    for (std::size_t i = 0; i < y.size(); ++i) {
      ++counts[rng() % y.size()];
    }
    expand(y, p, counts, rng, ey, ep);
    expect_same(sorted.compute(counts), model::compute_metrics(ey, ep));
  }
}

TEST(ResampleMetrics, EqualsTheMetricsOfTheResampledRowsWithoutTies) {
  std::mt19937_64 rng(11);
  std::uniform_real_distribution<double> unit(0, 1);
  std::vector<float> y;
  std::vector<double> p;
  for (int i = 0; i < 3000; ++i) {
    p.push_back(unit(rng));  // distinct: no ties
    y.push_back(unit(rng) < p.back() * 0.4 ? 1.0f : 0.0f);
  }
  expect_same_over_resamples(y, p, rng);
}

TEST(ResampleMetrics, EqualsTheMetricsOfTheResampledRowsWithTies) {
  // Probabilities on a grid of 20 values (an isotonic calibration's steps): many ties.
  std::mt19937_64 rng(5);
  std::vector<float> y;
  std::vector<double> p;
  for (int i = 0; i < 2000; ++i) {
    p.push_back(static_cast<double>(rng() % 20) / 40.0);
    y.push_back(static_cast<double>(rng() % 1000) / 1000.0 < p.back() ? 1.0f : 0.0f);
  }
  expect_same_over_resamples(y, p, rng);
}

TEST(ResampleMetrics, ATieAcrossTheCutCountsItsShareOfPositives) {
  // 20 rows: the top 10% is 2 rows; the highest probability is shared by 4 rows, 1 positive.
  std::vector<float> y(20, 0.0f);
  std::vector<double> p(20, 0.1);
  for (int i = 0; i < 4; ++i) {
    p[static_cast<std::size_t>(i)] = 0.9;
  }
  y[3] = 1.0f;
  y[10] = 1.0f;
  const model::ResampleMetrics sorted(y, p);
  const std::vector<std::uint32_t> once(20, 1);
  const model::MetricSet m = sorted.compute(once);
  // 2 of the 4 tied rows, a quarter of them positive: 0.5 positives expected in the top 2.
  EXPECT_DOUBLE_EQ(m.top10.precision, 0.25);
  EXPECT_DOUBLE_EQ(m.top10.recall, 0.25);
  EXPECT_DOUBLE_EQ(m.top10.lift, 0.25 / 0.1);
  EXPECT_DOUBLE_EQ(model::top_fraction(y, p, 0.10).precision, 0.25) << "the point estimate too";
  // Counts repeat rows: row 3 drawn twice makes 5 tied rows, 2 of them positive.
  std::vector<std::uint32_t> twice = once;
  twice[3] = 2;
  twice[19] = 0;
  EXPECT_DOUBLE_EQ(sorted.compute(twice).top10.precision, 2.0 / 5.0);
}

TEST(ResampleMetrics, HandComputedSmallCase) {
  // Rows (p, y): (0.1, 0) (0.4, 0) (0.35, 1) (0.8, 1), row 1 drawn twice and row 2 never.
  const std::vector<float> y = {0, 0, 1, 1};
  const std::vector<double> p = {0.1, 0.4, 0.35, 0.8};
  const model::ResampleMetrics sorted(y, p);
  const model::MetricSet m = sorted.compute({1, 2, 0, 1});
  // Expanded: 0.1(0) 0.4(0) 0.4(0) 0.8(1): the one positive outranks all three negatives.
  EXPECT_DOUBLE_EQ(m.roc_auc, 1.0);
  EXPECT_DOUBLE_EQ(m.pr_auc, 1.0);
  EXPECT_DOUBLE_EQ(m.base_rate, 0.25);
  EXPECT_DOUBLE_EQ(m.brier, (0.01 + 0.16 + 0.16 + 0.04) / 4);
  EXPECT_TRUE(std::isnan(sorted.compute({1, 1, 0, 0}).roc_auc)) << "one class: undefined";
  EXPECT_APP_ERROR(sorted.compute({1, 1}), core::ErrorKind::InvalidInput,
                   "metrics: 2 draw counts for 4 rows");
}

}  // namespace
}  // namespace aa
