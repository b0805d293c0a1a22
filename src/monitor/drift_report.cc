#include "monitor/drift_report.h"

#include <cmath>

#include "core/app_error.h"

namespace aa::monitor {

namespace {

std::vector<double> shares(const std::vector<std::int64_t>& counts) {
  std::int64_t total = 0;
  for (auto c : counts) {
    total += c;
  }
  std::vector<double> out;
  for (auto c : counts) {
    out.push_back(total > 0 ? static_cast<double>(c) / static_cast<double>(total) : 0.0);
  }
  return out;
}

nlohmann::json variable_drift(const model::VariableBins& bins, const nlohmann::json& counts_json) {
  const auto counts = counts_json.get<std::vector<std::int64_t>>();
  if (counts.size() != bins.bin_count()) {
    core::fail(core::ErrorKind::InvalidInput, "the profile of '{}' has {} bins, its reference {}",
               bins.name, counts.size(), bins.bin_count());
  }
  const double psi = model::population_stability_index(bins.reference_share, counts);
  return {{"feature", bins.name},
          {"importance_rank", bins.importance_rank},
          {"top5", bins.importance_rank >= 1 && bins.importance_rank <= kTopFeatures},
          {"psi", psi},
          {"shift", psi_shift(psi)},
          {"bins", bins.bin_labels()},
          {"reference_share", bins.reference_share},
          {"scoring_share", shares(counts)}};
}

}  // namespace

nlohmann::json level_shift(const model::VariableBins& bins, const nlohmann::json& moments) {
  if (bins.categorical || bins.reference_n < 2 || !moments.is_array() || moments.size() != 3 ||
      bins.reference_mean <= 0 || bins.reference_min < 0) {
    return nullptr;
  }
  const double n = moments[0].get<double>();
  if (n < 2) {
    return nullptr;
  }
  const double mean = moments[1].get<double>() / n;
  const double variance = std::max(0.0, moments[2].get<double>() / n - mean * mean);
  const double reference_n = static_cast<double>(bins.reference_n);
  const double se = std::sqrt(bins.reference_sd * bins.reference_sd / reference_n + variance / n);
  const double change = (mean - bins.reference_mean) / std::abs(bins.reference_mean);
  const double z = se > 0 ? (mean - bins.reference_mean) / se : 0.0;
  return {{"mean_reference", bins.reference_mean},
          {"mean_scoring", mean},
          {"mean_change", change},
          {"mean_z", z},
          {"level_shift", std::abs(change) >= kLevelShift && std::abs(z) >= kLevelZ}};
}

const char* psi_shift(double psi) {
  if (psi > kPsiMajor) {
    return "major";
  }
  return psi >= kPsiModerate ? "moderate" : "stable";
}

nlohmann::json drift_of(const model::DriftReference& reference, const nlohmann::json& profile) {
  nlohmann::json features = nlohmann::json::array();
  const auto& counts = profile.at("features");
  const nlohmann::json moments = profile.value("moments", nlohmann::json::object());
  for (const auto& bins : reference.features()) {
    if (!counts.contains(bins.name)) {
      core::fail(core::ErrorKind::InvalidInput, "the scoring profile has no counts for '{}'",
                 bins.name);
    }
    nlohmann::json drift = variable_drift(bins, counts.at(bins.name));
    if (const nlohmann::json level = level_shift(bins, moments.value(bins.name, nlohmann::json()));
        !level.is_null()) {
      drift.update(level);
    }
    features.push_back(std::move(drift));
  }
  nlohmann::json score = variable_drift(reference.score(), profile.at(model::kScoreBins));
  score.erase("top5");
  score.erase("importance_rank");
  return {{"reference_month", reference.snapshot_month()},
          {"members", profile.at("members")},
          {"features", features},
          {"score", score}};
}

}  // namespace aa::monitor
