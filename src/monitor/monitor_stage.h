#pragma once
// The monitor stage (`airline-analytics monitor`, and a stage of `run` after scoring): every
// kept scoring judged against what happened since (realized_performance.h, status_rule.h),
// the latest scoring's drift from its model's reference (drift_report.h), the latest arrival's
// quality against the previous one, and the alerts (monitor_alerts.h). Writes
// reports/monitor.json and the warehouse's tables model_health (one row per kept scoring) and
// model_drift (one row per variable of the latest scoring) as
// curated/churn/<table>/<table>.parquet. Skipped when none of its inputs changed.
// docs/MONITORING.md has the protocol.

#include <cstdint>

#include "core/lake.h"
#include "core/stage_state.h"
#include "features/features.h"

namespace aa::monitor {

struct MonitorOptions {
  features::StageOptions stage;
  int bootstrap_resamples = 200;
  std::uint64_t seed = 42;
};

// The summary is {scorings, matured, statuses, alerts, retrain_alerts, drift, path}; the report
// is reports/monitor.json.
core::StageResult monitor_churn(const core::Lake& lake, const MonitorOptions& options);

}  // namespace aa::monitor
