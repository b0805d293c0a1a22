#include "ops/ops_context.h"

#include <fmt/format.h>

#include <cmath>

#include "core/app_error.h"
#include "core/files.h"
#include "core/member_catalogue.h"
#include "core/sql_files.h"
#include "features/features.h"
#include "features/sql_runner.h"
#include "features/warehouse.h"
#include "model/score_stage.h"

namespace aa::ops {

namespace {

nlohmann::json parse_document(const std::map<std::string, std::string>& documents,
                              const std::string& name) {
  const auto it = documents.find(name);
  if (it == documents.end()) {
    return nullptr;
  }
  try {
    return nlohmann::json::parse(it->second);
  } catch (const nlohmann::json::exception& e) {
    core::fail(core::ErrorKind::InvalidInput, "the warehouse's {} is not valid JSON: {}", name,
               e.what());
  }
}

nlohmann::json cell(duck::Result& result, std::size_t col, std::size_t row) {
  if (result.is_null(col, row)) {
    return nullptr;
  }
  switch (result.column_type(col)) {
    case DUCKDB_TYPE_BOOLEAN:
      return result.boolean(col, row);
    case DUCKDB_TYPE_TINYINT:
    case DUCKDB_TYPE_SMALLINT:
    case DUCKDB_TYPE_INTEGER:
    case DUCKDB_TYPE_BIGINT:
    case DUCKDB_TYPE_UTINYINT:
    case DUCKDB_TYPE_USMALLINT:
    case DUCKDB_TYPE_UINTEGER:
    case DUCKDB_TYPE_UBIGINT:
    case DUCKDB_TYPE_HUGEINT:
      return result.int64(col, row);
    case DUCKDB_TYPE_FLOAT:
    case DUCKDB_TYPE_DOUBLE:
    case DUCKDB_TYPE_DECIMAL: {
      const double v = result.float64(col, row);
      return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr);
    }
    default:
      return result.text(col, row).value_or("");
  }
}

std::vector<std::string> distinct_values(duck::Connection& connection, const std::string& table,
                                         const char* column) {
  const std::string text = std::string(column) + "::varchar";
  auto result = connection.query("select distinct " + text + " from " + table + " where " + text +
                                 " is not null and " + text + " <> '' order by 1");
  std::vector<std::string> out;
  for (std::size_t r = 0; r < result.row_count(); ++r) {
    out.push_back(result.text(0, r).value_or(""));
  }
  return out;
}

}  // namespace

nlohmann::json to_json_rows(duck::Result& result) {
  nlohmann::json rows = nlohmann::json::array();
  const std::size_t cols = result.column_count();
  for (std::size_t r = 0; r < result.row_count(); ++r) {
    nlohmann::json row = nlohmann::json::object();
    for (std::size_t c = 0; c < cols; ++c) {
      row[result.column_name(c)] = cell(result, c, r);
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

OpsContext::OpsContext(core::Lake lake, duck::Database db)
    : lake_(std::move(lake)), db_(std::move(db)), connection_(db_) {}

std::unique_ptr<OpsContext> OpsContext::open(const core::Lake& lake, const duck::Options& options) {
  if (!fs::exists(lake.warehouse())) {
    core::fail(core::ErrorKind::NotFound, "'{}' does not exist; run `airline-analytics run` first",
               lake.warehouse().string());
  }
  std::unique_ptr<OpsContext> context(new OpsContext(lake, duck::Database::open("", options)));
  context->load();
  return context;
}

void OpsContext::load() {
  connection_.execute("attach " + duck::quote_literal(lake_.warehouse().string()) +
                      " as wh (read_only)");
  const auto has_view =
      connection_
          .query(
              "select count(*) from duckdb_views() where database_name = 'wh' and view_name = "
              "'customer_scored'")
          .scalar_int64();
  if (has_view == 0) {
    core::fail(core::ErrorKind::NotFound,
               "the warehouse '{}' has no churn predictions (view customer_scored); run "
               "`airline-analytics run` first",
               lake_.warehouse().string());
  }
  // The staged models over the warehouse's processed tables: ops_members.sql and the
  // operations read the month indexes staging derives, and never derive their own.
  features::create_staging_views(connection_, "wh.customer_loyalty_history",
                                 "wh.customer_flight_activity");
  // The operations' tables: built by the warehouse stage; a warehouse from before that (or one
  // written by hand) gets them here, in memory, from the same models.
  std::string members = "wh.ops_members";
  std::string window = "wh.ops_activity_window";
  const bool prebuilt =
      connection_
          .query(
              "select count(*) from duckdb_tables() where database_name = 'wh' and table_name in "
              "('ops_members', 'ops_activity_window')")
          .scalar_int64() == 2;
  if (!prebuilt) {
    for (const char* mart : {"customer_features", "churn_predictions", "customer_scored"}) {
      connection_.execute(fmt::format("create view {0} as select * from wh.{0}", mart));
    }
    features::create_ops_tables(connection_);
    members = "ops_members";
    window = "ops_activity_window";
  }
  auto bounds = connection_.query(
      "select first_month_index, last_month_index, "
      "mask_first_month_index from " +
      window);
  first_month_index_ = static_cast<int>(bounds.int64(0, 0));
  last_month_index_ = static_cast<int>(bounds.int64(1, 0));
  mask_first_month_index_ = static_cast<int>(bounds.int64(2, 0));
  // Segments and risk tiers are fixed vocabularies; every other categorical filter of the
  // member catalogue takes the values in the data.
  domains_.rfm_segment = segment_vocabulary();
  domains_.risk_tier = risk_tier_vocabulary();
  for (const core::MemberAttribute* a : core::filterable_attributes()) {
    if (a->type == core::AttributeType::Category && domains_.of(a->name).empty()) {
      domains_.of(a->name) = distinct_values(connection_, members, a->name.c_str());
    }
  }
  auto columns = connection_.query(
      "select column_name from duckdb_columns() where table_name = 'ops_members' and "
      "database_name = " +
      std::string(prebuilt ? "'wh'" : "current_database()") + " order by column_index");
  const std::string prefix = model::kContributionPrefix;
  for (std::size_t r = 0; r < columns.row_count(); ++r) {
    const std::string name = columns.text(0, r).value_or("");
    if (name.rfind(prefix, 0) == 0) {
      contribution_features_.push_back(name.substr(prefix.size()));
    }
  }
  const std::string limit =
      connection_.query("select current_setting('memory_limit')").scalar_text();
  if (prebuilt) {
    // A scan of the warehouse's table needs few blocks at a time (one row group's columns per
    // thread): a small buffer pool keeps DuckDB from caching the whole table beside the frame
    // while it loads (at 10M members, 1.8 GB), which matters most when a republished snapshot
    // loads beside the one serving.
    connection_.execute("set memory_limit = '256MB'");
  }
  frame_ = MemberFrame::load(connection_, members, contribution_features_);
  if (!prebuilt) {
    // Everything the operations read is in the frame now; the table would only double the
    // memory (customer_profile reads one member's row from the warehouse).
    connection_.execute("drop table ops_members");
  }
  release_buffers(limit);
  // The metrics, model card and ingest report of this warehouse (lake_documents), so that they
  // match its tables even while the pipeline is publishing new ones; a warehouse from before
  // that table existed falls back to the lake's files.
  std::map<std::string, std::string> documents;
  if (connection_
          .query("select count(*) from duckdb_tables() where database_name = 'wh' and "
                 "table_name = 'lake_documents'")
          .scalar_int64() > 0) {
    auto stored = connection_.query("select name, content from wh.lake_documents");
    for (std::size_t r = 0; r < stored.row_count(); ++r) {
      documents[stored.text(0, r).value_or("")] = stored.text(1, r).value_or("");
    }
  } else {
    for (const auto& [name, path] : features::warehouse_documents(lake_)) {
      if (fs::exists(path)) {
        documents[name] = core::read_file(path);
      }
    }
  }
  metrics_ = parse_document(documents, "metrics.json");
  ingest_report_ = parse_document(documents, "ingest.json");
  monitor_report_ = parse_document(documents, "monitor.json");
  if (const auto card = documents.find("model_card.md"); card != documents.end()) {
    model_card_ = card->second;
  }
  // From here on the connection reads the attached warehouse and nothing else: no files
  // (read_csv, COPY), no ATTACH, no extensions, and no setting can undo that.
  connection_.execute("set enable_external_access = false");
  connection_.execute("set lock_configuration = true");
}

void OpsContext::release_buffers(const std::string& limit) {
  // The frame's scan left the warehouse's blocks in DuckDB's buffer pool, as much again as the
  // frame at 10M members. A lower limit makes DuckDB evict every block nothing holds; then the
  // limit (`limit`) is restored. If DuckDB cannot go that low (blocks in use), it keeps them:
  // the operations answer the same either way.
  try {
    connection_.execute("set memory_limit = '16MB'");
  } catch (const core::AppError&) {
  }
  connection_.execute("set memory_limit = " + duck::quote_literal(limit));
}

nlohmann::json OpsContext::rows(const SqlPart& sql) {
  const std::lock_guard<std::mutex> lock(mutex_);
  auto it = statements_.find(sql.text);
  if (it == statements_.end()) {
    it = statements_.emplace(sql.text, connection_.prepare(sql.text)).first;
  }
  auto& statement = it->second;
  for (std::size_t i = 0; i < sql.values.size(); ++i) {
    std::visit([&](const auto& v) { statement.bind(i + 1, v); }, sql.values[i]);
  }
  auto result = statement.execute();
  return to_json_rows(result);
}

nlohmann::json OpsContext::row(const SqlPart& sql) {
  auto all = rows(sql);
  if (all.size() != 1) {
    throw std::logic_error("expected one row, got " + std::to_string(all.size()));
  }
  return all.at(0);
}

}  // namespace aa::ops
