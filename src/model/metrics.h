#pragma once
// Classification metrics for a binary label and a score, our own code, checked against
// hand-computed cases and against scikit-learn (tests/model/sklearn_crosscheck.py).
// Conventions follow scikit-learn so the figures mean what users expect:
//   roc_auc            Mann-Whitney statistic, ties count one half (roc_auc_score)
//   average_precision  sum over thresholds of (R_k - R_{k-1}) * P_k (average_precision_score)
//   brier              mean squared error of the probability (brier_score_loss)
//   reliability / ece  equal-mass bins with calibration_curve(strategy="quantile") edges;
//                      ece = sum over bins of (bin share) * |mean label - mean probability|
//   top_k              the ceil(k * n) highest scores (ties broken by row order)

#include <cstdint>
#include <nlohmann/json.hpp>
#include <vector>

namespace aa::model {

double roc_auc(const std::vector<float>& labels, const std::vector<double>& scores);
double average_precision(const std::vector<float>& labels, const std::vector<double>& scores);
double brier_score(const std::vector<float>& labels, const std::vector<double>& probabilities);
double log_loss(const std::vector<float>& labels, const std::vector<double>& probabilities);

struct ReliabilityBin {
  double mean_probability = 0;
  double fraction_positive = 0;
  std::int64_t count = 0;
};
enum class BinStrategy { Uniform, Quantile };
std::vector<ReliabilityBin> reliability_curve(const std::vector<float>& labels,
                                              const std::vector<double>& probabilities, int bins,
                                              BinStrategy strategy);
double expected_calibration_error(const std::vector<float>& labels,
                                  const std::vector<double>& probabilities, int bins,
                                  BinStrategy strategy);

struct TopK {
  double precision = 0;
  double recall = 0;
  double lift = 0;
};
// Precision, recall and lift of the ceil(fraction * n) highest scores; a group of tied scores
// across the cut counts its share of positives for the rows it contributes.
TopK top_fraction(const std::vector<float>& labels, const std::vector<double>& scores,
                  double fraction);

// Every reported metric for one set of predictions.
struct MetricSet {
  double roc_auc = 0;
  double pr_auc = 0;
  double base_rate = 0;
  double brier = 0;
  double ece = 0;
  TopK top5;
  TopK top10;
};
MetricSet compute_metrics(const std::vector<float>& labels,
                          const std::vector<double>& probabilities);

// Percentile bootstrap 95% intervals for every metric in MetricSet, from `resamples` draws of
// rows with replacement (seeded: the same inputs give the same intervals).
struct Interval {
  double low = 0;
  double high = 0;
};
struct MetricIntervals {
  Interval roc_auc, pr_auc, brier, ece, top5_precision, top5_recall, top5_lift, top10_precision,
      top10_recall, top10_lift;
};
// The 2.5th and 97.5th percentiles of `values` (NaN left out), as the intervals above use.
Interval percentile_interval(std::vector<double> values);

MetricIntervals bootstrap_intervals(const std::vector<float>& labels,
                                    const std::vector<double>& probabilities, int resamples,
                                    std::uint64_t seed);

// The ROC curve: one point per distinct score threshold (every tied row enters together),
// starting at (0, 0) with threshold +inf, as scikit-learn's roc_curve(drop_intermediate=False).
// The precision-recall curve: one point per distinct threshold, highest threshold first,
// recall rising (precision_recall_curve's points, in the other order, without its (1, 0)).
struct CurvePoint {
  double x = 0;  // false positive rate (ROC) or recall (PR)
  double y = 0;  // true positive rate (ROC) or precision (PR)
  double threshold = 0;
};
std::vector<CurvePoint> roc_curve(const std::vector<float>& labels,
                                  const std::vector<double>& scores);
std::vector<CurvePoint> precision_recall_curve(const std::vector<float>& labels,
                                               const std::vector<double>& scores);
// At most `max_points` of a curve, evenly spaced by index, always keeping the first and last.
std::vector<CurvePoint> thin_curve(const std::vector<CurvePoint>& curve, std::size_t max_points);

// Rows ordered by descending score (ties in row order) cut into ten groups whose sizes differ
// by at most one (the first n % 10 groups take the extra row): decile 1 is the highest scores.
struct DecileRow {
  int decile = 0;
  std::int64_t members = 0;
  std::int64_t positives = 0;
  double rate = 0;               // positives / members
  double lift = 0;               // rate / base rate
  double cumulative_recall = 0;  // share of all positives in deciles 1..this one
};
std::vector<DecileRow> lift_by_decile(const std::vector<float>& labels,
                                      const std::vector<double>& scores);

// Curves for the model page: reliability (already in metrics_report), ROC and PR curves thinned
// to at most 101 points, and lift by decile.
nlohmann::json curves_report(const std::vector<float>& labels,
                             const std::vector<double>& probabilities);

// The report of one model on one evaluation set: metrics, intervals and reliability points.
nlohmann::json metrics_report(const std::vector<float>& labels,
                              const std::vector<double>& probabilities, int resamples,
                              std::uint64_t seed);

}  // namespace aa::model
