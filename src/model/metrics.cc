#include "model/metrics.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <random>

#include "core/app_error.h"
#include "model/resample_metrics.h"

namespace aa::model {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr int kEceBins = 10;

void check_sizes(const std::vector<float>& labels, const std::vector<double>& scores) {
  if (labels.size() != scores.size()) {
    core::fail(core::ErrorKind::InvalidInput, "metrics: {} labels but {} scores", labels.size(),
               scores.size());
  }
}

// Row indexes ordered by descending score, ties in row order.
std::vector<std::size_t> order_desc(const std::vector<double>& scores) {
  std::vector<std::size_t> order(scores.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return scores[a] > scores[b]; });
  return order;
}

// Walks the thresholds from the highest score down, one per distinct score (tied rows enter
// together), calling at(threshold, true positives, rows seen) after each.
template <typename F>
void walk_thresholds(const std::vector<float>& labels, const std::vector<double>& scores, F at) {
  const auto order = order_desc(scores);
  double tp = 0;
  double seen = 0;
  std::size_t i = 0;
  while (i < order.size()) {
    const double threshold = scores[order[i]];
    while (i < order.size() && scores[order[i]] == threshold) {
      tp += labels[order[i]];
      seen += 1;
      ++i;
    }
    at(threshold, tp, seen);
  }
}

double positives(const std::vector<float>& labels) {
  return std::accumulate(labels.begin(), labels.end(), 0.0);
}

// numpy.percentile with linear interpolation, on sorted values.
double percentile_sorted(const std::vector<double>& sorted, double q) {
  if (sorted.empty()) {
    return kNaN;
  }
  const double pos = q * static_cast<double>(sorted.size() - 1);
  const auto lower = static_cast<std::size_t>(std::floor(pos));
  const std::size_t upper = std::min(lower + 1, sorted.size() - 1);
  const double frac = pos - static_cast<double>(lower);
  return sorted[lower] + (sorted[upper] - sorted[lower]) * frac;
}

}  // namespace

Interval percentile_interval(std::vector<double> values) {
  values.erase(std::remove_if(values.begin(), values.end(), [](double v) { return std::isnan(v); }),
               values.end());
  std::sort(values.begin(), values.end());
  return {percentile_sorted(values, 0.025), percentile_sorted(values, 0.975)};
}

double roc_auc(const std::vector<float>& labels, const std::vector<double>& scores) {
  check_sizes(labels, scores);
  std::vector<std::size_t> order(scores.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(),
            [&](std::size_t a, std::size_t b) { return scores[a] < scores[b]; });
  // Sum of the positives' ranks, ties sharing their average rank.
  double rank_sum = 0;
  std::size_t i = 0;
  while (i < order.size()) {
    std::size_t j = i;
    double pos_in_group = 0;
    while (j < order.size() && scores[order[j]] == scores[order[i]]) {
      pos_in_group += labels[order[j]];
      ++j;
    }
    const double average_rank = (static_cast<double>(i + 1) + static_cast<double>(j)) / 2.0;
    rank_sum += pos_in_group * average_rank;
    i = j;
  }
  const double n1 = positives(labels);
  const double n0 = static_cast<double>(labels.size()) - n1;
  if (n1 == 0 || n0 == 0) {
    return kNaN;
  }
  return (rank_sum - n1 * (n1 + 1) / 2.0) / (n1 * n0);
}

double average_precision(const std::vector<float>& labels, const std::vector<double>& scores) {
  check_sizes(labels, scores);
  const double total = positives(labels);
  if (total == 0) {
    return kNaN;
  }
  double previous_recall = 0;
  double ap = 0;
  walk_thresholds(labels, scores, [&](double, double tp, double seen) {
    const double recall = tp / total;
    ap += (recall - previous_recall) * (tp / seen);
    previous_recall = recall;
  });
  return ap;
}

std::vector<CurvePoint> roc_curve(const std::vector<float>& labels,
                                  const std::vector<double>& scores) {
  check_sizes(labels, scores);
  const double total_pos = positives(labels);
  const double total_neg = static_cast<double>(labels.size()) - total_pos;
  std::vector<CurvePoint> out;
  out.push_back({0, 0, std::numeric_limits<double>::infinity()});
  walk_thresholds(labels, scores, [&](double threshold, double tp, double seen) {
    const double fp = seen - tp;
    out.push_back(
        {total_neg > 0 ? fp / total_neg : kNaN, total_pos > 0 ? tp / total_pos : kNaN, threshold});
  });
  return out;
}

std::vector<CurvePoint> precision_recall_curve(const std::vector<float>& labels,
                                               const std::vector<double>& scores) {
  check_sizes(labels, scores);
  const double total_pos = positives(labels);
  std::vector<CurvePoint> out;
  walk_thresholds(labels, scores, [&](double threshold, double tp, double seen) {
    out.push_back({total_pos > 0 ? tp / total_pos : kNaN, tp / seen, threshold});
  });
  return out;
}

std::vector<CurvePoint> thin_curve(const std::vector<CurvePoint>& curve, std::size_t max_points) {
  if (curve.size() <= max_points || max_points < 2) {
    return curve;
  }
  std::vector<CurvePoint> out;
  out.reserve(max_points);
  const double step = static_cast<double>(curve.size() - 1) / static_cast<double>(max_points - 1);
  for (std::size_t k = 0; k < max_points; ++k) {
    const auto at = static_cast<std::size_t>(std::llround(static_cast<double>(k) * step));
    out.push_back(curve[std::min(at, curve.size() - 1)]);
  }
  return out;
}

std::vector<DecileRow> lift_by_decile(const std::vector<float>& labels,
                                      const std::vector<double>& scores) {
  check_sizes(labels, scores);
  const std::size_t n = labels.size();
  const double total_pos = positives(labels);
  const double base_rate = n > 0 ? total_pos / static_cast<double>(n) : kNaN;
  const auto order = order_desc(scores);
  std::vector<DecileRow> out;
  std::size_t at = 0;
  double cumulative = 0;
  for (int d = 0; d < 10; ++d) {
    const std::size_t size = n / 10 + (static_cast<std::size_t>(d) < n % 10 ? 1 : 0);
    DecileRow row;
    row.decile = d + 1;
    row.members = static_cast<std::int64_t>(size);
    double pos = 0;
    for (std::size_t k = 0; k < size; ++k) {
      pos += labels[order[at++]];
    }
    cumulative += pos;
    row.positives = static_cast<std::int64_t>(pos);
    row.rate = size > 0 ? pos / static_cast<double>(size) : kNaN;
    row.lift = size > 0 && base_rate > 0 ? row.rate / base_rate : kNaN;
    row.cumulative_recall = total_pos > 0 ? cumulative / total_pos : kNaN;
    out.push_back(row);
  }
  return out;
}

double brier_score(const std::vector<float>& labels, const std::vector<double>& probabilities) {
  check_sizes(labels, probabilities);
  if (labels.empty()) {
    return kNaN;
  }
  double sum = 0;
  for (std::size_t i = 0; i < labels.size(); ++i) {
    const double d = probabilities[i] - labels[i];
    sum += d * d;
  }
  return sum / static_cast<double>(labels.size());
}

double log_loss(const std::vector<float>& labels, const std::vector<double>& probabilities) {
  check_sizes(labels, probabilities);
  constexpr double eps = 1e-15;
  double sum = 0;
  for (std::size_t i = 0; i < labels.size(); ++i) {
    const double p = std::clamp(probabilities[i], eps, 1 - eps);
    sum -= labels[i] * std::log(p) + (1 - labels[i]) * std::log(1 - p);
  }
  return labels.empty() ? kNaN : sum / static_cast<double>(labels.size());
}

std::vector<ReliabilityBin> reliability_curve(const std::vector<float>& labels,
                                              const std::vector<double>& probabilities, int bins,
                                              BinStrategy strategy) {
  check_sizes(labels, probabilities);
  // Bin edges as scikit-learn's calibration_curve draws them; a row goes to the bin found by
  // searchsorted(inner edges, p) (side "left", scikit-learn 1.3+).
  std::vector<double> edges(static_cast<std::size_t>(bins) + 1);
  if (strategy == BinStrategy::Uniform) {
    for (int b = 0; b <= bins; ++b) {
      edges[static_cast<std::size_t>(b)] = static_cast<double>(b) / bins;
    }
  } else {
    std::vector<double> sorted = probabilities;
    std::sort(sorted.begin(), sorted.end());
    for (int b = 0; b <= bins; ++b) {
      edges[static_cast<std::size_t>(b)] = percentile_sorted(sorted, static_cast<double>(b) / bins);
    }
  }
  std::vector<ReliabilityBin> out(static_cast<std::size_t>(bins));
  std::vector<double> sum_p(out.size(), 0);
  std::vector<double> sum_y(out.size(), 0);
  for (std::size_t i = 0; i < probabilities.size(); ++i) {
    const auto it = std::lower_bound(edges.begin() + 1, edges.end() - 1, probabilities[i]);
    const auto bin = static_cast<std::size_t>(it - (edges.begin() + 1));
    sum_p[bin] += probabilities[i];
    sum_y[bin] += labels[i];
    out[bin].count += 1;
  }
  std::vector<ReliabilityBin> nonempty;
  for (std::size_t b = 0; b < out.size(); ++b) {
    if (out[b].count > 0) {
      const auto n = static_cast<double>(out[b].count);
      nonempty.push_back({sum_p[b] / n, sum_y[b] / n, out[b].count});
    }
  }
  return nonempty;
}

double expected_calibration_error(const std::vector<float>& labels,
                                  const std::vector<double>& probabilities, int bins,
                                  BinStrategy strategy) {
  if (labels.empty()) {
    return kNaN;
  }
  double ece = 0;
  for (const auto& bin : reliability_curve(labels, probabilities, bins, strategy)) {
    ece += static_cast<double>(bin.count) * std::abs(bin.fraction_positive - bin.mean_probability);
  }
  return ece / static_cast<double>(labels.size());
}

TopK top_fraction(const std::vector<float>& labels, const std::vector<double>& scores,
                  double fraction) {
  check_sizes(labels, scores);
  const double total = positives(labels);
  const auto n = static_cast<double>(labels.size());
  if (labels.empty() || total == 0) {
    return {kNaN, kNaN, kNaN};
  }
  // The k highest scores; a group of tied scores straddling the cut counts its share of
  // positives for the rows it contributes (the expectation over the ties' orders: which tied
  // rows come first is arbitrary, so no order of them decides the figure).
  const double k = std::ceil(fraction * n);
  const auto order = order_desc(scores);
  double tp = 0;
  double taken = 0;
  std::size_t i = 0;
  while (i < order.size() && taken < k) {
    std::size_t j = i;
    double group_positives = 0;
    while (j < order.size() && scores[order[j]] == scores[order[i]]) {
      group_positives += labels[order[j]];
      ++j;
    }
    const auto group = static_cast<double>(j - i);
    const double take = std::min(group, k - taken);
    tp += take == group ? group_positives : take * group_positives / group;
    taken += take;
    i = j;
  }
  const double precision = tp / k;
  return {precision, tp / total, precision / (total / n)};
}

MetricSet compute_metrics(const std::vector<float>& labels,
                          const std::vector<double>& probabilities) {
  MetricSet m;
  m.roc_auc = roc_auc(labels, probabilities);
  m.pr_auc = average_precision(labels, probabilities);
  m.base_rate = labels.empty() ? kNaN : positives(labels) / static_cast<double>(labels.size());
  m.brier = brier_score(labels, probabilities);
  m.ece = expected_calibration_error(labels, probabilities, kEceBins, BinStrategy::Quantile);
  m.top5 = top_fraction(labels, probabilities, 0.05);
  m.top10 = top_fraction(labels, probabilities, 0.10);
  return m;
}

MetricIntervals bootstrap_intervals(const std::vector<float>& labels,
                                    const std::vector<double>& probabilities, int resamples,
                                    std::uint64_t seed) {
  check_sizes(labels, probabilities);
  std::mt19937_64 rng(seed);
  const std::size_t n = labels.size();
  std::vector<std::vector<double>> draws(10);
  // Each resample as every row's number of draws, over the rows sorted once.
  const ResampleMetrics sorted(labels, probabilities);
  std::vector<std::uint32_t> counts(n);
  for (int r = 0; r < resamples && n > 0; ++r) {
    std::fill(counts.begin(), counts.end(), 0U);
    for (std::size_t i = 0; i < n; ++i) {
      ++counts[rng() % n];
    }
    const MetricSet m = sorted.compute(counts);
    const double values[] = {m.roc_auc,        m.pr_auc,      m.brier,     m.ece,
                             m.top5.precision, m.top5.recall, m.top5.lift, m.top10.precision,
                             m.top10.recall,   m.top10.lift};
    for (std::size_t k = 0; k < draws.size(); ++k) {
      draws[k].push_back(values[k]);
    }
  }
  MetricIntervals out;
  Interval* fields[] = {&out.roc_auc,        &out.pr_auc,      &out.brier,     &out.ece,
                        &out.top5_precision, &out.top5_recall, &out.top5_lift, &out.top10_precision,
                        &out.top10_recall,   &out.top10_lift};
  for (std::size_t k = 0; k < draws.size(); ++k) {
    *fields[k] = percentile_interval(draws[k]);
  }
  return out;
}

namespace {

nlohmann::json number(double v) {
  return std::isnan(v) ? nlohmann::json(nullptr) : nlohmann::json(v);
}

nlohmann::json interval(const Interval& i) { return {number(i.low), number(i.high)}; }

}  // namespace

nlohmann::json curves_report(const std::vector<float>& labels,
                             const std::vector<double>& probabilities) {
  constexpr std::size_t kCurvePoints = 101;
  auto threshold = [](double t) {
    return std::isinf(t) ? nlohmann::json(nullptr) : nlohmann::json(t);
  };
  nlohmann::json roc = nlohmann::json::array();
  for (const auto& p : thin_curve(roc_curve(labels, probabilities), kCurvePoints)) {
    roc.push_back({{"false_positive_rate", number(p.x)},
                   {"true_positive_rate", number(p.y)},
                   {"threshold", threshold(p.threshold)}});
  }
  nlohmann::json pr = nlohmann::json::array();
  for (const auto& p : thin_curve(precision_recall_curve(labels, probabilities), kCurvePoints)) {
    pr.push_back({{"recall", number(p.x)},
                  {"precision", number(p.y)},
                  {"threshold", threshold(p.threshold)}});
  }
  nlohmann::json lift = nlohmann::json::array();
  for (const auto& d : lift_by_decile(labels, probabilities)) {
    lift.push_back({{"decile", d.decile},
                    {"members", d.members},
                    {"positives", d.positives},
                    {"churn_rate", number(d.rate)},
                    {"lift", number(d.lift)},
                    {"cumulative_recall", number(d.cumulative_recall)}});
  }
  return {{"roc", roc}, {"pr", pr}, {"lift_by_decile", lift}};
}

nlohmann::json metrics_report(const std::vector<float>& labels,
                              const std::vector<double>& probabilities, int resamples,
                              std::uint64_t seed) {
  const MetricSet m = compute_metrics(labels, probabilities);
  const MetricIntervals ci = bootstrap_intervals(labels, probabilities, resamples, seed);
  nlohmann::json reliability = nlohmann::json::array();
  for (const auto& bin :
       reliability_curve(labels, probabilities, kEceBins, BinStrategy::Quantile)) {
    reliability.push_back({{"mean_probability", bin.mean_probability},
                           {"fraction_positive", bin.fraction_positive},
                           {"count", bin.count}});
  }
  auto top = [&](const TopK& t, const Interval& pi, const Interval& ri, const Interval& li) {
    return nlohmann::json{{"precision", number(t.precision)}, {"precision_ci", interval(pi)},
                          {"recall", number(t.recall)},       {"recall_ci", interval(ri)},
                          {"lift", number(t.lift)},           {"lift_ci", interval(li)}};
  };
  return {{"n", labels.size()},
          {"positives", static_cast<std::int64_t>(positives(labels))},
          {"base_rate", number(m.base_rate)},
          {"roc_auc", number(m.roc_auc)},
          {"roc_auc_ci", interval(ci.roc_auc)},
          {"pr_auc", number(m.pr_auc)},
          {"pr_auc_ci", interval(ci.pr_auc)},
          {"brier", number(m.brier)},
          {"brier_ci", interval(ci.brier)},
          {"ece", number(m.ece)},
          {"ece_ci", interval(ci.ece)},
          {"ece_bins", "10 equal-mass bins"},
          {"reliability", reliability},
          {"top_5pct", top(m.top5, ci.top5_precision, ci.top5_recall, ci.top5_lift)},
          {"top_10pct", top(m.top10, ci.top10_precision, ci.top10_recall, ci.top10_lift)},
          {"bootstrap_resamples", resamples}};
}

}  // namespace aa::model
