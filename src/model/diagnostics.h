#pragma once
// Does the model know more than one rule? Diagnostics of a model on its out-of-time test rows,
// for metrics.json's "diagnostics" (docs/CHURN_MODEL.md, "Diagnostics"):
//   single_feature_auc  the top features by mean |contribution|, each alone as a score
//   dominant_feature    the top one: its share of the importance, its AUC alone, and the AUC
//                       the model adds to it, with a paired-bootstrap 95% interval
//   stratified_auc      the model's AUC within strata of the dominant feature, pooled
//   comparisons         model minus each baseline's AUC, paired bootstrap
//   calibration         Brier skill score, calibration slope and intercept, ECE / base rate
//   one_feature_model   kOneFeatureRule

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "model/ranked_scores.h"
#include "model/snapshots.h"

namespace aa::model {

inline constexpr const char* kOneFeatureRule =
    "one_feature_model is true when the dominant feature's added_auc interval includes 0 (the "
    "model ranks no better than that feature alone) or when the feature holds at least half "
    "of the model's mean absolute contribution (importance_share >= 0.5)";
inline constexpr double kOneFeatureShare = 0.5;

// A feature alone as a score for `data`'s rows, higher meaning riskier as judged on `train`:
// a numeric feature's value (missing lowest), negated when lower values carry more risk in
// `train`; a categorical feature's level scored by that level's rate of the label in `train`
// (a level unseen there, by the overall rate). `direction` says which, in words.
std::vector<double> single_feature_scores(const Dataset& train, const Dataset& data,
                                          const FeatureSpec& spec, const std::string& feature,
                                          std::string* direction = nullptr);

// Strata of `feature` over `data`'s rows: a categorical feature's levels; a numeric feature's
// values, one stratum each when there are at most 120 distinct ones (months of tenure), else
// cut at its deciles (equal values share a stratum); missing values are one stratum.
// `names` receives a label per stratum ("2 .. 7", "Star", "missing").
std::vector<std::uint32_t> feature_strata(const Dataset& data, const FeatureSpec& spec,
                                          const std::string& feature,
                                          std::vector<std::string>& names);

struct DiagnosticsInput {
  const Dataset* train = nullptr;
  const Dataset* test = nullptr;
  const FeatureSpec* spec = nullptr;
  std::vector<double> model;  // calibrated probabilities on the test rows
  // Each baseline's probabilities on the same test rows, in the same order.
  std::vector<std::pair<std::string, std::vector<double>>> baselines;
  // Source features and their mean |contribution| on the test rows, largest first.
  std::vector<std::pair<std::string, double>> importance;
  int resamples = 200;
  std::uint64_t seed = 42;
};

nlohmann::json diagnostics(const DiagnosticsInput& input);

}  // namespace aa::model
