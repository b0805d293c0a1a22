#pragma once
// The monitor's figures as tables, for the warehouse and Athena: model_health (one row per
// kept scoring matured at least one month) and model_drift (one row per model feature and the
// score, for the latest scoring).

#include <filesystem>
#include <nlohmann/json.hpp>

#include "core/duck.h"

namespace aa::monitor {

// Writes both Parquet files from monitor.json's "realized" and "drift".
void write_monitor_tables(duck::Connection& connection, const nlohmann::json& realized,
                          const nlohmann::json& drift, const std::filesystem::path& health,
                          const std::filesystem::path& drift_file);

}  // namespace aa::monitor
