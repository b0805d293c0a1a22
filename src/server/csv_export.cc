#include "server/csv_export.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <set>
#include <vector>

#include "core/app_error.h"

namespace aa::server {

namespace {

using nlohmann::json;

std::string csv_cell(const json& value) {
  if (value.is_null()) {
    return "";
  }
  std::string text;
  if (value.is_string()) {
    text = value.get<std::string>();
    // A cell a spreadsheet would evaluate ("=cmd|..."): shown as text instead.
    if (!text.empty() && (text[0] == '=' || text[0] == '+' || text[0] == '-' || text[0] == '@' ||
                          text[0] == '\t' || text[0] == '\r')) {
      text.insert(text.begin(), '\'');
    }
  } else if (value.is_boolean()) {
    text = value.get<bool>() ? "true" : "false";
  } else {
    text = value.dump();
  }
  if (text.find_first_of(",\"\r\n") == std::string::npos) {
    return text;
  }
  std::string quoted = "\"";
  for (const char c : text) {
    quoted += c;
    if (c == '"') {
      quoted += '"';
    }
  }
  return quoted + "\"";
}

bool is_table(const json& value) {
  return value.is_array() && !value.empty() &&
         std::all_of(value.begin(), value.end(), [](const json& row) { return row.is_object(); });
}

}  // namespace

std::string table_csv(const json& result, const std::string& table) {
  const json* rows = nullptr;
  if (!table.empty()) {
    const auto it = result.find(table);
    if (it != result.end() && is_table(*it)) {
      rows = &*it;
    } else if (it != result.end() && it->is_array() && it->empty()) {
      rows = &*it;
    }
  } else {
    for (const auto& [key, value] : result.items()) {
      if (is_table(value)) {
        rows = &value;
        break;
      }
    }
  }
  if (rows == nullptr) {
    std::vector<std::string> tables;
    for (const auto& [key, value] : result.items()) {
      if (value.is_array()) {
        tables.push_back(key);
      }
    }
    core::fail(core::ErrorKind::InvalidInput, "the result has no table '{}'; its tables: {}", table,
               tables.empty() ? "none" : fmt::format("{}", fmt::join(tables, ", ")));
  }
  std::vector<std::string> columns;
  std::set<std::string> seen;
  for (const char* first : {"rank", "loyalty_number"}) {
    for (const auto& row : *rows) {
      if (row.contains(first) && seen.insert(first).second) {
        columns.emplace_back(first);
      }
    }
  }
  for (const auto& row : *rows) {
    for (const auto& [key, value] : row.items()) {
      if (seen.insert(key).second) {
        columns.push_back(key);
      }
    }
  }
  std::string out;
  for (std::size_t c = 0; c < columns.size(); ++c) {
    out += (c ? "," : "") + csv_cell(columns[c]);
  }
  out += "\r\n";
  for (const auto& row : *rows) {
    for (std::size_t c = 0; c < columns.size(); ++c) {
      const auto it = row.find(columns[c]);
      out += (c ? "," : "") + (it == row.end() ? std::string() : csv_cell(*it));
    }
    out += "\r\n";
  }
  return out;
}

}  // namespace aa::server
