// The monitor's figures (reports/monitor.json, docs/MONITORING.md): realized against expected
// performance by scoring month, the latest scoring's drift, the latest arrival's quality and
// the alerts. They describe the whole programme; filters do not apply to them.

#include "core/app_error.h"
#include "model/reasons.h"
#include "ops/pick.h"
#include "ops/registry.h"

namespace aa::ops {

namespace {

nlohmann::json realized_rows(const nlohmann::json& realized) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& r : realized) {
    nlohmann::json row = pick(r, {"scored_month",    "model_id",          "members",
                                  "cancellations",   "matured_months",    "matured_share",
                                  "roc_auc",         "roc_auc_ci",        "pr_auc",
                                  "pr_auc_ci",       "lift_top10",        "lift_top10_ci",
                                  "precision_top10", "observed_rate",     "observed_rate_ci",
                                  "mean_predicted",  "calibration_ratio", "brier",
                                  "status",          "status_reason"});
    const auto& e = r.at("expected");
    row["expected_source"] = e.value("source", "");
    row["expected_cutoff"] = e.value("cutoff", "");
    row["expected_roc_auc"] = e.at("roc_auc");
    row["expected_roc_auc_ci"] = e.value("roc_auc_ci", nlohmann::json());
    row["expected_lift_top10"] = e.value("lift_top10", nlohmann::json());
    out.push_back(row);
  }
  return out;
}

nlohmann::json drift_rows(const nlohmann::json& drift) {
  if (!drift.is_object()) {
    return nullptr;
  }
  nlohmann::json features = nlohmann::json::array();
  for (const auto& f : drift.at("features")) {
    nlohmann::json row = pick(
        f, {"feature", "importance_rank", "top5", "psi", "shift", "mean_change", "level_shift"});
    row["label"] = feature_label(f.at("feature").get<std::string>());
    features.push_back(row);
  }
  return {{"scored_month", drift.at("scored_month")},
          {"model_id", drift.at("model_id")},
          {"reference_month", drift.at("reference_month")},
          {"features", features},
          {"score_psi", drift.at("score").at("psi")},
          {"score_shift", drift.at("score").at("shift")},
          {"by_month", drift.value("by_month", nlohmann::json::array())}};
}

nlohmann::json alert_rows(const nlohmann::json& alerts) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& a : alerts) {
    out.push_back(pick(a, {"kind", "severity", "subject", "message", "model_id", "retrain"}));
  }
  return out;
}

nlohmann::json model_health(OpsContext& context, const ParamValues&, const Filters&) {
  const nlohmann::json& m = context.monitor_report();
  if (m.is_null()) {
    fail(ErrorKind::NotFound,
         "'{}' does not exist; run `airline-analytics monitor` (or `run`) first",
         context.lake().monitor_report().string());
  }
  return {{"data_last_month", m.at("data_last_month")},
          {"current_model_id", m.at("current_model_id")},
          {"statuses", m.at("statuses")},
          {"realized", realized_rows(m.at("realized"))},
          {"pending", m.value("pending", nlohmann::json::array())},
          {"drift", drift_rows(m.value("drift", nlohmann::json()))},
          {"data_quality", m.value("data_quality", nlohmann::json())},
          {"alerts", alert_rows(m.at("alerts"))},
          {"retrain", m.at("retrain")},
          {"rules", m.at("rules")},
          {"note",
           "realized: each kept scoring against the cancellations that followed it, beside what "
           "its model was expected to do; drift: the latest scoring against its model's "
           "reference snapshot"}};
}

}  // namespace

Operation model_health_operation() {
  return {"model_health",
          "Whether the churn model still works: each past scoring's realized ROC AUC, lift and "
          "calibration against what was expected, with intervals and a status (ok, watch, "
          "degraded); drift of the features and the score (PSI); data quality against the "
          "previous export; alerts and whether retraining is due (filters ignored)",
          no_params, model_health};
}

}  // namespace aa::ops
