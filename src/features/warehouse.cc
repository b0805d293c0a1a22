#include "features/warehouse.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/app_error.h"
#include "core/files.h"
#include "core/progress.h"
#include "core/reference_aliases.h"
#include "core/sql_files.h"
#include "features/sql_runner.h"

namespace aa::features {

namespace {

constexpr const char* kStage = "warehouse";

// Whether a table's rows are stored by member within each of its files: the monthly activity,
// one file per month, so that one member's rows of a month share a row group and a point query
// on a loyalty number (the Customer page's 24 months) reads one row group per month instead of
// scanning every row (at 10M members 3 ms instead of 60-200 ms). Sorting a month at a time
// costs nothing measurable next to the copy itself (31.6 s against 33.8 s at 10M).
bool member_ordered(const std::string& table) { return table == "customer_flight_activity"; }

// `table` from its Parquet file (or files); the reference's aliases of its columns
// (core/reference_aliases.h) become virtual generated columns, which take no space and always
// equal their column.
void create_table(duck::Connection& connection, const std::string& table, const fs::path& path) {
  const std::string source = "read_parquet(" + duck::quote_literal(path.string()) + ")";
  std::vector<std::string> generated;
  for (const auto& a : core::kReferenceAliases) {
    if (table == a.table) {
      generated.push_back(fmt::format("{} {} generated always as ({}) virtual",
                                      duck::quote_ident(a.alias), a.type,
                                      duck::quote_ident(a.column)));
    }
  }
  const std::string name = duck::quote_ident(table);
  const bool by_member = member_ordered(table);
  if (generated.empty() && !by_member) {
    connection.execute("create table " + name + " as select * from " + source);
    return;
  }
  auto described = connection.query("describe select * from " + source);
  std::vector<std::string> columns;
  for (std::size_t r = 0; r < described.row_count(); ++r) {
    columns.push_back(duck::quote_ident(described.text(0, r).value_or("")) + " " +
                      described.text(1, r).value_or(""));
  }
  columns.insert(columns.end(), generated.begin(), generated.end());
  connection.execute(fmt::format("create table {} ({})", name, fmt::join(columns, ", ")));
  if (!by_member) {
    connection.execute("insert into " + name + " by name select * from " + source);
    return;
  }
  auto files = connection.query("select file from glob(" + duck::quote_literal(path.string()) +
                                ") order by file");
  for (std::size_t r = 0; r < files.row_count(); ++r) {
    connection.execute("insert into " + name + " by name select * from read_parquet(" +
                       duck::quote_literal(files.text(0, r).value_or("")) +
                       ") order by loyalty_number");
  }
}

// Every kept scoring (curated/churn/predictions/scored_month=*/, Hive partitions), one row
// per member and scoring month; the reasons' features and contributions stay in the files.
void create_prediction_history(duck::Connection& connection, const core::Lake& lake) {
  const fs::path pattern = lake.prediction_history() / "scored_month=*" / "predictions.parquet";
  connection.execute(
      "create table prediction_history as select scored_month, loyalty_number, model_id, "
      "scored_at, churn_probability, churn_score, risk_tier, reason_1, reason_2, reason_3 from "
      "read_parquet(" +
      duck::quote_literal(pattern.string()) +
      ", hive_partitioning = true, hive_types = {'scored_month': varchar}, union_by_name = true) "
      "order by scored_month, loyalty_number");
}

// The staged models among the feature models (features/sql/staging).
std::vector<std::string> staging_models() {
  std::vector<std::string> out;
  for (const auto& model : feature_models()) {
    if (model.find("/staging/") != std::string::npos) {
      out.push_back(model);
    }
  }
  return out;
}

}  // namespace

std::string ops_tables_sql() {
  std::string text;
  for (const auto& model : staging_models()) {
    text += core::sql_file(model);
  }
  return text + core::sql_file("ops/sql/ops_members.sql");
}

std::vector<std::string> create_staging_views(duck::Connection& connection,
                                              const std::string& loyalty,
                                              const std::string& activity) {
  std::vector<std::string> views;
  for (const auto& [source, table] : {std::pair{"src_customer_loyalty_history", loyalty},
                                      std::pair{"src_customer_flight_activity", activity}}) {
    connection.execute(fmt::format("create view {} as select * from {}", source, table));
    views.emplace_back(source);
  }
  SqlRunner staging(connection);
  for (const auto& model : staging_models()) {
    views.push_back(staging.run(model, Materialization::View));
  }
  return views;
}

void create_ops_tables(duck::Connection& connection) {
  connection.execute(core::sql_file("ops/sql/ops_members.sql"));
}

std::vector<std::pair<std::string, fs::path>> warehouse_tables(const core::Lake& lake) {
  std::vector<std::pair<std::string, fs::path>> tables = {
      {"customer_loyalty_history", lake.processed_loyalty()},
      {"customer_flight_activity", lake.processed_activity()},
      {"customer_features", lake.customer_features()}};
  if (fs::exists(lake.churn_predictions())) {
    tables.emplace_back("churn_predictions", lake.churn_predictions());
  }
  // The monitor's tables (monitor/monitor_stage.h), once it has run.
  for (const char* table : {"model_health", "model_drift"}) {
    const fs::path file = lake.monitor_table(table);
    if (fs::exists(file)) {
      tables.emplace_back(table, file);
    }
  }
  return tables;
}

std::vector<fs::path> prediction_history_files(const core::Lake& lake) {
  std::vector<fs::path> files;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(lake.prediction_history(), ec)) {
    const fs::path file = e.path() / "predictions.parquet";
    if (e.is_directory() && e.path().filename().string().rfind("scored_month=", 0) == 0 &&
        fs::exists(file)) {
      files.push_back(file);
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::vector<std::pair<std::string, fs::path>> warehouse_documents(const core::Lake& lake) {
  return {{"metrics.json", lake.churn_artifacts() / "metrics.json"},
          {"model_card.md", lake.churn_artifacts() / "model_card.md"},
          {"ingest.json", lake.ingest_report()},
          {"monitor.json", lake.monitor_report()}};
}

core::StageResult build_warehouse(const core::Lake& lake, const StageOptions& options) {
  const core::Stopwatch clock;
  core::StageResult result;
  core::StageState state(lake, kStage);
  for (const auto& [table, path] : warehouse_tables(lake)) {
    if (!core::parquet_source_exists(path)) {
      core::fail(core::ErrorKind::NotFound,
                 "'{}' does not exist; run `airline-analytics run` first", path.string());
    }
    state.add_input(table, core::sha256_file(core::parquet_source_digest_file(path)).sha256);
  }
  state.add_input("customer_scored",
                  core::sha256_text(core::sql_file("features/sql/warehouse/customer_scored.sql")));
  state.add_input("ops_tables", core::sha256_text(ops_tables_sql()));
  for (const auto& file : prediction_history_files(lake)) {
    state.add_input("prediction_history:" + file.parent_path().filename().string(),
                    core::sha256_file(file).sha256);
  }
  for (const auto& a : core::kReferenceAliases) {  // a new alias rebuilds the warehouse
    state.add_input(fmt::format("alias:{}.{}", a.table, a.alias), a.column);
  }
  for (const auto& [name, path] : warehouse_documents(lake)) {
    state.add_input("document:" + name, fs::exists(path) ? core::sha256_file(path).sha256 : "");
  }
  if (auto skipped = state.skip_if_unchanged(options.force, clock.seconds(),
                                             "tables unchanged: keeping the published warehouse")) {
    return *skipped;
  }
  const fs::path out = lake.warehouse();
  const fs::path tmp = core::temp_path_for(out);
  fs::remove(tmp);
  fs::remove(fs::path(tmp.string() + ".wal"));
  nlohmann::json tables = nlohmann::json::object();
  {
    auto db = duck::Database::open(tmp.string(), options.db_options);
    duck::Connection connection(db);
    for (const auto& [table, path] : warehouse_tables(lake)) {
      create_table(connection, table, path);
      tables[table] =
          connection.query("select count(*) from " + duck::quote_ident(table)).scalar_int64();
    }
    if (tables.contains("churn_predictions")) {
      connection.execute(core::sql_file("features/sql/warehouse/customer_scored.sql"));
      // What a server reads when it opens this snapshot, built once here instead of at every
      // open (at 10M members, from 232M activity rows).
      core::say(kStage, "building the operations' member table");
      const auto views =
          create_staging_views(connection, "customer_loyalty_history", "customer_flight_activity");
      create_ops_tables(connection);
      for (auto it = views.rbegin(); it != views.rend(); ++it) {
        connection.execute("drop view " + duck::quote_ident(*it));
      }
      tables["ops_members"] = connection.query("select count(*) from ops_members").scalar_int64();
    }
    if (!prediction_history_files(lake).empty()) {
      create_prediction_history(connection, lake);
      tables["prediction_history"] =
          connection.query("select count(*) from prediction_history").scalar_int64();
    }
    // The reports the operations show travel inside the warehouse, so that a reader's snapshot
    // is one file: its tables, metrics and ingest report always belong together.
    connection.execute("create table lake_documents (name varchar primary key, content varchar)");
    auto insert = connection.prepare("insert into lake_documents values (?, ?)");
    for (const auto& [name, path] : warehouse_documents(lake)) {
      if (fs::exists(path)) {
        insert.bind(1, name).bind(2, core::read_file(path)).execute();
      }
    }
    tables["lake_documents"] =
        connection.query("select count(*) from lake_documents").scalar_int64();
    connection.execute("checkpoint");
  }  // closed: everything is in the file, no WAL left behind
  core::kill_point("warehouse:written");
  core::publish(tmp, out);
  result.outputs = {out};
  result.summary = {{"path", fs::relative(out, lake.root()).string()}, {"tables", tables}};
  state.record(result.outputs, result.summary);
  result.seconds = clock.seconds();
  core::say(kStage, "{} tables -> {} ({:.2f} s)", tables.size(),
            fs::relative(out, lake.root()).string(), result.seconds);
  return result;
}

}  // namespace aa::features
