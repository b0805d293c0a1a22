#include "server/snapshots.h"

#include <fmt/core.h>
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
  const std::string id = identity_of(lake_.warehouse());
  auto first = open(id);  // throws AppError(NotFound) when the lake has no warehouse
  {
    const std::lock_guard<std::mutex> lock(mutex_);
    current_ = std::move(first);
    stopping_ = false;
  }
  watcher_ = std::thread([this, poll] { watch(poll); });
}

void SnapshotSource::stop() {
  {
    const std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (watcher_.joinable()) {
    watcher_.join();
  }
}

std::shared_ptr<Snapshot> SnapshotSource::current() const {
  const std::lock_guard<std::mutex> lock(mutex_);
  return current_;
}

std::string SnapshotSource::last_error() const {
  const std::lock_guard<std::mutex> lock(mutex_);
  return last_error_;
}

void SnapshotSource::watch(std::chrono::milliseconds poll) {
  std::unique_lock<std::mutex> lock(mutex_);
  while (!wake_.wait_for(lock, poll, [this] { return stopping_; })) {
    const std::string id = identity_of(lake_.warehouse());
    if (id.empty() || id == current_->id || id == failed_id_) {
      continue;
    }
    lock.unlock();
    std::shared_ptr<Snapshot> next;
    std::string error;
    try {
      next = open(id);
    } catch (const std::exception& e) {
      error = e.what();
    }
    lock.lock();
    if (next) {
      current_ = std::move(next);
      failed_id_.clear();
      last_error_.clear();
      ++reloads_;
      std::cerr << "serve: new lake snapshot " << current_->id << " loaded\n";
    } else {
      // Keep answering from the snapshot we have; try again when the file changes again.
      failed_id_ = id;
      last_error_ = error;
      std::cerr << "serve: the new lake snapshot could not be loaded (still serving "
                << current_->id << "): " << error << "\n";
    }
  }
}

}  // namespace aa::server
