#pragma once
// Every setting of the churn model that could be tuned is chosen on a validation cutoff
// strictly before the first reported test cutoff, never on a test figure. The validation
// split is the protocol's own (backtest.h) for cutoff V = first test - 1: train on cutoffs up
// to V-7, calibrate on V-6, judge on V. The settings are tried one at a time, in a fixed order,
// each keeping the best so far:
//   max_depth         3 or 5                  by validation ROC AUC of the trees' scores
//   scale_pos_weight  1 (no weighting) or 10  by validation ROC AUC
//   history_months    the feature kept or not by validation ROC AUC
//   calibration       Platt or isotonic       by validation log loss of the probabilities
// A candidate replaces the current choice only when it scores strictly better. A setting the
// user fixed (--calibration, --scale-pos-weight) is not tried. The report lists each choice,
// its candidates' figures and the cutoff it was made on (metrics.json "protocol").

#include <nlohmann/json.hpp>
#include <optional>

#include "core/duck.h"
#include "model/backtest.h"

namespace aa::model {

struct FixedSettings {
  std::optional<Calibrator::Method> calibration;
  std::optional<double> scale_pos_weight;
};

struct SettingsSelection {
  BacktestSettings settings;
  nlohmann::json report;
};

// Needs churn_snapshots to hold the validation split's cutoffs. With too few months before
// `first_test` for a validation split, keeps `defaults` and says so in the report.
SettingsSelection select_settings(duck::Connection& connection, int first_cutoff,
                                  int first_test, const BacktestSettings& defaults,
                                  const FixedSettings& fixed);

}  // namespace aa::model
