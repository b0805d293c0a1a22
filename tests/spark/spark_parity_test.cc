// The feature models on Spark (issue #8): the real data set through DuckDB and through local
// Spark (PySpark's spark-sql from the test venv, local[2], Java 17) must give the same
// customer_features, every column of every member. Also the engine's failure paths, with stand-in
// launchers (shell scripts) so that they need no JVM.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <nlohmann/json.hpp>

#include "core/duck.h"
#include "core/files.h"
#include "support/test_support.h"

namespace aa {
namespace {

namespace fs = std::filesystem;

// PySpark's launcher in the test venv (make deps-python installs it).
fs::path venv_spark_home() {
  const fs::path lib = test::source_dir() / ".venv" / "lib";
  if (fs::exists(lib)) {
    for (const auto& entry : fs::directory_iterator(lib)) {
      const fs::path home = entry.path() / "site-packages" / "pyspark";
      if (fs::exists(home / "bin" / "spark-sql")) {
        return home;
      }
    }
  }
  return {};
}

std::string features_file(const fs::path& lake) {
  return (lake / "curated" / "customer_features" / "customer_features.parquet").string();
}

class SparkParity : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    spark_home_ = new fs::path(venv_spark_home());
    if (!fs::exists(test::real_data_dir() / "Customer Loyalty History.csv") ||
        spark_home_->empty()) {
      return;
    }
    dir_ = new test::TempDir();
    const std::string duck_lake = (*dir_ / "duckdb").string();
    const std::string spark_lake = (*dir_ / "spark").string();
    ingest_ = new test::ProcessResult(test::run_cli(
        {"ingest", "--raw-dir", test::real_data_dir().string(), "--lake", duck_lake, "-q"}));
    if (ingest_->exit_code != 0) {
      return;
    }
    fs::copy(duck_lake, spark_lake, fs::copy_options::recursive);
    duck_ = new test::ProcessResult(
        test::run_cli({"features", "--lake", duck_lake, "--no-warehouse", "--json"}));
    spark_ = new test::ProcessResult(
        test::run_cli({"features", "--lake", spark_lake, "--no-warehouse", "--json", "--engine",
                       "spark", "--master", "local[2]"},
                      {{"SPARK_HOME", spark_home_->string()}}));
  }
  static void TearDownTestSuite() {
    delete ingest_;
    delete duck_;
    delete spark_;
    delete dir_;
    delete spark_home_;
  }
  void SetUp() override {
    ASSERT_FALSE(spark_home_->empty())
        << "PySpark's spark-sql is not in the test venv (.venv/lib/python3*/site-packages/"
           "pyspark/bin); run `make deps-python`";
    if (dir_ == nullptr) {
      if (std::getenv("CI") != nullptr) {
        FAIL() << "real data set missing at " << test::real_data_dir();
      }
      GTEST_SKIP() << "real data set not found at " << test::real_data_dir()
                   << " (set AA_REAL_DATA_DIR to run this test)";
    }
    ASSERT_EQ(ingest_->exit_code, 0) << ingest_->err;
    ASSERT_EQ(duck_->exit_code, 0) << duck_->err;
    ASSERT_EQ(spark_->exit_code, 0) << spark_->err;
  }
  static fs::path duck_lake() { return *dir_ / "duckdb"; }
  static fs::path spark_lake() { return *dir_ / "spark"; }
  static fs::path* spark_home_;
  static test::TempDir* dir_;
  static test::ProcessResult* ingest_;
  static test::ProcessResult* duck_;
  static test::ProcessResult* spark_;
};
fs::path* SparkParity::spark_home_ = nullptr;
test::TempDir* SparkParity::dir_ = nullptr;
test::ProcessResult* SparkParity::ingest_ = nullptr;
test::ProcessResult* SparkParity::duck_ = nullptr;
test::ProcessResult* SparkParity::spark_ = nullptr;

// Spark's own output (its Parquet part files, before the stage publishes them) against the
// DuckDB run's published file: the same columns and types, the same members, and for every
// column the number of members whose values differ (NULLs compared as values) is zero.
TEST_F(SparkParity, SparkPartFilesEqualDuckDbForEveryColumnAndMember) {
  const fs::path parts = spark_lake() / "_work" / "spark" / "customer_features";
  ASSERT_TRUE(fs::exists(parts / "_SUCCESS")) << spark_->err;
  auto db = duck::Database::open(":memory:");
  duck::Connection c(db);
  c.execute("create view d as select * from read_parquet(" +
            duck::quote_literal(features_file(duck_lake())) + ")");
  c.execute("create view s as select * from read_parquet(" +
            duck::quote_literal((parts / "*.parquet").string()) + ")");
  auto schema_d = c.query("select column_name, column_type from (describe d)");
  auto schema_s = c.query("select column_name, column_type from (describe s)");
  ASSERT_EQ(schema_d.row_count(), 25U);
  ASSERT_EQ(schema_s.row_count(), schema_d.row_count());
  std::vector<std::string> columns;
  for (std::size_t r = 0; r < schema_d.row_count(); ++r) {
    EXPECT_EQ(schema_s.text(0, r), schema_d.text(0, r)) << "column " << r;
    EXPECT_EQ(schema_s.text(1, r), schema_d.text(1, r)) << *schema_d.text(0, r);
    columns.push_back(*schema_d.text(0, r));
  }
  EXPECT_EQ(c.query("select count(*) from d").scalar_int64(), 16737);
  EXPECT_EQ(c.query("select count(*) from s").scalar_int64(), 16737);
  EXPECT_EQ(c.query("select count(distinct loyalty_number) from s").scalar_int64(), 16737);

  std::string select =
      "select count(*) filter (where d.loyalty_number is null or "
      "s.loyalty_number is null) as unmatched";
  for (const auto& col : columns) {
    select += ", count(*) filter (where d." + duck::quote_ident(col) + " is distinct from s." +
              duck::quote_ident(col) + ") as " + duck::quote_ident(col);
  }
  select += " from d full outer join s on d.loyalty_number = s.loyalty_number";
  auto diff = c.query(select);
  for (std::size_t k = 0; k < diff.column_count(); ++k) {
    EXPECT_EQ(diff.int64(k, 0), 0) << diff.column_name(k) << ": members whose values differ";
  }
  // The comparison sees a difference when there is one.
  auto planted = c.query(
      "select count(*) filter (where d.monetary is distinct from s.monetary + "
      "(s.loyalty_number = (select min(loyalty_number) from s))::int) "
      "from d join s using (loyalty_number)");
  EXPECT_EQ(planted.int64(0, 0), 1);
  // Not a trivial data set: every segment and both cancellation states occur.
  EXPECT_EQ(c.query("select count(distinct rfm_segment) from s").scalar_int64(), 5);
  EXPECT_GT(c.query("select count(*) from s where is_cancelled").scalar_int64(), 0);
}

TEST_F(SparkParity, PublishedFilesAreIdenticalAndTheStateNamesTheEngine) {
  EXPECT_EQ(core::sha256_file(features_file(spark_lake())).sha256,
            core::sha256_file(features_file(duck_lake())).sha256);
  const auto spark = nlohmann::json::parse(spark_->out);
  const auto duck = nlohmann::json::parse(duck_->out);
  EXPECT_EQ(spark["features"]["members"], 16737);
  EXPECT_EQ(spark["features"]["segments"], duck["features"]["segments"]);
  const auto state =
      nlohmann::json::parse(test::read_text(spark_lake() / "_state" / "features.json"));
  EXPECT_EQ(state["inputs"]["engine"], "spark") << state.dump();
  EXPECT_NE(spark_->err.find("running the models on Spark"), std::string::npos) << spark_->err;
  EXPECT_NE(spark_->err.find("--master local[2]"), std::string::npos) << spark_->err;
  // The script Spark ran: the models rendered for Spark, exact quantiles.
  const std::string script =
      test::read_text(spark_lake() / "_work" / "spark" / "customer_features.sql");
  EXPECT_NE(script.find("percentile(frequency, 0.2)"), std::string::npos) << script;
  EXPECT_EQ(script.find("quantile_cont"), std::string::npos);
  EXPECT_EQ(script.find("approx"), std::string::npos);
}

// Failure paths, on a small generated sample, with stand-in launchers.
class SparkEngineErrors : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(test::run_cli({"generate-sample", "--out", (dir_ / "raw").string(), "--members",
                             "300", "--seed", "5"})
                  .exit_code,
              0);
    ASSERT_EQ(test::run_cli({"run", "--raw-dir", (dir_ / "raw").string(), "--lake", lake(),
                             "--bootstrap", "20", "-q"})
                  .exit_code,
              0);
    published_ = core::sha256_file(features_file(lake())).sha256;
  }
  std::string lake() const { return (dir_ / "lake").string(); }
  // A shell script standing in for spark-sql.
  std::string launcher(const std::string& body) {
    const fs::path path = dir_ / ("spark-sql-" + std::to_string(++launchers_));
    test::write_text(path, "#!/bin/sh\n" + body);
    ::chmod(path.c_str(), 0755);
    return path.string();
  }
  void expect_unchanged() {
    EXPECT_EQ(core::sha256_file(features_file(lake())).sha256, published_)
        << "the last good customer_features must stay in place";
  }
  test::TempDir dir_;
  std::string published_;
  int launchers_ = 0;
};

TEST_F(SparkEngineErrors, NoLauncherIsAClearError) {
  auto r = test::run_cli({"features", "--lake", lake(), "--engine", "spark", "--spark-sql",
                          (dir_ / "no-such-spark-sql").string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("no-such-spark-sql' is not an executable file"), std::string::npos) << r.err;
  r = test::run_cli({"features", "--lake", lake(), "--engine", "spark"},
                    {{"PATH", "/nonexistent"}, {"SPARK_HOME", ""}});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--engine spark needs Spark's spark-sql"), std::string::npos) << r.err;
  r = test::run_cli({"features", "--lake", lake(), "--engine", "spark"},
                    {{"SPARK_HOME", (dir_ / "not-spark").string()}});
  EXPECT_NE(r.err.find("SPARK_HOME is '"), std::string::npos) << r.err;
  r = test::run_cli({"features", "--lake", lake(), "--master", "local[2]"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("apply to --engine spark only"), std::string::npos) << r.err;
  r = test::run_cli({"features", "--lake", lake(), "--engine", "flink"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  expect_unchanged();
}

TEST_F(SparkEngineErrors, AFailingSparkRunNamesItsLogAndKeepsTheLastGoodFile) {
  const std::string fake = launcher(
      "echo '26/11/24 10:00:00 WARN Utils: noise' >&2\n"
      "echo '[UNRESOLVED_COLUMN.WITH_SUGGESTION] A column cannot be resolved: `nosuch`.' >&2\n"
      "exit 3\n");
  for (const std::string command : {"features", "run"}) {
    std::vector<std::string> args = {command, "--lake",      lake(), "--engine",
                                     "spark", "--spark-sql", fake};
    if (command == "run") {
      args.insert(args.end(), {"--raw-dir", (dir_ / "raw").string()});
    }
    auto r = test::run_cli(args);
    EXPECT_EQ(r.exit_code, 2) << command;
    EXPECT_NE(r.err.find("spark-sql exited with status 3"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("spark-sql.log"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("UNRESOLVED_COLUMN"), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find("noise"), std::string::npos) << r.err;
    expect_unchanged();
  }
}

TEST_F(SparkEngineErrors, ALauncherGetsTheMasterAndAScriptAndItsSchemaIsChecked) {
  // Writes a Parquet file with the wrong columns where Spark's output goes, as if it succeeded.
  const fs::path wrong = dir_ / "wrong.parquet";
  {
    auto db = duck::Database::open(":memory:");
    duck::Connection c(db);
    c.execute("copy (select 1::bigint as loyalty_number, 'x' as country) to " +
              duck::quote_literal(wrong.string()) + " (format parquet)");
  }
  const std::string fake = launcher(
      "printf '%s\\n' \"$@\" > args.txt\n"
      "mkdir -p customer_features\n"
      "cp '" +
      wrong.string() +
      "' customer_features/part-00000.parquet\n"
      "touch customer_features/_SUCCESS\n");
  auto r = test::run_cli({"features", "--lake", lake(), "--engine", "spark", "--spark-sql", fake,
                          "--master", "local[3]", "--no-warehouse"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("does not have the models' columns"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("Spark:  loyalty_number BIGINT, country VARCHAR"), std::string::npos)
      << r.err;
  expect_unchanged();
  const std::string args = test::read_text(fs::path(lake()) / "_work" / "spark" / "args.txt");
  EXPECT_NE(args.find("--master\nlocal[3]\n"), std::string::npos) << args;
  EXPECT_NE(args.find("spark.sql.session.timeZone=UTC"), std::string::npos) << args;
  EXPECT_NE(args.find("-f\n" + (fs::path(lake()) / "_work" / "spark").string() +
                      "/customer_features.sql\n"),
            std::string::npos)
      << args;
}

}  // namespace
}  // namespace aa
