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

namespace aa {

struct ProtocolSplit {
  std::vector<int> train;
  int calibration = 0;
  int test = 0;
};

// The split for evaluation cutoff `test`, training from `first_cutoff` on. Throws when no
// training cutoff fits.
ProtocolSplit protocol_split(int first_cutoff, int test);

struct BacktestSettings {
  BoosterParams params;
  // Platt measured better than isotonic on the real data (docs/CHURN_MODEL.md): same ranking,
  // lower ECE, higher PR AUC (isotonic's flat steps tie members).
  Calibrator::Method calibration = Calibrator::Method::Platt;
  int bootstrap_resamples = 200;
  std::uint64_t seed = 42;
};

// Trains our model and the three baselines on `split` for `target` and reports each on the
// test cutoff. Needs the table churn_snapshots to hold every cutoff of the split.
nlohmann::json evaluate_split(duck::Connection& connection, Target target,
                              const ProtocolSplit& split, const BacktestSettings& settings);

// The reference project's own protocol, reproduced to show its leakage: one row per member
// from customer_features (end-of-data RFM), label = is_cancelled OR recency >= 3, a random
// stratified 70/30 split, its features and hyper-parameters. Needs table customer_features.
nlohmann::json leaky_reference_protocol(duck::Connection& connection,
                                        const BacktestSettings& settings);

// Mean |contribution| per source feature over `data`, largest first.
nlohmann::json feature_importance(const ChurnModel& model, const Dataset& data);

}  // namespace aa
