#include "ingest/chunk_loader.h"

namespace aa::ingest {

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
  std::string ddl =
      "create or replace temp table " + duck::quote_ident(table) + " (source_line bigint";
  for (const auto& c : spec.columns) {
    ddl += ", " + duck::quote_ident(c.name) + " " + sql_type(c.type);
  }
  connection.execute(ddl + ")");
  return connection;
}

}  // namespace

ChunkLoader::ChunkLoader(duck::Connection& connection, std::string table, const TableSpec& spec)
    : spec_(spec), writer_(create_table(connection, table, spec), table, chunk_types(spec)) {}

void ChunkLoader::add(std::int64_t line, const ParsedRow& row) {
  duck::DataChunk& chunk = writer_.chunk();
  const std::size_t at = writer_.row();
  chunk.set_int64(0, at, line);
  for (std::size_t c = 0; c < spec_.columns.size(); ++c) {
    const Value& v = row.values[c];
    const std::size_t col = c + 1;
    if (v.null) {
      chunk.set_null(col, at);
      continue;
    }
    switch (spec_.columns[c].type) {
      case FieldType::Integer:
        chunk.set_int64(col, at, v.integer);
        break;
      case FieldType::Decimal:
        chunk.set_float64(col, at, v.decimal);
        break;
      case FieldType::Text:
        chunk.set_varchar(col, at, v.text);
        break;
    }
  }
  ++rows_;
  writer_.commit_row();
}

void ChunkLoader::finish() { writer_.finish(); }

}  // namespace aa::ingest
