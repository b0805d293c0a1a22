#pragma once
// Every rejected row, kept: one record per violation with file, line, column, value, rule,
// message and the row's raw text, so that nothing the user gave is lost. Records stream into
// a DuckDB table (bounded memory) and are published as quarantine/rejected_rows.parquet.

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/duck.h"

namespace aa::ingest {

struct QuarantineRecord {
  std::string file;
  std::int64_t line = 0;
  std::int64_t column = 0;  // 1-based field number; 0 for a rule about the whole row
  std::string column_name;
  std::string value;
  std::string rule;
  std::string message;
  std::string raw_record;
};

nlohmann::json to_json(const QuarantineRecord& record);

class Quarantine {
 public:
  static constexpr const char* kTable = "quarantine";
  // Its own connection, so that rows can be quarantined on one thread while another runs a
  // query on `db`.
  explicit Quarantine(const duck::Database& db);
  void add(const QuarantineRecord& record);
  void finish();
  std::int64_t records() const { return records_; }
  // The first records of each file, for the report.
  const std::map<std::string, std::vector<QuarantineRecord>>& samples() const { return samples_; }

 private:
  duck::Connection connection_;
  duck::ChunkWriter writer_;
  std::int64_t records_ = 0;
  std::map<std::string, std::vector<QuarantineRecord>> samples_;
};

}  // namespace aa::ingest
