#pragma once
// The declared shape of an operation's result: every field with its type, unit and a one-line
// description, nested where the result nests. The units a result reports (`result.units`) come
// from it, tests validate every operation's result against it, and debug builds validate at
// run time (run_operation). `ops list --json`, /api/operations and docs/OPERATIONS.md serve it.

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace aa::ops {

enum class ResultType { Integer, Number, String, Boolean, Object, Array, Map };

struct ResultField {
  std::string name;
  ResultType type = ResultType::Number;
  std::string unit;         // numbers, and arrays of numbers: the unit of each number
  std::string description;  // one line
  // Object: its fields. Array and Map: the element's fields when the element is an object.
  std::vector<ResultField> fields;
  // Array and Map: the type of each element (a Map is an object whose keys are data).
  ResultType element = ResultType::Object;
  // A generic name ("churned_avg") listed in result.units under its parent, "recency.churned_avg".
  bool under_parent = false;

  nlohmann::json to_json() const;
};

using ResultSchema = std::vector<ResultField>;

// Declarations, so that an operation's schema reads as a table.
ResultField integer(std::string name, std::string unit, std::string description);
ResultField number(std::string name, std::string unit, std::string description);
ResultField text(std::string name, std::string description);
ResultField flag(std::string name, std::string description);
ResultField object(std::string name, std::string description, ResultSchema fields);
// An array of objects with these fields.
ResultField rows(std::string name, std::string description, ResultSchema fields);
// An array of numbers (integers when `element` is Integer) or of strings.
ResultField list(std::string name, ResultType element, std::string unit, std::string description);
// An object whose keys are data (names of baselines, say), each value an object with `fields`.
ResultField map(std::string name, std::string description, ResultSchema fields);
// The same field, listed in result.units as "parent.name".
ResultField under_parent(ResultField field);

const char* type_name(ResultType type);

nlohmann::json schema_json(const ResultSchema& schema);

// {field: unit} for every number present in `result`, at any depth: the field's name, or
// "parent.name" for a field declared under_parent. Numbers the schema does not declare are
// skipped (validate_result reports them).
nlohmann::json units_of(const ResultSchema& schema, const nlohmann::json& result);

// What in `result` the schema does not allow: an undeclared key, a value of the wrong type
// ("rows[].avg_clv: expected number, got string"). Null is allowed everywhere (a figure that
// is undefined on the slice). Empty when the result conforms.
std::vector<std::string> validate_result(const ResultSchema& schema, const nlohmann::json& result);

// What is wrong with a declaration: a number without a unit, a field without a description, a
// name declared twice in one object, one units key with two units.
std::vector<std::string> check_schema(const ResultSchema& schema);

// Text for a Markdown table's cell ('|' escaped).
std::string markdown_cell(const std::string& text);

// Rows of a Markdown table: | `rows[].avg_clv` | number | CAD | description |.
std::string schema_markdown(const ResultSchema& schema);

}  // namespace aa::ops
