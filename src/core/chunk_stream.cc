#include "core/chunk_stream.h"

#include <algorithm>
#include <cstring>
#include <stdexcept>
#include <thread>

#include "core/app_error.h"

namespace aa::duck {

namespace {

// Thrown into the producer when the reader has given up; never leaves ChunkStream::run.
struct StreamStopped {};

ChunkStream* stream_of(void* extra) {
  ChunkStream* stream = (*static_cast<std::shared_ptr<ChunkStream::Slot>*>(extra))->stream.load();
  if (stream == nullptr) {
    throw std::runtime_error("this stream of rows is closed");
  }
  return stream;
}

void stream_bind(duckdb_bind_info info) {
  try {
    for (const auto& column : stream_of(duckdb_bind_get_extra_info(info))->columns()) {
      duckdb_logical_type type = duckdb_create_logical_type(to_duckdb(column.type));
      duckdb_bind_add_result_column(info, column.name.c_str(), type);
      duckdb_destroy_logical_type(&type);
    }
  } catch (const std::exception& e) {
    duckdb_bind_set_error(info, e.what());
  }
}

void stream_init(duckdb_init_info info) { duckdb_init_set_max_threads(info, 1); }

void stream_read(duckdb_function_info info, duckdb_data_chunk out) {
  try {
    stream_of(duckdb_function_get_extra_info(info))->read_into(out);
  } catch (const std::exception& e) {
    duckdb_function_set_error(info, e.what());
  }
}

void delete_slot(void* extra) { delete static_cast<std::shared_ptr<ChunkStream::Slot>*>(extra); }

std::size_t width_of(ColumnType type) {
  switch (type) {
    case ColumnType::Int64:
      return sizeof(std::int64_t);
    case ColumnType::Int32:
      return sizeof(std::int32_t);
    case ColumnType::Float64:
      return sizeof(double);
    case ColumnType::Float32:
      return sizeof(float);
    case ColumnType::Varchar:
      break;
  }
  core::fail(core::ErrorKind::Database, "a stream of rows holds fixed-width columns only");
}

}  // namespace

ChunkStream::ChunkStream(Connection& connection, std::string name, std::vector<Column> columns,
                         std::size_t depth)
    : connection_(connection),
      name_(std::move(name)),
      columns_(std::move(columns)),
      depth_(std::max<std::size_t>(depth, 2)),
      slot_(std::make_shared<Slot>()) {
  for (const auto& column : columns_) {
    width_of(column.type);
    types_.push_back(column.type);
  }
  filling_ = std::make_unique<DataChunk>(types_);
  chunks_ = 1;
  slot_->stream = this;
  duckdb_table_function function = duckdb_create_table_function();
  duckdb_table_function_set_name(function, name_.c_str());
  duckdb_table_function_set_extra_info(function, new std::shared_ptr<Slot>(slot_), delete_slot);
  duckdb_table_function_set_bind(function, stream_bind);
  duckdb_table_function_set_init(function, stream_init);
  duckdb_table_function_set_function(function, stream_read);
  const duckdb_state state = duckdb_register_table_function(connection_.get(), function);
  duckdb_destroy_table_function(&function);
  if (state != DuckDBSuccess) {
    core::fail(core::ErrorKind::Database, "duckdb: cannot register the table function {}", name_);
  }
}

ChunkStream::~ChunkStream() { slot_->stream = nullptr; }

bool ChunkStream::run(const std::string& sql, const std::function<void(RowSink&)>& produce) {
  std::thread producer([&] {
    try {
      produce(*this);
      if (!abandoned_) {
        finish();
      }
    } catch (const StreamStopped&) {
      // The reader gave up; its error is the one to report.
    } catch (...) {
      const std::lock_guard lock(mutex_);
      producer_error_ = std::current_exception();
    }
    {
      const std::lock_guard lock(mutex_);
      done_ = true;
    }
    changed_.notify_all();
  });
  std::exception_ptr query_error;
  try {
    connection_.execute(sql);
  } catch (...) {
    query_error = std::current_exception();
  }
  {
    const std::lock_guard lock(mutex_);
    stopped_ = true;
  }
  changed_.notify_all();
  producer.join();
  if (producer_error_) {
    std::rethrow_exception(producer_error_);
  }
  if (abandoned_) {
    return false;
  }
  if (query_error) {
    std::rethrow_exception(query_error);
  }
  return true;
}

void ChunkStream::abandon() {
  {
    const std::lock_guard lock(mutex_);
    abandoned_ = true;
    done_ = true;
  }
  changed_.notify_all();
}

void ChunkStream::commit_row() {
  if (++used_ == filling_->capacity()) {
    push();
  }
}

void ChunkStream::finish() {
  if (used_ > 0) {
    push();
  }
  {
    const std::lock_guard lock(mutex_);
    done_ = true;
  }
  changed_.notify_all();
}

void ChunkStream::push() {
  filling_->set_size(used_);
  {
    const std::lock_guard lock(mutex_);
    if (stopped_) {
      throw StreamStopped{};
    }
    ready_.push_back(std::move(filling_));
  }
  changed_.notify_all();
  filling_ = take_free();
  used_ = 0;
}

std::unique_ptr<DataChunk> ChunkStream::take_free() {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [&] { return !free_.empty() || chunks_ < depth_ || stopped_; });
  if (stopped_) {
    throw StreamStopped{};
  }
  if (!free_.empty()) {
    auto chunk = std::move(free_.back());
    free_.pop_back();
    return chunk;
  }
  ++chunks_;
  lock.unlock();
  return std::make_unique<DataChunk>(types_);
}

void ChunkStream::read_into(duckdb_data_chunk out) {
  std::unique_ptr<DataChunk> chunk;
  {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return !ready_.empty() || done_; });
    if (ready_.empty()) {
      if (producer_error_ || abandoned_) {
        throw std::runtime_error("the rows of " + name_ + " stopped short");
      }
      duckdb_data_chunk_set_size(out, 0);
      return;
    }
    chunk = std::move(ready_.front());
    ready_.pop_front();
  }
  const std::size_t rows = chunk->size();
  for (std::size_t c = 0; c < columns_.size(); ++c) {
    duckdb_vector from = duckdb_data_chunk_get_vector(chunk->get(), c);
    duckdb_vector to = duckdb_data_chunk_get_vector(out, c);
    std::memcpy(duckdb_vector_get_data(to), duckdb_vector_get_data(from),
                rows * width_of(columns_[c].type));
    if (const std::uint64_t* valid = duckdb_vector_get_validity(from)) {
      duckdb_vector_ensure_validity_writable(to);
      std::memcpy(duckdb_vector_get_validity(to), valid, (rows + 63) / 64 * sizeof(std::uint64_t));
    }
  }
  duckdb_data_chunk_set_size(out, rows);
  chunk->reset();
  {
    const std::lock_guard lock(mutex_);
    free_.push_back(std::move(chunk));
  }
  changed_.notify_all();
}

}  // namespace aa::duck
