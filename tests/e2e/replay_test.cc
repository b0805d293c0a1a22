// The replay on the real data set (../shared/data/airline-loyalty), 2018-01 to 2018-12: every
// scoring of 2018-01 .. 2018-06 fully matured and judged; the 2018-06 scoring's realized ROC AUC
// and lift equal the test's own SQL over the original files and the kept predictions; the
// warehouse keeps every month; no look-ahead (a replayed month equals a plain run on the same
// cut, and rows and cancellations planted after the month change nothing). One replay shared
// by the tests, like the real-data tests.
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/duck.h"
#include "core/files.h"
#include "model/snapshots.h"
#include "monitor/export_cutter.h"
#include "support/test_support.h"

namespace aa {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr const char* kLoyaltyCsv = "Customer Loyalty History.csv";
constexpr const char* kActivityCsv = "Customer Flight Activity.csv";

// The settings every run of this file uses (fewer bootstrap resamples than the default: the
// figures checked here are points, and the intervals are checked for shape only).
std::vector<std::string> with_settings(std::vector<std::string> args) {
  args.insert(args.end(), {"--bootstrap", "20", "--json", "--progress", "never"});
  return args;
}

// Splits a CSV line without quotes (the data set has none) into its fields.
std::vector<std::string> fields_of(const std::string& line) {
  std::vector<std::string> out(1);
  for (char ch : line) {
    if (ch == ',') {
      out.emplace_back();
    } else {
      out.back() += ch;
    }
  }
  return out;
}

// Copies the data set into `out` with a future planted after month `m`: a cancellation in m+1
// for members without one whose number ends in 7, and 9 more flights on each activity row
// after m. Returns the cancellations planted.
int plant_future(const fs::path& source, const fs::path& out, int m) {
  fs::create_directories(out);
  int planted = 0;
  std::string loyalty;
  std::istringstream in(test::read_text(source / kLoyaltyCsv));
  std::string line;
  for (bool header = true; std::getline(in, line); header = false) {
    const bool cr = !line.empty() && line.back() == '\r';
    std::string body = cr ? line.substr(0, line.size() - 1) : line;
    if (!header && body.ends_with(",,") && fields_of(body).at(0).ends_with("7")) {
      body =
          body.substr(0, body.size() - 2) + fmt::format(",{},{}", (m + 1) / 12, (m + 1) % 12 + 1);
      ++planted;
    }
    loyalty += body + (cr ? "\r\n" : "\n");
  }
  test::write_text(out / kLoyaltyCsv, loyalty);
  std::string activity;
  std::istringstream rows(test::read_text(source / kActivityCsv));
  for (bool header = true; std::getline(rows, line); header = false) {
    auto f = fields_of(line);
    if (!header && std::stoi(f.at(1)) * 12 + std::stoi(f.at(2)) - 1 > m) {
      f.at(3) = std::to_string(std::stoi(f.at(3)) + 9);
      line = fmt::format("{}", fmt::join(f, ","));
    }
    activity += line + "\n";
  }
  test::write_text(out / kActivityCsv, activity);
  return planted;
}

class Replay : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (!fs::exists(test::real_data_dir() / kLoyaltyCsv)) {
      return;
    }
    dir_ = new test::TempDir();
    replay_ = new test::ProcessResult(test::run_cli(
        with_settings({"replay", "--raw-dir", test::real_data_dir().string(), "--lake",
                       lake().string(), "--from", "2018-01", "--to", "2018-12"})));
  }
  static void TearDownTestSuite() {
    delete replay_;
    delete dir_;
  }
  void SetUp() override {
    if (dir_ == nullptr) {
      if (std::getenv("CI") != nullptr) {
        FAIL() << "real data set missing at " << test::real_data_dir();
      }
      GTEST_SKIP() << "real data set not found at " << test::real_data_dir();
    }
    ASSERT_EQ(replay_->exit_code, 0) << replay_->err;
  }
  static fs::path lake() { return dir_->path() / "lake"; }
  static json monitor() { return json::parse(test::read_text(lake() / "reports/monitor.json")); }
  static json replay_report() {
    return json::parse(test::read_text(lake() / "reports/replay.json"));
  }
  static fs::path partition(const fs::path& lake_root, const std::string& month) {
    return lake_root / "curated/churn/predictions" / ("scored_month=" + month) /
           "predictions.parquet";
  }
  // The first month at which the replay retrained (2018-01: the first export, 13 months of
  // data, the production model alone; quick to train again).
  static std::string retrained_month() {
    const json report = replay_report();  // a named copy: the loop must not outlive it
    for (const auto& m : report.at("months")) {
      if (m.at("retrain").at("retrain").get<bool>()) {
        return m.at("month");
      }
    }
    return "";
  }
  // Rows of `sql` that one side has and the other lacks, both ways.
  static std::int64_t rows_differing(duck::Connection& c, const std::string& a,
                                     const std::string& b) {
    return c
        .query("select count(*) from ((" + a + " except all " + b + ") union all (" + b +
               " except all " + a + "))")
        .scalar_int64();
  }
  static test::TempDir* dir_;
  static test::ProcessResult* replay_;
};
test::TempDir* Replay::dir_ = nullptr;
test::ProcessResult* Replay::replay_ = nullptr;

TEST_F(Replay, MonitorJudgesEveryMaturedScoring) {
  const json report = monitor();
  EXPECT_EQ(report.at("data_last_month"), "2018-12");
  std::map<std::string, json> realized;
  for (const auto& r : report.at("realized")) {
    realized[r.at("scored_month")] = r;
  }
  // 2018-01 .. 2018-11 have had at least a month of outcomes; 2018-12 has had none.
  ASSERT_EQ(realized.size(), 11u) << report.at("realized").dump();
  ASSERT_EQ(report.at("pending").size(), 1u);
  EXPECT_EQ(report.at("pending").at(0).at("scored_month"), "2018-12");
  for (int m = 1; m <= 11; ++m) {
    const std::string month = fmt::format("2018-{:02}", m);
    ASSERT_EQ(realized.count(month), 1u) << month;
    const json& r = realized.at(month);
    for (const char* key : {"scored_month", "model_id", "roc_auc", "roc_auc_ci", "lift_top10",
                            "observed_rate", "mean_predicted", "matured_share", "status"}) {
      EXPECT_TRUE(r.contains(key)) << month << " lacks " << key;
    }
    const int matured = std::min(12 - m, 6);
    EXPECT_DOUBLE_EQ(r.at("matured_share").get<double>(), matured / 6.0) << month;
    EXPECT_TRUE(r.at("roc_auc").is_number()) << month;
    const double auc = r.at("roc_auc").get<double>();
    EXPECT_LE(r.at("roc_auc_ci").at(0).get<double>(), auc) << month;
    EXPECT_GE(r.at("roc_auc_ci").at(1).get<double>(), auc) << month;
    const std::string status = r.at("status");
    EXPECT_TRUE(status == "ok" || status == "watch" || status == "degraded") << status;
    // Each scoring names the model that made it, which is kept with its expected figures.
    const std::string model = r.at("model_id");
    EXPECT_TRUE(fs::exists(lake() / "curated/churn/models" / model / "metrics.json")) << model;
    EXPECT_EQ(r.at("expected"),
              json::parse(test::read_text(lake() / "curated/churn/models" / model / "metrics.json"))
                  .at("expected"));
  }
  // The first export (13 months of data) has no backtest: its model's expected figures come
  // from its calibration cutoff; a later retraining backtests.
  EXPECT_EQ(realized.at("2018-01").at("expected").at("source"), "calibration_cutoff");
  EXPECT_EQ(realized.at("2018-11").at("expected").at("source"), "backtest");
  // Drift: every model feature and the score, the latest scoring against its model's bins.
  const json& drift = report.at("drift");
  EXPECT_EQ(drift.at("scored_month"), "2018-12");
  EXPECT_GE(drift.at("features").size(), 10u);
  EXPECT_TRUE(drift.at("score").at("psi").is_number());
  EXPECT_EQ(report.at("data_quality").at("data_last_month"), "2018-12");
  EXPECT_FALSE(report.at("data_quality").at("previous_arrival").is_null());
}

// The 2018-06 scoring against what happened, computed here in SQL from the original files:
// the outcome is a cancellation in 2018-07 .. 2018-12; ROC AUC is the Mann-Whitney statistic
// (ties count one half, through average ranks); the top 10% are the ceil(n / 10) highest
// probabilities, ties in member order.
TEST_F(Replay, TheJuneScoringsRealizedFiguresEqualAnIndependentComputation) {
  auto db = duck::Database::open(":memory:");
  duck::Connection c(db);
  c.execute(
      "create table outcome as select \"Loyalty Number\"::bigint as member, "
      "\"Cancellation Year\" * 12 + \"Cancellation Month\" - 1 as cancelled from read_csv(" +
      duck::quote_literal((test::real_data_dir() / kLoyaltyCsv).string()) +
      ", header = true, all_varchar = false)");
  const int june = 2018 * 12 + 5;
  c.execute(fmt::format(
      "create table scored as select p.loyalty_number as member, p.churn_probability as p, "
      "coalesce(o.cancelled between {0} + 1 and {0} + 6, false)::int as y from read_parquet({1}) "
      "p join outcome o on o.member = p.loyalty_number where o.cancelled is null or o.cancelled "
      "> {0}",
      june, duck::quote_literal(partition(lake(), "2018-06").string())));
  auto r = c.query(
      "with ranked as (select y, rank() over (order by p) + (count(*) over (partition by p) - 1) "
      "/ 2.0 as r from scored), counts as (select sum(y) as n1, count(*) - sum(y) as n0 from "
      "scored), "
      // The top 10%: whole groups of equal p from the highest, and the group across the cut by
      // its share of positives (top_fraction's rule for ties).
      "k as (select ceil(count(*) / 10.0) as k from scored), groups as (select p, count(*) as "
      "n, sum(y) as pos from scored group by p), before as (select p, n, pos, coalesce(sum(n) "
      "over (order by p desc rows between unbounded preceding and 1 preceding), 0) as ahead "
      "from groups), top as (select sum(least(n, greatest(0, k - ahead)) * pos / n) / any_value(k) "
      "as precision from before, k) select (sum(r) filter (where y = 1) - n1 * (n1 + 1) / 2.0) / "
      "(n1 * n0), (select precision from top) / (n1 / (n1 + n0)), n1, n1 + n0 from ranked, "
      "counts group by n1, n0");
  const double auc = r.float64(0, 0);
  const double lift = r.float64(1, 0);
  json june_entry;
  const json report = monitor();
  for (const auto& e : report.at("realized")) {
    if (e.at("scored_month") == "2018-06") {
      june_entry = e;
    }
  }
  ASSERT_TRUE(june_entry.is_object());
  EXPECT_DOUBLE_EQ(june_entry.at("matured_share").get<double>(), 1.0);
  EXPECT_EQ(june_entry.at("cancellations").get<std::int64_t>(), r.int64(2, 0));
  EXPECT_EQ(june_entry.at("members").get<std::int64_t>(), r.int64(3, 0));
  EXPECT_NEAR(june_entry.at("roc_auc").get<double>(), auc, 1e-9);
  EXPECT_NEAR(june_entry.at("lift_top10").get<double>(), lift, 1e-9);
  EXPECT_NEAR(june_entry.at("observed_rate").get<double>(),
              static_cast<double>(r.int64(2, 0)) / static_cast<double>(r.int64(3, 0)), 1e-12);
  EXPECT_GT(auc, 0.5);
}

TEST_F(Replay, PredictionHistoryHoldsEveryMonthAndTheLatestStaysCurrent) {
  auto db =
      duck::Database::open((lake() / "warehouse.duckdb").string(), {{"access_mode", "READ_ONLY"}});
  duck::Connection c(db);
  auto months = c.query(
      "select scored_month, count(*), count(distinct model_id), min(model_id) from "
      "prediction_history group by scored_month order by scored_month");
  ASSERT_EQ(months.row_count(), 12u);
  auto files = duck::Database::open(":memory:");
  duck::Connection f(files);
  for (std::size_t i = 0; i < months.row_count(); ++i) {
    const std::string month = fmt::format("2018-{:02}", i + 1);
    EXPECT_EQ(months.text(0, i).value_or(""), month);
    const fs::path file = partition(lake(), month);
    EXPECT_EQ(months.int64(1, i), f.query("select count(*) from read_parquet(" +
                                          duck::quote_literal(file.string()) + ")")
                                      .scalar_int64())
        << month;
    EXPECT_EQ(months.int64(2, i), 1) << month;  // one model per scoring
  }
  // churn_predictions (and customer_scored) are the latest scoring, as before.
  EXPECT_EQ(rows_differing(c,
                           "select loyalty_number, churn_probability, model_id from "
                           "churn_predictions",
                           "select loyalty_number, churn_probability, model_id from "
                           "prediction_history where scored_month = '2018-12'"),
            0);
  EXPECT_EQ(c.query("select count(distinct scored_at) from churn_predictions").scalar_int64(), 1);
  // The monitor's tables.
  EXPECT_EQ(c.query("select count(*) from model_health").scalar_int64(), 11);
  EXPECT_GE(c.query("select count(*) from model_drift").scalar_int64(), 11);
}

// No look-ahead. The export at the end of month M, cut here, run with plain `run`: the same
// predictions as the replay's month M (the replay retrained at M, so both train the same
// model on the same data). Then a copy of the data with rows and cancellations planted after
// M: its export at M is the same, byte for byte, and a replay of M alone over it predicts the
// same.
TEST_F(Replay, NothingAfterAMonthReachesItsPredictions) {
  const std::string month = retrained_month();
  ASSERT_FALSE(month.empty()) << replay_report().dump();
  const int m = model::parse_month_label(month);
  const fs::path cut = dir_->path() / "cut";
  monitor::ExportCutter(test::real_data_dir()).write(m, cut);
  const fs::path plain = dir_->path() / "plain";
  auto r =
      test::run_cli(with_settings({"run", "--raw-dir", cut.string(), "--lake", plain.string()}));
  ASSERT_EQ(r.exit_code, 0) << r.err;

  // The planted copy, edited as text so that everything else stays byte for byte: a
  // cancellation in M+1 for every member without one whose number ends in 7, and 9 more
  // flights on every activity row after M. Its export at M is the plain cut, byte for byte.
  const fs::path planted = dir_->path() / "planted";
  const int planted_cancellations = plant_future(test::real_data_dir(), planted, m);
  EXPECT_GT(planted_cancellations, 1000);
  const fs::path planted_cut = dir_->path() / "planted-cut";
  monitor::ExportCutter(planted).write(m, planted_cut);
  for (const char* name : {kLoyaltyCsv, kActivityCsv}) {
    EXPECT_NE(core::sha256_file(planted / name).sha256,
              core::sha256_file(test::real_data_dir() / name).sha256);
    EXPECT_EQ(core::sha256_file(planted_cut / name).sha256, core::sha256_file(cut / name).sha256)
        << name;
  }
  const fs::path planted_lake = dir_->path() / "planted-lake";
  r = test::run_cli(with_settings({"replay", "--raw-dir", planted.string(), "--lake",
                                   planted_lake.string(), "--from", month, "--to", month}));
  ASSERT_EQ(r.exit_code, 0) << r.err;

  auto db = duck::Database::open(":memory:");
  duck::Connection c(db);
  const std::string columns =
      "loyalty_number, churn_probability, churn_score, risk_tier, reason_1, reason_2, reason_3, "
      "scored_at, model_id";
  const auto rows = [&](const fs::path& file) {
    return "select " + columns + " from read_parquet(" + duck::quote_literal(file.string()) + ")";
  };
  const fs::path replayed = partition(lake(), month);
  EXPECT_GT(c.query("select count(*) from (" + rows(replayed) + ")").scalar_int64(), 10000);
  EXPECT_EQ(rows_differing(c, rows(replayed),
                           rows(plain / "curated/churn/predictions/predictions.parquet")),
            0)
      << month;
  EXPECT_EQ(rows_differing(c, rows(replayed), rows(partition(planted_lake, month))), 0) << month;
}

}  // namespace
}  // namespace aa
