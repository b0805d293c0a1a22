#pragma once
// The score stage: the production model scores every member active in the last month of data
// and writes curated/churn/predictions/predictions.parquet.

#include "core/lake.h"
#include "core/stage_state.h"
#include "features/features.h"

namespace aa {

// Predictions carry one column per source feature, named with this prefix: that feature's
// contribution to the member's log-odds of churning.
inline constexpr const char* kContributionPrefix = "contribution_";

StageResult score_churn(const Lake& lake, const StageOptions& options);

}  // namespace aa
