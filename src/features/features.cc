#include "features/features.h"

#include <fmt/format.h>

#include "core/app_error.h"
#include "core/files.h"
#include "core/progress.h"
#include "core/sql_files.h"
#include "features/sql_runner.h"

namespace aa::features {

namespace {
constexpr const char* kStage = "features";

// "name type, name type, ..." of a relation, from DuckDB's describe.
std::vector<std::pair<std::string, std::string>> columns_of(duck::Connection& connection,
                                                            const std::string& relation) {
  auto described = connection.query("describe " + relation);
  std::vector<std::pair<std::string, std::string>> columns;
  for (std::size_t r = 0; r < described.row_count(); ++r) {
    columns.emplace_back(described.text(0, r).value_or(""), described.text(1, r).value_or(""));
  }
  return columns;
}

// Runs the models on Spark, then makes `customer_features` on `connection` a table of the rows
// Spark wrote, after checking that Spark's columns and types are the DuckDB models' own.
void read_back_from_spark(duck::Connection& connection, const core::Lake& lake,
                          const SparkOptions& options) {
  const fs::path work = lake.work_dir() / "spark";
  fs::remove_all(work);
  fs::create_directories(work);
  const fs::path out_dir = work / "customer_features";
  const fs::path script = work / "customer_features.sql";
  core::write_file_atomic(
      script,
      spark_features_script(feature_models(), spark_location(lake.processed_loyalty().string()),
                            spark_location(lake.processed_activity().string()),
                            spark_location(out_dir.string())));
  run_spark_sql(options, script, work);
  if (!fs::exists(out_dir / "_SUCCESS")) {
    core::fail(core::ErrorKind::Database,
               "spark-sql exited normally but '{}' has no _SUCCESS marker", out_dir.string());
  }

  // The schema the DuckDB models give (views only: nothing is computed).
  SqlRunner runner(connection);
  for (const auto& model : feature_models()) {
    runner.run(model, Materialization::View);
  }
  const auto expected = columns_of(connection, "customer_features");
  connection.execute("drop view customer_features");
  const std::string parts = duck::quote_literal((out_dir / "*.parquet").string());
  connection.execute("create view spark_customer_features as select * from read_parquet(" + parts +
                     ")");
  const auto got = columns_of(connection, "spark_customer_features");
  if (got != expected) {
    std::vector<std::string> want_text;
    std::vector<std::string> got_text;
    for (const auto& [n, t] : expected) {
      want_text.push_back(n + " " + t);
    }
    for (const auto& [n, t] : got) {
      got_text.push_back(n + " " + t);
    }
    core::fail(
        core::ErrorKind::Database,
        "Spark's customer_features in '{}' does not have the models' columns:\n  Spark:  {}\n"
        "  DuckDB: {}",
        out_dir.string(), fmt::join(got_text, ", "), fmt::join(want_text, ", "));
  }
  connection.execute("create table customer_features as select * from spark_customer_features");
}

}  // namespace

const std::vector<std::string>& feature_models() {
  static const std::vector<std::string> models = {
      "features/sql/staging/stg_customer_loyalty_history.sql",
      "features/sql/staging/stg_customer_flight_activity.sql",
      "features/sql/marts/customer_features.sql",
  };
  return models;
}

void bind_feature_sources(duck::Connection& connection, const core::Lake& lake) {
  SqlRunner runner(connection);
  runner.bind_parquet("src_customer_loyalty_history", lake.processed_loyalty());
  runner.bind_parquet("src_customer_flight_activity", lake.processed_activity());
}

core::StageResult build_customer_features(const core::Lake& lake, const StageOptions& options,
                                          const EngineChoice& engine) {
  const core::Stopwatch clock;
  core::StageResult result;
  for (const auto& input : {lake.processed_loyalty(), lake.processed_activity()}) {
    if (!core::parquet_source_exists(input)) {
      core::fail(core::ErrorKind::NotFound,
                 "'{}' does not exist; run `airline-analytics ingest` first", input.string());
    }
  }
  core::StageState state(lake, kStage);
  state.add_input("processed_loyalty_sha256", core::sha256_file(lake.processed_loyalty()).sha256);
  state.add_input("processed_activity_sha256",
                  core::sha256_file(lake.processed_activity_index()).sha256);
  for (const auto& model : feature_models()) {
    state.add_input(model, core::sha256_text(core::sql_file(model)));
  }
  state.add_input("engine", to_string(engine.engine));
  if (auto skipped = state.skip_if_unchanged(
          options.force, clock.seconds(),
          "inputs and models unchanged: keeping the published customer features")) {
    return *skipped;
  }

  lake.create();
  auto db = duck::Database::open(":memory:", options.db_options);
  duck::Connection connection(db);
  bind_feature_sources(connection, lake);
  if (engine.engine == SqlEngine::Spark) {
    read_back_from_spark(connection, lake, engine.spark);
  } else {
    SqlRunner runner(connection);
    for (const auto& model : feature_models()) {
      const bool mart = model.find("/marts/") != std::string::npos;
      runner.run(model, mart ? Materialization::Table : Materialization::View);
    }
  }
  const fs::path out = lake.customer_features();
  fs::create_directories(out.parent_path());
  const fs::path tmp = core::temp_path_for(out);
  connection.execute("copy (select * from customer_features order by loyalty_number) to " +
                     duck::quote_literal(tmp.string()) +
                     " (format parquet, compression zstd, row_group_size 122880)");
  auto segments = connection.query(
      "select rfm_segment, count(*) from customer_features group by rfm_segment order by 2 desc");
  nlohmann::json by_segment = nlohmann::json::object();
  std::int64_t members = 0;
  for (std::size_t r = 0; r < segments.row_count(); ++r) {
    by_segment[segments.text(0, r).value_or("")] = segments.int64(1, r);
    members += segments.int64(1, r);
  }
  core::kill_point("features:written");
  core::publish(tmp, out);
  result.outputs = {out};
  result.summary = {{"members", members},
                    {"segments", by_segment},
                    {"path", fs::relative(out, lake.root()).string()}};
  state.record(result.outputs, result.summary);
  result.seconds = clock.seconds();
  core::say(kStage, "{} members -> {} ({:.2f} s)", core::with_commas(members),
            fs::relative(out, lake.root()).string(), result.seconds);
  return result;
}

}  // namespace aa::features
