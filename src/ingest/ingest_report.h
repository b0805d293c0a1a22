#pragma once
// The ingest report: per file, rows read, loaded, quarantined and merged, which must add up.

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "ingest/quarantine.h"

namespace aa::ingest {

struct FileReport {
  std::string file;       // the user's file name
  std::string lake_path;  // the processed Parquet file, relative to the lake
  std::string sha256;
  std::int64_t rows_read = 0;         // data rows (header and blank lines excluded)
  std::int64_t rows_loaded = 0;       // rows in the processed table
  std::int64_t rows_quarantined = 0;  // rows with at least one violation
  std::int64_t rows_merged = 0;       // exact duplicates dropped + same-key rows summed
  std::int64_t exact_duplicates_dropped = 0;
  std::int64_t same_month_rows_summed = 0;
  std::int64_t blank_lines = 0;
  std::int64_t negative_salary_nulled = 0;
  std::map<std::string, std::int64_t> violations_by_rule;
  // Activity: members with months missing between their first and last row (loaded as no
  // activity), the months missing in all, and located findings for the first of them.
  std::int64_t members_with_missing_months = 0;
  std::int64_t missing_member_months = 0;
  nlohmann::json missing_month_findings = nlohmann::json::array();

  bool balanced() const { return rows_read == rows_loaded + rows_quarantined + rows_merged; }
};

nlohmann::json to_json(const FileReport& report, const std::vector<QuarantineRecord>& samples);

}  // namespace aa::ingest
