#include "cli/cli_common.h"
#include "core/app_error.h"
#include "features/features.h"
#include "features/warehouse.h"

namespace aa::cli {

void add_engine_options(CLI::App& command, EngineOptions& options) {
  command
      .add_option("--engine", options.engine,
                  "Engine for the feature models: duckdb (embedded) or spark (spark-sql over the "
                  "lake's Parquet; docs/scale-out.md)")
      ->default_val("duckdb")
      ->check(CLI::IsMember({"duckdb", "spark"}));
  command.add_option("--spark-sql", options.spark_sql,
                     "spark-sql launcher for --engine spark (default: $SPARK_HOME/bin/spark-sql, "
                     "else spark-sql on PATH)");
  command.add_option("--master", options.master,
                     "Spark master for --engine spark (local[2], yarn, spark://host:7077; "
                     "default: Spark's own configuration)");
}

features::EngineChoice engine_choice(const EngineOptions& options) {
  features::EngineChoice choice;
  choice.engine = features::parse_sql_engine(options.engine);
  choice.spark.spark_sql = options.spark_sql;
  choice.spark.master = options.master;
  if (choice.engine != features::SqlEngine::Spark &&
      (!options.spark_sql.empty() || !options.master.empty())) {
    core::fail(core::ErrorKind::InvalidInput,
               "--spark-sql and --master apply to --engine spark only");
  }
  return choice;
}

void register_features(CLI::App& app) {
  auto* cmd = app.add_subcommand(
      "features", "Build curated customer features (RFM, tenure) and refresh the warehouse");
  auto options = std::make_shared<CommonOptions>();
  add_common_options(*cmd, *options, false);
  cmd->add_flag("--force", options->force, "Rebuild even when the inputs are unchanged");
  auto engine = std::make_shared<EngineOptions>();
  add_engine_options(*cmd, *engine);
  auto no_warehouse = std::make_shared<bool>(false);
  cmd->add_flag("--no-warehouse", *no_warehouse,
                "Only the customer features file; leave the warehouse as it is");
  cmd->callback([options, engine, no_warehouse] {
    const LakeSession session(*options);
    const features::StageOptions stage{session.db_options(), options->force};
    const auto features =
        features::build_customer_features(session.lake(), stage, engine_choice(*engine));
    if (*no_warehouse) {
      session.finish();
      if (options->json) {
        print_json({{"stage", "features"},
                    {"skipped", features.skipped},
                    {"seconds", features.seconds},
                    {"features", features.summary}});
      }
      return;
    }
    const auto warehouse = features::build_warehouse(session.lake(), stage);
    session.finish();
    if (options->json) {
      print_json({{"stage", "features"},
                  {"skipped", features.skipped},
                  {"seconds", features.seconds + warehouse.seconds},
                  {"features", features.summary},
                  {"warehouse", warehouse.summary}});
    }
  });
}

}  // namespace aa::cli
