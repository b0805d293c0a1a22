#include "ingest/quarantine.h"

namespace aa::ingest {

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
  return {
      {"file", r.file},   {"line", r.line}, {"column", r.column},   {"column_name", r.column_name},
      {"value", r.value}, {"rule", r.rule}, {"message", r.message}, {"raw_record", r.raw_record}};
}

Quarantine::Quarantine(const duck::Database& db)
    : connection_(db),
      writer_(create_table(connection_), kTable,
              {T::Varchar, T::Int64, T::Int64, T::Varchar, T::Varchar, T::Varchar, T::Varchar,
               T::Varchar}) {}

void Quarantine::add(const QuarantineRecord& r) {
  duck::DataChunk& chunk = writer_.chunk();
  const std::size_t at = writer_.row();
  chunk.set_varchar(0, at, r.file);
  chunk.set_int64(1, at, r.line);
  chunk.set_int64(2, at, r.column);
  chunk.set_varchar(3, at, r.column_name);
  chunk.set_varchar(4, at, r.value);
  chunk.set_varchar(5, at, r.rule);
  chunk.set_varchar(6, at, r.message);
  chunk.set_varchar(7, at, r.raw_record);
  ++records_;
  auto& samples = samples_[r.file];
  if (samples.size() < kSamplesPerFile) {
    samples.push_back(r);
  }
  writer_.commit_row();
}

void Quarantine::finish() { writer_.finish(); }

}  // namespace aa::ingest
