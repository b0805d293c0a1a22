// The model against planted truth. Unit: recovery_report on hand-made files. End to end, at
// small scale with loose bounds (the 100,000-member figures are in docs/CHURN_MODEL.md): the
// model recovers behaviour planted in the behaviour scenario, and the diagnostics flag the
// tenure-cliff scenario's model as one rule.
#include "sample/recovery.h"

#include <gtest/gtest.h>

#include <fmt/format.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "core/duck.h"
#include "support/test_support.h"

namespace aa {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

void write_parquet(const fs::path& path, const std::string& select) {
  auto db = duck::Database::open(":memory:");
  duck::Connection c(db);
  c.execute("copy (" + select + ") to " + duck::quote_literal(path.string()) +
            " (format parquet)");
}

TEST(Recovery, ReportOnHandMadeFiles) {
  test::TempDir dir;
  const int t = 2018 * 12 + 5;
  // Labels 0 0 1 1; the model scores 0.1 0.4 0.35 0.8 (AUC 3/4); the truth ranks perfectly.
  write_parquet(dir / "backtest.parquet",
                fmt::format("select * from (values ({0}, 1, 0, 0.1, 'flights_3m'), ({0}, 2, 0, "
                            "0.4, 'loyalty_card'), ({0}, 3, 1, 0.35, null), ({0}, 4, 1, 0.8, "
                            "'months_since_last_flight')) v(cutoff_month_index, loyalty_number, "
                            "label, churn_probability, reason_1_feature)",
                            t));
  write_parquet(dir / "truth.parquet",
                fmt::format("select * from (values (1, {0}, 0.1, 'baseline'), (2, {0}, 0.2, "
                            "'card_tier'), (3, {0}, 0.3, 'recency'), (4, {0}, 0.4, 'recency'), "
                            "(4, {1}, 0.9, 'recency')) v(loyalty_number, month_index, "
                            "p_cancel_6m, top_mechanism)",
                            t, t - 1));
  const json r = sample::recovery_report(dir / "truth.parquet", dir / "backtest.parquet", 50, 1);
  ASSERT_EQ(r.at("cutoffs").size(), 1u);
  const json& c = r.at("cutoffs").at(0);
  EXPECT_EQ(c.at("cutoff"), "2018-06");
  EXPECT_EQ(c.at("rows"), 4);
  EXPECT_EQ(c.at("positives"), 2);
  EXPECT_DOUBLE_EQ(c.at("bayes_auc").get<double>(), 1.0);
  EXPECT_DOUBLE_EQ(c.at("model_auc").get<double>(), 0.75);
  EXPECT_DOUBLE_EQ(c.at("gap").get<double>(), 0.25);
  EXPECT_DOUBLE_EQ(c.at("mean_true_probability").get<double>(), 0.25);
  // The top decile is one member (ceil(0.4)): member 4, whose reason names recency.
  EXPECT_EQ(c.at("reason_agreement").at("top_decile_members"), 1);
  EXPECT_DOUBLE_EQ(c.at("reason_agreement").at("share").get<double>(), 1.0);
  EXPECT_EQ(c.at("reason_agreement").at("by_true_mechanism").at("recency").at("agree"), 1);

  // A backtest row without its truth is a mismatch of files, said plainly.
  write_parquet(dir / "other.parquet",
                fmt::format("select * from (values (9, {0}, 0.1, 'baseline')) v(loyalty_number, "
                            "month_index, p_cancel_6m, top_mechanism)",
                            t));
  EXPECT_APP_ERROR(sample::recovery_report(dir / "other.parquet", dir / "backtest.parquet", 10, 1),
                   core::ErrorKind::InvalidInput,
                   "a backtest row (cutoff 2018-06) has no truth in '" +
                       (dir / "other.parquet").string() +
                       "': was the lake built from this truth's files?");
  EXPECT_APP_ERROR(sample::recovery_report(dir / "none.parquet", dir / "backtest.parquet", 10, 1),
                   core::ErrorKind::NotFound,
                   "'" + (dir / "none.parquet").string() + "' does not exist");
}

TEST(Recovery, GoalsAreMetOnlyWhenTheIntervalClearsThem) {
  EXPECT_STREQ(sample::goal_verdict(0.76, 0.79, 0.75, true), "met");
  EXPECT_STREQ(sample::goal_verdict(0.74, 0.79, 0.75, true), "not distinguishable from the goal");
  EXPECT_STREQ(sample::goal_verdict(0.70, 0.74, 0.75, true), "missed");
  EXPECT_STREQ(sample::goal_verdict(0.010, 0.019, 0.02, false), "met");
  EXPECT_STREQ(sample::goal_verdict(0.015, 0.025, 0.02, false),
               "not distinguishable from the goal");
  EXPECT_STREQ(sample::goal_verdict(0.021, 0.03, 0.02, false), "missed");
}

// `recovery` end to end at small scale; returns its report.
json recover(const std::string& scenario, int members) {
  const test::TempDir dir;
  const auto run = test::run_cli({"recovery", "--scenario", scenario, "--members",
                                  std::to_string(members), "--work", (dir / "w").string(),
                                  "--bootstrap", "20", "--json", "--quiet"});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  return run.exit_code == 0 ? json::parse(run.out) : json();
}

const json& headline(const json& report) { return report.at("cutoffs").back(); }

TEST(RecoverySmall, BehaviourIsRecovered) {
  const json r = recover("behaviour", 4000);
  ASSERT_FALSE(r.is_null());
  const json& c = headline(r);
  EXPECT_EQ(c.at("cutoff"), "2018-06");
  EXPECT_GT(c.at("bayes_auc").get<double>(), 0.75);
  EXPECT_LT(c.at("gap").get<double>(), 0.08) << c.dump();
  EXPECT_GT(c.at("gap").get<double>(), -0.03) << c.dump();  // no model beats the truth by much
  EXPECT_GT(c.at("calibration_slope").get<double>(), 0.6) << c.dump();
  EXPECT_LT(c.at("calibration_slope").get<double>(), 1.5) << c.dump();
  EXPECT_GE(c.at("reason_agreement").at("share").get<double>(), 0.6) << c.dump();
  EXPECT_FALSE(r.at("diagnostics").at("one_feature_model").get<bool>());
  EXPECT_GT(r.at("diagnostics").at("tenure_only").at("auc_difference_ci").at(0).get<double>(), 0);
}

TEST(RecoverySmall, TenureCliffIsFlaggedAsOneRule) {
  const json r = recover("tenure-cliff", 4000);
  ASSERT_FALSE(r.is_null());
  const json& d = r.at("diagnostics");
  EXPECT_TRUE(d.at("one_feature_model").get<bool>());
  EXPECT_EQ(d.at("dominant_feature").at("name"), "tenure_months");
  const json& ci = d.at("tenure_only").at("auc_difference_ci");
  EXPECT_LE(ci.at(0).get<double>(), 0.0) << ci.dump();  // behaviour adds nothing measurable
  EXPECT_GE(ci.at(1).get<double>(), 0.0) << ci.dump();
  EXPECT_LT(headline(r).at("gap").get<double>(), 0.08);
}

// No model beats the truth by more than noise, and the model gets somewhere near it.
void expect_below_the_limit(const std::string& scenario, int members) {
  const json r = recover(scenario, members);
  ASSERT_FALSE(r.is_null()) << scenario;
  const json& c = headline(r);
  EXPECT_GT(c.at("bayes_auc").get<double>(), 0.65) << c.dump();
  EXPECT_GT(c.at("gap").get<double>(), -0.05) << c.dump();
  EXPECT_LT(c.at("gap").get<double>(), 0.15) << c.dump();
}

TEST(RecoverySmall, ReferenceLikeStaysBelowItsLimit) { expect_below_the_limit("reference-like", 6000); }

TEST(RecoverySmall, DriftStaysBelowItsLimit) { expect_below_the_limit("drift", 3000); }

}  // namespace
}  // namespace aa
