#pragma once
// When `run` retrains. In order, the first rule that applies decides:
//   1. --force or --retrain                      retrain
//   2. no trained model yet                      retrain
//   3. the data is not a later export of the model's data (it starts in another month or ends
//      before the model's), or the latest arrival dropped members or member-months that the
//      previous one held                         retrain
//   4. the model's settings differ from the ones given   retrain
//   5. the model is `retrain_months` or more months older than the data (its training data's
//      last month against the data's)            retrain
//   6. the last monitor report holds an alert on the current model that retrains (a degraded
//      scoring, or PSI > 0.25 on a top-5 feature: monitor_alerts.h)   retrain
//   otherwise the kept model scores the new data.

#include <string>

#include "core/lake.h"

namespace aa::monitor {

inline constexpr int kDefaultRetrainMonths = 3;

struct RetrainSettings {
  int retrain_months = kDefaultRetrainMonths;
  bool retrain = false;  // --retrain
  bool force = false;    // --force
  std::string settings;  // the training settings given (train_settings_text)
};

struct RetrainDecision {
  bool retrain = false;
  std::string reason;
  std::string model_id;  // the model kept, or the model replaced
  int model_age_months = 0;
};

// Reads the processed activity (the data's window), the current model's metadata, the latest
// arrival and the last monitor report.
RetrainDecision retrain_decision(const core::Lake& lake, const RetrainSettings& settings);

}  // namespace aa::monitor
