#include "ingest/raw_copier.h"

#include <fstream>

#include "core/app_error.h"

namespace aa::ingest {

namespace {

// Thrown on the copying thread when the copy is stopped; never leaves it.
struct CopyStopped {};

}  // namespace

RawCopier::RawCopier(File loyalty, File activity, AfterBlock after_block)
    : loyalty_(std::move(loyalty)),
      activity_(std::move(activity)),
      after_block_(std::move(after_block)),
      loyalty_growing_(fs::file_size(loyalty_.source)),
      activity_growing_(fs::file_size(activity_.source)) {
  // The copies exist, empty, before the parse opens them: the copier thread may start after
  // the parse does (seen under load, in a replay's twelfth ingest of one process).
  for (const fs::path& staged_copy : {loyalty_.copy, activity_.copy}) {
    fs::create_directories(staged_copy.parent_path());
    std::ofstream created(staged_copy, std::ios::binary | std::ios::trunc);
    if (!created) {
      core::fail(core::ErrorKind::Io, "cannot create '{}'", staged_copy.string());
    }
  }
  thread_ = std::thread([this] { run(); });
}

RawCopier::~RawCopier() {
  stop_ = true;
  if (thread_.joinable()) {
    thread_.join();
  }
}

void RawCopier::finish(bool stop_first) {
  stop_ = stop_ || stop_first;
  if (thread_.joinable()) {
    thread_.join();
  }
  if (error_) {
    std::rethrow_exception(error_);
  }
}

void RawCopier::run() {
  try {
    loyalty_digest_ = copy(loyalty_, loyalty_growing_);
    activity_digest_ = copy(activity_, activity_growing_);
    // The copies reach the disk now, while the activity file is parsed, rather than in the
    // publish at the end (at 1M the activity copy's fsync took about 1 s there).
    core::sync_file(loyalty_.copy);
    core::sync_file(activity_.copy);
  } catch (const CopyStopped&) {
    loyalty_growing_.abandon();
    activity_growing_.abandon();
  } catch (...) {
    error_ = std::current_exception();
    loyalty_growing_.abandon();
    activity_growing_.abandon();
  }
}

core::FileDigest RawCopier::copy(const File& file, GrowingFile& growing) {
  const fs::path& src = file.source;
  const auto size = fs::file_size(src);
  const auto modified = fs::last_write_time(src);
  const core::FileDigest digest =
      core::copy_file_hashed_unpublished(src, file.copy, [&](std::uint64_t done) {
        growing.advance(done);
        if (after_block_) {
          after_block_(src, done);
        }
        if (stop_) {
          throw CopyStopped{};
        }
      });
  // Without a hash from before, a write during the copy shows as a new size or time.
  if ((file.before && digest.sha256 != file.before->sha256) || digest.bytes != size ||
      fs::file_size(src) != size || fs::last_write_time(src) != modified) {
    core::fail(core::ErrorKind::Conflict, "'{}' changed while it was being read; run again",
               src.string());
  }
  growing.finish();
  return digest;
}

}  // namespace aa::ingest
