#pragma once
// The features stage: processed Parquet -> SQL models -> curated/customer_features.

#include "core/duck.h"
#include "core/lake.h"
#include "core/stage_state.h"

namespace aa {

struct StageOptions {
  duck::Options db_options;
  bool force = false;
};

// The models, in the order they run. Staging models become views, marts tables.
const std::vector<std::string>& feature_models();

// Binds the lake's processed tables as the models' sources on `connection`.
void bind_feature_sources(duck::Connection& connection, const Lake& lake);

StageResult build_customer_features(const Lake& lake, const StageOptions& options);

}  // namespace aa
