#include "ingest/activity_parser.h"

#include <fmt/format.h>

#include <optional>

#include "core/progress.h"
#include "ingest/activity_merge.h"

namespace aa::ingest {

namespace {

// A member of the activity file by its number (order of first valid row): its loyalty number
// and that first row's line.
struct NumberedMember {
  std::int64_t member = 0;
  std::int64_t first_line = 0;
};

// What both of read_rows' activity parsers do: find each row's member among the loaded ones.
class ActivityRows {
 public:
  ActivityRows(FileParse& file, MemberLines& members)
      : file_(file), members_(members), last_found_(members.end()), known_(members.end()) {
    const TableSpec& spec = file.spec;
    year_ = spec.index_of("year");
    month_ = spec.index_of("month");
    flights_ = spec.index_of("total_flights");
    distance_ = spec.index_of("distance");
    accumulated_ = spec.index_of("points_accumulated");
    redeemed_ = spec.index_of("points_redeemed");
    dollars_ = spec.index_of("dollar_cost_points_redeemed");
    id_ = spec.index_of("loyalty_number");
  }

  void start(const RowValidator& validator) {
    file_.month_field = static_cast<std::int64_t>(validator.field_number(month_));
  }

  // A member's rows follow each other: its entry is looked up once, not once a row.
  void check(const CsvRecord&, ParsedRow& row) {
    const std::int64_t member = row.values[id_].integer;
    if (last_found_ == members_.end() || last_looked_up_ != member) {
      last_found_ = members_.find(member);
      last_looked_up_ = member;
    }
    known_ = last_found_;
    if (known_ == members_.end()) {
      row.violations.push_back({id_, "unknown_member",
                                fmt::format("loyalty number {} is not a loaded member of {}",
                                            member, loyalty_spec().source_file),
                                std::to_string(member)});
    }
  }

 protected:
  ActivityRow activity_row(const ParsedRow& row) const {
    const auto& v = row.values;
    return {v[year_].integer,     v[month_].integer,       v[flights_].integer,
            v[distance_].integer, v[accumulated_].decimal, v[redeemed_].integer,
            v[dollars_].decimal};
  }

  FileParse& file_;
  MemberLines& members_;
  std::size_t id_ = 0;
  MemberLines::iterator last_found_;
  std::int64_t last_looked_up_ = 0;
  MemberLines::iterator known_;  // the member of the row checked last (when loaded)

 private:
  std::size_t year_ = 0, month_ = 0, flights_ = 0, distance_ = 0, accumulated_ = 0, redeemed_ = 0,
              dollars_ = 0;
};

// Merges each member's rows as they are read; stops at a member seen again.
class StreamedRows : public ActivityRows {
 public:
  StreamedRows(FileParse& file, MemberLines& members, duck::RowSink& merged)
      : ActivityRows(file, members), merged_(merged), merging_(members.end()) {}

  void start(const RowValidator& validator) {
    merger_.emplace(merged_);
    ActivityRows::start(validator);
  }

  bool accept(const CsvRecord& record, const ParsedRow& row) {
    const std::int64_t member = row.values[id_].integer;
    if (merger_->has_member() && merger_->current_member() != member) {
      merging_->second.activity_done = true;
    }
    if (known_->second.activity_done) {
      apart_ = {StreamedParse::Outcome::RowsApart, member, record.line};
      return false;
    }
    merger_->add(member, record.line, activity_row(row));
    merging_ = known_;
    return true;
  }

  void finish() {
    merger_->finish();
    record_merge(file_, *merger_);
  }

  const StreamedParse& apart() const { return apart_; }

 private:
  duck::RowSink& merged_;
  std::optional<MemberBlockMerger> merger_;
  MemberLines::iterator merging_;  // the member whose rows the merger holds
  StreamedParse apart_;
};

// Sets each row aside by member number (its order of first appearance).
class SpilledRows : public ActivityRows {
 public:
  SpilledRows(FileParse& file, MemberLines& members, ActivitySpill& spill,
              std::vector<NumberedMember>& numbered)
      : ActivityRows(file, members), spill_(spill), numbered_(numbered) {}

  bool accept(const CsvRecord& record, const ParsedRow& row) {
    MemberState& state = known_->second;
    if (state.number == kUnnumbered) {
      state.number = static_cast<std::uint32_t>(numbered_.size());
      numbered_.push_back({row.values[id_].integer, record.line});
    }
    spill_.add(state.number, activity_row(row));
    return true;
  }

  void finish() {}

 private:
  ActivitySpill& spill_;
  std::vector<NumberedMember>& numbered_;
};

}  // namespace

StreamedParse ActivityParser::streamed(duck::RowSink& merged) {
  StreamedRows rows(file_, members_, merged);
  if (!read_rows(path_, file_, quarantine_, growing_, 0, rows)) {
    return rows.apart();
  }
  return {};
}

void ActivityParser::spilled(duck::RowSink& merged, ActivitySpill& spill,
                             std::int64_t recorded_before) {
  std::vector<NumberedMember> numbered;
  SpilledRows rows(file_, members_, spill, numbered);
  read_rows(path_, file_, quarantine_, growing_, recorded_before, rows);
  MemberBlockMerger merger(merged);
  core::ProgressBar bar(fmt::format("merging {} members' rows",
                                    core::with_commas(static_cast<std::int64_t>(numbered.size()))),
                        spill.rows());
  spill.replay(
      [&](std::uint32_t number, const ActivityRow& row) {
        const NumberedMember& m = numbered[number];
        merger.add(m.member, m.first_line, row);
      },
      [&](std::uint64_t done) { bar.update(done); });
  bar.finish();
  merger.finish();
  record_merge(file_, merger);
}

}  // namespace aa::ingest
