// Reads {"labels", "scores", "x", "rows", "cols", "c", "queries"} as JSON on stdin and prints
// what our metric, calibration and logistic-regression code computes from them, so that
// sklearn_crosscheck.py can compare it with scikit-learn on random inputs.
#include <iostream>
#include <iterator>
#include <nlohmann/json.hpp>

#include "model/calibration.h"
#include "model/logistic_regression.h"
#include "model/metrics.h"

int main() {
  using namespace aa;
  const std::string input((std::istreambuf_iterator<char>(std::cin)),
                          std::istreambuf_iterator<char>());
  const auto in = nlohmann::json::parse(input);
  const auto labels = in.at("labels").get<std::vector<float>>();
  const auto scores = in.at("scores").get<std::vector<double>>();
  nlohmann::json out;
  out["roc_auc"] = model::roc_auc(labels, scores);
  out["average_precision"] = model::average_precision(labels, scores);
  out["brier"] = model::brier_score(labels, scores);
  out["log_loss"] = model::log_loss(labels, scores);
  for (const auto& [name, strategy] : {std::pair{"uniform", model::BinStrategy::Uniform},
                                       std::pair{"quantile", model::BinStrategy::Quantile}}) {
    nlohmann::json bins = nlohmann::json::array();
    for (const auto& b : model::reliability_curve(labels, scores, 10, strategy)) {
      bins.push_back({b.mean_probability, b.fraction_positive});
    }
    out["reliability"][name] = bins;
  }
  const auto queries = in.at("queries").get<std::vector<double>>();
  out["isotonic"] =
      model::Calibrator::fit(model::Calibrator::Method::Isotonic, scores, labels).apply(queries);
  out["platt"] = model::Calibrator::fit(model::Calibrator::Method::Platt, scores, labels).to_json();
  const auto x = in.at("x").get<std::vector<float>>();
  const auto rows = in.at("rows").get<std::size_t>();
  const auto cols = in.at("cols").get<std::size_t>();
  model::LogisticRegression::Params params;
  params.c = in.at("c").get<double>();
  params.tolerance = 1e-12;
  const auto lr = model::LogisticRegression::fit(x, rows, cols, labels, params);
  out["logistic"] = {{"coefficients", lr.coefficients()}, {"proba", lr.predict_proba(x, rows)}};
  std::cout << out.dump() << "\n";
  return 0;
}
