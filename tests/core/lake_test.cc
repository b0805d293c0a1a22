#include "core/lake.h"

#include <gtest/gtest.h>

#include "support/test_support.h"

namespace aa {
namespace {

TEST(Lake, SecondWriterIsRefusedWhileTheLockIsHeld) {
  test::TempDir dir;
  const core::Lake lake(dir.path());
  lake.create();
  {
    const core::LakeLock first(lake);
    EXPECT_APP_ERROR(
        core::LakeLock second(lake), core::ErrorKind::Conflict,
        "another pipeline run holds the lake '" + dir.path().string() + "'; wait for it to finish");
  }
  const core::LakeLock again(lake);  // released with the first
}

TEST(Lake, StaleTempFilesFromACrashAreRemovedPublishedFilesKept) {
  test::TempDir dir;
  const core::Lake lake(dir.path());
  lake.create();
  test::write_text(lake.processed_loyalty(), "published");
  test::write_text(
      lake.processed_loyalty().parent_path() / ".customer_loyalty_history.parquet.tmp-123", "half");
  test::write_text(lake.work_dir() / "ingest-123.duckdb", "scratch");
  test::write_text(lake.root() / ".warehouse.duckdb.tmp-9", "half");
  test::write_text(lake.work_dir() / "score-activity-77" / "aa_batch=0" / "data_0.parquet", "x");
  test::write_text(lake.work_dir() / "score-activity-77" / "aa_batch=1" / "data_0.parquet", "x");
  EXPECT_EQ(lake.remove_stale_temp_files(), 4u);
  EXPECT_FALSE(fs::exists(lake.work_dir() / "score-activity-77"));
  EXPECT_TRUE(fs::exists(lake.work_dir()));
  EXPECT_EQ(test::read_text(lake.processed_loyalty()), "published");
  std::size_t files = 0;
  for (const auto& e : fs::recursive_directory_iterator(lake.root())) {
    files += e.is_regular_file() ? 1 : 0;
  }
  EXPECT_EQ(files, 1u);
}

}  // namespace
}  // namespace aa
