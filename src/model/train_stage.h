#pragma once
// The train stage: the out-of-time backtest of every model for both targets, the leaky
// reference protocol for contrast, and the production model, written to
// curated/churn/artifacts/ (model.json, calibration.json, model_meta.json, metrics.json,
// model_card.md, drift_reference.json) and kept under curated/churn/models/<model_id>/.

#include "core/lake.h"
#include "core/stage_state.h"
#include "features/features.h"
#include "model/backtest.h"
#include "model/settings_selection.h"

namespace aa::model {

// Cutoffs start once the activity data shows this many months (3-month windows are full).
inline constexpr int kMinHistoryMonths = 3;

// Above this many members, training (backtest, baselines, production model) uses a stratified
// sample of them (ModelWorkspace::sample_members); scoring always covers every member.
inline constexpr std::int64_t kDefaultMaxTrainingMembers = 100000;

struct TrainOptions {
  features::StageOptions stage;
  // The defaults; what the validation cutoff chooses replaces them (settings_selection.h),
  // except what `fixed` holds.
  BacktestSettings settings;
  FixedSettings fixed;
  std::int64_t max_training_members = kDefaultMaxTrainingMembers;  // 0: every member
};

core::StageResult train_churn(const core::Lake& lake, const TrainOptions& options);

// The evaluation cutoffs for data whose activity spans [first, last]: the last labelled cutoff
// (last - 6) and the one six months before it, where the protocol leaves training cutoffs.
// Empty with fewer than 16 months of data: the stage then trains the production model without
// a backtest (it needs 10 months), says so in metrics.json ("backtest") and the model card,
// and the figures monitoring expects come from the calibration cutoff (production_model.h).
std::vector<int> evaluation_cutoffs(int first, int last);

// The training settings as the stage's fingerprint and model_meta.json ("settings") hold them:
// `run` retrains when they differ from the current model's.
std::string train_settings_text(const TrainOptions& options);

// "2018-06-1a2b3c4d": the last month of the training data and the start of the training
// fingerprint (model_store.h).
std::string model_id_for(int last, const std::string& fingerprint);

// The file of the backtest's test rows (per test cutoff: member, label, probability, first
// reason's feature), beside the model in curated/churn/artifacts/.
inline constexpr const char* kBacktestPredictionsFile = "backtest_predictions.parquet";

// Markdown model card from metrics.json and the production model's metadata.
std::string model_card(const nlohmann::json& metrics, const nlohmann::json& meta);

}  // namespace aa::model
