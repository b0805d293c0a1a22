#pragma once
// The raw copies of the two input files, made on their own thread while they are parsed.

#include <atomic>
#include <cstdint>
#include <exception>
#include <filesystem>
#include <functional>
#include <optional>
#include <thread>

#include "core/files.h"
#include "ingest/csv_reader.h"

namespace aa::ingest {

// One thread copies (and hashes) the loyalty file, then the activity file, into their staged
// lake copies, while each is parsed from its copy as the copy grows: a reader never passes the
// bytes copied (GrowingFile), so what is validated is exactly what is published, and the parse
// of the loyalty file and the copy of the activity file overlap. A file that changes while it
// is read is an error (AppError Conflict).
class RawCopier {
 public:
  struct File {
    fs::path source;
    fs::path copy;                     // staged, beside its final path
    std::optional<core::FileDigest> before;  // the source's hash, when it was hashed up front
  };
  // Called on the copying thread after each block of a file (the source, bytes copied so far).
  using AfterBlock = std::function<void(const fs::path& source, std::uint64_t copied)>;

  // Creates both copies, empty (so that a parse may open them before the thread starts), and
  // starts copying.
  RawCopier(File loyalty, File activity, AfterBlock after_block);
  // Stops the copy at its next block and waits for it.
  ~RawCopier();
  RawCopier(const RawCopier&) = delete;
  RawCopier& operator=(const RawCopier&) = delete;

  // The copies as they grow, for the parsers.
  const GrowingFile* loyalty_growing() const { return &loyalty_growing_; }
  const GrowingFile* activity_growing() const { return &activity_growing_; }

  // Waits for the copies (stopping them first when `stop_first`), then rethrows their failure.
  void finish(bool stop_first);
  // Once finish() returned: the copies' hashes and sizes.
  const core::FileDigest& loyalty() const { return loyalty_digest_; }
  const core::FileDigest& activity() const { return activity_digest_; }

 private:
  void run();
  core::FileDigest copy(const File& file, GrowingFile& growing);

  File loyalty_;
  File activity_;
  AfterBlock after_block_;
  GrowingFile loyalty_growing_;
  GrowingFile activity_growing_;
  std::atomic<bool> stop_{false};  // the copy gives up at its next block
  std::exception_ptr error_;       // its failure, once joined
  core::FileDigest loyalty_digest_;
  core::FileDigest activity_digest_;
  std::thread thread_;
};

}  // namespace aa::ingest
