// End to end on the real data set (../shared/data/airline-loyalty): exact figures, row
// accounting, and equality with the reference's pandas algorithm for every member and column.
#include <gtest/gtest.h>

#include <cstdlib>
#include <map>
#include <nlohmann/json.hpp>

#include "core/duck.h"
#include "support/test_support.h"

namespace aa {
namespace {

namespace fs = std::filesystem;

class RealData : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (!fs::exists(test::real_data_dir() / "Customer Loyalty History.csv")) {
      return;
    }
    dir_ = new test::TempDir();
    std::vector<std::string> args = {
        "run",   "--raw-dir", test::real_data_dir().string(), "--lake", (*dir_ / "lake").string(),
        "--json"};
    // The asan preset lowers the bootstrap resamples (instrumented resampling is slow); the
    // figures checked here do not depend on them.
    if (const char* resamples = std::getenv("AA_E2E_BOOTSTRAP")) {
      args.insert(args.end(), {"--bootstrap", resamples});
    }
    run_ = new test::ProcessResult(test::run_cli(args));
  }
  static void TearDownTestSuite() {
    delete run_;
    delete dir_;
  }
  void SetUp() override {
    if (dir_ == nullptr) {
      // CI always has ../shared beside the clone: there, a missing data set is a failure.
      if (std::getenv("CI") != nullptr) {
        FAIL() << "real data set missing at " << test::real_data_dir();
      }
      GTEST_SKIP() << "real data set not found at " << test::real_data_dir()
                   << " (set AA_REAL_DATA_DIR to run this test)";
    }
    ASSERT_EQ(run_->exit_code, 0) << run_->err;
  }
  static nlohmann::json summary() { return nlohmann::json::parse(run_->out); }
  static fs::path lake() { return *dir_ / "lake"; }
  static test::TempDir* dir_;
  static test::ProcessResult* run_;
};
test::TempDir* RealData::dir_ = nullptr;
test::ProcessResult* RealData::run_ = nullptr;

TEST_F(RealData, ExactFiguresAndRowAccounting) {
  const auto j = summary();
  EXPECT_EQ(j["members"], 16737);
  const auto& report = j["stages"]["ingest"]["summary"];
  EXPECT_TRUE(report["balanced"].get<bool>());
  const auto& loyalty = report["files"][0];
  EXPECT_EQ(loyalty["rows_read"], 16737);
  EXPECT_EQ(loyalty["rows_loaded"], 16737);
  EXPECT_EQ(loyalty["rows_quarantined"], 0);
  EXPECT_EQ(loyalty["negative_salary_set_null"], 20);
  const auto& activity = report["files"][1];
  EXPECT_EQ(activity["rows_read"], 392936);
  EXPECT_EQ(activity["rows_quarantined"], 0);
  EXPECT_EQ(activity["rows_loaded"], 389065);
  EXPECT_EQ(activity["merged"]["exact_duplicates_dropped"], 1922);
  EXPECT_EQ(activity["merged"]["same_month_rows_summed"], 1949);
  EXPECT_EQ(activity["rows_merged"], 3871);

  auto db =
      duck::Database::open((lake() / "warehouse.duckdb").string(), {{"access_mode", "READ_ONLY"}});
  duck::Connection c(db);
  auto r = c.query(
      "select count(*), count(*) filter (where is_cancelled), count(*) filter (where not "
      "is_cancelled), count(distinct province), count(distinct city), count(distinct "
      "loyalty_card) from customer_features");
  EXPECT_EQ(r.int64(0, 0), 16737);
  EXPECT_EQ(r.int64(1, 0), 2067);
  EXPECT_EQ(r.int64(2, 0), 14670);
  EXPECT_EQ(r.int64(3, 0), 11);
  EXPECT_EQ(r.int64(4, 0), 29);
  EXPECT_EQ(r.int64(5, 0), 3);
  EXPECT_EQ(
      c.query("select count(*) from customer_loyalty_history where salary is null").scalar_int64(),
      4238 + 20);
  EXPECT_EQ(c.query("select count(*) from customer_flight_activity").scalar_int64(), 389065);
}

TEST_F(RealData, RawCopiesAreByteIdenticalWithManifest) {
  const auto manifest = nlohmann::json::parse(test::read_text(lake() / "raw" / "manifest.json"));
  EXPECT_EQ(manifest["files"][0]["data_rows"], 16737);
  EXPECT_EQ(manifest["files"][1]["data_rows"], 392936);
  EXPECT_EQ(test::read_text(lake() / "raw" / "customer_flight_activity.csv"),
            test::read_text(test::real_data_dir() / "Customer Flight Activity.csv"));
}

TEST_F(RealData, EveryMemberEqualsThePandasReference) {
  const fs::path baseline = test::source_dir() / ".." / "shared" / "bench" / "pandas_baseline.py";
  ASSERT_TRUE(fs::exists(test::python())) << "run `make deps` to create the test venv";
  const fs::path out = *dir_ / "pandas.parquet";
  const auto p = test::run_process(
      {test::python().string(), baseline.string(), test::real_data_dir().string(), out.string()});
  ASSERT_EQ(p.exit_code, 0) << p.err;

  auto db = duck::Database::open(":memory:");
  duck::Connection c(db);
  c.execute("create table ref as select * from read_parquet(" + duck::quote_literal(out.string()) +
            ")");
  c.execute("create table ours as select * from read_parquet(" +
            duck::quote_literal(
                (lake() / "curated/customer_features/customer_features.parquet").string()) +
            ")");
  EXPECT_EQ(c.query("select count(*) from ref").scalar_int64(), 16737);
  const std::vector<std::string> columns = {
      "province",  "city",         "gender",        "education", "loyalty_card",
      "clv",       "is_cancelled", "tenure_months", "recency",   "r_score",
      "frequency", "f_score",      "monetary",      "m_score",   "rfm_segment"};
  for (const auto& col : columns) {
    const auto differing =
        c.query("select count(*) from ref full join ours using (loyalty_number) where ref." + col +
                " is distinct from ours." + col)
            .scalar_int64();
    EXPECT_EQ(differing, 0) << "column " << col << " differs for " << differing << " members";
  }
  EXPECT_EQ(c.query("select count(*) from ref full join ours using (loyalty_number) where "
                    "ref.loyalty_number is null or ours.loyalty_number is null")
                .scalar_int64(),
            0);
}

TEST_F(RealData, ChurnModelIsHonestCalibratedAndBelowTheLeakyFigure) {
  const auto m = nlohmann::json::parse(
      test::read_text(lake() / "curated" / "churn" / "artifacts" / "metrics.json"));
  const auto& oot = m["out_of_time"];
  const double auc = oot["roc_auc"].get<double>();
  EXPECT_GT(auc, 0.6);
  EXPECT_LT(auc, 0.9);
  EXPECT_LE(oot["roc_auc_ci"][0].get<double>(), auc);
  EXPECT_GE(oot["roc_auc_ci"][1].get<double>(), auc);
  EXPECT_LT(oot["ece"].get<double>(), 0.05);
  EXPECT_GT(oot["base_rate"].get<double>(), 0.01);
  EXPECT_LT(oot["base_rate"].get<double>(), 0.05);
  EXPECT_GT(oot["pr_auc"].get<double>(), oot["base_rate"].get<double>());
  // The honest figure sits below the reference's leaky one.
  EXPECT_LT(auc, m["leaky_reference_protocol"]["roc_auc"].get<double>());
  EXPECT_GT(m["leaky_reference_protocol"]["roc_auc"].get<double>(), 0.8);
  for (const char* b : {"recency_rule", "logistic_regression", "reference_recipe"}) {
    const double v = m["baselines"][b]["roc_auc"].get<double>();
    EXPECT_GE(v, 0.3) << b;
    EXPECT_LE(v, 0.9) << b;
  }
  EXPECT_EQ(m["cutoffs"]["test"], nlohmann::json({"2017-12", "2018-06"}));
  // Members enrolled by 2018-06 and not cancelled by then.
  EXPECT_EQ(m["n_test"], 13699);
  EXPECT_GT(m["dormancy"]["out_of_time"]["roc_auc"].get<double>(), 0.5);

  auto db =
      duck::Database::open((lake() / "warehouse.duckdb").string(), {{"access_mode", "READ_ONLY"}});
  duck::Connection c(db);
  auto r = c.query(
      "select count(*), count(reason_1), min(churn_probability), max(churn_probability), "
      "count(*) filter (where scoring_status = 'cancelled') from customer_scored "
      "where scoring_status <> 'not_scored'");
  EXPECT_EQ(r.int64(0, 0), 16737);  // every member is scored or cancelled
  EXPECT_EQ(r.int64(4, 0), 2067);
  EXPECT_GT(r.int64(1, 0), 0);  // only material contributions become reasons
  EXPECT_GE(r.float64(2, 0), 0.0);
  EXPECT_LE(r.float64(3, 0), 1.0);
}

// Issue 24: the diagnostics notice that the model is tenure in disguise, and every word the
// product says about it follows from them.
TEST_F(RealData, DiagnosticsFindTheOneRuleAndTheWordsSaySo) {
  const auto m = nlohmann::json::parse(
      test::read_text(lake() / "curated" / "churn" / "artifacts" / "metrics.json"));
  const auto& d = m.at("diagnostics");
  for (const char* key : {"single_feature_auc", "dominant_feature", "stratified_auc",
                          "comparisons", "calibration", "one_feature_model"}) {
    EXPECT_TRUE(d.contains(key)) << key;
  }
  for (const char* key : {"name", "importance_share", "single_auc", "added_auc", "added_auc_ci"}) {
    EXPECT_TRUE(d.at("dominant_feature").contains(key)) << key;
  }
  for (const char* key : {"brier_skill_score", "slope", "intercept", "ece_over_base_rate"}) {
    EXPECT_TRUE(d.at("calibration").contains(key)) << key;
  }
  EXPECT_EQ(d.at("single_feature_auc").size(), 5u);
  for (const char* b : {"recency_rule", "logistic_regression", "reference_recipe", "tenure_only"}) {
    EXPECT_EQ(d.at("comparisons").at(b).at("auc_difference_ci").size(), 2u) << b;
  }
  EXPECT_EQ(d.at("dominant_feature").at("name"), "tenure_months");
  EXPECT_TRUE(d.at("one_feature_model").get<bool>());
  // Every setting chosen before the first test cutoff, and the report says where.
  const auto& protocol = m.at("protocol");
  EXPECT_LT(protocol.at("validation_cutoff").get<std::string>(),
            protocol.at("first_test_cutoff").get<std::string>());
  for (const auto& c : protocol.at("choices")) {
    EXPECT_EQ(c.at("chosen_on"), protocol.at("validation_cutoff")) << c.dump();
    if (c.at("criterion") == "validation ROC AUC") {  // the alternative only when better
      const auto& k = c.at("candidates");
      const bool alternative = k.at(1).at("validation_roc_auc").get<double>() >
                               k.at(0).at("validation_roc_auc").get<double>();
      EXPECT_EQ(c.at("chosen"), k.at(alternative ? 1 : 0).at("value")) << c.dump();
    }
  }
  // The words: the card, the signal and the reasons say what the diagnostics found.
  const auto& signal = m.at("signal");
  EXPECT_EQ(signal.at("behaviour_signal"), "empty");
  const std::string peak = std::to_string(m.at("tenure_hazard").at("peak").at("tenure_months").get<int>());
  EXPECT_NE(signal.at("headline").get<std::string>().find("mostly one rule"), std::string::npos);
  EXPECT_NE(signal.at("headline").get<std::string>().find("month " + peak + " of membership"),
            std::string::npos);
  const std::string card =
      test::read_text(lake() / "curated" / "churn" / "artifacts" / "model_card.md");
  EXPECT_NE(card.find(signal.at("headline").get<std::string>()), std::string::npos);
  EXPECT_EQ(card.find("target met"), std::string::npos);
  auto db =
      duck::Database::open((lake() / "warehouse.duckdb").string(), {{"access_mode", "READ_ONLY"}});
  duck::Connection c(db);
  EXPECT_EQ(c.query("select count(*) from churn_predictions where reason_1 like 'Member for%' or "
                    "reason_2 like 'Member for%' or reason_3 like 'Member for%'")
                .scalar_int64(),
            0);
  // Tenure reasons near the peak say so, with the peak the product found.
  EXPECT_GT(c.query("select count(*) from churn_predictions where reason_feature_1 = "
                    "'tenure_months' and reason_1 like '%before cancellations here peak (month " +
                    peak + ")'")
                .scalar_int64(),
            0);
}

// The cancellation hazard by month of membership: the spike the operation finds, checked
// against counts made here with SQL straight from the processed Parquet files.
TEST_F(RealData, TenureHazardFindsTheSpikeMonthThatAnIndependentCountConfirms) {
  const auto run = test::run_cli({"ops", "run", "tenure_hazard", "--param",
                                  "max_tenure_months=1200", "--lake", lake().string(), "--json"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto result = nlohmann::json::parse(run.out).at("result");

  auto db = duck::Database::open(":memory:");
  duck::Connection c(db);
  c.execute(
      "create table members as select enrollment_year * 12 + enrollment_month - 1 as enrolled, "
      "cancellation_year * 12 + cancellation_month - 1 as cancelled from read_parquet(" +
      duck::quote_literal((lake() / "processed/customer_loyalty_history.parquet").string()) + ")");
  const std::int64_t last =
      c.query(
           "select max(year * 12 + month - 1) from read_parquet(" +
           duck::quote_literal((lake() / "processed/customer_flight_activity/*.parquet").string()) +
           ")")
          .scalar_int64();
  const std::int64_t cancellations = c.query("select count(cancelled) from members").scalar_int64();
  EXPECT_EQ(result.at("cancellations"), cancellations);
  EXPECT_EQ(result.at("members"), c.query("select count(*) from members").scalar_int64());

  std::vector<int> spike_months;
  for (const auto& s : result.at("spikes")) {
    spike_months.push_back(s.at("tenure_months"));
  }
  ASSERT_EQ(spike_months, std::vector<int>{8});
  const auto& spike = result.at("spikes").at(0);
  const std::int64_t k = spike.at("tenure_months");
  const std::int64_t events =
      c.prepare("select count(*) from members where cancelled - enrolled = $1")
          .bind(1, k)
          .execute()
          .scalar_int64();
  EXPECT_EQ(spike.at("events"), events);
  EXPECT_DOUBLE_EQ(spike.at("share_of_cancellations").get<double>(),
                   static_cast<double>(events) / static_cast<double>(cancellations));
  // At risk in month k: followed k months or more (to cancelling or to the data's last
  // month) without cancelling before k.
  const std::int64_t at_risk =
      c.prepare("select count(*) from members where coalesce(cancelled, $1) - enrolled >= $2")
          .bind(1, last)
          .bind(2, k)
          .execute()
          .scalar_int64();
  const auto& row = result.at("rows").at(static_cast<std::size_t>(k));
  EXPECT_EQ(row.at("tenure_months"), k);
  EXPECT_EQ(row.at("at_risk"), at_risk);
  EXPECT_DOUBLE_EQ(row.at("hazard").get<double>(),
                   static_cast<double>(events) / static_cast<double>(at_risk));
  // The rule holds for it, as stated.
  EXPECT_GE(spike.at("ratio").get<double>(), result.at("spike_rule").at("min_ratio").get<double>());
  EXPECT_LT(spike.at("p_value").get<double>(),
            result.at("spike_rule").at("p_threshold").get<double>());

  // Every month's cancellations equal the count by gap; no other month is flagged.
  auto gaps = c.query(
      "select cancelled - enrolled, count(*) from members where cancelled is not null "
      "group by 1");
  std::map<std::int64_t, std::int64_t> by_gap;
  for (std::size_t i = 0; i < gaps.row_count(); ++i) {
    by_gap[gaps.int64(0, i)] = gaps.int64(1, i);
  }
  std::int64_t total = 0;
  for (const auto& r : result.at("rows")) {
    const std::int64_t month = r.at("tenure_months");
    EXPECT_EQ(r.at("events"), by_gap.count(month) ? by_gap.at(month) : 0) << month;
    EXPECT_EQ(r.at("is_spike").get<bool>(), month == k) << month;
    total += r.at("events").get<std::int64_t>();
  }
  EXPECT_EQ(total, cancellations);
}

}  // namespace
}  // namespace aa
