#pragma once
// One scoring's members counted into its model's drift bins (drift_reference.h), batch by
// batch: what the monitor compares with the reference.

#include <array>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <vector>

#include "model/drift_reference.h"

namespace aa::model {

class FeatureProfile {
 public:
  explicit FeatureProfile(const DriftReference& reference);
  // Counts the rows of `data` (columns as `spec` lays them out) and their probabilities.
  void add(const FeatureSpec& spec, const Dataset& data, const std::vector<double>& probabilities);
  // {members, features: {name: [count per bin]}, moments: {name: [n, sum, sum of squares]}
  // (numeric features' non-missing values), churn_probability: [count per bin]}
  nlohmann::json to_json() const;

 private:
  const DriftReference& reference_;
  std::vector<std::vector<std::int64_t>> feature_counts_;
  std::vector<std::array<double, 3>> moments_;  // per feature: n, sum, sum of squares
  std::vector<std::int64_t> score_counts_;
  std::int64_t members_ = 0;
};

}  // namespace aa::model
