#include "ingest/activity_merge.h"

#include <gtest/gtest.h>

#include "support/test_support.h"

namespace aa {
namespace {

std::vector<duck::ColumnType> merged_types() {
  std::vector<duck::ColumnType> types;
  for (const auto& column : ingest::MemberBlockMerger::columns()) {
    types.push_back(column.type);
  }
  return types;
}

// The lake stores a month's flights as INTEGER; distinct rows of one member-month summed past
// it are a located error, not a wrapped number.
TEST(MemberBlockMerger, FlightsSummedPastTheIntegerColumnAreALocatedError) {
  auto db = duck::Database::open(":memory:");
  duck::Connection connection(db);
  connection.execute(
      "create table merged (loyalty_number bigint, year integer, month integer, total_flights "
      "integer, distance bigint, points_accumulated double, points_redeemed bigint, "
      "dollar_cost_points_redeemed double, distinct_row_count bigint)");
  duck::ChunkWriter writer(connection, "merged", merged_types());
  ingest::MemberBlockMerger merger(writer);
  merger.add(6, 2, {2018, 1, 2'000'000'000, 0, 0, 0, 0});  // fits alone
  for (std::int64_t i = 0; i < 3; ++i) {
    merger.add(7, 5 + i, {2018, 1, 1'000'000'000 + i, 0, 0, 0, 0});
  }
  EXPECT_APP_ERROR(merger.finish(), core::ErrorKind::InvalidInput,
                   "Customer Flight Activity.csv:5: column 'Total Flights': [out_of_range] "
                   "loyalty number 7 flew 3000000003 flights in 2018-01 over 3 rows, more than "
                   "the lake's integer column holds");
}

}  // namespace
}  // namespace aa
