#include "model/settings_selection.h"

#include <cmath>

#include "core/progress.h"
#include "model/metrics.h"

namespace aa::model {

namespace {

constexpr const char* kStage = "train";

struct Candidate {
  double roc_auc = 0;
  std::vector<double> calibration_scores;
  std::vector<double> validation_scores;
};

// Fits the trees of `settings` on the split and scores the calibration and validation rows.
Candidate fit_candidate(const SplitData& d, const BacktestSettings& settings) {
  const FittedBooster fitted = fit_booster(d.train, settings.params);
  Candidate c;
  c.calibration_scores = booster_scores(fitted.booster, d.calibration);
  c.validation_scores = booster_scores(fitted.booster, d.test);
  c.roc_auc = roc_auc(d.test.y, c.validation_scores);
  return c;
}

double calibrated_log_loss(const SplitData& d, const Candidate& c, Calibrator::Method method) {
  const Calibrator calibrator = Calibrator::fit(method, c.calibration_scores, d.calibration.y);
  return log_loss(d.test.y, calibrator.apply(c.validation_scores));
}

nlohmann::json entry(const nlohmann::json& value, double auc, double loss) {
  return {{"value", value},
          {"validation_roc_auc", std::isnan(auc) ? nlohmann::json(nullptr) : nlohmann::json(auc)},
          {"validation_log_loss",
           std::isnan(loss) ? nlohmann::json(nullptr) : nlohmann::json(loss)}};
}

}  // namespace

SettingsSelection select_settings(duck::Connection& connection, int first_cutoff,
                                  int first_test, const BacktestSettings& defaults,
                                  const FixedSettings& fixed) {
  SettingsSelection out{defaults, {}};
  BacktestSettings& s = out.settings;
  if (fixed.calibration) {
    s.calibration = *fixed.calibration;
  }
  if (fixed.scale_pos_weight) {
    s.params.scale_pos_weight = *fixed.scale_pos_weight;
  }
  const int validation = first_test - 1;
  nlohmann::json& report = out.report;
  report["first_test_cutoff"] = month_label(first_test);
  report["rule"] =
      "every setting is chosen on the validation cutoff (the month before the first test "
      "cutoff), one at a time in the order listed, each candidate replacing the current choice "
      "only when strictly better: trees' settings by validation ROC AUC, the calibration by "
      "validation log loss; settings the user fixed are not tried";
  if (validation - 7 < first_cutoff) {
    report["validation_cutoff"] = nullptr;
    report["note"] = "too few months before the first test cutoff for a validation split; the "
                     "defaults are kept";
    return out;
  }
  const ProtocolSplit split = protocol_split(first_cutoff, validation);
  report["validation_cutoff"] = month_label(validation);
  report["validation_split"] = {{"train", {month_label(split.train.front()),
                                            month_label(split.train.back())}},
                                {"calibration", month_label(split.calibration)},
                                {"validation", month_label(validation)}};
  core::say(
      kStage, "choosing settings on validation cutoff {} (trained to {}, calibrated on {}) ...",
      month_label(validation), month_label(split.train.back()), month_label(split.calibration));
  SplitData with_history = load_split(connection, Target::Cancellation, split,
                                      feature_spec_for({s.params, s.calibration, true}));
  SplitData without_history = load_split(connection, Target::Cancellation, split,
                                         feature_spec_for({s.params, s.calibration, false}));
  const auto data_for = [&](const BacktestSettings& b) -> const SplitData& {
    return b.history_months ? with_history : without_history;
  };
  Candidate best = fit_candidate(data_for(s), s);
  nlohmann::json choices = nlohmann::json::array();
  // One setting: the current choice against `alternative`, kept when strictly better.
  const auto try_setting = [&](const char* name, const nlohmann::json& current_value,
                               const nlohmann::json& alternative_value, BacktestSettings trial) {
    const Candidate c = fit_candidate(data_for(trial), trial);
    const bool better = c.roc_auc > best.roc_auc;
    choices.push_back({{"setting", name},
                       {"chosen", better ? alternative_value : current_value},
                       {"chosen_on", month_label(validation)},
                       {"criterion", "validation ROC AUC"},
                       {"candidates",
                        {entry(current_value, best.roc_auc, NAN),
                         entry(alternative_value, c.roc_auc, NAN)}}});
    if (better) {
      s = trial;
      best = c;
    }
  };
  {
    BacktestSettings trial = s;
    trial.params.max_depth = s.params.max_depth == 3 ? 5 : 3;
    try_setting("max_depth", s.params.max_depth, trial.params.max_depth, trial);
  }
  if (fixed.scale_pos_weight) {
    choices.push_back({{"setting", "scale_pos_weight"},
                       {"chosen", *fixed.scale_pos_weight},
                       {"chosen_on", "set by the user"}});
  } else {
    BacktestSettings trial = s;
    trial.params.scale_pos_weight = 10;
    try_setting("scale_pos_weight", s.params.scale_pos_weight, 10.0, trial);
  }
  {
    BacktestSettings trial = s;
    trial.history_months = !s.history_months;
    try_setting("history_months", s.history_months ? "kept" : "dropped",
                trial.history_months ? "kept" : "dropped", trial);
  }
  if (fixed.calibration) {
    choices.push_back({{"setting", "calibration"},
                       {"chosen", to_string(*fixed.calibration)},
                       {"chosen_on", "set by the user"}});
  } else {
    const SplitData& d = data_for(s);
    const double platt = calibrated_log_loss(d, best, Calibrator::Method::Platt);
    const double isotonic = calibrated_log_loss(d, best, Calibrator::Method::Isotonic);
    const Calibrator::Method current = s.calibration;
    const Calibrator::Method other = current == Calibrator::Method::Platt
                                         ? Calibrator::Method::Isotonic
                                         : Calibrator::Method::Platt;
    const double current_loss = current == Calibrator::Method::Platt ? platt : isotonic;
    const double other_loss = current == Calibrator::Method::Platt ? isotonic : platt;
    if (other_loss < current_loss) {
      s.calibration = other;
    }
    choices.push_back({{"setting", "calibration"},
                       {"chosen", to_string(s.calibration)},
                       {"chosen_on", month_label(validation)},
                       {"criterion", "validation log loss"},
                       {"candidates",
                        {entry(to_string(current), NAN, current_loss),
                         entry(to_string(other), NAN, other_loss)}}});
  }
  report["choices"] = choices;
  report["validation_roc_auc"] = best.roc_auc;
  core::say(kStage,
            "settings: max_depth {}, scale_pos_weight {}, history_months {}, calibration {}",
            s.params.max_depth, s.params.scale_pos_weight, s.history_months ? "kept" : "dropped",
            to_string(s.calibration));
  return out;
}

}  // namespace aa::model
