#include "ingest/quarantine.h"

namespace aa {

namespace {
constexpr std::size_t kSamplesPerFile = 20;
using T = duck::ColumnType;

duck::Connection& create_table(duck::Connection& connection) {
  connection.execute(
      "create or replace table quarantine (file varchar, line bigint, column_number bigint, "
      "column_name varchar, value varchar, rule varchar, message varchar, raw_record varchar)");
  return connection;
}
}  // namespace

nlohmann::json to_json(const QuarantineRecord& r) {
  return {{"file", r.file},   {"line", r.line},       {"column", r.column},
          {"column_name", r.column_name}, {"value", r.value}, {"rule", r.rule},
          {"message", r.message}, {"raw_record", r.raw_record}};
}

Quarantine::Quarantine(duck::Connection& connection)
    : chunk_({T::Varchar, T::Int64, T::Int64, T::Varchar, T::Varchar, T::Varchar, T::Varchar,
              T::Varchar}),
      appender_(create_table(connection), kTable) {}

void Quarantine::add(const QuarantineRecord& r) {
  chunk_.set_varchar(0, used_, r.file);
  chunk_.set_int64(1, used_, r.line);
  chunk_.set_int64(2, used_, r.column);
  chunk_.set_varchar(3, used_, r.column_name);
  chunk_.set_varchar(4, used_, r.value);
  chunk_.set_varchar(5, used_, r.rule);
  chunk_.set_varchar(6, used_, r.message);
  chunk_.set_varchar(7, used_, r.raw_record);
  ++records_;
  auto& samples = samples_[r.file];
  if (samples.size() < kSamplesPerFile) {
    samples.push_back(r);
  }
  if (++used_ == chunk_.capacity()) {
    flush();
  }
}

void Quarantine::flush() {
  if (used_ == 0) {
    return;
  }
  chunk_.set_size(used_);
  appender_.append(chunk_);
  chunk_.reset();
  used_ = 0;
}

void Quarantine::finish() {
  flush();
  appender_.close();
}

}  // namespace aa
