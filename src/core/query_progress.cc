#include "core/query_progress.h"

#include <algorithm>
#include <cstdint>
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
  core::ProgressBar bar(label_, kSteps);
  do {
    // -1 while DuckDB cannot tell (before the first pipeline reports, or for a query it
    // cannot measure): nothing is drawn then.
    const duckdb_query_progress_type progress = duckdb_query_progress(connection);
    if (progress.percentage >= 0) {
      bar.update(static_cast<std::uint64_t>(std::min(progress.percentage, 100.0) * 10.0));
    }
  } while (!wake_.wait_for(lock, std::chrono::milliseconds(100), [this] { return done_; }));
}

}  // namespace aa::duck
