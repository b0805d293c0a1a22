#pragma once
// Streams validated rows into a DuckDB staging table through data chunks (no per-value calls).
// The table has the spec's columns plus `source_line`, the row's line in the input file.
// The table is temporary: kept uncompressed in DuckDB's buffer pool (spilled to its temp folder
// beyond the memory limit), cheaper to fill than a persistent one, whose checkpoints compress
// every string. Ingest stages the loyalty file (one row per member) this way.

#include <string>

#include "core/duck.h"
#include "ingest/row_validator.h"

namespace aa::ingest {

class ChunkLoader {
 public:
  ChunkLoader(duck::Connection& connection, std::string table, const TableSpec& spec);
  void add(std::int64_t line, const ParsedRow& row);
  // Appends what is buffered and closes the appender.
  void finish();
  std::int64_t rows() const { return rows_; }

 private:
  const TableSpec& spec_;
  duck::ChunkWriter writer_;
  std::int64_t rows_ = 0;
};

}  // namespace aa::ingest
