#include "model/backtest.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <random>

#include "core/app_error.h"
#include "core/progress.h"
#include "model/logistic_regression.h"
#include "model/metrics.h"

namespace aa {

ProtocolSplit protocol_split(int first_cutoff, int test) {
  ProtocolSplit split;
  split.test = test;
  split.calibration = test - 6;
  for (int c = first_cutoff; c <= test - 7; ++c) {
    split.train.push_back(c);
  }
  if (split.train.empty()) {
    fail(ErrorKind::InvalidInput,
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

struct SplitData {
  FeatureSpec spec;
  Dataset train, calibration, test;
};

SplitData load_split(duck::Connection& connection, Target target, const ProtocolSplit& split,
                     FeatureSpec spec) {
  learn_levels(connection, spec, filter_for(target, split.train));
  SplitData d{spec, {}, {}, {}};
  d.train = load_dataset(connection, spec, filter_for(target, split.train));
  d.calibration = load_dataset(connection, spec, filter_for(target, {split.calibration}));
  d.test = load_dataset(connection, spec, filter_for(target, {split.test}));
  if (d.train.rows() == 0 || d.calibration.rows() == 0 || d.test.rows() == 0) {
    fail(ErrorKind::InvalidInput, "no {} rows at some cutoff of the split ending {}",
         to_string(target), month_label(split.test));
  }
  return d;
}

nlohmann::json report(const Dataset& test, const std::vector<double>& p,
                      const BacktestSettings& s) {
  return metrics_report(test.y, p, s.bootstrap_resamples, s.seed);
}

}  // namespace

nlohmann::json feature_importance(const ChurnModel& model, const Dataset& data) {
  const auto contributions = model.contributions(data);
  const auto sources = model.spec().sources();
  const std::size_t width = sources.size() + 1;
  std::map<std::string, double> total;
  for (std::size_t i = 0; i < data.rows(); ++i) {
    std::map<std::string, double> row;
    for (std::size_t j = 0; j < sources.size(); ++j) {
      row[sources[j]] += contributions[i * width + j];
    }
    for (const auto& [name, c] : row) {
      total[name] += std::abs(c);
    }
  }
  std::vector<std::pair<std::string, double>> sorted(total.begin(), total.end());
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  nlohmann::json out = nlohmann::json::array();
  for (const auto& [name, sum] : sorted) {
    out.push_back({{"feature", name},
                   {"mean_abs_contribution",
                    sum / static_cast<double>(std::max<std::size_t>(1, data.rows()))}});
  }
  return out;
}

nlohmann::json evaluate_split(duck::Connection& connection, Target target,
                              const ProtocolSplit& split, const BacktestSettings& settings) {
  const SplitData d = load_split(connection, target, split, churn_feature_spec());
  const ChurnModel model =
      ChurnModel::fit(d.spec, d.train, d.calibration, settings.params, settings.calibration);
  const auto p = model.predict_proba(d.test);
  nlohmann::json out = report(d.test, p, settings);
  const auto raw = model.raw_scores(d.test);
  out["uncalibrated"] = {
      {"brier", brier_score(d.test.y, raw)},
      {"ece", expected_calibration_error(d.test.y, raw, 10, BinStrategy::Quantile)}};
  out["rounds"] = model.rounds();
  out["feature_importance"] = feature_importance(model, d.test);
  out["curves"] = curves_report(d.test.y, p);

  nlohmann::json baselines;
  {  // Recency only: the months since the last flight. A count of months is no probability,
     // so it is calibrated by isotonic regression, the monotone map from months to a rate.
    const auto cal =
        Calibrator::fit(Calibrator::Method::Isotonic,
                        d.calibration.column("months_since_last_flight"), d.calibration.y);
    baselines["recency_rule"] =
        report(d.test, cal.apply(d.test.column("months_since_last_flight")), settings);
  }
  {  // Our logistic regression on the same features.
    const auto lr = LogisticRegression::fit(d.train.x, d.train.rows(), d.train.cols(), d.train.y);
    const auto cal =
        Calibrator::fit(settings.calibration,
                        lr.predict_proba(d.calibration.x, d.calibration.rows()), d.calibration.y);
    baselines["logistic_regression"] =
        report(d.test, cal.apply(lr.predict_proba(d.test.x, d.test.rows())), settings);
  }
  {  // The reference recipe: its features and hyper-parameters, under this protocol.
    const SplitData r = load_split(connection, target, split, reference_feature_spec());
    const ChurnModel ref =
        ChurnModel::fit(r.spec, r.train, r.calibration, reference_params(), settings.calibration);
    baselines["reference_recipe"] = report(r.test, ref.predict_proba(r.test), settings);
  }
  out["baselines"] = baselines;
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

}  // namespace aa
