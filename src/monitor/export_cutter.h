#pragma once
// The data set as the airline's export would have looked at the end of a month M, for
// `replay`: the same two files, with
//   - activity rows of months up to M, of members enrolled by M, month after month (an
//     export grows by appending each new month's rows; within a month, the file's order);
//   - members enrolled by M, in the file's order;
//   - a cancellation only from its month on: blank while it is after M.
// Nothing after M reaches the files (so nothing after M can reach a run on them). Rows whose
// member, month or enrollment cannot be read are kept in every export, as they are (ingest
// quarantines them each time). The source files are read once.

#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

namespace aa::monitor {

class ExportCutter {
 public:
  // Reads "Customer Loyalty History.csv" and "Customer Flight Activity.csv" (or the lake's
  // names) from raw_dir.
  explicit ExportCutter(const std::filesystem::path& raw_dir);

  // The first and last month with activity rows (month indices).
  std::pair<int, int> activity_window() const { return {first_month_, last_month_}; }

  // Writes the export at the end of `month` into `out` (created; files replaced). Returns
  // {month, members, cancellations_visible, activity_rows}.
  nlohmann::json write(int month, const std::filesystem::path& out) const;

 private:
  struct LoyaltyLine {
    std::string raw;      // the record as it was
    std::string blanked;  // the record with its cancellation blanked ("" if none)
    int enrolled = -1;    // month index; -1: unreadable (kept in every export)
    int cancelled = -1;   // month index; -1: none or unreadable
  };
  struct ActivityLine {
    std::string raw;
    std::int64_t member = -1;  // -1: unreadable
    int month = -1;            // -1: unreadable (kept in every export)
  };
  void read_loyalty(const std::filesystem::path& path);
  void read_activity(const std::filesystem::path& path);

  std::string loyalty_header_;
  std::string activity_header_;
  std::vector<LoyaltyLine> loyalty_;
  std::vector<ActivityLine> activity_;  // in month order (stable), unreadable rows first
  std::vector<std::pair<std::int64_t, int>> enrolled_;  // member -> enrollment month, sorted
  int first_month_ = 0;
  int last_month_ = 0;
};

}  // namespace aa::monitor
