#include "ingest/ingest.h"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <map>
#include <optional>
#include <thread>
#include <unordered_map>

#include "core/app_error.h"
#include "core/files.h"
#include "core/progress.h"
#include "core/sql_files.h"
#include "core/stage_state.h"
#include "ingest/activity_merge.h"
#include "ingest/activity_months.h"
#include "ingest/arrival.h"
#include "ingest/activity_spill.h"
#include "ingest/chunk_loader.h"
#include "ingest/csv_reader.h"
#include "ingest/quarantine.h"
#include "ingest/row_validator.h"
#include "ingest/schema.h"

namespace aa {

namespace {

constexpr const char* kStage = "ingest";
// Bump when validation rules change, so that unchanged inputs are re-validated.
// 2: missing months reported; 3: arrivals kept; 4: the processed activity in monthly files
constexpr const char* kRulesVersion = "4";
constexpr const char* kParquetOptions =
    "(format parquet, compression zstd, compression_level 1, row_group_size 122880)";

// Removes the staging database however the stage ends.
class ScratchDatabase {
 public:
  explicit ScratchDatabase(fs::path path) : path_(std::move(path)) { remove(); }
  ~ScratchDatabase() { remove(); }
  ScratchDatabase(const ScratchDatabase&) = delete;
  ScratchDatabase& operator=(const ScratchDatabase&) = delete;
  const fs::path& path() const { return path_; }

 private:
  void remove() {
    std::error_code ec;
    fs::remove(path_, ec);
    fs::remove(fs::path(path_.string() + ".wal"), ec);
  }
  fs::path path_;
};

// Per-file parse state shared by both files.
struct FileParse {
  const TableSpec& spec;
  FileReport report;
  std::string staging_table;
  std::int64_t month_field = 0;  // the Month column's field number in the user's file
  // The activity file, once merged: member-months and the distinct source rows they hold.
  std::int64_t merged_keys = 0;
  std::int64_t distinct_rows = 0;
};

std::string month_text(std::int64_t index) {
  return fmt::format("{:04}-{:02}", index / 12, index % 12 + 1);
}

// Months missing inside a member's span are loaded as no activity; each is reported, located
// at the member's first row (there is no row to quarantine).
void record_gaps(FileParse& file, std::int64_t members, std::int64_t months,
                 const std::vector<MonthGap>& samples) {
  FileReport& report = file.report;
  report.members_with_missing_months = members;
  report.missing_member_months = months;
  for (const auto& gap : samples) {
    report.missing_month_findings.push_back(
        {{"file", file.spec.source_file},
         {"line", gap.line},
         {"column", file.month_field},
         {"column_name", "Month"},
         {"rule", "missing_month"},
         {"value", std::to_string(gap.member)},
         {"message",
          fmt::format("loyalty number {} has rows from {} to {} but none for {} of those months; "
                      "they count as months without activity",
                      gap.member, month_text(gap.first_month), month_text(gap.last_month),
                      gap.missing)}});
  }
}

constexpr std::uint32_t kUnnumbered = 0xFFFFFFFF;

struct MemberState {
  std::int64_t line = 0;               // the member's line in the loyalty file
  bool activity_done = false;          // its activity rows have been merged (streaming merge)
  std::uint32_t number = kUnnumbered;  // its order of first appearance (spilled merge)
};
using MemberLines = std::unordered_map<std::int64_t, MemberState>;

// A member of the activity file by its number (order of first valid row): its loyalty number
// and that first row's line.
struct NumberedMember {
  std::int64_t member = 0;
  std::int64_t first_line = 0;
};

// Where the activity file's valid rows go. Either way they are merged by MemberBlockMerger, one
// member at a time, into the processed Parquet file.
struct ActivityTarget {
  // Streamed: each member's rows are together, merged as the file is read, into `merged`
  // (MemberBlockMerger::columns()). A member seen again throws RowsApart.
  duck::RowSink* merged = nullptr;
  // Spilled: each row set aside by member number (`numbered`, filled here) until the file ends.
  ActivitySpill* spill = nullptr;
  std::vector<NumberedMember>* numbered = nullptr;
  // Rows before this line already have their quarantine records (a second pass).
  std::int64_t recorded_before = 0;
};

// Thrown by the streaming merge when a member's rows turn out not to be together.
struct RowsApart {
  std::int64_t member = 0;
  std::int64_t line = 0;
};

// Counts a rejected row; `record` false when its records are already in the quarantine (a
// second pass over the file).
void quarantine_row(Quarantine& quarantine, FileReport& report, const RowValidator& validator,
                    const TableSpec& spec, const CsvRecord& record, const ParsedRow& row,
                    bool record_it) {
  ++report.rows_quarantined;
  for (const auto& v : row.violations) {
    ++report.violations_by_rule[v.rule];
    if (!record_it) {
      continue;
    }
    QuarantineRecord q;
    q.file = spec.source_file;
    q.line = record.line;
    if (v.column != kRowLevel) {
      q.column = validator.field_number(v.column);
      q.column_name = spec.columns[v.column].source_name;
    }
    q.value = v.value;
    q.rule = v.rule;
    q.message = v.message;
    q.raw_record = std::string(record.raw);
    quarantine.add(q);
  }
}

// Copies a finished merge's counts into the activity file's report.
void record_merge(FileParse& file, const MemberBlockMerger& merger) {
  file.merged_keys = merger.keys();
  file.distinct_rows = merger.distinct_rows();
  record_gaps(file, merger.gap_members(), merger.gap_months(), merger.gap_samples());
}

// Parses one CSV: the loyalty file into a staging table, filling `members` with each loaded
// member's first line; the activity file into `target`, checking each row's member against
// `members`.
void parse_file(const fs::path& path, FileParse& file, duck::Connection& connection,
                Quarantine& quarantine, MemberLines& members, bool is_loyalty,
                const GrowingFile* growing, const ActivityTarget& target = {}) {
  const TableSpec& spec = file.spec;
  CsvReader reader(path, spec.source_file, ',', growing);
  CsvRecord record;
  if (!reader.next(record)) {
    fail_at(Location{spec.source_file, 1, 1, "", "empty_file"},
            "the file holds no header line (only blank lines)");
  }
  const RowValidator validator(spec, map_header(spec, record, spec.source_file), spec.source_file);
  const bool stream = !is_loyalty && target.merged != nullptr;
  std::optional<ChunkLoader> loader;
  std::optional<MemberBlockMerger> merger;
  if (stream) {
    merger.emplace(*target.merged);
  } else if (is_loyalty) {
    // One row per member, in a temporary table.
    loader.emplace(connection, file.staging_table, spec);
  } else if (target.spill == nullptr || target.numbered == nullptr) {
    throw std::logic_error("parse_file: the activity file needs a merge or a spill");
  }
  const auto index = [&](const char* name) { return is_loyalty ? 0 : spec.index_of(name); };
  const std::size_t year = index("year"), month = index("month"), flights = index("total_flights"),
                    distance = index("distance"), accumulated = index("points_accumulated"),
                    redeemed = index("points_redeemed"),
                    dollars = index("dollar_cost_points_redeemed");
  ProgressBar bar(spec.source_file, reader.total_bytes());
  ParsedRow row;
  const std::size_t id = spec.index_of("loyalty_number");
  if (!is_loyalty) {
    file.month_field = static_cast<std::int64_t>(validator.field_number(month));
  }
  FileReport& report = file.report;
  // A member's rows follow each other: its entry is looked up once, not once a row.
  MemberLines::iterator last_found = members.end();
  std::int64_t last_looked_up = 0;
  MemberLines::iterator merging = members.end();  // the member whose rows the merger holds
  while (reader.next(record)) {
    ++report.rows_read;
    validator.validate(record, row);
    MemberLines::iterator known = members.end();
    if (row.violations.empty()) {
      const std::int64_t member = row.values[id].integer;
      if (is_loyalty) {
        const auto [it, inserted] = members.emplace(member, MemberState{record.line});
        if (!inserted) {
          row.violations.push_back({id, "duplicate_member",
                                    fmt::format("loyalty number {} is already defined at line {}",
                                                member, it->second.line),
                                    std::to_string(member)});
        }
      } else {
        if (last_found == members.end() || last_looked_up != member) {
          last_found = members.find(member);
          last_looked_up = member;
        }
        known = last_found;
        if (known == members.end()) {
          row.violations.push_back({id, "unknown_member",
                                    fmt::format("loyalty number {} is not a loaded member of {}",
                                                member, loyalty_spec().source_file),
                                    std::to_string(member)});
        }
      }
    }
    if (!row.violations.empty()) {
      quarantine_row(quarantine, report, validator, spec, record, row,
                     record.line >= target.recorded_before);
    } else if (stream) {
      const std::int64_t member = row.values[id].integer;
      if (merger->has_member() && merger->current_member() != member) {
        merging->second.activity_done = true;
      }
      if (known->second.activity_done) {
        throw RowsApart{member, record.line};
      }
      const auto& v = row.values;
      merger->add(member, record.line,
                  {v[year].integer, v[month].integer, v[flights].integer, v[distance].integer,
                   v[accumulated].decimal, v[redeemed].integer, v[dollars].decimal});
      merging = known;
    } else if (is_loyalty) {
      loader->add(record.line, row);
      report.negative_salary_nulled += row.salary_nulled ? 1 : 0;
    } else {
      MemberState& state = known->second;
      if (state.number == kUnnumbered) {
        state.number = static_cast<std::uint32_t>(target.numbered->size());
        target.numbered->push_back({row.values[id].integer, record.line});
      }
      const auto& v = row.values;
      target.spill->add(state.number,
                        {v[year].integer, v[month].integer, v[flights].integer, v[distance].integer,
                         v[accumulated].decimal, v[redeemed].integer, v[dollars].decimal});
    }
    if ((report.rows_read & 0xFFFF) == 0) {
      bar.update(reader.bytes_read());
    }
  }
  bar.finish();
  if (stream) {
    merger->finish();
    record_merge(file, *merger);
  } else if (loader) {
    loader->finish();
  }
  report.blank_lines = reader.blank_lines();
  if (report.rows_read == 0) {
    fail_at(Location{spec.source_file, 2, 1, "", "no_data_rows"},
            "the file has a header but no data rows");
  }
}

std::string copy_parquet_sql(const std::string& select, const fs::path& tmp) {
  return "copy (" + select + ") to " + duck::quote_literal(tmp.string()) + " " + kParquetOptions;
}

void copy_parquet(duck::Connection& connection, const std::string& select, const fs::path& tmp) {
  connection.execute(copy_parquet_sql(select, tmp));
}

nlohmann::json manifest_entry(const fs::path& source, const fs::path& lake_path,
                              const FileDigest& digest, const FileReport& report,
                              const Lake& lake) {
  return {{"source", source.string()},
          {"path", fs::relative(lake_path, lake.root()).string()},
          {"sha256", digest.sha256},
          {"bytes", digest.bytes},
          {"data_rows", report.rows_read}};
}

// The arrival's quality, for the monitor's comparison with the previous arrival.
nlohmann::json arrival_quality(const FileReport& loyalty, const FileReport& activity) {
  const std::int64_t read = loyalty.rows_read + activity.rows_read;
  const std::int64_t quarantined = loyalty.rows_quarantined + activity.rows_quarantined;
  const std::int64_t months = activity.rows_loaded + activity.missing_member_months;
  return {{"rows_read", read},
          {"rows_quarantined", quarantined},
          {"quarantine_rate", read > 0 ? static_cast<double>(quarantined) / read : 0.0},
          {"member_months", activity.rows_loaded},
          {"missing_member_months", activity.missing_member_months},
          {"missing_month_rate",
           months > 0 ? static_cast<double>(activity.missing_member_months) / months : 0.0}};
}

FileDigest hash_with_progress(const fs::path& path) {
  ProgressBar bar("hashing " + path.filename().string(), fs::file_size(path));
  auto digest = sha256_file(path, [&](std::uint64_t done) { bar.update(done); });
  bar.finish();
  return digest;
}

}  // namespace

fs::path find_source(const fs::path& raw_dir, const std::string& source_file,
                     const std::string& table) {
  for (const fs::path& candidate : {raw_dir / source_file, raw_dir / (table + ".csv")}) {
    if (fs::is_regular_file(candidate)) {
      return candidate;
    }
  }
  fail(ErrorKind::NotFound,
       "'{}' not found in '{}' (also looked for '{}.csv'); point --raw-dir or AIRLINE_RAW_DIR "
       "at the folder holding the data set",
       source_file, raw_dir.string(), table);
}

StageResult ingest(const Lake& lake, const IngestOptions& options) {
  const Stopwatch clock;
  StageResult result;
  const TableSpec& ls = loyalty_spec();
  const TableSpec& as = activity_spec();
  const fs::path loyalty_src = find_source(options.raw_dir, ls.source_file, ls.table);
  const fs::path activity_src = find_source(options.raw_dir, as.source_file, as.table);

  StageState state(lake, kStage);
  const auto add_inputs = [&](const FileDigest& loyalty, const FileDigest& activity) {
    state.add_input("loyalty_sha256", loyalty.sha256);
    state.add_input("activity_sha256", activity.sha256);
    state.add_input("rules_version", kRulesVersion);
    for (const auto& [path, text] : embedded_sql()) {
      if (path.rfind("ingest/", 0) == 0) {
        state.add_input(path, sha256_text(text));
      }
    }
  };
  // The inputs are hashed up front only when an earlier run could let us skip; otherwise
  // (forced, or a first run) they are hashed while they are copied: one read fewer of files
  // that can be several GB.
  std::optional<FileDigest> loyalty_before;
  std::optional<FileDigest> activity_before;
  if (!options.force && state.has_record()) {
    loyalty_before = hash_with_progress(loyalty_src);
    activity_before = hash_with_progress(activity_src);
    add_inputs(*loyalty_before, *activity_before);
    if (auto skipped = state.skip_if_unchanged(
            options.force, clock.seconds(),
            fmt::format("inputs unchanged (sha256 {}…, {}…): keeping the published lake",
                        loyalty_before->sha256.substr(0, 12),
                        activity_before->sha256.substr(0, 12)))) {
      return *skipped;
    }
  }

  lake.create();
  // Every output, the raw copies included, is published as one set at the end.
  PublishGroup outputs(lake.publish_journal(kStage));
  // Byte-identical raw copies; a file that changes while we read it is an error. The copies
  // are parsed (not the user's files), so what is published is what was validated.
  const fs::path loyalty_copy = outputs.stage(lake.raw_loyalty());
  const fs::path activity_copy = outputs.stage(lake.raw_activity());
  // One thread copies (and hashes) the loyalty file, then the activity file, while each is
  // parsed from its copy as the copy grows: a reader never passes the bytes copied
  // (GrowingFile), so what is validated is exactly what is published, and the parse of the
  // loyalty file and the copy of the activity file overlap.
  struct CopyStopped {};
  const auto copy = [&options](const fs::path& src, const fs::path& dst,
                               const std::optional<FileDigest>& before, GrowingFile& growing,
                               const std::atomic<bool>& stop) {
    const auto size = fs::file_size(src);
    const auto modified = fs::last_write_time(src);
    const FileDigest digest = copy_file_hashed_unpublished(src, dst, [&](std::uint64_t done) {
      growing.advance(done);
      if (options.after_copy_block) {
        options.after_copy_block(src, done);
      }
      if (stop) {
        throw CopyStopped{};
      }
    });
    // Without a hash from before, a write during the copy shows as a new size or time.
    if ((before && digest.sha256 != before->sha256) || digest.bytes != size ||
        fs::file_size(src) != size || fs::last_write_time(src) != modified) {
      fail(ErrorKind::Conflict, "'{}' changed while it was being read; run again", src.string());
    }
    growing.finish();
    return digest;
  };
  GrowingFile loyalty_growing(fs::file_size(loyalty_src));
  GrowingFile activity_growing(fs::file_size(activity_src));
  struct Copier {
    std::thread thread;
    std::atomic<bool> stop{false};  // the copy gives up at its next block
    std::exception_ptr error;       // its failure, once joined
    FileDigest loyalty;
    FileDigest activity;
    // Waits for the copies (stopping them first when `stop_first`), then rethrows their failure.
    void finish(bool stop_first) {
      stop = stop || stop_first;
      if (thread.joinable()) {
        thread.join();
      }
      if (error) {
        std::rethrow_exception(error);
      }
    }
    ~Copier() {
      stop = true;
      if (thread.joinable()) {
        thread.join();
      }
    }
  } copier;
  // The copies exist, empty, before the parse opens them: the copier thread may start after
  // the parse does (seen under load, in a replay's twelfth ingest of one process).
  for (const fs::path& staged_copy : {loyalty_copy, activity_copy}) {
    fs::create_directories(staged_copy.parent_path());
    std::ofstream created(staged_copy, std::ios::binary | std::ios::trunc);
    if (!created) {
      fail(ErrorKind::Io, "cannot create '{}'", staged_copy.string());
    }
  }
  copier.thread = std::thread([&] {
    try {
      copier.loyalty =
          copy(loyalty_src, loyalty_copy, loyalty_before, loyalty_growing, copier.stop);
      copier.activity =
          copy(activity_src, activity_copy, activity_before, activity_growing, copier.stop);
      // The copies reach the disk now, while the activity file is parsed, rather than in the
      // publish at the end (at 1M the activity copy's fsync took about 1 s there).
      sync_file(loyalty_copy);
      sync_file(activity_copy);
    } catch (const CopyStopped&) {
      loyalty_growing.abandon();
      activity_growing.abandon();
    } catch (...) {
      copier.error = std::current_exception();
      loyalty_growing.abandon();
      activity_growing.abandon();
    }
  });

  ScratchDatabase scratch(lake.work_dir() / fmt::format("ingest-{}.duckdb", ::getpid()));
  auto db = duck::Database::open(scratch.path().string(), options.db_options);
  duck::Connection connection(db);
  Quarantine quarantine(db);
  FileParse loyalty{ls, {}, "loyalty_rows"};
  FileParse activity{as, {}, ""};  // merged in C++, not staged
  MemberLines members;
  const std::string processed_activity_sql =
      sql_file("ingest/sql/processed_customer_flight_activity.sql");
  // The merged activity rows stream from `produce` (on its own thread) through the table
  // function `function` straight into the processed Parquet files, one per month, in scratch;
  // only the months that changed are published (activity_months.h).
  ActivityMonths months(lake, lake.work_dir() / fmt::format("ingest-{}-months", ::getpid()));
  const auto write_processed_activity = [&](const std::string& function,
                                            const std::function<void(duck::RowSink&)>& produce) {
    duck::ChunkStream stream(connection, function, MemberBlockMerger::columns(), 128);
    connection.execute(
        "create or replace temp view merged_customer_flight_activity as select * from " + function +
        "()");
    stream.run(months.copy_sql(processed_activity_sql, kParquetOptions), produce);
  };
  const auto parse_both = [&] {
    parse_file(loyalty_copy, loyalty, connection, quarantine, members, true, &loyalty_growing);
    say(kStage, "{}: {} rows read, {} quarantined", ls.source_file,
        with_commas(loyalty.report.rows_read), with_commas(loyalty.report.rows_quarantined));
    // The activity file streams through the merge straight into its Parquet file: parsed on one
    // thread, encoded by DuckDB on another, with no table of 240M rows in between.
    try {
      write_processed_activity("merged_activity_stream", [&](duck::RowSink& sink) {
        parse_file(activity_copy, activity, connection, quarantine, members, false,
                   &activity_growing, {&sink, nullptr, nullptr, 0});
      });
    } catch (const RowsApart& apart) {
      // Same result: every valid row set aside by member, then merged one member at a time
      // once the file is read. The first pass's quarantine records (lines before this one) are
      // kept and not written twice.
      say(kStage,
          "{}: the rows of loyalty number {} are not all together (again at line {}); setting "
          "each member's rows aside and merging them when the file is read",
          as.source_file, apart.member, apart.line);
      activity.report = FileReport{};
      ActivitySpill spill(lake.work_dir() / fmt::format("ingest-{}-activity.spill", ::getpid()),
                          members.size());
      std::vector<NumberedMember> numbered;
      write_processed_activity("merged_activity_spilled", [&](duck::RowSink& sink) {
        parse_file(activity_copy, activity, connection, quarantine, members, false,
                   &activity_growing, {nullptr, &spill, &numbered, apart.line});
        MemberBlockMerger merger(sink);
        ProgressBar bar(fmt::format("merging {} members' rows",
                                    with_commas(static_cast<std::int64_t>(numbered.size()))),
                        spill.rows());
        spill.replay(
            [&](std::uint32_t number, const ActivityRow& row) {
              const NumberedMember& m = numbered[number];
              merger.add(m.member, m.first_line, row);
            },
            [&](std::uint64_t done) { bar.update(done); });
        bar.finish();
        merger.finish();
        record_merge(activity, merger);
      });
    }
  };
  try {
    parse_both();
  } catch (...) {
    copier.finish(true);  // a parse that failed because its copy did: the copy's error is the cause
    throw;
  }
  copier.finish(false);  // the parses read to the end, so the copies are complete
  const FileDigest& loyalty_digest = copier.loyalty;
  const FileDigest& activity_digest = copier.activity;
  if (!loyalty_before) {
    add_inputs(loyalty_digest, activity_digest);
  }
  if (activity.report.members_with_missing_months > 0) {
    say(kStage,
        "{}: {} members have months without a row ({} member-months, loaded as no "
        "activity); first at line {}",
        as.source_file, with_commas(activity.report.members_with_missing_months),
        with_commas(activity.report.missing_member_months),
        activity.report.missing_month_findings[0]["line"].get<std::int64_t>());
  }
  say(kStage, "{}: {} rows read, {} quarantined", as.source_file,
      with_commas(activity.report.rows_read), with_commas(activity.report.rows_quarantined));
  quarantine.finish();
  months.compare(connection);
  const std::int64_t activity_keys = activity.merged_keys;
  const std::int64_t distinct_rows = activity.distinct_rows;
  const std::int64_t valid_activity = activity.report.rows_read - activity.report.rows_quarantined;
  activity.report.exact_duplicates_dropped = valid_activity - distinct_rows;
  activity.report.same_month_rows_summed = distinct_rows - activity_keys;
  activity.report.rows_merged = valid_activity - activity_keys;
  activity.report.rows_loaded = activity_keys;
  loyalty.report.rows_loaded = static_cast<std::int64_t>(members.size());

  // Write every output beside its final path, then publish them together.
  const std::vector<std::pair<fs::path, std::string>> tables = {
      {lake.processed_loyalty(), sql_file("ingest/sql/processed_customer_loyalty_history.sql")},
      {lake.quarantine(), "select * from quarantine order by file, line, column_number, rule"},
  };
  std::map<fs::path, fs::path> staged;
  for (const auto& [path, select] : tables) {
    staged[path] = outputs.stage(path);
    copy_parquet(connection, select, staged[path]);
  }
  loyalty.report.lake_path = fs::relative(lake.processed_loyalty(), lake.root()).string();
  activity.report.lake_path = fs::relative(lake.processed_activity_dir(), lake.root()).string();
  loyalty.report.file = ls.source_file;
  activity.report.file = as.source_file;
  loyalty.report.sha256 = loyalty_digest.sha256;
  activity.report.sha256 = activity_digest.sha256;

  const auto& samples = quarantine.samples();
  auto sample_of = [&](const std::string& f) {
    const auto it = samples.find(f);
    return it == samples.end() ? std::vector<QuarantineRecord>{} : it->second;
  };
  nlohmann::json report = {
      {"files",
       {to_json(loyalty.report, sample_of(ls.source_file)),
        to_json(activity.report, sample_of(as.source_file))}},
      {"balanced", loyalty.report.balanced() && activity.report.balanced()},
      {"quarantine",
       {{"path", fs::relative(lake.quarantine(), lake.root()).string()},
        {"records", quarantine.records()}}},
  };
  nlohmann::json manifest = {
      {"files",
       {manifest_entry(loyalty_src, lake.raw_loyalty(), loyalty_digest, loyalty.report, lake),
        manifest_entry(activity_src, lake.raw_activity(), activity_digest, activity.report,
                       lake)}}};
  if (!report["balanced"].get<bool>()) {
    fail(ErrorKind::Conflict, "row accounting does not balance: {}", report.dump());
  }
  std::vector<fs::path> month_files;
  std::map<fs::path, std::string> known = {{lake.raw_loyalty(), loyalty_digest.sha256},
                                           {lake.raw_activity(), activity_digest.sha256}};
  const nlohmann::json published_months =
      months.stage(outputs, month_files, state.recorded_outputs(), known);
  say(kStage, "{}: {} months; appended {}, rewritten {}, removed {}, {} left as they were",
      fs::relative(lake.processed_activity_dir(), lake.root()).string(),
      published_months["months"].get<std::size_t>(), published_months["appended"].size(),
      published_months["rewritten"].size(), published_months["removed"].size(),
      published_months["unchanged"].get<std::size_t>());
  std::vector<fs::path> arrival_files;
  report["arrival"] = stage_arrival(
      lake, connection, outputs,
      {loyalty_copy, activity_copy, staged[lake.processed_loyalty()], &months, loyalty_digest,
       activity_digest, manifest["files"], arrival_quality(loyalty.report, activity.report),
       published_months},
      arrival_files);
  // What the arrival did to the processed activity, as its manifest records it.
  report["processed_activity"] = report["arrival"].value("processed_activity", published_months);
  report["arrival"].erase("processed_activity");
  write_file_atomic(outputs.stage(lake.ingest_report()), report.dump(2) + "\n");
  write_file_atomic(outputs.stage(lake.raw_manifest()), manifest.dump(2) + "\n");
  kill_point("ingest:written");
  outputs.commit();
  result.outputs = {lake.processed_loyalty(), lake.quarantine(),  lake.ingest_report(),
                    lake.raw_manifest(),       lake.raw_loyalty(), lake.raw_activity()};
  result.outputs.insert(result.outputs.end(), month_files.begin(), month_files.end());
  result.outputs.insert(result.outputs.end(), arrival_files.begin(), arrival_files.end());
  state.record(result.outputs, report, known);
  result.summary = report;
  result.seconds = clock.seconds();
  say(kStage, "loaded {} members and {} member-months; {} rows quarantined; {} merged ({:.2f} s)",
      with_commas(loyalty.report.rows_loaded), with_commas(activity.report.rows_loaded),
      with_commas(loyalty.report.rows_quarantined + activity.report.rows_quarantined),
      with_commas(activity.report.rows_merged), result.seconds);
  return result;
}

}  // namespace aa
