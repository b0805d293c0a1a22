#include "model/feature_profile.h"

#include <cmath>
#include <map>

#include "core/app_error.h"

namespace aa::model {

FeatureProfile::FeatureProfile(const DriftReference& reference) : reference_(reference) {
  for (const auto& f : reference.features()) {
    feature_counts_.emplace_back(f.bin_count(), 0);
  }
  moments_.assign(reference.features().size(), {0.0, 0.0, 0.0});
  score_counts_.assign(reference.score().bin_count(), 0);
}

void FeatureProfile::add(const FeatureSpec& spec, const Dataset& data,
                         const std::vector<double>& probabilities) {
  // Where each source feature's columns start in the matrix.
  std::map<std::string, std::size_t> first_column;
  for (std::size_t j = 0; j < spec.numeric.size(); ++j) {
    first_column[spec.numeric[j]] = j;
  }
  std::size_t column = spec.numeric.size();
  for (const auto& [source, levels] : spec.categorical) {
    first_column[source] = column;
    column += levels.size();
  }
  const auto& features = reference_.features();
  for (std::size_t f = 0; f < features.size(); ++f) {
    const VariableBins& bins = features[f];
    const auto at = first_column.find(bins.name);
    if (at == first_column.end()) {
      core::fail(core::ErrorKind::Model,
                 "the drift reference's feature '{}' is not one of the model's", bins.name);
    }
    auto& counts = feature_counts_[f];
    for (std::size_t r = 0; r < data.rows(); ++r) {
      const float* row = &data.x[r * data.cols() + at->second];
      std::size_t bin = 0;
      if (bins.categorical) {
        bin = bins.levels.size();
        for (std::size_t k = 0; k < bins.levels.size(); ++k) {
          if (row[k] > 0.5f) {
            bin = k;
            break;
          }
        }
      } else {
        bin = bins.numeric_bin(row[0]);
        if (!std::isnan(row[0])) {
          const double v = row[0];
          moments_[f][0] += 1;
          moments_[f][1] += v;
          moments_[f][2] += v * v;
        }
      }
      ++counts[bin];
    }
  }
  for (double p : probabilities) {
    ++score_counts_[reference_.score().numeric_bin(p)];
  }
  members_ += static_cast<std::int64_t>(data.rows());
}

nlohmann::json FeatureProfile::to_json() const {
  nlohmann::json features = nlohmann::json::object();
  nlohmann::json moments = nlohmann::json::object();
  const auto& bins = reference_.features();
  for (std::size_t f = 0; f < bins.size(); ++f) {
    features[bins[f].name] = feature_counts_[f];
    if (!bins[f].categorical) {
      moments[bins[f].name] = moments_[f];
    }
  }
  return {{"members", members_},
          {"features", features},
          {"moments", moments},
          {kScoreBins, score_counts_}};
}

}  // namespace aa::model
