#include "core/files.h"

#include <gtest/gtest.h>

#include "support/test_support.h"

namespace aa {
namespace {

using test::TempDir;

TEST(Files, Sha256OfKnownText) {
  // The published test vector for "abc".
  EXPECT_EQ(sha256_text("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  TempDir dir;
  test::write_text(dir / "f", "abc");
  const auto d = sha256_file(dir / "f");
  EXPECT_EQ(d.sha256, sha256_text("abc"));
  EXPECT_EQ(d.bytes, 3u);
}

TEST(Files, CopyIsByteIdenticalAndHashed) {
  TempDir dir;
  std::string big(3 << 20, 'x');  // over one block
  big[12345] = '\0';
  test::write_text(dir / "src", big);
  std::uint64_t seen = 0;
  const auto d = copy_file_hashed(dir / "src", dir / "out" / "dst",
                                  [&](std::uint64_t done) { seen = done; });
  EXPECT_EQ(test::read_text(dir / "out" / "dst"), big);
  EXPECT_EQ(d.sha256, sha256_text(big));
  EXPECT_EQ(seen, big.size());
  EXPECT_FALSE(fs::exists(temp_path_for(dir / "out" / "dst")));
}

TEST(Files, AtomicWriteReplacesWholeFileAndLeavesNoTemp) {
  TempDir dir;
  write_file_atomic(dir / "a.json", "old");
  write_file_atomic(dir / "a.json", "new content");
  EXPECT_EQ(read_file(dir / "a.json"), "new content");
  std::size_t entries = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir.path())) {
    ++entries;
  }
  EXPECT_EQ(entries, 1u);
}

TEST(Files, PublishOfMissingFileIsIoError) {
  TempDir dir;
  EXPECT_THROW(publish(dir / "missing", dir / "x"), AppError);
}

TEST(Files, ReadingMissingFileIsIoError) {
  EXPECT_APP_ERROR(read_file("/nonexistent/file"), ErrorKind::Io,
                   "cannot read '/nonexistent/file'");
}

}  // namespace
}  // namespace aa
