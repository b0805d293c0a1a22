#pragma once
// The warehouse stage: a DuckDB database file with the lake's tables, built beside the
// published one and renamed into place, so that readers keep the previous complete version.

#include "core/lake.h"
#include "core/stage_state.h"
#include "features/features.h"

namespace aa::features {

// Tables of the warehouse and the Parquet file each is loaded from.
std::vector<std::pair<std::string, fs::path>> warehouse_tables(const core::Lake& lake);

// The kept scorings' files (curated/churn/predictions/scored_month=*/predictions.parquet),
// loaded as the table prediction_history.
std::vector<fs::path> prediction_history_files(const core::Lake& lake);

// Documents stored in the warehouse's lake_documents table (name, content): the churn
// metrics, the model card, the ingest report and the monitor's report, each when it exists.
std::vector<std::pair<std::string, fs::path>> warehouse_documents(const core::Lake& lake);

// The staged models (features/sql/staging) as views over the processed tables `loyalty` and
// `activity` (tables or views, qualified names allowed), with the src_ views they read; returns
// the views' names, in the order they were created.
std::vector<std::string> create_staging_views(duck::Connection& connection,
                                              const std::string& loyalty,
                                              const std::string& activity);
// The operations' tables (src/ops/sql/ops_members.sql): ops_activity_window and ops_members,
// created in the connection's current database from the staged views and its
// customer_features, churn_predictions and customer_scored.
void create_ops_tables(duck::Connection& connection);
// The SQL behind those tables, for a stage's inputs: a change rebuilds them.
std::string ops_tables_sql();

core::StageResult build_warehouse(const core::Lake& lake, const StageOptions& options);

}  // namespace aa::features
