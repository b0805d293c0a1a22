#pragma once
// The published lake snapshot the server answers from. A snapshot is one warehouse file
// (identified by its inode, size and modification time): one read-only DuckDB connection and
// member frame (an OpsContext) and one analyst over it. A watcher thread notices when the
// pipeline republishes (the warehouse is replaced by rename) and opens the new snapshot beside
// the old one; requests already running keep the snapshot they started with, new requests get
// the new one, and the old one closes when its last request ends. No request waits for a load:
// the first snapshot, too, loads on the watcher thread, and until it is in, there is none
// (current() is null) and the server answers that it is loading.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "analyst/analyst.h"
#include "core/config.h"
#include "core/lake.h"
#include "ops/ops_context.h"

namespace aa::server {

struct Snapshot {
  std::string id;         // "<inode>-<size>-<mtime ns>" of the warehouse file
  std::string loaded_at;  // UTC, ISO 8601
  std::unique_ptr<ops::OpsContext> context;
  std::unique_ptr<analyst::Analyst> analyst;
  std::mutex ask_mutex;  // one analyst question at a time per snapshot
};

class SnapshotSource {
 public:
  // `environment`: what the analyst's LLM provider reads its keys from (aws_environment()).
  SnapshotSource(core::Lake lake, core::LlmConfig llm, duck::Options options = {},
                 core::Environment environment = core::process_environment());
  ~SnapshotSource();
  SnapshotSource(const SnapshotSource&) = delete;
  SnapshotSource& operator=(const SnapshotSource&) = delete;

  // Starts loading the current snapshot and watching for new ones, and returns at once;
  // AppError(NotFound) when the lake has no warehouse.
  void start(std::chrono::milliseconds poll = std::chrono::milliseconds(1000));
  // Waits until a snapshot is in (or the first load failed, or `timeout` passed): the
  // snapshot, or AppError with the load's failure.
  std::shared_ptr<Snapshot> wait(std::chrono::milliseconds timeout = std::chrono::minutes(30));
  void stop();

  // The snapshot new requests get; null until the first one is in.
  std::shared_ptr<Snapshot> current() const;
  // "loading" until the first snapshot is in, "failed" when it could not be loaded (the
  // watcher tries again when the warehouse is published anew), then "ok".
  std::string status() const;
  // Seconds since the first load started, and how long it took once in (0 before).
  double loading_seconds() const;
  double load_seconds() const { return load_seconds_.load(); }
  // How many times a new snapshot replaced the previous one, and the last failed load's
  // message (empty when none failed since the last success).
  int reloads() const { return reloads_.load(); }
  std::string last_error() const;
  const core::LlmConfig& llm() const { return llm_; }
  const core::Lake& lake() const { return lake_; }

  // Called on the watcher thread as each load begins (tests hold a load back with it); set
  // before start().
  std::function<void()> on_load_start;

  // The warehouse file's identity, or "" when it cannot be read.
  static std::string identity_of(const fs::path& warehouse);

 private:
  std::shared_ptr<Snapshot> open(const std::string& id) const;
  void watch(std::chrono::milliseconds poll);

  core::Lake lake_;
  core::LlmConfig llm_;
  duck::Options db_options_;
  core::Environment environment_;
  mutable std::mutex mutex_;
  std::shared_ptr<Snapshot> current_;
  std::string failed_id_;
  std::string last_error_;
  std::atomic<int> reloads_{0};
  std::atomic<double> load_seconds_{0};
  std::chrono::steady_clock::time_point started_{};
  bool first_failed_ = false;
  std::condition_variable wake_;
  std::condition_variable loaded_;
  bool stopping_ = false;
  std::thread watcher_;
};

}  // namespace aa::server
