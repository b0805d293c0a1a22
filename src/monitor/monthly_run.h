#pragma once
// The monthly operation, as `run` does it on each new export and `replay` at each month:
// ingest the arrival, build the features, retrain if due (retrain_policy.h) or keep the model,
// score, monitor, and refresh the warehouse. Each stage skips when its inputs are unchanged.

#include <nlohmann/json.hpp>

#include "core/stage_state.h"
#include "features/features.h"
#include "ingest/ingest.h"
#include "model/train_stage.h"
#include "monitor/monitor_stage.h"
#include "monitor/retrain_policy.h"

namespace aa::monitor {

struct MonthlyOptions {
  ingest::IngestOptions ingest;
  features::StageOptions stage;
  features::EngineChoice engine;
  model::TrainOptions train;
  MonitorOptions monitor;
  int retrain_months = kDefaultRetrainMonths;
  bool retrain = false;  // --retrain
};

struct MonthlyRun {
  core::StageResult ingest, features, train, score, monitor, warehouse;
  RetrainDecision decision;
  // {retrain, reason, model_id, model_age_months}
  nlohmann::json decision_json() const;
};

MonthlyRun run_monthly(const core::Lake& lake, const MonthlyOptions& options);

}  // namespace aa::monitor
