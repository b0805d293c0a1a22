#pragma once
// Turns one CSV record into typed values and a list of every rule it breaks. Rows that
// break a rule are quarantined whole, with one record per violation; nothing stops at the
// first problem. Text that is not UTF-8 is a file-level error (the file's encoding is wrong).

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "ingest/schema.h"

namespace aa::ingest {

struct Value {
  bool null = true;
  std::int64_t integer = 0;
  double decimal = 0;
  std::string_view text;
};

// kRowLevel: a rule about the whole row rather than one column.
inline constexpr std::size_t kRowLevel = static_cast<std::size_t>(-1);

struct Violation {
  std::size_t column = kRowLevel;  // spec column index
  std::string rule;
  std::string message;
  std::string value;
};

struct ParsedRow {
  std::vector<Value> values;
  std::vector<Violation> violations;
  bool salary_nulled = false;  // a negative salary was kept as null
};

class RowValidator {
 public:
  RowValidator(const TableSpec& spec, HeaderMap map, std::string file);
  // Fills `out` (reused across calls). Throws AppError only for invalid UTF-8.
  void validate(const CsvRecord& record, ParsedRow& out) const;

  // 1-based CSV field number of a spec column (for locations).
  std::int64_t field_number(std::size_t column) const {
    return static_cast<std::int64_t>(map_.field_of[column] + 1);
  }

 private:
  void parse_field(std::size_t column, std::string_view text, std::int64_t line,
                   ParsedRow& out) const;
  // Checks a parsed number against the column's bounds; sets the value non-null when it holds.
  void check_range(std::size_t column, double number, std::string_view raw, ParsedRow& out) const;
  void check_loyalty_row(ParsedRow& out) const;

  const TableSpec& spec_;
  HeaderMap map_;
  std::vector<double> low_;  // each column's bounds, infinite where it has none
  std::vector<double> high_;
  std::string file_;
  bool is_loyalty_;
};

}  // namespace aa::ingest
