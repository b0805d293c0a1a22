#pragma once
// The out-of-time protocol. For an evaluation cutoff E:
//   training cutoffs    first usable month .. E-7 (their six-month labels close by E-1)
//   calibration cutoff  E-6 (its label window closes at E)
//   test cutoff         E
// The booster's early-stopping hold-out is a share of the training members, so it too comes
// from training time only. Every model (ours and the baselines) is calibrated the same way.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <vector>

#include "core/duck.h"
#include "model/churn_model.h"

namespace aa::model {

struct ProtocolSplit {
  std::vector<int> train;
  int calibration = 0;
  int test = 0;
};

// The rows of a split: training cutoffs, the calibration cutoff and the test cutoff, with the
// categorical levels learned on the training rows.
struct SplitData {
  FeatureSpec spec;
  Dataset train, calibration, test;
};

// The split for evaluation cutoff `test`, training from `first_cutoff` on. Throws when no
// training cutoff fits.
ProtocolSplit protocol_split(int first_cutoff, int test);

// Loads `split`'s rows for `target` with `spec` (levels learned on the training cutoffs).
// Throws when a cutoff has no rows.
SplitData load_split(duck::Connection& connection, Target target, const ProtocolSplit& split,
                     FeatureSpec spec);

struct BacktestSettings {
  BoosterParams params;
  Calibrator::Method calibration = Calibrator::Method::Platt;
  // Whether history_months (how many months the windows can see, equal for every member at a
  // cutoff) is a feature. These settings are chosen on a validation cutoff before the first
  // test cutoff (settings_selection.h) unless the user fixes them.
  bool history_months = true;
  int bootstrap_resamples = 200;
  std::uint64_t seed = 42;
};

// The model's features under `settings` (churn_feature_spec, without history_months if so).
FeatureSpec feature_spec_for(const BacktestSettings& settings);

// One test row of the model: its member, label, probability and first reason's feature ("" when
// no feature raises the member's risk materially).
struct BacktestRows {
  int cutoff = 0;
  std::vector<std::int64_t> member;
  std::vector<float> label;
  std::vector<double> probability;
  std::vector<std::string> reason_feature;
};

// Trains our model and the baselines on `split` for `target` and reports each on the test
// cutoff: metrics, curves, importance, and with `diagnose` the diagnostics (diagnostics.h) and
// the tenure-only baseline they compare against. Needs the table churn_snapshots to hold
// every cutoff of the split. `rows`, when given, receives the model's test rows.
nlohmann::json evaluate_split(duck::Connection& connection, Target target,
                              const ProtocolSplit& split, const BacktestSettings& settings,
                              bool diagnose = false, BacktestRows* rows = nullptr);

// The reference project's own protocol, reproduced to show its leakage: one row per member
// from customer_features (end-of-data RFM), label = is_cancelled OR recency >= 3, a random
// stratified 70/30 split, its features and hyper-parameters. Needs table customer_features.
nlohmann::json leaky_reference_protocol(duck::Connection& connection,
                                        const BacktestSettings& settings);

// Mean |contribution| per source feature over `data`, largest first.
nlohmann::json feature_importance(const ChurnModel& model, const Dataset& data);
// The same from contributions already computed (rows x (columns + 1)).
std::vector<std::pair<std::string, double>> feature_importance(
    const FeatureSpec& spec, const std::vector<float>& contributions, std::size_t rows);

}  // namespace aa::model
