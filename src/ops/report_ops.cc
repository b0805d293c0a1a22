// Reports the pipeline already wrote: the churn model's headline figures (metrics.json) and
// the ingest report. They describe the whole data set; filters do not apply to them.

#include "core/app_error.h"
#include "ops/pick.h"
#include "ops/registry.h"

namespace aa::ops {

namespace {

nlohmann::json headline(const nlohmann::json& evaluation) {
  nlohmann::json out =
      pick(evaluation, {"roc_auc", "roc_auc_ci", "pr_auc", "pr_auc_ci", "base_rate", "brier",
                        "brier_ci", "ece", "ece_ci", "n_train", "n_test"});
  for (const char* top : {"top_5pct", "top_10pct"}) {
    if (evaluation.contains(top)) {
      out[top] = pick(evaluation.at(top), {"precision", "recall", "lift", "lift_ci"});
    }
  }
  return out;
}

nlohmann::json baselines(const nlohmann::json& metrics) {
  nlohmann::json out = nlohmann::json::object();
  if (metrics.contains("baselines")) {
    for (const auto& [name, value] : metrics.at("baselines").items()) {
      out[name] = pick(value, {"roc_auc", "roc_auc_ci", "pr_auc"});
    }
  }
  return out;
}

nlohmann::json model_performance(OpsContext& context, const ParamValues&, const Filters&) {
  const nlohmann::json& m = context.metrics();
  if (m.is_null()) {
    fail(ErrorKind::NotFound, "'{}' does not exist; run `airline-analytics train` first",
         (context.lake().churn_artifacts() / "metrics.json").string());
  }
  nlohmann::json out = {{"target", m.value("target", "")},
                        {"label", m.value("label", "")},
                        {"cutoffs", m.value("cutoffs", nlohmann::json::object())},
                        {"out_of_time", headline(m.value("out_of_time", nlohmann::json::object()))},
                        {"baselines", baselines(m)}};
  if (m.contains("leaky_reference_protocol")) {
    out["leaky_reference_protocol"] = pick(
        m.at("leaky_reference_protocol"),
        {"roc_auc", "roc_auc_ci", "pr_auc", "base_rate", "why_leaky", "label", "split", "n_test"});
  }
  if (m.contains("dormancy")) {
    const auto& d = m.at("dormancy");
    out["dormancy"] = {{"label", d.value("label", "")},
                       {"out_of_time", headline(d.value("out_of_time", nlohmann::json::object()))}};
  }
  if (m.contains("production")) {
    out["production"] = pick(m.at("production"), {"scores_month", "risk_tiers", "cutoffs"});
  }
  // The model page's charts: reliability, ROC and PR curves, lift by decile (on the
  // out-of-time test set) and global importance; the model card's text.
  const nlohmann::json oot = m.value("out_of_time", nlohmann::json::object());
  const nlohmann::json curves = oot.value("curves", nlohmann::json::object());
  out["charts"] = {
      {"reliability", oot.value("reliability", nlohmann::json::array())},
      {"roc", curves.value("roc", nlohmann::json::array())},
      {"pr", curves.value("pr", nlohmann::json::array())},
      {"lift_by_decile", curves.value("lift_by_decile", nlohmann::json::array())},
      {"feature_importance", oot.value("feature_importance", nlohmann::json::array())}};
  // What the data supports (diagnostics.h, signal_words.h) and how the settings were chosen.
  if (m.contains("signal") && m.at("signal").is_object()) {
    out["signal"] = pick(m.at("signal"), {"one_feature_model", "behaviour_signal",
                                          "dominant_feature", "dominant_feature_label",
                                          "dominant_feature_phrase", "headline", "sentences"});
  }
  if (m.contains("diagnostics") && m.at("diagnostics").is_object()) {
    const auto& d = m.at("diagnostics");
    out["diagnostics"] = pick(d, {"model_auc", "single_feature_auc", "dominant_feature",
                                  "comparisons", "one_feature_model", "one_feature_rule"});
    out["diagnostics"]["stratified_auc"] =
        pick(d.value("stratified_auc", nlohmann::json::object()), {"feature", "auc", "auc_ci"});
    out["diagnostics"]["calibration"] =
        pick(d.value("calibration", nlohmann::json::object()),
             {"base_rate", "brier_skill_score", "slope", "slope_ci", "intercept",
              "ece_over_base_rate"});
  }
  if (m.contains("protocol") && m.at("protocol").is_object()) {
    out["protocol"] = pick(m.at("protocol"), {"validation_cutoff", "first_test_cutoff", "rule"});
    nlohmann::json choices = nlohmann::json::array();
    for (const auto& c : m.at("protocol").value("choices", nlohmann::json::array())) {
      const auto text = [](const nlohmann::json& v) {
        return v.is_string() ? v.get<std::string>() : v.dump();
      };
      choices.push_back({{"setting", c.value("setting", "")},
                         {"chosen", text(c.value("chosen", nlohmann::json()))},
                         {"chosen_on", c.value("chosen_on", "")},
                         {"criterion", c.value("criterion", "")}});
    }
    out["protocol"]["choices"] = choices;
  }
  out["model_card"] = context.model_card();
  out["note"] =
      "out-of-time figures: trained on earlier cutoffs, tested on a later one; the leaky "
      "reference protocol is shown only to measure the gap";
  return out;
}

// What the model's diagnostics support (metrics.json "signal", "diagnostics",
// "snapshot_comparison", "tenure_hazard"): the figures the analyst's "why" answers are built
// from, so that they never compare the all-zero months after a cancellation.
nlohmann::json churn_signal(OpsContext& context, const ParamValues&, const Filters&) {
  const nlohmann::json& m = context.metrics();
  if (m.is_null()) {
    fail(ErrorKind::NotFound, "'{}' does not exist; run `airline-analytics train` first",
         (context.lake().churn_artifacts() / "metrics.json").string());
  }
  const nlohmann::json signal = m.value("signal", nlohmann::json());
  const nlohmann::json d = m.value("diagnostics", nlohmann::json());
  if (!signal.is_object() || !d.is_object()) {
    fail(ErrorKind::NotFound,
         "'{}' has no diagnostics (trained by an earlier version); run `airline-analytics train "
         "--force`",
         (context.lake().churn_artifacts() / "metrics.json").string());
  }
  const auto& dominant = d.at("dominant_feature");
  const nlohmann::json tenure_only =
      d.at("comparisons").value("tenure_only", nlohmann::json::object());
  const auto& strat = d.at("stratified_auc");
  nlohmann::json out = {
      {"one_feature_model", signal.at("one_feature_model")},
      {"behaviour_signal", signal.at("behaviour_signal")},
      {"dominant_feature", dominant.at("name")},
      {"dominant_feature_label", signal.at("dominant_feature_label")},
      {"dominant_feature_phrase", signal.value("dominant_feature_phrase", "")},
      {"importance_share", dominant.at("importance_share")},
      {"model_auc", d.at("model_auc")},
      {"dominant_single_auc", dominant.at("single_auc")},
      {"added_auc", dominant.at("added_auc")},
      {"added_auc_ci", dominant.at("added_auc_ci")},
      {"stratified_auc", strat.at("auc")},
      {"stratified_auc_ci", strat.at("auc_ci")},
      {"test_cutoff", m.value("cutoffs", nlohmann::json::object())
                          .value("test", nlohmann::json::array())
                          .back()},
      {"headline", signal.at("headline")},
      {"sentences", signal.at("sentences")},
      {"tenure_peak", signal.value("tenure_peak", nlohmann::json())},
      {"cancellations", m.value("tenure_hazard", nlohmann::json::object())
                            .value("cancellations", nlohmann::json())},
      {"snapshot_comparison", m.value("snapshot_comparison", nlohmann::json())},
      {"note",
       "from the model's out-of-time test cutoff: members active at the cutoff who cancelled "
       "within six months against those who did not, features as of the cutoff (filters do not "
       "apply); behaviour_signal is \"empty\" when the model ranks no better than its dominant "
       "feature (or tenure) alone"}};
  if (!tenure_only.empty()) {
    out["tenure_only_auc"] = tenure_only.at("baseline_auc");
    out["added_over_tenure_auc"] = tenure_only.at("auc_difference");
    out["added_over_tenure_auc_ci"] = tenure_only.at("auc_difference_ci");
  }
  return out;
}

nlohmann::json data_quality(OpsContext& context, const ParamValues&, const Filters&) {
  const nlohmann::json& report = context.ingest_report();
  if (report.is_null()) {
    fail(ErrorKind::NotFound, "'{}' does not exist; run `airline-analytics ingest` first",
         context.lake().ingest_report().string());
  }
  nlohmann::json files = nlohmann::json::array();
  for (const auto& f : report.value("files", nlohmann::json::array())) {
    nlohmann::json reasons = nlohmann::json::array();
    const nlohmann::json by_rule = f.value("violations_by_rule", nlohmann::json::object());
    for (const auto& [rule, count] : by_rule.items()) {
      reasons.push_back({{"rule", rule}, {"rows_count", count}});
    }
    std::stable_sort(reasons.begin(), reasons.end(), [](const auto& a, const auto& b) {
      return a.at("rows_count").template get<std::int64_t>() >
             b.at("rows_count").template get<std::int64_t>();
    });
    if (reasons.size() > 5) {
      reasons.erase(reasons.begin() + 5, reasons.end());
    }
    nlohmann::json entry =
        pick(f, {"file", "rows_read", "rows_loaded", "rows_quarantined", "rows_merged", "balanced",
                 "blank_lines_skipped", "negative_salary_set_null", "merged"});
    entry["main_rejection_reasons"] = reasons;
    // A sample of the quarantined rows, as the ingest report kept them (the server hides the
    // raw record and personal fields unless asked to show them).
    entry["quarantine_sample"] = f.value("quarantine_sample", nlohmann::json::array());
    files.push_back(entry);
  }
  return {{"balanced", report.value("balanced", false)},
          {"files", files},
          {"quarantine", report.value("quarantine", nlohmann::json::object())},
          {"note", "rows_read = rows_loaded + rows_quarantined + rows_merged for each file"}};
}

}  // namespace

void add_report_operations(std::vector<Operation>& out) {
  out.push_back({"model_performance",
                 "The churn model's headline out-of-time figures with intervals, its baselines "
                 "and the leaky reference protocol's AUC, from metrics.json (filters ignored)",
                 no_params, model_performance});
  out.push_back({"churn_signal",
                 "What the churn model's diagnostics support: whether it is one rule in disguise, "
                 "what flight activity adds, the month-of-membership peak in cancellations, and "
                 "leavers against stayers at the test cutoff with features as of then (filters "
                 "ignored)",
                 no_params, churn_signal});
  out.push_back({"data_quality",
                 "The ingest report: rows read, loaded, quarantined and merged per file, and "
                 "the main rejection reasons (filters ignored)",
                 no_params, data_quality});
  out.push_back(model_health_operation());
}

}  // namespace aa::ops
