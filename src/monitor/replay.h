#pragma once
// The replay: the monthly operation run on the data set month by month, from --from to --to,
// each month on the export as it would have looked at that month's end (export_cutter.h):
// ingest of the arrival, features, retrain if due, score, monitor, warehouse (monthly_run.h).
// At the end the lake holds every month's scoring, and monitor.json judges each against what
// happened after it. reports/replay.json lists each month: its arrival, the retraining decision
// and its reason, the model that scored, and what the monitor raised.

#include <nlohmann/json.hpp>

#include "core/lake.h"
#include "monitor/monthly_run.h"

namespace aa::monitor {

struct ReplayOptions {
  fs::path raw_dir;
  int from = 0;  // month indices
  int to = 0;
  MonthlyOptions monthly;  // its ingest.raw_dir is the replay's own export folder
};

// The first month a replay can start at, for data whose activity starts at `first`: the
// production model needs 10 months of data.
int first_replay_month(int first);

// Runs the replay; returns reports/replay.json's content.
nlohmann::json replay(const core::Lake& lake, const ReplayOptions& options);

}  // namespace aa::monitor
