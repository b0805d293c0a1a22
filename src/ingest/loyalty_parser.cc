#include "ingest/loyalty_parser.h"

#include <fmt/format.h>

#include <optional>

#include "ingest/chunk_loader.h"

namespace aa::ingest {

namespace {

// read_rows' parser for the loyalty file: one row per member, in a temporary table.
class LoyaltyRows {
 public:
  LoyaltyRows(duck::Connection& connection, FileParse& file, MemberLines& members)
      : connection_(connection),
        file_(file),
        members_(members),
        id_(file.spec.index_of("loyalty_number")) {}

  void start(const RowValidator&) { loader_.emplace(connection_, file_.staging_table, file_.spec); }

  void check(const CsvRecord& record, ParsedRow& row) {
    const std::int64_t member = row.values[id_].integer;
    const auto [it, inserted] = members_.emplace(member, MemberState{record.line});
    if (!inserted) {
      row.violations.push_back(
          {id_, "duplicate_member",
           fmt::format("loyalty number {} is already defined at line {}", member, it->second.line),
           std::to_string(member)});
    }
  }

  bool accept(const CsvRecord& record, const ParsedRow& row) {
    loader_->add(record.line, row);
    file_.report.negative_salary_nulled += row.salary_nulled ? 1 : 0;
    return true;
  }

  void finish() { loader_->finish(); }

 private:
  duck::Connection& connection_;
  FileParse& file_;
  MemberLines& members_;
  const std::size_t id_;
  std::optional<ChunkLoader> loader_;
};

}  // namespace

void LoyaltyParser::parse(const fs::path& path, FileParse& file, MemberLines& members,
                          const GrowingFile* growing) {
  LoyaltyRows rows(connection_, file, members);
  read_rows(path, file, quarantine_, growing, 0, rows);
}

}  // namespace aa::ingest
