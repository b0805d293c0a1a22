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
    row["label"] = model::feature_label(f.at("feature").get<std::string>());
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
    core::fail(core::ErrorKind::NotFound,
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

ResultSchema model_health_result() {
  return {
      rows("alerts", "the monitor's alerts",
           {text("kind", "the kind of alert"), text("severity", "the severity"),
            text("subject", "what the alert is about"), text("message", "what happened, in words"),
            text("model_id", "the model"), flag("retrain", "whether retraining is due, and why")}),
      text("current_model_id", "the model now in use"),
      text("data_last_month", "the data's last month"),
      object(
          "data_quality", "the latest arrival's quality against the previous one",
          {text("arrival", "the latest data arrival"),
           text("data_last_month", "the data's last month"),
           integer("missing_member_months", "member-months", "member-months without a row"),
           number("missing_month_rate", "fraction", "share of member-months without a row"),
           text("previous_arrival", "the previous data arrival, if any"),
           number("quarantine_rate", "fraction", "share of rows quarantined"),
           integer("rows_quarantined", "rows", "rows quarantined"),
           number("previous_quarantine_rate", "fraction", "the previous arrival's quarantine rate"),
           integer("previous_rows_quarantined", "rows", "the previous arrival's quarantined rows"),
           number("previous_missing_month_rate", "fraction",
                  "the previous arrival's missing member-month rate"),
           integer("previous_missing_member_months", "member-months",
                   "the previous arrival's missing member-months")}),
      object("drift", "the latest scoring's drift against its model's reference snapshot",
             {rows("by_month", "drift of each kept scoring, by month",
                   {text("max_feature", "the feature with the highest PSI"),
                    number("max_feature_psi", "PSI", "the highest feature PSI"),
                    text("model_id", "the model"), number("score_psi", "PSI", "the score's PSI"),
                    text("scored_month", "the month scored")}),
              rows("features", "PSI per model feature",
                   {text("feature", "the model feature"),
                    integer("importance_rank", "rank", "the feature's rank by importance"),
                    text("label", "the feature's label"),
                    flag("level_shift", "whether the mean moved by more than the rule allows"),
                    number("mean_change", "fraction", "relative change of the mean"),
                    number("psi", "PSI", "population stability index"),
                    text("shift", "the shift, in words"),
                    flag("top5", "whether the feature is among the five most important")}),
              text("model_id", "the model"), text("reference_month", "the model's reference month"),
              number("score_psi", "PSI", "the score's PSI"),
              text("score_shift", "the score's shift, in words"),
              text("scored_month", "the month scored")}),
      text("note", "how to read the figures"),
      rows("pending", "scorings not matured yet",
           {number("matured_share", "fraction", "share of the 6-month horizon that has matured"),
            integer("members", "members", "members scored"), text("model_id", "the model"),
            text("scored_month", "the month scored")}),
      rows(
          "realized", "each kept scoring against what happened since",
          {text("scored_month", "the month scored"),
           text("model_id", "the model"),
           integer("members", "members", "members scored"),
           integer("cancellations", "members", "cancellations"),
           number("matured_months", "months", "months of the horizon matured"),
           number("matured_share", "fraction", "share of the 6-month horizon that has matured"),
           number("roc_auc", "AUC 0-1", "ROC AUC"),
           list("roc_auc_ci", ResultType::Number, "AUC 0-1",
                "95% bootstrap interval of the ROC AUC"),
           number("pr_auc", "AUC 0-1", "precision-recall AUC"),
           list("pr_auc_ci", ResultType::Number, "AUC 0-1", "95% bootstrap interval of the PR AUC"),
           number("lift_top10", "ratio", "lift in the top 10%"),
           list("lift_top10_ci", ResultType::Number, "ratio",
                "95% bootstrap interval of the top-10% lift"),
           number("precision_top10", "fraction", "precision in the top 10%"),
           number("observed_rate", "fraction", "observed cancellation rate"),
           list("observed_rate_ci", ResultType::Number, "fraction",
                "95% bootstrap interval of the observed rate"),
           number("mean_predicted", "fraction", "mean predicted probability"),
           number("calibration_ratio", "ratio", "observed rate over mean predicted"),
           number("brier", "squared error 0-1", "Brier score"),
           text("status", "ok, watch or degraded"),
           text("status_reason", "why the status"),
           text("expected_source", "where the expected figures come from"),
           text("expected_cutoff", "the cutoff the expected figures come from"),
           number("expected_roc_auc", "AUC 0-1", "the model's expected ROC AUC"),
           list("expected_roc_auc_ci", ResultType::Number, "AUC 0-1",
                "95% interval of the expected ROC AUC"),
           number("expected_lift_top10", "ratio", "the model's expected top-10% lift")}),
      object("retrain", "whether retraining is due, and why",
             {flag("due", "whether retraining is due"),
              list("reasons", ResultType::String, "", "the reasons, in words")}),
      object("rules", "the monitor's rules, in words",
             {text("data_quality", "the latest arrival's quality against the previous one"),
              text("drift", "the latest scoring's drift against its model's reference snapshot"),
              text("outcome", "the rule for the realized outcome"),
              text("retrain", "whether retraining is due, and why"),
              text("status", "ok, watch or degraded")}),
      object("statuses", "kept scorings by status",
             {under_parent(integer("degraded", "scorings", "scorings judged degraded")),
              under_parent(integer("ok", "scorings", "scorings judged ok")),
              under_parent(integer("watch", "scorings", "scorings judged watch"))})};
}

}  // namespace

Operation model_health_operation() {
  return {"model_health",
          "Whether the churn model still works: each past scoring's realized ROC AUC, lift and "
          "calibration against what was expected, with intervals and a status (ok, watch, "
          "degraded); drift of the features and the score (PSI); data quality against the "
          "previous export; alerts and whether retraining is due (filters ignored)",
          no_params, model_health, model_health_result()};
}

}  // namespace aa::ops
