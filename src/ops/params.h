#pragma once
// Operation parameters: each operation declares its parameters (type, bounds, choices,
// default); requests are checked against the declaration and rejected with a message that
// names the parameter and what it accepts. Values given as strings (from the command line)
// are parsed strictly.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace aa::ops {

enum class ParamType { Integer, Number, Boolean, Enum };

struct ParamSpec {
  std::string name;
  ParamType type = ParamType::Integer;
  std::string description;
  nlohmann::json default_value;  // null: optional without default (or required)
  double min = 0;
  double max = 0;
  std::vector<std::string> choices;  // Enum
  std::string unit;
  bool required = false;

  nlohmann::json to_json() const;
};

// Checked parameters, every declared one present (defaults filled in, null when absent).
class ParamValues {
 public:
  explicit ParamValues(nlohmann::json values) : values_(std::move(values)) {}
  std::int64_t integer(const std::string& name) const;
  double number(const std::string& name) const;
  bool boolean(const std::string& name) const;
  std::string text(const std::string& name) const;
  std::optional<std::string> optional_text(const std::string& name) const;
  std::optional<std::int64_t> optional_integer(const std::string& name) const;
  const nlohmann::json& json() const { return values_; }

 private:
  const nlohmann::json& at(const std::string& name) const;
  nlohmann::json values_;
};

// Checks `given` (an object, or null for none) against the declarations of `op`.
ParamValues check_params(const std::string& op, const std::vector<ParamSpec>& specs,
                         const nlohmann::json& given);

// Single-value readers shared with the filters. `what` names the value in messages.
std::string read_choice(const std::string& what, const nlohmann::json& value,
                        const std::vector<std::string>& choices);
double read_number(const std::string& what, const nlohmann::json& value, double min, double max);
std::int64_t read_integer(const std::string& what, const nlohmann::json& value, std::int64_t min,
                          std::int64_t max);
bool read_boolean(const std::string& what, const nlohmann::json& value);

}  // namespace aa::ops
