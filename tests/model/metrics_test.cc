// Metrics against hand-computed cases (scikit-learn's cross-check is in sklearn_crosscheck.py).
#include "model/metrics.h"

#include <gtest/gtest.h>

#include <cmath>

#include "core/app_error.h"
#include "support/test_support.h"

namespace aa {
namespace {

TEST(Metrics, RocAucHandComputed) {
  // Pairs (pos, neg): (0.35,0.1) win, (0.35,0.4) loss, (0.8,0.1) win, (0.8,0.4) win -> 3/4.
  EXPECT_DOUBLE_EQ(model::roc_auc({0, 0, 1, 1}, {0.1, 0.4, 0.35, 0.8}), 0.75);
  // A tie between a positive and a negative counts one half: (1 + 0.5 + 1 + 1) / 4.
  EXPECT_DOUBLE_EQ(model::roc_auc({0, 1, 0, 1}, {0.5, 0.5, 0.2, 0.9}), 0.875);
  EXPECT_DOUBLE_EQ(model::roc_auc({1, 1, 0, 0}, {0.1, 0.2, 0.3, 0.4}), 0.0);
  EXPECT_TRUE(std::isnan(model::roc_auc({1, 1}, {0.1, 0.2})));  // one class: undefined
}

TEST(Metrics, AveragePrecisionHandComputed) {
  // Descending: 0.8(+) P=1 R=.5; 0.4(-); 0.35(+) P=2/3 R=1 -> .5*1 + .5*2/3.
  EXPECT_NEAR(model::average_precision({0, 0, 1, 1}, {0.1, 0.4, 0.35, 0.8}), 0.5 + 1.0 / 3.0,
              1e-12);
  // Tied scores enter together: one threshold, P = 1/2, R = 1.
  EXPECT_DOUBLE_EQ(model::average_precision({1, 0}, {0.5, 0.5}), 0.5);
  EXPECT_TRUE(std::isnan(model::average_precision({0, 0}, {0.1, 0.2})));
}

TEST(Metrics, RocAndPrCurvesHandComputed) {
  // Descending: 0.9(+), 0.8(-), 0.8(+) tied, 0.3(-), 0.1(-); 2 positives, 3 negatives.
  const std::vector<float> y = {1, 0, 1, 0, 0};
  const std::vector<double> s = {0.9, 0.8, 0.8, 0.3, 0.1};
  const auto roc = model::roc_curve(y, s);
  ASSERT_EQ(roc.size(), 5u);  // (0,0) and one point per distinct score
  EXPECT_TRUE(std::isinf(roc[0].threshold));
  EXPECT_DOUBLE_EQ(roc[0].x, 0.0);
  EXPECT_DOUBLE_EQ(roc[0].y, 0.0);
  EXPECT_DOUBLE_EQ(roc[1].x, 0.0);
  EXPECT_DOUBLE_EQ(roc[1].y, 0.5);
  EXPECT_DOUBLE_EQ(roc[1].threshold, 0.9);
  EXPECT_DOUBLE_EQ(roc[2].x, 1.0 / 3.0);  // the tie enters together
  EXPECT_DOUBLE_EQ(roc[2].y, 1.0);
  EXPECT_DOUBLE_EQ(roc[3].x, 2.0 / 3.0);
  EXPECT_DOUBLE_EQ(roc[4].x, 1.0);
  EXPECT_DOUBLE_EQ(roc[4].threshold, 0.1);

  const auto pr = model::precision_recall_curve(y, s);
  ASSERT_EQ(pr.size(), 4u);
  EXPECT_DOUBLE_EQ(pr[0].x, 0.5);
  EXPECT_DOUBLE_EQ(pr[0].y, 1.0);
  EXPECT_DOUBLE_EQ(pr[1].x, 1.0);
  EXPECT_DOUBLE_EQ(pr[1].y, 2.0 / 3.0);
  EXPECT_DOUBLE_EQ(pr[2].y, 0.5);
  EXPECT_DOUBLE_EQ(pr[3].y, 0.4);

  const auto thin = model::thin_curve(roc, 3);  // indexes 0, 2, 4
  ASSERT_EQ(thin.size(), 3u);
  EXPECT_DOUBLE_EQ(thin[1].x, 1.0 / 3.0);
  EXPECT_DOUBLE_EQ(thin[2].x, 1.0);
  EXPECT_EQ(model::thin_curve(roc, 10).size(), 5u);
}

TEST(Metrics, LiftByDecileHandComputed) {
  // 12 rows, scores descending by row; positives at rows 0, 1, 2 and 5; base rate 1/3.
  // Sizes: 12 / 10 = 1 each, the first 12 % 10 = 2 deciles take one more.
  std::vector<float> y(12, 0);
  std::vector<double> s(12);
  for (int i = 0; i < 12; ++i) {
    s[i] = 12 - i;
  }
  y[0] = y[1] = y[2] = y[5] = 1;
  const auto d = model::lift_by_decile(y, s);
  ASSERT_EQ(d.size(), 10u);
  EXPECT_EQ(d[0].members, 2);
  EXPECT_EQ(d[0].positives, 2);
  EXPECT_DOUBLE_EQ(d[0].lift, 3.0);
  EXPECT_DOUBLE_EQ(d[0].cumulative_recall, 0.5);
  EXPECT_EQ(d[1].members, 2);
  EXPECT_DOUBLE_EQ(d[1].rate, 0.5);
  EXPECT_DOUBLE_EQ(d[1].lift, 1.5);
  EXPECT_DOUBLE_EQ(d[1].cumulative_recall, 0.75);
  EXPECT_EQ(d[2].members, 1);
  EXPECT_EQ(d[2].positives, 0);
  EXPECT_EQ(d[3].positives, 1);  // row 5
  EXPECT_DOUBLE_EQ(d[3].cumulative_recall, 1.0);
  EXPECT_EQ(d[9].decile, 10);
  std::int64_t members = 0;
  for (const auto& row : d) {
    members += row.members;
  }
  EXPECT_EQ(members, 12);
}

TEST(Metrics, BrierAndLogLoss) {
  EXPECT_NEAR(model::brier_score({0, 1, 1, 0}, {0.1, 0.9, 0.8, 0.3}), 0.0375, 1e-12);
  EXPECT_NEAR(model::log_loss({1, 0}, {0.5, 0.5}), std::log(2.0), 1e-12);
}

TEST(Metrics, ReliabilityAndEce) {
  const std::vector<float> y = {0, 1, 1, 1};
  const std::vector<double> p = {0.1, 0.1, 0.9, 0.9};
  const auto bins = model::reliability_curve(y, p, 2, model::BinStrategy::Uniform);
  ASSERT_EQ(bins.size(), 2u);
  EXPECT_DOUBLE_EQ(bins[0].mean_probability, 0.1);
  EXPECT_DOUBLE_EQ(bins[0].fraction_positive, 0.5);
  EXPECT_EQ(bins[0].count, 2);
  EXPECT_DOUBLE_EQ(bins[1].fraction_positive, 1.0);
  // (2 * |0.5 - 0.1| + 2 * |1 - 0.9|) / 4
  EXPECT_NEAR(model::expected_calibration_error(y, p, 2, model::BinStrategy::Uniform), 0.25, 1e-12);
  // Equal-mass bins: edges at the 0/50/100th percentiles (0.1, 0.5, 0.9); 0.1 goes low.
  const auto q = model::reliability_curve(y, p, 2, model::BinStrategy::Quantile);
  ASSERT_EQ(q.size(), 2u);
  EXPECT_EQ(q[0].count, 2);
  EXPECT_EQ(q[1].count, 2);
  // Perfectly calibrated: zero.
  EXPECT_NEAR(
      model::expected_calibration_error({0, 1}, {0.0, 1.0}, 10, model::BinStrategy::Quantile), 0.0,
      1e-12);
}

TEST(Metrics, TopFraction) {
  std::vector<float> y(20, 0);
  std::vector<double> s(20);
  for (int i = 0; i < 20; ++i) {
    s[static_cast<std::size_t>(i)] = i;
  }
  y[19] = 1;                                   // the highest score
  y[0] = 1;                                    // the lowest
  const model::TopK top5 = model::top_fraction(y, s, 0.05);  // ceil(1) = 1 row
  EXPECT_DOUBLE_EQ(top5.precision, 1.0);
  EXPECT_DOUBLE_EQ(top5.recall, 0.5);
  EXPECT_DOUBLE_EQ(top5.lift, 10.0);            // 1 / (2 / 20)
  const model::TopK top10 = model::top_fraction(y, s, 0.10);  // 2 rows
  EXPECT_DOUBLE_EQ(top10.precision, 0.5);
  EXPECT_DOUBLE_EQ(top10.lift, 5.0);
}

TEST(Metrics, BootstrapIsSeededAndBracketsTheEstimate) {
  std::vector<float> y;
  std::vector<double> p;
  for (int i = 0; i < 400; ++i) {
    p.push_back((i % 100) / 100.0);
    y.push_back((i % 7 == 0 || i % 100 > 70) ? 1.0f : 0.0f);
  }
  const auto a = model::bootstrap_intervals(y, p, 100, 7);
  const auto b = model::bootstrap_intervals(y, p, 100, 7);
  EXPECT_EQ(a.roc_auc.low, b.roc_auc.low);
  EXPECT_EQ(a.roc_auc.high, b.roc_auc.high);
  const double auc = model::roc_auc(y, p);
  EXPECT_LT(a.roc_auc.low, auc);
  EXPECT_GT(a.roc_auc.high, auc);
  EXPECT_LT(a.roc_auc.high - a.roc_auc.low, 0.2);
  const auto report = model::metrics_report(y, p, 50, 1);
  EXPECT_EQ(report["n"], 400);
  EXPECT_DOUBLE_EQ(report["roc_auc"].get<double>(), auc);
  EXPECT_EQ(report["roc_auc_ci"].size(), 2u);
  EXPECT_FALSE(report["reliability"].empty());
}

TEST(Metrics, SizeMismatchIsAnError) {
  EXPECT_APP_ERROR(model::roc_auc({1, 0}, {0.5}), core::ErrorKind::InvalidInput,
                   "metrics: 2 labels but 1 scores");
}

}  // namespace
}  // namespace aa
