#pragma once
// Maps raw model scores to probabilities, fitted on data the model did not train on.
//   isotonic: pool-adjacent-violators on (score, label), predictions interpolated linearly
//             between the fitted points and clipped at the ends (scikit-learn's
//             IsotonicRegression(out_of_bounds="clip")).
//   platt:    p = 1 / (1 + exp(-(a * logit(score) + b))), a and b by Newton's method on the
//             log loss (scikit-learn's LogisticRegression on logit(score), without penalty).

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace aa::model {

class Calibrator {
 public:
  enum class Method { Isotonic, Platt };

  static Calibrator fit(Method method, const std::vector<double>& scores,
                        const std::vector<float>& labels);
  static Calibrator from_json(const nlohmann::json& json);

  double apply(double score) const;
  std::vector<double> apply(const std::vector<double>& scores) const;
  nlohmann::json to_json() const;
  Method method() const { return method_; }
  // Platt's slope and intercept on the logit scale: p = sigmoid(a * logit(score) + b).
  double platt_slope() const { return a_; }
  double platt_intercept() const { return b_; }

 private:
  Method method_ = Method::Isotonic;
  std::vector<double> x_;  // isotonic: increasing thresholds
  std::vector<double> y_;  // isotonic: fitted values at the thresholds
  double a_ = 1;           // platt
  double b_ = 0;           // platt
};

// Pool-adjacent-violators: the non-decreasing fit of y (weights w), in order.
std::vector<double> pool_adjacent_violators(const std::vector<double>& y,
                                            const std::vector<double>& w);

const char* to_string(Calibrator::Method method);

}  // namespace aa::model
