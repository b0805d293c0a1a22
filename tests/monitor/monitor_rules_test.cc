// The monitor's rules on hand-computed cases: PSI and the drift bins, realized figures on a
// partly matured window, the status rule, the alerts and which of them retrain.
#include <gtest/gtest.h>

#include <cmath>

#include "model/drift_reference.h"
#include "model/feature_profile.h"
#include "model/metrics.h"
#include "monitor/drift_report.h"
#include "monitor/monitor_alerts.h"
#include "monitor/realized_performance.h"
#include "monitor/status_rule.h"
#include "support/test_support.h"

namespace aa {
namespace {

using nlohmann::json;

TEST(Psi, HandComputed) {
  // (0.75 - 0.5) ln(1.5) + (0.25 - 0.5) ln(0.5)
  EXPECT_NEAR(model::population_stability_index({0.5, 0.5}, {75, 25}),
              0.25 * std::log(1.5) + 0.25 * std::log(2.0), 1e-12);
  EXPECT_DOUBLE_EQ(model::population_stability_index({0.25, 0.75}, {1, 3}), 0.0);
  // An empty bin counts as the floor share, not as a division by zero.
  const double floored = (1e-4 - 0.5) * std::log(1e-4 / 0.5) + (1 - 0.5) * std::log(1 / 0.5);
  EXPECT_NEAR(model::population_stability_index({0.5, 0.5}, {0, 10}), floored, 1e-12);
  EXPECT_STREQ(monitor::psi_shift(0.05), "stable");
  EXPECT_STREQ(monitor::psi_shift(0.1), "moderate");
  EXPECT_STREQ(monitor::psi_shift(0.25), "moderate");
  EXPECT_STREQ(monitor::psi_shift(0.26), "major");
}

// Ten rows of one numeric feature (0..9, one missing) and a categorical feature (card).
struct SmallSnapshot {
  model::FeatureSpec spec;
  model::Dataset data;
  std::vector<double> p;
  SmallSnapshot() {
    spec.numeric = {"flights_3m"};
    spec.categorical = {{"loyalty_card", {"Aurora", "Nova", "Star"}}};
    data.columns = spec.columns();
    const float nan = std::nanf("");
    const std::vector<float> flights = {0, 0, 0, 1, 2, 3, 4, 5, 9, nan};
    const std::vector<int> card = {0, 1, 2, 2, 2, 1, 1, -1, 0, 2};  // -1: no level
    for (std::size_t r = 0; r < flights.size(); ++r) {
      data.x.push_back(flights[r]);
      for (int k = 0; k < 3; ++k) {
        data.x.push_back(card[r] == k ? 1.0f : 0.0f);
      }
      data.member.push_back(static_cast<std::int64_t>(r));
      data.cutoff.push_back(0);
      data.y.push_back(0);
      p.push_back(0.01 * static_cast<double>(r + 1));
    }
  }
};

TEST(DriftReference, BinsAtDistinctDecilesAndLevelsAndRoundTrips) {
  const SmallSnapshot s;
  const auto reference = model::DriftReference::fit(
      s.spec, s.data, s.p, {{"loyalty_card", 0.9}, {"flights_3m", 0.2}}, "2018-06");
  ASSERT_EQ(reference.features().size(), 2u);
  // Importance order: the card first.
  EXPECT_EQ(reference.features()[0].name, "loyalty_card");
  EXPECT_EQ(reference.features()[0].importance_rank, 1);
  const model::VariableBins& flights = reference.features()[1];
  // Nine values 0 0 0 1 2 3 4 5 9: the values at ranks ceil(q x 9) for q = 0.1 .. 0.9 are
  // 0 0 0 1 2 3 4 5 9, distinct: 0 1 2 3 4 5 9.
  EXPECT_EQ(flights.edges, (std::vector<double>{0, 1, 2, 3, 4, 5, 9}));
  EXPECT_EQ(flights.bin_count(), 9u);
  EXPECT_EQ(flights.numeric_bin(0), 0u);
  EXPECT_EQ(flights.numeric_bin(0.5), 1u);
  EXPECT_EQ(flights.numeric_bin(9), 6u);
  EXPECT_EQ(flights.numeric_bin(10), 7u);
  EXPECT_EQ(flights.numeric_bin(NAN), 8u);
  EXPECT_EQ(flights.reference_share,
            (std::vector<double>{0.3, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.0, 0.1}));
  const model::VariableBins& card = reference.features()[0];
  EXPECT_EQ(card.reference_share, (std::vector<double>{0.2, 0.3, 0.4, 0.1}));
  EXPECT_EQ(card.bin_labels(), (std::vector<std::string>{"Aurora", "Nova", "Star", "(none)"}));
  const json j = reference.to_json();
  EXPECT_EQ(model::DriftReference::from_json(j).to_json(), j);
  EXPECT_EQ(j["snapshot_month"], "2018-06");

  // The same rows profiled give the reference's shares: PSI 0 everywhere.
  model::FeatureProfile profile(reference);
  profile.add(s.spec, s.data, s.p);
  const json drift = monitor::drift_of(reference, profile.to_json());
  EXPECT_EQ(drift["members"], 10);
  for (const auto& f : drift["features"]) {
    EXPECT_DOUBLE_EQ(f["psi"].get<double>(), 0.0) << f["feature"];
  }
  EXPECT_DOUBLE_EQ(drift["score"]["psi"].get<double>(), 0.0);
  EXPECT_TRUE(drift["features"][0]["top5"].get<bool>());
}

TEST(DriftReference, AShiftedScoringHasTheHandComputedPsi) {
  const SmallSnapshot s;
  const auto reference = model::DriftReference::fit(s.spec, s.data, s.p, {}, "2018-06");
  // Every member now holds a Star card: shares 0, 0, 1, 0 against 0.2, 0.3, 0.4, 0.1.
  SmallSnapshot shifted;
  for (std::size_t r = 0; r < shifted.data.rows(); ++r) {
    for (int k = 0; k < 3; ++k) {
      shifted.data.x[r * 4 + 1 + k] = k == 2 ? 1.0f : 0.0f;
    }
  }
  model::FeatureProfile profile(reference);
  profile.add(shifted.spec, shifted.data, shifted.p);
  const json drift = monitor::drift_of(reference, profile.to_json());
  double expected = (1 - 0.4) * std::log(1 / 0.4);
  for (double e : {0.2, 0.3, 0.1}) {
    expected += (1e-4 - e) * std::log(1e-4 / e);
  }
  const auto& card = drift["features"][1];
  EXPECT_EQ(card["feature"], "loyalty_card");
  EXPECT_NEAR(card["psi"].get<double>(), expected, 1e-12);
  EXPECT_EQ(card["shift"], "major");
}

TEST(RealizedPerformance, MaturityAndScaledProbabilities) {
  EXPECT_EQ(monitor::matured_months(100, 100), 0);
  EXPECT_EQ(monitor::matured_months(100, 103), 3);
  EXPECT_EQ(monitor::matured_months(100, 120), 6);
  EXPECT_DOUBLE_EQ(monitor::matured_probability(0.3, 6), 0.3);
  EXPECT_NEAR(monitor::matured_probability(0.3, 3), 1 - std::sqrt(0.7), 1e-15);
}

TEST(RealizedPerformance, FiguresOnAPartlyMaturedWindow) {
  // Ten members, three cancelled within the three matured months.
  const std::vector<float> y = {1, 0, 1, 0, 0, 0, 1, 0, 0, 0};
  const std::vector<double> p6 = {0.6, 0.1, 0.5, 0.2, 0.05, 0.1, 0.3, 0.35, 0.05, 0.02};
  const json r = monitor::realized_figures(y, p6, 3, 50, 7);
  EXPECT_EQ(r["members"], 10);
  EXPECT_EQ(r["cancellations"], 3);
  EXPECT_DOUBLE_EQ(r["matured_share"].get<double>(), 0.5);
  EXPECT_DOUBLE_EQ(r["observed_rate"].get<double>(), 0.3);
  double mean = 0;
  std::vector<double> p3;
  for (double p : p6) {
    p3.push_back(1 - std::pow(1 - p, 0.5));
    mean += p3.back() / 10;
  }
  EXPECT_NEAR(r["mean_predicted"].get<double>(), mean, 1e-15);
  EXPECT_NEAR(r["calibration_ratio"].get<double>(), 0.3 / mean, 1e-12);
  // Wilson 95% for 3 of 10: 0.1078 .. 0.6032.
  EXPECT_NEAR(r["observed_rate_ci"][0].get<double>(), 0.10779, 1e-5);
  EXPECT_NEAR(r["observed_rate_ci"][1].get<double>(), 0.60322, 1e-5);
  // Ranks: the positives hold 0.6, 0.5, 0.3; only 0.35 (negative) beats 0.3: 20 of 21 pairs.
  EXPECT_NEAR(r["roc_auc"].get<double>(), 20.0 / 21.0, 1e-12);
  // Top 10% = the one highest score, a cancellation: precision 1, lift 1 / 0.3.
  EXPECT_DOUBLE_EQ(r["precision_top10"].get<double>(), 1.0);
  EXPECT_NEAR(r["lift_top10"].get<double>(), 1 / 0.3, 1e-12);
  EXPECT_NEAR(r["brier"].get<double>(), model::brier_score(y, p3), 1e-15);
  ASSERT_TRUE(r["roc_auc_ci"][0].is_number());
  EXPECT_LE(r["roc_auc_ci"][0].get<double>(), r["roc_auc_ci"][1].get<double>());

  const json none =
      monitor::realized_figures(std::vector<float>(4, 0.0f), {0.1, 0.2, 0.3, 0.4}, 1, 20, 1);
  EXPECT_EQ(none["cancellations"], 0);
  EXPECT_TRUE(none["roc_auc"].is_null());
  EXPECT_TRUE(none["lift_top10"].is_null());
}

json realized(double auc, std::vector<double> ci, std::int64_t cancellations = 200,
              double observed = 0.03, std::vector<double> observed_ci = {0.027, 0.033},
              double predicted = 0.03) {
  return {{"roc_auc", auc},
          {"roc_auc_ci", ci},
          {"cancellations", cancellations},
          {"matured_months", 6},
          {"lift_top10", 4.0},
          {"lift_top10_ci", {3.5, 4.5}},
          {"observed_rate", observed},
          {"observed_rate_ci", observed_ci},
          {"mean_predicted", predicted},
          {"calibration_ratio", observed / predicted}};
}

const json kExpected = {{"source", "backtest"}, {"cutoff", "2018-06"},
                        {"roc_auc", 0.767},     {"roc_auc_ci", {0.740, 0.790}},
                        {"lift_top10", 4.87},   {"lift_top10_ci", {4.38, 5.42}}};

TEST(StatusRule, OkWatchDegradedAndNotJudged) {
  auto v = monitor::judge_scoring(realized(0.76, {0.73, 0.79}), kExpected);
  EXPECT_EQ(v.status, "ok");
  EXPECT_EQ(v.reason,
            "ROC AUC 0.760 [0.730, 0.790] against the expected 0.767 [0.740, 0.790] (backtest "
            "2018-06)");
  v = monitor::judge_scoring(realized(0.72, {0.69, 0.75}), kExpected);
  EXPECT_EQ(v.status, "watch");
  EXPECT_EQ(v.reason, "ROC AUC 0.720 is below the expected interval [0.740, 0.790]");
  v = monitor::judge_scoring(realized(0.68, {0.65, 0.71}), kExpected);
  EXPECT_EQ(v.status, "degraded");
  EXPECT_EQ(v.reason,
            "ROC AUC 0.680 [0.650, 0.710] lies below the expected 0.767 [0.740, 0.790] "
            "(backtest 2018-06)");
  // Twice as many cancellations as predicted, the prediction outside the observed interval.
  v = monitor::judge_scoring(realized(0.76, {0.73, 0.79}, 200, 0.06, {0.055, 0.065}, 0.03),
                             kExpected);
  EXPECT_EQ(v.status, "watch");
  EXPECT_EQ(v.reason,
            "2.00x as many cancellations as predicted (observed 0.0600 [0.0550, 0.0650], "
            "predicted 0.0300)");
  v = monitor::judge_scoring(realized(0.5, {0.3, 0.6}, 9), kExpected);
  EXPECT_EQ(v.status, "ok");
  EXPECT_EQ(v.reason,
            "not judged yet: 9 cancellations in the matured 6 of 6 months (at least 10 needed)");
}

// A level shift: the mean against the reference's, relative, and beyond the noise of both.
// flights_3m's reference values 0 0 0 1 2 3 4 5 9: mean 24/9, variance 136/9 - (24/9)^2 = 8.
TEST(DriftReference, ALevelShiftIsTheMeansRelativeChangeBeyondTheNoise) {
  const SmallSnapshot s;
  const auto reference = model::DriftReference::fit(s.spec, s.data, s.p, {}, "2018-06");
  model::VariableBins flights = reference.features()[0];
  ASSERT_EQ(flights.name, "flights_3m");
  EXPECT_EQ(flights.reference_n, 9);
  EXPECT_EQ(flights.reference_min, 0.0);
  EXPECT_DOUBLE_EQ(flights.reference_mean, 24.0 / 9);
  EXPECT_NEAR(flights.reference_sd, std::sqrt(8.0), 1e-12);
  EXPECT_EQ(model::DriftReference::from_json(reference.to_json()).features()[0].reference_n, 9);

  // Every member flying half as much: the same ten rows, flights halved. Mean 12/9 (-50%),
  // variance 34/9 - (12/9)^2 = 2; z = -(12/9) / sqrt(8/9 + 2/9), too few members to call it.
  SmallSnapshot halved;
  for (std::size_t r = 0; r < halved.data.rows(); ++r) {
    halved.data.x[r * 4] *= 0.5f;
  }
  model::FeatureProfile profile(reference);
  profile.add(halved.spec, halved.data, halved.p);
  const json drift = monitor::drift_of(reference, profile.to_json());
  const json& f = drift["features"][0];
  EXPECT_NEAR(f["mean_change"].get<double>(), -0.5, 1e-12);
  EXPECT_NEAR(f["mean_z"].get<double>(), -(12.0 / 9) / std::sqrt(10.0 / 9), 1e-9);
  EXPECT_FALSE(f["level_shift"].get<bool>());
  EXPECT_FALSE(drift["features"][1].contains("mean_change"));  // the card: categorical

  // The same means over 10,000 members on each side: z = -(12/9) / sqrt(10 / 10,000).
  flights.reference_n = 10000;
  const double n = 10000;
  const auto moments = [&](double mean, double variance) {
    return json::array({n, n * mean, n * (variance + mean * mean)});
  };
  const json big = monitor::level_shift(flights, moments(12.0 / 9, 2.0));
  EXPECT_NEAR(big["mean_z"].get<double>(), -(12.0 / 9) / std::sqrt(10.0 / 10000), 1e-6);
  EXPECT_TRUE(big["level_shift"].get<bool>());
  // 10% down is beyond the noise but below the 20% a level shift needs.
  EXPECT_FALSE(
      monitor::level_shift(flights, moments(0.9 * 24 / 9, 8.0))["level_shift"].get<bool>());
  EXPECT_TRUE(monitor::level_shift(flights, json::array({1.0, 1.0, 1.0})).is_null());  // one member
  flights.reference_min = -3;  // a trend: no relative level
  EXPECT_TRUE(monitor::level_shift(flights, moments(12.0 / 9, 2.0)).is_null());

  const json alerts = monitor::monitor_alerts(json::array(),
                                              {{"scored_month", "2018-08"},
                                               {"model_id", "m"},
                                               {"reference_month", "2018-06"},
                                               {"features",
                                                {{{"feature", "flights_3m"},
                                                  {"psi", 0.05},
                                                  {"top5", true},
                                                  {"level_shift", true},
                                                  {"mean_change", -0.3},
                                                  {"mean_reference", 3.0},
                                                  {"mean_scoring", 2.1},
                                                  {"mean_z", -12.5}}}},
                                               {"score", {{"psi", 0.01}}}},
                                              nullptr, "m");
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0]["kind"], "level");
  EXPECT_EQ(alerts[0]["severity"], "alert");
  EXPECT_FALSE(alerts[0]["retrain"].get<bool>());
  EXPECT_EQ(alerts[0]["message"],
            "flights_3m moved in level since the model's reference (2018-06): mean 2.1 at "
            "2018-08 against 3, -30% (z -12.5)");
}

TEST(MonitorAlerts, OnlyTheCurrentModelsDegradationAndTopFeatureDriftRetrain) {
  const json realized_rows = {{{"scored_month", "2018-01"},
                               {"model_id", "2018-01-aaaa"},
                               {"status", "degraded"},
                               {"status_reason", "r1"},
                               {"matured_share", 1.0},
                               {"roc_auc", 0.6},
                               {"expected", kExpected}},
                              {{"scored_month", "2018-02"},
                               {"model_id", "2018-02-bbbb"},
                               {"status", "degraded"},
                               {"status_reason", "r2"},
                               {"matured_share", 1.0},
                               {"roc_auc", 0.6},
                               {"expected", kExpected}},
                              {{"scored_month", "2018-03"},
                               {"model_id", "2018-02-bbbb"},
                               {"status", "watch"},
                               {"status_reason", "r3"},
                               {"matured_share", 0.5},
                               {"roc_auc", 0.7},
                               {"expected", kExpected}},
                              {{"scored_month", "2018-04"},
                               {"model_id", "2018-02-bbbb"},
                               {"status", "ok"},
                               {"status_reason", "r4"},
                               {"matured_share", 0.5},
                               {"roc_auc", 0.8},
                               {"expected", kExpected}}};
  const json drift = {{"scored_month", "2018-06"},
                      {"model_id", "2018-02-bbbb"},
                      {"reference_month", "2018-02"},
                      {"features",
                       {{{"feature", "tenure_months"}, {"psi", 0.3}, {"top5", true}},
                        {{"feature", "gender"}, {"psi", 0.4}, {"top5", false}},
                        {{"feature", "flights_3m"}, {"psi", 0.12}, {"top5", true}},
                        {{"feature", "salary"}, {"psi", 0.01}, {"top5", false}}}},
                      {"score", {{"psi", 0.05}}}};
  const json quality = {{"arrival", "2018-06_b"},       {"previous_arrival", "2018-05_a"},
                        {"quarantine_rate", 0.004},     {"previous_quarantine_rate", 0.001},
                        {"missing_month_rate", 0.0105}, {"previous_missing_month_rate", 0.01}};
  const json alerts = monitor::monitor_alerts(realized_rows, drift, quality, "2018-02-bbbb");
  ASSERT_EQ(alerts.size(), 7u);
  const auto retrains = [&](std::size_t i) { return alerts[i]["retrain"].get<bool>(); };
  EXPECT_EQ(alerts[0]["kind"], "degraded");
  EXPECT_FALSE(retrains(0));  // the model that scored 2018-01 was replaced
  EXPECT_EQ(alerts[1]["kind"], "degraded");
  EXPECT_TRUE(retrains(1));
  EXPECT_EQ(alerts[1]["message"], "scoring 2018-02 (100% matured), model 2018-02-bbbb: r2");
  EXPECT_EQ(alerts[2]["severity"], "watch");
  EXPECT_FALSE(retrains(2));
  EXPECT_EQ(alerts[3]["subject"], "tenure_months");
  EXPECT_TRUE(retrains(3));
  EXPECT_EQ(alerts[3]["message"],
            "tenure_months (a top-5 feature) moved since the model's reference (2018-02): PSI "
            "0.300 at 2018-06 (major shift)");
  EXPECT_EQ(alerts[4]["subject"], "gender");
  EXPECT_EQ(alerts[4]["severity"], "alert");
  EXPECT_FALSE(retrains(4));  // not a top-5 feature
  EXPECT_EQ(alerts[5]["subject"], "flights_3m");
  EXPECT_EQ(alerts[5]["severity"], "watch");
  EXPECT_EQ(alerts[6]["kind"], "data");
  EXPECT_EQ(alerts[6]["message"],
            "quarantine rate rose from 0.100% in arrival 2018-05_a to 0.400% in arrival 2018-06_b");
}

TEST(MonitorAlerts, ArrivalQualityComparesTheLatestTwoArrivals) {
  const auto manifest = [](const char* id, double q, double m) {
    return json{{"arrival_id", id},
                {"data_last_month", "2018-01"},
                {"quality",
                 {{"quarantine_rate", q},
                  {"rows_quarantined", 1},
                  {"missing_month_rate", m},
                  {"missing_member_months", 2}}}};
  };
  EXPECT_TRUE(monitor::arrival_quality({}).is_null());
  const json first = monitor::arrival_quality({manifest("a", 0.01, 0.02)});
  EXPECT_TRUE(first["previous_arrival"].is_null());
  const json q = monitor::arrival_quality({manifest("a", 0.01, 0.02), manifest("b", 0.03, 0.02)});
  EXPECT_EQ(q["arrival"], "b");
  EXPECT_EQ(q["previous_arrival"], "a");
  EXPECT_DOUBLE_EQ(q["previous_quarantine_rate"].get<double>(), 0.01);
  EXPECT_EQ(monitor::monitor_alerts(json::array(), nullptr, q, "m").size(), 1u);
}

}  // namespace
}  // namespace aa
