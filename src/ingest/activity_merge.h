#pragma once
// The activity file's merge rule (exact duplicate rows count once; several different rows for
// one member-month are summed) done while the file streams, one member at a time. Many files
// list each member's months together (the generator's do; the real data set and files in
// month order do not), so a member's rows are buffered until the next member starts, then
// sorted, merged and written out: no table of raw rows, no hash aggregation over all of them.
// A member whose rows are not together is the caller's to detect; it then sets every row aside
// by member (ActivitySpill) and hands them to this merge one member at a time once the file is
// read. Either way the table is merged_customer_flight_activity.sql's, the rule in SQL.

#include <cstdint>
#include <string>
#include <vector>

#include "core/chunk_stream.h"
#include "core/duck.h"

namespace aa::ingest {

struct ActivityRow {
  std::int64_t year = 0;
  std::int64_t month = 0;
  std::int64_t total_flights = 0;
  std::int64_t distance = 0;
  double points_accumulated = 0;
  std::int64_t points_redeemed = 0;
  double dollar_cost_points_redeemed = 0;
};

// A member whose months have a hole: rows for its first and last month but not for every month
// between (a missing row is loaded as no activity; this records that it was missing).
struct MonthGap {
  std::int64_t member = 0;
  std::int64_t line = 0;         // the member's first row in the file
  std::int64_t first_month = 0;  // month indices (year * 12 + month - 1)
  std::int64_t last_month = 0;
  std::int64_t missing = 0;  // months between first and last without a row
};

class MemberBlockMerger {
 public:
  // The merged rows' columns: merged_customer_flight_activity.sql's, in its order.
  static const std::vector<duck::ChunkStream::Column>& columns();
  // Writes the merged rows, each member's months in order, into `sink` (columns()).
  explicit MemberBlockMerger(duck::RowSink& sink);
  // A validated row of `member` at `line`; a new member flushes the previous one's rows.
  void add(std::int64_t member, std::int64_t line, const ActivityRow& row);
  // Flushes the last member and finishes the sink.
  void finish();

  bool has_member() const { return !block_.empty(); }
  std::int64_t current_member() const { return member_; }
  std::int64_t keys() const { return keys_; }                    // member-months written
  std::int64_t distinct_rows() const { return distinct_rows_; }  // distinct source rows
  // Members with missing months: how many, how many months in all, the first kMaxGapSamples.
  static constexpr std::size_t kMaxGapSamples = 20;
  std::int64_t gap_members() const { return gap_members_; }
  std::int64_t gap_months() const { return gap_months_; }
  const std::vector<MonthGap>& gap_samples() const { return gaps_; }

 private:
  void flush();
  duck::RowSink& writer_;
  std::int64_t member_ = 0;
  std::int64_t first_line_ = 0;
  std::vector<ActivityRow> block_;
  std::vector<MonthGap> gaps_;
  std::int64_t gap_members_ = 0;
  std::int64_t gap_months_ = 0;
  std::int64_t keys_ = 0;
  std::int64_t distinct_rows_ = 0;
};

}  // namespace aa::ingest
