#include "core/duck.h"

#include <algorithm>
#include <cassert>
#include <cstring>
#include <limits>
#include <thread>

#include "core/app_error.h"
#include "core/progress.h"
#include "core/query_progress.h"

namespace aa::duck {

// ---- Database ----------------------------------------------------------------------------

void Database::Close::operator()(duckdb_database* db) const {
  duckdb_close(db);
  delete db;
}

Database Database::open(const std::string& path, const Options& options) {
  duckdb_config config = nullptr;
  if (duckdb_create_config(&config) != DuckDBSuccess) {
    core::fail(core::ErrorKind::Database, "duckdb: cannot create a configuration");
  }
  for (const auto& [name, value] : options) {
    if (duckdb_set_config(config, name.c_str(), value.c_str()) != DuckDBSuccess) {
      duckdb_destroy_config(&config);
      core::fail(core::ErrorKind::Database, "duckdb: invalid setting {}={}", name, value);
    }
  }
  auto handle = std::unique_ptr<duckdb_database, Close>(new duckdb_database(nullptr));
  char* error = nullptr;
  const char* c_path = (path.empty() || path == ":memory:") ? nullptr : path.c_str();
  const duckdb_state state = duckdb_open_ext(c_path, handle.get(), config, &error);
  duckdb_destroy_config(&config);
  if (state != DuckDBSuccess) {
    std::string message = error ? error : "unknown error";
    duckdb_free(error);
    // The owner frees its holder; duckdb_close ignores a database that never opened.
    core::fail(core::ErrorKind::Database, "duckdb: cannot open '{}': {}", path, message);
  }
  return Database(std::move(handle));
}

// ---- Result ------------------------------------------------------------------------------

Result::Result(duckdb_result raw) : raw_(raw), owned_(true) {}

Result::Result(Result&& other) noexcept : raw_(other.raw_), owned_(other.owned_) {
  other.owned_ = false;
}

Result& Result::operator=(Result&& other) noexcept {
  if (this != &other) {
    if (owned_) {
      duckdb_destroy_result(&raw_);
    }
    raw_ = other.raw_;
    owned_ = other.owned_;
    other.owned_ = false;
  }
  return *this;
}

Result::~Result() {
  if (owned_) {
    duckdb_destroy_result(&raw_);
  }
}

std::size_t Result::row_count() { return duckdb_row_count(&raw_); }
std::size_t Result::column_count() { return duckdb_column_count(&raw_); }

std::string Result::column_name(std::size_t col) {
  const char* name = duckdb_column_name(&raw_, col);
  return name ? name : "";
}

void Result::check_cell(std::size_t col, std::size_t row) {
  if (col >= column_count() || row >= row_count()) {
    core::fail(core::ErrorKind::Database,
               "duckdb: no cell at column {} row {} ({} columns, {} rows)", col, row,
               column_count(), row_count());
  }
}

duckdb_type Result::column_type(std::size_t col) {
  if (col >= column_count()) {
    core::fail(core::ErrorKind::Database, "duckdb: no column {} ({} columns)", col, column_count());
  }
  return duckdb_column_type(&raw_, col);
}

bool Result::boolean(std::size_t col, std::size_t row) {
  check_cell(col, row);
  return duckdb_value_boolean(&raw_, col, row);
}

bool Result::is_null(std::size_t col, std::size_t row) {
  check_cell(col, row);
  return duckdb_value_is_null(&raw_, col, row);
}

std::int64_t Result::int64(std::size_t col, std::size_t row) {
  check_cell(col, row);
  return duckdb_value_int64(&raw_, col, row);
}

double Result::float64(std::size_t col, std::size_t row) {
  check_cell(col, row);
  return duckdb_value_double(&raw_, col, row);
}

std::optional<std::string> Result::text(std::size_t col, std::size_t row) {
  if (is_null(col, row)) {
    return std::nullopt;
  }
  char* value = duckdb_value_varchar(&raw_, col, row);
  std::string out = value ? value : "";
  duckdb_free(value);
  return out;
}

std::int64_t Result::scalar_int64() { return int64(0, 0); }

std::string Result::scalar_text() { return text(0, 0).value_or(""); }

namespace {

// Reads every column of `result` chunk by chunk into vectors of T, after checking their type.
template <typename T>
std::vector<std::vector<T>> typed_columns(Result& result, duckdb_type type, const char* name,
                                          T null_value) {
  const std::size_t cols = result.column_count();
  for (std::size_t c = 0; c < cols; ++c) {
    if (result.column_type(c) != type) {
      core::fail(core::ErrorKind::Database, "duckdb: column '{}' is not {}", result.column_name(c),
                 name);
    }
  }
  std::vector<std::vector<T>> out(cols);
  for (auto& column : out) {
    column.reserve(result.row_count());
  }
  result.each_chunk([&](duckdb_data_chunk chunk) {
    const idx_t rows = duckdb_data_chunk_get_size(chunk);
    for (std::size_t c = 0; c < cols; ++c) {
      duckdb_vector vector = duckdb_data_chunk_get_vector(chunk, c);
      const auto* data = static_cast<const T*>(duckdb_vector_get_data(vector));
      std::uint64_t* validity = duckdb_vector_get_validity(vector);
      for (idx_t r = 0; r < rows; ++r) {
        const bool valid = validity == nullptr || duckdb_validity_row_is_valid(validity, r);
        out[c].push_back(valid ? data[r] : null_value);
      }
    }
  });
  return out;
}

}  // namespace

std::vector<std::vector<double>> Result::double_columns() {
  return typed_columns<double>(*this, DUCKDB_TYPE_DOUBLE, "DOUBLE",
                               std::numeric_limits<double>::quiet_NaN());
}

std::vector<std::vector<std::int64_t>> Result::int64_columns(std::int64_t null_value) {
  return typed_columns<std::int64_t>(*this, DUCKDB_TYPE_BIGINT, "BIGINT", null_value);
}

void Result::each_chunk(const std::function<void(duckdb_data_chunk)>& visit) {
  while (true) {
    duckdb_data_chunk chunk = duckdb_fetch_chunk(raw_);
    if (chunk == nullptr) {
      break;
    }
    try {
      visit(chunk);
    } catch (...) {
      duckdb_destroy_data_chunk(&chunk);
      throw;
    }
    duckdb_destroy_data_chunk(&chunk);
  }
  if (const char* error = duckdb_result_error(&raw_); error != nullptr) {
    core::fail(core::ErrorKind::Database, "duckdb: {}", error);
  }
}

std::vector<std::string> Result::enum_names(std::size_t col) {
  duckdb_logical_type type = duckdb_column_logical_type(&raw_, col);
  std::vector<std::string> names;
  const bool is_enum = duckdb_get_type_id(type) == DUCKDB_TYPE_ENUM;
  if (is_enum) {
    const std::uint32_t size = duckdb_enum_dictionary_size(type);
    for (std::uint32_t i = 0; i < size; ++i) {
      char* value = duckdb_enum_dictionary_value(type, i);
      names.emplace_back(value ? value : "");
      duckdb_free(value);
    }
  }
  duckdb_destroy_logical_type(&type);
  if (!is_enum) {
    core::fail(core::ErrorKind::Database, "duckdb: column '{}' is not an ENUM", column_name(col));
  }
  return names;
}

// ---- Connection --------------------------------------------------------------------------

void Connection::Disconnect::operator()(duckdb_connection* c) const {
  duckdb_disconnect(c);
  delete c;
}

Connection::Connection(const Database& db) : handle_(new duckdb_connection(nullptr)) {
  if (duckdb_connect(db.get(), handle_.get()) != DuckDBSuccess) {
    handle_.reset();
    core::fail(core::ErrorKind::Database, "duckdb: cannot connect");
  }
  // DuckDB's own progress bar writes to the terminal by itself; ours is the only progress
  // display, and --quiet is quiet (issue 28). When progress is shown on a terminal, DuckDB
  // tracks a query's progress without printing it, and query() draws it with our bar. A
  // connection setting, so set on each.
  const char* setting =
      core::progress_on_terminal()
          ? "set enable_progress_bar = true; set enable_progress_bar_print = false"
          : "set enable_progress_bar = false";
  if (duckdb_query(*handle_, setting, nullptr) != DuckDBSuccess) {
    handle_.reset();  // disconnects
    core::fail(core::ErrorKind::Database, "duckdb: cannot set DuckDB's progress bar");
  }
}

namespace {
duckdb_state run_query(duckdb_connection connection, const std::string& sql, duckdb_result* raw) {
  if (!core::progress_on_terminal()) {
    return duckdb_query(connection, sql.c_str(), raw);
  }
  const QueryProgressWatch watch(connection, "DuckDB query");
  return duckdb_query(connection, sql.c_str(), raw);
}
}  // namespace

Result Connection::query(const std::string& sql) {
  duckdb_result raw;
  if (run_query(*handle_, sql, &raw) != DuckDBSuccess) {
    std::string message = duckdb_result_error(&raw) ? duckdb_result_error(&raw) : "unknown";
    duckdb_destroy_result(&raw);
    core::fail(core::ErrorKind::Database, "duckdb: {}", message);
  }
  return Result(raw);
}

PreparedStatement Connection::prepare(const std::string& sql) {
  duckdb_prepared_statement raw = nullptr;
  if (duckdb_prepare(*handle_, sql.c_str(), &raw) != DuckDBSuccess) {
    std::string message = duckdb_prepare_error(raw) ? duckdb_prepare_error(raw) : "unknown";
    duckdb_destroy_prepare(&raw);
    core::fail(core::ErrorKind::Database, "duckdb: {}", message);
  }
  return PreparedStatement(raw, sql);
}

// ---- PreparedStatement -------------------------------------------------------------------

void PreparedStatement::Destroy::operator()(duckdb_prepared_statement* p) const {
  duckdb_destroy_prepare(p);
  delete p;
}

PreparedStatement::PreparedStatement(duckdb_prepared_statement raw, std::string sql)
    : handle_(new duckdb_prepared_statement(raw)), sql_(std::move(sql)) {}

void PreparedStatement::check(duckdb_state state, std::size_t index) {
  if (state != DuckDBSuccess) {
    const char* message = duckdb_prepare_error(*handle_);
    core::fail(core::ErrorKind::Database, "duckdb: cannot bind parameter {}: {}", index,
               message ? message : "index out of range or type mismatch");
  }
}

PreparedStatement& PreparedStatement::bind(std::size_t index, std::int64_t value) {
  check(duckdb_bind_int64(*handle_, index, value), index);
  return *this;
}

PreparedStatement& PreparedStatement::bind(std::size_t index, double value) {
  check(duckdb_bind_double(*handle_, index, value), index);
  return *this;
}

PreparedStatement& PreparedStatement::bind(std::size_t index, const std::string& value) {
  check(duckdb_bind_varchar_length(*handle_, index, value.data(), value.size()), index);
  return *this;
}

PreparedStatement& PreparedStatement::bind_null(std::size_t index) {
  check(duckdb_bind_null(*handle_, index), index);
  return *this;
}

Result PreparedStatement::execute() {
  duckdb_result raw;
  if (duckdb_execute_prepared(*handle_, &raw) != DuckDBSuccess) {
    std::string message = duckdb_result_error(&raw) ? duckdb_result_error(&raw) : "unknown";
    duckdb_destroy_result(&raw);
    core::fail(core::ErrorKind::Database, "duckdb: {}", message);
  }
  return Result(raw);
}

Result PreparedStatement::stream() {
  duckdb_pending_result pending = nullptr;
  if (duckdb_pending_prepared_streaming(*handle_, &pending) != DuckDBSuccess) {
    std::string message = duckdb_pending_error(pending) ? duckdb_pending_error(pending) : "unknown";
    duckdb_destroy_pending(&pending);
    core::fail(core::ErrorKind::Database, "duckdb: {}", message);
  }
  duckdb_result raw;
  const duckdb_state state = duckdb_execute_pending(pending, &raw);
  duckdb_destroy_pending(&pending);
  if (state != DuckDBSuccess) {
    std::string message = duckdb_result_error(&raw) ? duckdb_result_error(&raw) : "unknown";
    duckdb_destroy_result(&raw);
    core::fail(core::ErrorKind::Database, "duckdb: {}", message);
  }
  return Result(raw);
}

// ---- DataChunk ---------------------------------------------------------------------------

duckdb_type to_duckdb(ColumnType type) {
  switch (type) {
    case ColumnType::Int64:
      return DUCKDB_TYPE_BIGINT;
    case ColumnType::Int32:
      return DUCKDB_TYPE_INTEGER;
    case ColumnType::Float64:
      return DUCKDB_TYPE_DOUBLE;
    case ColumnType::Float32:
      return DUCKDB_TYPE_FLOAT;
    case ColumnType::Varchar:
      return DUCKDB_TYPE_VARCHAR;
  }
  return DUCKDB_TYPE_VARCHAR;
}

void DataChunk::Destroy::operator()(duckdb_data_chunk* c) const {
  duckdb_destroy_data_chunk(c);
  delete c;
}

DataChunk::DataChunk(const std::vector<ColumnType>& types) : capacity_(duckdb_vector_size()) {
  std::vector<duckdb_logical_type> logical;
  logical.reserve(types.size());
  for (ColumnType type : types) {
    logical.push_back(duckdb_create_logical_type(to_duckdb(type)));
  }
  handle_.reset(new duckdb_data_chunk(duckdb_create_data_chunk(logical.data(), logical.size())));
  for (auto& t : logical) {
    duckdb_destroy_logical_type(&t);
  }
  for (std::size_t i = 0; i < types.size(); ++i) {
    vectors_.push_back(duckdb_data_chunk_get_vector(*handle_, i));
    duckdb_vector_ensure_validity_writable(vectors_.back());
  }
  refresh_data();
}

void DataChunk::refresh_data() {
  data_.clear();
  for (duckdb_vector v : vectors_) {
    data_.push_back(duckdb_vector_get_data(v));
  }
}

void DataChunk::set_varchar(std::size_t col, std::size_t row, std::string_view value) {
  assert(col < vectors_.size() && row < capacity_);
  duckdb_vector_assign_string_element_len(vectors_[col], row, value.data(), value.size());
}

void DataChunk::set_null(std::size_t col, std::size_t row) {
  assert(col < vectors_.size() && row < capacity_);
  duckdb_validity_set_row_invalid(duckdb_vector_get_validity(vectors_[col]), row);
}

void DataChunk::set_size(std::size_t rows) {
  assert(rows <= capacity_);
  size_ = rows;
  duckdb_data_chunk_set_size(*handle_, rows);
}

void DataChunk::reset() {
  duckdb_data_chunk_reset(*handle_);
  size_ = 0;
  for (auto& v : vectors_) {
    duckdb_vector_ensure_validity_writable(v);
  }
  refresh_data();
}

// ---- Appender ----------------------------------------------------------------------------

void Appender::Destroy::operator()(duckdb_appender* a) const {
  duckdb_appender_destroy(a);
  delete a;
}

Appender::Appender(Connection& connection, const std::string& table)
    : handle_(new duckdb_appender(nullptr)), table_(table) {
  if (duckdb_appender_create(connection.get(), nullptr, table.c_str(), handle_.get()) !=
      DuckDBSuccess) {
    std::string message =
        duckdb_appender_error(*handle_) ? duckdb_appender_error(*handle_) : "unknown";
    core::fail(core::ErrorKind::Database, "duckdb: cannot append to {}: {}", table, message);
  }
}

void Appender::check(duckdb_state state, const char* what) {
  if (state != DuckDBSuccess) {
    const char* message = duckdb_appender_error(*handle_);
    core::fail(core::ErrorKind::Database, "duckdb: {} into {} failed: {}", what, table_,
               message ? message : "unknown");
  }
}

void Appender::append(const DataChunk& chunk) {
  check(duckdb_append_data_chunk(*handle_, chunk.get()), "append");
}

void Appender::close() { check(duckdb_appender_close(*handle_), "close"); }

// ---- ChunkWriter -------------------------------------------------------------------------

ChunkWriter::ChunkWriter(Connection& connection, const std::string& table,
                         const std::vector<ColumnType>& types)
    : chunk_(types), appender_(connection, table) {}

void ChunkWriter::commit_row() {
  if (++used_ == chunk_.capacity()) {
    flush();
  }
}

void ChunkWriter::flush() {
  if (used_ == 0) {
    return;
  }
  chunk_.set_size(used_);
  appender_.append(chunk_);
  chunk_.reset();
  used_ = 0;
}

void ChunkWriter::finish() {
  flush();
  appender_.close();
}

// ---- quoting -----------------------------------------------------------------------------

std::string quote_literal(const std::string& text) {
  std::string out = "'";
  for (char c : text) {
    out += c;
    if (c == '\'') {
      out += '\'';
    }
  }
  return out + "'";
}

std::string quote_ident(const std::string& name) {
  std::string out = "\"";
  for (char c : name) {
    out += c;
    if (c == '"') {
      out += '"';
    }
  }
  return out + "\"";
}

}  // namespace aa::duck
