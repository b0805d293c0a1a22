#pragma once
// The features stage on Spark: the same model files (features/sql/), rendered for Spark SQL by
// features/dialect.h, run by the user's `spark-sql` over the lake's processed Parquet files.
// Spark writes Parquet part files into a work folder; the features stage reads them back,
// checks their schema against the DuckDB models' and publishes the lake's one
// customer_features file, so training and scoring (one machine) read the same file either way.
//
// This is the one place in the product that starts a process: `spark-sql`, by argv (no shell),
// from the batch `features` / `run` commands only. The server and the analyst never reach it.

#include <filesystem>
#include <string>
#include <vector>

namespace aa {
namespace fs = std::filesystem;
}  // namespace aa

namespace aa::features {

struct SparkOptions {
  // The spark-sql launcher; empty: $SPARK_HOME/bin/spark-sql if SPARK_HOME is set, else
  // `spark-sql` on PATH.
  std::string spark_sql;
  // --master for spark-sql (local[2], yarn, spark://host:7077); empty: Spark's own default
  // (spark-defaults.conf on a cluster, local[*] otherwise).
  std::string master;
};

// A location Spark reads or writes: "file:/abs/path" for a local path, an s3a:// or other
// URI unchanged.
std::string spark_location(const std::string& path);

// The Spark SQL script that runs `models` (paths of embedded model files, in order) over the
// two processed tables and writes the last model's rows as Parquet into `out_location`.
std::string spark_features_script(const std::vector<std::string>& models,
                                  const std::string& loyalty_location,
                                  const std::string& activity_location,
                                  const std::string& out_location);

// The launcher's command line for `script` (without running it).
std::vector<std::string> spark_sql_command(const SparkOptions& options, const fs::path& script,
                                           const fs::path& work_dir);

// Runs `script` with spark-sql in `work_dir` (its log: work_dir/spark-sql.log). Reports
// progress while it runs; AppError naming the log and its last error lines if spark-sql cannot
// be started or exits non-zero.
void run_spark_sql(const SparkOptions& options, const fs::path& script, const fs::path& work_dir);

}  // namespace aa::features
