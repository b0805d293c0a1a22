#pragma once
// The features stage: processed Parquet -> SQL models -> curated/customer_features.

#include "core/duck.h"
#include "core/lake.h"
#include "core/stage_state.h"
#include "features/dialect.h"
#include "features/spark_engine.h"

namespace aa::features {

struct StageOptions {
  duck::Options db_options;
  bool force = false;
};

// The models, in the order they run. Staging models become views, marts tables.
const std::vector<std::string>& feature_models();

// Binds the lake's processed tables as the models' sources on `connection`.
void bind_feature_sources(duck::Connection& connection, const core::Lake& lake);

// Which engine runs the feature models. Whatever runs them, the stage publishes one Parquet file
// read by training and scoring on this machine (docs/scale-out.md).
struct EngineChoice {
  SqlEngine engine = SqlEngine::DuckDB;
  SparkOptions spark;
};

core::StageResult build_customer_features(const core::Lake& lake, const StageOptions& options,
                                          const EngineChoice& engine = {});

}  // namespace aa::features
