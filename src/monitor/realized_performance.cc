#include "monitor/realized_performance.h"

#include <algorithm>
#include <cmath>

#include "model/metrics.h"
#include "model/tenure_hazard.h"

namespace aa::monitor {

namespace {

nlohmann::json number(double v) {
  return std::isnan(v) ? nlohmann::json(nullptr) : nlohmann::json(v);
}

nlohmann::json interval(const model::Interval& i) { return {number(i.low), number(i.high)}; }

}  // namespace

int matured_months(int scored, int last) { return std::clamp(last - scored, 0, kOutcomeMonths); }

double matured_probability(double p_six_months, int matured) {
  if (matured >= kOutcomeMonths) {
    return p_six_months;
  }
  return 1.0 - std::pow(1.0 - p_six_months, static_cast<double>(matured) / kOutcomeMonths);
}

nlohmann::json realized_figures(const std::vector<float>& outcomes,
                                const std::vector<double>& p_six_months, int matured, int resamples,
                                std::uint64_t seed) {
  std::vector<double> p(p_six_months.size());
  double predicted = 0;
  for (std::size_t i = 0; i < p.size(); ++i) {
    p[i] = matured_probability(p_six_months[i], matured);
    predicted += p[i];
  }
  std::int64_t cancellations = 0;
  for (float y : outcomes) {
    cancellations += y > 0.5f ? 1 : 0;
  }
  const auto n = static_cast<std::int64_t>(outcomes.size());
  const double mean_predicted = n > 0 ? predicted / static_cast<double>(n) : NAN;
  const double observed = n > 0 ? static_cast<double>(cancellations) / static_cast<double>(n) : NAN;
  nlohmann::json out = {{"members", n},
                        {"cancellations", cancellations},
                        {"matured_months", matured},
                        {"matured_share", static_cast<double>(matured) / kOutcomeMonths},
                        {"observed_rate", number(observed)},
                        {"observed_rate_ci", interval(model::wilson_interval(cancellations, n))},
                        {"mean_predicted", number(mean_predicted)},
                        {"calibration_ratio", number(observed / mean_predicted)},
                        {"bootstrap_resamples", resamples}};
  if (cancellations == 0 || cancellations == n) {
    for (const char* key : {"roc_auc", "pr_auc", "lift_top10", "precision_top10", "brier"}) {
      out[key] = nullptr;
      out[std::string(key) + "_ci"] = {nullptr, nullptr};
    }
    return out;
  }
  const model::MetricSet m = model::compute_metrics(outcomes, p);
  const model::MetricIntervals ci = model::bootstrap_intervals(outcomes, p, resamples, seed);
  out.update({{"roc_auc", number(m.roc_auc)},
              {"roc_auc_ci", interval(ci.roc_auc)},
              {"pr_auc", number(m.pr_auc)},
              {"pr_auc_ci", interval(ci.pr_auc)},
              {"lift_top10", number(m.top10.lift)},
              {"lift_top10_ci", interval(ci.top10_lift)},
              {"precision_top10", number(m.top10.precision)},
              {"precision_top10_ci", interval(ci.top10_precision)},
              {"brier", number(m.brier)},
              {"brier_ci", interval(ci.brier)}});
  return out;
}

}  // namespace aa::monitor
