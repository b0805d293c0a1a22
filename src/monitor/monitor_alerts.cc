#include "monitor/monitor_alerts.h"

#include <fmt/format.h>

#include "monitor/drift_report.h"

namespace aa::monitor {

namespace {

nlohmann::json alert(const char* kind, const char* severity, const std::string& subject,
                     const std::string& message, double figure, double threshold,
                     const std::string& model_id, bool retrain) {
  return {{"kind", kind},         {"severity", severity}, {"subject", subject},
          {"message", message},   {"figure", figure},     {"threshold", threshold},
          {"model_id", model_id}, {"retrain", retrain}};
}

// A rate that more than doubled and rose by kQualityMinRise.
bool jumped(double now, double before) {
  return now > 2 * before && now - before >= kQualityMinRise;
}

void performance_alerts(const nlohmann::json& realized, const std::string& current,
                        nlohmann::json& out) {
  for (const auto& r : realized) {
    const std::string status = r.at("status").get<std::string>();
    if (status == "ok") {
      continue;
    }
    const std::string model = r.at("model_id").get<std::string>();
    const bool degraded = status == "degraded";
    const std::string subject = "scoring " + r.at("scored_month").get<std::string>();
    out.push_back(alert(
        degraded ? "degraded" : "status", degraded ? "alert" : "watch", subject,
        fmt::format("{} ({:.0f}% matured), model {}: {}", subject,
                    100 * r.at("matured_share").get<double>(), model,
                    r.at("status_reason").get<std::string>()),
        r.value("roc_auc", nlohmann::json(0.0)).is_number() ? r.at("roc_auc").get<double>() : 0.0,
        r.at("expected").at("roc_auc").get<double>(), model, degraded && model == current));
  }
}

void drift_alerts(const nlohmann::json& drift, const std::string& current, nlohmann::json& out) {
  if (!drift.is_object()) {
    return;
  }
  const std::string model = drift.at("model_id").get<std::string>();
  const std::string month = drift.at("scored_month").get<std::string>();
  auto add = [&](const std::string& name, double psi, bool top5) {
    if (psi < kPsiModerate) {
      return;
    }
    const bool major = psi > kPsiMajor;
    out.push_back(alert(
        "drift", major ? "alert" : "watch", name,
        fmt::format("{}{} moved since the model's reference ({}): PSI {:.3f} at {} ({} shift)",
                    name, top5 ? " (a top-5 feature)" : "",
                    drift.at("reference_month").get<std::string>(), psi, month, psi_shift(psi)),
        psi, major ? kPsiMajor : kPsiModerate, model, major && top5 && model == current));
  };
  for (const auto& f : drift.at("features")) {
    add(f.at("feature").get<std::string>(), f.at("psi").get<double>(), f.at("top5").get<bool>());
    if (f.value("level_shift", false)) {
      const double change = f.at("mean_change").get<double>();
      out.push_back(alert(
          "level", "alert", f.at("feature").get<std::string>(),
          fmt::format(
              "{} moved in level since the model's reference ({}): mean {:.3g} at {} "
              "against {:.3g}, {:+.0f}% (z {:.1f})",
              f.at("feature").get<std::string>(), drift.at("reference_month").get<std::string>(),
              f.at("mean_scoring").get<double>(), month, f.at("mean_reference").get<double>(),
              100 * change, f.at("mean_z").get<double>()),
          change, kLevelShift, model, false));
    }
  }
  add(model::kScoreBins, drift.at("score").at("psi").get<double>(), false);
}

void quality_alerts(const nlohmann::json& q, nlohmann::json& out) {
  if (!q.is_object() || q.at("previous_arrival").is_null()) {
    return;
  }
  const auto check = [&](const char* rate, const char* previous, const char* what) {
    const double now = q.at(rate).get<double>();
    const double before = q.at(previous).get<double>();
    if (jumped(now, before)) {
      out.push_back(
          alert("data", "alert", what,
                fmt::format("{} rose from {:.3f}% in arrival {} to {:.3f}% in arrival {}", what,
                            100 * before, q.at("previous_arrival").get<std::string>(), 100 * now,
                            q.at("arrival").get<std::string>()),
                now, 2 * before, "", false));
    }
  };
  check("quarantine_rate", "previous_quarantine_rate", "quarantine rate");
  check("missing_month_rate", "previous_missing_month_rate", "missing member-months");
}

nlohmann::json quality_of(const nlohmann::json& manifest) {
  return manifest.value("quality", nlohmann::json::object());
}

}  // namespace

nlohmann::json arrival_quality(const std::vector<nlohmann::json>& manifests) {
  if (manifests.empty()) {
    return nullptr;
  }
  const nlohmann::json& latest = manifests.back();
  const nlohmann::json now = quality_of(latest);
  nlohmann::json out = {{"arrival", latest.at("arrival_id")},
                        {"data_last_month", latest.at("data_last_month")},
                        {"quarantine_rate", now.at("quarantine_rate")},
                        {"rows_quarantined", now.at("rows_quarantined")},
                        {"missing_month_rate", now.at("missing_month_rate")},
                        {"missing_member_months", now.at("missing_member_months")},
                        {"previous_arrival", nullptr}};
  if (manifests.size() >= 2) {
    const nlohmann::json& before = manifests[manifests.size() - 2];
    const nlohmann::json b = quality_of(before);
    out.update({{"previous_arrival", before.at("arrival_id")},
                {"previous_quarantine_rate", b.at("quarantine_rate")},
                {"previous_rows_quarantined", b.at("rows_quarantined")},
                {"previous_missing_month_rate", b.at("missing_month_rate")},
                {"previous_missing_member_months", b.at("missing_member_months")}});
  }
  return out;
}

nlohmann::json monitor_alerts(const nlohmann::json& realized, const nlohmann::json& drift,
                              const nlohmann::json& quality, const std::string& current_model_id) {
  nlohmann::json out = nlohmann::json::array();
  performance_alerts(realized, current_model_id, out);
  drift_alerts(drift, current_model_id, out);
  quality_alerts(quality, out);
  return out;
}

}  // namespace aa::monitor
