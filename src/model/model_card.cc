// The model card: what the production model is, how it was measured, and where it fails.
#include <fmt/format.h>

#include "model/train_stage.h"

namespace aa::model {

namespace {

std::string num(const nlohmann::json& v, int digits = 3) {
  return v.is_number() ? fmt::format("{:.{}f}", v.get<double>(), digits) : "n/a";
}

std::string ci(const nlohmann::json& v, int digits = 3) {
  return v.is_array() && v.size() == 2 ? "[" + num(v[0], digits) + ", " + num(v[1], digits) + "]"
                                       : "n/a";
}

// "met" when the interval clears the goal, "missed" when it lies wholly on the wrong side,
// else "not distinguishable from the goal" (a point estimate alone never meets a goal).
std::string verdict(const nlohmann::json& ci, double goal, bool at_least) {
  if (!ci.is_array() || ci.size() != 2 || !ci[0].is_number() || !ci[1].is_number()) {
    return "not distinguishable from the goal";
  }
  const double low = ci[0].get<double>();
  const double high = ci[1].get<double>();
  if (at_least ? low >= goal : high <= goal) {
    return "met";
  }
  if (at_least ? high < goal : low > goal) {
    return "missed";
  }
  return "not distinguishable from the goal";
}

std::string text_of(const nlohmann::json& v) {
  return v.is_string() ? v.get<std::string>() : v.dump();
}

std::string protocol_section(const nlohmann::json& protocol) {
  std::string s = "## How the settings were chosen\n\n";
  if (!protocol.is_object() || protocol.value("validation_cutoff", nlohmann::json()).is_null()) {
    return s + "No validation cutoff fits before the first test cutoff; the defaults were kept.\n\n";
  }
  s += fmt::format(
      "On validation cutoff {} (trained on {} .. {}, calibrated on {}), before the first test "
      "cutoff {}; no test figure chose anything.\n\n| setting | chosen | on | candidates |\n"
      "|---|---|---|---|\n",
      protocol["validation_cutoff"].get<std::string>(),
      protocol["validation_split"]["train"][0].get<std::string>(),
      protocol["validation_split"]["train"][1].get<std::string>(),
      protocol["validation_split"]["calibration"].get<std::string>(),
      protocol["first_test_cutoff"].get<std::string>());
  for (const auto& c : protocol.value("choices", nlohmann::json::array())) {
    std::string candidates;
    for (const auto& k : c.value("candidates", nlohmann::json::array())) {
      const auto& figure = k["validation_roc_auc"].is_number() ? k["validation_roc_auc"]
                                                                 : k["validation_log_loss"];
      candidates += fmt::format("{}{}: {}", candidates.empty() ? "" : "; ", text_of(k["value"]),
                                num(figure, 4));
    }
    s += fmt::format("| {} | {} | {} | {} |\n", c["setting"].get<std::string>(),
                     text_of(c["chosen"]), c["chosen_on"].get<std::string>(),
                     candidates.empty() ? "-" : c.value("criterion", "") + ": " + candidates);
  }
  return s + "\n";
}

std::string diagnostics_section(const nlohmann::json& metrics) {
  const auto& d = metrics.value("diagnostics", nlohmann::json());
  const auto& signal = metrics.value("signal", nlohmann::json());
  if (!d.is_object() || !signal.is_object()) {
    return "";
  }
  std::string s = "## What the model knows\n\n" + signal["headline"].get<std::string>() + "\n\n";
  for (const auto& sentence : signal["sentences"]) {
    s += "- " + sentence.get<std::string>() + "\n";
  }
  s += "\n| feature alone (top 5 by mean abs contribution) | ROC AUC | direction |\n"
       "|---|---|---|\n";
  for (const auto& f : d["single_feature_auc"]) {
    s += fmt::format("| {} | {} | {} |\n", f["feature"].get<std::string>(), num(f["auc"]),
                     f["direction"].get<std::string>());
  }
  s += "\n| this model against | its ROC AUC | difference | 95% interval |\n|---|---|---|---|\n";
  for (const auto& [name, c] : d["comparisons"].items()) {
    s += fmt::format("| {} | {} | {} | {} |\n", name, num(c["baseline_auc"]),
                     num(c["auc_difference"]), ci(c["auc_difference_ci"]));
  }
  const auto& cal = d["calibration"];
  s += fmt::format(
      "\nCalibration on the test cutoff: Brier skill score {} (0: no better than the base rate "
      "{}), slope {} {} and intercept {} (1 and 0 when calibrated), ECE / base rate {}.\n\n"
      "one_feature_model: {}. Rule: {}.\n\n",
      num(cal["brier_skill_score"]), num(cal["base_rate"], 4), num(cal["slope"], 2),
      ci(cal["slope_ci"], 2), num(cal["intercept"], 2), num(cal["ece_over_base_rate"], 2),
      d["one_feature_model"].get<bool>() ? "true" : "false",
      d["one_feature_rule"].get<std::string>());
  return s;
}

std::string metrics_table(const nlohmann::json& t) {
  const auto& o = t["out_of_time"];
  std::string s = "| metric | value | 95% bootstrap interval |\n|---|---|---|\n";
  s += fmt::format("| ROC AUC | {} | {} |\n", num(o["roc_auc"]), ci(o["roc_auc_ci"]));
  s += fmt::format("| PR AUC (base rate {}) | {} | {} |\n", num(o["base_rate"]), num(o["pr_auc"]),
                   ci(o["pr_auc_ci"]));
  s += fmt::format("| Brier score | {} | {} |\n", num(o["brier"], 4), ci(o["brier_ci"], 4));
  s +=
      fmt::format("| ECE (10 equal-mass bins) | {} | {} |\n", num(o["ece"], 4), ci(o["ece_ci"], 4));
  for (const char* top : {"top_5pct", "top_10pct"}) {
    const auto& k = o[top];
    s += fmt::format("| {} precision / recall / lift | {} / {} / {} | {} / {} / {} |\n",
                     top[4] == '5' ? "top 5%" : "top 10%", num(k["precision"]), num(k["recall"]),
                     num(k["lift"], 2), ci(k["precision_ci"]), ci(k["recall_ci"]),
                     ci(k["lift_ci"], 2));
  }
  s += "\n| model, same protocol | ROC AUC | 95% interval |\n|---|---|---|\n";
  s += fmt::format("| this model (XGBoost, calibrated) | {} | {} |\n", num(o["roc_auc"]),
                   ci(o["roc_auc_ci"]));
  for (const auto& [name, b] : t["baselines"].items()) {
    s += fmt::format("| {} | {} | {} |\n", name, num(b["roc_auc"]), ci(b["roc_auc_ci"]));
  }
  s += "\n| test cutoff | trained on | ROC AUC | 95% interval | base rate | n test |\n"
       "|---|---|---|---|---|---|\n";
  for (const auto& [cutoff, e] : t["out_of_time_by_cutoff"].items()) {
    const auto& train = e["cutoffs"]["train"];
    s += fmt::format("| {} | {} .. {} | {} | {} | {} | {} |\n", cutoff,
                     train.front().get<std::string>(), train.back().get<std::string>(),
                     num(e["roc_auc"]), ci(e["roc_auc_ci"]), num(e["base_rate"]),
                     e["n_test"].dump());
  }
  return s;
}

// What monitoring compares each scoring's realized figures with (metrics.json "expected").
std::string expected_section(const nlohmann::json& metrics) {
  const auto& e = metrics.value("expected", nlohmann::json());
  if (!e.is_object()) {
    return "";
  }
  const bool backtest = e["source"] == "backtest";
  return fmt::format(
      "## Expected performance (what monitoring judges this model against)\n\n"
      "Model `{}`. {}: ROC AUC {} {}, top-10% lift {} {}, base rate {}. `airline-analytics "
      "monitor` compares every scoring's realized figures with these (docs/MONITORING.md).\n\n",
      metrics.value("model_id", ""),
      backtest ? "From the backtest's latest test cutoff " + e["cutoff"].get<std::string>()
               : "No backtest fits the data, so from the calibration cutoff " +
                     e["cutoff"].get<std::string>() +
                     " (out of time for the trees, which never saw it; the calibrator is monotone, "
                     "so the ranking figures are the trees' own)",
      num(e["roc_auc"]), ci(e["roc_auc_ci"]), num(e["lift_top10"], 2), ci(e["lift_top10_ci"], 2),
      num(e["base_rate"], 4));
}

// The card of a model trained without a backtest: why, and what it rests on instead.
std::string no_backtest_section(const nlohmann::json& metrics, const nlohmann::json& meta) {
  return fmt::format(
      "## No backtest\n\n"
      "No out-of-time test cutoff fits: {}. The production model was trained with the default "
      "settings (or those given), none chosen on a validation cutoff. Its only out-of-time "
      "figures are the calibration cutoff's above; the next training on a longer export "
      "backtests as usual.\n\n"
      "## Limitations\n\n"
      "- Short history: the data covers {} .. {}.\n"
      "- Risk tiers: {} (high >= {}, medium >= {}).\n",
      metrics["backtest"]["reason"].get<std::string>(),
      metrics["data_window"]["first_month"].get<std::string>(),
      metrics["data_window"]["last_month"].get<std::string>(),
      meta["risk_tiers"]["rule"].get<std::string>(), num(meta["risk_tiers"]["high"], 4),
      num(meta["risk_tiers"]["medium"], 4));
}

}  // namespace

std::string model_card(const nlohmann::json& metrics, const nlohmann::json& meta) {
  std::string s = "# Model card: 6-month cancellation risk\n\n";
  s += "Generated by `airline-analytics train`; every figure below comes from `metrics.json` "
       "beside this file.\n\n";
  s += "## Data window and population\n\n";
  s += fmt::format(
      "- Activity data: {} .. {}. Snapshots at monthly cutoffs T from the third month of data.\n"
      "- Population at T: members enrolled at or before T who had not cancelled by T.\n"
      "- Production model: trained on cutoffs {} .. {} ({} rows), calibrated ({}) on {} "
      "({} rows, base rate {}), scoring members active in {}.\n\n",
      metrics["data_window"]["first_month"].get<std::string>(),
      metrics["data_window"]["last_month"].get<std::string>(),
      meta["trained_on"]["train"].front().get<std::string>(),
      meta["trained_on"]["train"].back().get<std::string>(), meta["trained_on"]["n_train"].dump(),
      meta["calibration"].get<std::string>(), meta["trained_on"]["calibration"].get<std::string>(),
      meta["trained_on"]["n_calibration"].dump(),
      num(meta["trained_on"]["calibration_base_rate"], 4), meta["scores_month"].get<std::string>());
  s += "## Label\n\n";
  s += "- Primary, `cancellation`: " + metrics["label"].get<std::string>() + ".\n";
  if (metrics.contains("dormancy")) {
    s += "- Secondary, `dormancy`: " + metrics["dormancy"]["label"].get<std::string>() +
         ". Trained and reported separately; the two are never OR-ed together.\n";
  }
  s += "\n";
  s += "## Features (data up to T only)\n\n";
  s += "Activity windows over the last 1/3/6/12 months (flights, distance, points accumulated, "
       "points redeemed, dollar cost redeemed, active months); months since the last flight "
       "(capped by tenure and by the start of the data); the last 3 months against the 3 "
       "before; tenure; months of history visible; card tier; enrollment type; province, "
       "gender, education, marital status; salary with a missing flag. Activity before "
       "enrollment and the all-zero rows after cancellation never enter a feature. CLV is an "
       "end-of-data total, so it is used as value (churn_score = probability x CLV), not as a "
       "feature.\n\n";
  s += expected_section(metrics);
  if (!metrics.value("backtest", nlohmann::json::object()).value("available", true)) {
    return s + no_backtest_section(metrics, meta);
  }
  s += "Most influential features at the latest test cutoff (mean |contribution|, log-odds):\n\n";
  int shown = 0;
  for (const auto& f : metrics["out_of_time"]["feature_importance"]) {
    if (shown++ == 8) {
      break;
    }
    s += fmt::format("- {}: {}\n", f["feature"].get<std::string>(),
                     num(f["mean_abs_contribution"], 4));
  }
  s += "\n## Protocol\n\n";
  s += "Out of time: for a test cutoff E the booster trains on cutoffs up to E-7 (every label "
       "window closed before E), early-stops on 20% of the training members, the calibrator "
       "(as chosen below; isotonic for the recency rule) is fitted on cutoff E-6, and the model "
       "is scored on cutoff E. Baselines are trained and calibrated the same way; the "
       "tenure-only baseline is this model's trees on tenure alone.\n\n";
  s += protocol_section(metrics.value("protocol", nlohmann::json()));
  s += diagnostics_section(metrics);
  s += "## Out-of-time metrics: cancellation (headline: the latest test cutoff)\n\n";
  s += metrics_table(metrics);
  s += "\n## Out-of-time metrics: dormancy\n\n";
  s += metrics_table(metrics["dormancy"]);
  const auto& leaky = metrics["leaky_reference_protocol"];
  s += fmt::format(
      "\n## The reference project's protocol (leaky)\n\n"
      "Random stratified 70/30 split of end-of-data rows, label = cancelled OR recency >= 3: "
      "ROC AUC {} {}. This measures leakage, not foresight: {}.\n",
      num(leaky["roc_auc"]), ci(leaky["roc_auc_ci"]), leaky["why_leaky"].get<std::string>());
  const auto& headline = metrics["out_of_time"];
  const nlohmann::json calibration = metrics.value("diagnostics", nlohmann::json::object())
                                         .value("calibration", nlohmann::json::object());
  const auto& importance = headline["feature_importance"];
  const std::string top = importance.empty() ? "" : importance[0]["feature"].get<std::string>();
  s += "\n## Goals\n\n";
  s += "A goal counts as met only when the 95% interval clears it; otherwise it is missed (the "
       "interval lies on the wrong side) or not distinguishable from the goal.\n\n";
  s += fmt::format("- Out-of-time ROC AUC >= 0.75: {} {}, {}.\n", num(headline["roc_auc"]),
                   ci(headline["roc_auc_ci"]), verdict(headline["roc_auc_ci"], 0.75, true));
  if (calibration.contains("slope_ci")) {
    const std::string low = verdict(calibration["slope_ci"], 0.8, true);
    const std::string high = verdict(calibration["slope_ci"], 1.2, false);
    const std::string both = low == "met" && high == "met"            ? "met"
                             : low == "missed" || high == "missed" ? "missed"
                                                                   : "not distinguishable from the goal";
    s += fmt::format("- Calibration slope between 0.8 and 1.2: {} {}, {}.\n",
                     num(calibration["slope"], 2), ci(calibration["slope_ci"], 2), both);
  }
  s += "\n## Limitations\n\n";
  if (!top.empty()) {
    s += "- The model leans most on `" + top + "` (see What the model knows).";
    if (top == "tenure_months") {
      s += " In this data set every cancellation falls between enrollment and the end of the "
           "data, so recent enrollees carry much of the measured risk; scores for a window that "
           "runs past the data's end may overstate it for them.";
    }
    s += "\n";
  }
  s += "- Six-month cancellation is rare (see base rates): precision in the top deciles stays "
       "low in absolute terms even where lift is high.\n"
       "- The activity data starts in 2017-01, so early cutoffs see short histories "
       "(history_months tells the model how much it can see).\n"
       "- Reasons are the features pushing a member's risk up the most (tree SHAP "
       "contributions), not causes; a feature is cited only when it raises the member's "
       "log-odds by 0.1 or more.\n"
       "- Risk tiers: " +
       meta["risk_tiers"]["rule"].get<std::string>() +
       " (high >= " + num(meta["risk_tiers"]["high"], 4) +
       ", medium >= " + num(meta["risk_tiers"]["medium"], 4) + ").\n";
  return s;
}

}  // namespace aa::model
