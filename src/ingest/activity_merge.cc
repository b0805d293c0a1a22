#include "ingest/activity_merge.h"

#include <algorithm>
#include <limits>
#include <tuple>

#include "core/app_error.h"
#include "ingest/schema.h"

namespace aa::ingest {

namespace {

using T = duck::ColumnType;

auto key_of(const ActivityRow& r) { return std::tie(r.year, r.month); }

auto all_of(const ActivityRow& r) {
  return std::tie(r.year, r.month, r.total_flights, r.distance, r.points_accumulated,
                  r.points_redeemed, r.dollar_cost_points_redeemed);
}

}  // namespace

const std::vector<duck::ChunkStream::Column>& MemberBlockMerger::columns() {
  static const std::vector<duck::ChunkStream::Column> kColumns = {
      {"loyalty_number", T::Int64},
      {"year", T::Int32},
      {"month", T::Int32},
      {"total_flights", T::Int32},
      {"distance", T::Int64},
      {"points_accumulated", T::Float64},
      {"points_redeemed", T::Int64},
      {"dollar_cost_points_redeemed", T::Float64},
      {"distinct_row_count", T::Int64}};
  return kColumns;
}

MemberBlockMerger::MemberBlockMerger(duck::RowSink& sink) : writer_(sink) { block_.reserve(64); }

void MemberBlockMerger::add(std::int64_t member, std::int64_t line, const ActivityRow& row) {
  if (!block_.empty() && member != member_) {
    flush();
  }
  if (block_.empty()) {
    first_line_ = line;
  }
  member_ = member;
  block_.push_back(row);
}

void MemberBlockMerger::flush() {
  if (block_.empty()) {
    return;
  }
  const auto before = [](const ActivityRow& a, const ActivityRow& b) {
    return all_of(a) < all_of(b);
  };
  if (!std::is_sorted(block_.begin(), block_.end(), before)) {  // files often list months in order
    std::sort(block_.begin(), block_.end(), before);
  }
  std::size_t i = 0;
  std::int64_t months = 0;
  while (i < block_.size()) {
    // One member-month: its distinct rows are summed (in sorted order, as a sum is).
    ActivityRow sum = block_[i];
    std::int64_t distinct = 1;
    std::size_t j = i + 1;
    for (; j < block_.size() && key_of(block_[j]) == key_of(sum); ++j) {
      if (all_of(block_[j]) == all_of(block_[j - 1])) {
        continue;  // an exact duplicate counts once
      }
      ++distinct;
      sum.total_flights += block_[j].total_flights;
      sum.distance += block_[j].distance;
      sum.points_accumulated += block_[j].points_accumulated;
      sum.points_redeemed += block_[j].points_redeemed;
      sum.dollar_cost_points_redeemed += block_[j].dollar_cost_points_redeemed;
    }
    if (sum.total_flights > std::numeric_limits<std::int32_t>::max()) {
      core::fail_at(
          core::Location{activity_spec().source_file, first_line_, 0, "Total Flights",
                         "out_of_range"},
          "loyalty number {} flew {} flights in {}-{:02} over {} rows, more than the lake's "
          "integer column holds",
          member_, sum.total_flights, sum.year, sum.month, distinct);
    }
    duck::DataChunk& chunk = writer_.chunk();
    const std::size_t at = writer_.row();
    chunk.set_int64(0, at, member_);
    // Year and month were validated (kMinYear..kMaxYear, 1..12).
    chunk.set_int32(1, at, static_cast<std::int32_t>(sum.year));
    chunk.set_int32(2, at, static_cast<std::int32_t>(sum.month));
    chunk.set_int32(3, at, static_cast<std::int32_t>(sum.total_flights));
    chunk.set_int64(4, at, sum.distance);
    chunk.set_float64(5, at, sum.points_accumulated);
    chunk.set_int64(6, at, sum.points_redeemed);
    chunk.set_float64(7, at, sum.dollar_cost_points_redeemed);
    chunk.set_int64(8, at, distinct);
    writer_.commit_row();
    ++keys_;
    ++months;
    distinct_rows_ += distinct;
    i = j;
  }
  const std::int64_t first = block_.front().year * 12 + block_.front().month - 1;
  const std::int64_t last = block_.back().year * 12 + block_.back().month - 1;
  if (last - first + 1 > months) {
    ++gap_members_;
    gap_months_ += last - first + 1 - months;
    if (gaps_.size() < kMaxGapSamples) {
      gaps_.push_back({member_, first_line_, first, last, last - first + 1 - months});
    }
  }
  block_.clear();
}

void MemberBlockMerger::finish() {
  flush();
  writer_.finish();
}

}  // namespace aa::ingest
