// Monthly arrivals: a newer export is ingested, kept in raw/arrivals/<id>/ with its manifest,
// and what changed since the previous export is counted by kind.
#include <gtest/gtest.h>

#include "core/files.h"
#include "ingest/arrival.h"
#include "ingest/ingest.h"
#include "support/test_support.h"

namespace aa {
namespace {

using test::kActivityHeader;
using test::kLoyaltyHeader;

std::string member(int number, const std::string& clv = "3839.14",
                   const std::string& cancel = ",") {
  return std::to_string(number) + ",Canada,Ontario,Toronto,M2Z 4K1,Female,Bachelor,83236,Married,"
         "Star," + clv + ",Standard,2016,2," + cancel + "\n";
}

std::string month(int number, int m, int flights = 2) {
  return std::to_string(number) + ",2018," + std::to_string(m) + "," + std::to_string(flights) +
         ",3000,3000,0,0\n";
}

class Arrivals : public ::testing::Test {
 protected:
  StageResult ingest_export(const std::string& loyalty, const std::string& activity,
                            bool force = false) {
    test::write_text(dir_ / "raw" / "Customer Loyalty History.csv", loyalty);
    test::write_text(dir_ / "raw" / "Customer Flight Activity.csv", activity);
    return ingest(lake_, {dir_ / "raw", {}, force});
  }
  test::TempDir dir_;
  Lake lake_{dir_ / "lake"};
};

TEST_F(Arrivals, ANewerExportIsKeptAndItsChangesCountedByKind) {
  std::string activity1 = kActivityHeader;
  for (int m = 1; m <= 3; ++m) {
    for (int n = 1; n <= 3; ++n) {
      activity1 += month(n, m);
    }
  }
  const std::string loyalty1 = kLoyaltyHeader + member(1) + member(2) + member(3);
  const auto first = ingest_export(loyalty1, activity1);
  const auto& a1 = first.summary["arrival"];
  EXPECT_EQ(a1["sequence"], 1);
  EXPECT_TRUE(a1["previous_arrival"].is_null());
  EXPECT_TRUE(a1["changes"].is_null());
  EXPECT_EQ(a1["data_first_month"], "2018-01");
  EXPECT_EQ(a1["data_last_month"], "2018-03");

  // The next export: member 4 enrols (with a row for March, a month the first export covered),
  // April's rows arrive, member 1's February is restated, member 3's January is gone, member 2
  // cancels in April and member 3's CLV changes.
  std::string activity2 = kActivityHeader;
  for (int m = 1; m <= 3; ++m) {
    for (int n = 1; n <= 3; ++n) {
      if (n == 3 && m == 1) {
        continue;
      }
      activity2 += month(n, m, n == 1 && m == 2 ? 5 : 2);
    }
  }
  activity2 += month(4, 3);
  for (int n = 1; n <= 4; ++n) {
    activity2 += month(n, 4);
  }
  const std::string loyalty2 =
      kLoyaltyHeader + member(1) + member(2, "3839.14", "2018,4") + member(3, "4000") + member(4);
  const auto second = ingest_export(loyalty2, activity2);
  const auto& a2 = second.summary["arrival"];
  EXPECT_EQ(a2["sequence"], 2);
  EXPECT_EQ(a2["previous_arrival"], a1["arrival_id"]);
  EXPECT_EQ(a2["data_last_month"], "2018-04");
  EXPECT_EQ(a2["changes"]["member_months"],
            (nlohmann::json{{"appended", 4}, {"backfilled", 1}, {"restated", 1}, {"removed", 1},
                            {"unchanged", 7}}));
  EXPECT_EQ(a2["changes"]["members"],
            (nlohmann::json{{"new_members", 1},
                            {"new_cancellations", 1},
                            {"cancellations_withdrawn", 0},
                            {"cancellations_moved", 0},
                            {"details_changed", 1},
                            {"removed_members", 0},
                            {"unchanged", 1}}));
  EXPECT_EQ(a2["quality"]["rows_read"], 4 + 13);
  EXPECT_EQ(a2["quality"]["rows_quarantined"], 0);
  EXPECT_EQ(a2["quality"]["member_months"], 13);

  // Both arrivals are in the raw zone: the files as received and a manifest each.
  const auto manifests = arrival_manifests(lake_);
  ASSERT_EQ(manifests.size(), 2u);
  EXPECT_EQ(manifests[0]["arrival_id"], a1["arrival_id"]);
  const fs::path kept = lake_.arrivals() / a2["arrival_id"].get<std::string>();
  EXPECT_EQ(test::read_text(kept / "customer_loyalty_history.csv"), loyalty2);
  EXPECT_EQ(test::read_text(kept / "customer_flight_activity.csv"), activity2);
  EXPECT_EQ(manifests[1]["files"][1]["sha256"], sha256_text(activity2));
  EXPECT_EQ(manifests[1]["files"][1]["data_rows"], 13);
  EXPECT_EQ(test::read_text(lake_.arrivals() / a1["arrival_id"].get<std::string>() /
                            "customer_flight_activity.csv"),
            activity1);
  const std::string id = a2["arrival_id"].get<std::string>();
  EXPECT_EQ(id, "2018-04_" + sha256_text(sha256_text(loyalty2) + ":" + sha256_text(activity2))
                                 .substr(0, 8));

  // Idempotent: the same export again skips; forced, it is the same arrival, the same report.
  const std::string report = test::read_text(lake_.ingest_report());
  EXPECT_TRUE(ingest_export(loyalty2, activity2).skipped);
  EXPECT_FALSE(ingest_export(loyalty2, activity2, true).skipped);
  EXPECT_EQ(test::read_text(lake_.ingest_report()), report);
  EXPECT_EQ(arrival_manifests(lake_).size(), 2u);
}

}  // namespace
}  // namespace aa
