#include "ingest/ingest_report.h"

namespace aa::ingest {

nlohmann::json to_json(const FileReport& r, const std::vector<QuarantineRecord>& samples) {
  nlohmann::json sample = nlohmann::json::array();
  for (const auto& s : samples) {
    sample.push_back(to_json(s));
  }
  return {
      {"file", r.file},
      {"processed", r.lake_path},
      {"sha256", r.sha256},
      {"rows_read", r.rows_read},
      {"rows_loaded", r.rows_loaded},
      {"rows_quarantined", r.rows_quarantined},
      {"rows_merged", r.rows_merged},
      {"merged",
       {{"exact_duplicates_dropped", r.exact_duplicates_dropped},
        {"same_month_rows_summed", r.same_month_rows_summed}}},
      {"balanced", r.balanced()},
      {"blank_lines_skipped", r.blank_lines},
      {"negative_salary_set_null", r.negative_salary_nulled},
      {"violations_by_rule", r.violations_by_rule},
      {"quarantine_sample", sample},
      {"missing_months",
       {{"members", r.members_with_missing_months},
        {"member_months", r.missing_member_months},
        {"findings", r.missing_month_findings}}},
  };
}

}  // namespace aa::ingest
