#pragma once
// File helpers: content hashes and atomic publication. A published path either holds the
// previous complete version or the new complete version, never a partial file.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace aa {
namespace fs = std::filesystem;
}  // namespace aa

namespace aa::core {

struct FileDigest {
  std::string sha256;  // lower-case hex
  std::uint64_t bytes = 0;
};

// Hashes a file's content. on_bytes (optional) is told the bytes read so far.
FileDigest sha256_file(const fs::path& path,
                       const std::function<void(std::uint64_t)>& on_bytes = {});
std::string sha256_text(const std::string& text);

// Copies src to dst atomically (temp file beside dst, fsync, rename) and hashes it on the way.
FileDigest copy_file_hashed(const fs::path& src, const fs::path& dst,
                            const std::function<void(std::uint64_t)>& on_bytes = {});
// Copies src to `to` (for example a PublishGroup's staged path) and hashes it on the way.
FileDigest copy_file_hashed_unpublished(const fs::path& src, const fs::path& to,
                                        const std::function<void(std::uint64_t)>& on_bytes = {});

// Flushes a written file to disk (fsync), for example on another thread ahead of the publish
// that would otherwise wait for it. Errors are the publish's to report.
void sync_file(const fs::path& path);

// A temporary path beside `final_path`, unique to this process: "<dir>/.<name>.tmp-<pid>".
fs::path temp_path_for(const fs::path& final_path);

// fsyncs `from`, renames it onto `to` (atomic on POSIX), then fsyncs the directory.
void publish(const fs::path& from, const fs::path& to);

// Writes text atomically to path.
void write_file_atomic(const fs::path& path, const std::string& text);

// Several files published as one set. Each is written at the temporary path stage() returns;
// commit() records the set in a journal, renames each file onto its final path, then removes
// the journal. If the process dies during commit, the next writer's
// recover_publish_journals() finishes the renames before anything else touches the lake, so
// the set is never left half old and half new. Until commit(), the published files are the
// previous complete set.
class PublishGroup {
 public:
  explicit PublishGroup(fs::path journal) : journal_(std::move(journal)) {}
  // Without commit() (an error on the way), the staged files are removed.
  ~PublishGroup();
  PublishGroup(const PublishGroup&) = delete;
  PublishGroup& operator=(const PublishGroup&) = delete;
  // The temporary path to write `final_path`'s new version at (its folder is created).
  fs::path stage(const fs::path& final_path);
  // Stages a file written elsewhere under another temporary name (beside `final_path`).
  void add(const fs::path& written, const fs::path& final_path);
  // Removes a published file as part of the set (after the new versions are in place; a crash
  // during commit completes the removal on recovery).
  void remove(const fs::path& final_path);
  void commit();

 private:
  fs::path journal_;
  std::vector<std::pair<fs::path, fs::path>> files_;
  std::vector<fs::path> removals_;
};

// Completes the publications that journals under `dir` record (a crash during commit);
// returns how many journals were completed.
std::size_t recover_publish_journals(const fs::path& dir);

// Test hook for crash-safety tests: when the environment variable AA_KILL_AT equals `point`,
// the process sends itself SIGKILL here (as `kill -9` would), without any cleanup.
void kill_point(const char* point);

std::string read_file(const fs::path& path);

}  // namespace aa::core
