#include "ingest/chunk_loader.h"

namespace aa {

namespace {

duck::ColumnType column_type(FieldType type) {
  switch (type) {
    case FieldType::Integer:
      return duck::ColumnType::Int64;
    case FieldType::Decimal:
      return duck::ColumnType::Float64;
    case FieldType::Text:
      return duck::ColumnType::Varchar;
  }
  return duck::ColumnType::Varchar;
}

std::vector<duck::ColumnType> chunk_types(const TableSpec& spec) {
  std::vector<duck::ColumnType> types{duck::ColumnType::Int64};
  for (const auto& c : spec.columns) {
    types.push_back(column_type(c.type));
  }
  return types;
}

const char* sql_type(FieldType type) {
  switch (type) {
    case FieldType::Integer:
      return "bigint";
    case FieldType::Decimal:
      return "double";
    case FieldType::Text:
      return "varchar";
  }
  return "varchar";
}

duck::Connection& create_table(duck::Connection& connection, const std::string& table,
                               const TableSpec& spec) {
  std::string ddl = "create or replace table " + duck::quote_ident(table) + " (source_line bigint";
  for (const auto& c : spec.columns) {
    ddl += ", " + duck::quote_ident(c.name) + " " + sql_type(c.type);
  }
  connection.execute(ddl + ")");
  return connection;
}

}  // namespace

ChunkLoader::ChunkLoader(duck::Connection& connection, std::string table, const TableSpec& spec)
    : spec_(spec),
      chunk_(chunk_types(spec)),
      appender_(create_table(connection, table, spec), table) {}

void ChunkLoader::add(std::int64_t line, const ParsedRow& row) {
  chunk_.set_int64(0, used_, line);
  for (std::size_t c = 0; c < spec_.columns.size(); ++c) {
    const Value& v = row.values[c];
    const std::size_t col = c + 1;
    if (v.null) {
      chunk_.set_null(col, used_);
      continue;
    }
    switch (spec_.columns[c].type) {
      case FieldType::Integer:
        chunk_.set_int64(col, used_, v.integer);
        break;
      case FieldType::Decimal:
        chunk_.set_float64(col, used_, v.decimal);
        break;
      case FieldType::Text:
        chunk_.set_varchar(col, used_, v.text);
        break;
    }
  }
  ++rows_;
  if (++used_ == chunk_.capacity()) {
    flush();
  }
}

void ChunkLoader::flush() {
  if (used_ == 0) {
    return;
  }
  chunk_.set_size(used_);
  appender_.append(chunk_);
  chunk_.reset();
  used_ = 0;
}

void ChunkLoader::finish() {
  flush();
  appender_.close();
}

}  // namespace aa
