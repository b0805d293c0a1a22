#include "ingest/arrival.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/app_error.h"
#include "core/progress.h"
#include "core/sql_files.h"

namespace aa {

namespace {

std::string month_text(std::int64_t index) {
  return fmt::format("{:04}-{:02}", index / 12, index % 12 + 1);
}

// The first row of `sql` as {column: value}.
nlohmann::json first_row(duck::Connection& connection, const std::string& sql) {
  auto result = connection.query(sql);
  nlohmann::json out = nlohmann::json::object();
  for (std::size_t c = 0; c < result.column_count(); ++c) {
    out[result.column_name(c)] = result.is_null(c, 0) ? 0 : result.int64(c, 0);
  }
  return out;
}

void bind_tables(duck::Connection& connection, const std::string& kind, const fs::path& previous,
                 const fs::path& arrived) {
  connection.execute("create or replace temp view previous_" + kind +
                     " as select * from read_parquet(" + duck::quote_literal(previous.string()) +
                     ")");
  connection.execute("create or replace temp view arrived_" + kind +
                     " as select * from read_parquet(" + duck::quote_literal(arrived.string()) +
                     ")");
}

// Member-months and members by kind of change against the published processed files.
nlohmann::json changes_against_published(const Lake& lake, duck::Connection& connection,
                                         const ArrivalInput& input) {
  if (!fs::exists(lake.processed_activity()) || !fs::exists(lake.processed_loyalty())) {
    return nullptr;
  }
  bind_tables(connection, "activity", lake.processed_activity(), input.processed_activity);
  bind_tables(connection, "loyalty", lake.processed_loyalty(), input.processed_loyalty);
  return {
      {"member_months", first_row(connection, sql_file("ingest/sql/arrival_activity_changes.sql"))},
      {"members", first_row(connection, sql_file("ingest/sql/arrival_loyalty_changes.sql"))}};
}

std::pair<std::int64_t, std::int64_t> data_window(duck::Connection& connection,
                                                  const fs::path& processed_activity) {
  auto r = connection.query(
      "select min(year * 12 + month - 1), max(year * 12 + month - 1) from "
      "read_parquet(" +
      duck::quote_literal(processed_activity.string()) + ")");
  if (r.is_null(0, 0)) {
    fail(ErrorKind::InvalidInput,
         "the flight activity has no valid rows: no month to file the "
         "arrival under");
  }
  return {r.int64(0, 0), r.int64(1, 0)};
}

// Hard links `from` (a staged raw copy) at `to`'s staged path: the arrival keeps the bytes
// without a second copy.
void stage_link(PublishGroup& outputs, const fs::path& from, const fs::path& to) {
  const fs::path staged = outputs.stage(to);
  std::error_code ec;
  fs::remove(staged, ec);
  fs::create_hard_link(from, staged, ec);
  if (ec) {  // a file system without hard links: copy
    fs::copy_file(from, staged, fs::copy_options::overwrite_existing);
  }
}

}  // namespace

std::vector<nlohmann::json> arrival_manifests(const Lake& lake) {
  std::vector<nlohmann::json> out;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(lake.arrivals(), ec)) {
    const fs::path manifest = e.path() / "manifest.json";
    if (e.is_directory() && fs::exists(manifest)) {
      out.push_back(nlohmann::json::parse(read_file(manifest)));
    }
  }
  std::sort(out.begin(), out.end(), [](const nlohmann::json& a, const nlohmann::json& b) {
    return a.at("sequence").get<std::int64_t>() < b.at("sequence").get<std::int64_t>();
  });
  return out;
}

std::string arrival_id(const std::string& data_last_month, const std::string& loyalty_sha256,
                       const std::string& activity_sha256) {
  return data_last_month + "_" + sha256_text(loyalty_sha256 + ":" + activity_sha256).substr(0, 8);
}

nlohmann::json stage_arrival(const Lake& lake, duck::Connection& connection, PublishGroup& outputs,
                             const ArrivalInput& input, std::vector<fs::path>& published) {
  const auto [first, last] = data_window(connection, input.processed_activity);
  const std::string id =
      arrival_id(month_text(last), input.loyalty_digest.sha256, input.activity_digest.sha256);
  const fs::path dir = lake.arrivals() / id;
  const std::vector<nlohmann::json> known = arrival_manifests(lake);
  nlohmann::json manifest;
  for (const auto& m : known) {
    if (m.at("arrival_id") == id) {
      manifest = m;  // a known export: its arrival as it was
    }
  }
  if (manifest.is_null()) {
    const nlohmann::json previous = known.empty() ? nlohmann::json() : known.back();
    manifest = {
        {"arrival_id", id},
        {"sequence", known.empty() ? 1 : previous.at("sequence").get<std::int64_t>() + 1},
        {"previous_arrival", previous.is_null() ? nlohmann::json() : previous["arrival_id"]},
        {"data_first_month", month_text(first)},
        {"data_last_month", month_text(last)},
        {"files", input.files},
        {"quality", input.quality},
        {"changes", changes_against_published(lake, connection, input)}};
    say("ingest", "new arrival {} (number {}, data up to {})", id,
        manifest["sequence"].get<std::int64_t>(), month_text(last));
  } else {
    say("ingest", "arrival {} was received before: keeping its record", id);
  }
  stage_link(outputs, input.loyalty_copy, dir / "customer_loyalty_history.csv");
  stage_link(outputs, input.activity_copy, dir / "customer_flight_activity.csv");
  write_file_atomic(outputs.stage(dir / "manifest.json"), manifest.dump(2) + "\n");
  for (const char* name :
       {"customer_loyalty_history.csv", "customer_flight_activity.csv", "manifest.json"}) {
    published.push_back(dir / name);
  }
  nlohmann::json summary = manifest;
  summary.erase("files");
  return summary;
}

}  // namespace aa
