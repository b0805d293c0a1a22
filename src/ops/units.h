#pragma once
// Units of the figures operations return: money is CAD, distance km, recency and tenure months,
// rates fractions. Every numeric field an operation returns has a unit; with_units() adds the
// "units" object to a result and fails (a bug, not a user error) on a field it cannot place.

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace aa::ops {

// The unit of a result field by its name, such as "CAD" for "avg_clv"; nullopt if unknown.
std::optional<std::string> unit_of(const std::string& field);

// Returns result with "units": {field: unit} for every numeric field found at any depth.
nlohmann::json with_units(nlohmann::json result);

}  // namespace aa::ops
