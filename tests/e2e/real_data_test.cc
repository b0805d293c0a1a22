// End to end on the real data set (../shared/data/airline-loyalty): exact figures, row
// accounting, and equality with the reference's pandas algorithm for every member and column.
#include <gtest/gtest.h>

#include <cstdlib>
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
  EXPECT_GT(r.int64(1, 0), 14670 * 9 / 10);
  EXPECT_GE(r.float64(2, 0), 0.0);
  EXPECT_LE(r.float64(3, 0), 1.0);
}

}  // namespace
}  // namespace aa
