#pragma once
// Drift of one scoring against its model's reference (model/drift_reference.h): the population
// stability index of every model feature and of the score, with the usual reading.

#include <nlohmann/json.hpp>
#include <string>

#include "model/drift_reference.h"

namespace aa::monitor {

inline constexpr double kPsiModerate = 0.1;
inline constexpr double kPsiMajor = 0.25;
// A feature among the model's most important this many (by mean |contribution| at training)
// raises a retraining alert when its PSI passes kPsiMajor.
inline constexpr int kTopFeatures = 5;
// A level shift: a non-negative numeric feature's mean (flights, distance, points, months)
// moved by kLevelShift of the reference's mean or more (relative), beyond the noise of both
// means (|z| >= kLevelZ, z the difference over its standard error). Features with negative
// values (the 3-against-3-month trends) have no relative level and are judged by PSI alone.
inline constexpr double kLevelShift = 0.2;
inline constexpr double kLevelZ = 4.0;

// The level shift of a scoring's values (n, sum, sum of squares) against the reference's:
// {mean_reference, mean_scoring, mean_change (relative), mean_z, level_shift (bool)}; null
// when either side has fewer than 2 values, the reference's mean is 0 or it has negative
// values.
nlohmann::json level_shift(const model::VariableBins& bins, const nlohmann::json& moments);

// "stable" (< 0.1), "moderate" (0.1 .. 0.25) or "major" (> 0.25).
const char* psi_shift(double psi);

// {reference_month, members, features: [{feature, importance_rank, top5, psi, shift, bins,
// reference_share, scoring_share, and for numeric features the level_shift fields}] in
// importance order, score: {psi, shift, ...}} for a scoring's profile
// (model/feature_profile.h's JSON).
nlohmann::json drift_of(const model::DriftReference& reference, const nlohmann::json& profile);

}  // namespace aa::monitor
