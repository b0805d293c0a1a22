#include "sample/scenario.h"

#include <algorithm>

#include "core/app_error.h"

namespace aa::sample {

const std::vector<ScenarioInfo>& scenarios() {
  static const std::vector<ScenarioInfo> table = {
      {Scenario::ReferenceLike, "reference-like",
       "the default: the real data's shapes, its month-8 tenure cliff and activity that thins "
       "out before a cancellation; 2017-01 .. 2018-12",
       2017 * 12},
      {Scenario::Behaviour, "behaviour",
       "cancellations driven by behaviour (falling flights, months since the last flight, "
       "redemptions stopping, card tier, the 2018 promotion); no tenure cliff; 2016-01 .. "
       "2018-12",
       2016 * 12},
      {Scenario::TenureCliff, "tenure-cliff",
       "cancellations driven by tenure alone (a month-8 peak); behaviour carries no signal; "
       "2017-01 .. 2018-12",
       2017 * 12},
      {Scenario::Drift, "drift",
       "behaviour until --drift-month, then members fly less and card tier and the promotion "
       "drive cancellations instead; 2016-01 .. 2018-12",
       2016 * 12},
  };
  return table;
}

const ScenarioInfo& scenario_info(Scenario scenario) {
  for (const auto& s : scenarios()) {
    if (s.id == scenario) {
      return s;
    }
  }
  core::fail(core::ErrorKind::InvalidInput, "unknown scenario {}", static_cast<int>(scenario));
}

const char* to_string(Scenario scenario) { return scenario_info(scenario).name; }

Scenario parse_scenario(const std::string& name) {
  std::string names;
  for (const auto& s : scenarios()) {
    if (name == s.name) {
      return s.id;
    }
    names += (names.empty() ? "" : ", ") + std::string(s.name);
  }
  core::fail(core::ErrorKind::InvalidInput, "unknown scenario '{}'; valid scenarios: {}", name,
             names);
}

const std::vector<MechanismInfo>& mechanisms() {
  static const std::vector<MechanismInfo> table = {
      {Mechanism::Baseline, "baseline", "nothing beyond the scenario's base rate", {}},
      {Mechanism::TenureCliff,
       "tenure_cliff",
       "the month-8 peak in cancellations falls in the next six months",
       {"tenure_months"}},
      {Mechanism::ActivityDrop,
       "activity_drop",
       "flying thinned out, as it does in the months before a cancellation",
       {"months_since_last_flight", "flights_trend_3v3", "distance_trend_3v3", "flights_1m",
        "flights_3m", "flights_6m", "distance_1m", "distance_3m", "distance_6m",
        "active_months_1m", "active_months_3m", "active_months_6m", "points_accumulated_1m",
        "points_accumulated_3m", "points_accumulated_6m"}},
      {Mechanism::FlightTrend,
       "flight_trend",
       "flights in the last 3 months fell against the 3 months before",
       {"flights_trend_3v3", "distance_trend_3v3", "flights_3m", "flights_6m", "distance_3m",
        "distance_6m", "active_months_3m", "active_months_6m", "points_accumulated_3m",
        "points_accumulated_6m"}},
      {Mechanism::Recency,
       "recency",
       "months since the last flight",
       {"months_since_last_flight", "flights_1m", "flights_3m", "distance_1m", "distance_3m",
        "active_months_1m", "active_months_3m", "points_accumulated_1m",
        "points_accumulated_3m"}},
      {Mechanism::RedemptionStop,
       "redemption_stop",
       "points were redeemed in the months before and no longer are",
       {"points_redeemed_1m", "points_redeemed_3m", "points_redeemed_6m", "points_redeemed_12m",
        "dollar_cost_redeemed_1m", "dollar_cost_redeemed_3m", "dollar_cost_redeemed_6m",
        "dollar_cost_redeemed_12m"}},
      {Mechanism::CardTier, "card_tier", "a lower card tier (Star, then Nova)", {"loyalty_card"}},
      {Mechanism::Promotion,
       "promotion",
       "joined on the 2018 promotion",
       {"enrollment_type"}},
  };
  return table;
}

const MechanismInfo& mechanism_info(Mechanism mechanism) {
  for (const auto& m : mechanisms()) {
    if (m.id == mechanism) {
      return m;
    }
  }
  core::fail(core::ErrorKind::InvalidInput, "unknown mechanism {}", static_cast<int>(mechanism));
}

bool feature_names_mechanism(const std::string& feature, Mechanism mechanism) {
  const auto& features = mechanism_info(mechanism).features;
  return std::find(features.begin(), features.end(), feature) != features.end();
}

}  // namespace aa::sample
