#pragma once
// The explicit schema contracts of the two raw files: column names as the data set ships
// them, the lake's snake_case names, types, and value rules. Nothing is inferred.

#include <optional>
#include <string>
#include <vector>

#include "ingest/csv_reader.h"

namespace aa::ingest {

enum class FieldType { Integer, Decimal, Text };

struct ColumnSpec {
  std::string source_name;  // as in the CSV header, e.g. "Loyalty Number"
  std::string name;         // lake name, e.g. "loyalty_number"
  FieldType type;
  bool required;              // an empty cell is a violation
  std::optional<double> min;  // inclusive bounds for numbers
  std::optional<double> max;
};

struct TableSpec {
  std::string table;        // lake table name, e.g. "customer_loyalty_history"
  std::string source_file;  // the data set's file name
  std::vector<ColumnSpec> columns;

  std::size_t index_of(const std::string& name) const;  // by lake name; asserts it exists
};

const TableSpec& loyalty_spec();
const TableSpec& activity_spec();

// field_of[i]: which CSV field holds spec column i.
struct HeaderMap {
  std::vector<std::size_t> field_of;
  std::size_t field_count = 0;
};

// Checks a header record against the contract. Names match exactly after trimming spaces,
// ignoring case, or as the lake's snake_case name. Missing, duplicated or unexpected columns
// and a wrong delimiter are AppErrors naming the file, line 1, the column and the rule.
HeaderMap map_header(const TableSpec& spec, const CsvRecord& header, const std::string& file);

}  // namespace aa::ingest
