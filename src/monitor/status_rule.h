#pragma once
// The status of a kept scoring: its realized figures (realized_performance.h) against what its
// model was expected to do (metrics.json "expected": the backtest's latest test cutoff, or the
// calibration cutoff without a backtest). Judged on intervals, as every goal of this product:
//   degraded  the realized ROC AUC's 95% interval lies wholly below the expected ROC AUC's
//             95% interval (worse beyond the noise of both)
//   watch     not degraded, and one of: the realized ROC AUC falls below the expected interval;
//             the realized top-10% lift's interval lies wholly below the expected lift's
//             interval; calibration in the large is off (observed / mean predicted outside
//             [2/3, 3/2] and the mean predicted outside the observed rate's 95% interval)
//   ok        otherwise, and whenever fewer than kMinCancellations have happened in the matured
//             window (too few outcomes to judge: the reason says so)
// A degraded scoring of the current model is a retraining alert (retrain_policy.h).

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

namespace aa::monitor {

inline constexpr std::int64_t kMinCancellations = 10;
inline constexpr double kCalibrationRatioLow = 2.0 / 3.0;
inline constexpr double kCalibrationRatioHigh = 1.5;

struct StatusVerdict {
  std::string status;  // "ok", "watch" or "degraded"
  std::string reason;
};

StatusVerdict judge_scoring(const nlohmann::json& realized, const nlohmann::json& expected);

// The rule above in words, for monitor.json and the page.
const char* status_rule_text();

}  // namespace aa::monitor
