#pragma once
// Per-member reasons in plain English, built from XGBoost's feature contributions: one-hot
// columns are summed back to their source feature, the features that push the member's risk
// up the most are kept, and each is worded from the member's own value of that feature.

#include <string>
#include <vector>

#include "model/snapshots.h"

namespace aa {

struct Reason {
  std::string feature;      // the source feature, such as "months_since_last_flight"
  double contribution = 0;  // in log-odds
  std::string text;
};

// The features contributions are reported for: the spec's source features, in spec order
// (one-hot columns share their source).
std::vector<std::string> source_features(const FeatureSpec& spec);

// Row `row`'s contribution per source feature (one-hot levels summed), in log-odds, in the
// order of source_features(spec); the bias is left out.
std::vector<double> source_contributions(const FeatureSpec& spec,
                                         const std::vector<float>& contributions, std::size_t rows,
                                         std::size_t row);

// The top `count` risk-raising reasons of row `row` (fewer when fewer features raise risk).
// Context features that are equal for every member at a cutoff (history_months) are skipped.
// contributions is rows x (columns + 1), as ChurnModel::contributions returns it.
std::vector<Reason> top_reasons(const Dataset& data, const FeatureSpec& spec,
                                const std::vector<float>& contributions, std::size_t row,
                                std::size_t count);

// The same, computed once per model for scoring many rows: which source each model column
// belongs to.
class SourceIndex {
 public:
  explicit SourceIndex(const FeatureSpec& spec);
  const std::vector<std::string>& names() const { return names_; }  // source_features(spec)
  // Row `row`'s contribution per source feature into `out` (resized to names().size()).
  void contributions(const std::vector<float>& contributions, std::size_t rows, std::size_t row,
                     std::vector<double>& out) const;
  // top_reasons, from the row's contributions by source (as contributions() gives them).
  std::vector<Reason> top_reasons(const Dataset& data, const FeatureSpec& spec,
                                  const std::vector<double>& by_source, std::size_t row,
                                  std::size_t count) const;

 private:
  std::vector<std::string> names_;
  std::vector<std::size_t> source_of_column_;
  std::size_t history_months_ = static_cast<std::size_t>(-1);
};

// The sentence for one feature of one row.
std::string describe_feature(const Dataset& data, const FeatureSpec& spec, std::size_t row,
                             const std::string& feature);

}  // namespace aa
