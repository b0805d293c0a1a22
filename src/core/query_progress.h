#pragma once
// DuckDB's progress through a long query, drawn by our own progress display (core::ProgressBar)
// on stderr. DuckDB's own bar stays off: it writes to the terminal by itself and ignores
// --quiet (issue 28). Apart from duck.h, so that its includers do not get the threading headers.

#include <duckdb.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

namespace aa::duck {

// While alive, a watcher thread asks DuckDB how far the connection's running query has got
// (duckdb_query_progress) every 100 ms, once `delay` has passed, and draws it as a bar labelled
// `label`. The connection must track progress (Connection does when core::progress_on_terminal()).
class QueryProgressWatch {
 public:
  QueryProgressWatch(duckdb_connection connection, std::string label,
                     std::chrono::milliseconds delay = std::chrono::seconds(1));
  ~QueryProgressWatch();
  QueryProgressWatch(const QueryProgressWatch&) = delete;
  QueryProgressWatch& operator=(const QueryProgressWatch&) = delete;

 private:
  void watch(duckdb_connection connection, std::chrono::milliseconds delay);

  std::string label_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool done_ = false;
  std::thread thread_;  // last: started once the members it uses exist
};

}  // namespace aa::duck
