// The binary as users run it: exit codes, one-line errors, JSON on stdout, idempotent reruns.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

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

TEST(Cli, UsageErrorsExitTwo) {
  EXPECT_EQ(run_cli({}).exit_code, 2);
  EXPECT_EQ(run_cli({"no-such-command"}).exit_code, 2);
  EXPECT_EQ(run_cli({"run", "--threads", "0"}).exit_code, 2);
  EXPECT_EQ(run_cli({"generate-sample"}).exit_code, 2);  // --out is required
}

TEST(Cli, MissingDataIsOneLineOnStderrAndExitTwo) {
  TempDir dir;
  const auto r = run_cli({"run", "--raw-dir", (dir / "nothing").string(), "--lake",
                          (dir / "lake").string()});
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
  const auto r = run_cli({"ingest", "--raw-dir", (dir / "raw").string(), "--lake",
                          (dir / "lake").string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err,
            "error: Customer Loyalty History.csv:1:1: [delimiter] the header is separated by "
            "';' but the file must be comma-separated\n");
}

// A generated sample, run end to end through the CLI.
class CliRun : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto g = run_cli({"generate-sample", "--out", raw().string(), "--members", "3000",
                            "--seed", "5", "--json", "--quiet"});
    ASSERT_EQ(g.exit_code, 0) << g.err;
    generated_ = nlohmann::json::parse(g.out);
  }
  fs::path raw() const { return dir_ / "raw"; }
  fs::path lake() const { return dir_ / "lake"; }
  test::ProcessResult run(std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"run", "--raw-dir", raw().string(), "--lake",
                                     lake().string(), "--json"};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_cli(args);
  }
  std::map<std::string, std::string> hashes() {
    std::map<std::string, std::string> out;
    for (const auto& e : fs::recursive_directory_iterator(lake())) {
      const auto rel = fs::relative(e.path(), lake()).string();
      if (e.is_regular_file() && rel.rfind("_", 0) != 0 && rel != ".lock") {
        out[rel] = sha256_file(e.path()).sha256;
      }
    }
    return out;
  }
  TempDir dir_;
  nlohmann::json generated_;
};

TEST_F(CliRun, GenerateSampleJson) {
  EXPECT_EQ(generated_["members"], 3000);
  EXPECT_EQ(generated_["seed"], 5);
  EXPECT_GT(generated_["activity_rows"].get<int>(), 3000 * 11);
  EXPECT_TRUE(fs::exists(raw() / "Customer Loyalty History.csv"));
}

TEST_F(CliRun, RunJsonSummarisesEveryStage) {
  const auto r = run();
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
  EXPECT_EQ(j["stages"]["ingest"]["summary"]["files"][1]["rows_read"], generated_["activity_rows"]);
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
  ASSERT_EQ(run().exit_code, 0);
  const auto before = hashes();
  const auto r = run();
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  for (const char* stage : {"ingest", "features", "warehouse"}) {
    EXPECT_TRUE(j["stages"][stage]["skipped"].get<bool>()) << stage;
  }
  EXPECT_EQ(j["members"], 3000);
  EXPECT_EQ(hashes(), before);
  EXPECT_NE(r.err.find("inputs unchanged"), std::string::npos);
}

TEST_F(CliRun, ForcedRebuildReproducesIdenticalParquet) {
  ASSERT_EQ(run().exit_code, 0);
  const auto before = hashes();
  ASSERT_EQ(run({"--force"}).exit_code, 0);
  const auto after = hashes();
  for (const char* f : {"processed/customer_loyalty_history.parquet",
                        "processed/customer_flight_activity.parquet",
                        "curated/customer_features/customer_features.parquet",
                        "quarantine/rejected_rows.parquet", "reports/ingest.json",
                        "raw/manifest.json"}) {
    EXPECT_EQ(after.at(f), before.at(f)) << f;
  }
}

TEST_F(CliRun, ChangedInputRebuildsWhatDependsOnIt) {
  ASSERT_EQ(run().exit_code, 0);
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
  EXPECT_FALSE(j["stages"]["warehouse"]["skipped"].get<bool>());
  const auto after = hashes();
  EXPECT_NE(after.at("processed/customer_flight_activity.parquet"),
            before.at("processed/customer_flight_activity.parquet"));
  EXPECT_EQ(after.at("processed/customer_loyalty_history.parquet"),
            before.at("processed/customer_loyalty_history.parquet"));
}

TEST_F(CliRun, StagesRunSeparately) {
  auto r = run_cli({"ingest", "--raw-dir", raw().string(), "--lake", lake().string(), "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out)["report"]["files"][0]["rows_loaded"], 3000);
  r = run_cli({"features", "--lake", lake().string(), "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["features"]["members"], 3000);
  EXPECT_EQ(j["warehouse"]["tables"]["customer_loyalty_history"], 3000);
}

TEST_F(CliRun, SettingsComeFromTheEnvironment) {
  const auto r = run_cli({"run", "--json", "-q"},
                         {{"AIRLINE_RAW_DIR", raw().string()}, {"AIRLINE_LAKE", lake().string()},
                          {"AIRLINE_THREADS", "1"}, {"AIRLINE_MEMORY_LIMIT", "1GB"}});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out)["members"], 3000);
  EXPECT_EQ(r.err, "");  // --quiet
}

}  // namespace
}  // namespace aa
