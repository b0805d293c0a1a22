// Diagnostics against cases whose answer is known by construction.
#include "model/diagnostics.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "model/metrics.h"

namespace aa {
namespace {

// A dataset of numeric columns (row-major values) and labels.
model::Dataset make_data(std::vector<std::string> columns, std::vector<float> x,
                         std::vector<float> y) {
  model::Dataset d;
  d.columns = std::move(columns);
  d.x = std::move(x);
  d.y = std::move(y);
  for (std::size_t i = 0; i < d.y.size(); ++i) {
    d.member.push_back(static_cast<std::int64_t>(i));
    d.cutoff.push_back(0);
  }
  return d;
}

TEST(RankedScores, UnweightedEqualsRocAucAndWeightsCountRowsAgain) {
  const std::vector<float> y = {0, 0, 1, 1};
  const std::vector<double> s = {0.1, 0.4, 0.35, 0.8};
  EXPECT_DOUBLE_EQ(model::RankedScores(s).auc(y, {}), model::roc_auc(y, s));
  EXPECT_DOUBLE_EQ(model::RankedScores(s).auc(y, {}), 0.75);
  // Weights 2, 0, 1, 1: rows 0.1(-) twice, 0.35(+), 0.8(+): every positive above every negative.
  double pairs = 0;
  EXPECT_DOUBLE_EQ(model::RankedScores(s).auc(y, {2, 0, 1, 1}, &pairs), 1.0);
  EXPECT_DOUBLE_EQ(pairs, 4.0);
  // Ties count one half, weighted: 0.5(-) x3 and 0.5(+) x1 -> 0.5.
  EXPECT_DOUBLE_EQ(model::RankedScores({0.5, 0.5}).auc({0, 1}, {3, 1}), 0.5);
  // A subset of rows: rows 1 and 3 only -> (0.8 > 0.4) -> 1.
  EXPECT_DOUBLE_EQ(model::RankedScores(s, {1, 3}).auc(y, {}), 1.0);
  EXPECT_TRUE(std::isnan(model::RankedScores(s, {0, 1}).auc(y, {})));  // negatives only
}

TEST(SingleFeatureScores, DirectionComesFromTrainingRowsAndLevelsScoreByTheirRate) {
  // Training: lower tenure is riskier. Test values 1, 5, NaN: negated, missing lowest.
  const model::Dataset train = make_data({"tenure_months"}, {1, 2, 8, 9}, {1, 1, 0, 0});
  const model::Dataset test = make_data({"tenure_months"}, {1, 5, NAN}, {1, 0, 0});
  model::FeatureSpec spec;
  spec.numeric = {"tenure_months"};
  std::string direction;
  const auto s = model::single_feature_scores(train, test, spec, "tenure_months", &direction);
  EXPECT_EQ(direction, "lower values riskier");
  EXPECT_DOUBLE_EQ(s[0], -1);
  EXPECT_DOUBLE_EQ(s[1], -5);
  EXPECT_TRUE(std::isinf(s[2]) && s[2] < 0);

  // A categorical feature: Star cancels 2 of 3 in training, Aurora 0 of 1; an unseen level
  // (no one-hot column set) gets the overall rate 2/4.
  model::FeatureSpec cat;
  cat.categorical = {{"loyalty_card", {"Aurora", "Star"}}};
  const model::Dataset ctrain = make_data({"loyalty_card=Aurora", "loyalty_card=Star"},
                                          {0, 1, 0, 1, 0, 1, 1, 0}, {1, 0, 1, 0});
  const model::Dataset ctest =
      make_data({"loyalty_card=Aurora", "loyalty_card=Star"}, {0, 1, 1, 0, 0, 0}, {1, 0, 0});
  const auto c = model::single_feature_scores(ctrain, ctest, cat, "loyalty_card");
  EXPECT_DOUBLE_EQ(c[0], 2.0 / 3.0);
  EXPECT_DOUBLE_EQ(c[1], 0.0);
  EXPECT_DOUBLE_EQ(c[2], 0.5);
}

TEST(FeatureStrata, FewValuesOneStratumEachManyValuesDecilesMissingApart) {
  model::FeatureSpec spec;
  spec.numeric = {"v"};
  std::vector<std::string> names;
  const model::Dataset few = make_data({"v"}, {3, 1, 3, NAN, 2}, {0, 0, 0, 0, 0});
  const auto s = model::feature_strata(few, spec, "v", names);
  EXPECT_EQ(s, (std::vector<std::uint32_t>{2, 0, 2, 3, 1}));
  EXPECT_EQ(names, (std::vector<std::string>{"1", "2", "3", "missing"}));

  std::vector<float> x;
  for (int i = 0; i < 1000; ++i) {
    x.push_back(static_cast<float>(i) / 7.0f);  // 1,000 distinct values
  }
  const model::Dataset many = make_data({"v"}, x, std::vector<float>(1000, 0));
  const auto d = model::feature_strata(many, spec, "v", names);
  EXPECT_EQ(names.size(), 11u);  // ten deciles and "missing"
  std::vector<int> counts(11, 0);
  for (auto k : d) {
    ++counts[k];
  }
  for (int k = 0; k < 10; ++k) {
    EXPECT_NEAR(counts[k], 100, 1) << k;
  }
}

// Members whose risk depends on tenure (short is risky) and, for `second` > 0, on flights too.
struct World {
  model::Dataset train, test;
  std::vector<double> one_feature_model;  // a function of tenure only
  std::vector<double> two_feature_model;  // the true probability
};

World make_world(double second) {
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> u(0, 1);
  World w;
  const auto fill = [&](model::Dataset& d, int n, bool keep_models) {
    std::vector<float> x;
    std::vector<float> y;
    for (int i = 0; i < n; ++i) {
      const double tenure = std::floor(u(rng) * 24);
      const double flights = std::floor(u(rng) * 10);
      const double logit = -3 + (tenure < 6 ? 2.0 : 0.0) + second * (flights < 2 ? 2.0 : 0.0);
      const double p = 1 / (1 + std::exp(-logit));
      x.push_back(static_cast<float>(tenure));
      x.push_back(static_cast<float>(flights));
      x.push_back(static_cast<float>(u(rng)));  // noise
      y.push_back(u(rng) < p ? 1.0f : 0.0f);
      if (keep_models) {
        w.one_feature_model.push_back(1 / (1 + std::exp(-(-3 + (tenure < 6 ? 2.0 : 0.0)))));
        w.two_feature_model.push_back(p);
      }
    }
    d = make_data({"tenure_months", "flights_3m", "salary"}, x, y);
  };
  fill(w.train, 4000, false);
  fill(w.test, 20000, true);
  return w;
}

model::DiagnosticsInput input_for(const World& w, const std::vector<double>& model,
                                  std::vector<std::pair<std::string, double>> importance,
                                  const model::FeatureSpec& spec) {
  model::DiagnosticsInput in;
  in.train = &w.train;
  in.test = &w.test;
  in.spec = &spec;
  in.model = model;
  in.baselines = {{"tenure_only", w.one_feature_model}};
  in.importance = std::move(importance);
  in.resamples = 100;
  return in;
}

TEST(Diagnostics, AModelThatIsTenureInDisguiseIsFlagged) {
  const World w = make_world(0);  // flights carry nothing
  model::FeatureSpec spec;
  spec.numeric = {"tenure_months", "flights_3m"};
  const auto d = model::diagnostics(
      input_for(w, w.one_feature_model, {{"tenure_months", 0.9}, {"flights_3m", 0.1}}, spec));
  EXPECT_EQ(d["dominant_feature"]["name"], "tenure_months");
  EXPECT_DOUBLE_EQ(d["dominant_feature"]["importance_share"].get<double>(), 0.9);
  EXPECT_TRUE(d["one_feature_model"].get<bool>());
  // Within a month of tenure the model's score is constant: it ranks nothing (0.5).
  EXPECT_DOUBLE_EQ(d["stratified_auc"]["auc"].get<double>(), 0.5);
  // Against the tenure-only baseline (the same scores) the difference is exactly 0.
  EXPECT_DOUBLE_EQ(d["comparisons"]["tenure_only"]["auc_difference"].get<double>(), 0.0);
  EXPECT_DOUBLE_EQ(d["comparisons"]["tenure_only"]["auc_difference_ci"][0].get<double>(), 0.0);
  const auto& ci = d["dominant_feature"]["added_auc_ci"];
  EXPECT_LE(ci[0].get<double>(), 0.0);  // a step in tenure ranks like tenure itself
  EXPECT_EQ(d["single_feature_auc"][0]["direction"], "lower values riskier");
}

TEST(Diagnostics, AModelThatKnowsMoreThanOneFeatureIsNot) {
  const World w = make_world(1);
  model::FeatureSpec spec;
  spec.numeric = {"tenure_months", "flights_3m"};
  spec.numeric.push_back("salary");
  const auto d = model::diagnostics(
      input_for(w, w.two_feature_model,
                {{"tenure_months", 0.5}, {"flights_3m", 0.45}, {"salary", 0.1}}, spec));
  EXPECT_FALSE(d["one_feature_model"].get<bool>());
  EXPECT_GT(d["dominant_feature"]["added_auc_ci"][0].get<double>(), 0.02);
  EXPECT_GT(d["stratified_auc"]["auc_ci"][0].get<double>(), 0.6);  // flights rank within tenure
  EXPECT_GT(d["comparisons"]["tenure_only"]["auc_difference_ci"][0].get<double>(), 0.02);
  // The true probability is calibrated: slope and intercept near 1 and 0.
  EXPECT_NEAR(d["calibration"]["slope"].get<double>(), 1.0, 0.1);
  EXPECT_NEAR(d["calibration"]["intercept"].get<double>(), 0.0, 0.25);
  EXPECT_GT(d["calibration"]["brier_skill_score"].get<double>(), 0.0);
}

TEST(Diagnostics, TheBaseRateConstantHasNoSkill) {
  const World w = make_world(1);
  double base = 0;
  for (float v : w.test.y) {
    base += v;
  }
  base /= static_cast<double>(w.test.rows());
  model::FeatureSpec spec;
  spec.numeric = {"tenure_months", "flights_3m"};
  const auto d = model::diagnostics(
      input_for(w, std::vector<double>(w.test.rows(), base), {{"tenure_months", 1.0}}, spec));
  EXPECT_NEAR(d["calibration"]["brier_skill_score"].get<double>(), 0.0, 1e-12);
  EXPECT_NEAR(d["calibration"]["ece"].get<double>(), 0.0, 1e-12);
  EXPECT_DOUBLE_EQ(d["model_auc"].get<double>(), 0.5);
  EXPECT_TRUE(d["one_feature_model"].get<bool>());  // all of the importance is one feature
}

}  // namespace
}  // namespace aa
