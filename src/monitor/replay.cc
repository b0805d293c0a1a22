#include "monitor/replay.h"

#include "core/app_error.h"
#include "core/files.h"
#include "core/progress.h"
#include "model/snapshots.h"
#include "monitor/export_cutter.h"

namespace aa::monitor {

namespace {

// One month of the replay, for reports/replay.json.
nlohmann::json month_entry(int month, const nlohmann::json& cut, const MonthlyRun& run,
                           const core::Lake& lake) {
  const nlohmann::json monitor = nlohmann::json::parse(core::read_file(lake.monitor_report()));
  nlohmann::json alerts = nlohmann::json::array();
  for (const auto& a : monitor["alerts"]) {
    alerts.push_back({{"kind", a["kind"]},
                      {"severity", a["severity"]},
                      {"subject", a["subject"]},
                      {"figure", a["figure"]},
                      {"retrain", a["retrain"]}});
  }
  return {{"month", model::month_label(month)},
          {"export", cut},
          {"arrival", run.ingest.summary.value("arrival", nlohmann::json())},
          {"retrain", run.decision_json()},
          {"model_id", run.score.summary.value("model_id", "")},
          {"members_scored", run.score.summary.value("members_scored", nlohmann::json())},
          {"statuses", monitor["statuses"]},
          {"alerts", alerts},
          {"seconds", run.ingest.seconds + run.features.seconds + run.train.seconds +
                          run.score.seconds + run.monitor.seconds + run.warehouse.seconds}};
}

}  // namespace

int first_replay_month(int first) { return first + 9; }

nlohmann::json replay(const core::Lake& lake, const ReplayOptions& options) {
  const core::Stopwatch clock;
  if (options.from > options.to) {
    core::fail(core::ErrorKind::InvalidInput, "--from {} is after --to {}",
               model::month_label(options.from), model::month_label(options.to));
  }
  core::say("replay", "reading the data set in {}", options.raw_dir.string());
  const ExportCutter cutter(options.raw_dir);
  const auto [first, last] = cutter.activity_window();
  if (options.from < first_replay_month(first) || options.to > last) {
    core::fail(core::ErrorKind::InvalidInput,
               "the data's activity runs from {} to {}: a replay can run from {} (the first export "
               "needs 10 months of data to train on) to {}",
               model::month_label(first), model::month_label(last),
               model::month_label(first_replay_month(first)), model::month_label(last));
  }
  lake.create();
  const fs::path exports = lake.work_dir() / "replay-export";
  nlohmann::json months = nlohmann::json::array();
  MonthlyOptions monthly = options.monthly;
  monthly.ingest.raw_dir = exports;
  for (int month = options.from; month <= options.to; ++month) {
    core::say("replay",
              "== {}: the export as of the end of the month ==", model::month_label(month));
    fs::remove_all(exports);
    nlohmann::json cut = cutter.write(month, exports);
    const MonthlyRun run = run_monthly(lake, monthly);
    months.push_back(month_entry(month, cut, run, lake));
    core::write_file_atomic(lake.root() / "reports" / "replay.json",
                            nlohmann::json{{"from", model::month_label(options.from)},
                                           {"to", model::month_label(month)},
                                           {"months", months}}
                                    .dump(2) +
                                "\n");
  }
  fs::remove_all(exports);
  core::say("replay", "{} months replayed in {:.1f} s", months.size(), clock.seconds());
  return {{"from", model::month_label(options.from)},
          {"to", model::month_label(options.to)},
          {"months", months}};
}

}  // namespace aa::monitor
