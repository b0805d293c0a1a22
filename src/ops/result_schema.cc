#include "ops/result_schema.h"

#include <fmt/format.h>

#include <map>
#include <set>
#include <utility>

namespace aa::ops {

namespace {

bool is_scalar(ResultType type) {
  return type == ResultType::Integer || type == ResultType::Number || type == ResultType::String ||
         type == ResultType::Boolean;
}

bool is_numeric(ResultType type) {
  return type == ResultType::Integer || type == ResultType::Number;
}

const ResultField* find_field(const ResultSchema& fields, const std::string& name) {
  for (const auto& f : fields) {
    if (f.name == name) {
      return &f;
    }
  }
  return nullptr;
}

}  // namespace

const char* type_name(ResultType type) {
  switch (type) {
    case ResultType::Integer:
      return "integer";
    case ResultType::Number:
      return "number";
    case ResultType::String:
      return "string";
    case ResultType::Boolean:
      return "boolean";
    case ResultType::Object:
      return "object";
    case ResultType::Array:
      return "array";
    case ResultType::Map:
      return "map";
  }
  return "?";
}

std::string markdown_cell(const std::string& text) {
  std::string out;
  for (const char c : text) {
    out += c == '|' ? std::string("\\|") : std::string(1, c);
  }
  return out;
}

ResultField integer(std::string name, std::string unit, std::string description) {
  return {std::move(name), ResultType::Integer, std::move(unit), std::move(description), {}};
}

ResultField number(std::string name, std::string unit, std::string description) {
  return {std::move(name), ResultType::Number, std::move(unit), std::move(description), {}};
}

ResultField text(std::string name, std::string description) {
  return {std::move(name), ResultType::String, "", std::move(description), {}};
}

ResultField flag(std::string name, std::string description) {
  return {std::move(name), ResultType::Boolean, "", std::move(description), {}};
}

ResultField object(std::string name, std::string description, ResultSchema fields) {
  return {std::move(name), ResultType::Object, "", std::move(description), std::move(fields)};
}

ResultField rows(std::string name, std::string description, ResultSchema fields) {
  ResultField f{std::move(name), ResultType::Array, "", std::move(description), std::move(fields)};
  f.element = ResultType::Object;
  return f;
}

ResultField list(std::string name, ResultType element, std::string unit, std::string description) {
  ResultField f{std::move(name), ResultType::Array, std::move(unit), std::move(description), {}};
  f.element = element;
  return f;
}

ResultField map(std::string name, std::string description, ResultSchema fields) {
  ResultField f{std::move(name), ResultType::Map, "", std::move(description), std::move(fields)};
  f.element = ResultType::Object;
  return f;
}

ResultField under_parent(ResultField field) {
  field.under_parent = true;
  return field;
}

nlohmann::json ResultField::to_json() const {
  nlohmann::json out = {{"name", name}, {"type", type_name(type)}, {"description", description}};
  if (!unit.empty()) {
    out["unit"] = unit;
  }
  if (type == ResultType::Array || type == ResultType::Map) {
    out["element"] = type_name(element);
  }
  if (!fields.empty()) {
    out["fields"] = schema_json(fields);
  }
  if (under_parent) {
    out["unit_key"] = "parent." + name;
  }
  return out;
}

nlohmann::json schema_json(const ResultSchema& schema) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& f : schema) {
    out.push_back(f.to_json());
  }
  return out;
}

namespace {

// Mirrors the result: `field` declares `value` (nullptr when undeclared), `key` is its name in
// the result and `parent` its parent's; array elements keep their array's key and parent.
void collect_units(const ResultField* field, const nlohmann::json& value, const std::string& key,
                   const std::string& parent, nlohmann::json& units) {
  if (value.is_object()) {
    for (const auto& [k, v] : value.items()) {
      const ResultField* child = nullptr;
      if (field != nullptr && field->type == ResultType::Object) {
        child = find_field(field->fields, k);
      } else if (field != nullptr && field->type == ResultType::Map) {
        // The map's value: an object with the map's element fields.
        const ResultField element{k, ResultType::Object, "", "", field->fields};
        collect_units(&element, v, k, key, units);
        continue;
      } else if (field != nullptr && field->type == ResultType::Array &&
                 field->element == ResultType::Object) {
        child = find_field(field->fields, k);
      }
      collect_units(child, v, k, key, units);
    }
    return;
  }
  if (value.is_array()) {
    for (const auto& v : value) {
      collect_units(field, v, key, parent, units);
    }
    return;
  }
  if (!value.is_number() || key.empty() || field == nullptr || field->unit.empty()) {
    return;
  }
  units[field->under_parent ? parent + "." + key : key] = field->unit;
}

std::string describe(const nlohmann::json& v) {
  switch (v.type()) {
    case nlohmann::json::value_t::object:
      return "object";
    case nlohmann::json::value_t::array:
      return "array";
    case nlohmann::json::value_t::string:
      return "string";
    case nlohmann::json::value_t::boolean:
      return "boolean";
    case nlohmann::json::value_t::number_float:
      return "number";
    case nlohmann::json::value_t::number_integer:
    case nlohmann::json::value_t::number_unsigned:
      return "integer";
    default:
      return "null";
  }
}

bool scalar_fits(ResultType type, const nlohmann::json& v) {
  switch (type) {
    case ResultType::Integer:
      return v.is_number_integer();
    case ResultType::Number:
      return v.is_number();
    case ResultType::String:
      return v.is_string();
    case ResultType::Boolean:
      return v.is_boolean();
    default:
      return false;
  }
}

void validate_object(const ResultSchema& fields, const nlohmann::json& value,
                     const std::string& path, std::vector<std::string>& problems);

void validate_value(const ResultField& field, const nlohmann::json& value, const std::string& path,
                    std::vector<std::string>& problems) {
  if (value.is_null()) {
    return;
  }
  const auto wrong = [&](const char* expected) {
    problems.push_back(fmt::format("{}: expected {}, got {}", path, expected, describe(value)));
  };
  if (is_scalar(field.type)) {
    if (!scalar_fits(field.type, value)) {
      wrong(type_name(field.type));
    }
    return;
  }
  if (field.type == ResultType::Object) {
    if (!value.is_object()) {
      wrong("object");
      return;
    }
    validate_object(field.fields, value, path, problems);
    return;
  }
  const bool array = field.type == ResultType::Array;
  if (array ? !value.is_array() : !value.is_object()) {
    wrong(type_name(field.type));
    return;
  }
  for (const auto& [k, v] : value.items()) {
    const std::string at = array ? path + "[]" : path + "." + k;
    if (v.is_null()) {
      continue;
    }
    if (field.element == ResultType::Object) {
      if (!v.is_object()) {
        problems.push_back(fmt::format("{}: expected object, got {}", at, describe(v)));
      } else {
        validate_object(field.fields, v, at, problems);
      }
    } else if (!scalar_fits(field.element, v)) {
      problems.push_back(
          fmt::format("{}: expected {}, got {}", at, type_name(field.element), describe(v)));
    }
    if (array && !problems.empty() && problems.back().rfind(at, 0) == 0) {
      return;  // one element's problem is enough
    }
  }
}

void validate_object(const ResultSchema& fields, const nlohmann::json& value,
                     const std::string& path, std::vector<std::string>& problems) {
  for (const auto& [k, v] : value.items()) {
    const std::string at = path.empty() ? k : path + "." + k;
    const ResultField* field = find_field(fields, k);
    if (field == nullptr) {
      problems.push_back(fmt::format("{}: not declared in the result schema", at));
      continue;
    }
    validate_value(*field, v, at, problems);
  }
}

void check_fields(const ResultSchema& fields, const std::string& path, const std::string& parent,
                  std::map<std::string, std::string>& units, std::vector<std::string>& problems) {
  std::set<std::string> names;
  for (const auto& f : fields) {
    const std::string at = path.empty() ? f.name : path + "." + f.name;
    if (!names.insert(f.name).second) {
      problems.push_back(at + ": declared twice");
    }
    if (f.description.empty()) {
      problems.push_back(at + ": no description");
    }
    const bool numeric =
        is_numeric(f.type) || (f.type != ResultType::Object && is_numeric(f.element) &&
                               (f.type == ResultType::Array || f.type == ResultType::Map));
    if (numeric && f.unit.empty()) {
      problems.push_back(at + ": a number without a unit");
    }
    if (!numeric && !f.unit.empty()) {
      problems.push_back(at + ": a unit on a field that is not a number");
    }
    if (numeric && f.type != ResultType::Map) {
      const std::string key = f.under_parent ? parent + "." + f.name : f.name;
      const auto [it, inserted] = units.emplace(key, f.unit);
      if (!inserted && it->second != f.unit) {
        problems.push_back(fmt::format("{}: result.units lists '{}' as both '{}' and '{}'", at, key,
                                       it->second, f.unit));
      }
    }
    if (!f.fields.empty()) {
      check_fields(f.fields, f.type == ResultType::Array ? at + "[]" : at, f.name, units, problems);
    }
  }
}

void markdown_rows(const ResultSchema& fields, const std::string& prefix, std::string& out) {
  for (const auto& f : fields) {
    std::string name = prefix + f.name;
    std::string type = type_name(f.type);
    if (f.type == ResultType::Array) {
      name += "[]";
      type = fmt::format("array of {}", f.element == ResultType::Object
                                            ? std::string("objects")
                                            : std::string(type_name(f.element)) + "s");
    } else if (f.type == ResultType::Map) {
      name += ".*";
      type = "map of objects";
    }
    std::string unit = f.unit.empty() ? "–" : f.unit;
    if (f.under_parent) {
      unit += " (listed as parent." + f.name + ")";
    }
    out += fmt::format("| `{}` | {} | {} | {} |\n", name, type, unit, markdown_cell(f.description));
    if (!f.fields.empty()) {
      markdown_rows(f.fields, name + ".", out);
    }
  }
}

}  // namespace

nlohmann::json units_of(const ResultSchema& schema, const nlohmann::json& result) {
  nlohmann::json units = nlohmann::json::object();
  const ResultField root{"", ResultType::Object, "", "", schema};
  collect_units(&root, result, "", "", units);
  return units;
}

std::vector<std::string> validate_result(const ResultSchema& schema, const nlohmann::json& result) {
  std::vector<std::string> problems;
  if (!result.is_object()) {
    problems.push_back("result: expected object, got " + describe(result));
    return problems;
  }
  validate_object(schema, result, "", problems);
  return problems;
}

std::vector<std::string> check_schema(const ResultSchema& schema) {
  std::vector<std::string> problems;
  std::map<std::string, std::string> units;
  check_fields(schema, "", "", units, problems);
  return problems;
}

std::string schema_markdown(const ResultSchema& schema) {
  std::string out = "| field | type | unit | meaning |\n|---|---|---|---|\n";
  markdown_rows(schema, "", out);
  return out;
}

}  // namespace aa::ops
