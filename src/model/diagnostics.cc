#include "model/diagnostics.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <numeric>
#include <random>

#include "core/app_error.h"
#include "model/calibration.h"
#include "model/metrics.h"

namespace aa::model {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr std::size_t kSingleFeatures = 5;
constexpr int kStrataBins = 10;
// A numeric feature with at most this many distinct values has one stratum per value.
constexpr std::size_t kMaxExactStrata = 120;

nlohmann::json number(double v) { return std::isnan(v) ? nlohmann::json(nullptr) : nlohmann::json(v); }
nlohmann::json interval(const Interval& i) { return {number(i.low), number(i.high)}; }

bool is_categorical(const FeatureSpec& spec, const std::string& feature,
                    const std::vector<std::string>** levels = nullptr) {
  for (const auto& [name, values] : spec.categorical) {
    if (name == feature) {
      if (levels != nullptr) {
        *levels = &values;
      }
      return true;
    }
  }
  return false;
}

std::size_t column_of(const Dataset& data, const std::string& column) {
  const auto it = std::find(data.columns.begin(), data.columns.end(), column);
  if (it == data.columns.end()) {
    core::fail(core::ErrorKind::Model, "no feature column '{}'", column);
  }
  return static_cast<std::size_t>(it - data.columns.begin());
}

// The level index of each row of a categorical feature (levels.size() for none of them).
std::vector<std::uint32_t> level_codes(const Dataset& data, const std::string& feature,
                                       const std::vector<std::string>& levels) {
  std::vector<std::uint32_t> codes(data.rows(), static_cast<std::uint32_t>(levels.size()));
  for (std::size_t l = 0; l < levels.size(); ++l) {
    const std::size_t col = column_of(data, feature + "=" + levels[l]);
    for (std::size_t i = 0; i < data.rows(); ++i) {
      if (data.x[i * data.cols() + col] > 0.5f) {
        codes[i] = static_cast<std::uint32_t>(l);
      }
    }
  }
  return codes;
}

double mean_of(const std::vector<float>& y) {
  double sum = 0;
  for (float v : y) {
    sum += v;
  }
  return y.empty() ? kNaN : sum / static_cast<double>(y.size());
}

}  // namespace

std::vector<double> single_feature_scores(const Dataset& train, const Dataset& data,
                                          const FeatureSpec& spec, const std::string& feature,
                                          std::string* direction) {
  const std::vector<std::string>* levels = nullptr;
  if (is_categorical(spec, feature, &levels)) {
    const auto train_codes = level_codes(train, feature, *levels);
    std::vector<double> sum(levels->size() + 1, 0.0);
    std::vector<double> count(levels->size() + 1, 0.0);
    for (std::size_t i = 0; i < train.rows(); ++i) {
      sum[train_codes[i]] += train.y[i];
      count[train_codes[i]] += 1;
    }
    const double overall = mean_of(train.y);
    std::vector<double> rate(levels->size() + 1, overall);
    for (std::size_t l = 0; l < rate.size(); ++l) {
      if (count[l] > 0) {
        rate[l] = sum[l] / count[l];
      }
    }
    std::vector<double> out(data.rows());
    const auto codes = level_codes(data, feature, *levels);
    for (std::size_t i = 0; i < data.rows(); ++i) {
      out[i] = rate[codes[i]];
    }
    if (direction != nullptr) {
      *direction = "each level scored by its cancellation rate in the training rows";
    }
    return out;
  }
  const auto values = [&](const Dataset& d, double sign) {
    const std::size_t col = column_of(d, feature);
    std::vector<double> out(d.rows());
    for (std::size_t i = 0; i < d.rows(); ++i) {
      const double v = d.x[i * d.cols() + col];
      out[i] = std::isnan(v) ? -std::numeric_limits<double>::infinity() : sign * v;
    }
    return out;
  };
  const double train_auc = RankedScores(values(train, 1)).auc(train.y, {});
  const double sign = !std::isnan(train_auc) && train_auc < 0.5 ? -1.0 : 1.0;
  if (direction != nullptr) {
    *direction = sign > 0 ? "higher values riskier" : "lower values riskier";
  }
  return values(data, sign);
}

std::vector<std::uint32_t> feature_strata(const Dataset& data, const FeatureSpec& spec,
                                          const std::string& feature,
                                          std::vector<std::string>& names) {
  names.clear();
  const std::vector<std::string>* levels = nullptr;
  if (is_categorical(spec, feature, &levels)) {
    names = *levels;
    names.push_back("other");
    return level_codes(data, feature, *levels);
  }
  const std::size_t col = column_of(data, feature);
  std::vector<double> present;
  for (std::size_t i = 0; i < data.rows(); ++i) {
    const double v = data.x[i * data.cols() + col];
    if (!std::isnan(v)) {
      present.push_back(v);
    }
  }
  std::sort(present.begin(), present.end());
  std::vector<double> cuts;  // stratum k holds values in (cuts[k-1], cuts[k]]
  std::vector<double> distinct = present;
  distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
  const bool exact = distinct.size() <= kMaxExactStrata;
  if (exact) {
    cuts = distinct;  // one stratum per value: whole months of tenure, say
  }
  for (int k = 1; k < kStrataBins && !exact && !present.empty(); ++k) {
    const double q = present[static_cast<std::size_t>(k * (present.size() - 1) / kStrataBins)];
    if (cuts.empty() || q > cuts.back()) {
      cuts.push_back(q);
    }
  }
  if (!present.empty() && (cuts.empty() || present.back() > cuts.back())) {
    cuts.push_back(present.back());
  }
  const auto missing = static_cast<std::uint32_t>(cuts.size());
  std::vector<std::uint32_t> strata(data.rows(), missing);
  std::vector<double> low(cuts.size(), std::numeric_limits<double>::infinity());
  std::vector<double> high(cuts.size(), -std::numeric_limits<double>::infinity());
  for (std::size_t i = 0; i < data.rows(); ++i) {
    const double v = data.x[i * data.cols() + col];
    if (std::isnan(v)) {
      continue;
    }
    const auto k = static_cast<std::size_t>(std::lower_bound(cuts.begin(), cuts.end(), v) -
                                            cuts.begin());
    strata[i] = static_cast<std::uint32_t>(k);
    low[k] = std::min(low[k], v);
    high[k] = std::max(high[k], v);
  }
  for (std::size_t k = 0; k < cuts.size(); ++k) {
    names.push_back(low[k] == high[k] ? fmt::format("{:g}", low[k])
                                      : fmt::format("{:g} .. {:g}", low[k], high[k]));
  }
  names.push_back("missing");
  return strata;
}

namespace {

nlohmann::json calibration_figures(const std::vector<float>& y, const std::vector<double>& p,
                                   int resamples, std::uint64_t seed) {
  const double base = mean_of(y);
  const double brier = brier_score(y, p);
  const double reference = base * (1 - base);  // the Brier score of always predicting base
  const Calibrator fit = Calibrator::fit(Calibrator::Method::Platt, p, y);
  const double ece = expected_calibration_error(y, p, 10, BinStrategy::Quantile);
  std::vector<double> slopes;
  std::mt19937_64 rng(seed ^ 0xCA11B7ULL);
  std::vector<float> yy(y.size());
  std::vector<double> pp(p.size());
  for (int r = 0; r < resamples && !y.empty(); ++r) {
    for (std::size_t i = 0; i < y.size(); ++i) {
      const std::size_t j = rng() % y.size();
      yy[i] = y[j];
      pp[i] = p[j];
    }
    slopes.push_back(Calibrator::fit(Calibrator::Method::Platt, pp, yy).platt_slope());
  }
  return {{"base_rate", number(base)},
          {"brier", number(brier)},
          {"brier_skill_score", number(reference > 0 ? 1 - brier / reference : kNaN)},
          {"slope", number(fit.platt_slope())},
          {"slope_ci", interval(percentile_interval(slopes))},
          {"intercept", number(fit.platt_intercept())},
          {"ece", number(ece)},
          {"ece_over_base_rate", number(base > 0 ? ece / base : kNaN)},
          {"note",
           "brier_skill_score: 1 - Brier / Brier of the constant base rate (0: no better than "
           "the constant); slope and intercept: logistic regression of the outcome on the "
           "logit of the probability (1 and 0 when calibrated)"}};
}

}  // namespace

nlohmann::json diagnostics(const DiagnosticsInput& in) {
  const Dataset& test = *in.test;
  const std::vector<float>& y = test.y;
  if (in.importance.empty() || in.model.size() != test.rows()) {
    core::fail(core::ErrorKind::Model,
               "diagnostics need the importance and one probability per test row");
  }
  double total_importance = 0;
  for (const auto& [name, value] : in.importance) {
    total_importance += value;
  }
  nlohmann::json singles = nlohmann::json::array();
  std::vector<double> dominant_scores;
  for (std::size_t k = 0; k < std::min(kSingleFeatures, in.importance.size()); ++k) {
    const std::string& feature = in.importance[k].first;
    std::string direction;
    auto scores = single_feature_scores(*in.train, test, *in.spec, feature, &direction);
    singles.push_back({{"feature", feature},
                       {"mean_abs_contribution", in.importance[k].second},
                       {"auc", number(RankedScores(scores).auc(y, {}))},
                       {"direction", direction}});
    if (k == 0) {
      dominant_scores = std::move(scores);
    }
  }
  const std::string dominant = in.importance[0].first;
  std::vector<std::string> stratum_names;
  const auto strata = feature_strata(test, *in.spec, dominant, stratum_names);
  std::vector<std::vector<std::uint32_t>> stratum_rows(stratum_names.size());
  for (std::size_t i = 0; i < strata.size(); ++i) {
    stratum_rows[strata[i]].push_back(static_cast<std::uint32_t>(i));
  }
  std::vector<RankedScores> by_stratum;
  nlohmann::json strata_json = nlohmann::json::array();
  for (std::size_t k = 0; k < stratum_rows.size(); ++k) {
    if (stratum_rows[k].empty()) {
      continue;
    }
    by_stratum.emplace_back(in.model, stratum_rows[k]);
    double positives = 0;
    for (const auto r : stratum_rows[k]) {
      positives += y[r];
    }
    strata_json.push_back({{"stratum", stratum_names[k]},
                           {"rows", stratum_rows[k].size()},
                           {"positives", static_cast<std::int64_t>(positives)},
                           {"auc", number(by_stratum.back().auc(y, {}))}});
  }

  const RankedScores model(in.model);
  const RankedScores single(dominant_scores);
  std::vector<RankedScores> baselines;
  for (const auto& [name, p] : in.baselines) {
    if (p.size() != test.rows()) {
      core::fail(core::ErrorKind::Model, "baseline {} has {} predictions for {} test rows", name,
                 p.size(), test.rows());
    }
    baselines.emplace_back(p);
  }
  // Paired bootstrap: every statistic on the same resampled rows.
  std::vector<double> added_draws;
  std::vector<double> stratified_draws;
  std::vector<std::vector<double>> difference_draws(baselines.size());
  std::mt19937_64 rng(in.seed ^ 0x5DEECE66DULL);
  std::vector<std::uint32_t> weight(test.rows());
  for (int r = 0; r < in.resamples && test.rows() > 0; ++r) {
    std::fill(weight.begin(), weight.end(), 0);
    for (std::size_t i = 0; i < test.rows(); ++i) {
      ++weight[rng() % test.rows()];
    }
    const double m = model.auc(y, weight);
    added_draws.push_back(m - single.auc(y, weight));
    stratified_draws.push_back(pooled_auc(by_stratum, y, weight));
    for (std::size_t b = 0; b < baselines.size(); ++b) {
      difference_draws[b].push_back(m - baselines[b].auc(y, weight));
    }
  }
  const double model_auc = model.auc(y, {});
  const double single_auc = single.auc(y, {});
  const double share = total_importance > 0 ? in.importance[0].second / total_importance : kNaN;
  const Interval added_ci = percentile_interval(added_draws);
  nlohmann::json comparisons = nlohmann::json::object();
  for (std::size_t b = 0; b < baselines.size(); ++b) {
    const double base_auc = baselines[b].auc(y, {});
    comparisons[in.baselines[b].first] = {
        {"baseline_auc", number(base_auc)},
        {"auc_difference", number(model_auc - base_auc)},
        {"auc_difference_ci", interval(percentile_interval(difference_draws[b]))}};
  }
  const bool one_feature = !(added_ci.low > 0) || share >= kOneFeatureShare;
  return {
      {"model_auc", number(model_auc)},
      {"single_feature_auc", singles},
      {"dominant_feature",
       {{"name", dominant},
        {"importance_share", number(share)},
        {"single_auc", number(single_auc)},
        {"added_auc", number(model_auc - single_auc)},
        {"added_auc_ci", interval(added_ci)}}},
      {"stratified_auc",
       {{"feature", dominant},
        {"auc", number(pooled_auc(by_stratum, y, {}))},
        {"auc_ci", interval(percentile_interval(stratified_draws))},
        {"strata", strata_json},
        {"note",
         "the model's AUC over pairs of members in the same stratum of the dominant feature "
         "(each stratum's AUC weighted by its positive x negative pairs): what the model knows "
         "beyond that feature; 0.5 means nothing"}}},
      {"comparisons", comparisons},
      {"calibration", calibration_figures(y, in.model, in.resamples, in.seed)},
      {"one_feature_model", one_feature},
      {"one_feature_rule", kOneFeatureRule},
      {"resamples", in.resamples}};
}

}  // namespace aa::model
