#include "core/lake.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "core/app_error.h"

namespace aa {

void Lake::create() const {
  for (const auto& dir : {root_ / "raw", root_ / "processed", root_ / "curated" / "customer_features",
                          root_ / "quarantine", root_ / "reports", state_dir(), work_dir()}) {
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) {
      fail(ErrorKind::Io, "cannot create lake folder '{}': {}", dir.string(), ec.message());
    }
  }
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

}  // namespace aa
