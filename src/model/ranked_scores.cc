#include "model/ranked_scores.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace aa::model {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

}  // namespace

RankedScores::RankedScores(const std::vector<double>& scores) {
  std::vector<std::uint32_t> all(scores.size());
  std::iota(all.begin(), all.end(), 0);
  *this = RankedScores(scores, all);
}

RankedScores::RankedScores(const std::vector<double>& scores,
                           const std::vector<std::uint32_t>& rows)
    : order_(rows) {
  std::stable_sort(order_.begin(), order_.end(),
                   [&](std::uint32_t a, std::uint32_t b) { return scores[a] < scores[b]; });
  for (std::size_t k = 1; k <= order_.size(); ++k) {
    if (k == order_.size() || scores[order_[k]] != scores[order_[k - 1]]) {
      ends_.push_back(static_cast<std::uint32_t>(k));
    }
  }
}

double RankedScores::auc(const std::vector<float>& labels, const std::vector<std::uint32_t>& weight,
                         double* pairs) const {
  double below = 0;  // weighted negatives with lower scores
  double sum = 0;
  double positives = 0;
  std::size_t start = 0;
  for (const std::uint32_t end : ends_) {
    double wp = 0;
    double wn = 0;
    for (std::size_t k = start; k < end; ++k) {
      const std::uint32_t r = order_[k];
      const double w = weight.empty() ? 1.0 : weight[r];
      (labels[r] > 0.5f ? wp : wn) += w;
    }
    sum += wp * (below + wn / 2);
    below += wn;
    positives += wp;
    start = end;
  }
  const double n_pairs = positives * below;
  if (pairs != nullptr) {
    *pairs = n_pairs;
  }
  return n_pairs > 0 ? sum / n_pairs : kNaN;
}

double pooled_auc(const std::vector<RankedScores>& strata, const std::vector<float>& y,
                  const std::vector<std::uint32_t>& weight) {
  double sum = 0;
  double pairs = 0;
  for (const auto& s : strata) {
    double p = 0;
    const double a = s.auc(y, weight, &p);
    if (!std::isnan(a)) {
      sum += a * p;
      pairs += p;
    }
  }
  return pairs > 0 ? sum / pairs : kNaN;
}

}  // namespace aa::model
