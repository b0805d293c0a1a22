#include "ingest/schema.h"

#include <algorithm>
#include <cassert>
#include <cctype>

#include "core/app_error.h"

namespace aa::ingest {

namespace {

std::string normalise(std::string_view name) {
  std::string out;
  for (char c : name) {
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  const auto b = out.find_first_not_of(" \t");
  const auto e = out.find_last_not_of(" \t");
  return b == std::string::npos ? "" : out.substr(b, e - b + 1);
}

constexpr double kMaxYear = 2100;
constexpr double kMinYear = 1900;

}  // namespace

std::size_t TableSpec::index_of(const std::string& name) const {
  for (std::size_t i = 0; i < columns.size(); ++i) {
    if (columns[i].name == name) {
      return i;
    }
  }
  assert(false && "unknown column");
  return 0;
}

const TableSpec& loyalty_spec() {
  using T = FieldType;
  static const TableSpec spec{
      "customer_loyalty_history",
      "Customer Loyalty History.csv",
      {
          {"Loyalty Number", "loyalty_number", T::Integer, true, 1, 9.0e15},
          {"Country", "country", T::Text, false, {}, {}},
          {"Province", "province", T::Text, false, {}, {}},
          {"City", "city", T::Text, false, {}, {}},
          {"Postal Code", "postal_code", T::Text, false, {}, {}},
          {"Gender", "gender", T::Text, false, {}, {}},
          {"Education", "education", T::Text, false, {}, {}},
          // Negative salaries are kept as null (counted), so no lower bound here.
          {"Salary", "salary", T::Decimal, false, {}, 1.0e9},
          {"Marital Status", "marital_status", T::Text, false, {}, {}},
          {"Loyalty Card", "loyalty_card", T::Text, false, {}, {}},
          {"CLV", "clv", T::Decimal, false, 0, 1.0e9},
          {"Enrollment Type", "enrollment_type", T::Text, false, {}, {}},
          {"Enrollment Year", "enrollment_year", T::Integer, true, kMinYear, kMaxYear},
          {"Enrollment Month", "enrollment_month", T::Integer, true, 1, 12},
          {"Cancellation Year", "cancellation_year", T::Integer, false, kMinYear, kMaxYear},
          {"Cancellation Month", "cancellation_month", T::Integer, false, 1, 12},
      }};
  return spec;
}

const TableSpec& activity_spec() {
  using T = FieldType;
  // Upper bounds reject physically absurd monthly values (a typo such as 1e12 km) while
  // staying far above anything a real member flies in a month.
  static const TableSpec spec{
      "customer_flight_activity",
      "Customer Flight Activity.csv",
      {
          {"Loyalty Number", "loyalty_number", T::Integer, true, 1, 9.0e15},
          {"Year", "year", T::Integer, true, kMinYear, kMaxYear},
          {"Month", "month", T::Integer, true, 1, 12},
          {"Total Flights", "total_flights", T::Integer, true, 0, 1000},
          {"Distance", "distance", T::Integer, true, 0, 5.0e6},
          {"Points Accumulated", "points_accumulated", T::Decimal, true, 0, 1.0e8},
          {"Points Redeemed", "points_redeemed", T::Integer, true, 0, 1.0e8},
          {"Dollar Cost Points Redeemed", "dollar_cost_points_redeemed", T::Decimal, true, 0,
           1.0e7},
      }};
  return spec;
}

HeaderMap map_header(const TableSpec& spec, const CsvRecord& header, const std::string& file) {
  core::Location where;
  where.file = file;
  where.line = header.line;
  if (header.fields.size() == 1 && header.fields[0].find(';') != std::string_view::npos) {
    where.column = 1;
    where.rule = "delimiter";
    core::fail_at(where, "the header is separated by ';' but the file must be comma-separated");
  }
  HeaderMap map;
  map.field_count = header.fields.size();
  map.field_of.assign(spec.columns.size(), SIZE_MAX);
  for (std::size_t f = 0; f < header.fields.size(); ++f) {
    const std::string got = normalise(header.fields[f]);
    auto it = std::find_if(spec.columns.begin(), spec.columns.end(), [&](const ColumnSpec& c) {
      return got == normalise(c.source_name) || got == c.name;
    });
    where.column = static_cast<std::int64_t>(f + 1);
    if (it == spec.columns.end()) {
      where.column_name = std::string(header.fields[f]);
      where.rule = "unexpected_column";
      core::fail_at(where, "this column is not part of the {} contract (expected columns: {})",
                    spec.source_file, [&] {
                      std::string names;
                      for (const auto& c : spec.columns) {
                        names += (names.empty() ? "" : ", ") + c.source_name;
                      }
                      return names;
                    }());
    }
    const std::size_t idx = static_cast<std::size_t>(it - spec.columns.begin());
    if (map.field_of[idx] != SIZE_MAX) {
      where.column_name = it->source_name;
      where.rule = "duplicate_column";
      core::fail_at(where, "the column appears twice (first as field {})", map.field_of[idx] + 1);
    }
    map.field_of[idx] = f;
  }
  for (std::size_t i = 0; i < spec.columns.size(); ++i) {
    if (map.field_of[i] == SIZE_MAX) {
      where.column = 0;
      where.column_name = spec.columns[i].source_name;
      where.rule = "missing_column";
      core::fail_at(where, "the required column is missing from the header");
    }
  }
  return map;
}

}  // namespace aa::ingest
