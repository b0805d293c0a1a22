#include "features/features.h"

#include <gtest/gtest.h>

#include "core/files.h"
#include "features/warehouse.h"
#include "ingest/ingest.h"
#include "support/test_support.h"

namespace aa {
namespace {

class Features : public ::testing::Test {
 protected:
  void SetUp() override {
    test::write_text(dir_ / "raw" / "Customer Loyalty History.csv",
                     "Loyalty Number,Country,Province,City,Postal Code,Gender,Education,Salary,"
                     "Marital Status,Loyalty Card,CLV,Enrollment Type,Enrollment Year,"
                     "Enrollment Month,Cancellation Year,Cancellation Month\n"
                     "10,Canada,Ontario,Toronto,M1M 1M1,Female,Bachelor,50000,Married,Star,"
                     "3000.5,Standard,2016,1,,\n"
                     "11,Canada,Quebec,Hull,J1J 1J1,Male,College,,Single,Nova,4000,"
                     "Standard,2017,5,2018,3\n");
    test::write_text(dir_ / "raw" / "Customer Flight Activity.csv",
                     "Loyalty Number,Year,Month,Total Flights,Distance,Points Accumulated,"
                     "Points Redeemed,Dollar Cost Points Redeemed\n"
                     "10,2018,12,3,3000,3000,0,0\n"
                     "11,2018,2,1,800,800,0,0\n"
                     "11,2018,12,0,0,0,0,0\n");
    ingest::ingest(lake_, {dir_ / "raw", {}, false});
  }
  test::TempDir dir_;
  core::Lake lake_{dir_ / "lake"};
};

TEST_F(Features, BuildsOneRowPerMemberAndTheWarehouse) {
  const auto features = features::build_customer_features(lake_, {});
  EXPECT_FALSE(features.skipped);
  EXPECT_EQ(features.summary["members"], 2);
  const auto warehouse = features::build_warehouse(lake_, {});
  EXPECT_EQ(warehouse.summary["tables"]["customer_features"], 2);
  EXPECT_EQ(warehouse.summary["tables"]["customer_flight_activity"], 3);
  EXPECT_EQ(warehouse.summary["tables"]["customer_loyalty_history"], 2);

  auto db = duck::Database::open(lake_.warehouse().string(), {{"access_mode", "READ_ONLY"}});
  duck::Connection c(db);
  auto r = c.query(
      "select loyalty_number, recency, frequency, monetary, tenure_months, is_cancelled "
      "from customer_features order by 1");
  ASSERT_EQ(r.row_count(), 2u);
  EXPECT_EQ(r.int64(1, 0), 0);   // flew in the last month
  EXPECT_EQ(r.int64(1, 1), 10);  // 2018-02 -> 2018-12
  EXPECT_EQ(r.int64(3, 1), 800);
  EXPECT_EQ(r.int64(4, 0), 35);  // 2016-01 -> 2018-12
  EXPECT_EQ(r.int64(4, 1), 10);  // 2017-05 -> cancelled 2018-03
  EXPECT_EQ(r.text(5, 1), "true");
}

// The warehouse keeps the monthly activity month by month, by member within a month (whatever
// the file's order), so that one member's rows are found without scanning every row; no row
// is lost or changed on the way.
TEST_F(Features, TheWarehouseStoresEachMonthsActivityByMember) {
  test::write_text(dir_ / "raw2" / "Customer Loyalty History.csv",
                   test::read_text(dir_ / "raw" / "Customer Loyalty History.csv"));
  test::write_text(dir_ / "raw2" / "Customer Flight Activity.csv",
                   "Loyalty Number,Year,Month,Total Flights,Distance,Points Accumulated,"
                   "Points Redeemed,Dollar Cost Points Redeemed\n"
                   "11,2018,12,0,0,0,0,0\n"
                   "10,2018,12,3,3000,3000,0,0\n"
                   "11,2018,2,1,800,800,0,0\n"
                   "10,2018,2,2,1500,1500,0,0\n");
  const core::Lake lake(dir_ / "lake2");
  ingest::ingest(lake, {dir_ / "raw2", {}, false});
  features::build_customer_features(lake, {});
  features::build_warehouse(lake, {});
  auto db = duck::Database::open(lake.warehouse().string(), {{"access_mode", "READ_ONLY"}});
  duck::Connection c(db);
  auto r = c.query(
      "select loyalty_number, year, month, total_flights, distance from customer_flight_activity "
      "order by rowid");
  ASSERT_EQ(r.row_count(), 4u);
  const std::int64_t expected[4][5] = {
      {10, 2018, 2, 2, 1500}, {11, 2018, 2, 1, 800}, {10, 2018, 12, 3, 3000}, {11, 2018, 12, 0, 0}};
  for (std::size_t row = 0; row < 4; ++row) {
    for (std::size_t col = 0; col < 5; ++col) {
      EXPECT_EQ(r.int64(col, row), expected[row][col]) << row << " " << col;
    }
  }
}

TEST_F(Features, UnchangedInputsSkipChangedModelsInputsRebuild) {
  features::build_customer_features(lake_, {});
  features::build_warehouse(lake_, {});
  EXPECT_TRUE(features::build_customer_features(lake_, {}).skipped);
  EXPECT_TRUE(features::build_warehouse(lake_, {}).skipped);
  EXPECT_FALSE(features::build_customer_features(lake_, {{}, true}).skipped);  // forced
}

TEST_F(Features, PublishedWarehouseStaysReadableWhileANewOneIsBuilt) {
  features::build_customer_features(lake_, {});
  features::build_warehouse(lake_, {});
  auto old_db = duck::Database::open(lake_.warehouse().string(), {{"access_mode", "READ_ONLY"}});
  duck::Connection old_reader(old_db);
  features::build_warehouse(lake_,
                            {{}, true});  // replaces the file while a reader holds the old one
  EXPECT_EQ(old_reader.query("select count(*) from customer_features").scalar_int64(), 2);
  auto new_db = duck::Database::open(lake_.warehouse().string(), {{"access_mode", "READ_ONLY"}});
  duck::Connection new_reader(new_db);
  EXPECT_EQ(new_reader.query("select count(*) from customer_features").scalar_int64(), 2);
}

// The reference's name for churn_score (issue 29): its saved queries read
// churn_predictions.priority_score.
TEST_F(Features, ChurnPredictionsKeepTheReferencesPriorityScore) {
  features::build_customer_features(lake_, {});
  fs::create_directories(lake_.churn_predictions().parent_path());
  {
    auto db = duck::Database::open(":memory:");
    duck::Connection c(db);
    c.execute(
        "copy (select * from (values (10, 0.25, 750.125, 'high', 'r1', 'r2', 'r3', "
        "date '2018-12-01')) as t(loyalty_number, churn_probability, churn_score, risk_tier, "
        "reason_1, reason_2, reason_3, scored_at)) to " +
        duck::quote_literal(lake_.churn_predictions().string()) + " (format parquet)");
  }
  features::build_warehouse(lake_, {});
  auto db = duck::Database::open(lake_.warehouse().string(), {{"access_mode", "READ_ONLY"}});
  duck::Connection c(db);
  auto r = c.query("select loyalty_number, churn_score, priority_score from churn_predictions");
  ASSERT_EQ(r.row_count(), 1u);
  EXPECT_EQ(r.text(1, 0), "750.125");
  EXPECT_EQ(r.text(2, 0), "750.125");
  // A virtual generated column: it cannot drift from churn_score, and takes no space.
  EXPECT_EQ(c.query("select count(*) from duckdb_columns() where table_name = 'churn_predictions' "
                    "and column_name = 'priority_score' and column_default like '%churn_score%'")
                .scalar_int64(),
            1);
  // customer_scored still exposes it as churn_score, as the reference's view did.
  EXPECT_EQ(c.query("select churn_score from customer_scored where loyalty_number = 10").text(0, 0),
            "750.125");
}

TEST(FeaturesWithoutIngest, MissingProcessedFilesIsNotFound) {
  test::TempDir dir;
  const core::Lake lake(dir / "lake");
  try {
    features::build_customer_features(lake, {});
    FAIL();
  } catch (const core::AppError& e) {
    EXPECT_EQ(e.kind(), core::ErrorKind::NotFound);
    EXPECT_NE(std::string(e.what()).find("run `airline-analytics ingest` first"),
              std::string::npos);
  }
}

}  // namespace
}  // namespace aa
