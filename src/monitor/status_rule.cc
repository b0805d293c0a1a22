#include "monitor/status_rule.h"

#include <fmt/format.h>

#include <vector>

namespace aa::monitor {

namespace {

bool is_number(const nlohmann::json& v) { return v.is_number(); }

// An interval [low, high]; a missing interval is the point itself.
std::pair<double, double> bounds(const nlohmann::json& ci, const nlohmann::json& point) {
  if (ci.is_array() && ci.size() == 2 && is_number(ci[0]) && is_number(ci[1])) {
    return {ci[0].get<double>(), ci[1].get<double>()};
  }
  const double p = point.get<double>();
  return {p, p};
}

std::string interval_text(std::pair<double, double> b, int digits = 3) {
  return fmt::format("[{:.{}f}, {:.{}f}]", b.first, digits, b.second, digits);
}

}  // namespace

const char* status_rule_text() {
  return "degraded: the realized ROC AUC's 95% interval lies wholly below the expected ROC AUC's "
         "95% interval; watch: otherwise, when the realized ROC AUC is below the expected "
         "interval, or the realized top-10% lift's interval lies wholly below the expected "
         "lift's, or observed / mean predicted is outside [0.67, 1.5] with the mean predicted "
         "outside the observed rate's 95% interval; ok: otherwise, or while fewer than 10 "
         "members have cancelled in the matured window (too few outcomes to judge)";
}

StatusVerdict judge_scoring(const nlohmann::json& realized, const nlohmann::json& expected) {
  const std::int64_t cancellations = realized.at("cancellations").get<std::int64_t>();
  if (cancellations < kMinCancellations || !is_number(realized.at("roc_auc"))) {
    return {"ok", fmt::format("not judged yet: {} cancellations in the matured {} of 6 months "
                              "(at least {} needed)",
                              cancellations, realized.at("matured_months").get<int>(),
                              kMinCancellations)};
  }
  const double auc = realized.at("roc_auc").get<double>();
  const auto realized_auc = bounds(realized.at("roc_auc_ci"), realized.at("roc_auc"));
  const auto expected_auc =
      bounds(expected.value("roc_auc_ci", nlohmann::json()), expected.at("roc_auc"));
  const std::string source =
      fmt::format("{} {}", expected.value("source", "expected"), expected.value("cutoff", ""));
  if (realized_auc.second < expected_auc.first) {
    return {"degraded",
            fmt::format("ROC AUC {:.3f} {} lies below the expected {:.3f} {} ({})", auc,
                        interval_text(realized_auc), expected.at("roc_auc").get<double>(),
                        interval_text(expected_auc), source)};
  }
  std::vector<std::string> concerns;
  if (auc < expected_auc.first) {
    concerns.push_back(fmt::format("ROC AUC {:.3f} is below the expected interval {}", auc,
                                   interval_text(expected_auc)));
  }
  if (is_number(realized.at("lift_top10")) &&
      is_number(expected.value("lift_top10", nlohmann::json()))) {
    const auto realized_lift = bounds(realized.at("lift_top10_ci"), realized.at("lift_top10"));
    const auto expected_lift =
        bounds(expected.value("lift_top10_ci", nlohmann::json()), expected.at("lift_top10"));
    if (realized_lift.second < expected_lift.first) {
      concerns.push_back(fmt::format("top-10% lift {} lies below the expected {}",
                                     interval_text(realized_lift, 2),
                                     interval_text(expected_lift, 2)));
    }
  }
  const double ratio = realized.at("calibration_ratio").is_number()
                           ? realized.at("calibration_ratio").get<double>()
                           : 1.0;
  const double predicted = realized.at("mean_predicted").get<double>();
  const auto observed = bounds(realized.at("observed_rate_ci"), realized.at("observed_rate"));
  if ((ratio < kCalibrationRatioLow || ratio > kCalibrationRatioHigh) &&
      (predicted < observed.first || predicted > observed.second)) {
    concerns.push_back(fmt::format(
        "{:.2f}x as many cancellations as predicted (observed {:.4f} "
        "{}, predicted {:.4f})",
        ratio, realized.at("observed_rate").get<double>(), interval_text(observed, 4), predicted));
  }
  if (!concerns.empty()) {
    std::string reason = concerns.front();
    for (std::size_t i = 1; i < concerns.size(); ++i) {
      reason += "; " + concerns[i];
    }
    return {"watch", reason};
  }
  return {"ok", fmt::format("ROC AUC {:.3f} {} against the expected {:.3f} {} ({})", auc,
                            interval_text(realized_auc), expected.at("roc_auc").get<double>(),
                            interval_text(expected_auc), source)};
}

}  // namespace aa::monitor
