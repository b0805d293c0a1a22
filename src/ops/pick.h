#pragma once
// The keys of a JSON object that are present, copied into a new object (operations that
// report a chosen part of a stored report: model_performance, model_health).

#include <initializer_list>
#include <nlohmann/json.hpp>

namespace aa::ops {

inline nlohmann::json pick(const nlohmann::json& from, std::initializer_list<const char*> keys) {
  nlohmann::json out = nlohmann::json::object();
  for (const char* key : keys) {
    if (from.contains(key)) {
      out[key] = from.at(key);
    }
  }
  return out;
}

}  // namespace aa::ops
