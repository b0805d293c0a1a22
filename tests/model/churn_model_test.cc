// XGBoost wrapper, the churn model and its reasons on small synthetic matrices.
#include "model/churn_model.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>

#include "model/metrics.h"
#include "model/path_contributions.h"
#include "model/reasons.h"
#include "model/score_stage.h"
#include "support/test_support.h"

namespace aa {
namespace {

// Rows whose label depends on column 0 (months since the last flight) and a card level.
model::Dataset synthetic(std::size_t rows, std::uint64_t seed,
                         model::FeatureSpec* spec_out = nullptr) {
  model::FeatureSpec spec;
  spec.numeric = {"months_since_last_flight", "flights_3m", "tenure_months"};
  spec.categorical = {{"loyalty_card", {"Aurora", "Nova", "Star"}}};
  if (spec_out != nullptr) {
    *spec_out = spec;
  }
  model::Dataset d;
  d.columns = spec.columns();
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(0, 1);
  for (std::size_t i = 0; i < rows; ++i) {
    const double months = std::floor(u(rng) * 12);
    const double flights = std::floor(u(rng) * 10);
    const double tenure = std::floor(u(rng) * 60);
    const int card = static_cast<int>(u(rng) * 3);
    const double z = -3 + 0.35 * months + (card == 0 ? 0.8 : 0.0);
    const float label = u(rng) < 1 / (1 + std::exp(-z)) ? 1.0f : 0.0f;
    d.x.insert(d.x.end(),
               {static_cast<float>(months), static_cast<float>(flights), static_cast<float>(tenure),
                card == 0 ? 1.0f : 0.0f, card == 1 ? 1.0f : 0.0f, card == 2 ? 1.0f : 0.0f});
    d.y.push_back(label);
    d.member.push_back(static_cast<std::int64_t>(100000 + i));
    d.cutoff.push_back(0);
  }
  return d;
}

model::BoosterParams quick_params() {
  model::BoosterParams p;
  p.max_rounds = 200;
  p.early_stopping_rounds = 20;
  p.threads = 2;
  return p;
}

TEST(Xgb, TrainsEarlyStopsAndRanksWell) {
  const model::Dataset train = synthetic(4000, 1);
  const model::Dataset test = synthetic(2000, 2);
  const model::FittedBooster fitted = model::fit_booster(train, quick_params());
  EXPECT_GT(fitted.rounds, 5);
  EXPECT_LT(fitted.rounds, 200);
  EXPECT_EQ(fitted.booster.boosted_rounds(), fitted.rounds);
  EXPECT_GT(fitted.validation_rows, 600u);
  EXPECT_LT(fitted.validation_rows, 1000u);
  EXPECT_EQ(fitted.train_rows + fitted.validation_rows, train.rows());
  EXPECT_GT(model::roc_auc(test.y, model::booster_scores(fitted.booster, test)), 0.75);
}

TEST(Xgb, ValidationMembersAreAStableShare) {
  int in = 0;
  for (std::int64_t m = 0; m < 10000; ++m) {
    in += model::in_validation(m, 42, 0.2) ? 1 : 0;
    EXPECT_EQ(model::in_validation(m, 42, 0.2), model::in_validation(m, 42, 0.2));
  }
  EXPECT_NEAR(in, 2000, 150);
}

TEST(Xgb, SaveLoadSaveRoundTripsAndPredictsTheSame) {
  const model::Dataset train = synthetic(1500, 3);
  const model::FittedBooster fitted = model::fit_booster(train, quick_params());
  test::TempDir dir;
  fitted.booster.save(dir / "m.json");
  const auto loaded = xgb::Booster::load(dir / "m.json");
  EXPECT_EQ(loaded.to_json(), fitted.booster.to_json());
  loaded.save(dir / "m2.json");
  EXPECT_EQ(test::read_text(dir / "m.json"), test::read_text(dir / "m2.json"));
  EXPECT_EQ(model::booster_scores(loaded, train), model::booster_scores(fitted.booster, train));
  EXPECT_APP_ERROR(xgb::Booster::load(dir / "missing.json"), core::ErrorKind::NotFound,
                   "model file '" + (dir / "missing.json").string() + "' does not exist");
  test::write_text(dir / "bad.json", "{not a model");
  EXPECT_APP_ERROR_CONTAINS(xgb::Booster::load(dir / "bad.json"), core::ErrorKind::Model,
                            "xgboost: cannot load '" + (dir / "bad.json").string() + "': ");
}

// Exact (TreeSHAP) and approximate (Saabas) contributions both sum to each row's margin, and
// they are different attributions.
TEST(Xgb, ContributionsSumToTheMargin) {
  const model::Dataset train = synthetic(1500, 4);
  const model::FittedBooster fitted = model::fit_booster(train, quick_params());
  const xgb::DMatrix m(train.x, train.rows(), train.cols());
  const auto p = fitted.booster.predict(m);
  const std::size_t width = train.cols() + 1;
  const auto exact = fitted.booster.contributions(m);
  const auto approximate = fitted.booster.contributions(m, true);
  for (const auto* contributions : {&exact, &approximate}) {
    ASSERT_EQ(contributions->size(), train.rows() * width);
    for (std::size_t i = 0; i < 50; ++i) {
      double margin = 0;
      for (std::size_t j = 0; j < width; ++j) {
        margin += (*contributions)[i * width + j];
      }
      EXPECT_NEAR(1 / (1 + std::exp(-margin)), p[i], 1e-4);
    }
  }
  EXPECT_NE(exact, approximate);
}

// A one-split tree by hand: root "f0 < 1" (missing goes right), leaves +0.5 (hessian 1) and
// -0.5 (hessian 3); the root's mean is (0.5 * 1 - 0.5 * 3) / 4 = -0.25.
std::vector<std::uint8_t> one_split_model(const std::string& objective, const std::string& base) {
  const nlohmann::json tree = {
      {"left_children", {1, -1, -1}}, {"right_children", {2, -1, -1}},
      {"split_indices", {0, 0, 0}},   {"split_conditions", {1.0, 0.5, -0.5}},
      {"default_left", {0, 0, 0}},    {"sum_hessian", {4.0, 1.0, 3.0}},
      {"split_type", {0, 0, 0}}};
  const nlohmann::json model = {
      {"learner",
       {{"learner_model_param", {{"base_score", base}, {"num_class", "0"}, {"num_feature", "2"}}},
        {"objective", {{"name", objective}}},
        {"gradient_booster",
         {{"name", "gbtree"}, {"model", {{"tree_info", {0}}, {"trees", {tree}}}}}}}}};
  return nlohmann::json::to_ubjson(model);
}

TEST(PathContributions, OneSplitByHand) {
  std::string why;
  const auto walker =
      model::PathContributions::from_model(one_split_model("binary:logistic", "5E-1"), &why);
  ASSERT_TRUE(walker.has_value()) << why;
  EXPECT_EQ(walker->trees(), 1u);
  const float nan = std::numeric_limits<float>::quiet_NaN();
  // Rows: f0 = 0 (left), f0 = 3 (right), f0 missing (right), f0 = 1 (not < 1: right).
  const auto c = walker->compute({0, 7, 3, 7, nan, 7, 1, 7}, 4, 2, 1);
  ASSERT_EQ(c.size(), 12u);
  // Left: f0 gets 0.5 - (-0.25) = 0.75; f1 is never split on; bias -0.25 + logit(0.5) = -0.25.
  EXPECT_EQ(c[0], 0.75f);
  EXPECT_EQ(c[1], 0.0f);
  EXPECT_EQ(c[2], -0.25f);
  for (std::size_t r = 1; r < 4; ++r) {  // right: -0.5 - (-0.25)
    EXPECT_EQ(c[r * 3], -0.25f) << r;
    EXPECT_EQ(c[r * 3 + 2], -0.25f) << r;
  }
  // The base score is in probability space: 0.8 adds logit(0.8) = 1.386... to the bias.
  const auto shifted =
      model::PathContributions::from_model(one_split_model("binary:logistic", "8E-1"), &why);
  ASSERT_TRUE(shifted.has_value()) << why;
  EXPECT_NEAR(shifted->compute({0, 0}, 1, 2)[2], -0.25 + std::log(4.0), 1e-6);
  // What the walk does not implement is said, not guessed.
  EXPECT_FALSE(
      model::PathContributions::from_model(one_split_model("multi:softprob", "5E-1"), &why));
  EXPECT_NE(why.find("multi:softprob"), std::string::npos);
  EXPECT_FALSE(model::PathContributions::from_model({1, 2, 3}, &why));
  EXPECT_APP_ERROR(walker->compute({0, 1, 2}, 1, 3), core::ErrorKind::Model,
                   "contributions: the matrix has 3 columns, the model 2");
}

// On a real model with missing values, the walk equals XGBoost's approximate contributions
// to the bit, on one thread or several; ChurnModel says which code computed them.
TEST(PathContributions, EqualXGBoostToTheBit) {
  model::FeatureSpec spec;
  model::Dataset train = synthetic(3000, 11, &spec);
  for (std::size_t i = 0; i < train.rows(); i += 7) {
    train.x[i * train.cols() + (i % 3)] = std::numeric_limits<float>::quiet_NaN();
  }
  const model::FittedBooster fitted = model::fit_booster(train, quick_params());
  std::string why;
  const auto walker = model::PathContributions::from_model(fitted.booster.to_ubj(), &why);
  ASSERT_TRUE(walker.has_value()) << why;
  EXPECT_EQ(static_cast<int>(walker->trees()), fitted.rounds);
  const xgb::DMatrix m(train.x, train.rows(), train.cols());
  const auto theirs = fitted.booster.contributions(m, true);
  EXPECT_EQ(walker->compute(train.x, train.rows(), train.cols(), 1), theirs);
  EXPECT_EQ(walker->compute(train.x, train.rows(), train.cols(), 2), theirs);
  EXPECT_NE(fitted.booster.contributions(m, false), theirs);  // and not TreeSHAP's

  const model::Dataset calibration = synthetic(1000, 12);
  const auto model = model::ChurnModel::fit(spec, train, calibration, quick_params(),
                                            model::Calibrator::Method::Isotonic);
  std::string engine;
  const auto approximate = model.contributions(train, true, &engine);
  EXPECT_EQ(engine.rfind("tree walk", 0), 0u) << engine;
  EXPECT_NE(engine.find("256 sampled rows"), std::string::npos) << engine;
  EXPECT_EQ(approximate, theirs);  // the same data and seed: the same booster as `fitted`
  EXPECT_NE(model.contributions(train, false, &engine), theirs);
  EXPECT_EQ(engine, "xgboost");
}

// Exact reasons while members x leaves per tree stays within 2,000,000 depth-3 members.
TEST(ScoreReasons, TheExactLimitHalvesPerLevelBeyondDepthThree) {
  EXPECT_EQ(model::exact_reasons_limit(2), 2000000);
  EXPECT_EQ(model::exact_reasons_limit(3), 2000000);
  EXPECT_EQ(model::exact_reasons_limit(4), 1000000);
  EXPECT_EQ(model::exact_reasons_limit(5), 500000);
  EXPECT_EQ(model::exact_reasons_limit(6), 250000);
}

TEST(ChurnModel, SameInputsAndSeedGiveIdenticalPredictions) {
  model::FeatureSpec spec;
  const model::Dataset train = synthetic(3000, 5, &spec);
  const model::Dataset calibration = synthetic(1000, 6);
  const model::Dataset test = synthetic(1000, 7);
  const auto a = model::ChurnModel::fit(spec, train, calibration, quick_params(),
                                        model::Calibrator::Method::Isotonic);
  const auto b = model::ChurnModel::fit(spec, train, calibration, quick_params(),
                                        model::Calibrator::Method::Isotonic);
  EXPECT_EQ(a.predict_proba(test), b.predict_proba(test));
  model::BoosterParams other = quick_params();
  other.seed = 43;
  const auto c =
      model::ChurnModel::fit(spec, train, calibration, other, model::Calibrator::Method::Isotonic);
  EXPECT_NE(c.predict_proba(test), a.predict_proba(test));
}

TEST(ChurnModel, SavesAndLoadsWithCalibrationAndMetadata) {
  model::FeatureSpec spec;
  const model::Dataset train = synthetic(2000, 8, &spec);
  const model::Dataset calibration = synthetic(1000, 9);
  auto model = model::ChurnModel::fit(spec, train, calibration, quick_params(),
                                      model::Calibrator::Method::Platt);
  model.set_extra("risk_tiers", {{"high", 0.2}, {"medium", 0.1}});
  test::TempDir dir;
  model.save(dir.path());
  const auto loaded = model::ChurnModel::load(dir.path());
  EXPECT_EQ(loaded.predict_proba(calibration), model.predict_proba(calibration));
  EXPECT_EQ(loaded.spec().columns(), spec.columns());
  EXPECT_EQ(loaded.calibrator().method(), model::Calibrator::Method::Platt);
  EXPECT_EQ(loaded.extra()["risk_tiers"]["high"], 0.2);
  const auto meta = nlohmann::json::parse(test::read_text(dir / "model_meta.json"));
  EXPECT_EQ(meta["columns"].size(), spec.columns().size());
  EXPECT_EQ(meta["calibration"], "platt");
}

// Every parameter comes back: a reloaded model's metadata() is the saved model's, not the
// default hyper-parameters.
TEST(ChurnModel, LoadRestoresEveryParameterSeenThroughMetadata) {
  model::FeatureSpec spec;
  const model::Dataset train = synthetic(2000, 8, &spec);
  const model::Dataset calibration = synthetic(1000, 9);
  model::BoosterParams params = quick_params();
  params.max_depth = 4;
  params.eta = 0.1;
  params.subsample = 0.7;
  params.colsample_bytree = 0.6;
  params.min_child_weight = 3;
  params.lambda = 2;
  params.scale_pos_weight = 10;
  params.validation_fraction = 0.25;
  params.seed = 7;
  auto model =
      model::ChurnModel::fit(spec, train, calibration, params, model::Calibrator::Method::Platt);
  model.set_extra("model_id", "m1");
  test::TempDir dir;
  model.save(dir.path());
  const auto loaded = model::ChurnModel::load(dir.path());
  const nlohmann::json saved = model.metadata();
  const nlohmann::json reloaded = loaded.metadata();
  EXPECT_EQ(reloaded["params"], saved["params"]);
  EXPECT_NE(reloaded["params"], model::BoosterParams{}.to_json());
  EXPECT_EQ(reloaded["params"]["max_depth"], 4);
  EXPECT_EQ(reloaded["params"]["seed"], 7);
  EXPECT_EQ(reloaded["rounds"], saved["rounds"]);
  ASSERT_TRUE(saved["validation_logloss"].is_number());
  EXPECT_EQ(reloaded["validation_logloss"], saved["validation_logloss"]);
  EXPECT_EQ(reloaded, saved);

  // Without early stopping there is no validation loss: null before and after.
  params.early_stopping_rounds = 0;
  params.max_rounds = 20;
  const auto plain =
      model::ChurnModel::fit(spec, train, calibration, params, model::Calibrator::Method::Platt);
  test::TempDir dir2;
  plain.save(dir2.path());
  const auto plain_loaded = model::ChurnModel::load(dir2.path());
  EXPECT_TRUE(plain_loaded.metadata()["validation_logloss"].is_null());
  EXPECT_EQ(plain_loaded.metadata(), plain.metadata());
}

TEST(Reasons, SumOneHotLevelsAndWordTheMembersOwnValues) {
  model::FeatureSpec spec;
  model::Dataset d = synthetic(3, 10, &spec);
  // Row 0: 7 months without a flight, 0 flights, Aurora card.
  std::copy_n(std::vector<float>{7, 0, 24, 1, 0, 0}.begin(), 6, d.x.begin());
  // Contributions per column + bias: the card's levels sum to 0.5, months 0.9, flights -0.2.
  std::vector<float> contributions(3 * 7, 0.0f);
  const std::vector<float> row0 = {0.9f, -0.2f, 0.1f, 0.3f, 0.1f, 0.1f, -2.0f};
  std::copy(row0.begin(), row0.end(), contributions.begin());
  const auto reasons = top_reasons(d, spec, contributions, 0, 3);
  ASSERT_EQ(reasons.size(), 3u);
  EXPECT_EQ(reasons[0].feature, "months_since_last_flight");
  EXPECT_EQ(reasons[0].text, "No flights in the last 7 months");
  EXPECT_EQ(reasons[1].feature, "loyalty_card");
  EXPECT_NEAR(reasons[1].contribution, 0.5, 1e-6);
  EXPECT_EQ(reasons[1].text, "Aurora card holder");
  EXPECT_EQ(reasons[2].feature, "tenure_months");
  EXPECT_EQ(reasons[2].text,
            "24 months of membership, a tenure at which more members cancel than on average");
  // history_months is context, not a reason, however large its contribution.
  {
    model::FeatureSpec ctx;
    ctx.numeric = {"history_months", "flights_3m"};
    model::Dataset h;
    h.columns = ctx.columns();
    h.x = {12, 0};
    h.y = {0};
    h.member = {1};
    h.cutoff = {0};
    const auto r = top_reasons(h, ctx, {2.0f, 0.5f, -3.0f}, 0, 3);
    ASSERT_EQ(r.size(), 1u);
    EXPECT_EQ(r[0].text, "No flights in the last 3 months");
  }
  // Only risk-raising features become reasons.
  std::vector<float> lowering(3 * 7, -0.1f);
  EXPECT_TRUE(top_reasons(d, spec, lowering, 0, 3).empty());
  // Every reason maps back to a real feature of the model.
  const auto sources = spec.sources();
  for (const auto& r : reasons) {
    EXPECT_NE(std::find(sources.begin(), sources.end(), r.feature), sources.end());
  }
}

TEST(Reasons, OnlyMaterialContributionsAreCitedAndTenureSaysWhatItMeans) {
  model::FeatureSpec spec;
  model::Dataset d = synthetic(3, 10, &spec);
  std::copy_n(std::vector<float>{7, 0, 5, 1, 0, 0}.begin(), 6, d.x.begin());  // tenure 5
  // Months since the last flight raise the log-odds by 0.09: below kMaterialContribution.
  std::vector<float> contributions(3 * 7, 0.0f);
  const std::vector<float> row0 = {0.09f, 0.0f, 0.4f, 0.0f, 0.0f, 0.0f, -2.0f};
  std::copy(row0.begin(), row0.end(), contributions.begin());
  const auto plain = top_reasons(d, spec, contributions, 0, 3);
  ASSERT_EQ(plain.size(), 1u);
  EXPECT_EQ(plain[0].feature, "tenure_months");
  EXPECT_EQ(plain[0].text,
            "5 months of membership, a tenure at which more members cancel than on average");
  // With a month-8 peak in cancellations, months 2-7 are the six months before it.
  const model::SourceIndex index(spec, model::ReasonContext{{8}});
  std::vector<double> by_source;
  index.contributions(contributions, d.rows(), 0, by_source);
  const auto near_peak = index.top_reasons(d, spec, by_source, 0, 3);
  ASSERT_EQ(near_peak.size(), 1u);
  EXPECT_EQ(near_peak[0].text,
            "In months 2-7 of membership, the six months before cancellations here peak (month "
            "8)");
  EXPECT_EQ(model::ReasonContext::from_model({{"tenure_peaks", {8, 20}}}).tenure_peaks,
            (std::vector<int>{8, 20}));
  EXPECT_TRUE(model::ReasonContext::from_model(nlohmann::json::object()).tenure_peaks.empty());
}

TEST(Reasons, DescribesWindowsAndTrends) {
  model::Dataset d;
  d.columns = {"flights_3m",
               "distance_12m",
               "active_months_6m",
               "flights_trend_3v3",
               "months_since_last_flight",
               "points_redeemed_1m",
               "salary_missing"};
  d.x = {1, 12345, 2, -3, 1, 0, 1};
  d.y = {0};
  d.member = {1};
  d.cutoff = {0};
  model::FeatureSpec spec;
  spec.numeric = d.columns;
  EXPECT_EQ(model::describe_feature(d, spec, 0, "flights_3m"), "1 flight in the last 3 months");
  EXPECT_EQ(model::describe_feature(d, spec, 0, "distance_12m"),
            "12,345 km flown in the last 12 months");
  EXPECT_EQ(model::describe_feature(d, spec, 0, "active_months_6m"),
            "Flew in 2 of the last 6 months");
  EXPECT_EQ(model::describe_feature(d, spec, 0, "flights_trend_3v3"),
            "Flights down by 3 over the last 3 months against the 3 before");
  EXPECT_EQ(model::describe_feature(d, spec, 0, "months_since_last_flight"),
            "No flights in the last 1 month");
  EXPECT_EQ(model::describe_feature(d, spec, 0, "points_redeemed_1m"),
            "No points redeemed in the latest month");
  EXPECT_EQ(model::describe_feature(d, spec, 0, "salary_missing"), "No salary on file");
}

}  // namespace
}  // namespace aa
