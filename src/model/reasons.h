#pragma once
// Per-member reasons in plain English, built from XGBoost's feature contributions: one-hot
// columns are summed back to their source feature, the features that push the member's risk
// up the most are kept, and each is worded from the member's own value of that feature.

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "model/snapshots.h"

namespace aa::model {

// A feature is cited as a reason only when it raises the member's log-odds of cancelling by at
// least this much (odds x 1.105): smaller pushes are not material.
inline constexpr double kMaterialContribution = 0.1;

// What a reason's wording may draw on beyond the member's own values.
struct ReasonContext {
  // Months of membership in which cancellations spike (the train stage's tenure_hazard), such
  // as {8}: a tenure reason says how near the member is to one.
  std::vector<int> tenure_peaks;
  // From the model's metadata ("tenure_peaks"; none when absent).
  static ReasonContext from_model(const nlohmann::json& extra);
};

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

// The top `count` risk-raising reasons of row `row` (fewer when fewer features raise risk by
// kMaterialContribution or more). Context features that are equal for every member at a cutoff (history_months) are skipped.
// contributions is rows x (columns + 1), as ChurnModel::contributions returns it.
std::vector<Reason> top_reasons(const Dataset& data, const FeatureSpec& spec,
                                const std::vector<float>& contributions, std::size_t row,
                                std::size_t count);

// The same, computed once per model for scoring many rows: which source each model column
// belongs to.
class SourceIndex {
 public:
  explicit SourceIndex(const FeatureSpec& spec, ReasonContext context = {});
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
  ReasonContext context_;
};

// The sentence for one feature of one row.
std::string describe_feature(const Dataset& data, const FeatureSpec& spec, std::size_t row,
                             const std::string& feature, const ReasonContext& context = {});

// A plain-English name for a model feature, such as "Flights in the last 3 months".
std::string feature_label(const std::string& feature);

}  // namespace aa::model
