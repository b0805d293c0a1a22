#include "ingest/schema.h"

#include <gtest/gtest.h>

#include "support/test_support.h"

namespace aa {
namespace {

ingest::CsvRecord header(std::vector<std::string_view> fields) {
  ingest::CsvRecord r;
  r.line = 1;
  r.fields = std::move(fields);
  return r;
}

TEST(Schema, MapsColumnsInAnyOrderAndCase) {
  const auto map = ingest::map_header(
      ingest::activity_spec(),
      header({"Year", "loyalty number", " Month ", "Total Flights", "distance",
              "Points Accumulated", "points_redeemed", "Dollar Cost Points Redeemed"}),
      "a.csv");
  EXPECT_EQ(map.field_count, 8u);
  EXPECT_EQ(map.field_of[ingest::activity_spec().index_of("loyalty_number")], 1u);
  EXPECT_EQ(map.field_of[ingest::activity_spec().index_of("year")], 0u);
  EXPECT_EQ(map.field_of[ingest::activity_spec().index_of("points_redeemed")], 6u);
}

TEST(Schema, MissingColumn) {
  EXPECT_APP_ERROR(
      ingest::map_header(ingest::activity_spec(),
                         header({"Loyalty Number", "Year", "Month", "Total Flights", "Distance",
                                 "Points Accumulated", "Points Redeemed"}),
                         "Customer Flight Activity.csv"),
      core::ErrorKind::InvalidInput,
      "Customer Flight Activity.csv:1: column 'Dollar Cost Points Redeemed': [missing_column] "
      "the required column is missing from the header");
}

TEST(Schema, DuplicatedColumn) {
  EXPECT_APP_ERROR(
      ingest::map_header(
          ingest::activity_spec(),
          header({"Loyalty Number", "Year", "Month", "Total Flights", "Distance", "Distance",
                  "Points Accumulated", "Points Redeemed", "Dollar Cost Points Redeemed"}),
          "Customer Flight Activity.csv"),
      core::ErrorKind::InvalidInput,
      "Customer Flight Activity.csv:1:6: column 'Distance': [duplicate_column] the column "
      "appears twice (first as field 5)");
}

TEST(Schema, UnexpectedColumn) {
  try {
    ingest::map_header(ingest::activity_spec(), header({"Loyalty Number", "Mileage"}), "a.csv");
    FAIL();
  } catch (const core::AppError& e) {
    EXPECT_EQ(std::string(e.what()),
              "a.csv:1:2: column 'Mileage': [unexpected_column] this column is not part of the "
              "Customer Flight Activity.csv contract (expected columns: Loyalty Number, Year, "
              "Month, Total Flights, Distance, Points Accumulated, Points Redeemed, Dollar Cost "
              "Points Redeemed)");
  }
}

TEST(Schema, SemicolonDelimiter) {
  EXPECT_APP_ERROR(
      ingest::map_header(ingest::activity_spec(), header({"Loyalty Number;Year;Month"}), "a.csv"),
      core::ErrorKind::InvalidInput,
      "a.csv:1:1: [delimiter] the header is separated by ';' but the file must be "
      "comma-separated");
}

}  // namespace
}  // namespace aa
