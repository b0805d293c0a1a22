#include "cloud/athena.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <nlohmann/json.hpp>
#include <regex>
#include <thread>

#include "core/app_error.h"
#include "core/duck.h"
#include "core/progress.h"
#include "core/reference_aliases.h"
#include "core/sql_files.h"

namespace aa::aws {

namespace {

using nlohmann::json;

struct TableSpec {
  std::string name;
  fs::path file;  // in the local lake
};

std::string relative_to(const core::Lake& lake, const fs::path& file) {
  return fs::relative(file, lake.root()).generic_string();
}

// The reference's aliases of the table's columns (core/reference_aliases.h) as select items.
std::vector<std::string> alias_items(const std::string& table) {
  std::vector<std::string> out;
  for (const auto& a : core::kReferenceAliases) {
    if (table == a.table) {
      out.push_back(fmt::format("{} AS {}", a.column, a.alias));
    }
  }
  return out;
}

// DROP and CREATE EXTERNAL TABLE over the table's Parquet folder. A table with aliases is
// `<name>_parquet`, and `<name>` a view adding the aliases: an external table cannot compute.
void add_table(std::vector<AthenaStatement>& out, duck::Connection& connection,
               const core::Lake& lake, const S3LakeLayout& layout, const std::string& database,
               const TableSpec& table) {
  if (!core::parquet_source_exists(table.file)) {
    core::fail(core::ErrorKind::NotFound,
               "'{}' does not exist: run the pipeline first (its Parquet schema gives the table's "
               "columns)",
               table.file.string());
  }
  auto described = connection.query("describe select * from read_parquet(" +
                                    duck::quote_literal(table.file.string()) + ")");
  std::vector<std::string> columns;
  for (std::size_t r = 0; r < described.row_count(); ++r) {
    columns.push_back(fmt::format("  `{}` {}", described.text(0, r).value_or(""),
                                  athena_type(described.text(1, r).value_or(""))));
  }
  const std::string key = layout.key_for(relative_to(lake, table.file));
  const std::string location = "s3://" + layout.bucket + "/" + key.substr(0, key.rfind('/') + 1);
  const auto aliases = alias_items(table.name);
  const std::string external = aliases.empty() ? table.name : table.name + "_parquet";
  out.push_back({external, fmt::format("DROP TABLE IF EXISTS {}.{}", database, external)});
  out.push_back({external, fmt::format("CREATE EXTERNAL TABLE {}.{} (\n{}\n)\nSTORED AS PARQUET\n"
                                       "LOCATION '{}'",
                                       database, external, fmt::join(columns, ",\n"), location)});
  if (!aliases.empty()) {
    out.push_back(
        {table.name, fmt::format("CREATE OR REPLACE VIEW {0}.{1} AS\nSELECT\n  *,\n  {2}\n"
                                 "FROM {0}.{3}",
                                 database, table.name, fmt::join(aliases, ",\n  "), external)});
  }
}

// The kept scorings as one table partitioned by scored_month (Hive-style folders,
// curated/churn/predictions/scored_month=YYYY-MM/), the months found by partition projection
// (no MSCK REPAIR after each scoring), and churn_predictions as a view of its latest month
// with the reference's aliases. The latest scoring's own file sits in the table's folder but
// outside any partition, so the partitioned table never reads it twice.
void add_prediction_history(std::vector<AthenaStatement>& out, duck::Connection& connection,
                            const core::Lake& lake, const S3LakeLayout& layout,
                            const std::string& database) {
  const fs::path latest = lake.churn_predictions();
  if (!fs::exists(latest)) {
    core::fail(core::ErrorKind::NotFound,
               "'{}' does not exist: run the pipeline first (its Parquet schema gives the table's "
               "columns)",
               latest.string());
  }
  auto described = connection.query("describe select * from read_parquet(" +
                                    duck::quote_literal(latest.string()) + ")");
  std::vector<std::string> columns;
  std::vector<std::string> names;
  for (std::size_t r = 0; r < described.row_count(); ++r) {
    const std::string name = described.text(0, r).value_or("");
    columns.push_back(fmt::format("  `{}` {}", name, athena_type(described.text(1, r).value_or(""))));
    names.push_back(name);
  }
  const std::string first_month =
      connection.query("select strftime(min(scored_at), '%Y-%m') from read_parquet(" +
                       duck::quote_literal(latest.string()) + ")")
          .scalar_text();
  std::string earliest = first_month;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(lake.prediction_history(), ec)) {
    const std::string folder = e.path().filename().string();
    if (e.is_directory() && folder.rfind("scored_month=", 0) == 0) {
      earliest = std::min(earliest, folder.substr(13));
    }
  }
  const std::string key = layout.key_for(relative_to(lake, latest));
  const std::string location = "s3://" + layout.bucket + "/" + key.substr(0, key.rfind('/') + 1);
  out.push_back({"churn_predictions_parquet",
                 fmt::format("DROP TABLE IF EXISTS {}.churn_predictions_parquet", database)});
  out.push_back({"prediction_history",
                 fmt::format("DROP TABLE IF EXISTS {}.prediction_history", database)});
  out.push_back(
      {"prediction_history",
       fmt::format("CREATE EXTERNAL TABLE {}.prediction_history (\n{}\n)\n"
                   "PARTITIONED BY (`scored_month` string)\nSTORED AS PARQUET\nLOCATION '{}'\n"
                   "TBLPROPERTIES (\n  'projection.enabled'='true',\n"
                   "  'projection.scored_month.type'='date',\n"
                   "  'projection.scored_month.format'='yyyy-MM',\n"
                   "  'projection.scored_month.range'='{},NOW',\n"
                   "  'projection.scored_month.interval'='1',\n"
                   "  'projection.scored_month.interval.unit'='MONTHS',\n"
                   "  'storage.location.template'='{}scored_month=${{scored_month}}/'\n)",
                   database, fmt::join(columns, ",\n"), location, earliest, location)});
  std::vector<std::string> items;
  for (const auto& name : names) {
    items.push_back(name);
  }
  for (const auto& alias : alias_items("churn_predictions")) {
    items.push_back(alias);
  }
  out.push_back({"churn_predictions",
                 fmt::format("CREATE OR REPLACE VIEW {0}.churn_predictions AS\nSELECT\n  {1}\n"
                             "FROM {0}.prediction_history\nWHERE scored_month = (SELECT "
                             "max(scored_month) FROM {0}.prediction_history)",
                             database, fmt::join(items, ",\n  "))});
}

}  // namespace

std::string athena_type(const std::string& duckdb_type) {
  static const std::map<std::string, std::string> kTypes = {
      {"BIGINT", "bigint"},       {"INTEGER", "int"},     {"SMALLINT", "smallint"},
      {"TINYINT", "tinyint"},     {"DOUBLE", "double"},   {"FLOAT", "float"},
      {"VARCHAR", "string"},      {"BOOLEAN", "boolean"}, {"DATE", "date"},
      {"TIMESTAMP", "timestamp"}, {"BLOB", "binary"}};
  if (const auto it = kTypes.find(duckdb_type); it != kTypes.end()) {
    return it->second;
  }
  static const std::regex kDecimal(R"(^DECIMAL\((\d+),(\d+)\)$)");
  std::smatch m;
  if (std::regex_match(duckdb_type, m, kDecimal)) {
    return fmt::format("decimal({},{})", m[1].str(), m[2].str());
  }
  core::fail(core::ErrorKind::InvalidInput, "no Athena type for the Parquet column type {}",
             duckdb_type);
}

std::vector<AthenaStatement> athena_ddl(const core::Lake& lake, const S3LakeLayout& layout,
                                        const std::string& database) {
  const std::vector<TableSpec> tables = {
      {"customer_loyalty_history", lake.processed_loyalty()},
      {"customer_flight_activity", lake.processed_activity()},
      {"customer_features", lake.customer_features()},
  };
  std::vector<AthenaStatement> out;
  out.push_back({"database", fmt::format("CREATE DATABASE IF NOT EXISTS {}", database), false});
  auto db = duck::Database::open(":memory:");
  duck::Connection connection(db);
  for (const auto& table : tables) {
    add_table(out, connection, lake, layout, database, table);
  }
  add_prediction_history(out, connection, lake, layout, database);
  for (const char* monitor_table : {"model_health", "model_drift"}) {  // once monitored
    if (fs::exists(lake.monitor_table(monitor_table))) {
      add_table(out, connection, lake, layout, database,
                {monitor_table, lake.monitor_table(monitor_table)});
    }
  }
  // The warehouse's view, with its tables named in the database.
  std::string view = core::sql_file("features/sql/warehouse/customer_scored.sql");
  const auto replace = [&](const std::string& from, const std::string& to) {
    const auto pos = view.find(from);
    if (pos == std::string::npos) {
      core::fail(core::ErrorKind::InvalidInput, "customer_scored.sql no longer contains '{}'",
                 from);
    }
    view.replace(pos, from.size(), to);
  };
  replace("create or replace view customer_scored",
          fmt::format("create or replace view {}.customer_scored", database));
  replace("from customer_features", fmt::format("from {}.customer_features", database));
  replace("from churn_predictions", fmt::format("from {}.churn_predictions", database));
  while (!view.empty() &&
         (std::isspace(static_cast<unsigned char>(view.back())) != 0 || view.back() == ';')) {
    view.pop_back();
  }
  out.push_back({"customer_scored", view});
  return out;
}

std::vector<AthenaRun> athena_execute(const AwsContext& context,
                                      const std::vector<AthenaStatement>& statements,
                                      const std::string& database,
                                      const std::string& output_location, double poll_seconds,
                                      double timeout_seconds) {
  std::vector<AthenaRun> runs;
  for (const auto& statement : statements) {
    const core::Stopwatch clock;
    json request = {{"QueryString", statement.sql},
                    {"ResultConfiguration", {{"OutputLocation", output_location}}},
                    {"WorkGroup", context.cloud.athena_workgroup}};
    if (statement.uses_database) {
      request["QueryExecutionContext"] = {{"Database", database}};
    }
    const auto started = json::parse(
        json_call(context, "athena", "AmazonAthena.StartQueryExecution", request.dump()), nullptr,
        false);
    if (!started.is_object() || !started.contains("QueryExecutionId")) {
      core::fail(core::ErrorKind::Io,
                 "Athena StartQueryExecution for {}: no QueryExecutionId in the answer",
                 statement.name);
    }
    AthenaRun run{statement.name, started["QueryExecutionId"].get<std::string>(), "", 0};
    while (true) {
      const auto answer =
          json::parse(json_call(context, "athena", "AmazonAthena.GetQueryExecution",
                                json{{"QueryExecutionId", run.query_execution_id}}.dump()),
                      nullptr, false);
      const json status =
          answer.is_object()
              ? answer.value("QueryExecution", json::object()).value("Status", json::object())
              : json::object();
      run.state = status.value("State", "");
      if (run.state == "SUCCEEDED") {
        break;
      }
      if (run.state == "FAILED" || run.state == "CANCELLED") {
        core::fail(core::ErrorKind::Io, "Athena query {} ({}) {}: {}", run.query_execution_id,
                   statement.name, run.state, status.value("StateChangeReason", "no reason given"));
      }
      if (run.state != "QUEUED" && run.state != "RUNNING") {
        core::fail(core::ErrorKind::Io, "Athena GetQueryExecution {}: unexpected state '{}'",
                   run.query_execution_id, run.state);
      }
      if (clock.seconds() > timeout_seconds) {
        core::fail(core::ErrorKind::Io, "Athena query {} ({}) still {} after {:.0f} s",
                   run.query_execution_id, statement.name, run.state, timeout_seconds);
      }
      std::this_thread::sleep_for(std::chrono::duration<double>(poll_seconds));
    }
    run.seconds = clock.seconds();
    core::say("athena", "{}: {} ({}, {:.1f} s)", statement.name, run.state, run.query_execution_id,
              run.seconds);
    runs.push_back(run);
  }
  return runs;
}

}  // namespace aa::aws
