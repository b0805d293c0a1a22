#pragma once
// Members at the test cutoff who cancelled within six months against those who stayed, on
// each numeric feature as of the cutoff (never a month after it, so never the all-zero months
// after a cancellation): the two means, the feature's ROC AUC as a score (higher = riskier;
// below 0.5 means lower values go with cancelling) and the same within strata of `stratify`
// (pairs of members in the same stratum only). metrics.json "snapshot_comparison"; the
// analyst's "why" answers read it (operation churn_signal).

#include <nlohmann/json.hpp>
#include <string>

#include "model/snapshots.h"

namespace aa::model {

nlohmann::json snapshot_comparison(const Dataset& test, const FeatureSpec& spec,
                                   const std::string& stratify);

}  // namespace aa::model
