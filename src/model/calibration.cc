#include "model/calibration.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "core/app_error.h"

namespace aa::model {

namespace {

double logit(double p) {
  constexpr double eps = 1e-7;
  const double q = std::clamp(p, eps, 1 - eps);
  return std::log(q / (1 - q));
}

double sigmoid(double z) { return 1.0 / (1.0 + std::exp(-z)); }

}  // namespace

const char* to_string(Calibrator::Method method) {
  return method == Calibrator::Method::Isotonic ? "isotonic" : "platt";
}

std::vector<double> pool_adjacent_violators(const std::vector<double>& y,
                                            const std::vector<double>& w) {
  // Blocks of pooled values on a stack; a new value merges backwards while it breaks order.
  std::vector<double> value;
  std::vector<double> weight;
  std::vector<std::size_t> length;
  for (std::size_t i = 0; i < y.size(); ++i) {
    value.push_back(y[i]);
    weight.push_back(w[i]);
    length.push_back(1);
    while (value.size() > 1 && value[value.size() - 2] > value.back()) {
      const std::size_t last = value.size() - 1;
      const double total = weight[last - 1] + weight[last];
      value[last - 1] = (value[last - 1] * weight[last - 1] + value[last] * weight[last]) / total;
      weight[last - 1] = total;
      length[last - 1] += length[last];
      value.pop_back();
      weight.pop_back();
      length.pop_back();
    }
  }
  std::vector<double> out;
  out.reserve(y.size());
  for (std::size_t b = 0; b < value.size(); ++b) {
    out.insert(out.end(), length[b], value[b]);
  }
  return out;
}

Calibrator Calibrator::fit(Method method, const std::vector<double>& scores,
                           const std::vector<float>& labels) {
  if (scores.size() != labels.size() || scores.empty()) {
    core::fail(core::ErrorKind::InvalidInput,
               "calibration needs as many labels as scores ({} and {})", labels.size(),
               scores.size());
  }
  Calibrator c;
  c.method_ = method;
  if (method == Method::Isotonic) {
    std::vector<std::size_t> order(scores.size());
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(),
              [&](std::size_t a, std::size_t b) { return scores[a] < scores[b]; });
    // One point per distinct score: the mean label, weighted by its count.
    std::vector<double> y;
    std::vector<double> w;
    for (std::size_t i = 0; i < order.size();) {
      std::size_t j = i;
      double sum = 0;
      while (j < order.size() && scores[order[j]] == scores[order[i]]) {
        sum += labels[order[j]];
        ++j;
      }
      c.x_.push_back(scores[order[i]]);
      y.push_back(sum / static_cast<double>(j - i));
      w.push_back(static_cast<double>(j - i));
      i = j;
    }
    c.y_ = pool_adjacent_violators(y, w);
    return c;
  }
  // Platt: Newton's method on (a, b) for the log loss of sigmoid(a * logit(s) + b).
  std::vector<double> z(scores.size());
  std::transform(scores.begin(), scores.end(), z.begin(), logit);
  double a = 1;
  double b = 0;
  for (int iteration = 0; iteration < 100; ++iteration) {
    double ga = 0, gb = 0, haa = 0, hab = 0, hbb = 0;
    for (std::size_t i = 0; i < z.size(); ++i) {
      const double p = sigmoid(a * z[i] + b);
      const double r = p - labels[i];
      const double v = std::max(p * (1 - p), 1e-12);
      ga += r * z[i];
      gb += r;
      haa += v * z[i] * z[i];
      hab += v * z[i];
      hbb += v;
    }
    const double det = haa * hbb - hab * hab;
    if (std::abs(det) < 1e-18) {
      break;
    }
    const double da = (hbb * ga - hab * gb) / det;
    const double db = (haa * gb - hab * ga) / det;
    a -= da;
    b -= db;
    if (std::abs(da) < 1e-10 && std::abs(db) < 1e-10) {
      break;
    }
  }
  c.a_ = a;
  c.b_ = b;
  return c;
}

double Calibrator::apply(double score) const {
  if (method_ == Method::Platt) {
    return sigmoid(a_ * logit(score) + b_);
  }
  if (x_.empty()) {
    return score;
  }
  if (score <= x_.front()) {
    return y_.front();
  }
  if (score >= x_.back()) {
    return y_.back();
  }
  const auto hi =
      static_cast<std::size_t>(std::upper_bound(x_.begin(), x_.end(), score) - x_.begin());
  const std::size_t lo = hi - 1;
  const double t = (score - x_[lo]) / (x_[hi] - x_[lo]);
  return y_[lo] + t * (y_[hi] - y_[lo]);
}

std::vector<double> Calibrator::apply(const std::vector<double>& scores) const {
  std::vector<double> out(scores.size());
  std::transform(scores.begin(), scores.end(), out.begin(), [this](double s) { return apply(s); });
  return out;
}

nlohmann::json Calibrator::to_json() const {
  if (method_ == Method::Platt) {
    return {{"method", "platt"}, {"a", a_}, {"b", b_}};
  }
  return {{"method", "isotonic"}, {"x", x_}, {"y", y_}};
}

Calibrator Calibrator::from_json(const nlohmann::json& json) {
  Calibrator c;
  const std::string method = json.value("method", "");
  if (method == "platt") {
    c.method_ = Method::Platt;
    c.a_ = json.at("a").get<double>();
    c.b_ = json.at("b").get<double>();
  } else if (method == "isotonic") {
    c.method_ = Method::Isotonic;
    c.x_ = json.at("x").get<std::vector<double>>();
    c.y_ = json.at("y").get<std::vector<double>>();
    if (c.x_.size() != c.y_.size() || !std::is_sorted(c.x_.begin(), c.x_.end())) {
      core::fail(core::ErrorKind::InvalidInput,
                 "calibration: isotonic thresholds are not increasing pairs");
    }
  } else {
    core::fail(core::ErrorKind::InvalidInput, "calibration: unknown method '{}'", method);
  }
  return c;
}

}  // namespace aa::model
