#include "ingest/row_validator.h"

#include <fmt/core.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>

#include "core/app_error.h"
#include "ingest/encoding.h"

namespace aa::ingest {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) {
    s.remove_suffix(1);
  }
  return s;
}

bool parse_double(std::string_view s, double& out) {
  if (!s.empty() && s.front() == '+') {
    s.remove_prefix(1);
  }
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && ptr == s.data() + s.size() && std::isfinite(out);
}

// Whole numbers, also written as "12.0" or "1e3".
bool parse_integer(std::string_view s, std::int64_t& out) {
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  if (ec == std::errc() && ptr == s.data() + s.size()) {
    return true;
  }
  double d = 0;
  if (!parse_double(s, d) || std::trunc(d) != d || std::fabs(d) > 9.0e15) {
    return false;
  }
  out = static_cast<std::int64_t>(d);
  return true;
}

std::string show(double v) { return fmt::format("{}", v); }

// The common case, decided without trimming, a UTF-8 check or from_chars: plain ASCII digits.
// Anything else (a sign, spaces, an exponent, more digits) goes the general way.
bool parse_plain_integer(std::string_view s, std::int64_t& out) {
  if (s.empty() || s.size() > 18) {
    return false;
  }
  std::int64_t value = 0;
  for (const char ch : s) {
    const auto digit = static_cast<unsigned>(static_cast<unsigned char>(ch)) - '0';
    if (digit > 9) {
      return false;
    }
    value = value * 10 + digit;
  }
  out = value;
  return true;
}

// Digits with at most one '.' between digits, 15 significant digits at most. The digits as an
// integer (below 2^53) and the power of ten (at most 10^15) are exact doubles, so one division
// rounds correctly: the same double from_chars gives.
bool parse_plain_decimal(std::string_view s, double& out) {
  static constexpr double kPow10[] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                      1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
  if (s.empty() || s.size() > 16 || s.front() == '.' || s.back() == '.') {
    return false;
  }
  std::uint64_t digits = 0;
  int decimals = -1;  // digits after the point; -1: no point
  for (const char ch : s) {
    if (ch == '.') {
      if (decimals >= 0) {
        return false;
      }
      decimals = 0;
      continue;
    }
    const auto digit = static_cast<unsigned>(static_cast<unsigned char>(ch)) - '0';
    if (digit > 9) {
      return false;
    }
    digits = digits * 10 + digit;
    decimals += decimals >= 0 ? 1 : 0;
  }
  if (s.size() - (decimals >= 0 ? 1 : 0) > 15) {
    return false;
  }
  out = static_cast<double>(digits) / kPow10[decimals > 0 ? decimals : 0];
  return true;
}

}  // namespace

RowValidator::RowValidator(const TableSpec& spec, HeaderMap map, std::string file)
    : spec_(spec),
      map_(std::move(map)),
      file_(std::move(file)),
      is_loyalty_(spec.table == loyalty_spec().table) {
  constexpr double kInfinity = std::numeric_limits<double>::infinity();
  for (const auto& column : spec_.columns) {
    low_.push_back(column.min.value_or(-kInfinity));
    high_.push_back(column.max.value_or(kInfinity));
  }
}

void RowValidator::validate(const CsvRecord& record, ParsedRow& out) const {
  out.values.assign(spec_.columns.size(), Value{});
  out.violations.clear();
  out.salary_nulled = false;
  if (!record.malformed.empty()) {
    out.violations.push_back({kRowLevel, "malformed_csv", record.malformed, ""});
    return;
  }
  if (record.fields.size() != map_.field_count) {
    out.violations.push_back({kRowLevel, "field_count",
                              fmt::format("expected {} fields as in the header, found {}",
                                          map_.field_count, record.fields.size()),
                              ""});
    return;
  }
  for (std::size_t c = 0; c < spec_.columns.size(); ++c) {
    parse_field(c, record.fields[map_.field_of[c]], record.line, out);
  }
  if (is_loyalty_) {
    check_loyalty_row(out);
  }
}

void RowValidator::parse_field(std::size_t c, std::string_view raw, std::int64_t line,
                               ParsedRow& out) const {
  const ColumnSpec& col = spec_.columns[c];
  Value& v = out.values[c];
  if ((col.type == FieldType::Integer && parse_plain_integer(raw, v.integer)) ||
      (col.type == FieldType::Decimal && parse_plain_decimal(raw, v.decimal))) {
    check_range(c, col.type == FieldType::Integer ? static_cast<double>(v.integer) : v.decimal, raw,
                out);
    return;
  }
  const std::size_t bad = find_invalid_utf8(raw);
  if (bad != std::string_view::npos) {
    core::Location where{file_, line, field_number(c), col.source_name, "encoding"};
    core::fail_at(
        where,
        "invalid UTF-8 byte 0x{:02X}; the file looks like Latin-1 or Windows-1252. Save it "
        "as UTF-8 (for example: iconv -f LATIN1 -t UTF-8 in.csv > out.csv)",
        static_cast<unsigned char>(raw[bad]));
  }
  const std::string_view text = trim(raw);
  if (text.empty()) {
    if (col.required) {
      out.violations.push_back({c, "required", "a value is required", ""});
    }
    return;
  }
  double number = 0;
  if (col.type == FieldType::Text) {
    v.null = false;
    v.text = text;
    return;
  }
  if (col.type == FieldType::Integer) {
    if (!parse_integer(text, v.integer)) {
      out.violations.push_back({c, "not_integer", "expected a whole number", std::string(raw)});
      return;
    }
    number = static_cast<double>(v.integer);
  } else {
    if (!parse_double(text, v.decimal)) {
      out.violations.push_back({c, "not_number", "expected a number", std::string(raw)});
      return;
    }
    number = v.decimal;
  }
  check_range(c, number, raw, out);
}

void RowValidator::check_range(std::size_t c, double number, std::string_view raw,
                               ParsedRow& out) const {
  if (number >= low_[c] && number <= high_[c]) {
    out.values[c].null = false;
    return;
  }
  const ColumnSpec& col = spec_.columns[c];
  if (col.min && number < *col.min) {
    const bool negative = *col.min == 0;
    out.violations.push_back(
        {c, negative ? "negative_value" : "out_of_range",
         negative ? "must not be negative"
                  : fmt::format("must be between {} and {}", show(*col.min), show(*col.max)),
         std::string(raw)});
    return;
  }
  if (col.max && number > *col.max) {
    out.violations.push_back(
        {c, "out_of_range",
         fmt::format("must be between {} and {}", show(col.min.value_or(0)), show(*col.max)),
         std::string(raw)});
    return;
  }
  out.values[c].null = false;
}

void RowValidator::check_loyalty_row(ParsedRow& out) const {
  static const std::size_t salary = loyalty_spec().index_of("salary");
  static const std::size_t enroll_y = loyalty_spec().index_of("enrollment_year");
  static const std::size_t enroll_m = loyalty_spec().index_of("enrollment_month");
  static const std::size_t cancel_y = loyalty_spec().index_of("cancellation_year");
  static const std::size_t cancel_m = loyalty_spec().index_of("cancellation_month");
  auto& vals = out.values;
  if (!vals[salary].null && vals[salary].decimal < 0) {
    vals[salary].null = true;
    out.salary_nulled = true;
  }
  // A rule across fields runs when the fields it reads parsed, so that one run reports every
  // violation of the row (a whole-row violation, such as a wrong field count, stops them all).
  auto parsed = [&](std::initializer_list<std::size_t> columns) {
    for (const auto& v : out.violations) {
      if (v.column == kRowLevel ||
          std::find(columns.begin(), columns.end(), v.column) != columns.end()) {
        return false;
      }
    }
    return true;
  };
  if (!parsed({cancel_y, cancel_m})) {
    return;
  }
  if (vals[cancel_y].null != vals[cancel_m].null) {
    out.violations.push_back({vals[cancel_y].null ? cancel_y : cancel_m, "incomplete_cancellation",
                              "cancellation year and month must both be present or both be empty",
                              ""});
    return;
  }
  if (!vals[cancel_y].null && parsed({enroll_y, enroll_m})) {
    const auto enrolled = vals[enroll_y].integer * 12 + vals[enroll_m].integer;
    const auto cancelled = vals[cancel_y].integer * 12 + vals[cancel_m].integer;
    if (cancelled < enrolled) {
      out.violations.push_back(
          {kRowLevel, "cancellation_before_enrollment",
           fmt::format("cancelled {}-{:02} before enrolling {}-{:02}", vals[cancel_y].integer,
                       vals[cancel_m].integer, vals[enroll_y].integer, vals[enroll_m].integer),
           ""});
    }
  }
}

}  // namespace aa::ingest
