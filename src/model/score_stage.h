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

// Members are scored this many at a time (bounds the memory of the snapshots, the features and
// the contributions).
inline constexpr std::int64_t kScoreBatchMembers = 1000000;

StageResult score_churn(const Lake& lake, const StageOptions& options,
                        std::int64_t batch_members = kScoreBatchMembers);

}  // namespace aa
