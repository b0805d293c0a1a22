#include "model/signal_words.h"

#include <fmt/format.h>

#include <cmath>

#include "core/progress.h"
#include "model/reasons.h"

namespace aa::model {

namespace {

double num(const nlohmann::json& v) { return v.is_number() ? v.get<double>() : NAN; }

std::string auc(const nlohmann::json& v) { return fmt::format("{:.2f}", num(v)); }

std::string lower_first(std::string s) {
  if (!s.empty()) {
    s[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(s[0])));
  }
  return s;
}

bool interval_above_zero(const nlohmann::json& ci) {
  return ci.is_array() && ci.size() == 2 && ci[0].is_number() && ci[0].get<double>() > 0;
}

// "cancellations peak in month 8 of membership (1,048 of 2,067)", or "" without a spike.
std::string peak_words(const nlohmann::json& hazard) {
  if (!hazard.is_object() || !hazard.contains("peak") || hazard["peak"].is_null()) {
    return "";
  }
  const auto& p = hazard["peak"];
  return fmt::format("cancellations peak in month {} of membership ({} of {})",
                     p["tenure_months"].get<int>(),
                     core::with_commas(p["events"].get<std::int64_t>()),
                     core::with_commas(hazard["cancellations"].get<std::int64_t>()));
}

}  // namespace

nlohmann::json signal_words(const nlohmann::json& metrics) {
  const nlohmann::json& d = metrics.value("diagnostics", nlohmann::json());
  if (!d.is_object() || !d.contains("dominant_feature")) {
    return nullptr;
  }
  const auto& dominant = d["dominant_feature"];
  const std::string name = dominant["name"].get<std::string>();
  const std::string label = lower_first(feature_label(name));
  const bool one_feature = d["one_feature_model"].get<bool>();
  const nlohmann::json tenure_only =
      d["comparisons"].value("tenure_only", nlohmann::json::object());
  const bool beyond_dominant = interval_above_zero(dominant["added_auc_ci"]);
  const bool beyond_tenure =
      tenure_only.empty() || interval_above_zero(tenure_only["auc_difference_ci"]);
  const bool behaviour = beyond_dominant && (name != "tenure_months" || beyond_tenure);
  const nlohmann::json hazard = metrics.value("tenure_hazard", nlohmann::json());
  const std::string peak = peak_words(hazard);

  nlohmann::json sentences = nlohmann::json::array();
  sentences.push_back(fmt::format(
      "{} carries {:.0f}% of the model's weight (mean absolute contribution); on its own it ranks "
      "members with ROC AUC {}, against {} for the whole model.",
      feature_label(name), 100 * num(dominant["importance_share"]), auc(dominant["single_auc"]),
      auc(d["model_auc"])));
  if (!tenure_only.empty()) {
    const auto& ci = tenure_only["auc_difference_ci"];
    sentences.push_back(fmt::format(
        "A model of tenure alone reaches {}; the full model adds {:+.3f} (95% interval {:+.3f} to "
        "{:+.3f}), {}.",
        auc(tenure_only["baseline_auc"]), num(tenure_only["auc_difference"]), num(ci[0]),
        num(ci[1]),
        beyond_tenure ? "so flight activity and the other features add real signal"
                      : "no measurable gain from flight activity, points or the other features"));
  }
  const auto& strat = d["stratified_auc"];
  sentences.push_back(fmt::format(
      "Among members with the same {}, the model ranks leavers with ROC AUC {} (95% interval {} "
      "to {}; 0.50 is chance).",
      label, auc(strat["auc"]), auc(strat["auc_ci"][0]), auc(strat["auc_ci"][1])));
  if (!peak.empty()) {
    sentences.push_back(fmt::format(
        "In the loyalty file, {}: {:.0f}% of all cancellations, {} the neighbouring months' rate.",
        peak, 100 * num(hazard["peak"]["share_of_cancellations"]),
        hazard["peak"]["ratio"].is_number()
            ? fmt::format("{:.0f} times", num(hazard["peak"]["ratio"]))
            : std::string("far above")));
  }

  std::string headline;
  if (one_feature) {
    headline = fmt::format(
        "This model is mostly one rule: {}. A rule on {} alone ranks almost as well ({} against "
        "{})",
        label, label, auc(dominant["single_auc"]), auc(d["model_auc"]));
    headline += !peak.empty() && name == "tenure_months" ? ", and " + peak + "." : ".";
    if (!behaviour) {
      headline += " Flight activity adds no measurable signal, so it is not a reason to act on.";
    }
  } else {
    headline = fmt::format(
        "The model ranks members with ROC AUC {} using several features; {} leads, and the "
        "others add measurable signal beyond it.",
        auc(d["model_auc"]), label);
  }
  return {{"one_feature_model", one_feature},
          {"dominant_feature", name},
          {"dominant_feature_label", feature_label(name)},
          {"dominant_feature_phrase", label},
          {"behaviour_signal", behaviour ? "present" : "empty"},
          {"headline", headline},
          {"sentences", sentences},
          {"tenure_peak", hazard.is_object() ? hazard.value("peak", nlohmann::json()) : nullptr},
          {"rule",
           "behaviour_signal is \"present\" when the model ranks members measurably better than "
           "its dominant feature alone (added_auc's 95% interval above 0) and, when that feature "
           "is tenure, than the tenure-only model; else \"empty\""}};
}

}  // namespace aa::model
