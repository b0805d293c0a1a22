#pragma once
// The loyalty file's parse: each valid row, one per member, into a staging table.

#include <filesystem>

#include "core/duck.h"
#include "ingest/csv_reader.h"
#include "ingest/parse_common.h"
#include "ingest/quarantine.h"

namespace aa::ingest {

class LoyaltyParser {
 public:
  // Rows go into `connection`'s table file.staging_table; rejected rows into `quarantine`.
  LoyaltyParser(duck::Connection& connection, Quarantine& quarantine)
      : connection_(connection), quarantine_(quarantine) {}

  // Parses the copy at `path` (growing as it is copied, when `growing` is set) into `file`,
  // filling `members` with each loaded member's line; a member defined again is quarantined.
  void parse(const fs::path& path, FileParse& file, MemberLines& members,
             const GrowingFile* growing);

 private:
  duck::Connection& connection_;
  Quarantine& quarantine_;
};

}  // namespace aa::ingest
