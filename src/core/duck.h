#pragma once
// Small move-only RAII owners over DuckDB's C API (duckdb.h, stable ABI).
// Every failing call throws AppError(Database) carrying DuckDB's own message.

#include <duckdb.h>

#include <atomic>
#include <cassert>
#include <cstdint>
#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace aa::duck {

// Settings passed to duckdb_open_ext ("threads", "memory_limit", "access_mode", ...).
using Options = std::map<std::string, std::string>;

class Database {
 public:
  // path "" or ":memory:" opens an in-memory database.
  static Database open(const std::string& path, const Options& options = {});
  duckdb_database get() const { return *handle_; }

 private:
  struct Close {
    void operator()(duckdb_database* db) const;
  };
  explicit Database(std::unique_ptr<duckdb_database, Close> handle) : handle_(std::move(handle)) {}
  std::unique_ptr<duckdb_database, Close> handle_;
};

// A materialised query result. Values are read by column and row index.
class Result {
 public:
  explicit Result(duckdb_result raw);
  Result(Result&& other) noexcept;
  Result& operator=(Result&& other) noexcept;
  Result(const Result&) = delete;
  Result& operator=(const Result&) = delete;
  ~Result();

  std::size_t row_count();
  std::size_t column_count();
  std::string column_name(std::size_t col);
  duckdb_type column_type(std::size_t col);
  bool is_null(std::size_t col, std::size_t row);
  bool boolean(std::size_t col, std::size_t row);
  std::int64_t int64(std::size_t col, std::size_t row);
  double float64(std::size_t col, std::size_t row);
  // Any value as text (DuckDB's own cast); nullopt for NULL.
  std::optional<std::string> text(std::size_t col, std::size_t row);
  // The first row's first column, which must exist.
  std::int64_t scalar_int64();
  std::string scalar_text();
  // Every column as doubles (NULL -> NaN), read chunk by chunk; all columns must be DOUBLE.
  // Uses DuckDB's chunk API, so call it instead of, never after, the cell accessors above.
  std::vector<std::vector<double>> double_columns();
  // Every column as 64-bit integers (NULL -> `null_value`), likewise; all must be BIGINT.
  std::vector<std::vector<std::int64_t>> int64_columns(std::int64_t null_value);
  // Each chunk of the result in turn (a streamed result's chunks as DuckDB produces them).
  // Like the readers above, call it instead of the cell accessors.
  void each_chunk(const std::function<void(duckdb_data_chunk)>& visit);
  // The names of an ENUM column's values, in code order; AppError when the column is no ENUM.
  std::vector<std::string> enum_names(std::size_t col);

 private:
  void check_cell(std::size_t col, std::size_t row);
  duckdb_result raw_{};
  bool owned_ = false;
};

class PreparedStatement {
 public:
  PreparedStatement(duckdb_prepared_statement raw, std::string sql);
  PreparedStatement& bind(std::size_t index, std::int64_t value);
  PreparedStatement& bind(std::size_t index, double value);
  PreparedStatement& bind(std::size_t index, const std::string& value);
  PreparedStatement& bind_null(std::size_t index);
  Result execute();
  // Executes without materialising the result: its chunks are produced as each_chunk() reads
  // them, so that a scan of a large table holds one chunk at a time.
  Result stream();

 private:
  void check(duckdb_state state, std::size_t index);
  struct Destroy {
    void operator()(duckdb_prepared_statement* p) const;
  };
  std::unique_ptr<duckdb_prepared_statement, Destroy> handle_;
  std::string sql_;
};

class Connection {
 public:
  explicit Connection(const Database& db);
  Result query(const std::string& sql);
  // Runs statements whose results are not needed.
  void execute(const std::string& sql) { query(sql); }
  PreparedStatement prepare(const std::string& sql);
  duckdb_connection get() const { return *handle_; }

 private:
  struct Disconnect {
    void operator()(duckdb_connection* c) const;
  };
  std::unique_ptr<duckdb_connection, Disconnect> handle_;
};

enum class ColumnType { Int64, Int32, Float64, Float32, Varchar };
// DuckDB's logical type for a column type.
duckdb_type to_duckdb(ColumnType type);

// A column-major batch of up to duckdb_vector_size() rows, written in place.
class DataChunk {
 public:
  explicit DataChunk(const std::vector<ColumnType>& types);
  std::size_t capacity() const { return capacity_; }
  std::size_t size() const { return size_; }
  // Fixed-width values are written straight into the column's data (these are called for
  // every value of every row: hundreds of millions of times at scale).
  void set_int64(std::size_t col, std::size_t row, std::int64_t value) {
    assert(col < data_.size() && row < capacity_);
    static_cast<std::int64_t*>(data_[col])[row] = value;
  }
  void set_int32(std::size_t col, std::size_t row, std::int32_t value) {
    assert(col < data_.size() && row < capacity_);
    static_cast<std::int32_t*>(data_[col])[row] = value;
  }
  void set_float64(std::size_t col, std::size_t row, double value) {
    assert(col < data_.size() && row < capacity_);
    static_cast<double*>(data_[col])[row] = value;
  }
  void set_float32(std::size_t col, std::size_t row, float value) {
    assert(col < data_.size() && row < capacity_);
    static_cast<float*>(data_[col])[row] = value;
  }
  void set_varchar(std::size_t col, std::size_t row, std::string_view value);
  void set_null(std::size_t col, std::size_t row);
  void set_size(std::size_t rows);
  void reset();
  duckdb_data_chunk get() const { return *handle_; }

 private:
  struct Destroy {
    void operator()(duckdb_data_chunk* c) const;
  };
  std::unique_ptr<duckdb_data_chunk, Destroy> handle_;
  void refresh_data();
  std::vector<duckdb_vector> vectors_;
  std::vector<void*> data_;  // each vector's data, refreshed whenever the chunk is reset
  std::size_t capacity_;
  std::size_t size_ = 0;
};

class Appender {
 public:
  Appender(Connection& connection, const std::string& table);
  void append(const DataChunk& chunk);
  // Flushes and closes; errors surface here rather than in the destructor.
  void close();

 private:
  void check(duckdb_state state, const char* what);
  struct Destroy {
    void operator()(duckdb_appender* a) const;
  };
  std::unique_ptr<duckdb_appender, Destroy> handle_;
  std::string table_;
};

// Where rows written from C++ go, a chunk at a time: write row() with chunk().set_*, then
// commit_row(); finish() delivers what is buffered.
class RowSink {
 public:
  virtual ~RowSink() = default;
  virtual DataChunk& chunk() = 0;
  virtual std::size_t row() const = 0;
  virtual void commit_row() = 0;
  virtual void finish() = 0;
};

// Appends each full chunk to a table.
class ChunkWriter final : public RowSink {
 public:
  ChunkWriter(Connection& connection, const std::string& table,
              const std::vector<ColumnType>& types);
  DataChunk& chunk() override { return chunk_; }
  std::size_t row() const override { return used_; }
  void commit_row() override;
  // Appends what is buffered and closes the appender.
  void finish() override;

 private:
  void flush();
  DataChunk chunk_;
  Appender appender_;
  std::size_t used_ = 0;
};

// Quotes a string literal for SQL text that holds paths we chose, never request values.
std::string quote_literal(const std::string& text);
// Quotes an identifier.
std::string quote_ident(const std::string& name);

}  // namespace aa::duck
