#include "cli/cli_common.h"
#include "ingest/ingest.h"

namespace aa::cli {

void register_ingest(CLI::App& app) {
  auto* cmd = app.add_subcommand(
      "ingest",
      "Validate the raw CSVs into typed Parquet (processed/), with quarantine and report");
  auto options = std::make_shared<CommonOptions>();
  add_common_options(*cmd, *options, true);
  cmd->callback([options] {
    const LakeSession session(*options);
    const auto result = ingest::ingest(
        session.lake(), {session.config().raw_dir, session.db_options(), options->force});
    session.finish();
    if (options->json) {
      print_json({{"stage", "ingest"},
                  {"skipped", result.skipped},
                  {"seconds", result.seconds},
                  {"report", result.summary}});
    }
  });
}

}  // namespace aa::cli
