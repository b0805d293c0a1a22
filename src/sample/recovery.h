#pragma once
// Does the churn model recover what was planted? The backtest's test rows
// (backtest_predictions.parquet) joined to the generator's truth (truth.parquet), per test
// cutoff:
//   bayes_auc         the AUC of the true 6-month probability on the same rows: the limit
//   model_auc, gap    the model's AUC and bayes_auc - model_auc (paired-bootstrap interval)
//   calibration_slope logistic regression of the outcome on the logit of the model's
//                     probability (1 when calibrated; bootstrap interval)
//   reason_agreement  among the top decile by the model's probability, the share whose first
//                     reason names the mechanism the truth says contributes most
// The goals (behaviour: gap <= 0.02, slope in [0.85, 1.15], agreement >= 0.8) count as met
// only when the interval clears them.

#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>

namespace aa::sample {

nlohmann::json recovery_report(const std::filesystem::path& truth_file,
                               const std::filesystem::path& backtest_file, int resamples,
                               std::uint64_t seed);

// "met", "missed" or "not distinguishable from the goal": an interval [low, high] against a
// goal that the figure should be at least (`at_least`) or at most the goal.
const char* goal_verdict(double low, double high, double goal, bool at_least);

}  // namespace aa::sample
