#pragma once
// File helpers: content hashes and atomic publication. A published path either holds the
// previous complete version or the new complete version, never a partial file.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>

namespace aa {

namespace fs = std::filesystem;

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

// A temporary path beside `final_path`, unique to this process: "<dir>/.<name>.tmp-<pid>".
fs::path temp_path_for(const fs::path& final_path);

// fsyncs `from`, renames it onto `to` (atomic on POSIX), then fsyncs the directory.
void publish(const fs::path& from, const fs::path& to);

// Writes text atomically to path.
void write_file_atomic(const fs::path& path, const std::string& text);

std::string read_file(const fs::path& path);

}  // namespace aa
