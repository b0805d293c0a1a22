#pragma once
// What the loyalty and activity parsers share: a file's parse state, the members the loyalty
// file defined, the quarantine of a rejected row, and the loop that reads and validates a CSV's
// rows (read_rows), leaving what a valid row does to the parser.

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/app_error.h"
#include "core/files.h"
#include "core/progress.h"
#include "ingest/activity_merge.h"
#include "ingest/csv_reader.h"
#include "ingest/ingest_report.h"
#include "ingest/quarantine.h"
#include "ingest/row_validator.h"
#include "ingest/schema.h"

namespace aa::ingest {

// Per-file parse state shared by both files.
struct FileParse {
  const TableSpec& spec;
  FileReport report;
  std::string staging_table;
  std::int64_t month_field = 0;  // the Month column's field number in the user's file
  // The activity file, once merged: member-months and the distinct source rows they hold.
  std::int64_t merged_keys = 0;
  std::int64_t distinct_rows = 0;
};

inline constexpr std::uint32_t kUnnumbered = 0xFFFFFFFF;

struct MemberState {
  std::int64_t line = 0;               // the member's line in the loyalty file
  bool activity_done = false;          // its activity rows have been merged (streaming merge)
  std::uint32_t number = kUnnumbered;  // its order of first appearance (spilled merge)
};
using MemberLines = std::unordered_map<std::int64_t, MemberState>;

// Counts a rejected row; `record_it` false when its records are already in the quarantine (a
// second pass over the file).
void quarantine_row(Quarantine& quarantine, FileReport& report, const RowValidator& validator,
                    const TableSpec& spec, const CsvRecord& record, const ParsedRow& row,
                    bool record_it);

// Copies a finished merge's counts, and the months missing inside members' spans, into the
// activity file's report.
void record_merge(FileParse& file, const MemberBlockMerger& merger);

// Reads the CSV at `path` (growing as it is copied, when `growing` is set) for `file`: its
// header, then each row, validated. `rows` is the parser:
//   - rows.start(validator) once the header is mapped;
//   - rows.check(record, row) for a row without violations: it may add some (member rules);
//   - rows.accept(record, row) for a valid row; false stops the reading there;
//   - rows.finish() after the last row.
// A rejected row is quarantined (its records only from line `recorded_before` on). Returns
// false when accept() stopped the reading, true when the file was read to its end.
template <typename Rows>
bool read_rows(const fs::path& path, FileParse& file, Quarantine& quarantine,
               const GrowingFile* growing, std::int64_t recorded_before, Rows& rows) {
  const TableSpec& spec = file.spec;
  CsvReader reader(path, spec.source_file, ',', growing);
  CsvRecord record;
  if (!reader.next(record)) {
    core::fail_at(core::Location{spec.source_file, 1, 1, "", "empty_file"},
                  "the file holds no header line (only blank lines)");
  }
  const RowValidator validator(spec, map_header(spec, record, spec.source_file), spec.source_file);
  rows.start(validator);
  core::ProgressBar bar(spec.source_file, reader.total_bytes());
  ParsedRow row;
  FileReport& report = file.report;
  while (reader.next(record)) {
    ++report.rows_read;
    validator.validate(record, row);
    if (row.violations.empty()) {
      rows.check(record, row);
    }
    if (!row.violations.empty()) {
      quarantine_row(quarantine, report, validator, spec, record, row,
                     record.line >= recorded_before);
    } else if (!rows.accept(record, row)) {
      return false;
    }
    if ((report.rows_read & 0xFFFF) == 0) {
      bar.update(reader.bytes_read());
    }
  }
  bar.finish();
  rows.finish();
  report.blank_lines = reader.blank_lines();
  if (report.rows_read == 0) {
    core::fail_at(core::Location{spec.source_file, 2, 1, "", "no_data_rows"},
                  "the file has a header but no data rows");
  }
  return true;
}

}  // namespace aa::ingest
