// The activity rows set aside by member (a file whose members' rows are apart) come back
// member by member, each member's rows in the order they were added, every value exact.
#include "ingest/activity_spill.h"

#include <gtest/gtest.h>

#include <random>
#include <tuple>

#include "core/app_error.h"
#include "support/test_support.h"

namespace aa {
namespace {

auto fields(const ingest::ActivityRow& r) {
  return std::tie(r.year, r.month, r.total_flights, r.distance, r.points_accumulated,
                  r.points_redeemed, r.dollar_cost_points_redeemed);
}

TEST(ActivitySpill, HandsRowsBackByMemberInTheOrderAdded) {
  test::TempDir dir;
  const fs::path path = dir / "work" / "rows.spill";
  // 200,000 members: four ranges of 65,536, the last partly used; rows added month by month in
  // a shuffled member order, so every range's rows arrive interleaved with the others'.
  constexpr std::uint32_t kMembers = 200000;
  std::vector<std::vector<ingest::ActivityRow>> expected(kMembers);
  std::mt19937_64 random(7);
  std::vector<std::uint32_t> order(kMembers);
  for (std::uint32_t i = 0; i < kMembers; ++i) {
    order[i] = i;
  }
  std::uint64_t added = 0;
  {
    ingest::ActivitySpill spill(path, kMembers);
    EXPECT_EQ(spill.ranges(), 4u);
    for (int month = 1; month <= 3; ++month) {
      std::shuffle(order.begin(), order.end(), random);
      for (std::uint32_t i = 0; i < kMembers; ++i) {
        if (random() % 5 == 0) {
          continue;  // members without a row this month
        }
        const std::uint32_t m = order[i];
        // The extremes of every packed field, and doubles that are not short decimals.
        const ingest::ActivityRow row{m % 2 ? 1900 : 2100,
                                      month,
                                      static_cast<std::int64_t>(random() % 1001),
                                      m % 3 ? 5000000 : 0,
                                      static_cast<double>(random() % 100000000) / 3.0,
                                      m % 7 ? 100000000 : 0,
                                      static_cast<double>(m) * 0.1 + 1e-9};
        spill.add(m, row);
        expected[m].push_back(row);
        ++added;
      }
    }
    // A member with far more rows than a block holds, all in the last range.
    for (int i = 0; i < 5000; ++i) {
      const ingest::ActivityRow row{2000 + i % 100, i % 12 + 1, i % 1000, i, i * 0.5, i, i * 0.25};
      spill.add(kMembers - 1, row);
      expected[kMembers - 1].push_back(row);
      ++added;
    }
    EXPECT_EQ(spill.rows(), added);
    EXPECT_GT(spill.bytes_on_disk(), 0u);
    EXPECT_TRUE(fs::exists(path));

    std::vector<std::size_t> seen(kMembers, 0);
    std::int64_t previous = -1;
    std::uint64_t handed = 0;
    std::uint64_t last_progress = 0;
    std::size_t mismatches = 0;
    spill.replay(
        [&](std::uint32_t member, const ingest::ActivityRow& row) {
          ASSERT_LT(member, kMembers);
          EXPECT_GE(static_cast<std::int64_t>(member), previous);
          if (static_cast<std::int64_t>(member) != previous) {
            // A member's rows come back together: when it starts, none were handed out before.
            EXPECT_EQ(seen[member], 0u);
          }
          previous = member;
          ASSERT_LT(seen[member], expected[member].size());
          if (fields(row) != fields(expected[member][seen[member]])) {
            ++mismatches;
          }
          ++seen[member];
          ++handed;
        },
        [&](std::uint64_t done) {
          EXPECT_GT(done, last_progress);
          last_progress = done;
        });
    EXPECT_EQ(mismatches, 0u);
    EXPECT_EQ(handed, added);
    EXPECT_EQ(last_progress, added);
    for (std::uint32_t m = 0; m < kMembers; ++m) {
      ASSERT_EQ(seen[m], expected[m].size()) << m;
    }
  }
  EXPECT_FALSE(fs::exists(path));  // the scratch file goes with the spill
}

TEST(ActivitySpill, AMemberNumberBeyondTheMembersGivenIsABug) {
  test::TempDir dir;
  ingest::ActivitySpill spill(dir / "rows.spill", 10);
  EXPECT_THROW(spill.add(10, ingest::ActivityRow{2018, 1, 1, 1, 1, 1, 1}), std::out_of_range);
}

TEST(ActivitySpill, AnUnwritableScratchFolderIsALocatedIoError) {
  test::TempDir dir;
  test::write_text(dir / "file", "x");
  try {
    ingest::ActivitySpill spill(dir / "file" / "rows.spill", 10);
    FAIL() << "expected an error";
  } catch (const core::AppError& e) {
    EXPECT_EQ(e.kind(), core::ErrorKind::Io);
    EXPECT_NE(std::string(e.what()).find((dir / "file").string()), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace aa
