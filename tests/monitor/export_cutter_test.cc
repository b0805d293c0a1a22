// The replay's exports: the data set as it would have looked at a month's end, byte for byte
// on a hand-made data set, and nothing after the month in it.
#include "monitor/export_cutter.h"

#include <gtest/gtest.h>

#include "core/app_error.h"
#include "core/files.h"
#include "monitor/replay.h"
#include "support/test_support.h"

namespace aa {
namespace {

namespace fs = std::filesystem;

const std::string kBom = "\xEF\xBB\xBF";

// Member 1 enrolled 2017-01, cancels 2017-04; member 2 enrolled 2017-03; member 3 enrolled
// 2017-05 (its zero rows of earlier months are in the file); one unreadable loyalty row.
std::string loyalty_csv() {
  return kBom + test::kLoyaltyHeader +
         "1,Canada,Ontario,\"Toronto, ON\",M1M 1M1,Male,Bachelor,50000,Single,Star,1000.5,"
         "Standard,2017,1,2017,4\n"
         "2,Canada,\"Quebec, QC\",Montreal,H1H 1H1,Female,College,,Married,Nova,2000,Standard,"
         "2017,3,,\n"
         "3,Canada,Ontario,Ottawa,K1K 1K1,Male,Bachelor,60000,Single,Aurora,3000,2018 Promotion,"
         "2017,5,2017,6\n"
         "x,Canada,Ontario,Ottawa,K1K 1K1,Male,Bachelor,60000,Single,Aurora,3000,Standard,"
         "zz,5,,\n";
}

std::string activity_csv() {
  // Members' rows together (not in month order), one unreadable month.
  return test::kActivityHeader +
         "1,2017,2,1,100,100,0,0\n"
         "1,2017,1,2,200,200,0,0\n"
         "1,2017,5,0,0,0,0,0\n"
         "2,2017,3,1,10,10,0,0\n"
         "2,2017,4,3,30,30,0,0\n"
         "3,2017,1,0,0,0,0,0\n"
         "3,2017,5,4,40,40,0,0\n"
         "3,2017,13,1,1,1,0,0\n";
}

class ExportCutterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    test::write_text(dir_ / "raw" / "Customer Loyalty History.csv", loyalty_csv());
    test::write_text(dir_ / "raw" / "Customer Flight Activity.csv", activity_csv());
  }
  test::TempDir dir_;
};

TEST_F(ExportCutterTest, TheExportAtAMonthsEndHoldsNothingAfterIt) {
  const monitor::ExportCutter cutter(dir_ / "raw");
  EXPECT_EQ(cutter.activity_window(), std::make_pair(2017 * 12, 2017 * 12 + 4));
  const auto out = dir_ / "2017-03";
  const auto counts = cutter.write(2017 * 12 + 2, out);
  EXPECT_EQ(counts,
            (nlohmann::json{{"members", 3}, {"cancellations_visible", 0}, {"activity_rows", 4}}));
  // Member 3 is not enrolled yet; member 1's cancellation (2017-04) is blank (its quoted city
  // quoted again); the row whose enrollment cannot be read is kept.
  EXPECT_EQ(test::read_text(out / "Customer Loyalty History.csv"),
            kBom + test::kLoyaltyHeader +
                "1,Canada,Ontario,\"Toronto, ON\",M1M 1M1,Male,Bachelor,50000,Single,Star,1000.5,"
                "Standard,2017,1,,\n"
                "2,Canada,\"Quebec, QC\",Montreal,H1H 1H1,Female,College,,Married,Nova,2000,"
                "Standard,2017,3,,\n"
                "x,Canada,Ontario,Ottawa,K1K 1K1,Male,Bachelor,60000,Single,Aurora,3000,Standard,"
                "zz,5,,\n");
  // Month after month; the unreadable month first; member 3's rows wait for its enrollment.
  EXPECT_EQ(test::read_text(out / "Customer Flight Activity.csv"), test::kActivityHeader +
                                                                       "3,2017,13,1,1,1,0,0\n"
                                                                       "1,2017,1,2,200,200,0,0\n"
                                                                       "1,2017,2,1,100,100,0,0\n"
                                                                       "2,2017,3,1,10,10,0,0\n");

  const auto may = dir_ / "2017-05";
  cutter.write(2017 * 12 + 4, may);
  EXPECT_EQ(test::read_text(may / "Customer Flight Activity.csv"), test::kActivityHeader +
                                                                       "3,2017,13,1,1,1,0,0\n"
                                                                       "1,2017,1,2,200,200,0,0\n"
                                                                       "3,2017,1,0,0,0,0,0\n"
                                                                       "1,2017,2,1,100,100,0,0\n"
                                                                       "2,2017,3,1,10,10,0,0\n"
                                                                       "2,2017,4,3,30,30,0,0\n"
                                                                       "1,2017,5,0,0,0,0,0\n"
                                                                       "3,2017,5,4,40,40,0,0\n");
  // By 2017-05 member 1's cancellation (2017-04) shows; member 3's (2017-06) does not.
  const std::string loyalty = test::read_text(may / "Customer Loyalty History.csv");
  EXPECT_NE(loyalty.find("Standard,2017,1,2017,4\n"), std::string::npos);
  EXPECT_NE(loyalty.find("2018 Promotion,2017,5,,\n"), std::string::npos);
}

// No look-ahead: rows of later months and cancellations after the month, planted in the data
// set, leave the export of that month byte-identical.
TEST_F(ExportCutterTest, PlantedFutureRowsAndCancellationsChangeNoExport) {
  const monitor::ExportCutter original(dir_ / "raw");
  std::string activity = activity_csv();
  activity += "2,2017,5,99,9900,9900,0,0\n1,2017,4,50,5000,5000,0,0\n";
  std::string loyalty = loyalty_csv();
  const std::string open = "Standard,2017,3,,\n";
  loyalty.replace(loyalty.find(open), open.size(), "Standard,2017,3,2017,5\n");
  test::write_text(dir_ / "planted" / "Customer Loyalty History.csv", loyalty);
  test::write_text(dir_ / "planted" / "Customer Flight Activity.csv", activity);
  const monitor::ExportCutter planted(dir_ / "planted");
  for (int month : {2017 * 12 + 1, 2017 * 12 + 2}) {
    original.write(month, dir_ / "a");
    planted.write(month, dir_ / "b");
    for (const char* file : {"Customer Loyalty History.csv", "Customer Flight Activity.csv"}) {
      EXPECT_EQ(core::sha256_file(dir_ / "a" / file).sha256,
                core::sha256_file(dir_ / "b" / file).sha256)
          << file << " at month " << month;
    }
  }
  // ... and the planted rows do reach the export of their month.
  planted.write(2017 * 12 + 4, dir_ / "b");
  EXPECT_NE(test::read_text(dir_ / "b" / "Customer Flight Activity.csv").find("2,2017,5,99"),
            std::string::npos);
}

TEST_F(ExportCutterTest, AMissingColumnIsAnError) {
  test::write_text(dir_ / "bad" / "Customer Loyalty History.csv", "Loyalty Number,Country\n1,C\n");
  test::write_text(dir_ / "bad" / "Customer Flight Activity.csv", activity_csv());
  EXPECT_APP_ERROR(monitor::ExportCutter{dir_ / "bad"}, core::ErrorKind::InvalidInput,
                   "'Customer Loyalty History.csv' has no column 'Enrollment Year' in its header");
}

TEST(Replay, StartsOnceTenMonthsOfDataExist) {
  EXPECT_EQ(monitor::first_replay_month(2017 * 12), 2017 * 12 + 9);  // 2017-10
}

}  // namespace
}  // namespace aa
