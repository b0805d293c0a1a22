#include "model/resample_metrics.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <numeric>

#include "core/app_error.h"

namespace aa::model {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr int kEceBins = 10;  // as compute_metrics: quantile bins

// A run of equal probabilities, with the resample's draws of its rows.
struct Group {
  std::size_t begin = 0;
  std::size_t end = 0;
  double drawn = 0;      // rows drawn (whole counts)
  double positives = 0;  // positive rows drawn
};

TopK top_of(const std::vector<Group>& groups, double n, double total_positives, double fraction) {
  if (n == 0 || total_positives == 0) {
    return {kNaN, kNaN, kNaN};
  }
  const double k = std::ceil(fraction * n);
  double taken = 0;
  double tp = 0;
  for (auto g = groups.rbegin(); g != groups.rend() && taken < k; ++g) {
    if (g->drawn == 0) {
      continue;
    }
    const double take = std::min(g->drawn, k - taken);
    tp += take == g->drawn ? g->positives : take * g->positives / g->drawn;
    taken += take;
  }
  const double precision = tp / k;
  return {precision, tp / total_positives, precision / (total_positives / n)};
}

}  // namespace

ResampleMetrics::ResampleMetrics(const std::vector<float>& labels,
                                 const std::vector<double>& probabilities) {
  if (labels.size() != probabilities.size()) {
    core::fail(core::ErrorKind::InvalidInput, "metrics: {} labels but {} scores", labels.size(),
               probabilities.size());
  }
  ascending_.resize(labels.size());
  std::iota(ascending_.begin(), ascending_.end(), 0U);
  std::stable_sort(ascending_.begin(), ascending_.end(), [&](std::uint32_t a, std::uint32_t b) {
    return probabilities[a] < probabilities[b];
  });
  p_.reserve(labels.size());
  y_.reserve(labels.size());
  for (const std::uint32_t row : ascending_) {
    p_.push_back(probabilities[row]);
    y_.push_back(labels[row]);
  }
  for (std::size_t i = 0; i < p_.size(); ++i) {
    if (i + 1 == p_.size() || p_[i + 1] != p_[i]) {
      group_end_.push_back(i + 1);
    }
  }
}

MetricSet ResampleMetrics::compute(const std::vector<std::uint32_t>& counts) const {
  if (counts.size() != ascending_.size()) {
    core::fail(core::ErrorKind::InvalidInput, "metrics: {} draw counts for {} rows", counts.size(),
               ascending_.size());
  }
  // One pass up the probabilities: the groups' draws, ROC AUC's rank sum, the Brier sum.
  std::vector<Group> groups;
  groups.reserve(group_end_.size());
  double n = 0;
  double n1 = 0;
  double rank_sum = 0;
  double squared_error = 0;
  std::size_t begin = 0;
  for (const std::size_t end : group_end_) {
    Group g{begin, end, 0, 0};
    for (std::size_t i = begin; i < end; ++i) {
      const double w = counts[ascending_[i]];
      g.drawn += w;
      g.positives += w * y_[i];
      const double d = p_[i] - y_[i];
      squared_error += w * d * d;
    }
    if (g.drawn > 0) {
      // The group's rows hold ranks n + 1 .. n + drawn and share their average.
      rank_sum += g.positives * ((n + 1) + (n + g.drawn)) / 2.0;
    }
    n += g.drawn;
    n1 += g.positives;
    groups.push_back(g);
    begin = end;
  }
  MetricSet m;
  const double n0 = n - n1;
  m.roc_auc = n1 == 0 || n0 == 0 ? kNaN : (rank_sum - n1 * (n1 + 1) / 2.0) / (n1 * n0);
  m.base_rate = n > 0 ? n1 / n : kNaN;
  m.brier = n > 0 ? squared_error / n : kNaN;

  // PR AUC: down the thresholds, one step per distinct probability drawn.
  if (n1 == 0) {
    m.pr_auc = kNaN;
  } else {
    double tp = 0;
    double seen = 0;
    double previous_recall = 0;
    double ap = 0;
    for (auto g = groups.rbegin(); g != groups.rend(); ++g) {
      if (g->drawn == 0) {
        continue;
      }
      tp += g->positives;
      seen += g->drawn;
      const double recall = tp / n1;
      ap += (recall - previous_recall) * (tp / seen);
      previous_recall = recall;
    }
    m.pr_auc = ap;
  }

  // ECE over quantile bins: the edges are the resample's percentiles (linear interpolation
  // between the expanded rows at q * (n - 1)); a row goes to the first inner edge >= p.
  if (n == 0) {
    m.ece = kNaN;
  } else {
    // The expanded rows whose values the edges need, found in one walk up the cumulative draws.
    std::array<double, kEceBins + 1> edges{};
    std::array<double, kEceBins + 1> lower_value{};
    std::array<double, kEceBins + 1> upper_value{};
    std::array<double, kEceBins + 1> fraction{};
    std::vector<std::pair<double, double*>> wanted;  // (expanded position, where its value goes)
    for (int b = 0; b <= kEceBins; ++b) {
      const double pos = static_cast<double>(b) / kEceBins * (n - 1);
      const double lower = std::floor(pos);
      const auto k = static_cast<std::size_t>(b);
      fraction[k] = pos - lower;
      wanted.emplace_back(lower, &lower_value[k]);
      wanted.emplace_back(std::min(lower + 1, n - 1), &upper_value[k]);
    }
    std::sort(wanted.begin(), wanted.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    double before = 0;  // expanded rows before row i
    std::size_t next = 0;
    for (std::size_t i = 0; i < p_.size() && next < wanted.size(); ++i) {
      before += counts[ascending_[i]];
      while (next < wanted.size() && wanted[next].first < before) {
        *wanted[next].second = p_[i];
        ++next;
      }
    }
    for (std::size_t k = 0; k < edges.size(); ++k) {
      edges[k] = lower_value[k] + (upper_value[k] - lower_value[k]) * fraction[k];
    }
    std::array<double, kEceBins> sum_p{};
    std::array<double, kEceBins> sum_y{};
    std::array<double, kEceBins> count{};
    std::size_t bin = 0;
    for (std::size_t i = 0; i < p_.size(); ++i) {
      const double w = counts[ascending_[i]];
      if (w == 0) {
        continue;
      }
      while (bin + 1 < kEceBins && edges[bin + 1] < p_[i]) {
        ++bin;
      }
      sum_p[bin] += w * p_[i];
      sum_y[bin] += w * y_[i];
      count[bin] += w;
    }
    double ece = 0;
    for (std::size_t b = 0; b < count.size(); ++b) {
      if (count[b] > 0) {
        ece += count[b] * std::abs(sum_y[b] / count[b] - sum_p[b] / count[b]);
      }
    }
    m.ece = ece / n;
  }
  m.top5 = top_of(groups, n, n1, 0.05);
  m.top10 = top_of(groups, n, n1, 0.10);
  return m;
}

}  // namespace aa::model
