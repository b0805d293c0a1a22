#include "monitor/export_cutter.h"

#include <algorithm>
#include <charconv>
#include <fstream>

#include "core/app_error.h"
#include "core/lake.h"
#include "ingest/csv_reader.h"
#include "ingest/ingest.h"

namespace aa::monitor {

namespace {

constexpr const char* kBom = "\xEF\xBB\xBF";

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

std::int64_t integer(std::string_view field) {
  field = trim(field);
  std::int64_t v = -1;
  const auto [end, ec] = std::from_chars(field.data(), field.data() + field.size(), v);
  return ec == std::errc() && end == field.data() + field.size() ? v : -1;
}

// year * 12 + month - 1, or -1 when either is unreadable or out of range.
int month_of(std::string_view year, std::string_view month) {
  const std::int64_t y = integer(year);
  const std::int64_t m = integer(month);
  if (y < 1900 || y > 2200 || m < 1 || m > 12) {
    return -1;
  }
  return static_cast<int>(y * 12 + m - 1);
}

std::vector<std::size_t> columns(const ingest::CsvRecord& header, const std::string& file,
                                 const std::vector<std::string>& names) {
  std::vector<std::size_t> out;
  for (const auto& name : names) {
    const auto it = std::find_if(header.fields.begin(), header.fields.end(),
                                 [&](std::string_view f) { return trim(f) == name; });
    if (it == header.fields.end()) {
      core::fail(core::ErrorKind::InvalidInput, "'{}' has no column '{}' in its header", file,
                 name);
    }
    out.push_back(static_cast<std::size_t>(it - header.fields.begin()));
  }
  return out;
}

// A CSV record from fields, quoting those that need it.
std::string join(const std::vector<std::string>& fields) {
  std::string out;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    const std::string& f = fields[i];
    out += i == 0 ? "" : ",";
    if (f.find_first_of(",\"\n\r") == std::string::npos) {
      out += f;
      continue;
    }
    out += '"';
    for (char c : f) {
      out += c == '"' ? std::string("\"\"") : std::string(1, c);
    }
    out += '"';
  }
  return out;
}

std::ofstream open_out(const fs::path& path) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) {
    core::fail(core::ErrorKind::Io, "cannot write '{}'", path.string());
  }
  return out;
}

}  // namespace

ExportCutter::ExportCutter(const fs::path& raw_dir) {
  read_loyalty(ingest::find_source(raw_dir, core::kLoyaltyCsvName, "customer_loyalty_history"));
  read_activity(ingest::find_source(raw_dir, core::kActivityCsvName, "customer_flight_activity"));
}

void ExportCutter::read_loyalty(const fs::path& path) {
  ingest::CsvReader reader(path, core::kLoyaltyCsvName);
  ingest::CsvRecord record;
  if (!reader.next(record)) {
    core::fail(core::ErrorKind::InvalidInput, "'{}' is empty", path.string());
  }
  loyalty_header_ = (reader.had_bom() ? kBom : "") + std::string(record.raw);
  const auto at = columns(record, core::kLoyaltyCsvName,
                          {"Loyalty Number", "Enrollment Year", "Enrollment Month",
                           "Cancellation Year", "Cancellation Month"});
  while (reader.next(record)) {
    LoyaltyLine line;
    line.raw = std::string(record.raw);
    const bool complete = record.malformed.empty() && record.fields.size() > at[4];
    if (complete) {
      line.enrolled = month_of(record.fields[at[1]], record.fields[at[2]]);
      line.cancelled = month_of(record.fields[at[3]], record.fields[at[4]]);
      if (line.cancelled >= 0) {
        std::vector<std::string> fields(record.fields.begin(), record.fields.end());
        fields[at[3]].clear();
        fields[at[4]].clear();
        line.blanked = join(fields);
      }
      const std::int64_t member = integer(record.fields[at[0]]);
      if (member >= 0) {
        enrolled_.emplace_back(member, line.enrolled);
      }
    }
    loyalty_.push_back(std::move(line));
  }
  std::sort(enrolled_.begin(), enrolled_.end());
}

void ExportCutter::read_activity(const fs::path& path) {
  ingest::CsvReader reader(path, core::kActivityCsvName);
  ingest::CsvRecord record;
  if (!reader.next(record)) {
    core::fail(core::ErrorKind::InvalidInput, "'{}' is empty", path.string());
  }
  activity_header_ = (reader.had_bom() ? kBom : "") + std::string(record.raw);
  const auto at = columns(record, core::kActivityCsvName, {"Loyalty Number", "Year", "Month"});
  first_month_ = -1;
  while (reader.next(record)) {
    ActivityLine line;
    line.raw = std::string(record.raw);
    if (record.malformed.empty() && record.fields.size() > at[2]) {
      line.member = integer(record.fields[at[0]]);
      line.month = month_of(record.fields[at[1]], record.fields[at[2]]);
    }
    if (line.month >= 0) {
      first_month_ = first_month_ < 0 ? line.month : std::min(first_month_, line.month);
      last_month_ = std::max(last_month_, line.month);
    }
    activity_.push_back(std::move(line));
  }
  if (first_month_ < 0) {
    core::fail(core::ErrorKind::InvalidInput, "'{}' has no row with a readable year and month",
               path.string());
  }
  std::stable_sort(activity_.begin(), activity_.end(),
                   [](const ActivityLine& a, const ActivityLine& b) { return a.month < b.month; });
}

nlohmann::json ExportCutter::write(int month, const fs::path& out) const {
  fs::create_directories(out);
  std::int64_t members = 0;
  std::int64_t cancellations = 0;
  {
    std::ofstream loyalty = open_out(out / core::kLoyaltyCsvName);
    loyalty << loyalty_header_ << '\n';
    for (const auto& line : loyalty_) {
      if (line.enrolled > month) {
        continue;
      }
      ++members;
      const bool visible = line.cancelled >= 0 && line.cancelled <= month;
      cancellations += visible ? 1 : 0;
      loyalty << (line.cancelled > month ? line.blanked : line.raw) << '\n';
    }
  }
  std::int64_t rows = 0;
  std::ofstream activity = open_out(out / core::kActivityCsvName);
  activity << activity_header_ << '\n';
  for (const auto& line : activity_) {
    if (line.month > month) {
      break;  // in month order: nothing later is written
    }
    const auto it = std::lower_bound(enrolled_.begin(), enrolled_.end(),
                                     std::pair<std::int64_t, int>{line.member, -2});
    const bool known = it != enrolled_.end() && it->first == line.member;
    if (line.month >= 0 && known && it->second > month) {
      continue;  // a member not enrolled yet
    }
    activity << line.raw << '\n';
    ++rows;
  }
  activity.close();
  if (!activity) {
    core::fail(core::ErrorKind::Io, "cannot write '{}'", (out / core::kActivityCsvName).string());
  }
  return {{"members", members}, {"cancellations_visible", cancellations}, {"activity_rows", rows}};
}

}  // namespace aa::monitor
