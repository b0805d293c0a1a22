#pragma once
// L2-penalised logistic regression, our own baseline: features standardised with the training
// mean and standard deviation (missing values take the mean), then Newton's method on
//   sum_i logloss_i + (1 / (2C)) * |w|^2      (the intercept is not penalised),
// the objective of scikit-learn's LogisticRegression(C=C) on standardised inputs.

#include <nlohmann/json.hpp>
#include <vector>

namespace aa::model {

class LogisticRegression {
 public:
  struct Params {
    double c = 1.0;
    int max_iterations = 50;
    double tolerance = 1e-8;
  };

  // x is rows x cols, row-major; NaN is missing.
  static LogisticRegression fit(const std::vector<float>& x, std::size_t rows, std::size_t cols,
                                const std::vector<float>& labels, const Params& params);
  static LogisticRegression fit(const std::vector<float>& x, std::size_t rows, std::size_t cols,
                                const std::vector<float>& labels) {
    return fit(x, rows, cols, labels, Params{});
  }

  std::vector<double> predict_proba(const std::vector<float>& x, std::size_t rows) const;
  // Coefficients on the standardised scale; [0] is the intercept.
  const std::vector<double>& coefficients() const { return w_; }
  int iterations() const { return iterations_; }
  nlohmann::json to_json() const;

 private:
  std::vector<double> mean_;
  std::vector<double> scale_;
  std::vector<double> w_;
  int iterations_ = 0;
};

// Solves the symmetric positive-definite system A x = b (A is n x n, row-major) by Cholesky.
// Returns false when A is not positive definite.
bool cholesky_solve(std::vector<double> a, std::vector<double>& b, std::size_t n);

}  // namespace aa::model
