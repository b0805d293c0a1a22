#include "core/stage_state.h"

#include <gtest/gtest.h>

#include "core/files.h"
#include "support/test_support.h"

namespace aa {
namespace {

// A lake with one published output, out.txt, holding "result".
class StageStateTest : public ::testing::Test {
 protected:
  void SetUp() override {
    lake.create();
    core::write_file_atomic(out, "result");
  }
  test::TempDir dir;
  core::Lake lake{dir.path()};
  const fs::path out = dir / "out.txt";
};

TEST_F(StageStateTest, UpToDateOnlyWithSameInputsAndIntactOutputs) {
  core::StageState first(lake, "s");
  first.add_input("input", "hash-1");
  EXPECT_FALSE(first.up_to_date());  // never ran
  EXPECT_FALSE(first.has_record());
  first.record({out}, {{"rows", 3}});
  EXPECT_TRUE(first.up_to_date());
  EXPECT_TRUE(first.has_record());
  EXPECT_EQ(first.last_summary()["rows"], 3);

  core::StageState changed(lake, "s");
  changed.add_input("input", "hash-2");
  EXPECT_FALSE(changed.up_to_date());  // input content changed

  core::write_file_atomic(out, "tampered");
  EXPECT_FALSE(first.up_to_date());  // output no longer what was published
  fs::remove(out);
  EXPECT_FALSE(first.up_to_date());  // output gone
}

// A hash the caller already knows (a file hashed while it was copied) is recorded as given,
// not recomputed: a wrong one makes the next check rebuild.
TEST_F(StageStateTest, KnownOutputHashesAreRecordedAsGiven) {
  core::StageState state(lake, "s");
  state.add_input("input", "hash-1");
  state.record({out}, {}, {{out, core::sha256_text("result")}});
  EXPECT_EQ(state.recorded_outputs().at("out.txt"), core::sha256_text("result"));
  EXPECT_TRUE(state.up_to_date());
  state.record({out}, {}, {{out, core::sha256_text("something else")}});
  EXPECT_EQ(state.recorded_outputs().at("out.txt"), core::sha256_text("something else"));
  EXPECT_FALSE(state.up_to_date());
}

TEST_F(StageStateTest, DamagedStateFileMeansRebuild) {
  core::write_file_atomic(lake.state_dir() / "s.json", "{not json");
  core::StageState state(lake, "s");
  EXPECT_FALSE(state.up_to_date());
  EXPECT_TRUE(state.last_summary().empty());
}

}  // namespace
}  // namespace aa
