#pragma once
// Athena over the S3 lake: the database, external tables over the lake's Parquet folders
// (LOCATION from the configuration: the lake's s3:// URI, or S3_BUCKET with the zone prefixes),
// and the customer_scored view. Column types come from the Parquet files themselves. The
// reference's column names are kept as aliases (core/reference_aliases.h): churn_predictions is
// a view adding priority_score over the external table churn_predictions_parquet. The
// statements can be printed or run through the Athena API (StartQueryExecution, then
// GetQueryExecution until the query ends), signed with SigV4.

#include <filesystem>
#include <string>
#include <vector>

#include "cloud/aws.h"
#include "cloud/s3_lake.h"
#include "core/lake.h"

namespace aa::aws {

struct AthenaStatement {
  std::string name;           // "database", a table's name, or the view's
  std::string sql;            // without a trailing ';'
  bool uses_database = true;  // runs with the database as its context
};

// A DuckDB column type (from describe) as an Athena / Hive DDL type; AppError for a type
// Athena cannot read from Parquet.
std::string athena_type(const std::string& duckdb_type);

// The statements for the lake at `lake` (its Parquet files give the columns) whose files sit in
// S3 at `layout`.
std::vector<AthenaStatement> athena_ddl(const core::Lake& lake, const S3LakeLayout& layout,
                                        const std::string& database);

struct AthenaRun {
  std::string statement;  // name
  std::string query_execution_id;
  std::string state;  // SUCCEEDED (anything else is an error)
  double seconds = 0;
};

// Runs the statements in order; stops with AppError at the first that does not succeed (its
// state and reason). Results go to `output_location` (s3://bucket/ATHENA_RESULTS_PREFIX).
std::vector<AthenaRun> athena_execute(const AwsContext& context,
                                      const std::vector<AthenaStatement>& statements,
                                      const std::string& database,
                                      const std::string& output_location, double poll_seconds = 1.0,
                                      double timeout_seconds = 600);

}  // namespace aa::aws
