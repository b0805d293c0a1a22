#include "ingest/ingest.h"

#include <unistd.h>

#include <functional>
#include <map>
#include <optional>

#include "core/app_error.h"
#include "core/chunk_stream.h"
#include "core/files.h"
#include "core/progress.h"
#include "core/sql_files.h"
#include "core/stage_state.h"
#include "ingest/activity_merge.h"
#include "ingest/activity_months.h"
#include "ingest/activity_parser.h"
#include "ingest/activity_spill.h"
#include "ingest/arrival.h"
#include "ingest/loyalty_parser.h"
#include "ingest/parse_common.h"
#include "ingest/quarantine.h"
#include "ingest/raw_copier.h"
#include "ingest/schema.h"

namespace aa::ingest {

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

// The loyalty file's and the activity file's paths: the user's files, or their raw copies.
struct FilePaths {
  fs::path loyalty;
  fs::path activity;
};

// The digests of the inputs before they were copied, when they were hashed up front.
struct DigestsBefore {
  std::optional<core::FileDigest> loyalty;
  std::optional<core::FileDigest> activity;
};

void copy_parquet(duck::Connection& connection, const std::string& select, const fs::path& tmp) {
  connection.execute("copy (" + select + ") to " + duck::quote_literal(tmp.string()) + " " +
                     kParquetOptions);
}

nlohmann::json manifest_entry(const fs::path& source, const fs::path& lake_path,
                              const core::FileDigest& digest, const FileReport& report,
                              const core::Lake& lake) {
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

core::FileDigest hash_with_progress(const fs::path& path) {
  core::ProgressBar bar("hashing " + path.filename().string(), fs::file_size(path));
  auto digest = core::sha256_file(path, [&](std::uint64_t done) { bar.update(done); });
  bar.finish();
  return digest;
}

void add_inputs(core::StageState& state, const core::FileDigest& loyalty,
                const core::FileDigest& activity) {
  state.add_input("loyalty_sha256", loyalty.sha256);
  state.add_input("activity_sha256", activity.sha256);
  state.add_input("rules_version", kRulesVersion);
  for (const auto& [path, text] : core::embedded_sql()) {
    if (path.rfind("ingest/", 0) == 0) {
      state.add_input(path, core::sha256_text(text));
    }
  }
}

// The inputs are hashed up front only when an earlier run could let us skip; otherwise
// (forced, or a first run) they are hashed while they are copied: one read fewer of files
// that can be several GB. The published lake's result when the inputs are unchanged.
std::optional<core::StageResult> skip_if_unchanged(core::StageState& state,
                                                   const FilePaths& sources,
                                                   const IngestOptions& options,
                                                   const core::Stopwatch& clock,
                                                   DigestsBefore& before) {
  if (options.force || !state.has_record()) {
    return std::nullopt;
  }
  before.loyalty = hash_with_progress(sources.loyalty);
  before.activity = hash_with_progress(sources.activity);
  add_inputs(state, *before.loyalty, *before.activity);
  return state.skip_if_unchanged(
      options.force, clock.seconds(),
      fmt::format("inputs unchanged (sha256 {}…, {}…): keeping the published lake",
                  before.loyalty->sha256.substr(0, 12), before.activity->sha256.substr(0, 12)));
}

// The merged activity rows stream from `produce` (on its own thread; false when it abandons the
// stream) through the table function `function` straight into the processed Parquet files, one
// per month, in scratch; only the months that changed are published (activity_months.h). False
// when the stream was abandoned.
bool write_processed_activity(duck::Connection& connection, ActivityMonths& months,
                              const std::string& function,
                              const std::function<bool(duck::RowSink&)>& produce) {
  duck::ChunkStream stream(connection, function, MemberBlockMerger::columns(), 128);
  connection.execute(
      "create or replace temp view merged_customer_flight_activity as select * from " + function +
      "()");
  return stream.run(
      months.copy_sql(core::sql_file("ingest/sql/processed_customer_flight_activity.sql"),
                      kParquetOptions),
      [&](duck::RowSink& sink) {
        if (!produce(sink)) {
          stream.abandon();
        }
      });
}

// The activity file streams through the merge straight into its Parquet files: parsed on one
// thread, encoded by DuckDB on another, with no table of 240M rows in between. When a member's
// rows turn out apart, the file is parsed again, spilled, for the same result.
void parse_activity(const core::Lake& lake, duck::Connection& connection, ActivityMonths& months,
                    ActivityParser& parser, FileParse& activity, std::size_t members) {
  StreamedParse streamed;
  if (write_processed_activity(connection, months, "merged_activity_stream",
                               [&](duck::RowSink& sink) {
                                 streamed = parser.streamed(sink);
                                 return streamed.outcome == StreamedParse::Outcome::Merged;
                               })) {
    return;
  }
  // Same result: every valid row set aside by member, then merged one member at a time once
  // the file is read. The first pass's quarantine records (lines before this one) are kept and
  // not written twice.
  core::say(kStage,
            "{}: the rows of loyalty number {} are not all together (again at line {}); setting "
            "each member's rows aside and merging them when the file is read",
            activity.spec.source_file, streamed.member, streamed.line);
  activity.report = FileReport{};
  ActivitySpill spill(lake.work_dir() / fmt::format("ingest-{}-activity.spill", ::getpid()),
                      members);
  write_processed_activity(connection, months, "merged_activity_spilled", [&](duck::RowSink& sink) {
    parser.spilled(sink, spill, streamed.line);
    return true;
  });
}

// What the parse of both files produced, in the scratch database and beside it.
struct Parsed {
  FileParse loyalty{loyalty_spec(), {}, "loyalty_rows"};
  FileParse activity{activity_spec(), {}, ""};  // merged in C++, not staged
  MemberLines members;
};

// Parses both raw copies as they are copied; the copier's own failure, when it failed, is the
// one thrown (a parse that fails because its copy did).
void parse_both(const core::Lake& lake, const FilePaths& copies, RawCopier& copier,
                duck::Connection& connection, Quarantine& quarantine, ActivityMonths& months,
                Parsed& parsed) {
  try {
    LoyaltyParser(connection, quarantine)
        .parse(copies.loyalty, parsed.loyalty, parsed.members, copier.loyalty_growing());
    core::say(kStage, "{}: {} rows read, {} quarantined", parsed.loyalty.spec.source_file,
              core::with_commas(parsed.loyalty.report.rows_read),
              core::with_commas(parsed.loyalty.report.rows_quarantined));
    ActivityParser parser(copies.activity, parsed.activity, quarantine, parsed.members,
                          copier.activity_growing());
    parse_activity(lake, connection, months, parser, parsed.activity, parsed.members.size());
  } catch (...) {
    copier.finish(true);
    throw;
  }
  copier.finish(false);  // the parses read to the end, so the copies are complete
}

// Reports the activity file's parse.
void say_activity_parsed(const Parsed& parsed) {
  const FileReport& activity = parsed.activity.report;
  const std::string& file = parsed.activity.spec.source_file;
  if (activity.members_with_missing_months > 0) {
    core::say(kStage,
              "{}: {} members have months without a row ({} member-months, loaded as no "
              "activity); first at line {}",
              file, core::with_commas(activity.members_with_missing_months),
              core::with_commas(activity.missing_member_months),
              activity.missing_month_findings[0]["line"].get<std::int64_t>());
  }
  core::say(kStage, "{}: {} rows read, {} quarantined", file, core::with_commas(activity.rows_read),
            core::with_commas(activity.rows_quarantined));
}

// Completes both files' row accounting once the activity is merged.
void count_loaded(Parsed& parsed) {
  FileReport& activity = parsed.activity.report;
  const std::int64_t activity_keys = parsed.activity.merged_keys;
  const std::int64_t distinct_rows = parsed.activity.distinct_rows;
  const std::int64_t valid_activity = activity.rows_read - activity.rows_quarantined;
  activity.exact_duplicates_dropped = valid_activity - distinct_rows;
  activity.same_month_rows_summed = distinct_rows - activity_keys;
  activity.rows_merged = valid_activity - activity_keys;
  activity.rows_loaded = activity_keys;
  parsed.loyalty.report.rows_loaded = static_cast<std::int64_t>(parsed.members.size());
}

// Writes the processed loyalty file and the quarantine beside their final paths.
std::map<fs::path, fs::path> stage_tables(const core::Lake& lake, duck::Connection& connection,
                                          core::PublishGroup& outputs) {
  const std::vector<std::pair<fs::path, std::string>> tables = {
      {lake.processed_loyalty(),
       core::sql_file("ingest/sql/processed_customer_loyalty_history.sql")},
      {lake.quarantine(), "select * from quarantine order by file, line, column_number, rule"},
  };
  std::map<fs::path, fs::path> staged;
  for (const auto& [path, select] : tables) {
    staged[path] = outputs.stage(path);
    copy_parquet(connection, select, staged[path]);
  }
  return staged;
}

// reports/ingest.json, before the arrival's parts are added.
nlohmann::json ingest_report(const core::Lake& lake, Parsed& parsed, const Quarantine& quarantine,
                             const core::FileDigest& loyalty_digest,
                             const core::FileDigest& activity_digest) {
  FileReport& loyalty = parsed.loyalty.report;
  FileReport& activity = parsed.activity.report;
  loyalty.lake_path = fs::relative(lake.processed_loyalty(), lake.root()).string();
  activity.lake_path = fs::relative(lake.processed_activity_dir(), lake.root()).string();
  loyalty.file = parsed.loyalty.spec.source_file;
  activity.file = parsed.activity.spec.source_file;
  loyalty.sha256 = loyalty_digest.sha256;
  activity.sha256 = activity_digest.sha256;
  const auto& samples = quarantine.samples();
  auto sample_of = [&](const std::string& f) {
    const auto it = samples.find(f);
    return it == samples.end() ? std::vector<QuarantineRecord>{} : it->second;
  };
  return {
      {"files",
       {to_json(loyalty, sample_of(loyalty.file)), to_json(activity, sample_of(activity.file))}},
      {"balanced", loyalty.balanced() && activity.balanced()},
      {"quarantine",
       {{"path", fs::relative(lake.quarantine(), lake.root()).string()},
        {"records", quarantine.records()}}},
  };
}

// Everything ingest writes, staged in `outputs`, then published together and recorded.
struct Publication {
  const core::Lake& lake;
  core::StageState& state;
  core::PublishGroup& outputs;
  duck::Connection& connection;
  ActivityMonths& months;
};

// Stages the activity months and the arrival, writes the report and the manifest, publishes
// them all with the files already staged, and records the stage. Returns the outputs.
std::vector<fs::path> publish(const Publication& p, const FilePaths& sources,
                              const FilePaths& copies, const fs::path& staged_loyalty,
                              const RawCopier& copier, const Parsed& parsed,
                              nlohmann::json& report) {
  const core::Lake& lake = p.lake;
  const core::FileDigest& loyalty_digest = copier.loyalty();
  const core::FileDigest& activity_digest = copier.activity();
  nlohmann::json manifest = {{"files",
                              {manifest_entry(sources.loyalty, lake.raw_loyalty(), loyalty_digest,
                                              parsed.loyalty.report, lake),
                               manifest_entry(sources.activity, lake.raw_activity(),
                                              activity_digest, parsed.activity.report, lake)}}};
  if (!report["balanced"].get<bool>()) {
    core::fail(core::ErrorKind::Conflict, "row accounting does not balance: {}", report.dump());
  }
  std::vector<fs::path> month_files;
  std::map<fs::path, std::string> known = {{lake.raw_loyalty(), loyalty_digest.sha256},
                                           {lake.raw_activity(), activity_digest.sha256}};
  const nlohmann::json published_months =
      p.months.stage(p.outputs, month_files, p.state.recorded_outputs(), known);
  core::say(
      kStage,
      "{}: {} months; {} appended, {} extended by the rows they gained ({} member-months), {} "
      "rewritten, {} removed, {} left as they were",
      fs::relative(lake.processed_activity_dir(), lake.root()).string(),
      published_months["months"].get<std::size_t>(), published_months["appended"].size(),
      published_months["extended"].size(),
      core::with_commas(published_months["extended_member_months"].get<std::int64_t>()),
      published_months["rewritten"].size(), published_months["removed"].size(),
      published_months["unchanged"].get<std::size_t>());
  std::vector<fs::path> arrival_files;
  report["arrival"] = stage_arrival(
      lake, p.connection, p.outputs,
      {copies.loyalty, copies.activity, staged_loyalty, &p.months, loyalty_digest, activity_digest,
       manifest["files"], arrival_quality(parsed.loyalty.report, parsed.activity.report),
       published_months},
      arrival_files);
  // What the arrival did to the processed activity, as its manifest records it.
  report["processed_activity"] = report["arrival"].value("processed_activity", published_months);
  report["arrival"].erase("processed_activity");
  core::write_file_atomic(p.outputs.stage(lake.ingest_report()), report.dump(2) + "\n");
  core::write_file_atomic(p.outputs.stage(lake.raw_manifest()), manifest.dump(2) + "\n");
  core::kill_point("ingest:written");
  p.outputs.commit();
  std::vector<fs::path> outputs = {lake.processed_loyalty(), lake.quarantine(),
                                   lake.ingest_report(),     lake.raw_manifest(),
                                   lake.raw_loyalty(),       lake.raw_activity()};
  outputs.insert(outputs.end(), month_files.begin(), month_files.end());
  outputs.insert(outputs.end(), arrival_files.begin(), arrival_files.end());
  p.state.record(outputs, report, known);
  return outputs;
}

}  // namespace

fs::path find_source(const fs::path& raw_dir, const std::string& source_file,
                     const std::string& table) {
  for (const fs::path& candidate : {raw_dir / source_file, raw_dir / (table + ".csv")}) {
    if (fs::is_regular_file(candidate)) {
      return candidate;
    }
  }
  core::fail(
      core::ErrorKind::NotFound,
      "'{}' not found in '{}' (also looked for '{}.csv'); point --raw-dir or AIRLINE_RAW_DIR "
      "at the folder holding the data set",
      source_file, raw_dir.string(), table);
}

core::StageResult ingest(const core::Lake& lake, const IngestOptions& options) {
  const core::Stopwatch clock;
  const TableSpec& ls = loyalty_spec();
  const TableSpec& as = activity_spec();
  const FilePaths sources{find_source(options.raw_dir, ls.source_file, ls.table),
                          find_source(options.raw_dir, as.source_file, as.table)};
  core::StageState state(lake, kStage);
  DigestsBefore before;
  if (auto skipped = skip_if_unchanged(state, sources, options, clock, before)) {
    return *skipped;
  }

  lake.create();
  // Every output, the raw copies included, is published as one set at the end.
  core::PublishGroup outputs(lake.publish_journal(kStage));
  // Byte-identical raw copies; a file that changes while we read it is an error. The copies
  // are parsed (not the user's files), so what is published is what was validated.
  const FilePaths copies{outputs.stage(lake.raw_loyalty()), outputs.stage(lake.raw_activity())};
  RawCopier copier({sources.loyalty, copies.loyalty, before.loyalty},
                   {sources.activity, copies.activity, before.activity}, options.after_copy_block);

  ScratchDatabase scratch(lake.work_dir() / fmt::format("ingest-{}.duckdb", ::getpid()));
  auto db = duck::Database::open(scratch.path().string(), options.db_options);
  duck::Connection connection(db);
  Quarantine quarantine(db);
  Parsed parsed;
  ActivityMonths months(lake, lake.work_dir() / fmt::format("ingest-{}-months", ::getpid()));
  parse_both(lake, copies, copier, connection, quarantine, months, parsed);
  if (!before.loyalty) {
    add_inputs(state, copier.loyalty(), copier.activity());
  }
  say_activity_parsed(parsed);
  quarantine.finish();
  months.compare(connection);
  count_loaded(parsed);

  // Write every output beside its final path, then publish them together.
  const std::map<fs::path, fs::path> staged = stage_tables(lake, connection, outputs);
  nlohmann::json report =
      ingest_report(lake, parsed, quarantine, copier.loyalty(), copier.activity());
  core::StageResult result;
  result.outputs = publish({lake, state, outputs, connection, months}, sources, copies,
                           staged.at(lake.processed_loyalty()), copier, parsed, report);
  result.summary = report;
  result.seconds = clock.seconds();
  core::say(kStage,
            "loaded {} members and {} member-months; {} rows quarantined; {} merged ({:.2f} s)",
            core::with_commas(parsed.loyalty.report.rows_loaded),
            core::with_commas(parsed.activity.report.rows_loaded),
            core::with_commas(parsed.loyalty.report.rows_quarantined +
                              parsed.activity.report.rows_quarantined),
            core::with_commas(parsed.activity.report.rows_merged), result.seconds);
  return result;
}

}  // namespace aa::ingest
