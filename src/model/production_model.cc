#include "model/production_model.h"

#include "core/app_error.h"
#include "core/progress.h"
#include "model/metrics.h"

namespace aa::model {

namespace {

nlohmann::json expected_from_backtest(const nlohmann::json& backtest) {
  const auto& oot = backtest.at("out_of_time");
  const auto& top = oot.at("top_10pct");
  return {{"source", "backtest"},
          {"cutoff", backtest.at("cutoffs").at("test").back()},
          {"roc_auc", oot.at("roc_auc")},
          {"roc_auc_ci", oot.at("roc_auc_ci")},
          {"pr_auc", oot.at("pr_auc")},
          {"lift_top10", top.at("lift")},
          {"lift_top10_ci", top.at("lift_ci")},
          {"precision_top10", top.at("precision")},
          {"base_rate", oot.at("base_rate")},
          {"n", oot.value("n", nlohmann::json())}};
}

// Rank figures of the trees' scores on the calibration cutoff (none of its rows trained them).
nlohmann::json expected_from_calibration(const ChurnModel& model, const Dataset& calibration,
                                         int cutoff, const BacktestSettings& settings) {
  const nlohmann::json r = metrics_report(calibration.y, model.raw_scores(calibration),
                                          settings.bootstrap_resamples, settings.seed);
  const auto& top = r.at("top_10pct");
  return {{"source", "calibration_cutoff"},     {"cutoff", month_label(cutoff)},
          {"roc_auc", r.at("roc_auc")},         {"roc_auc_ci", r.at("roc_auc_ci")},
          {"pr_auc", r.at("pr_auc")},           {"lift_top10", top.at("lift")},
          {"lift_top10_ci", top.at("lift_ci")}, {"precision_top10", top.at("precision")},
          {"base_rate", r.at("base_rate")},     {"n", r.at("n")}};
}

// The drift bins, on the members of the data's last month (what the model scores first).
DriftReference drift_reference(duck::Connection& connection, const ChurnModel& model, int last) {
  const Dataset reference =
      load_dataset(connection, model.spec(), {{last}, Target::Cancellation, false});
  if (reference.rows() == 0) {
    core::fail(core::ErrorKind::InvalidInput, "no members to score at {}: nothing to bin for drift",
               month_label(last));
  }
  const auto importance =
      feature_importance(model.spec(), model.contributions(reference), reference.rows());
  return DriftReference::fit(model.spec(), reference, model.predict_proba(reference), importance,
                             month_label(last));
}

}  // namespace

ProductionModel train_production_model(duck::Connection& connection, int first_cutoff, int last,
                                       const BacktestSettings& settings,
                                       const nlohmann::json& backtest) {
  if (last - 7 < first_cutoff) {
    core::fail(
        core::ErrorKind::InvalidInput,
        "the activity data runs to {}: the production model needs a training cutoff at {} (the "
        "third month of data) or later whose six-month label closes before its calibration "
        "cutoff, so at least 10 months of data",
        month_label(last), month_label(first_cutoff));
  }
  const ProtocolSplit production = protocol_split(first_cutoff, last);
  SnapshotFilter train_filter{production.train, Target::Cancellation, true};
  FeatureSpec spec = feature_spec_for(settings);
  learn_levels(connection, spec, train_filter);
  const Dataset train = load_dataset(connection, spec, train_filter);
  const Dataset calibration =
      load_dataset(connection, spec, {{production.calibration}, Target::Cancellation, true});
  ChurnModel model =
      ChurnModel::fit(spec, train, calibration, settings.params, settings.calibration);
  double base_rate = 0;
  for (float y : calibration.y) {
    base_rate += y;
  }
  base_rate /= static_cast<double>(calibration.rows());
  model.set_extra("trained_on",
                  {{"train", nlohmann::json::array({month_label(production.train.front()),
                                                    month_label(production.train.back())})},
                   {"calibration", month_label(production.calibration)},
                   {"n_train", train.rows()},
                   {"n_calibration", calibration.rows()},
                   {"calibration_base_rate", base_rate}});
  model.set_extra("scores_month", month_label(last));
  nlohmann::json expected =
      backtest.is_object() && backtest.contains("out_of_time")
          ? expected_from_backtest(backtest)
          : expected_from_calibration(model, calibration, production.calibration, settings);
  core::say("train", "expected out of time ({} {}): ROC AUC {:.3f}, top-10% lift {:.2f}",
            expected["source"].get<std::string>(), expected["cutoff"].get<std::string>(),
            expected["roc_auc"].get<double>(), expected["lift_top10"].get<double>());
  DriftReference drift = drift_reference(connection, model, last);
  return {std::move(model), base_rate, std::move(expected), std::move(drift)};
}

}  // namespace aa::model
