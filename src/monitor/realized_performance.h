#pragma once
// Realized performance: a kept scoring judged against what happened after it. A scoring at
// month S predicted, for each member active at S, the probability of cancelling in S+1 .. S+6.
// Once the data reaches month L > S, k = min(L - S, 6) months of that window have matured; a
// member's outcome is 1 when the latest data shows a cancellation in S+1 .. S+k. With k < 6 the
// prediction is scaled to the matured months assuming a constant monthly hazard,
// p_k = 1 - (1 - p)^(k / 6), for the calibration figures (mean predicted, Brier); the ranking
// figures (ROC AUC, PR AUC, top-10% lift and precision) do not depend on it.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <vector>

namespace aa::monitor {

inline constexpr int kOutcomeMonths = 6;

// The matured months of a scoring at `scored` seen from data ending at `last` (0 .. 6).
int matured_months(int scored, int last);

// The prediction for the matured part of the window.
double matured_probability(double p_six_months, int matured);

// {members, cancellations, matured_months, matured_share, roc_auc, roc_auc_ci, pr_auc,
//  pr_auc_ci, lift_top10, lift_top10_ci, precision_top10, precision_top10_ci, observed_rate,
//  observed_rate_ci (Wilson), mean_predicted, calibration_ratio (observed / mean predicted),
//  brier, brier_ci, bootstrap_resamples}. Figures that need a cancellation are null without one.
nlohmann::json realized_figures(const std::vector<float>& outcomes,
                                const std::vector<double>& p_six_months, int matured, int resamples,
                                std::uint64_t seed);

}  // namespace aa::monitor
