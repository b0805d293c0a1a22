#include "core/files.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "core/app_error.h"
#include "core/parallel.h"
#include "support/test_support.h"

namespace aa {
namespace {

using test::TempDir;

TEST(Files, Sha256OfKnownText) {
  // The published test vector for "abc".
  EXPECT_EQ(core::sha256_text("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  TempDir dir;
  test::write_text(dir / "f", "abc");
  const auto d = core::sha256_file(dir / "f");
  EXPECT_EQ(d.sha256, core::sha256_text("abc"));
  EXPECT_EQ(d.bytes, 3u);
}

TEST(Files, CopyIsByteIdenticalAndHashed) {
  TempDir dir;
  std::string big(3 << 20, 'x');  // over one block
  big[12345] = '\0';
  test::write_text(dir / "src", big);
  std::uint64_t seen = 0;
  const auto d = core::copy_file_hashed(dir / "src", dir / "out" / "dst",
                                        [&](std::uint64_t done) { seen = done; });
  EXPECT_EQ(test::read_text(dir / "out" / "dst"), big);
  EXPECT_EQ(d.sha256, core::sha256_text(big));
  EXPECT_EQ(seen, big.size());
  EXPECT_FALSE(fs::exists(core::temp_path_for(dir / "out" / "dst")));
}

TEST(Files, AtomicWriteReplacesWholeFileAndLeavesNoTemp) {
  TempDir dir;
  core::write_file_atomic(dir / "a.json", "old");
  core::write_file_atomic(dir / "a.json", "new content");
  EXPECT_EQ(core::read_file(dir / "a.json"), "new content");
  std::size_t entries = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir.path())) {
    ++entries;
  }
  EXPECT_EQ(entries, 1u);
}

TEST(Files, AGroupIsPublishedWholeOrNotAtAll) {
  TempDir dir;
  core::write_file_atomic(dir / "a", "old a");
  core::write_file_atomic(dir / "sub" / "b", "old b");
  {
    core::PublishGroup group(dir / "journal.json");
    core::write_file_atomic(group.stage(dir / "a"), "new a");
    core::write_file_atomic(group.stage(dir / "sub" / "b"), "new b");
    // Not committed (an error on the way): the old files stay, the staged ones go.
  }
  EXPECT_EQ(core::read_file(dir / "a"), "old a");
  EXPECT_EQ(core::read_file(dir / "sub" / "b"), "old b");
  EXPECT_FALSE(fs::exists(core::temp_path_for(dir / "a")));
  EXPECT_FALSE(fs::exists(core::temp_path_for(dir / "sub" / "b")));

  core::PublishGroup group(dir / "journal.json");
  core::write_file_atomic(group.stage(dir / "a"), "new a");
  core::write_file_atomic(group.stage(dir / "sub" / "b"), "new b");
  group.commit();
  EXPECT_EQ(core::read_file(dir / "a"), "new a");
  EXPECT_EQ(core::read_file(dir / "sub" / "b"), "new b");
  EXPECT_FALSE(fs::exists(dir / "journal.json"));
}

// What a crash between two renames of a commit leaves: the journal, one file renamed, one still
// at its temporary path. Recovery finishes the set; a journal whose renames all happened is
// simply removed.
TEST(Files, RecoveryCompletesAnInterruptedGroup) {
  TempDir dir;
  fs::create_directories(dir / "state");
  core::write_file_atomic(dir / "a", "new a");  // already renamed
  core::write_file_atomic(dir / "b", "old b");
  test::write_text(dir / ".b.tmp-1", "new b");
  test::write_text(
      dir / "state" / "publishing-x.json",
      nlohmann::json::array({{{"from", (dir / ".a.tmp-1").string()}, {"to", (dir / "a").string()}},
                             {{"from", (dir / ".b.tmp-1").string()}, {"to", (dir / "b").string()}}})
          .dump());
  test::write_text(dir / "state" / "other.json", "{}");  // not a journal: left alone
  EXPECT_EQ(core::recover_publish_journals(dir / "state"), 1u);
  EXPECT_EQ(core::read_file(dir / "a"), "new a");
  EXPECT_EQ(core::read_file(dir / "b"), "new b");
  EXPECT_FALSE(fs::exists(dir / ".b.tmp-1"));
  EXPECT_FALSE(fs::exists(dir / "state" / "publishing-x.json"));
  EXPECT_TRUE(fs::exists(dir / "state" / "other.json"));
  EXPECT_EQ(core::recover_publish_journals(dir / "state"), 0u);
  EXPECT_EQ(core::recover_publish_journals(dir / "nowhere"), 0u);
}

TEST(Files, PublishOfMissingFileIsIoError) {
  TempDir dir;
  EXPECT_APP_ERROR(core::publish(dir / "missing", dir / "x"), core::ErrorKind::Io,
                   "cannot open '" + (dir / "missing").string() + "': No such file or directory");
}

TEST(Files, ReadingMissingFileIsIoError) {
  EXPECT_APP_ERROR(core::read_file("/nonexistent/file"), core::ErrorKind::Io,
                   "cannot read '/nonexistent/file'");
}

// Every index is visited once, whatever the thread count; an error in a range reaches the
// caller after all threads end.
TEST(Parallel, RangesCoverEveryIndexOnceAndErrorsPropagate) {
  for (unsigned threads : {1u, 2u, 3u, 8u}) {
    std::vector<int> seen(10007, 0);
    core::for_each_range(
        seen.size(), 100,
        [&](std::size_t begin, std::size_t end) {
          for (std::size_t i = begin; i < end; ++i) {
            ++seen[i];
          }
        },
        threads);
    EXPECT_EQ(std::count(seen.begin(), seen.end(), 1), static_cast<long>(seen.size())) << threads;
  }
  std::size_t calls = 0;
  core::for_each_range(0, 100,
                       [&](std::size_t begin, std::size_t end) { calls += end - begin + 1; });
  EXPECT_EQ(calls, 1u);  // an empty range still runs once, with nothing to do
  // Two ranges, [0, 50000) and [50000, 100000): the second thread's error reaches the caller.
  EXPECT_APP_ERROR(core::for_each_range(
                       100000, 10,
                       [](std::size_t begin, std::size_t) {
                         if (begin > 0) {
                           core::fail(core::ErrorKind::Io, "range starting at {}", begin);
                         }
                       },
                       2),
                   core::ErrorKind::Io, "range starting at 50000");
}

}  // namespace
}  // namespace aa
