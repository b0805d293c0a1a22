#pragma once
// The processed flight activity as one Parquet file per data month
// (processed/customer_flight_activity/YYYY-MM.parquet) and its index, _months.json: each
// month's rows and a fingerprint of its content (the XOR of DuckDB's hash of every row, so the
// rows' order does not matter; member-months are unique, so no two rows cancel).
//
// An arrival's merged rows are written, partitioned by month, into a scratch folder. Each month
// is then compared with the published index:
//   - a new month is appended (YYYY-MM.parquet);
//   - a month that only gained rows (new members' rows: every published row is still there) is
//     extended: the new rows are appended as one more file of that month (YYYY-MM+N.parquet),
//     up to kMaxMonthFiles files, beyond which the month is written again as one file;
//   - a month with a row restated or removed is rewritten as one file;
//   - an unchanged month is left as it is (its files are not touched);
//   - a month the export no longer holds is removed;
// all in the ingest's publish set. The comparison of the arrival with the previous one by kind
// (arrival_activity_changes.sql) then reads only the months that changed.

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/duck.h"
#include "core/files.h"
#include "core/lake.h"

namespace aa::ingest {

struct ActivityMonth {
  std::int64_t rows = 0;
  std::string fingerprint;
  std::vector<std::string> files;  // file names in the folder, the month's first file first
};

// The most files a month may hold before it is written again as one.
inline constexpr std::size_t kMaxMonthFiles = 12;
using ActivityMonthIndex = std::map<std::string, ActivityMonth>;  // by "YYYY-MM"

// DuckDB's list literal of the files' paths (['a', 'b']), for read_parquet.
std::string parquet_list(const std::vector<fs::path>& files);

// The published index; empty when the lake has none (a first ingest, or a lake written before
// the monthly folder).
ActivityMonthIndex read_activity_index(const core::Lake& lake);

class ActivityMonths {
 public:
  // `scratch`: a folder of its own under the lake's work folder, removed when this ends.
  ActivityMonths(const core::Lake& lake, fs::path scratch);
  ~ActivityMonths();
  ActivityMonths(const ActivityMonths&) = delete;
  ActivityMonths& operator=(const ActivityMonths&) = delete;

  // The COPY statement that writes `select_sql`'s rows (the processed activity's columns) into
  // the scratch folder, a file per month.
  std::string copy_sql(const std::string& select_sql, const std::string& parquet_options) const;

  // After the copy: measures every written month and compares it with the published index.
  void compare(duck::Connection& connection);

  // Stages the new and rewritten months, the removals and the new index into `outputs`, adding
  // every month file and the index to `published`; `known_sha256` receives the recorded hashes
  // of the months left as they were (from `recorded`, the stage's last record, by path
  // relative to the lake), so they are not read again. Returns the report's "processed_activity"
  // section.
  nlohmann::json stage(core::PublishGroup& outputs, std::vector<fs::path>& published,
                       const std::map<std::string, std::string>& recorded,
                       std::map<fs::path, std::string>& known_sha256) const;

  // For the comparison by kind: the arrived files of the months that are new or rewritten, the
  // published files of the months rewritten or removed (the whole legacy file when the lake
  // has no index), and the member-months of the months left as they were.
  std::vector<fs::path> arrived_changed_files() const;
  std::vector<fs::path> previous_changed_files() const;
  std::int64_t unchanged_member_months() const;
  bool has_previous() const { return !previous_.empty() || legacy_; }
  // The previous export's last month ("YYYY-MM"); empty without an index.
  std::string previous_last_month() const;

  // The arrival's first and last month; AppError when it holds no month.
  std::string first_month() const;
  std::string last_month() const;

 private:
  fs::path partition_folder(const std::string& month) const;
  fs::path scratch_file(const std::string& month) const;
  fs::path delta_file(const std::string& month) const;
  std::vector<fs::path> published_files(const ActivityMonth& month) const;
  // compare()'s parts.
  void combine_parts(duck::Connection& connection);
  void measure(duck::Connection& connection);
  // Writes a month's added rows as one more file when every published row is still there;
  // false (nothing written) otherwise.
  bool extend(duck::Connection& connection, const std::string& month, ActivityMonth& m,
              const ActivityMonth& before, const std::vector<fs::path>& files);

  const core::Lake& lake_;
  fs::path scratch_;
  ActivityMonthIndex previous_;
  ActivityMonthIndex arrived_;
  bool legacy_ = false;  // the lake holds the single file of before (and no index)
  std::vector<std::string> appended_, extended_, rewritten_, unchanged_, removed_;
  std::map<std::string, std::int64_t> extended_rows_;  // the rows each extended month gained
};

}  // namespace aa::ingest
