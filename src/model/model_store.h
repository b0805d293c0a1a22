#pragma once
// Kept models: every trained model stays under curated/churn/models/<model_id>/ (model.json,
// calibration.json, model_meta.json with its training window, metrics.json with its expected
// figures, model_card.md, drift_reference.json); curated/churn/artifacts/ holds the current
// one. A model_id is the last month of the data it was trained on and the start of its training
// fingerprint ("2018-06-1a2b3c4d"): the same data and settings give the same id.

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/lake.h"

namespace aa::model {

inline constexpr const char* kDriftReferenceFile = "drift_reference.json";

// The folder of a kept model; AppError(InvalidInput) for an id that is not one.
fs::path kept_model_dir(const core::Lake& lake, const std::string& model_id);
// The ids of the kept models, sorted.
std::vector<std::string> kept_model_ids(const core::Lake& lake);
// A kept model's file parsed as JSON (metrics.json, model_meta.json, drift_reference.json);
// AppError(NotFound) naming the kept models when it is not there.
nlohmann::json kept_model_json(const core::Lake& lake, const std::string& model_id,
                               const std::string& file);
// The current model's model_meta.json (null without a trained model).
nlohmann::json current_model_meta(const core::Lake& lake);

}  // namespace aa::model
