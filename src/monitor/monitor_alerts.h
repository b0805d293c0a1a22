#pragma once
// What the monitor raises, from its three parts. Each alert: {kind, severity ("alert" or
// "watch"), subject, message, figure, threshold, model_id, retrain}. `retrain` is true only
// for what the retraining rule counts (retrain_policy.h), and only about the current model:
//   degraded   a kept scoring of the current model is degraded (status_rule.h)      retrain
//   drift      a feature's PSI > 0.25 (retrain when it is a top-5 feature), or the score's;
//              0.1 .. 0.25 is a "watch"
//   level      a numeric feature's mean moved by 20% or more, beyond the noise (|z| >= 4;
//              drift_report.h)                                                         alert
//   status     a kept scoring on watch                                               watch
//   data       the quarantine rate or the share of missing member-months more than doubled
//              since the previous arrival and rose by at least 0.1 percentage point   alert

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace aa::monitor {

inline constexpr double kQualityMinRise = 0.001;

// The latest arrival's quality against the previous one's (arrival manifests, oldest first):
// {arrival, previous_arrival, quarantine_rate, previous_quarantine_rate, missing_month_rate,
// previous_missing_month_rate, ...}; null with fewer than one arrival.
nlohmann::json arrival_quality(const std::vector<nlohmann::json>& manifests);

nlohmann::json monitor_alerts(const nlohmann::json& realized, const nlohmann::json& drift,
                              const nlohmann::json& quality, const std::string& current_model_id);

}  // namespace aa::monitor
