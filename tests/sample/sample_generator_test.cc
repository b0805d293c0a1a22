#include "sample/sample_generator.h"

#include <gtest/gtest.h>

#include "core/duck.h"
#include "core/files.h"
#include "ingest/ingest.h"
#include "support/test_support.h"

namespace aa {
namespace {

TEST(SampleGenerator, SameSeedSameBytesOtherSeedOtherBytes) {
  test::TempDir dir;
  const auto a = sample::generate_sample({dir / "a", 3000, 7});
  const auto b = sample::generate_sample({dir / "b", 3000, 7});
  const auto c = sample::generate_sample({dir / "c", 3000, 8});
  EXPECT_EQ(core::sha256_file(a.loyalty_file).sha256, core::sha256_file(b.loyalty_file).sha256);
  EXPECT_EQ(core::sha256_file(a.activity_file).sha256, core::sha256_file(b.activity_file).sha256);
  EXPECT_NE(core::sha256_file(a.activity_file).sha256, core::sha256_file(c.activity_file).sha256);
  EXPECT_EQ(a.members, 3000);
}

TEST(SampleGenerator, RejectsNonsenseMemberCounts) {
  test::TempDir dir;
  EXPECT_APP_ERROR(sample::generate_sample({dir.path(), 0, 1}), core::ErrorKind::InvalidInput,
                   "--members must be between 1 and 100,000,000, got 0");
}

// One sample of 20,000 members, checked for the real data's formats and quirks.
class Sample : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new test::TempDir();
    result_ = sample::generate_sample({*dir_ / "raw", 20000, 42});
    report_ = ingest::ingest(core::Lake(*dir_ / "lake"), {*dir_ / "raw", {}, false}).summary;
  }
  static void TearDownTestSuite() { delete dir_; }
  static std::int64_t scalar(const std::string& sql) {
    auto db = duck::Database::open(":memory:");
    duck::Connection c(db);
    const std::string lake = (*dir_ / "lake").string();
    c.execute("create view l as select * from read_parquet('" + lake +
              "/processed/customer_loyalty_history.parquet')");
    c.execute("create view a as select * from read_parquet('" + lake +
              "/processed/customer_flight_activity/*.parquet')");
    return c.query(sql).scalar_int64();
  }
  static test::TempDir* dir_;
  static sample::SampleResult result_;
  static nlohmann::json report_;
};
test::TempDir* Sample::dir_ = nullptr;
sample::SampleResult Sample::result_;
nlohmann::json Sample::report_;

TEST_F(Sample, FileNamesHeadersAndBomMatchTheRealData) {
  EXPECT_EQ(result_.loyalty_file.filename(), "Customer Loyalty History.csv");
  EXPECT_EQ(result_.activity_file.filename(), "Customer Flight Activity.csv");
  const std::string loyalty = test::read_text(result_.loyalty_file).substr(0, 200);
  EXPECT_EQ(loyalty.substr(0, 3), "\xEF\xBB\xBF");
  EXPECT_EQ(loyalty.substr(3, loyalty.find('\n') - 3),
            "Loyalty Number,Country,Province,City,Postal Code,Gender,Education,Salary,Marital "
            "Status,Loyalty Card,CLV,Enrollment Type,Enrollment Year,Enrollment Month,"
            "Cancellation Year,Cancellation Month");
  const std::string activity = test::read_text(result_.activity_file).substr(0, 200);
  EXPECT_EQ(activity.substr(0, activity.find('\n')),
            "Loyalty Number,Year,Month,Total Flights,Distance,Points Accumulated,Points "
            "Redeemed,Dollar Cost Points Redeemed");
}

TEST_F(Sample, IngestsCleanlyWithTheRealDataQuirks) {
  EXPECT_TRUE(report_["balanced"].get<bool>());
  const auto& loyalty = report_["files"][0];
  const auto& activity = report_["files"][1];
  EXPECT_EQ(loyalty["rows_loaded"], 20000);
  EXPECT_EQ(loyalty["rows_quarantined"], 0);
  EXPECT_EQ(activity["rows_quarantined"], 0);
  EXPECT_EQ(activity["rows_read"], result_.activity_rows);
  EXPECT_GT(loyalty["negative_salary_set_null"].get<int>(), 5);
  EXPECT_GT(activity["merged"]["exact_duplicates_dropped"].get<int>(), 500);
  EXPECT_GT(activity["merged"]["same_month_rows_summed"].get<int>(), 500);
}

TEST_F(Sample, DistributionsLookLikeTheRealData) {
  EXPECT_EQ(scalar("select count(distinct province) from l"), 11);
  EXPECT_EQ(scalar("select count(distinct city) from l"), 29);
  EXPECT_EQ(scalar("select count(distinct loyalty_card) from l"), 3);
  EXPECT_EQ(scalar("select count(*) from l where education = 'College' and salary is not null"),
            0);
  EXPECT_EQ(scalar("select min(enrollment_year) * 10000 + max(enrollment_year) from l"),
            20122018);
  EXPECT_EQ(scalar("select count(*) from l where enrollment_type = '2018 Promotion' and "
                   "enrollment_year <> 2018"),
            0);
  const auto cancelled = scalar("select count(*) from l where cancellation_year is not null");
  EXPECT_NEAR(static_cast<double>(cancelled) / 20000.0, 0.12, 0.02);
  EXPECT_EQ(scalar("select min(cancellation_year) from l"), 2013);
  EXPECT_EQ(scalar("select count(*) from l where cancellation_year * 12 + cancellation_month < "
                   "enrollment_year * 12 + enrollment_month"),
            0);
  // Star is the most common card and has the lowest median CLV; Aurora the highest.
  EXPECT_EQ(scalar("select (select loyalty_card from l group by 1 order by count(*) desc "
                   "limit 1) = 'Star'"),
            1);
  EXPECT_EQ(scalar("select (select loyalty_card from l group by 1 order by median(clv) desc "
                   "limit 1) = 'Aurora'"),
            1);
  // About 45% of member-months have flights, with a summer peak over January.
  const auto active_permille =
      scalar("select (1000 * avg(case when total_flights > 0 then 1 else 0 end))::int from a");
  EXPECT_GT(active_permille, 350);
  EXPECT_LT(active_permille, 550);
  EXPECT_EQ(scalar("select (select avg(total_flights) from a where month = 7) > "
                   "(select avg(total_flights) from a where month = 1)"),
            1);
}

TEST_F(Sample, MonthsAfterCancellationAreAllZeroAndActivityThinsBefore) {
  EXPECT_EQ(scalar("select count(*) from a join l using (loyalty_number) where year * 12 + "
                   "month > cancellation_year * 12 + cancellation_month and (total_flights > 0 "
                   "or distance > 0 or points_accumulated > 0)"),
            0);
  EXPECT_GT(scalar("select count(*) from a join l using (loyalty_number) where year * 12 + "
                   "month > cancellation_year * 12 + cancellation_month"),
            1000);
  // Flying share in the 3 months before cancelling is well under the overall share.
  EXPECT_EQ(scalar("select (select avg(case when total_flights > 0 then 1.0 else 0 end) from a "
                   "join l using (loyalty_number) where cancellation_year * 12 + "
                   "cancellation_month - (year * 12 + month) between 0 and 2) < 0.6 * (select "
                   "avg(case when total_flights > 0 then 1.0 else 0 end) from a)"),
            1);
}

}  // namespace
}  // namespace aa
