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
    core::fail(core::ErrorKind::NotFound,
               "'{}' does not exist; run `airline-analytics train` first",
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
    core::fail(core::ErrorKind::NotFound,
               "'{}' does not exist; run `airline-analytics train` first",
               (context.lake().churn_artifacts() / "metrics.json").string());
  }
  const nlohmann::json signal = m.value("signal", nlohmann::json());
  const nlohmann::json d = m.value("diagnostics", nlohmann::json());
  if (!signal.is_object() || !d.is_object()) {
    core::fail(
        core::ErrorKind::NotFound,
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
    core::fail(core::ErrorKind::NotFound,
               "'{}' does not exist; run `airline-analytics ingest` first",
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

ResultSchema model_performance_result() {
  return {
      map("baselines", "the baselines the model is measured against, by name",
          {number("pr_auc", "AUC 0-1", "precision-recall AUC"),
           number("roc_auc", "AUC 0-1", "ROC AUC"),
           list("roc_auc_ci", ResultType::Number, "AUC 0-1",
                "95% bootstrap interval of the ROC AUC")}),
      object(
          "charts", "the Model page's chart series",
          {rows("feature_importance", "mean absolute contribution per feature",
                {text("feature", "the feature"),
                 number("mean_abs_contribution", "log-odds",
                        "mean absolute contribution over the scored members")}),
           rows("lift_by_decile", "lift by decile of predicted probability",
                {number("churn_rate", "fraction", "share of positives in the decile"),
                 number("cumulative_recall", "fraction",
                        "share of all positives in this decile and above"),
                 integer("decile", "rank", "decile of predicted probability, 1 = highest"),
                 number("lift", "ratio", "precision over the base rate"),
                 integer("members", "members", "members in the decile"),
                 integer("positives", "members", "positives in the decile")}),
           rows("pr", "the precision-recall curve",
                {number("precision", "fraction", "precision"),
                 number("recall", "fraction", "recall"),
                 number("threshold", "churn probability", "the probability threshold")}),
           rows("reliability", "the reliability diagram",
                {integer("count", "members", "members in the bin"),
                 number("fraction_positive", "fraction", "share of positives in the bin"),
                 number("mean_probability", "fraction", "mean predicted probability in the bin")}),
           rows(
               "roc", "the ROC curve",
               {number("false_positive_rate", "fraction", "false positive rate at the threshold"),
                number("threshold", "churn probability", "the probability threshold"),
                number("true_positive_rate", "fraction", "true positive rate at the threshold")})}),
      object("cutoffs", "the cutoff months used",
             {text("calibration", "calibration of the probabilities"),
              list("test", ResultType::String, "", "the test cutoffs"),
              list("train", ResultType::String, "", "the training cutoffs")}),
      object("diagnostics", "what the model's diagnostics found",
             {object("calibration", "calibration of the probabilities",
                     {number("base_rate", "fraction", "share of positives in the test set"),
                      number("brier_skill_score", "skill score",
                             "Brier skill score against the base rate"),
                      number("ece_over_base_rate", "ratio", "ECE divided by the base rate"),
                      number("intercept", "log-odds", "calibration intercept"),
                      number("slope", "logistic slope", "calibration slope"),
                      list("slope_ci", ResultType::Number, "logistic slope",
                           "95% bootstrap interval of the slope")}),
              map("comparisons", "the model's ROC AUC against each baseline, by baseline",
                  {number("auc_difference", "AUC difference",
                          "the model's ROC AUC minus the baseline's"),
                   list("auc_difference_ci", ResultType::Number, "AUC difference",
                        "95% bootstrap interval of auc_difference"),
                   number("baseline_auc", "AUC 0-1", "the baseline's ROC AUC")}),
              object("dominant_feature", "the feature the model relies on most",
                     {number("added_auc", "AUC difference",
                             "ROC AUC the model adds over its dominant feature alone"),
                      list("added_auc_ci", ResultType::Number, "AUC difference",
                           "95% bootstrap interval of added_auc"),
                      number("importance_share", "fraction",
                             "the dominant feature's share of total importance"),
                      text("name", "the feature"),
                      number("single_auc", "AUC 0-1", "the feature's ROC AUC alone")}),
              number("model_auc", "AUC 0-1", "the model's ROC AUC"),
              flag("one_feature_model", "whether the model is in effect one feature"),
              text("one_feature_rule", "the rule for calling the model one feature"),
              rows("single_feature_auc", "ROC AUC of each feature alone",
                   {number("auc", "AUC 0-1", "ROC AUC"),
                    text("direction", "whether higher values mean more or less churn"),
                    text("feature", "the feature"),
                    number("mean_abs_contribution", "log-odds",
                           "mean absolute contribution over the scored members")}),
              object("stratified_auc", "ROC AUC within strata of the dominant feature",
                     {number("auc", "AUC 0-1", "ROC AUC"),
                      list("auc_ci", ResultType::Number, "AUC 0-1",
                           "95% bootstrap interval of the AUC"),
                      text("feature", "the feature")})}),
      object("dormancy", "the dormancy target, for comparison",
             {text("label", "what counts as a positive"),
              object("out_of_time", "out-of-time test figures",
                     {number("base_rate", "fraction", "share of positives in the test set"),
                      number("brier", "squared error 0-1", "Brier score"),
                      list("brier_ci", ResultType::Number, "squared error 0-1",
                           "95% bootstrap interval of the Brier score"),
                      number("ece", "fraction", "expected calibration error"),
                      list("ece_ci", ResultType::Number, "fraction",
                           "95% bootstrap interval of the ECE"),
                      integer("n_test", "members", "members in the test set"),
                      integer("n_train", "members", "members in the training set"),
                      number("pr_auc", "AUC 0-1", "precision-recall AUC"),
                      list("pr_auc_ci", ResultType::Number, "AUC 0-1",
                           "95% bootstrap interval of the PR AUC"),
                      number("roc_auc", "AUC 0-1", "ROC AUC"),
                      list("roc_auc_ci", ResultType::Number, "AUC 0-1",
                           "95% bootstrap interval of the ROC AUC"),
                      object("top_10pct", "the top 10% of predicted probability",
                             {number("lift", "ratio", "precision over the base rate"),
                              list("lift_ci", ResultType::Number, "ratio",
                                   "95% bootstrap interval of the lift"),
                              number("precision", "fraction", "precision"),
                              number("recall", "fraction", "recall")}),
                      object("top_5pct", "the top 5% of predicted probability",
                             {number("lift", "ratio", "precision over the base rate"),
                              list("lift_ci", ResultType::Number, "ratio",
                                   "95% bootstrap interval of the lift"),
                              number("precision", "fraction", "precision"),
                              number("recall", "fraction", "recall")})})}),
      text("label", "what counts as a positive"),
      object("leaky_reference_protocol", "the reference's leaky protocol, shown to measure the gap",
             {number("base_rate", "fraction", "share of positives in the test set"),
              text("label", "what counts as a positive"),
              integer("n_test", "members", "members in the test set"),
              number("pr_auc", "AUC 0-1", "precision-recall AUC"),
              number("roc_auc", "AUC 0-1", "ROC AUC"),
              list("roc_auc_ci", ResultType::Number, "AUC 0-1",
                   "95% bootstrap interval of the ROC AUC"),
              text("split", "how the reference split the data"),
              text("why_leaky", "why the protocol leaks")}),
      text("model_card", "the model card's text (Markdown)"),
      text("note", "how to read the figures"),
      object(
          "out_of_time", "out-of-time test figures",
          {number("base_rate", "fraction", "share of positives in the test set"),
           number("brier", "squared error 0-1", "Brier score"),
           list("brier_ci", ResultType::Number, "squared error 0-1",
                "95% bootstrap interval of the Brier score"),
           number("ece", "fraction", "expected calibration error"),
           list("ece_ci", ResultType::Number, "fraction", "95% bootstrap interval of the ECE"),
           integer("n_test", "members", "members in the test set"),
           integer("n_train", "members", "members in the training set"),
           number("pr_auc", "AUC 0-1", "precision-recall AUC"),
           list("pr_auc_ci", ResultType::Number, "AUC 0-1", "95% bootstrap interval of the PR AUC"),
           number("roc_auc", "AUC 0-1", "ROC AUC"),
           list("roc_auc_ci", ResultType::Number, "AUC 0-1",
                "95% bootstrap interval of the ROC AUC"),
           object(
               "top_10pct", "the top 10% of predicted probability",
               {number("lift", "ratio", "precision over the base rate"),
                list("lift_ci", ResultType::Number, "ratio", "95% bootstrap interval of the lift"),
                number("precision", "fraction", "precision"),
                number("recall", "fraction", "recall")}),
           object(
               "top_5pct", "the top 5% of predicted probability",
               {number("lift", "ratio", "precision over the base rate"),
                list("lift_ci", ResultType::Number, "ratio", "95% bootstrap interval of the lift"),
                number("precision", "fraction", "precision"),
                number("recall", "fraction", "recall")})}),
      object(
          "production", "the production model",
          {object("cutoffs", "the cutoff months used",
                  {text("calibration", "calibration of the probabilities"),
                   number("calibration_base_rate", "fraction", "base rate of the calibration set"),
                   integer("n_calibration", "members", "members in the calibration set"),
                   integer("n_train", "members", "members in the training set"),
                   list("train", ResultType::String, "", "the training cutoffs")}),
           object("risk_tiers", "the risk tiers' lower edges",
                  {under_parent(
                       number("high", "churn probability", "lowest probability of the high tier")),
                   under_parent(number("medium", "churn probability",
                                       "lowest probability of the medium tier")),
                   text("rule", "the rule, in words")}),
           text("scores_month", "the month the production model scored")}),
      object(
          "protocol", "how the settings were chosen",
          {rows("choices", "each setting with how it was chosen",
                {text("chosen", "the chosen value"), text("chosen_on", "the data it was chosen on"),
                 text("criterion", "the criterion it was chosen by"),
                 text("setting", "the setting")}),
           text("first_test_cutoff", "the first test cutoff"), text("rule", "the rule, in words"),
           text("validation_cutoff", "the validation cutoff")}),
      object("signal", "what the data supports, in words",
             {text("behaviour_signal",
                   "\"present\" or \"empty\": whether behaviour adds to the dominant feature"),
              text("dominant_feature", "the feature the model relies on most"),
              text("dominant_feature_label", "the dominant feature's label"),
              text("dominant_feature_phrase", "the dominant feature in plain English"),
              text("headline", "one sentence on what the model shows"),
              flag("one_feature_model", "whether the model is in effect one feature"),
              list("sentences", ResultType::String, "", "what the model supports, in sentences")}),
      text("target", "what the model predicts")};
}

ResultSchema churn_signal_result() {
  return {
      number("added_auc", "AUC difference",
             "ROC AUC the model adds over its dominant feature alone"),
      list("added_auc_ci", ResultType::Number, "AUC difference",
           "95% bootstrap interval of added_auc"),
      number("added_over_tenure_auc", "AUC difference", "ROC AUC the model adds over tenure alone"),
      list("added_over_tenure_auc_ci", ResultType::Number, "AUC difference",
           "95% bootstrap interval of added_over_tenure_auc"),
      text("behaviour_signal",
           "\"present\" or \"empty\": whether behaviour adds to the dominant feature"),
      integer("cancellations", "members", "cancellations"),
      text("dominant_feature", "the feature the model relies on most"),
      text("dominant_feature_label", "the dominant feature's label"),
      text("dominant_feature_phrase", "the dominant feature in plain English"),
      number("dominant_single_auc", "AUC 0-1", "the dominant feature's ROC AUC alone"),
      text("headline", "one sentence on what the model shows"),
      number("importance_share", "fraction", "the dominant feature's share of total importance"),
      number("model_auc", "AUC 0-1", "the model's ROC AUC"),
      text("note", "how to read the figures"),
      flag("one_feature_model", "whether the model is in effect one feature"),
      list("sentences", ResultType::String, "", "what the model supports, in sentences"),
      object("snapshot_comparison",
             "members active at the test cutoff: cancelled within six months against stayed",
             {integer("cancelled_members", "members",
                      "members active at the cutoff who cancelled within six months"),
              text("cutoff", "the cutoff month"), text("note", "how to read the figures"),
              rows("rows", "one row per numeric feature",
                   {number("auc", "AUC 0-1", "ROC AUC"),
                    number("auc_within_strata", "AUC 0-1",
                           "the feature's ROC AUC within strata of the dominant feature"),
                    number("cancelled_avg", "the feature's own unit",
                           "average over members who cancelled within six months, in the feature's "
                           "own unit"),
                    text("feature", "the model feature"),
                    number("stayed_avg", "the feature's own unit",
                           "average over members who stayed, in the feature's own unit")}),
              integer("stayed_members", "members", "members active at the cutoff who stayed"),
              text("strata_feature", "the feature stratified by")}),
      number("stratified_auc", "AUC 0-1", "ROC AUC within strata of the dominant feature"),
      list("stratified_auc_ci", ResultType::Number, "AUC 0-1",
           "95% bootstrap interval of the stratified AUC"),
      number("tenure_only_auc", "AUC 0-1", "ROC AUC of tenure alone"),
      object("tenure_peak", "the month of membership with the cancellation peak, if any",
             {integer("events", "members", "cancellations that month"),
              number("hazard", "fraction per month", "monthly cancellation hazard"),
              number("neighbour_hazard", "fraction per month",
                     "the neighbouring months' pooled hazard"),
              number("p_value", "probability", "one-sided exact p-value against the neighbours"),
              number("ratio", "ratio", "hazard over the neighbours' hazard"),
              number("share_of_cancellations", "fraction", "share of the slice's cancellations"),
              integer("tenure_months", "months", "months since enrollment")}),
      text("test_cutoff", "the test cutoff")};
}

ResultSchema data_quality_result() {
  return {flag("balanced", "rows read = loaded + quarantined + merged"),
          rows("files", "one entry per input file",
               {flag("balanced", "rows read = loaded + quarantined + merged"),
                integer("blank_lines_skipped", "lines", "blank lines skipped while reading"),
                text("file", "the file"),
                rows("main_rejection_reasons", "the five rules that rejected most rows",
                     {text("rule", "the rule"),
                      integer("rows_count", "rows", "rows rejected by the rule")}),
                object("merged", "rows merged into others",
                       {integer("exact_duplicates_dropped", "rows", "exact duplicate rows dropped"),
                        integer("same_month_rows_summed", "rows",
                                "rows for the same member and month summed")}),
                integer("negative_salary_set_null", "rows", "negative salaries set to null"),
                rows("quarantine_sample", "a sample of the quarantined rows",
                     {text("file", "the file"), integer("line", "line", "line in the file"),
                      integer("column", "column", "column number"),
                      text("column_name", "column name"), text("value", "the rejected value"),
                      text("rule", "the rule"), text("message", "what happened, in words"),
                      text("raw_record", "the raw record")}),
                integer("rows_loaded", "rows", "rows loaded"),
                integer("rows_merged", "rows", "rows merged into others"),
                integer("rows_quarantined", "rows", "rows quarantined"),
                integer("rows_read", "rows", "rows read")}),
          text("note", "how to read the figures"),
          object("quarantine", "the quarantine file",
                 {text("path", "where the quarantined rows are"),
                  integer("records", "rows", "quarantined rows")})};
}

}  // namespace

void add_report_operations(std::vector<Operation>& out) {
  out.push_back({"model_performance",
                 "The churn model's headline out-of-time figures with intervals, its baselines "
                 "and the leaky reference protocol's AUC, from metrics.json (filters ignored)",
                 no_params, model_performance, model_performance_result()});
  out.push_back({"churn_signal",
                 "What the churn model's diagnostics support: whether it is one rule in disguise, "
                 "what flight activity adds, the month-of-membership peak in cancellations, and "
                 "leavers against stayers at the test cutoff with features as of then (filters "
                 "ignored)",
                 no_params, churn_signal, churn_signal_result()});
  out.push_back({"data_quality",
                 "The ingest report: rows read, loaded, quarantined and merged per file, and "
                 "the main rejection reasons (filters ignored)",
                 no_params, data_quality, data_quality_result()});
  out.push_back(model_health_operation());
}

}  // namespace aa::ops
