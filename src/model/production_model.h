#pragma once
// The production model: trained on every labelled cutoff but the last, calibrated on the last
// (the data's last month - 6), scoring the data's last month. Beside it, what monitoring needs
// from training time: the figures realized performance is judged against, and the drift bins.

#include <nlohmann/json.hpp>

#include "core/duck.h"
#include "model/backtest.h"
#include "model/churn_model.h"
#include "model/drift_reference.h"

namespace aa::model {

struct ProductionModel {
  ChurnModel model;
  double calibration_base_rate = 0;
  // What the model is expected to do out of time (metrics.json "expected"): the backtest's
  // latest test cutoff when there is a backtest; otherwise the calibration cutoff's rank
  // figures, out of time for the trees (the booster never saw that cutoff; the calibrator is
  // monotone, so ROC AUC, PR AUC and lift are the trees' own).
  nlohmann::json expected;
  DriftReference drift;
};

// Needs churn_snapshots to hold every cutoff from first_cutoff to last. `backtest` is the
// cancellation target's summary (with "out_of_time"), or null without a backtest.
ProductionModel train_production_model(duck::Connection& connection, int first_cutoff, int last,
                                       const BacktestSettings& settings,
                                       const nlohmann::json& backtest);

}  // namespace aa::model
