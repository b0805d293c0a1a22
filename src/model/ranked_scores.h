#pragma once
// Scores whose rows are sorted once, so that ROC AUCs under many row weightings (bootstrap
// resamples, paired across models) cost one pass each.

#include <cstdint>
#include <vector>

namespace aa::model {

class RankedScores {
 public:
  // Every row of `scores`, or only `rows`.
  explicit RankedScores(const std::vector<double>& scores);
  RankedScores(const std::vector<double>& scores, const std::vector<std::uint32_t>& rows);
  // The ROC AUC with row i counted weight[i] times (an empty weight: once each; ties count one
  // half), NaN without both classes; `pairs`, when given, receives weighted positives x
  // negatives.
  double auc(const std::vector<float>& labels, const std::vector<std::uint32_t>& weight,
             double* pairs = nullptr) const;

 private:
  std::vector<std::uint32_t> order_;  // rows by ascending score
  std::vector<std::uint32_t> ends_;   // the end of each run of tied scores in order_
};

// The AUC over pairs within the same stratum: each stratum's AUC weighted by its (weighted)
// positive x negative pairs; NaN when no stratum has both classes.
double pooled_auc(const std::vector<RankedScores>& strata, const std::vector<float>& labels,
                  const std::vector<std::uint32_t>& weight);

}  // namespace aa::model
