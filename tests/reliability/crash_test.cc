// The pipeline under failure and load, on generated data through the binary:
// - crash safety: killed with SIGKILL (what `kill -9` sends) at named points in every stage
//   (AA_KILL_AT, core/files.h), the previously published lake stays byte-identical and
//   readable, nothing partial sits under a published name, and the next run completes; a kill
//   in the middle of publishing a set of files is completed by the next run;
// - idempotency: two runs of the same inputs give the same rows everywhere;
// - concurrent readers: reads during a rebuild see the old or the new lake, never an error.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <iostream>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "core/duck.h"
#include "core/files.h"
#include "ops/registry.h"
#include "server/snapshots.h"
#include "support/test_support.h"

namespace aa::test {
namespace {

namespace fs = std::filesystem;

constexpr int kKilled = 128 + 9;  // run_process: 128 + the signal

bool is_temp(const std::string& name) {
  return name.size() > 1 && name[0] == '.' && name.find(".tmp-") != std::string::npos;
}

struct LakeFiles {
  std::map<std::string, std::string> published;  // relative path -> sha256
  std::vector<std::string> temps;                // ".<name>.tmp-<pid>" files left beside them
};

LakeFiles scan(const fs::path& lake) {
  LakeFiles out;
  for (const auto& e : fs::recursive_directory_iterator(lake)) {
    const std::string rel = fs::relative(e.path(), lake).string();
    if (!e.is_regular_file() || rel.rfind("_state", 0) == 0 || rel.rfind("_work", 0) == 0 ||
        rel == ".lock") {
      continue;
    }
    if (is_temp(e.path().filename().string())) {
      out.temps.push_back(rel);
    } else {
      out.published[rel] = core::sha256_file(e.path()).sha256;
    }
  }
  return out;
}

// Every published Parquet file and the warehouse open and read.
void expect_readable(const fs::path& lake, const LakeFiles& files) {
  auto db = duck::Database::open(":memory:");
  duck::Connection c(db);
  for (const auto& [rel, hash] : files.published) {
    if (rel.size() > 8 && rel.substr(rel.size() - 8) == ".parquet") {
      EXPECT_GE(c.query("select count(*) from read_parquet(" +
                        duck::quote_literal((lake / rel).string()) + ")")
                    .scalar_int64(),
                0)
          << rel;
    }
  }
  if (files.published.count("warehouse.duckdb") != 0) {
    c.execute("attach " + duck::quote_literal((lake / "warehouse.duckdb").string()) +
              " as wh (read_only)");
    EXPECT_GT(c.query("select count(*) from wh.customer_features").scalar_int64(), 0);
    c.execute("detach wh");
  }
}

class PipelineReliability : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    for (const auto& [name, members, seed] :
         {std::tuple{"raw1", "1200", "5"}, std::tuple{"raw2", "1300", "6"}}) {
      const auto g = run_cli({"generate-sample", "--out", (*dir_ / name).string(), "--members",
                              members, "--seed", seed, "--quiet"});
      ASSERT_EQ(g.exit_code, 0) << g.err;
    }
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }
  static fs::path raw(const char* name) { return *dir_ / name; }
  static ProcessResult stage(const fs::path& lake, std::vector<std::string> args,
                             const std::string& kill_at = "") {
    args.insert(args.end(), {"--lake", lake.string()});
    std::map<std::string, std::string> env;
    if (!kill_at.empty()) {
      env["AA_KILL_AT"] = kill_at;
    }
    return run_cli(args, env);
  }
  static inline TempDir* dir_ = nullptr;
};

TEST_F(PipelineReliability, KillNineInEveryStageKeepsTheLastGoodLake) {
  const fs::path lake = *dir_ / "lake";
  auto r = stage(lake, {"run", "--raw-dir", raw("raw1").string(), "--bootstrap", "20"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  LakeFiles good = scan(lake);
  ASSERT_TRUE(good.temps.empty());
  ASSERT_EQ(good.published.count("warehouse.duckdb"), 1u);

  // Kills the command at `point`, then checks the lake against the last good state; then runs
  // the command to completion, which becomes the next good state.
  auto kill_then_finish = [&](const std::vector<std::string>& args, const std::string& point) {
    SCOPED_TRACE(point);
    const auto killed = stage(lake, args, point);
    ASSERT_EQ(killed.exit_code, kKilled) << "not killed at " << point << ": " << killed.err;
    const LakeFiles after = scan(lake);
    EXPECT_EQ(after.published, good.published) << "a published file changed";
    expect_readable(lake, after);
    const auto done = stage(lake, args);
    ASSERT_EQ(done.exit_code, 0) << done.err;
    good = scan(lake);
    EXPECT_TRUE(good.temps.empty()) << good.temps.front();
    expect_readable(lake, good);
  };
  const std::vector<std::string> ingest = {"ingest", "--raw-dir", raw("raw2").string()};
  kill_then_finish(ingest, "ingest:written");
  kill_then_finish({"features", "--no-warehouse"}, "features:written");
  kill_then_finish({"features"}, "warehouse:written");
  kill_then_finish({"train", "--bootstrap", "20"}, "train:backtested");
  kill_then_finish({"score"}, "score:batch");

  // The new data went all the way through: the warehouse holds raw2's 1,300 members, scored.
  auto db = duck::Database::open(":memory:");
  duck::Connection c(db);
  c.execute("attach " + duck::quote_literal((lake / "warehouse.duckdb").string()) +
            " as wh (read_only)");
  EXPECT_EQ(c.query("select count(*) from wh.customer_features").scalar_int64(), 1300);
  EXPECT_GT(c.query("select count(*) from wh.churn_predictions").scalar_int64(), 600);
}

// A kill between the renames of a set (the ingest of a second export, a new arrival: its
// files, its arrival folder and manifest): the next writer completes the set before anything
// else, so the lake holds exactly what the same two ingests publish uninterrupted, and running
// the second ingest again adds no arrival.
TEST_F(PipelineReliability, AKillWhilePublishingASetIsCompletedByTheNextRun) {
  const fs::path lake = *dir_ / "lake-midway";
  auto r = stage(lake, {"ingest", "--raw-dir", raw("raw1").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = stage(lake, {"ingest", "--raw-dir", raw("raw2").string()}, "publish:midway");
  ASSERT_EQ(r.exit_code, kKilled) << r.err;
  ASSERT_TRUE(fs::exists(lake / "_state" / "publishing-ingest.json"));
  // The next command that writes the lake (here one that has nothing else to do but fails
  // later, for want of features) completes the set first.
  r = stage(lake, {"train"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_FALSE(fs::exists(lake / "_state" / "publishing-ingest.json"));

  const fs::path clean = *dir_ / "lake-clean";
  for (const char* export_dir : {"raw1", "raw2"}) {
    r = stage(clean, {"ingest", "--raw-dir", raw(export_dir).string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  const LakeFiles recovered = scan(lake);
  EXPECT_TRUE(recovered.temps.empty());
  EXPECT_EQ(recovered.published, scan(clean).published);
  std::size_t arrivals = 0;
  for (const auto& [rel, hash] : recovered.published) {
    arrivals += rel.rfind("raw/arrivals/", 0) == 0 && rel.ends_with("/manifest.json") ? 1 : 0;
  }
  EXPECT_EQ(arrivals, 2u);
  // The same export again, forced through validation: the same arrival, no second folder.
  r = stage(lake, {"ingest", "--raw-dir", raw("raw2").string(), "--force"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(scan(lake).published, recovered.published);
}

// The same for a monthly arrival that only grows the data (issue 25): the export of a month
// later, where one member's rows appear for the first time (so 23 published months gain rows
// and are extended by a file each) and 2018-12 is new. A kill between the renames is completed
// by the next command; the lake equals two uninterrupted ingests; no month file is rewritten.
TEST_F(PipelineReliability, AKillWhilePublishingAGrownExportIsCompletedByTheNextRun) {
  // The earlier export: raw1 without 2018-12 and without one member's rows.
  const fs::path earlier = *dir_ / "raw1-earlier";
  fs::create_directories(earlier);
  fs::copy_file(raw("raw1") / "Customer Loyalty History.csv",
                earlier / "Customer Loyalty History.csv", fs::copy_options::overwrite_existing);
  const std::string activity = read_text(raw("raw1") / "Customer Flight Activity.csv");
  std::string cut;
  std::string held_back;  // the member whose rows arrive with the later export
  std::size_t start = 0;
  for (std::size_t end; (end = activity.find('\n', start)) != std::string::npos; start = end + 1) {
    const std::string line = activity.substr(start, end - start + 1);
    const std::string member = line.substr(0, line.find(','));
    if (start > 0 && held_back.empty()) {
      held_back = member;
    }
    if (start > 0 && (member == held_back || line.find(",2018,12,") != std::string::npos)) {
      continue;
    }
    cut += line;
  }
  write_text(earlier / "Customer Flight Activity.csv", cut);

  const fs::path lake = *dir_ / "lake-grown";
  auto r = stage(lake, {"ingest", "--raw-dir", earlier.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const LakeFiles before = scan(lake);
  r = stage(lake, {"ingest", "--raw-dir", raw("raw1").string()}, "publish:midway");
  ASSERT_EQ(r.exit_code, kKilled) << r.err;
  r = stage(lake, {"train"});  // completes the set first, then fails for want of features
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_FALSE(fs::exists(lake / "_state" / "publishing-ingest.json"));

  const fs::path clean = *dir_ / "lake-grown-clean";
  for (const fs::path& export_dir : {earlier, raw("raw1")}) {
    r = stage(clean, {"ingest", "--raw-dir", export_dir.string(), "--json"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  const auto report = nlohmann::json::parse(r.out)["report"]["processed_activity"];
  EXPECT_EQ(report["appended"], nlohmann::json::array({"2018-12"}));
  EXPECT_EQ(report["extended"].size(), 23u);
  EXPECT_EQ(report["rewritten"], nlohmann::json::array());
  const LakeFiles recovered = scan(lake);
  EXPECT_TRUE(recovered.temps.empty());
  EXPECT_EQ(recovered.published, scan(clean).published);
  // Every month file of the earlier export is still there, unchanged.
  for (const auto& [rel, hash] : before.published) {
    if (rel.rfind("processed/customer_flight_activity/", 0) == 0 && rel.ends_with(".parquet")) {
      ASSERT_TRUE(recovered.published.count(rel)) << rel;
      EXPECT_EQ(recovered.published.at(rel), hash) << rel;
    }
  }
  expect_readable(lake, recovered);
}

// Idempotency: two runs of the same inputs into two lakes give the same rows in every table
// of the warehouse (a hash of the sorted rows) and in every Parquet file, and the same metrics
// and model (fixed seed).
TEST_F(PipelineReliability, TwoRunsOfTheSameInputsGiveIdenticalTablesPredictionsAndMetrics) {
  std::vector<std::map<std::string, std::string>> contents;
  for (const char* name : {"idem-1", "idem-2"}) {
    const fs::path lake = *dir_ / name;
    const auto r = stage(lake, {"run", "--raw-dir", raw("raw1").string(), "--bootstrap", "20"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    std::map<std::string, std::string> hashes;
    auto db = duck::Database::open(":memory:");
    duck::Connection c(db);
    c.execute("attach " + duck::quote_literal((lake / "warehouse.duckdb").string()) +
              " as wh (read_only)");
    auto tables = c.query(
        "select table_name from duckdb_tables() where database_name = 'wh' union all "
        "select view_name from duckdb_views() where database_name = 'wh' and not internal "
        "order by 1");
    for (std::size_t i = 0; i < tables.row_count(); ++i) {
      const std::string table = *tables.text(0, i);
      hashes["warehouse:" + table] =
          *c.query(
                "select count(*) || ':' || coalesce(md5(string_agg(r, chr(10) order by r)), '') "
                "from (select cast(t as varchar) as r from wh." +
                duck::quote_ident(table) + " t)")
               .text(0, 0);
    }
    for (const auto& [rel, hash] : scan(lake).published) {
      if (rel != "warehouse.duckdb") {  // DuckDB's file layout is not byte-stable; its rows are
        hashes[rel] = hash;
      }
    }
    contents.push_back(hashes);
  }
  EXPECT_GE(contents[0].size(), 15u);
  EXPECT_EQ(contents[0].count("warehouse:customer_scored"), 1u);
  EXPECT_EQ(contents[0].count("curated/churn/predictions/predictions.parquet"), 1u);
  EXPECT_EQ(contents[0].count("curated/churn/artifacts/metrics.json"), 1u);
  EXPECT_EQ(contents[0], contents[1]);
}

// Concurrent readers: operations run through the server's snapshot source while the pipeline
// rebuilds the lake from other data. No read fails, and each result is exactly the old lake's
// or the new lake's answer (the lake read before the rebuild, and again after it).
TEST_F(PipelineReliability, ReadersDuringARebuildSeeTheOldOrTheNewSnapshotNeverAnError) {
  const fs::path lake = *dir_ / "readers";
  auto r = stage(lake, {"run", "--raw-dir", raw("raw1").string(), "--bootstrap", "20"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::vector<std::string> ops = {"kpis_slice", "summary_by_segment", "top_risk_customers",
                                        "model_performance", "data_quality"};
  auto answers = [&](ops::OpsContext& context) {
    std::vector<std::string> out;
    for (const auto& op : ops) {
      out.push_back(
          ops::run_operation(context, op, nlohmann::json::object(), nlohmann::json::object())
              .dump());
    }
    return out;
  };
  const auto before = answers(*ops::OpsContext::open(core::Lake(lake)));

  // Readers keep every distinct answer they get; after the rebuild each must be the old lake's
  // or the new lake's (read afresh once the rebuild is over).
  server::SnapshotSource source(core::Lake(lake), core::LlmConfig{});
  source.start(std::chrono::milliseconds(20));
  source.wait();
  std::atomic<bool> done{false};
  std::atomic<int> reads{0}, errors{0};
  std::mutex seen_mutex;
  std::vector<std::map<std::string, int>> seen(ops.size());
  std::vector<std::thread> readers;
  for (int t = 0; t < 2; ++t) {
    readers.emplace_back([&, t] {
      for (std::size_t i = static_cast<std::size_t>(t); !done; ++i) {
        const std::size_t k = i % ops.size();
        try {
          const auto snapshot = source.current();
          std::string got = ops::run_operation(*snapshot->context, ops[k], nlohmann::json::object(),
                                               nlohmann::json::object())
                                .dump();
          const std::lock_guard lock(seen_mutex);
          ++seen[k][std::move(got)];
        } catch (const std::exception&) {
          ++errors;
        }
        ++reads;
      }
    });
  }
  struct Stop {
    std::atomic<bool>& done;
    std::vector<std::thread>& threads;
    server::SnapshotSource& source;
    ~Stop() {
      done = true;
      for (auto& t : threads) {
        t.join();
      }
      source.stop();
    }
  } stop{done, readers, source};
  // The rebuild: the same command a user runs, on other data.
  r = stage(lake, {"run", "--raw-dir", raw("raw2").string(), "--bootstrap", "20"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto after = answers(*ops::OpsContext::open(core::Lake(lake)));
  auto new_answers = [&] {
    const std::lock_guard lock(seen_mutex);
    int n = 0;
    for (std::size_t k = 0; k < ops.size(); ++k) {
      n += seen[k].count(after[k]) ? seen[k].at(after[k]) : 0;
    }
    return n;
  };
  for (int i = 0; i < 400 && new_answers() < 50; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  done = true;
  for (auto& t : readers) {
    t.join();
  }
  readers.clear();
  int old_count = 0;
  int new_count = 0;
  int other = 0;
  for (std::size_t k = 0; k < ops.size(); ++k) {
    ASSERT_NE(before[k], after[k]) << ops[k] << " does not tell the lakes apart";
    for (const auto& [answer, n] : seen[k]) {
      (answer == before[k] ? old_count : answer == after[k] ? new_count : other) += n;
    }
  }
  EXPECT_EQ(errors.load(), 0);
  EXPECT_EQ(other, 0);
  EXPECT_GE(reads.load(), 50);
  EXPECT_GE(old_count, 1);
  EXPECT_GE(new_count, 50);
  std::cout << reads.load() << " reads during the rebuild: " << old_count << " old, " << new_count
            << " new, " << errors.load() << " errors, " << other << " neither\n";
}

}  // namespace
}  // namespace aa::test
