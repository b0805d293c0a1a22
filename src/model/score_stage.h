#pragma once
// The score stage: the production model scores every member active in the last month of data
// and writes curated/churn/predictions/predictions.parquet.

#include "core/lake.h"
#include "core/stage_state.h"
#include "features/features.h"

namespace aa {

StageResult score_churn(const Lake& lake, const StageOptions& options);

}  // namespace aa
