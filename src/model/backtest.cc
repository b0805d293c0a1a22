#include "model/backtest.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <random>

#include "core/app_error.h"
#include "core/progress.h"
#include "model/logistic_regression.h"
#include "model/diagnostics.h"
#include "model/snapshot_comparison.h"
#include "model/metrics.h"
#include "model/reasons.h"

namespace aa::model {

ProtocolSplit protocol_split(int first_cutoff, int test) {
  ProtocolSplit split;
  split.test = test;
  split.calibration = test - 6;
  for (int c = first_cutoff; c <= test - 7; ++c) {
    split.train.push_back(c);
  }
  if (split.train.empty()) {
    core::fail(
        core::ErrorKind::InvalidInput,
        "evaluation cutoff {} leaves no training cutoff: the activity data must cover at least "
        "{} months before it",
        month_label(test), test - first_cutoff);
  }
  return split;
}

namespace {

nlohmann::json labels_of(const std::vector<int>& cutoffs) {
  nlohmann::json out = nlohmann::json::array();
  for (int c : cutoffs) {
    out.push_back(month_label(c));
  }
  return out;
}

SnapshotFilter filter_for(Target target, std::vector<int> cutoffs) {
  SnapshotFilter f;
  f.cutoffs = std::move(cutoffs);
  f.target = target;
  f.labelled = true;
  return f;
}

nlohmann::json report(const Dataset& test, const std::vector<double>& p,
                      const BacktestSettings& s) {
  return metrics_report(test.y, p, s.bootstrap_resamples, s.seed);
}

}  // namespace

SplitData load_split(duck::Connection& connection, Target target, const ProtocolSplit& split,
                     FeatureSpec spec) {
  learn_levels(connection, spec, filter_for(target, split.train));
  SplitData d{spec, {}, {}, {}};
  d.train = load_dataset(connection, spec, filter_for(target, split.train));
  d.calibration = load_dataset(connection, spec, filter_for(target, {split.calibration}));
  d.test = load_dataset(connection, spec, filter_for(target, {split.test}));
  if (d.train.rows() == 0 || d.calibration.rows() == 0 || d.test.rows() == 0) {
    core::fail(core::ErrorKind::InvalidInput, "no {} rows at some cutoff of the split ending {}",
               to_string(target), month_label(split.test));
  }
  return d;
}

std::vector<std::pair<std::string, double>> feature_importance(
    const FeatureSpec& spec, const std::vector<float>& contributions, std::size_t rows) {
  const SourceIndex index(spec);
  std::vector<double> total(index.names().size(), 0.0);
  std::vector<double> row;
  for (std::size_t i = 0; i < rows; ++i) {
    index.contributions(contributions, rows, i, row);
    for (std::size_t k = 0; k < row.size(); ++k) {
      total[k] += std::abs(row[k]);
    }
  }
  std::vector<std::pair<std::string, double>> out;
  for (std::size_t k = 0; k < total.size(); ++k) {
    out.emplace_back(index.names()[k],
                     total[k] / static_cast<double>(std::max<std::size_t>(1, rows)));
  }
  // Largest first; ties by name.
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  });
  return out;
}

nlohmann::json feature_importance(const ChurnModel& model, const Dataset& data) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& [name, mean] :
       feature_importance(model.spec(), model.contributions(data), data.rows())) {
    out.push_back({{"feature", name}, {"mean_abs_contribution", mean}});
  }
  return out;
}

FeatureSpec feature_spec_for(const BacktestSettings& settings) {
  FeatureSpec spec = churn_feature_spec();
  if (!settings.history_months) {
    spec.numeric.erase(std::remove(spec.numeric.begin(), spec.numeric.end(), "history_months"),
                       spec.numeric.end());
  }
  return spec;
}

namespace {

// A model on one feature: the booster and calibration of ours, on `feature` alone.
std::vector<double> one_feature_baseline(duck::Connection& connection, Target target,
                                         const ProtocolSplit& split,
                                         const BacktestSettings& settings,
                                         const std::string& feature) {
  FeatureSpec spec;
  spec.numeric = {feature};
  const SplitData d = load_split(connection, target, split, spec);
  const ChurnModel model =
      ChurnModel::fit(d.spec, d.train, d.calibration, settings.params, settings.calibration);
  return model.predict_proba(d.test);
}

// The test rows' first reasons, from the contributions the importance used.
std::vector<std::string> first_reasons(const Dataset& test, const FeatureSpec& spec,
                                       const std::vector<float>& contributions) {
  const SourceIndex index(spec);
  std::vector<std::string> out(test.rows());
  std::vector<double> by_source;
  for (std::size_t i = 0; i < test.rows(); ++i) {
    index.contributions(contributions, test.rows(), i, by_source);
    const auto reasons = index.top_reasons(test, spec, by_source, i, 1);
    if (!reasons.empty()) {
      out[i] = reasons.front().feature;
    }
  }
  return out;
}

}  // namespace

nlohmann::json evaluate_split(duck::Connection& connection, Target target,
                              const ProtocolSplit& split, const BacktestSettings& settings,
                              bool diagnose, BacktestRows* rows) {
  const SplitData d = load_split(connection, target, split, feature_spec_for(settings));
  const ChurnModel model =
      ChurnModel::fit(d.spec, d.train, d.calibration, settings.params, settings.calibration);
  const auto p = model.predict_proba(d.test);
  nlohmann::json out = report(d.test, p, settings);
  const auto raw = model.raw_scores(d.test);
  out["uncalibrated"] = {
      {"brier", brier_score(d.test.y, raw)},
      {"ece", expected_calibration_error(d.test.y, raw, 10, BinStrategy::Quantile)}};
  out["rounds"] = model.rounds();
  const auto contributions = model.contributions(d.test);
  const auto importance = feature_importance(d.spec, contributions, d.test.rows());
  out["feature_importance"] = nlohmann::json::array();
  for (const auto& [name, mean] : importance) {
    out["feature_importance"].push_back({{"feature", name}, {"mean_abs_contribution", mean}});
  }
  out["curves"] = curves_report(d.test.y, p);

  std::vector<std::pair<std::string, std::vector<double>>> test_scores;
  nlohmann::json baselines;
  {  // Recency only: the months since the last flight. A count of months is no probability,
     // so it is calibrated by isotonic regression, the monotone map from months to a rate.
    const auto cal =
        Calibrator::fit(Calibrator::Method::Isotonic,
                        d.calibration.column("months_since_last_flight"), d.calibration.y);
    test_scores.emplace_back("recency_rule",
                             cal.apply(d.test.column("months_since_last_flight")));
  }
  {  // Our logistic regression on the same features.
    const auto lr = LogisticRegression::fit(d.train.x, d.train.rows(), d.train.cols(), d.train.y);
    const auto cal =
        Calibrator::fit(settings.calibration,
                        lr.predict_proba(d.calibration.x, d.calibration.rows()), d.calibration.y);
    test_scores.emplace_back("logistic_regression",
                             cal.apply(lr.predict_proba(d.test.x, d.test.rows())));
  }
  {  // The reference recipe: its features and hyper-parameters, under this protocol.
    const SplitData r = load_split(connection, target, split, reference_feature_spec());
    const ChurnModel ref =
        ChurnModel::fit(r.spec, r.train, r.calibration, reference_params(), settings.calibration);
    test_scores.emplace_back("reference_recipe", ref.predict_proba(r.test));
  }
  if (diagnose) {  // Tenure alone, in whatever shape the trees find (a cliff included).
    test_scores.emplace_back(
        "tenure_only", one_feature_baseline(connection, target, split, settings, "tenure_months"));
  }
  for (const auto& [name, scores] : test_scores) {
    baselines[name] = report(d.test, scores, settings);
  }
  out["baselines"] = baselines;
  if (diagnose) {
    DiagnosticsInput in;
    in.train = &d.train;
    in.test = &d.test;
    in.spec = &d.spec;
    in.model = p;
    in.baselines = test_scores;
    in.importance = importance;
    in.resamples = settings.bootstrap_resamples;
    in.seed = settings.seed;
    out["diagnostics"] = diagnostics(in);
    out["snapshot_comparison"] = snapshot_comparison(
        d.test, d.spec, out["diagnostics"]["dominant_feature"]["name"].get<std::string>());
  }
  if (rows != nullptr) {
    rows->cutoff = split.test;
    rows->member = d.test.member;
    rows->label = d.test.y;
    rows->probability = p;
    rows->reason_feature = first_reasons(d.test, d.spec, contributions);
  }
  out["cutoffs"] = {{"train", labels_of(split.train)},
                    {"calibration", month_label(split.calibration)},
                    {"test", month_label(split.test)}};
  out["n_train"] = d.train.rows();
  out["n_calibration"] = d.calibration.rows();
  out["n_test"] = d.test.rows();
  return out;
}

nlohmann::json leaky_reference_protocol(duck::Connection& connection,
                                        const BacktestSettings& settings) {
  connection.execute(
      "create or replace temp table leaky_population as select loyalty_number, "
      "0 as cutoff_month_index, "
      "case when is_cancelled or recency >= 3 then 1 else 0 end as churn_label, "
      "frequency as ref_frequency, monetary as ref_monetary, tenure_months, clv, "
      "province, city, gender, education, loyalty_card from customer_features");
  FeatureSpec spec = reference_feature_spec();
  learn_levels(connection, spec, "leaky_population", "true");
  const Dataset all = load_matrix(connection, spec, "leaky_population", "churn_label", "true");
  // Stratified random 70/30 split, as train_test_split(test_size=0.3, stratify=y) does.
  std::vector<std::size_t> pos;
  std::vector<std::size_t> neg;
  for (std::size_t i = 0; i < all.rows(); ++i) {
    (all.y[i] > 0.5 ? pos : neg).push_back(i);
  }
  std::mt19937_64 rng(settings.seed);
  std::vector<std::size_t> train_rows;
  std::vector<std::size_t> test_rows;
  for (auto* group : {&pos, &neg}) {
    std::shuffle(group->begin(), group->end(), rng);
    const auto n_test =
        static_cast<std::size_t>(std::llround(0.3 * static_cast<double>(group->size())));
    test_rows.insert(test_rows.end(), group->begin(),
                     group->begin() + static_cast<std::ptrdiff_t>(n_test));
    train_rows.insert(train_rows.end(), group->begin() + static_cast<std::ptrdiff_t>(n_test),
                      group->end());
  }
  std::sort(train_rows.begin(), train_rows.end());
  std::sort(test_rows.begin(), test_rows.end());
  const Dataset train = all.subset(train_rows);
  const Dataset test = all.subset(test_rows);
  const FittedBooster fitted = fit_booster(train, reference_params());
  const auto p = booster_scores(fitted.booster, test);
  nlohmann::json out = metrics_report(test.y, p, settings.bootstrap_resamples, settings.seed);
  out["leaky"] = true;
  out["label"] = "is_cancelled OR recency >= 3 (end of data)";
  out["split"] = "random stratified 70/30, seed " + std::to_string(settings.seed);
  out["why_leaky"] =
      "recency and the features are measured over the same window in which members cancel; "
      "the months after a cancellation are all-zero rows, so low recent activity encodes the "
      "label; a random split mixes time";
  out["n_train"] = train.rows();
  out["n_test"] = test.rows();
  return out;
}

}  // namespace aa::model
