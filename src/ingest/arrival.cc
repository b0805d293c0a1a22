#include "ingest/arrival.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/app_error.h"
#include "core/progress.h"
#include "core/sql_files.h"

namespace aa::ingest {

namespace {

// The first row of `sql` as {column: value}.
nlohmann::json first_row(duck::Connection& connection, const std::string& sql) {
  auto result = connection.query(sql);
  nlohmann::json out = nlohmann::json::object();
  for (std::size_t c = 0; c < result.column_count(); ++c) {
    out[result.column_name(c)] = result.is_null(c, 0) ? 0 : result.int64(c, 0);
  }
  return out;
}

// A view of `files` (Parquet), or of none of them with `schema_of`'s columns.
void bind_files(duck::Connection& connection, const std::string& name,
                const std::vector<fs::path>& files, const fs::path& schema_of) {
  connection.execute("create or replace temp view " + name + " as select * from read_parquet(" +
                     (files.empty() ? duck::quote_literal(schema_of.string()) + ") limit 0"
                                    : parquet_list(files) + ", hive_partitioning = false)"));
}

// Member-months and members by kind of change against the published processed files. The
// activity's months left as they were count as unchanged without being read.
nlohmann::json changes_against_published(const core::Lake& lake, duck::Connection& connection,
                                         const ArrivalInput& input) {
  const ActivityMonths& months = *input.activity;
  if (!months.has_previous() || !fs::exists(lake.processed_loyalty())) {
    return nullptr;
  }
  const fs::path schema_of =
      lake.has_processed_activity() ? lake.processed_activity() : lake.legacy_processed_activity();
  bind_files(connection, "previous_activity", months.previous_changed_files(), schema_of);
  bind_files(connection, "arrived_activity", months.arrived_changed_files(), schema_of);
  const std::string last = months.previous_last_month();
  connection.execute("create or replace temp view previous_activity_window as select " +
                     (last.empty()
                          ? std::string("(select max(year * 12 + month - 1) from read_parquet(" +
                                        duck::quote_literal(schema_of.string()) + "))")
                          : std::to_string(std::stoll(last.substr(0, 4)) * 12 +
                                           std::stoll(last.substr(5, 2)) - 1)) +
                     " as last_month_index");
  connection.execute("create or replace temp view previous_loyalty as select * from read_parquet(" +
                     duck::quote_literal(lake.processed_loyalty().string()) + ")");
  connection.execute("create or replace temp view arrived_loyalty as select * from read_parquet(" +
                     duck::quote_literal(input.processed_loyalty.string()) + ")");
  nlohmann::json member_months =
      first_row(connection, core::sql_file("ingest/sql/arrival_activity_changes.sql"));
  member_months["unchanged"] =
      member_months["unchanged"].get<std::int64_t>() + months.unchanged_member_months();
  return {
      {"member_months", member_months},
      {"members", first_row(connection, core::sql_file("ingest/sql/arrival_loyalty_changes.sql"))}};
}

// Hard links `from` (a staged raw copy) at `to`'s staged path: the arrival keeps the bytes
// without a second copy.
void stage_link(core::PublishGroup& outputs, const fs::path& from, const fs::path& to) {
  const fs::path staged = outputs.stage(to);
  std::error_code ec;
  fs::remove(staged, ec);
  fs::create_hard_link(from, staged, ec);
  if (ec) {  // a file system without hard links: copy
    fs::copy_file(from, staged, fs::copy_options::overwrite_existing);
  }
}

}  // namespace

std::vector<nlohmann::json> arrival_manifests(const core::Lake& lake) {
  std::vector<nlohmann::json> out;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(lake.arrivals(), ec)) {
    const fs::path manifest = e.path() / "manifest.json";
    if (e.is_directory() && fs::exists(manifest)) {
      out.push_back(nlohmann::json::parse(core::read_file(manifest)));
    }
  }
  std::sort(out.begin(), out.end(), [](const nlohmann::json& a, const nlohmann::json& b) {
    return a.at("sequence").get<std::int64_t>() < b.at("sequence").get<std::int64_t>();
  });
  return out;
}

std::string arrival_id(const std::string& data_last_month, const std::string& loyalty_sha256,
                       const std::string& activity_sha256) {
  return data_last_month + "_" +
         core::sha256_text(loyalty_sha256 + ":" + activity_sha256).substr(0, 8);
}

nlohmann::json stage_arrival(const core::Lake& lake, duck::Connection& connection,
                             core::PublishGroup& outputs, const ArrivalInput& input,
                             std::vector<fs::path>& published) {
  const std::string first = input.activity->first_month();
  const std::string last = input.activity->last_month();
  const std::string id =
      arrival_id(last, input.loyalty_digest.sha256, input.activity_digest.sha256);
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
        {"data_first_month", first},
        {"data_last_month", last},
        {"files", input.files},
        {"quality", input.quality},
        {"processed_activity", input.processed_activity},
        {"changes", changes_against_published(lake, connection, input)}};
    core::say("ingest", "new arrival {} (number {}, data up to {})", id,
              manifest["sequence"].get<std::int64_t>(), last);
  } else {
    core::say("ingest", "arrival {} was received before: keeping its record", id);
  }
  stage_link(outputs, input.loyalty_copy, dir / "customer_loyalty_history.csv");
  stage_link(outputs, input.activity_copy, dir / "customer_flight_activity.csv");
  core::write_file_atomic(outputs.stage(dir / "manifest.json"), manifest.dump(2) + "\n");
  for (const char* name :
       {"customer_loyalty_history.csv", "customer_flight_activity.csv", "manifest.json"}) {
    published.push_back(dir / name);
  }
  nlohmann::json summary = manifest;
  summary.erase("files");
  return summary;
}

}  // namespace aa::ingest
