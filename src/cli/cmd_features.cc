#include "cli/cli_common.h"
#include "features/features.h"
#include "features/warehouse.h"

namespace aa::cli {

void register_features(CLI::App& app) {
  auto* cmd = app.add_subcommand(
      "features", "Build curated customer features (RFM, tenure) and refresh the warehouse");
  auto options = std::make_shared<CommonOptions>();
  add_common_options(*cmd, *options, false);
  cmd->add_flag("--force", options->force, "Rebuild even when the inputs are unchanged");
  auto no_warehouse = std::make_shared<bool>(false);
  cmd->add_flag("--no-warehouse", *no_warehouse,
                "Only the customer features file; leave the warehouse as it is");
  cmd->callback([options, no_warehouse] {
    const LakeSession session(*options);
    const StageOptions stage{session.db_options(), options->force};
    const auto features = build_customer_features(session.lake(), stage);
    if (*no_warehouse) {
      if (options->json) {
        print_json({{"stage", "features"},
                    {"skipped", features.skipped},
                    {"seconds", features.seconds},
                    {"features", features.summary}});
      }
      return;
    }
    const auto warehouse = build_warehouse(session.lake(), stage);
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
