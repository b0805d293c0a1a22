#pragma once
// compute_metrics of a bootstrap resample, from each row's number of draws, over the rows sorted
// once by probability: a pass or two per resample instead of five sorts of the resampled rows
// (the bootstrap intervals of every report in training: 200 resamples each).
//
// Against compute_metrics on the resampled rows themselves: ROC AUC, PR AUC and the base rate
// are equal to the bit (their sums are of whole counts); the Brier score, the ECE and the top 5%
// and 10% up to rounding (their sums run in another order; a group of tied probabilities across
// the top-k cut counts its share of positives in both, see top_fraction).

#include <cstddef>
#include <cstdint>
#include <vector>

#include "model/metrics.h"

namespace aa::model {

class ResampleMetrics {
 public:
  ResampleMetrics(const std::vector<float>& labels, const std::vector<double>& probabilities);

  // The metrics of the rows repeated counts[row] times (counts has one entry per row).
  MetricSet compute(const std::vector<std::uint32_t>& counts) const;

  std::size_t rows() const { return ascending_.size(); }

 private:
  std::vector<std::uint32_t> ascending_;  // rows by ascending probability, ties in row order
  std::vector<double> p_;                 // their probabilities, in that order
  std::vector<float> y_;                  // their labels
  std::vector<std::size_t> group_end_;    // where each run of equal probabilities ends
};

}  // namespace aa::model
