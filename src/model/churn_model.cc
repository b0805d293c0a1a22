#include "model/churn_model.h"

#include <fmt/format.h>

#include <cmath>
#include <fstream>
#include <limits>
#include <thread>

#include "core/app_error.h"
#include "core/files.h"
#include "model/path_contributions.h"

namespace aa::model {

std::map<std::string, std::string> BoosterParams::xgboost_params() const {
  return {{"objective", "binary:logistic"},
          {"eval_metric", "logloss"},
          {"tree_method", "hist"},
          {"max_depth", std::to_string(max_depth)},
          {"eta", fmt::format("{}", eta)},
          {"subsample", fmt::format("{}", subsample)},
          {"colsample_bytree", fmt::format("{}", colsample_bytree)},
          {"min_child_weight", fmt::format("{}", min_child_weight)},
          {"lambda", fmt::format("{}", lambda)},
          {"scale_pos_weight", fmt::format("{}", scale_pos_weight)},
          {"seed", std::to_string(seed)},
          {"nthread", std::to_string(threads)},
          {"verbosity", "0"}};
}

nlohmann::json BoosterParams::to_json() const {
  return {{"max_depth", max_depth},
          {"eta", eta},
          {"subsample", subsample},
          {"colsample_bytree", colsample_bytree},
          {"min_child_weight", min_child_weight},
          {"lambda", lambda},
          {"scale_pos_weight", scale_pos_weight},
          {"max_rounds", max_rounds},
          {"early_stopping_rounds", early_stopping_rounds},
          {"validation_fraction", validation_fraction},
          {"seed", seed}};
}

BoosterParams BoosterParams::from_json(const nlohmann::json& j) {
  BoosterParams p;
  p.max_depth = j.value("max_depth", p.max_depth);
  p.eta = j.value("eta", p.eta);
  p.subsample = j.value("subsample", p.subsample);
  p.colsample_bytree = j.value("colsample_bytree", p.colsample_bytree);
  p.min_child_weight = j.value("min_child_weight", p.min_child_weight);
  p.lambda = j.value("lambda", p.lambda);
  p.scale_pos_weight = j.value("scale_pos_weight", p.scale_pos_weight);
  p.max_rounds = j.value("max_rounds", p.max_rounds);
  p.early_stopping_rounds = j.value("early_stopping_rounds", p.early_stopping_rounds);
  p.validation_fraction = j.value("validation_fraction", p.validation_fraction);
  p.seed = j.value("seed", p.seed);
  return p;
}

BoosterParams reference_params() {
  BoosterParams p;
  p.max_depth = 4;
  p.eta = 0.05;
  p.subsample = 0.8;
  p.colsample_bytree = 0.8;
  p.min_child_weight = 1;
  p.lambda = 1;
  p.max_rounds = 400;
  p.early_stopping_rounds = 0;
  p.seed = 42;
  return p;
}

bool in_validation(std::int64_t member, std::uint64_t seed, double fraction) {
  // splitmix64 of the member and the seed: stable across runs, platforms and row order.
  std::uint64_t z = static_cast<std::uint64_t>(member) + seed * 0x9E3779B97F4A7C15ULL;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  z ^= z >> 31;
  return static_cast<double>(z % 1000000) < fraction * 1000000.0;
}

std::vector<double> booster_scores(const xgb::Booster& booster, const Dataset& data) {
  const xgb::DMatrix matrix(data.x, data.rows(), data.cols());
  const auto p = booster.predict(matrix);
  return {p.begin(), p.end()};
}

FittedBooster fit_booster(const Dataset& train, const BoosterParams& params) {
  if (train.rows() == 0) {
    core::fail(core::ErrorKind::InvalidInput, "no training rows for the model");
  }
  std::vector<std::size_t> fit_rows;
  std::vector<std::size_t> valid_rows;
  for (std::size_t i = 0; i < train.rows(); ++i) {
    const bool valid = params.early_stopping_rounds > 0 &&
                       in_validation(train.member[i], params.seed, params.validation_fraction);
    (valid ? valid_rows : fit_rows).push_back(i);
  }
  const Dataset fit_set = valid_rows.empty() ? train : train.subset(fit_rows);
  xgb::DMatrix dtrain(fit_set.x, fit_set.rows(), fit_set.cols());
  dtrain.set_labels(fit_set.y);
  std::unique_ptr<xgb::DMatrix> dvalid;
  std::vector<const xgb::DMatrix*> cache = {&dtrain};
  if (!valid_rows.empty()) {
    const Dataset valid_set = train.subset(valid_rows);
    dvalid = std::make_unique<xgb::DMatrix>(valid_set.x, valid_set.rows(), valid_set.cols());
    dvalid->set_labels(valid_set.y);
    cache.push_back(dvalid.get());
  }
  xgb::Booster booster(cache);
  booster.set_params(params.xgboost_params());
  double best = std::numeric_limits<double>::infinity();
  int best_round = 0;
  for (int round = 0; round < params.max_rounds; ++round) {
    booster.update(round, dtrain);
    if (!dvalid) {
      continue;
    }
    const double loss = booster.evaluate(round, *dvalid, "valid");
    if (loss < best - 1e-12) {
      best = loss;
      best_round = round;
    } else if (round - best_round >= params.early_stopping_rounds) {
      break;
    }
  }
  FittedBooster out{dvalid ? booster.slice(best_round + 1) : std::move(booster),
                    dvalid ? best_round + 1 : params.max_rounds,
                    dvalid ? best : std::numeric_limits<double>::quiet_NaN(), fit_set.rows(),
                    valid_rows.size()};
  return out;
}

ChurnModel ChurnModel::fit(const FeatureSpec& spec, const Dataset& train,
                           const Dataset& calibration, const BoosterParams& params,
                           Calibrator::Method method) {
  FittedBooster fitted = fit_booster(train, params);
  ChurnModel model(spec, std::move(fitted.booster));
  model.params_ = params;
  model.rounds_ = fitted.rounds;
  model.validation_logloss_ = fitted.validation_logloss;
  model.calibrator_ = Calibrator::fit(method, model.raw_scores(calibration), calibration.y);
  return model;
}

std::vector<double> ChurnModel::raw_scores(const Dataset& data) const {
  return booster_scores(booster_, data);
}

std::vector<double> ChurnModel::predict_proba(const Dataset& data) const {
  return calibrator_.apply(raw_scores(data));
}

std::vector<float> ChurnModel::contributions(const Dataset& data, bool approximate,
                                             std::string* engine) const {
  const auto say_engine = [engine](std::string text) {
    if (engine != nullptr) {
      *engine = std::move(text);
    }
  };
  const auto from_xgboost = [&] {
    const xgb::DMatrix matrix(data.x, data.rows(), data.cols());
    return booster_.contributions(matrix, approximate);
  };
  if (!approximate) {
    say_engine("xgboost");
    return from_xgboost();
  }
  std::string why_not;
  const auto walker = PathContributions::from_model(booster_.to_ubj(), &why_not);
  if (!walker) {
    say_engine("xgboost (the tree walk does not support this model: " + why_not + ")");
    return from_xgboost();
  }
  if (walker->features() != data.cols()) {
    say_engine(fmt::format("xgboost (the model has {} features, the data {} columns)",
                           walker->features(), data.cols()));
    return from_xgboost();
  }
  std::vector<float> ours = walker->compute(data.x, data.rows(), data.cols());
  // The same rows through XGBoost: any difference, to the bit, and XGBoost's are used.
  const std::size_t checked = std::min(data.rows(), kContributionCheckRows);
  std::vector<std::size_t> rows;
  for (std::size_t k = 0; k < checked; ++k) {
    rows.push_back(k * data.rows() / checked);
  }
  if (!rows.empty()) {
    const Dataset sample = data.subset(rows);
    const xgb::DMatrix matrix(sample.x, sample.rows(), sample.cols());
    const std::vector<float> theirs = booster_.contributions(matrix, true);
    const std::size_t width = data.cols() + 1;
    for (std::size_t k = 0; k < rows.size(); ++k) {
      for (std::size_t j = 0; j < width; ++j) {
        if (theirs[k * width + j] != ours[rows[k] * width + j]) {
          say_engine(
              fmt::format("xgboost (the tree walk gave {} for row {}, column {}; XGBoost {})",
                          ours[rows[k] * width + j], rows[k], j, theirs[k * width + j]));
          return from_xgboost();
        }
      }
    }
  }
  say_engine(fmt::format("tree walk ({} threads), equal to XGBoost on {} sampled rows",
                         std::max(1u, std::thread::hardware_concurrency()), checked));
  return ours;
}

nlohmann::json ChurnModel::metadata() const {
  nlohmann::json meta = extra_;
  meta["features"] = spec_.to_json();
  meta["columns"] = spec_.columns();
  meta["params"] = params_.to_json();
  meta["rounds"] = rounds_;
  meta["validation_logloss"] = std::isnan(validation_logloss_)
                                   ? nlohmann::json(nullptr)
                                   : nlohmann::json(validation_logloss_);
  meta["calibration"] = to_string(calibrator_.method());
  meta["xgboost_version"] = xgb::version();
  return meta;
}

void ChurnModel::save(core::PublishGroup& group, const std::filesystem::path& dir) const {
  std::filesystem::create_directories(dir);
  const auto model_path = dir / "model.json";
  // XGBoost picks the format from the extension, so the temporary name keeps ".json".
  const auto tmp_json = std::filesystem::path(core::temp_path_for(model_path).string() + ".json");
  group.add(tmp_json, model_path);
  booster_.save(tmp_json);
  core::write_file_atomic(group.stage(dir / "calibration.json"),
                          calibrator_.to_json().dump(2) + "\n");
  core::write_file_atomic(group.stage(dir / "model_meta.json"), metadata().dump(2) + "\n");
}

void ChurnModel::save(const std::filesystem::path& dir) const {
  std::filesystem::create_directories(dir);
  core::PublishGroup group(dir / ".publishing-model.json");
  save(group, dir);
  group.commit();
}

ChurnModel ChurnModel::load(const std::filesystem::path& dir) {
  const auto meta_path = dir / "model_meta.json";
  const auto calibration_path = dir / "calibration.json";
  for (const auto& p : {meta_path, calibration_path}) {
    if (!std::filesystem::exists(p)) {
      core::fail(core::ErrorKind::NotFound,
                 "'{}' does not exist; run `airline-analytics train` first", p.string());
    }
  }
  nlohmann::json meta;
  nlohmann::json calibration;
  try {
    meta = nlohmann::json::parse(core::read_file(meta_path));
    calibration = nlohmann::json::parse(core::read_file(calibration_path));
  } catch (const nlohmann::json::exception& e) {
    core::fail(core::ErrorKind::InvalidInput, "model metadata in '{}' is not valid JSON: {}",
               dir.string(), e.what());
  }
  ChurnModel model(FeatureSpec::from_json(meta.at("features")),
                   xgb::Booster::load(dir / "model.json"));
  model.calibrator_ = Calibrator::from_json(calibration);
  model.rounds_ = meta.value("rounds", 0);
  // Every parameter metadata() reports comes back, so that a reloaded model describes itself
  // as the saved one did (threads is a run setting, never saved).
  if (meta.contains("params") && meta.at("params").is_object()) {
    model.params_ = BoosterParams::from_json(meta.at("params"));
  }
  const auto logloss = meta.find("validation_logloss");
  model.validation_logloss_ = logloss != meta.end() && logloss->is_number()
                                  ? logloss->get<double>()
                                  : std::numeric_limits<double>::quiet_NaN();
  model.extra_ = meta;
  return model;
}

}  // namespace aa::model
