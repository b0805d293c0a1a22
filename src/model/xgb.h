#pragma once
// Small RAII owners over XGBoost's C API: a dense DMatrix and a Booster. Every call is checked
// at once and XGBGetLastError's text becomes an AppError. Buffers XGBoost returns belong to the
// booster and die with its next call, so every result is copied out before returning.

#include <xgboost/c_api.h>

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace aa::xgb {

namespace fs = std::filesystem;

// Rows x columns of float features, row-major; NaN marks a missing value.
class DMatrix {
 public:
  DMatrix(const std::vector<float>& values, std::size_t rows, std::size_t cols);
  void set_labels(const std::vector<float>& labels);
  std::size_t rows() const { return rows_; }
  std::size_t cols() const { return cols_; }
  DMatrixHandle get() const { return *handle_; }

 private:
  struct Free {
    void operator()(DMatrixHandle* h) const;
  };
  std::unique_ptr<DMatrixHandle, Free> handle_;
  std::size_t rows_ = 0;
  std::size_t cols_ = 0;
};

class Booster {
 public:
  // A new booster that will train on `train` (and may evaluate `valid`).
  explicit Booster(const std::vector<const DMatrix*>& cache);
  // A booster read from XGBoost's JSON or UBJ model file.
  static Booster load(const fs::path& path);

  void set_param(const std::string& name, const std::string& value);
  void set_params(const std::map<std::string, std::string>& params);
  void update(int iteration, const DMatrix& train);
  // XGBoost's own evaluation of `data` after `iteration`, for the first eval_metric.
  double evaluate(int iteration, const DMatrix& data, const std::string& name);
  int boosted_rounds() const;
  // The first `rounds` boosting rounds as a new booster (what early stopping keeps).
  Booster slice(int rounds) const;

  // Probabilities (binary:logistic) for every row.
  std::vector<float> predict(const DMatrix& data) const;
  // Per-row feature contributions (SHAP values) in margin space: rows x (cols + 1), the last
  // column being the bias. Each row sums to the row's margin.
  // approximate: Saabas's path attributions (as fast as a prediction; they also sum to the
  // margin) instead of exact TreeSHAP.
  std::vector<float> contributions(const DMatrix& data, bool approximate = false) const;

  void save(const fs::path& path) const;
  // The model as XGBoost's JSON text.
  std::string to_json() const;
  // The model as XGBoost's UBJSON (binary JSON): floats as the exact float32 values.
  std::vector<std::uint8_t> to_ubj() const;

 private:
  struct Free {
    void operator()(BoosterHandle* h) const;
  };
  explicit Booster(BoosterHandle raw);
  std::vector<float> predict_type(const DMatrix& data, int type, std::size_t per_row) const;
  std::unique_ptr<BoosterHandle, Free> handle_;
};

// Library version, such as "1.7.4".
std::string version();

}  // namespace aa::xgb
