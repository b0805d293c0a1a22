// The binary as users run it: exit codes, one-line errors, JSON on stdout, idempotent reruns.
#include <gtest/gtest.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "cli/cli_common.h"
#include "core/duck.h"
#include "core/files.h"
#include "support/test_support.h"

namespace aa {
namespace {

using test::run_cli;
using test::TempDir;

TEST(Cli, HelpListsSubcommandsAndExitsZero) {
  const auto r = run_cli({"--help"});
  EXPECT_EQ(r.exit_code, 0);
  for (const char* cmd : {"generate-sample", "ingest", "features", "run"}) {
    EXPECT_NE(r.out.find(cmd), std::string::npos) << cmd;
  }
  for (const char* cmd : {"generate-sample", "ingest", "features", "run"}) {
    EXPECT_EQ(run_cli({cmd, "--help"}).exit_code, 0) << cmd;
  }
}

// libgomp must not load with the binary: main() sets its wait policy first (see cli/main.cc).
TEST(Cli, OpenMpIsLoadedOnlyWithTheModel) {
  const auto r = run_cli({"--version"}, {{"OMP_DISPLAY_ENV", "verbose"}});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.err.find("OPENMP DISPLAY ENVIRONMENT"), std::string::npos) << r.err;
}

TEST(Cli, UsageErrorsExitTwo) {
  EXPECT_EQ(run_cli({}).exit_code, 2);
  EXPECT_EQ(run_cli({"no-such-command"}).exit_code, 2);
  EXPECT_EQ(run_cli({"run", "--threads", "0"}).exit_code, 2);
  EXPECT_EQ(run_cli({"generate-sample"}).exit_code, 2);  // --out is required
}

TEST(Cli, MissingDataIsOneLineOnStderrAndExitTwo) {
  TempDir dir;
  const auto r =
      run_cli({"run", "--raw-dir", (dir / "nothing").string(), "--lake", (dir / "lake").string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "error: 'Customer Loyalty History.csv' not found in '" +
                       (dir / "nothing").string() +
                       "' (also looked for 'customer_loyalty_history.csv'); point --raw-dir or "
                       "AIRLINE_RAW_DIR at the folder holding the data set\n");
  EXPECT_EQ(r.out, "");
}

TEST(Cli, BadSettingsAreErrors) {
  TempDir dir;
  auto r = run_cli({"ingest"}, {{"AIRLINE_THREADS", "many"}}, dir.path());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err,
            "error: environment: AIRLINE_THREADS='many' is not valid: expected a whole number "
            "from 1 to 1024\n");
  test::write_text(dir / ".env", "AIRLINE_LAKE=x\nAIRLINE_COLOUR=blue\n");
  r = run_cli({"ingest"}, {}, dir.path());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err.substr(0, 52), "error: .env:2: unknown setting 'AIRLINE_COLOUR'; kno");
}

TEST(Cli, MalformedFileIsALocatedErrorWithExitTwo) {
  TempDir dir;
  test::write_text(dir / "raw" / "Customer Loyalty History.csv", "Loyalty Number;Country\n1;x\n");
  test::write_text(dir / "raw" / "Customer Flight Activity.csv", "x\n");
  const auto r =
      run_cli({"ingest", "--raw-dir", (dir / "raw").string(), "--lake", (dir / "lake").string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err,
            "error: Customer Loyalty History.csv:1:1: [delimiter] the header is separated by "
            "';' but the file must be comma-separated\n");
}

// The monthly commands' bad input: one line naming what is wrong and what would do, exit 2.
TEST(Cli, ReplayAndMonitorRefuseBadInputWithOneLine) {
  TempDir dir;
  std::string activity =
      "Loyalty Number,Year,Month,Total Flights,Distance,Points Accumulated,Points Redeemed,"
      "Dollar Cost Points Redeemed\n";
  for (int m = 1; m <= 12; ++m) {
    activity += "480934,2017," + std::to_string(m) + ",1,100,100,0,0\n";
  }
  test::write_text(dir / "raw" / "Customer Flight Activity.csv", activity);
  test::write_text(dir / "raw" / "Customer Loyalty History.csv",
                   std::string(test::kLoyaltyHeader) +
                       "480934,Canada,Ontario,Toronto,M2Z 4K1,Female,Bachelor,83236,Married,Star,"
                       "3839.14,Standard,2016,2,,\n");
  const auto replay = [&](const std::string& from, const std::string& to) {
    return run_cli({"replay", "--raw-dir", (dir / "raw").string(), "--lake",
                    (dir / "lake").string(), "--from", from, "--to", to, "--progress", "never"});
  };
  auto r = replay("2017-13", "2017-12");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "error: '2017-13' is not a month (expected YYYY-MM)\n");
  r = replay("2017-12", "2017-11");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "error: --from 2017-12 is after --to 2017-11\n");
  r = replay("2017-03", "2017-12");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("error: the data's activity runs from 2017-01 to 2017-12: a replay can "
                       "run from 2017-10 (the first export needs 10 months of data to train "
                       "on) to 2017-12\n"),
            std::string::npos)
      << r.err;
  EXPECT_FALSE(fs::exists(dir / "lake" / "reports" / "replay.json"));
  r = run_cli({"monitor", "--lake", (dir / "empty").string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "error: '" + (dir / "empty" / "processed" / "customer_loyalty_history.parquet").string() +
                       "' does not exist; run `airline-analytics ingest` first\n");
}

// DuckDB gets a memory limit even when none is set: a quarter of RAM, 1-4 GiB (its own default,
// 80% of RAM, leaves nothing for the rest of the process at 10M members).
TEST(DbOptions, MemoryLimitDefaultsToAQuarterOfRamWithinOneToFourGiB) {
  const std::int64_t ram = std::int64_t{::sysconf(_SC_PHYS_PAGES)} * ::sysconf(_SC_PAGE_SIZE);
  const std::int64_t mib = std::clamp<std::int64_t>(ram / 4, 1024LL << 20, 4096LL << 20) >> 20;
  EXPECT_EQ(cli::default_memory_limit(), std::to_string(mib) + "MiB");
  TempDir dir;
  const core::Lake lake(dir / "lake");
  core::Config config;
  auto options = cli::pipeline_db_options(config, lake);
  EXPECT_EQ(options.at("memory_limit"), std::to_string(mib) + "MiB");
  EXPECT_EQ(options.at("temp_directory"), (lake.work_dir() / "spill").string());
  EXPECT_EQ(cli::ops_db_options(config).at("memory_limit"), std::to_string(mib) + "MiB");
  config.memory_limit = "512MB";
  options = cli::pipeline_db_options(config, lake);
  EXPECT_EQ(options.at("memory_limit"), "512MB");
  // DuckDB takes it: 512 MB is 488.2 MiB in its own units.
  auto db = duck::Database::open(":memory:", options);
  duck::Connection c(db);
  EXPECT_EQ(c.query("select current_setting('memory_limit')").scalar_text(), "488.2 MiB");
}

// A generated sample, run end to end through the CLI. The sample and one complete run of it
// (the baseline) are made once for the suite; a test that needs a finished lake starts from a
// copy of the baseline's, and a test that changes the data works on its own copy of it.
class CliRun : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    suite_ = new TempDir();
    const auto g = run_cli({"generate-sample", "--out", (*suite_ / "raw").string(), "--members",
                            "3000", "--seed", "5", "--json", "--quiet"});
    ASSERT_EQ(g.exit_code, 0) << g.err;
    generated_ = new nlohmann::json(nlohmann::json::parse(g.out));
    baseline_ = new test::ProcessResult(run_into(*suite_ / "raw", *suite_ / "baseline", {}));
    ASSERT_EQ(baseline_->exit_code, 0) << baseline_->err;
  }
  static void TearDownTestSuite() {
    delete baseline_;
    delete generated_;
    delete suite_;
  }
  static test::ProcessResult run_into(const fs::path& raw, const fs::path& lake,
                                      const std::vector<std::string>& extra) {
    // Few bootstrap resamples keep the suite quick; the figures are not under test here.
    std::vector<std::string> args = {"run",         "--raw-dir", raw.string(),  "--lake",
                                     lake.string(), "--json",    "--bootstrap", "20"};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_cli(args);
  }
  fs::path raw() const { return raw_; }
  fs::path lake() const { return dir_ / "lake"; }
  // The data set becomes this test's own, to change.
  void own_raw() {
    raw_ = dir_ / "raw";
    fs::copy(*suite_ / "raw", raw_, fs::copy_options::recursive);
  }
  // The lake becomes a copy of the baseline run's; returns that run's output.
  const test::ProcessResult& from_baseline() {
    fs::copy(*suite_ / "baseline", lake(), fs::copy_options::recursive);
    return *baseline_;
  }
  test::ProcessResult run(const std::vector<std::string>& extra = {}) {
    return run_into(raw(), lake(), extra);
  }
  std::map<std::string, std::string> hashes() {
    std::map<std::string, std::string> out;
    for (const auto& e : fs::recursive_directory_iterator(lake())) {
      const auto rel = fs::relative(e.path(), lake()).string();
      if (e.is_regular_file() && rel.rfind("_", 0) != 0 && rel != ".lock") {
        out[rel] = core::sha256_file(e.path()).sha256;
      }
    }
    return out;
  }
  TempDir dir_;
  fs::path raw_ = *suite_ / "raw";
  static inline TempDir* suite_ = nullptr;
  static inline nlohmann::json* generated_ = nullptr;
  static inline test::ProcessResult* baseline_ = nullptr;
};

TEST_F(CliRun, GenerateSampleJson) {
  const auto& generated = *generated_;
  EXPECT_EQ(generated["members"], 3000);
  EXPECT_EQ(generated["seed"], 5);
  EXPECT_GT(generated["activity_rows"].get<int>(), 3000 * 11);
  EXPECT_TRUE(fs::exists(raw() / "Customer Loyalty History.csv"));
}

TEST_F(CliRun, RunJsonSummarisesEveryStage) {
  const auto& r = from_baseline();
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["members"], 3000);
  std::int64_t total = 0;
  for (const auto& [segment, n] : j["segments"].items()) {
    total += n.get<std::int64_t>();
  }
  EXPECT_EQ(total, 3000);
  EXPECT_EQ(j["segments"].size(), 5u);
  EXPECT_FALSE(j["stages"]["ingest"]["skipped"].get<bool>());
  EXPECT_EQ(j["stages"]["ingest"]["summary"]["files"][1]["rows_read"],
            (*generated_)["activity_rows"]);
  EXPECT_EQ(j["stages"]["warehouse"]["summary"]["tables"]["customer_features"], 3000);
  for (const auto& f : j["files"]) {
    EXPECT_TRUE(fs::exists(lake() / f.get<std::string>())) << f;
  }
  EXPECT_NE(r.err.find("[run] done in"), std::string::npos);
  // No temporary or scratch files are left beside published outputs.
  for (const auto& e : fs::recursive_directory_iterator(lake())) {
    EXPECT_EQ(e.path().filename().string().find(".tmp-"), std::string::npos) << e.path();
  }
}

TEST_F(CliRun, RerunOnUnchangedInputsSkipsAndKeepsEveryFile) {
  from_baseline();
  const auto before = hashes();
  const auto r = run();
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  for (const char* stage : {"ingest", "features", "train", "score", "monitor", "warehouse"}) {
    EXPECT_TRUE(j["stages"][stage]["skipped"].get<bool>()) << stage;
  }
  EXPECT_FALSE(j["retrain"]["retrain"].get<bool>());
  EXPECT_EQ(j["members"], 3000);
  EXPECT_EQ(hashes(), before);
  EXPECT_NE(r.err.find("inputs unchanged"), std::string::npos);
}

TEST_F(CliRun, ForcedRebuildReproducesIdenticalParquet) {
  from_baseline();
  const auto before = hashes();
  ASSERT_EQ(run({"--force"}).exit_code, 0);
  const auto after = hashes();
  for (const char* f :
       {"processed/customer_loyalty_history.parquet", "processed/customer_flight_activity/_months.json",
        "processed/customer_flight_activity/2017-01.parquet",
        "processed/customer_flight_activity/2018-12.parquet",
        "curated/customer_features/customer_features.parquet", "quarantine/rejected_rows.parquet",
        "reports/ingest.json", "raw/manifest.json",
        // The same inputs and seed give the same model and predictions.
        "curated/churn/artifacts/model.json", "curated/churn/artifacts/calibration.json",
        "curated/churn/artifacts/metrics.json", "curated/churn/predictions/predictions.parquet"}) {
    EXPECT_EQ(after.at(f), before.at(f)) << f;
  }
}

// A changed export of the same months (a restatement) rebuilds the data stages and scores
// again with the kept model: it is 0 months old and no alert fired (the retraining rule,
// docs/MONITORING.md); --retrain retrains it.
TEST_F(CliRun, ChangedInputRebuildsWhatDependsOnIt) {
  own_raw();
  from_baseline();
  const auto before = hashes();
  std::string activity = test::read_text(raw() / "Customer Flight Activity.csv");
  const auto first_member = activity.substr(activity.find('\n') + 1, 6);
  activity += first_member + ",2018,12,5,5000,5000,0,0\n";  // one more row, summed in
  test::write_text(raw() / "Customer Flight Activity.csv", activity);
  const auto r = run();
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_FALSE(j["stages"]["ingest"]["skipped"].get<bool>());
  EXPECT_FALSE(j["stages"]["features"]["skipped"].get<bool>());
  EXPECT_TRUE(j["stages"]["train"]["skipped"].get<bool>());
  EXPECT_FALSE(j["retrain"]["retrain"].get<bool>());
  EXPECT_EQ(j["retrain"]["model_age_months"], 0);
  EXPECT_NE(r.err.find("[run] model: kept (model " +
                       j["retrain"]["model_id"].get<std::string>() + " is 0 months old"),
            std::string::npos)
      << r.err;
  EXPECT_FALSE(j["stages"]["score"]["skipped"].get<bool>());
  EXPECT_FALSE(j["stages"]["monitor"]["skipped"].get<bool>());
  EXPECT_FALSE(j["stages"]["warehouse"]["skipped"].get<bool>());
  // The arrival is kept and its change counted: one member-month restated.
  const auto& arrival = j["stages"]["ingest"]["summary"]["arrival"];
  EXPECT_EQ(arrival["sequence"], 2);
  EXPECT_EQ(arrival["changes"]["member_months"]["restated"], 1);
  const auto after = hashes();
  // Only the restated month's file is written again; the other 23 are left as they were.
  const auto& months = j["stages"]["ingest"]["summary"]["processed_activity"];
  EXPECT_EQ(months["rewritten"], nlohmann::json::array({"2018-12"}));
  EXPECT_EQ(months["appended"], nlohmann::json::array());
  EXPECT_EQ(months["unchanged"], 23);
  EXPECT_NE(after.at("processed/customer_flight_activity/2018-12.parquet"),
            before.at("processed/customer_flight_activity/2018-12.parquet"));
  EXPECT_EQ(after.at("processed/customer_flight_activity/2018-11.parquet"),
            before.at("processed/customer_flight_activity/2018-11.parquet"));
  EXPECT_EQ(after.at("processed/customer_loyalty_history.parquet"),
            before.at("processed/customer_loyalty_history.parquet"));
  EXPECT_EQ(after.at("curated/churn/artifacts/model.json"),
            before.at("curated/churn/artifacts/model.json"));

  const auto retrained = run({"--retrain"});
  ASSERT_EQ(retrained.exit_code, 0) << retrained.err;
  const auto k = nlohmann::json::parse(retrained.out);
  EXPECT_FALSE(k["stages"]["train"]["skipped"].get<bool>());
  EXPECT_EQ(k["retrain"]["reason"], "asked for (--retrain)");
  EXPECT_NE(retrained.err.find("[run] model: retrained (asked for (--retrain))"),
            std::string::npos);
}

TEST_F(CliRun, StagesRunSeparately) {
  auto r = run_cli({"ingest", "--raw-dir", raw().string(), "--lake", lake().string(), "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out)["report"]["files"][0]["rows_loaded"], 3000);
  r = run_cli({"features", "--lake", lake().string(), "--json", "--no-warehouse"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out)["features"]["members"], 3000);
  EXPECT_FALSE(nlohmann::json::parse(r.out).contains("warehouse"));
  EXPECT_FALSE(fs::exists(lake() / "warehouse.duckdb"));
  r = run_cli({"features", "--lake", lake().string(), "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["features"]["members"], 3000);
  EXPECT_EQ(j["warehouse"]["tables"]["customer_loyalty_history"], 3000);
  EXPECT_FALSE(j["warehouse"]["tables"].contains("churn_predictions"));

  r = run_cli({"score", "--lake", lake().string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("curated/churn/artifacts/model.json' does not exist; run "
                       "`airline-analytics train` first"),
            std::string::npos)
      << r.err;
  // OpenMP's idle threads wait passively unless the user says otherwise, with no re-execution:
  // libgomp (loaded with XGBoost, on first use) prints what it read when asked to.
  r = run_cli({"train", "--lake", lake().string(), "--json", "--bootstrap", "20"},
              {{"OMP_WAIT_POLICY", ""}, {"OMP_DISPLAY_ENV", "verbose"}});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("OMP_WAIT_POLICY = 'PASSIVE'"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("GOMP_SPINCOUNT = '0'"), std::string::npos) << r.err;
  const auto t = nlohmann::json::parse(r.out);
  EXPECT_EQ(t["stage"], "train");
  EXPECT_GT(t["summary"]["leaky_roc_auc"].get<double>(), t["summary"]["roc_auc"].get<double>());
  r = run_cli({"score", "--lake", lake().string(), "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto s = nlohmann::json::parse(r.out);
  EXPECT_GT(s["summary"]["members_scored"].get<int>(), 2000);
  EXPECT_EQ(s["summary"]["scored_at"], "2018-12");
  EXPECT_EQ(s["warehouse"]["tables"]["churn_predictions"], s["summary"]["members_scored"]);
}

// Above --max-train-members, training uses a stratified sample; scoring still covers everyone.
TEST_F(CliRun, TrainingOnAStratifiedSampleStillScoresEveryMember) {
  const auto r = run({"--max-train-members", "1200"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  const auto m = nlohmann::json::parse(
      test::read_text(lake() / "curated" / "churn" / "artifacts" / "metrics.json"));
  const auto& sample = m["training_sample"];
  EXPECT_EQ(sample["sampled"], true);
  EXPECT_EQ(sample["members_available"], 3000);
  EXPECT_NEAR(sample["members_used"].get<double>(), 1200, 12);  // rounding per stratum
  EXPECT_NEAR(sample["cancelled_share_used"].get<double>(),
              sample["cancelled_share_available"].get<double>(), 0.01);
  EXPECT_GT(sample["cancelled_share_available"].get<double>(), 0.05);
  // Every training cutoff holds at most the sampled members.
  const auto& cutoffs = m["production"]["cutoffs"];
  const auto month_of = [](const std::string& label) {
    return std::stoi(label.substr(0, 4)) * 12 + std::stoi(label.substr(5, 2));
  };
  const auto n_cutoffs = month_of(cutoffs["train"][1]) - month_of(cutoffs["train"][0]) + 1;
  EXPECT_LE(cutoffs["n_train"].get<std::int64_t>(),
            sample["members_used"].get<std::int64_t>() * n_cutoffs);
  EXPECT_GT(j["stages"]["score"]["summary"]["members_scored"].get<int>(), 2000);
  // The same data and seed draw the same sample: a forced retrain gives the same model.
  const std::string model = test::read_text(lake() / "curated/churn/artifacts/model.json");
  const auto again = run_cli({"train", "--lake", lake().string(), "--force", "--bootstrap", "20",
                              "--max-train-members", "1200", "--quiet"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(test::read_text(lake() / "curated/churn/artifacts/model.json"), model);
}

// Scoring in batches of members gives the same predictions as scoring everyone at once.
TEST_F(CliRun, ScoringInBatchesGivesTheSamePredictions) {
  from_baseline();
  const auto rows = [&] {
    auto db = duck::Database::open(":memory:");
    duck::Connection c(db);
    return c
        .query(
            "select count(*), (sum(hash(p::varchar)) % 1000000007)::bigint, "
            "bool_and(loyalty_number > lag)::bigint from "
            "(select p, loyalty_number, lag(loyalty_number, 1, -1) over () as lag from "
            "read_parquet(" +
            duck::quote_literal(
                (lake() / "curated/churn/predictions/predictions.parquet").string()) +
            ") p)")
        .int64_columns(-1);
  };
  const auto whole = rows();
  const auto r =
      run_cli({"score", "--lake", lake().string(), "--force", "--json", "--batch-members", "700"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["summary"]["batches"], 5);  // 3,000 members, 700 at a time
  EXPECT_TRUE(j["summary"]["activity_split_by_batch"].get<bool>());
  for (const auto& e : fs::directory_iterator(lake() / "_work")) {  // the split is scratch
    EXPECT_EQ(e.path().filename().string().rfind("score-activity-", 0), std::string::npos)
        << e.path();
  }
  const auto batched = rows();
  EXPECT_GT(whole[0][0], 2000);
  EXPECT_EQ(batched, whole);  // same rows, same values, in loyalty-number order
  EXPECT_EQ(batched[2][0], 1);
  EXPECT_EQ(j["summary"]["reasons"], "exact");  // auto: exact for 3,000 members
  EXPECT_EQ(j["summary"]["contributions_engine"], nlohmann::json({"xgboost"}));
  for (const char* phase : {"split_activity", "snapshots", "load_features", "predict",
                            "contributions", "reasons_and_rows", "write_parquet"}) {
    EXPECT_GE(j["summary"]["seconds_by_phase"].value(phase, -1.0), 0.0) << phase;
  }

  // Approximate reasons: the same members, probabilities and tiers, other contributions (their
  // sum to the log-odds is checked in churn_model_test).
  const auto scores = [&] {
    auto db = duck::Database::open(":memory:");
    duck::Connection c(db);
    return c
        .query(
            "select count(*), (sum(hash(churn_probability::varchar || risk_tier)) % "
            "1000000007)::bigint from read_parquet(" +
            duck::quote_literal(
                (lake() / "curated/churn/predictions/predictions.parquet").string()) +
            ")")
        .int64_columns(-1);
  };
  const auto exact_scores = scores();
  const auto approx =
      run_cli({"score", "--lake", lake().string(), "--json", "--reasons", "approximate"});
  ASSERT_EQ(approx.exit_code, 0) << approx.err;
  const auto a = nlohmann::json::parse(approx.out);
  EXPECT_FALSE(a["skipped"].get<bool>());  // the method is one of the stage's inputs
  EXPECT_EQ(a["summary"]["reasons"], "approximate");
  // Every batch's approximate contributions come from our path walk, checked against XGBoost.
  ASSERT_EQ(a["summary"]["contributions_engine"].size(), 1u);
  EXPECT_EQ(a["summary"]["contributions_engine"][0].get<std::string>().rfind("tree walk", 0), 0u)
      << a["summary"]["contributions_engine"];
  EXPECT_EQ(scores(), exact_scores);
  EXPECT_NE(rows(), whole);
  EXPECT_EQ(run_cli({"score", "--lake", lake().string(), "--reasons", "guess"}).exit_code, 2);
}

TEST_F(CliRun, ChurnArtifactsPredictionsAndScoredView) {
  from_baseline();
  const fs::path artifacts = lake() / "curated" / "churn" / "artifacts";
  for (const char* f :
       {"model.json", "calibration.json", "model_meta.json", "metrics.json", "model_card.md"}) {
    EXPECT_TRUE(fs::exists(artifacts / f)) << f;
  }
  const auto m = nlohmann::json::parse(test::read_text(artifacts / "metrics.json"));
  for (const char* key :
       {"/target", "/cutoffs/train", "/cutoffs/test", "/out_of_time/roc_auc",
        "/out_of_time/roc_auc_ci", "/out_of_time/pr_auc", "/out_of_time/base_rate",
        "/out_of_time/brier", "/out_of_time/ece", "/baselines/recency_rule/roc_auc",
        "/baselines/logistic_regression/roc_auc", "/baselines/reference_recipe/roc_auc",
        "/leaky_reference_protocol/roc_auc", "/n_train", "/n_test", "/dormancy/target",
        "/dormancy/out_of_time/roc_auc"}) {
    EXPECT_TRUE(m.contains(nlohmann::json::json_pointer(key))) << key;
  }
  EXPECT_EQ(m["target"], "cancellation");
  EXPECT_EQ(m["training_sample"]["sampled"], false);  // 3,000 members: below the default cap
  EXPECT_EQ(m["training_sample"]["members_used"], 3000);
  EXPECT_EQ(m["dormancy"]["target"], "dormancy");
  EXPECT_EQ(m["cutoffs"]["test"], nlohmann::json({"2017-12", "2018-06"}));
  EXPECT_EQ(m["cutoffs"]["train"].front(), "2017-03");
  EXPECT_EQ(m["cutoffs"]["train"].back(), "2017-11");
  const auto& ci = m["out_of_time"]["roc_auc_ci"];
  EXPECT_LE(ci[0].get<double>(), m["out_of_time"]["roc_auc"].get<double>());
  EXPECT_GE(ci[1].get<double>(), m["out_of_time"]["roc_auc"].get<double>());
  const std::string card = test::read_text(artifacts / "model_card.md");
  EXPECT_NE(card.find("## Limitations"), std::string::npos);

  auto db =
      duck::Database::open((lake() / "warehouse.duckdb").string(), {{"access_mode", "READ_ONLY"}});
  duck::Connection c(db);
  auto r = c.query(
      "select count(*), min(churn_probability), max(churn_probability), "
      "count(*) filter (where abs(churn_score - churn_probability * f.clv) > 1e-6), "
      "count(distinct risk_tier), count(*) filter (where scored_at <> date '2018-12-01'), "
      "count(reason_1) "
      "from churn_predictions p join customer_features f using (loyalty_number)");
  const std::int64_t scored = r.int64(0, 0);
  EXPECT_GT(scored, 2000);
  EXPECT_GE(r.float64(1, 0), 0.0);
  EXPECT_LE(r.float64(2, 0), 1.0);
  EXPECT_EQ(r.int64(3, 0), 0);
  EXPECT_EQ(r.int64(4, 0), 3);
  EXPECT_EQ(r.int64(5, 0), 0);
  EXPECT_GT(r.int64(6, 0), scored / 2);
  // Every member appears in the view; those without a score say why.
  r = c.query(
      "select scoring_status, count(*), count(churn_probability) from customer_scored "
      "group by 1 order by 1");
  std::map<std::string, std::pair<std::int64_t, std::int64_t>> status;
  for (std::size_t i = 0; i < r.row_count(); ++i) {
    status[*r.text(0, i)] = {r.int64(1, i), r.int64(2, i)};
  }
  EXPECT_EQ(status["scored"], std::make_pair(scored, scored));
  EXPECT_GT(status["cancelled"].first, 0);
  EXPECT_EQ(status["cancelled"].second, 0);
  EXPECT_EQ(status["scored"].first + status["cancelled"].first + status["not_scored"].first, 3000);
  EXPECT_EQ(c.query("select count(*) from customer_scored c join customer_features f using "
                    "(loyalty_number) where c.is_cancelled and c.scoring_status = 'scored'")
                .scalar_int64(),
            0);
}

TEST_F(CliRun, SettingsComeFromTheEnvironment) {
  const auto r =
      run_cli({"run", "--json", "-q", "--bootstrap", "20"}, {{"AIRLINE_RAW_DIR", raw().string()},
                                                             {"AIRLINE_LAKE", lake().string()},
                                                             {"AIRLINE_THREADS", "1"},
                                                             {"AIRLINE_MEMORY_LIMIT", "1GB"}});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out)["members"], 3000);
  EXPECT_EQ(r.err, "");  // --quiet
}

}  // namespace
}  // namespace aa
