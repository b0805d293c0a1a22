#include "ops/params.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <charconv>
#include <cmath>

#include "core/app_error.h"

namespace aa::ops {

namespace {

const char* type_name(ParamType type) {
  switch (type) {
    case ParamType::Integer:
      return "integer";
    case ParamType::Number:
      return "number";
    case ParamType::Boolean:
      return "boolean";
    case ParamType::Enum:
      return "enum";
  }
  return "?";
}

// A value as messages show it: strings quoted (and cut short), anything else as JSON.
std::string shown(const nlohmann::json& value) {
  std::string text = value.is_string() ? value.get<std::string>() : value.dump();
  if (text.size() > 60) {
    text = text.substr(0, 57) + "...";
  }
  return value.is_string() ? "'" + text + "'" : text;
}

// A number from a JSON number or a string holding exactly one; nullopt otherwise.
std::optional<double> as_number(const nlohmann::json& value) {
  if (value.is_number()) {
    return value.get<double>();
  }
  if (!value.is_string()) {
    return std::nullopt;
  }
  const std::string text = value.get<std::string>();
  double out = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) {
    return std::nullopt;
  }
  return out;
}

}  // namespace

nlohmann::json ParamSpec::to_json() const {
  nlohmann::json j = {{"name", name}, {"type", type_name(type)}, {"description", description}};
  if (type == ParamType::Integer || type == ParamType::Number) {
    j["min"] = min;
    j["max"] = max;
  }
  if (type == ParamType::Enum) {
    j["choices"] = choices;
  }
  if (!unit.empty()) {
    j["unit"] = unit;
  }
  j["default"] = default_value;
  j["required"] = required;
  return j;
}

std::string read_choice(const std::string& what, const nlohmann::json& value,
                        const std::vector<std::string>& choices) {
  if (value.is_string()) {
    const std::string text = value.get<std::string>();
    if (std::find(choices.begin(), choices.end(), text) != choices.end()) {
      return text;
    }
  }
  core::fail(core::ErrorKind::InvalidInput, "{}: {} is not one of: {}", what, shown(value),
             fmt::join(choices, ", "));
}

double read_number(const std::string& what, const nlohmann::json& value, double min, double max) {
  const auto number = as_number(value);
  if (!number || !std::isfinite(*number)) {
    core::fail(core::ErrorKind::InvalidInput, "{}: {} is not a number (expected {} to {})", what,
               shown(value), min, max);
  }
  if (*number < min || *number > max) {
    core::fail(core::ErrorKind::InvalidInput, "{}: {} is out of range (expected {} to {})", what,
               *number, min, max);
  }
  return *number;
}

std::int64_t read_integer(const std::string& what, const nlohmann::json& value, std::int64_t min,
                          std::int64_t max) {
  const auto number = as_number(value);
  if (!number || !std::isfinite(*number) || std::floor(*number) != *number) {
    core::fail(core::ErrorKind::InvalidInput, "{}: {} is not an integer (expected {} to {})", what,
               shown(value), min, max);
  }
  if (*number < static_cast<double>(min) || *number > static_cast<double>(max)) {
    core::fail(core::ErrorKind::InvalidInput, "{}: {} is out of range (expected {} to {})", what,
               *number, min, max);
  }
  return static_cast<std::int64_t>(*number);
}

bool read_boolean(const std::string& what, const nlohmann::json& value) {
  if (value.is_boolean()) {
    return value.get<bool>();
  }
  if (value.is_string()) {
    const std::string text = value.get<std::string>();
    if (text == "true" || text == "1") {
      return true;
    }
    if (text == "false" || text == "0") {
      return false;
    }
  }
  core::fail(core::ErrorKind::InvalidInput, "{}: {} is not a boolean (expected true or false)",
             what, shown(value));
}

ParamValues check_params(const std::string& op, const std::vector<ParamSpec>& specs,
                         const nlohmann::json& given) {
  if (!given.is_null() && !given.is_object()) {
    core::fail(core::ErrorKind::InvalidInput, "{}: parameters must be a JSON object", op);
  }
  std::vector<std::string> names;
  for (const auto& spec : specs) {
    names.push_back(spec.name);
  }
  if (given.is_object()) {
    for (const auto& [key, value] : given.items()) {
      if (std::find(names.begin(), names.end(), key) == names.end()) {
        core::fail(
            core::ErrorKind::InvalidInput, "{}: unknown parameter '{}'; valid parameters: {}", op,
            key, names.empty() ? std::string("(none)") : fmt::format("{}", fmt::join(names, ", ")));
      }
    }
  }
  nlohmann::json out = nlohmann::json::object();
  for (const auto& spec : specs) {
    const std::string what = op + " parameter " + spec.name;
    const nlohmann::json value =
        given.is_object() && given.contains(spec.name) ? given.at(spec.name) : nlohmann::json();
    if (value.is_null()) {
      if (spec.required) {
        core::fail(core::ErrorKind::InvalidInput, "{} is required ({})", what, spec.description);
      }
      out[spec.name] = spec.default_value;
      continue;
    }
    switch (spec.type) {
      case ParamType::Integer:
        out[spec.name] = read_integer(what, value, static_cast<std::int64_t>(spec.min),
                                      static_cast<std::int64_t>(spec.max));
        break;
      case ParamType::Number:
        out[spec.name] = read_number(what, value, spec.min, spec.max);
        break;
      case ParamType::Boolean:
        out[spec.name] = read_boolean(what, value);
        break;
      case ParamType::Enum:
        out[spec.name] = read_choice(what, value, spec.choices);
        break;
    }
  }
  return ParamValues(out);
}

const nlohmann::json& ParamValues::at(const std::string& name) const {
  if (!values_.contains(name)) {
    throw std::logic_error("parameter '" + name + "' was not declared");
  }
  return values_.at(name);
}

std::int64_t ParamValues::integer(const std::string& name) const {
  return at(name).get<std::int64_t>();
}
double ParamValues::number(const std::string& name) const { return at(name).get<double>(); }
bool ParamValues::boolean(const std::string& name) const { return at(name).get<bool>(); }
std::string ParamValues::text(const std::string& name) const { return at(name).get<std::string>(); }
std::optional<std::string> ParamValues::optional_text(const std::string& name) const {
  const auto& v = at(name);
  return v.is_null() ? std::nullopt : std::optional<std::string>(v.get<std::string>());
}
std::optional<std::int64_t> ParamValues::optional_integer(const std::string& name) const {
  const auto& v = at(name);
  return v.is_null() ? std::nullopt : std::optional<std::int64_t>(v.get<std::int64_t>());
}

}  // namespace aa::ops
