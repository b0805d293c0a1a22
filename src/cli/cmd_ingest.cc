#include "cli/cli_common.h"
#include "ingest/ingest.h"

namespace aa::cli {

void register_ingest(CLI::App& app) {
  auto* cmd = app.add_subcommand(
      "ingest", "Validate the raw CSVs into typed Parquet (processed/), with quarantine and report");
  auto options = std::make_shared<CommonOptions>();
  add_common_options(*cmd, *options, true);
  cmd->callback([options] {
    const Config config = resolve_config(*options);
    const Lake lake(config.lake);
    lake.create();
    const LakeLock lock(lake);
    lake.remove_stale_temp_files();
    const auto result =
        ingest(lake, {config.raw_dir, pipeline_db_options(config, lake), options->force});
    if (options->json) {
      print_json({{"stage", "ingest"},
                  {"skipped", result.skipped},
                  {"seconds", result.seconds},
                  {"report", result.summary}});
    }
  });
}

}  // namespace aa::cli
