#pragma once
// Drift: how far the members a model scores have moved from the members it was built for.
// At training, every source feature of the model and its score get bins, fixed then: numeric
// features the distinct deciles of the reference snapshot (plus a bin for missing values),
// categorical features their training levels (plus one bin for no level: unseen or missing),
// the score the deciles of the reference's probabilities. The reference snapshot is the
// training data's last month: the members the model scored when it was built. Each scoring
// counts its members into the same bins (FeatureProfile), and the population stability index
// compares the two:
//   PSI = sum over bins of (a - e) x ln(a / e),  a, e the scoring's and the reference's shares,
//   each floored at kPsiFloor so that an empty bin counts as a small share, not a division by 0.
// Read as usual: below 0.1 stable, 0.1 to 0.25 a moderate shift, above 0.25 a major one.
// Numeric features also keep the reference's mean and standard deviation: a level shift (every
// member flying 30% less) moves a mostly-zero feature's few bins little, and its mean a lot.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "model/snapshots.h"

namespace aa::model {

inline constexpr double kPsiFloor = 1e-4;
// The name the score's bins go by, beside the features'.
inline constexpr const char* kScoreBins = "churn_probability";

// One variable's bins. Numeric: bin i < edges.size() holds values <= edges[i] (and above
// edges[i - 1]), bin edges.size() the values above the last edge, and the last bin missing
// values. Categorical: one bin per level, then one for none of them.
struct VariableBins {
  std::string name;
  bool categorical = false;
  std::vector<double> edges;
  std::vector<std::string> levels;
  std::vector<double> reference_share;  // per bin, summing to 1
  int importance_rank = 0;              // 1: the model's most important feature; 0: the score
  // Numeric: the reference's non-missing values' count, mean and standard deviation.
  std::int64_t reference_n = 0;
  double reference_mean = 0;
  double reference_sd = 0;
  double reference_min = 0;  // a feature with negative values (a trend) has no relative level

  std::size_t bin_count() const;
  // The bin of a numeric value (NaN: the missing bin).
  std::size_t numeric_bin(double value) const;
  std::vector<std::string> bin_labels() const;
};

// The population stability index of `counts` against `reference_share` (both per bin).
double population_stability_index(const std::vector<double>& reference_share,
                                  const std::vector<std::int64_t>& counts);

class DriftReference {
 public:
  // Bins every source feature of `spec` and the score on `reference` (rows of one snapshot) and
  // its probabilities; `importance` orders the features (largest mean |contribution| first).
  static DriftReference fit(const FeatureSpec& spec, const Dataset& reference,
                            const std::vector<double>& probabilities,
                            const std::vector<std::pair<std::string, double>>& importance,
                            const std::string& snapshot_month);
  static DriftReference from_json(const nlohmann::json& json);
  nlohmann::json to_json() const;

  const std::vector<VariableBins>& features() const { return features_; }
  const VariableBins& score() const { return score_; }
  const std::string& snapshot_month() const { return snapshot_month_; }

 private:
  std::vector<VariableBins> features_;
  VariableBins score_;
  std::string snapshot_month_;
};

}  // namespace aa::model
