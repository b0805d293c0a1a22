#pragma once
// The churn classifier, estimator-style: fit() on a training set returns a fitted model;
// predict_proba() scores. Gradient-boosted trees (XGBoost, hist) with early stopping on a
// member-level hold-out drawn from the training rows, then a calibrator fitted on a later,
// time-held-out cutoff maps the trees' scores to probabilities.

#include <cstdint>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "core/files.h"
#include "model/calibration.h"
#include "model/snapshots.h"
#include "model/xgb.h"

namespace aa::model {

struct BoosterParams {
  int max_depth = 3;
  double eta = 0.05;
  double subsample = 0.8;
  double colsample_bytree = 0.8;
  double min_child_weight = 5;
  double lambda = 1;
  double scale_pos_weight = 1;
  int max_rounds = 1000;
  int early_stopping_rounds = 50;  // 0: train max_rounds, no hold-out
  double validation_fraction = 0.2;
  std::uint64_t seed = 42;
  int threads = 0;  // 0: all cores

  std::map<std::string, std::string> xgboost_params() const;
  nlohmann::json to_json() const;
  // The inverse of to_json (threads keeps its default); absent keys keep their defaults.
  static BoosterParams from_json(const nlohmann::json& j);
};

// The reference project's hyper-parameters: 400 trees, learning rate 0.05, depth 4,
// row and column subsampling 0.8, lambda 1, hist, seed 42, no early stopping.
BoosterParams reference_params();

struct FittedBooster {
  xgb::Booster booster;
  int rounds = 0;
  double validation_logloss = 0;  // at the kept round; NaN without early stopping
  std::size_t train_rows = 0;
  std::size_t validation_rows = 0;
};

// Trains on `train`; with early stopping, about validation_fraction of the members (all their
// rows) are held out, so no member is on both sides.
FittedBooster fit_booster(const Dataset& train, const BoosterParams& params);

// True when `member` falls in the validation share for `seed` (a stable hash, not an RNG).
bool in_validation(std::int64_t member, std::uint64_t seed, double fraction);

std::vector<double> booster_scores(const xgb::Booster& booster, const Dataset& data);

class ChurnModel {
 public:
  // Fits the booster on `train`, then the calibrator on the booster's scores for `calibration`.
  static ChurnModel fit(const FeatureSpec& spec, const Dataset& train, const Dataset& calibration,
                        const BoosterParams& params, Calibrator::Method method);
  // Reads model.json and model_meta.json from `dir`.
  static ChurnModel load(const std::filesystem::path& dir);

  std::vector<double> raw_scores(const Dataset& data) const;
  std::vector<double> predict_proba(const Dataset& data) const;
  // Feature contributions in margin space, rows x (columns + 1).
  // approximate: see xgb::Booster::contributions. They come from PathContributions (every
  // core) when it supports the model and agrees to the bit with XGBoost on a sample of rows
  // (up to kContributionCheckRows spread over the matrix), else from XGBoost. `engine`, when
  // given, says which and why.
  std::vector<float> contributions(const Dataset& data, bool approximate = false,
                                   std::string* engine = nullptr) const;
  static constexpr std::size_t kContributionCheckRows = 256;

  const FeatureSpec& spec() const { return spec_; }
  const Calibrator& calibrator() const { return calibrator_; }
  int rounds() const { return rounds_; }
  nlohmann::json metadata() const;
  void set_extra(const std::string& key, nlohmann::json value) { extra_[key] = std::move(value); }
  const nlohmann::json& extra() const { return extra_; }

  // Writes model.json (XGBoost JSON), calibration.json and model_meta.json into `dir`, as one
  // set (a PublishGroup), or staged into `group` to be published with other files.
  void save(const std::filesystem::path& dir) const;
  void save(core::PublishGroup& group, const std::filesystem::path& dir) const;

 private:
  ChurnModel(FeatureSpec spec, xgb::Booster booster)
      : spec_(std::move(spec)), booster_(std::move(booster)) {}

  FeatureSpec spec_;
  xgb::Booster booster_;
  Calibrator calibrator_;
  BoosterParams params_;
  int rounds_ = 0;
  double validation_logloss_ = 0;
  nlohmann::json extra_ = nlohmann::json::object();
};

}  // namespace aa::model
