#pragma once
// duck::ChunkStream: rows made in C++ on one thread, read by a DuckDB query on another as a
// table function (apart from duck.h, so that its includers do not get the threading headers).

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/duck.h"

namespace aa::duck {

// Rows made by C++ on one thread, read by a query on another as a table function, so that a
// stream of rows goes straight into, say, `copy (select ... from name()) to 'x.parquet'` with no
// table in between and both cores busy (one producing, one encoding). At most `depth` chunks
// wait between the two. Int64, Float64 and Float32 columns.
class ChunkStream final : public RowSink {
 public:
  struct Column {
    std::string name;
    ColumnType type;
  };
  // Registers the table function `name` (no arguments) on `connection`.
  ChunkStream(Connection& connection, std::string name, std::vector<Column> columns,
              std::size_t depth = 16);
  ChunkStream(const ChunkStream&) = delete;
  ChunkStream& operator=(const ChunkStream&) = delete;
  ~ChunkStream() override;

  // Runs `produce` on a new thread (it writes rows into this sink; the stream finishes when it
  // returns) while `sql`, which reads name(), runs on `connection` here. Whatever `produce`
  // throws is rethrown here, and wins over the query's own error (it is the cause); if the
  // query fails first, the producer is stopped at its next full chunk. False when `produce`
  // abandoned the stream (abandon()): the query then failed, and its error is not rethrown.
  bool run(const std::string& sql, const std::function<void(RowSink&)>& produce);
  // Called by the producer instead of returning normally: the stream ends short, so the query
  // fails (as for a producer's error) once it has read the chunks already pushed.
  void abandon();

  DataChunk& chunk() override { return *filling_; }
  std::size_t row() const override { return used_; }
  void commit_row() override;
  void finish() override;

  // The table function's side (called by DuckDB): fills `out`, 0 rows at the end.
  void read_into(duckdb_data_chunk out);
  const std::vector<Column>& columns() const { return columns_; }

  // What the registered function points at; cleared when the stream goes, so that a late call
  // of name() is an error, not a read of freed memory.
  struct Slot {
    std::atomic<ChunkStream*> stream{nullptr};
  };

 private:
  void push();
  std::unique_ptr<DataChunk> take_free();

  Connection& connection_;
  std::string name_;
  std::vector<Column> columns_;
  std::vector<ColumnType> types_;
  std::size_t depth_;
  std::unique_ptr<DataChunk> filling_;
  std::size_t used_ = 0;

  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<std::unique_ptr<DataChunk>> ready_;  // filled, in order
  std::vector<std::unique_ptr<DataChunk>> free_;  // read, to be filled again
  std::size_t chunks_ = 0;                        // allocated so far (at most depth_ + 1)
  bool done_ = false;                             // the producer finished (or failed)
  bool stopped_ = false;                          // the reader gave up: the producer stops
  bool abandoned_ = false;                        // the producer ended the stream short
  std::exception_ptr producer_error_;
  std::shared_ptr<Slot> slot_;
};

}  // namespace aa::duck
