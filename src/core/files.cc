#include "core/files.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <signal.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <vector>

#include "core/app_error.h"

namespace aa::core {

namespace {

constexpr std::size_t kBlock = 1 << 20;

class Sha256 {
 public:
  Sha256() : ctx_(EVP_MD_CTX_new(), EVP_MD_CTX_free) {
    if (!ctx_ || EVP_DigestInit_ex(ctx_.get(), EVP_sha256(), nullptr) != 1) {
      fail(ErrorKind::Io, "sha256: cannot initialise OpenSSL digest");
    }
  }
  void update(const void* data, std::size_t size) { EVP_DigestUpdate(ctx_.get(), data, size); }
  std::string hex() {
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int size = 0;
    EVP_DigestFinal_ex(ctx_.get(), digest.data(), &size);
    static const char* kHex = "0123456789abcdef";
    std::string out;
    for (unsigned int i = 0; i < size; ++i) {
      out += kHex[digest[i] >> 4];
      out += kHex[digest[i] & 15];
    }
    return out;
  }

 private:
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx_;
};

class Fd {
 public:
  Fd(const fs::path& path, int flags, mode_t mode = 0644) : fd_(::open(path.c_str(), flags, mode)) {
    if (fd_ < 0) {
      fail(ErrorKind::Io, "cannot open '{}': {}", path.string(), std::strerror(errno));
    }
  }
  ~Fd() {
    if (fd_ >= 0) {
      ::close(fd_);
    }
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

void write_all(int fd, const char* data, std::size_t size, const fs::path& path) {
  while (size > 0) {
    const ssize_t n = ::write(fd, data, size);
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      fail(ErrorKind::Io, "cannot write '{}': {}", path.string(), std::strerror(errno));
    }
    data += n;
    size -= static_cast<std::size_t>(n);
  }
}

void fsync_path(const fs::path& path, int flags) {
  Fd fd(path, flags);
  ::fsync(fd.get());
}

// Reads a file block by block, calling sink(data, size) for each block.
template <typename Sink>
std::uint64_t read_blocks(const fs::path& path, Sink&& sink,
                          const std::function<void(std::uint64_t)>& on_bytes) {
  Fd in(path, O_RDONLY);
  std::vector<char> buffer(kBlock);
  std::uint64_t total = 0;
  for (;;) {
    const ssize_t n = ::read(in.get(), buffer.data(), buffer.size());
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      fail(ErrorKind::Io, "cannot read '{}': {}", path.string(), std::strerror(errno));
    }
    if (n == 0) {
      return total;
    }
    sink(buffer.data(), static_cast<std::size_t>(n));
    total += static_cast<std::uint64_t>(n);
    if (on_bytes) {
      on_bytes(total);
    }
  }
}

}  // namespace

FileDigest sha256_file(const fs::path& path, const std::function<void(std::uint64_t)>& on_bytes) {
  Sha256 hash;
  const auto bytes = read_blocks(
      path, [&](const char* data, std::size_t n) { hash.update(data, n); }, on_bytes);
  return {hash.hex(), bytes};
}

std::string sha256_text(const std::string& text) {
  Sha256 hash;
  hash.update(text.data(), text.size());
  return hash.hex();
}

void sync_file(const fs::path& path) { fsync_path(path, O_RDONLY); }

fs::path temp_path_for(const fs::path& final_path) {
  return final_path.parent_path() /
         ("." + final_path.filename().string() + ".tmp-" + std::to_string(::getpid()));
}

void publish(const fs::path& from, const fs::path& to) {
  fsync_path(from, O_RDONLY);
  std::error_code ec;
  fs::rename(from, to, ec);
  if (ec) {
    fail(ErrorKind::Io, "cannot publish '{}' as '{}': {}", from.string(), to.string(),
         ec.message());
  }
  fsync_path(to.parent_path().empty() ? fs::path(".") : to.parent_path(), O_RDONLY | O_DIRECTORY);
}

FileDigest copy_file_hashed_unpublished(const fs::path& src, const fs::path& to,
                                        const std::function<void(std::uint64_t)>& on_bytes) {
  fs::create_directories(to.parent_path());
  Sha256 hash;
  std::uint64_t bytes = 0;
  Fd out(to, O_WRONLY | O_CREAT | O_TRUNC);
  bytes = read_blocks(
      src,
      [&](const char* data, std::size_t n) {
        hash.update(data, n);
        write_all(out.get(), data, n, to);
      },
      on_bytes);
  return {hash.hex(), bytes};
}

FileDigest copy_file_hashed(const fs::path& src, const fs::path& dst,
                            const std::function<void(std::uint64_t)>& on_bytes) {
  const fs::path tmp = temp_path_for(dst);
  const FileDigest digest = copy_file_hashed_unpublished(src, tmp, on_bytes);
  publish(tmp, dst);
  return digest;
}

void write_file_atomic(const fs::path& path, const std::string& text) {
  if (path.has_parent_path()) {
    fs::create_directories(path.parent_path());
  }
  const fs::path tmp = temp_path_for(path);
  {
    Fd out(tmp, O_WRONLY | O_CREAT | O_TRUNC);
    write_all(out.get(), text.data(), text.size(), tmp);
  }
  publish(tmp, path);
}

PublishGroup::~PublishGroup() {
  for (const auto& [tmp, final_path] : files_) {
    std::error_code ec;
    fs::remove(tmp, ec);
  }
}

fs::path PublishGroup::stage(const fs::path& final_path) {
  fs::create_directories(final_path.parent_path());
  const fs::path tmp = temp_path_for(final_path);
  files_.emplace_back(tmp, final_path);
  return tmp;
}

void PublishGroup::add(const fs::path& written, const fs::path& final_path) {
  files_.emplace_back(written, final_path);
}

void PublishGroup::remove(const fs::path& final_path) { removals_.push_back(final_path); }

namespace {

void remove_published(const fs::path& path) {
  std::error_code ec;
  if (fs::remove(path, ec) || !ec) {
    fsync_path(path.parent_path().empty() ? fs::path(".") : path.parent_path(),
               O_RDONLY | O_DIRECTORY);
  }
  if (ec) {
    fail(ErrorKind::Io, "cannot remove '{}': {}", path.string(), ec.message());
  }
}

}  // namespace

void PublishGroup::commit() {
  nlohmann::json journal = nlohmann::json::array();
  for (const auto& [tmp, final_path] : files_) {
    fsync_path(tmp, O_RDONLY);
    journal.push_back({{"from", tmp.string()}, {"to", final_path.string()}});
  }
  for (const auto& path : removals_) {
    journal.push_back({{"remove", path.string()}});
  }
  write_file_atomic(journal_, journal.dump(2) + "\n");
  bool first = true;
  for (const auto& [tmp, final_path] : files_) {
    publish(tmp, final_path);
    if (first) {
      kill_point("publish:midway");
      first = false;
    }
  }
  for (const auto& path : removals_) {
    remove_published(path);
  }
  removals_.clear();
  fs::remove(journal_);
  fsync_path(journal_.parent_path().empty() ? fs::path(".") : journal_.parent_path(),
             O_RDONLY | O_DIRECTORY);
  files_.clear();
}

std::size_t recover_publish_journals(const fs::path& dir) {
  std::size_t completed = 0;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    return 0;
  }
  for (const auto& entry : fs::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind("publishing-", 0) != 0 || entry.path().extension() != ".json") {
      continue;
    }
    nlohmann::json journal;
    try {
      journal = nlohmann::json::parse(read_file(entry.path()));
    } catch (const nlohmann::json::exception& e) {
      fail(ErrorKind::Io, "publish journal '{}' is damaged: {}", entry.path().string(), e.what());
    }
    // Every file was complete before the journal was written; the renames that had not
    // happened yet happen now (a missing source means that one was already published).
    for (const auto& file : journal) {
      if (file.contains("remove")) {
        remove_published(file.at("remove").get<std::string>());
        continue;
      }
      const fs::path from = file.at("from").get<std::string>();
      if (fs::exists(from)) {
        publish(from, file.at("to").get<std::string>());
      }
    }
    fs::remove(entry.path());
    ++completed;
  }
  return completed;
}

void kill_point(const char* point) {
  static const char* const at = std::getenv("AA_KILL_AT");
  if (at != nullptr && std::strcmp(at, point) == 0) {
    ::kill(::getpid(), SIGKILL);
  }
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    fail(ErrorKind::Io, "cannot read '{}'", path.string());
  }
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

}  // namespace aa::core
