#pragma once
// Plain words for what the churn model's diagnostics support, written once at training into
// metrics.json ("signal") and read by the model card, `run`'s summary, the Model page and the
// analyst, so that every place says the same thing and none says more than the data supports.
//
// From metrics.json's "diagnostics" (diagnostics.h) and "tenure_hazard" (tenure_hazard.h):
//   one_feature_model   as the diagnostics say
//   behaviour_signal    "present" when the model ranks members measurably better than its
//                       dominant feature alone (added_auc's interval above 0) and, when that
//                       feature is tenure, than the tenure-only model; "empty" when an interval
//                       includes 0 (or lies below it)
//   headline            one or two sentences: the model, and what the data supports
//   sentences           the evidence, each sentence built from figures in metrics.json
//   tenure_peak         the month of membership in which cancellations spike (or null), with
//                       its cancellations and their share, computed by tenure_hazard

#include <nlohmann/json.hpp>

namespace aa::model {

nlohmann::json signal_words(const nlohmann::json& metrics);

}  // namespace aa::model
