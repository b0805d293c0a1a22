#include "cli/monthly_options.h"

namespace aa::cli {

void add_retrain_options(CLI::App& command, RetrainOptions& options) {
  command
      .add_option("--retrain-months", options.retrain_months,
                  "Retrain when the model is this many months older than the data (0: at every "
                  "new export); a monitor alert or --retrain also retrains")
      ->default_val(monitor::kDefaultRetrainMonths)
      ->check(CLI::Range(0, 120));
  command.add_flag("--retrain", options.retrain, "Retrain the model now, whatever its age");
}

monitor::MonthlyOptions monthly_options(const LakeSession& session, const CommonOptions& common,
                                        const ModelOptions& model,
                                        const features::EngineChoice& engine,
                                        const RetrainOptions& retrain, const fs::path& raw_dir) {
  monitor::MonthlyOptions out;
  out.ingest = {raw_dir, session.db_options(), common.force};
  out.stage = {session.db_options(), common.force};
  out.engine = engine;
  out.train = train_options(session, model, common.force || retrain.retrain);
  out.monitor = {out.stage, model.bootstrap_resamples, model.seed};
  out.retrain_months = retrain.retrain_months;
  out.retrain = retrain.retrain;
  return out;
}

}  // namespace aa::cli
