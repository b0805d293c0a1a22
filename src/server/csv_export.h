#pragma once
// CSV export of an operation's table (POST /api/export/{name}).

#include <nlohmann/json.hpp>
#include <string>

namespace aa::server {

// The table at `table` (a key of the result holding an array of objects; the first such key
// when empty) as CSV: a header of the union of the rows' keys, loyalty_number and rank first;
// nested values as JSON; text that a spreadsheet would run as a formula is prefixed with '.
// AppError(InvalidInput) when the result has no such table.
std::string table_csv(const nlohmann::json& result, const std::string& table);

}  // namespace aa::server
