#include "server/snapshots.h"

#include <fmt/core.h>
#include <malloc.h>
#include <sys/stat.h>

#include <ctime>
#include <iostream>

#include "analyst/llm_agents.h"
#include "core/app_error.h"

namespace aa::server {

namespace {

std::string utc_now() {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return buffer;
}

}  // namespace

SnapshotSource::SnapshotSource(core::Lake lake, core::LlmConfig llm, duck::Options options,
                               core::Environment environment)
    : lake_(std::move(lake)),
      llm_(std::move(llm)),
      db_options_(std::move(options)),
      environment_(std::move(environment)) {}

SnapshotSource::~SnapshotSource() { stop(); }

std::string SnapshotSource::identity_of(const fs::path& warehouse) {
  struct stat st {};
  if (::stat(warehouse.c_str(), &st) != 0) {
    return "";
  }
  const auto mtime_ns = static_cast<long long>(st.st_mtim.tv_sec) * 1000000000LL +
                        static_cast<long long>(st.st_mtim.tv_nsec);
  return fmt::format("{}-{}-{}", static_cast<unsigned long long>(st.st_ino),
                     static_cast<long long>(st.st_size), mtime_ns);
}

std::shared_ptr<Snapshot> SnapshotSource::open(const std::string& id) const {
  auto snapshot = std::make_shared<Snapshot>();
  snapshot->id = id;
  snapshot->context = ops::OpsContext::open(lake_, db_options_);
  snapshot->analyst = analyst::make_analyst(*snapshot->context, llm_, environment_);
  snapshot->loaded_at = utc_now();
  return snapshot;
}

void SnapshotSource::start(std::chrono::milliseconds poll) {
  if (!fs::exists(lake_.warehouse())) {
    core::fail(core::ErrorKind::NotFound, "'{}' does not exist; run `airline-analytics run` first",
               lake_.warehouse().string());
  }
  {
    const std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = false;
    started_ = std::chrono::steady_clock::now();
  }
  watcher_ = std::thread([this, poll] { watch(poll); });
}

std::shared_ptr<Snapshot> SnapshotSource::wait(std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock(mutex_);
  loaded_.wait_for(lock, timeout, [this] { return current_ || first_failed_ || stopping_; });
  if (!current_) {
    core::fail(core::ErrorKind::Database, "the lake snapshot could not be loaded: {}",
               last_error_.empty() ? std::string("it is still loading") : last_error_);
  }
  return current_;
}

void SnapshotSource::stop() {
  {
    const std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  loaded_.notify_all();
  if (watcher_.joinable()) {
    watcher_.join();
  }
}

std::shared_ptr<Snapshot> SnapshotSource::current() const {
  const std::lock_guard<std::mutex> lock(mutex_);
  return current_;
}

std::string SnapshotSource::status() const {
  const std::lock_guard<std::mutex> lock(mutex_);
  return current_ ? "ok" : first_failed_ ? "failed" : "loading";
}

double SnapshotSource::loading_seconds() const {
  const std::lock_guard<std::mutex> lock(mutex_);
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
}

std::string SnapshotSource::last_error() const {
  const std::lock_guard<std::mutex> lock(mutex_);
  return last_error_;
}

void SnapshotSource::watch(std::chrono::milliseconds poll) {
  std::unique_lock<std::mutex> lock(mutex_);
  // The first pass loads at once; then every `poll`, a warehouse published anew.
  for (bool first = true; first || !wake_.wait_for(lock, poll, [this] { return stopping_; });
       first = false) {
    const std::string id = identity_of(lake_.warehouse());
    if (id.empty() || (current_ && id == current_->id) || id == failed_id_) {
      continue;
    }
    // A republish loads the new snapshot beside the old one: the old one's cached slices go
    // first, and the memory freed since is handed back, so that the two together hold less.
    if (current_) {
      current_->context->frame().clear_slice_cache();
    }
    lock.unlock();
    malloc_trim(0);
    if (on_load_start) {
      on_load_start();
    }
    const auto began = std::chrono::steady_clock::now();
    std::shared_ptr<Snapshot> next;
    std::string error;
    try {
      next = open(id);
    } catch (const std::exception& e) {
      error = e.what();
    }
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count();
    lock.lock();
    std::shared_ptr<Snapshot> previous;
    if (next) {
      previous = std::move(current_);
      current_ = std::move(next);
      failed_id_.clear();
      last_error_.clear();
      first_failed_ = false;
      load_seconds_ = seconds;
      if (previous) {
        ++reloads_;
        std::cerr << "serve: new lake snapshot " << current_->id << " loaded\n";
      } else {
        std::cerr << fmt::format("serve: lake snapshot loaded: {} members in {:.1f} s\n",
                                 current_->context->frame().size(), seconds);
      }
    } else {
      // Keep answering from the snapshot we have (if any); try again when the file changes.
      failed_id_ = id;
      last_error_ = error;
      if (current_) {
        std::cerr << "serve: the new lake snapshot could not be loaded (still serving "
                  << current_->id << "): " << error << "\n";
      } else {
        first_failed_ = true;
        std::cerr << "serve: the lake snapshot could not be loaded: " << error << "\n";
      }
    }
    loaded_.notify_all();
    // The previous snapshot closes when its last request ends; if none is running, here,
    // outside the lock, so that requests do not wait while its memory is released.
    lock.unlock();
    if (previous) {
      previous.reset();
      malloc_trim(0);
    }
    lock.lock();
  }
}

}  // namespace aa::server
