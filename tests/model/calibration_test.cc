#include "model/calibration.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "core/app_error.h"
#include "model/logistic_regression.h"
#include "model/metrics.h"
#include "support/test_support.h"

namespace aa {
namespace {

TEST(Calibration, PoolAdjacentViolatorsHandComputed) {
  EXPECT_EQ(model::pool_adjacent_violators({1, 3, 2, 4, 3, 5}, {1, 1, 1, 1, 1, 1}),
            (std::vector<double>{1, 2.5, 2.5, 3.5, 3.5, 5}));
  // Weights pull the pooled value: (3 * 3 + 1 * 1) / 4 = 2.5.
  EXPECT_EQ(model::pool_adjacent_violators({3, 1}, {3, 1}), (std::vector<double>{2.5, 2.5}));
  // A violation that reaches back over earlier blocks.
  EXPECT_EQ(model::pool_adjacent_violators({2, 3, 0}, {1, 1, 1}),
            (std::vector<double>{5.0 / 3, 5.0 / 3, 5.0 / 3}));
}

TEST(Calibration, IsotonicInterpolatesAndClips) {
  // Scores 0.1 (label 0), 0.2 (0), 0.3 (1), 0.4 (1): already monotone.
  const auto c = model::Calibrator::fit(model::Calibrator::Method::Isotonic, {0.3, 0.1, 0.4, 0.2},
                                        {1, 0, 1, 0});
  EXPECT_DOUBLE_EQ(c.apply(0.1), 0.0);
  EXPECT_DOUBLE_EQ(c.apply(0.25), 0.5);  // halfway between 0.2 -> 0 and 0.3 -> 1
  EXPECT_DOUBLE_EQ(c.apply(0.0), 0.0);   // clipped below
  EXPECT_DOUBLE_EQ(c.apply(9.0), 1.0);   // clipped above
  // Tied scores are averaged first: 0.5 has labels 1 and 0.
  const auto t =
      model::Calibrator::fit(model::Calibrator::Method::Isotonic, {0.5, 0.5, 0.9}, {1, 0, 1});
  EXPECT_DOUBLE_EQ(t.apply(0.5), 0.5);
}

TEST(Calibration, PlattRecoversAKnownLogisticMap) {
  std::mt19937_64 rng(3);
  std::uniform_real_distribution<double> u(0.01, 0.99);
  std::uniform_real_distribution<double> draw(0, 1);
  std::vector<double> s;
  std::vector<float> y;
  for (int i = 0; i < 20000; ++i) {
    const double score = u(rng);
    const double z = std::log(score / (1 - score));
    const double p = 1 / (1 + std::exp(-(2 * z - 1)));
    s.push_back(score);
    y.push_back(draw(rng) < p ? 1.0f : 0.0f);
  }
  const auto c = model::Calibrator::fit(model::Calibrator::Method::Platt, s, y);
  const auto j = c.to_json();
  EXPECT_NEAR(j["a"].get<double>(), 2.0, 0.1);
  EXPECT_NEAR(j["b"].get<double>(), -1.0, 0.1);
}

TEST(Calibration, JsonRoundTrip) {
  const auto c = model::Calibrator::fit(model::Calibrator::Method::Isotonic, {0.1, 0.7, 0.4, 0.9},
                                        {0, 1, 0, 1});
  const auto back = model::Calibrator::from_json(c.to_json());
  EXPECT_EQ(back.to_json(), c.to_json());
  EXPECT_DOUBLE_EQ(back.apply(0.55), c.apply(0.55));
  EXPECT_APP_ERROR(model::Calibrator::from_json({{"method", "magic"}}),
                   core::ErrorKind::InvalidInput, "calibration: unknown method 'magic'");
}

TEST(Calibration, IsotonicFixesAMiscalibratedScore) {
  std::mt19937_64 rng(11);
  std::uniform_real_distribution<double> u(0, 1);
  std::vector<double> s;
  std::vector<float> y;
  for (int i = 0; i < 50000; ++i) {
    const double p = u(rng) * 0.2;  // true probability
    s.push_back(std::sqrt(p));      // a monotone but badly scaled score
    y.push_back(u(rng) < p ? 1.0f : 0.0f);
  }
  const auto c = model::Calibrator::fit(model::Calibrator::Method::Isotonic, s, y);
  EXPECT_GT(model::expected_calibration_error(y, s, 10, model::BinStrategy::Quantile), 0.1);
  EXPECT_LT(model::expected_calibration_error(y, c.apply(s), 10, model::BinStrategy::Quantile),
            0.01);
}

TEST(LogisticRegression, CholeskySolvesHandSystem) {
  // [4 2; 2 3] x = [2; 1] -> x = [0.5, 0]
  std::vector<double> b = {2, 1};
  ASSERT_TRUE(model::cholesky_solve({4, 2, 2, 3}, b, 2));
  EXPECT_NEAR(b[0], 0.5, 1e-12);
  EXPECT_NEAR(b[1], 0.0, 1e-12);
  std::vector<double> c = {1, 1};
  EXPECT_FALSE(model::cholesky_solve({1, 2, 2, 1}, c, 2));  // not positive definite
}

TEST(LogisticRegression, SolutionSatisfiesTheOptimalityCondition) {
  std::mt19937_64 rng(5);
  std::normal_distribution<double> n(0, 1);
  std::uniform_real_distribution<double> u(0, 1);
  const std::size_t rows = 3000;
  const std::size_t cols = 3;
  std::vector<float> x(rows * cols);
  std::vector<float> y(rows);
  for (std::size_t i = 0; i < rows; ++i) {
    double z = -1;
    for (std::size_t j = 0; j < cols; ++j) {
      x[i * cols + j] = static_cast<float>(n(rng) * (j + 1) + j);
      z += (j == 0 ? 1.5 : -0.5) * (x[i * cols + j] - static_cast<double>(j)) / (j + 1);
    }
    y[i] = u(rng) < 1 / (1 + std::exp(-z)) ? 1.0f : 0.0f;
  }
  x[7] = std::nanf("");  // a missing value takes the mean
  const auto model = model::LogisticRegression::fit(x, rows, cols, y, {0.5, 50, 1e-10});
  const auto& w = model.coefficients();
  ASSERT_EQ(w.size(), cols + 1);
  EXPECT_NEAR(w[1], 1.5, 0.2);
  EXPECT_NEAR(w[2], -0.5, 0.2);
  // Gradient of sum(logloss) + |w|^2 / (2C) is zero: check the intercept's component, which
  // is unpenalised: sum(p - y) = 0.
  const auto p = model.predict_proba(x, rows);
  double residual = 0;
  for (std::size_t i = 0; i < rows; ++i) {
    residual += p[i] - y[i];
  }
  EXPECT_NEAR(residual, 0.0, 1e-6);
  EXPECT_LT(model.iterations(), 20);
}

}  // namespace
}  // namespace aa
