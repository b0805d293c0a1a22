#pragma once
// The score stage: the production model scores every member active in the last month of data
// and writes curated/churn/predictions/predictions.parquet.

#include "core/lake.h"
#include "core/stage_state.h"
#include "features/features.h"

namespace aa::model {

// Predictions carry one column per source feature, named with this prefix: that feature's
// contribution to the member's log-odds of churning.
inline constexpr const char* kContributionPrefix = "contribution_";

// Members are scored this many at a time (bounds the memory of the snapshots, the features and
// the contributions).
inline constexpr std::int64_t kScoreBatchMembers = 1000000;

// The per-member reasons and contributions: exact TreeSHAP, or Saabas's path attributions
// (approximate, but as fast as a prediction; like SHAP values they sum to the member's
// log-odds). Exact TreeSHAP costs about 35 predictions (docs/BENCHMARKS.md): for 10M members
// and a 300-tree model, more than 20 minutes on 2 cores.
enum class ReasonsMethod { Auto, Exact, Approximate };
// Auto: exact for programmes up to this many members of depth-3 trees, approximate above.
// TreeSHAP's cost grows with the leaves per tree: for deeper trees the limit shrinks in
// proportion (2^depth leaves; 1,000,000 members of depth-4 trees, 500,000 of depth 5).
inline constexpr std::int64_t kExactReasonsMembers = 2000000;
std::int64_t exact_reasons_limit(int max_depth);
const char* to_string(ReasonsMethod method);
ReasonsMethod reasons_method_from(const std::string& name);  // "auto", "exact", "approximate"

core::StageResult score_churn(const core::Lake& lake, const features::StageOptions& options,
                              std::int64_t batch_members = kScoreBatchMembers,
                              ReasonsMethod reasons = ReasonsMethod::Auto);

}  // namespace aa::model
