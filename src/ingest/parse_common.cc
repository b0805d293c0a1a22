#include "ingest/parse_common.h"

#include <fmt/format.h>

namespace aa::ingest {

namespace {

std::string month_text(std::int64_t index) {
  return fmt::format("{:04}-{:02}", index / 12, index % 12 + 1);
}

// Months missing inside a member's span are loaded as no activity; each is reported, located
// at the member's first row (there is no row to quarantine).
void record_gaps(FileParse& file, std::int64_t members, std::int64_t months,
                 const std::vector<MonthGap>& samples) {
  FileReport& report = file.report;
  report.members_with_missing_months = members;
  report.missing_member_months = months;
  for (const auto& gap : samples) {
    report.missing_month_findings.push_back(
        {{"file", file.spec.source_file},
         {"line", gap.line},
         {"column", file.month_field},
         {"column_name", "Month"},
         {"rule", "missing_month"},
         {"value", std::to_string(gap.member)},
         {"message",
          fmt::format("loyalty number {} has rows from {} to {} but none for {} of those months; "
                      "they count as months without activity",
                      gap.member, month_text(gap.first_month), month_text(gap.last_month),
                      gap.missing)}});
  }
}

}  // namespace

void quarantine_row(Quarantine& quarantine, FileReport& report, const RowValidator& validator,
                    const TableSpec& spec, const CsvRecord& record, const ParsedRow& row,
                    bool record_it) {
  ++report.rows_quarantined;
  for (const auto& v : row.violations) {
    ++report.violations_by_rule[v.rule];
    if (!record_it) {
      continue;
    }
    QuarantineRecord q;
    q.file = spec.source_file;
    q.line = record.line;
    if (v.column != kRowLevel) {
      q.column = validator.field_number(v.column);
      q.column_name = spec.columns[v.column].source_name;
    }
    q.value = v.value;
    q.rule = v.rule;
    q.message = v.message;
    q.raw_record = std::string(record.raw);
    quarantine.add(q);
  }
}

void record_merge(FileParse& file, const MemberBlockMerger& merger) {
  file.merged_keys = merger.keys();
  file.distinct_rows = merger.distinct_rows();
  record_gaps(file, merger.gap_members(), merger.gap_months(), merger.gap_samples());
}

}  // namespace aa::ingest
