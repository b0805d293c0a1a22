#pragma once
// The activity file's parse: each valid row, checked against the loyalty file's members, merged
// one member at a time (MemberBlockMerger) into a sink of merged rows. Streamed when each
// member's rows are together (the common case: merged as the file is read); spilled when they
// are not (every valid row set aside by member, merged once the file is read).

#include <cstdint>
#include <filesystem>
#include <vector>

#include "core/duck.h"
#include "ingest/activity_spill.h"
#include "ingest/csv_reader.h"
#include "ingest/parse_common.h"
#include "ingest/quarantine.h"

namespace aa::ingest {

// How a streamed parse ended.
struct StreamedParse {
  enum class Outcome {
    Merged,     // read to the end and merged
    RowsApart,  // stopped: a member's rows are not all together; parse it again, spilled
  };
  Outcome outcome = Outcome::Merged;
  // RowsApart: the member seen again, and the line where (the quarantine holds the records of
  // the lines before it).
  std::int64_t member = 0;
  std::int64_t line = 0;
};

class ActivityParser {
 public:
  // Reads the copy at `path` (growing as it is copied, when `growing` is set) into `file`,
  // checking each row's member against `members` (the loaded loyalty members).
  ActivityParser(const fs::path& path, FileParse& file, Quarantine& quarantine,
                 MemberLines& members, const GrowingFile* growing)
      : path_(path), file_(file), quarantine_(quarantine), members_(members), growing_(growing) {}

  // Merges the rows as they are read into `merged` (MemberBlockMerger::columns()), finishing it,
  // unless a member's rows turn out apart: then it stops there, leaving `merged` unfinished.
  StreamedParse streamed(duck::RowSink& merged);
  // Sets every valid row aside in `spill` by member, then merges them, one member at a time in
  // order of first appearance, into `merged`, finishing it. The quarantine already holds the
  // records of the lines before `recorded_before` (from a streamed parse that stopped there).
  void spilled(duck::RowSink& merged, ActivitySpill& spill, std::int64_t recorded_before);

 private:
  fs::path path_;
  FileParse& file_;
  Quarantine& quarantine_;
  MemberLines& members_;
  const GrowingFile* growing_;
};

}  // namespace aa::ingest
