#include "core/query_progress.h"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <utility>

#include "core/progress.h"

namespace aa::duck {

QueryProgressWatch::QueryProgressWatch(duckdb_connection connection, std::string label,
                                       std::chrono::milliseconds delay)
    : label_(std::move(label)), thread_([this, connection, delay] { watch(connection, delay); }) {}

QueryProgressWatch::~QueryProgressWatch() {
  {
    const std::lock_guard lock(mutex_);
    done_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

void QueryProgressWatch::watch(duckdb_connection connection, std::chrono::milliseconds delay) {
  std::unique_lock lock(mutex_);
  if (wake_.wait_for(lock, delay, [this] { return done_; })) {
    return;  // a short query: no bar
  }
  constexpr std::uint64_t kSteps = 1000;  // tenths of a percent
  // Made at the first figure DuckDB gives: a query it cannot measure (a table function fed by
  // our own threads, as ingest's) draws nothing and clears nothing.
  std::optional<core::ProgressBar> bar;
  try {
    do {
      // -1 while DuckDB cannot tell (before the first pipeline reports, or for a query it
      // cannot measure).
      const duckdb_query_progress_type progress = duckdb_query_progress(connection);
      if (progress.percentage >= 0) {
        if (!bar) {
          bar.emplace(label_, kSteps);
        }
        bar->update(static_cast<std::uint64_t>(std::min(progress.percentage, 100.0) * 10.0));
      }
    } while (!wake_.wait_for(lock, std::chrono::milliseconds(100), [this] { return done_; }));
    if (bar) {
      bar->finish();  // clears its line (here, where a failure to print is caught)
    }
  } catch (...) {
    // A terminal that fails to take the bar (closed, full) must not end the process from this
    // thread; the query goes on without it.
  }
}

}  // namespace aa::duck
