#include "model/logistic_regression.h"

#include <cmath>

#include "core/app_error.h"

namespace aa::model {

bool cholesky_solve(std::vector<double> a, std::vector<double>& b, std::size_t n) {
  for (std::size_t j = 0; j < n; ++j) {
    double d = a[j * n + j];
    for (std::size_t k = 0; k < j; ++k) {
      d -= a[j * n + k] * a[j * n + k];
    }
    if (d <= 0) {
      return false;
    }
    a[j * n + j] = std::sqrt(d);
    for (std::size_t i = j + 1; i < n; ++i) {
      double s = a[i * n + j];
      for (std::size_t k = 0; k < j; ++k) {
        s -= a[i * n + k] * a[j * n + k];
      }
      a[i * n + j] = s / a[j * n + j];
    }
  }
  for (std::size_t i = 0; i < n; ++i) {  // L y = b
    double s = b[i];
    for (std::size_t k = 0; k < i; ++k) {
      s -= a[i * n + k] * b[k];
    }
    b[i] = s / a[i * n + i];
  }
  for (std::size_t i = n; i-- > 0;) {  // L^T x = y
    double s = b[i];
    for (std::size_t k = i + 1; k < n; ++k) {
      s -= a[k * n + i] * b[k];
    }
    b[i] = s / a[i * n + i];
  }
  return true;
}

namespace {

// Row i standardised, with a leading 1 for the intercept.
void design_row(const std::vector<float>& x, std::size_t i, std::size_t cols,
                const std::vector<double>& mean, const std::vector<double>& scale,
                std::vector<double>& out) {
  out[0] = 1.0;
  for (std::size_t j = 0; j < cols; ++j) {
    const float v = x[i * cols + j];
    out[j + 1] = std::isnan(v) ? 0.0 : (static_cast<double>(v) - mean[j]) / scale[j];
  }
}

}  // namespace

LogisticRegression LogisticRegression::fit(const std::vector<float>& x, std::size_t rows,
                                           std::size_t cols, const std::vector<float>& labels,
                                           const Params& params) {
  if (x.size() != rows * cols || labels.size() != rows || rows == 0) {
    core::fail(core::ErrorKind::InvalidInput,
               "logistic regression: {} values, {} labels for {} x {}", x.size(), labels.size(),
               rows, cols);
  }
  LogisticRegression model;
  model.mean_.assign(cols, 0);
  model.scale_.assign(cols, 1);
  for (std::size_t j = 0; j < cols; ++j) {
    double sum = 0, sq = 0, n = 0;
    for (std::size_t i = 0; i < rows; ++i) {
      const float v = x[i * cols + j];
      if (!std::isnan(v)) {
        sum += v;
        sq += static_cast<double>(v) * v;
        n += 1;
      }
    }
    if (n > 0) {
      model.mean_[j] = sum / n;
      const double var = sq / n - model.mean_[j] * model.mean_[j];
      model.scale_[j] = var > 1e-12 ? std::sqrt(var) : 1.0;
    }
  }
  const std::size_t d = cols + 1;
  const double penalty = 1.0 / params.c;
  model.w_.assign(d, 0);
  std::vector<double> row(d);
  for (int iteration = 1; iteration <= params.max_iterations; ++iteration) {
    std::vector<double> gradient(d, 0);
    std::vector<double> hessian(d * d, 0);
    for (std::size_t i = 0; i < rows; ++i) {
      design_row(x, i, cols, model.mean_, model.scale_, row);
      double z = 0;
      for (std::size_t j = 0; j < d; ++j) {
        z += model.w_[j] * row[j];
      }
      const double p = 1.0 / (1.0 + std::exp(-z));
      const double r = p - labels[i];
      const double v = p * (1 - p);
      for (std::size_t j = 0; j < d; ++j) {
        gradient[j] += r * row[j];
        const double vj = v * row[j];
        double* h = &hessian[j * d];
        for (std::size_t k = j; k < d; ++k) {
          h[k] += vj * row[k];
        }
      }
    }
    for (std::size_t j = 0; j < d; ++j) {
      for (std::size_t k = 0; k < j; ++k) {
        hessian[j * d + k] = hessian[k * d + j];
      }
      if (j > 0) {
        gradient[j] += penalty * model.w_[j];
        hessian[j * d + j] += penalty;
      }
    }
    hessian[0] += 1e-9;
    if (!cholesky_solve(hessian, gradient, d)) {
      core::fail(core::ErrorKind::Model, "logistic regression: the Hessian is singular");
    }
    double step = 0;
    for (std::size_t j = 0; j < d; ++j) {
      model.w_[j] -= gradient[j];
      step = std::max(step, std::abs(gradient[j]));
    }
    model.iterations_ = iteration;
    if (step < params.tolerance) {
      break;
    }
  }
  return model;
}

std::vector<double> LogisticRegression::predict_proba(const std::vector<float>& x,
                                                      std::size_t rows) const {
  const std::size_t cols = mean_.size();
  if (x.size() != rows * cols) {
    core::fail(core::ErrorKind::InvalidInput, "logistic regression: {} values for {} x {}",
               x.size(), rows, cols);
  }
  std::vector<double> out(rows);
  std::vector<double> row(cols + 1);
  for (std::size_t i = 0; i < rows; ++i) {
    design_row(x, i, cols, mean_, scale_, row);
    double z = 0;
    for (std::size_t j = 0; j < row.size(); ++j) {
      z += w_[j] * row[j];
    }
    out[i] = 1.0 / (1.0 + std::exp(-z));
  }
  return out;
}

nlohmann::json LogisticRegression::to_json() const {
  return {{"mean", mean_}, {"scale", scale_}, {"coefficients", w_}, {"iterations", iterations_}};
}

}  // namespace aa::model
