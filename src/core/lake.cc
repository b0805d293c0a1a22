#include "core/lake.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "core/app_error.h"
#include "core/files.h"

namespace aa::core {

bool Lake::has_processed_activity() const { return fs::exists(processed_activity_index()); }

fs::path parquet_source_digest_file(const fs::path& source) {
  return source.filename() == "*.parquet" ? source.parent_path() / "_months.json" : source;
}

bool parquet_source_exists(const fs::path& source) {
  return fs::exists(parquet_source_digest_file(source));
}

void Lake::create() const {
  for (const auto& dir :
       {root_ / "raw", root_ / "processed", root_ / "curated" / "customer_features",
        churn_artifacts(), churn_predictions().parent_path(), root_ / "quarantine",
        root_ / "reports", state_dir(), work_dir()}) {
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) {
      fail(ErrorKind::Io, "cannot create lake folder '{}': {}", dir.string(), ec.message());
    }
  }
}

std::size_t Lake::remove_stale_temp_files() const {
  std::size_t removed = 0;
  std::error_code ec;
  if (!fs::exists(root_, ec)) {
    return 0;
  }
  // A set whose publication a crash interrupted is completed first: its files are temps too.
  recover_publish_journals(state_dir());
  std::vector<fs::path> scratch_folders;
  for (auto it = fs::recursive_directory_iterator(root_, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    const std::string name = it->path().filename().string();
    // Scoring's split of the activity (ModelWorkspace::partition_activity) left by a crash.
    if (it->path().parent_path() == work_dir() && it->is_directory() &&
        name.rfind("score-activity-", 0) == 0) {
      scratch_folders.push_back(it->path());
      it.disable_recursion_pending();
      continue;
    }
    const bool temp = name.size() > 1 && name[0] == '.' && name.find(".tmp-") != std::string::npos;
    const bool scratch = it->path().parent_path() == work_dir() && it->is_regular_file();
    if ((temp || scratch) && it->is_regular_file()) {
      std::error_code rm;
      removed += fs::remove(it->path(), rm) ? 1 : 0;
    }
  }
  for (const auto& folder : scratch_folders) {
    std::error_code rm;
    removed += fs::remove_all(folder, rm) > 0 ? 1 : 0;
  }
  return removed;
}

LakeLock::LakeLock(const Lake& lake) {
  const fs::path path = lake.root() / ".lock";
  fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) {
    fail(ErrorKind::Io, "cannot open lock '{}': {}", path.string(), std::strerror(errno));
  }
  if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    ::close(fd_);
    fd_ = -1;
    fail(ErrorKind::Conflict, "another pipeline run holds the lake '{}'; wait for it to finish",
         lake.root().string());
  }
}

LakeLock::~LakeLock() {
  if (fd_ >= 0) {
    ::flock(fd_, LOCK_UN);
    ::close(fd_);
  }
}

}  // namespace aa::core
