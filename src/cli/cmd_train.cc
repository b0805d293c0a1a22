#include "cli/cli_common.h"
#include "features/warehouse.h"
#include "model/score_stage.h"
#include "model/train_stage.h"

namespace aa::cli {

void add_model_options(CLI::App& command, ModelOptions& options) {
  command.add_option("--seed", options.seed, "Seed for the model, its hold-out and the bootstrap")
      ->default_val(42);
  command
      .add_option("--bootstrap", options.bootstrap_resamples,
                  "Bootstrap resamples for the 95% intervals")
      ->default_val(200)
      ->check(CLI::Range(20, 100000));
  command
      .add_option("--calibration", options.calibration,
                  "Probability calibration; auto: Platt or isotonic, chosen on the validation "
                  "cutoff before the first test cutoff")
      ->default_val("auto")
      ->check(CLI::IsMember({"auto", "isotonic", "platt"}));
  command
      .add_option("--scale-pos-weight", options.scale_pos_weight,
                  "XGBoost class weight for cancellations (1: none; calibration follows); "
                  "without it, 1 or 10 is chosen on the validation cutoff")
      ->check(CLI::Range(0.01, 1000.0));
  command
      .add_option("--max-train-members", options.max_training_members,
                  "Train on a stratified sample of this many members when there are more "
                  "(0: all); scoring covers every member")
      ->default_val(model::kDefaultMaxTrainingMembers)
      ->check(CLI::Range(std::int64_t{0}, std::int64_t{1} << 40));
}

model::TrainOptions train_options(const LakeSession& session, const ModelOptions& m, bool force) {
  model::TrainOptions options;
  options.stage = {session.db_options(), force};
  options.settings.seed = m.seed;
  options.settings.params.seed = m.seed;
  options.settings.params.threads = session.config().threads;
  options.settings.bootstrap_resamples = m.bootstrap_resamples;
  options.max_training_members = m.max_training_members;
  if (m.scale_pos_weight > 0) {
    options.fixed.scale_pos_weight = m.scale_pos_weight;
  }
  if (m.calibration != "auto") {
    options.fixed.calibration = m.calibration == "platt" ? model::Calibrator::Method::Platt
                                                         : model::Calibrator::Method::Isotonic;
  }
  return options;
}

void register_train(CLI::App& app) {
  auto* cmd = app.add_subcommand(
      "train",
      "Backtest the churn model out of time against its baselines and the reference's leaky "
      "protocol, then train the production model into curated/churn/artifacts/");
  auto options = std::make_shared<CommonOptions>();
  auto model = std::make_shared<ModelOptions>();
  add_common_options(*cmd, *options, false);
  add_model_options(*cmd, *model);
  cmd->add_flag("--force", options->force, "Retrain even when the inputs are unchanged");
  cmd->callback([options, model] {
    const LakeSession session(*options);
    const auto trained =
        model::train_churn(session.lake(), train_options(session, *model, options->force));
    session.finish();
    if (options->json) {
      print_json({{"stage", "train"},
                  {"skipped", trained.skipped},
                  {"seconds", trained.seconds},
                  {"summary", trained.summary}});
    }
  });
}

void register_score(CLI::App& app) {
  auto* cmd = app.add_subcommand(
      "score",
      "Score every member active in the last month with the trained model: "
      "curated/churn/predictions/predictions.parquet, and refresh the warehouse");
  auto options = std::make_shared<CommonOptions>();
  add_common_options(*cmd, *options, false);
  cmd->add_flag("--force", options->force, "Rescore even when the inputs are unchanged");
  auto batch = std::make_shared<std::int64_t>(model::kScoreBatchMembers);
  cmd->add_option("--batch-members", *batch,
                  "Members scored at a time (memory; the predictions do not depend on it)")
      ->default_val(model::kScoreBatchMembers)
      ->check(CLI::Range(std::int64_t{1}, std::int64_t{1} << 40));
  auto reasons = std::make_shared<std::string>("auto");
  cmd->add_option("--reasons", *reasons,
                  "Per-member reasons: exact (TreeSHAP), approximate (Saabas; as fast as a "
                  "prediction), or auto (exact up to 2,000,000 members of depth-3 trees, half as many "
                  "per extra level)")
      ->check(CLI::IsMember({"auto", "exact", "approximate"}));
  cmd->callback([options, batch, reasons] {
    const LakeSession session(*options);
    const features::StageOptions stage{session.db_options(), options->force};
    const auto scored =
        model::score_churn(session.lake(), stage, *batch, model::reasons_method_from(*reasons));
    const auto warehouse = features::build_warehouse(session.lake(), stage);
    session.finish();
    if (options->json) {
      print_json({{"stage", "score"},
                  {"skipped", scored.skipped},
                  {"seconds", scored.seconds + warehouse.seconds},
                  {"summary", scored.summary},
                  {"warehouse", warehouse.summary}});
    }
  });
}

}  // namespace aa::cli
