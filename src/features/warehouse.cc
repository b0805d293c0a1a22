#include "features/warehouse.h"

#include "core/app_error.h"
#include "core/files.h"
#include "core/progress.h"
#include "core/sql_files.h"

namespace aa {

namespace {
constexpr const char* kStage = "warehouse";
}

std::vector<std::pair<std::string, fs::path>> warehouse_tables(const Lake& lake) {
  std::vector<std::pair<std::string, fs::path>> tables = {
      {"customer_loyalty_history", lake.processed_loyalty()},
      {"customer_flight_activity", lake.processed_activity()},
      {"customer_features", lake.customer_features()}};
  if (fs::exists(lake.churn_predictions())) {
    tables.emplace_back("churn_predictions", lake.churn_predictions());
  }
  return tables;
}

std::vector<std::pair<std::string, fs::path>> warehouse_documents(const Lake& lake) {
  return {{"metrics.json", lake.churn_artifacts() / "metrics.json"},
          {"model_card.md", lake.churn_artifacts() / "model_card.md"},
          {"ingest.json", lake.ingest_report()}};
}

StageResult build_warehouse(const Lake& lake, const StageOptions& options) {
  const Stopwatch clock;
  StageResult result;
  StageState state(lake, kStage);
  for (const auto& [table, path] : warehouse_tables(lake)) {
    if (!fs::exists(path)) {
      fail(ErrorKind::NotFound, "'{}' does not exist; run `airline-analytics run` first",
           path.string());
    }
    state.add_input(table, sha256_file(path).sha256);
  }
  state.add_input("customer_scored",
                  sha256_text(sql_file("features/sql/warehouse/customer_scored.sql")));
  for (const auto& [name, path] : warehouse_documents(lake)) {
    state.add_input("document:" + name, fs::exists(path) ? sha256_file(path).sha256 : "");
  }
  if (auto skipped = state.skip_if_unchanged(options.force, clock.seconds(),
                                             "tables unchanged: keeping the published warehouse")) {
    return *skipped;
  }
  const fs::path out = lake.warehouse();
  const fs::path tmp = temp_path_for(out);
  fs::remove(tmp);
  fs::remove(fs::path(tmp.string() + ".wal"));
  nlohmann::json tables = nlohmann::json::object();
  {
    auto db = duck::Database::open(tmp.string(), options.db_options);
    duck::Connection connection(db);
    for (const auto& [table, path] : warehouse_tables(lake)) {
      connection.execute("create table " + duck::quote_ident(table) +
                         " as select * from read_parquet(" + duck::quote_literal(path.string()) +
                         ")");
      tables[table] =
          connection.query("select count(*) from " + duck::quote_ident(table)).scalar_int64();
    }
    if (tables.contains("churn_predictions")) {
      connection.execute(sql_file("features/sql/warehouse/customer_scored.sql"));
    }
    // The reports the operations show travel inside the warehouse, so that a reader's snapshot
    // is one file: its tables, metrics and ingest report always belong together.
    connection.execute("create table lake_documents (name varchar primary key, content varchar)");
    auto insert = connection.prepare("insert into lake_documents values (?, ?)");
    for (const auto& [name, path] : warehouse_documents(lake)) {
      if (fs::exists(path)) {
        insert.bind(1, name).bind(2, read_file(path)).execute();
      }
    }
    tables["lake_documents"] =
        connection.query("select count(*) from lake_documents").scalar_int64();
    connection.execute("checkpoint");
  }  // closed: everything is in the file, no WAL left behind
  kill_point("warehouse:written");
  publish(tmp, out);
  result.outputs = {out};
  result.summary = {{"path", fs::relative(out, lake.root()).string()}, {"tables", tables}};
  state.record(result.outputs, result.summary);
  result.seconds = clock.seconds();
  say(kStage, "{} tables -> {} ({:.2f} s)", tables.size(), fs::relative(out, lake.root()).string(),
      result.seconds);
  return result;
}

}  // namespace aa
