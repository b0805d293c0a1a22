// Monthly arrivals: a newer export is ingested, kept in raw/arrivals/<id>/ with its manifest,
// and what changed since the previous export is counted by kind.
#include <sys/stat.h>

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
  core::StageResult ingest_export(const std::string& loyalty, const std::string& activity,
                                  bool force = false) {
    test::write_text(dir_ / "raw" / "Customer Loyalty History.csv", loyalty);
    test::write_text(dir_ / "raw" / "Customer Flight Activity.csv", activity);
    return ingest::ingest(lake_, {dir_ / "raw", {}, force});
  }
  test::TempDir dir_;
  core::Lake lake_{dir_ / "lake"};
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
  const auto manifests = ingest::arrival_manifests(lake_);
  ASSERT_EQ(manifests.size(), 2u);
  EXPECT_EQ(manifests[0]["arrival_id"], a1["arrival_id"]);
  const fs::path kept = lake_.arrivals() / a2["arrival_id"].get<std::string>();
  EXPECT_EQ(test::read_text(kept / "customer_loyalty_history.csv"), loyalty2);
  EXPECT_EQ(test::read_text(kept / "customer_flight_activity.csv"), activity2);
  EXPECT_EQ(manifests[1]["files"][1]["sha256"], core::sha256_text(activity2));
  EXPECT_EQ(manifests[1]["files"][1]["data_rows"], 13);
  EXPECT_EQ(test::read_text(lake_.arrivals() / a1["arrival_id"].get<std::string>() /
                            "customer_flight_activity.csv"),
            activity1);
  const std::string id = a2["arrival_id"].get<std::string>();
  EXPECT_EQ(id, "2018-04_" + core::sha256_text(core::sha256_text(loyalty2) + ":" +
                                               core::sha256_text(activity2))
                                 .substr(0, 8));

  // Idempotent: the same export again skips; forced, it is the same arrival, the same report.
  const std::string report = test::read_text(lake_.ingest_report());
  EXPECT_TRUE(ingest_export(loyalty2, activity2).skipped);
  EXPECT_FALSE(ingest_export(loyalty2, activity2, true).skipped);
  EXPECT_EQ(test::read_text(lake_.ingest_report()), report);
  EXPECT_EQ(ingest::arrival_manifests(lake_).size(), 2u);
}

// Only what changed is processed: an export grown by a month appends that month's file and
// leaves the others as they were (the same files, not written again); a restated month is the
// only one rewritten; a month the export no longer holds is removed. The comparison by kind
// reads only the changed months and still counts the others as unchanged.
TEST_F(Arrivals, AGrownExportAppendsItsNewMonthAndLeavesTheOthersUntouched) {
  const std::string loyalty = kLoyaltyHeader + member(1) + member(2);
  std::string activity = kActivityHeader;
  for (int n = 1; n <= 2; ++n) {
    for (int m = 1; m <= 3; ++m) {
      activity += month(n, m);
    }
  }
  ingest_export(loyalty, activity);
  const auto identity = [&](const std::string& m) {
    const fs::path file = lake_.processed_activity_month(m);
    struct stat st {};
    EXPECT_EQ(::stat(file.c_str(), &st), 0) << file;
    return std::pair{st.st_ino, fs::last_write_time(file)};
  };
  const auto before = std::map<std::string, std::pair<ino_t, fs::file_time_type>>{
      {"2018-01", identity("2018-01")}, {"2018-02", identity("2018-02")},
      {"2018-03", identity("2018-03")}};
  const std::string index_before = test::read_text(lake_.processed_activity_index());

  // A month more, member by member (so the file is not the old one with rows at its end).
  std::string grown = kActivityHeader;
  for (int n = 1; n <= 2; ++n) {
    for (int m = 1; m <= 4; ++m) {
      grown += month(n, m);
    }
  }
  const auto second = ingest_export(loyalty, grown);
  const auto& published = second.summary["processed_activity"];
  EXPECT_EQ(published["appended"], nlohmann::json::array({"2018-04"}));
  EXPECT_EQ(published["rewritten"], nlohmann::json::array());
  EXPECT_EQ(published["removed"], nlohmann::json::array());
  EXPECT_EQ(published["unchanged"], 3);
  EXPECT_EQ(published["appended_member_months"], 2);
  EXPECT_EQ(published["unchanged_member_months"], 6);
  for (const auto& [m, id] : before) {
    EXPECT_EQ(identity(m), id) << m << " was written again";
  }
  EXPECT_TRUE(fs::exists(lake_.processed_activity_month("2018-04")));
  EXPECT_EQ(second.summary["arrival"]["changes"]["member_months"],
            (nlohmann::json{{"appended", 2}, {"backfilled", 0}, {"restated", 0}, {"removed", 0},
                            {"unchanged", 6}}));
  // The index lists the four months; the rows read back are the export's.
  const auto index = nlohmann::json::parse(test::read_text(lake_.processed_activity_index()));
  EXPECT_EQ(index["months"].size(), 4u);
  EXPECT_NE(test::read_text(lake_.processed_activity_index()), index_before);
  auto db = duck::Database::open(":memory:");
  duck::Connection c(db);
  const auto rows = [&] {
    return c
        .query("select count(*) from read_parquet(" +
               duck::quote_literal(lake_.processed_activity().string()) + ")")
        .scalar_int64();
  };
  EXPECT_EQ(rows(), 8);

  // A restatement of February and January gone: February rewritten, January removed, the
  // others left as they were.
  std::string restated = kActivityHeader;
  for (int n = 1; n <= 2; ++n) {
    for (int m = 2; m <= 4; ++m) {
      restated += month(n, m, n == 2 && m == 2 ? 7 : 2);
    }
  }
  const auto april = identity("2018-04");
  const auto third = ingest_export(loyalty, restated);
  const auto& again = third.summary["processed_activity"];
  EXPECT_EQ(again["appended"], nlohmann::json::array());
  EXPECT_EQ(again["rewritten"], nlohmann::json::array({"2018-02"}));
  EXPECT_EQ(again["removed"], nlohmann::json::array({"2018-01"}));
  EXPECT_EQ(again["unchanged"], 2);
  EXPECT_EQ(identity("2018-04"), april);
  EXPECT_EQ(identity("2018-03"), before.at("2018-03"));
  EXPECT_FALSE(fs::exists(lake_.processed_activity_month("2018-01")));
  EXPECT_EQ(third.summary["arrival"]["changes"]["member_months"],
            (nlohmann::json{{"appended", 0}, {"backfilled", 0}, {"restated", 1}, {"removed", 2},
                            {"unchanged", 5}}));
  EXPECT_EQ(rows(), 6);
  EXPECT_EQ(c.query("select total_flights from read_parquet(" +
                    duck::quote_literal(lake_.processed_activity().string()) +
                    ") where loyalty_number = 2 and month = 2")
                .scalar_int64(),
            7);

  // A member joins with rows for months already published (as the data set's exports hold):
  // those months only gained rows, which are appended as one more file each; nothing is
  // rewritten.
  const std::string loyalty3 = loyalty + member(3);
  std::string joined = restated;
  for (int m = 2; m <= 4; ++m) {
    joined += month(3, m, 9);
  }
  const auto march = identity("2018-03");
  const auto fourth = ingest_export(loyalty3, joined);
  const auto& added = fourth.summary["processed_activity"];
  EXPECT_EQ(added["extended"], nlohmann::json::array({"2018-02", "2018-03", "2018-04"}));
  EXPECT_EQ(added["extended_member_months"], 3);
  EXPECT_EQ(added["rewritten"], nlohmann::json::array());
  EXPECT_EQ(identity("2018-03"), march);
  EXPECT_TRUE(fs::exists(lake_.processed_activity_dir() / "2018-03+1.parquet"));
  EXPECT_EQ(fourth.summary["arrival"]["changes"]["member_months"],
            (nlohmann::json{{"appended", 0}, {"backfilled", 3}, {"restated", 0}, {"removed", 0},
                            {"unchanged", 6}}));
  EXPECT_EQ(rows(), 9);
  EXPECT_EQ(c.query("select sum(total_flights) from read_parquet(" +
                    duck::quote_literal(lake_.processed_activity().string()) +
                    ") where loyalty_number = 3")
                .scalar_int64(),
            27);
  // Restating a row of an extended month writes the month as one file again.
  std::string restated3 = restated;
  for (int m = 2; m <= 4; ++m) {
    restated3 += month(3, m, m == 3 ? 1 : 9);
  }
  const auto fifth = ingest_export(loyalty3, restated3);
  EXPECT_EQ(fifth.summary["processed_activity"]["rewritten"], nlohmann::json::array({"2018-03"}));
  EXPECT_FALSE(fs::exists(lake_.processed_activity_dir() / "2018-03+1.parquet"));
  EXPECT_TRUE(fs::exists(lake_.processed_activity_dir() / "2018-04+1.parquet"));
  EXPECT_EQ(rows(), 9);
  const auto final_index = nlohmann::json::parse(test::read_text(lake_.processed_activity_index()));
  EXPECT_EQ(final_index["months"]["2018-03"]["files"], nlohmann::json::array({"2018-03.parquet"}));
  EXPECT_EQ(final_index["months"]["2018-04"]["files"],
            nlohmann::json::array({"2018-04.parquet", "2018-04+1.parquet"}));
}

// A lake written before the monthly folder (one processed activity file): the next ingest
// writes every month, compares the arrival with the old file and removes it.
TEST_F(Arrivals, ALakeWithTheSingleFileOfBeforeMovesToMonthlyFiles) {
  const std::string loyalty = kLoyaltyHeader + member(1);
  const std::string activity = kActivityHeader + month(1, 1) + month(1, 2);
  ingest_export(loyalty, activity);
  // Make it look like the old layout: the months in one file, no folder.
  {
    auto db = duck::Database::open(":memory:");
    duck::Connection c(db);
    c.execute("copy (select * from read_parquet(" +
              duck::quote_literal(lake_.processed_activity().string()) + ")) to " +
              duck::quote_literal(lake_.legacy_processed_activity().string()) +
              " (format parquet)");
  }
  fs::remove_all(lake_.processed_activity_dir());
  const auto r = ingest_export(loyalty, activity + month(1, 3), true);
  EXPECT_FALSE(fs::exists(lake_.legacy_processed_activity()));
  EXPECT_EQ(r.summary["processed_activity"]["appended"],
            nlohmann::json::array({"2018-01", "2018-02", "2018-03"}));
  EXPECT_EQ(r.summary["arrival"]["changes"]["member_months"],
            (nlohmann::json{{"appended", 1}, {"backfilled", 0}, {"restated", 0}, {"removed", 0},
                            {"unchanged", 2}}));
}

}  // namespace
}  // namespace aa
