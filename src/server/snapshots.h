#pragma once
// The published lake snapshot the server answers from. A snapshot is one warehouse file
// (identified by its inode, size and modification time): one read-only DuckDB connection and
// member frame (an OpsContext) and one analyst over it. A watcher thread notices when the
// pipeline republishes (the warehouse is replaced by rename) and opens the new snapshot beside
// the old one; requests already running keep the snapshot they started with, new requests get
// the new one, and the old one closes when its last request ends. No request waits for a load.

#include <atomic>
#include <chrono>
#include <condition_variable>
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

  // Opens the current snapshot (AppError when the lake has none) and starts watching.
  void start(std::chrono::milliseconds poll = std::chrono::milliseconds(1000));
  void stop();

  std::shared_ptr<Snapshot> current() const;
  // How many times a new snapshot replaced the previous one, and the last failed load's
  // message (empty when none failed since the last success).
  int reloads() const { return reloads_.load(); }
  std::string last_error() const;
  const core::LlmConfig& llm() const { return llm_; }

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
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread watcher_;
};

}  // namespace aa::server
