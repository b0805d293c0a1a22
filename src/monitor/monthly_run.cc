#include "monitor/monthly_run.h"

#include "core/progress.h"
#include "features/warehouse.h"
#include "model/model_store.h"
#include "model/score_stage.h"

namespace aa::monitor {

nlohmann::json MonthlyRun::decision_json() const {
  return {{"retrain", decision.retrain},
          {"reason", decision.reason},
          {"model_id", decision.model_id},
          {"model_age_months", decision.model_age_months}};
}

MonthlyRun run_monthly(const core::Lake& lake, const MonthlyOptions& options) {
  MonthlyRun run;
  run.ingest = ingest::ingest(lake, options.ingest);
  // A rebuilt ingest changes the processed files' hashes, so later stages rebuild too.
  run.features = features::build_customer_features(lake, options.stage, options.engine);
  RetrainSettings retrain{options.retrain_months, options.retrain, options.stage.force,
                          model::train_settings_text(options.train)};
  run.decision = retrain_decision(lake, retrain);
  core::say("run", "{}: {}", run.decision.retrain ? "retraining" : "keeping the model",
            run.decision.reason);
  if (run.decision.retrain) {
    run.train = model::train_churn(lake, options.train);
  } else {
    run.train.skipped = true;
    run.train.summary = {{"model_id", run.decision.model_id}, {"kept", true}};
  }
  run.score = model::score_churn(lake, options.stage);
  run.monitor = monitor_churn(lake, options.monitor);
  run.warehouse = features::build_warehouse(lake, options.stage);
  return run;
}

}  // namespace aa::monitor
