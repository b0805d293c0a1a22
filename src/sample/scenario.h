#pragma once
// The generator's scenarios and the mechanisms they plant: one table each, which the
// generator, its truth file, the recovery check and `generate-sample --help` all read.
// docs/CHURN_MODEL.md ("Planted truth") gives each scenario's formulas.

#include <cstdint>
#include <string>
#include <vector>

namespace aa::sample {

enum class Scenario : std::uint8_t { ReferenceLike, Behaviour, TenureCliff, Drift };

struct ScenarioInfo {
  Scenario id;
  const char* name;
  const char* summary;
  int window_first;  // the first month of the files' data window (they all end in 2018-12)
};
const std::vector<ScenarioInfo>& scenarios();
const char* to_string(Scenario scenario);
const ScenarioInfo& scenario_info(Scenario scenario);
// AppError(InvalidInput) naming the valid scenarios when `name` is none of them.
Scenario parse_scenario(const std::string& name);

// What drives a member's cancellation risk in a month of the truth file.
enum class Mechanism : std::uint8_t {
  Baseline,        // nothing beyond the scenario's base rate
  TenureCliff,     // the month-8 cancellation peak lies in the next six months
  ActivityDrop,    // reference-like: flying thinned out, as it does before a cancellation
  FlightTrend,     // flights in the last 3 months fell against the 3 before
  Recency,         // months since the last flight
  RedemptionStop,  // points were redeemed, then redemptions stopped
  CardTier,        // the lower card tiers
  Promotion,       // joined on the 2018 promotion
};

struct MechanismInfo {
  Mechanism id;
  const char* name;
  const char* description;
  // The churn model's snapshot features that measure this mechanism: a reason naming one of
  // them names the mechanism.
  std::vector<std::string> features;
};
const std::vector<MechanismInfo>& mechanisms();
const MechanismInfo& mechanism_info(Mechanism mechanism);
// Whether a reason citing snapshot feature `feature` names `mechanism`.
bool feature_names_mechanism(const std::string& feature, Mechanism mechanism);

}  // namespace aa::sample
