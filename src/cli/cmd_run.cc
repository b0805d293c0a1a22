#include "cli/cli_common.h"
#include "core/progress.h"
#include "features/features.h"
#include "features/warehouse.h"
#include "ingest/ingest.h"
#include "model/score_stage.h"
#include "model/train_stage.h"

namespace aa::cli {

namespace {

nlohmann::json stage_json(const StageResult& r) {
  return {{"skipped", r.skipped}, {"seconds", r.seconds}, {"summary", r.summary}};
}

void print_summary(const Lake& lake, const nlohmann::json& features, const nlohmann::json& trained,
                   const nlohmann::json& scored, const std::vector<fs::path>& files,
                   double seconds) {
  say("run", "done in {:.2f} s: {} members", seconds,
      with_commas(features.value("members", std::int64_t{0})));
  if (features.contains("segments")) {
    for (const auto& [segment, count] : features["segments"].items()) {
      say("run", "  {:<10} {:>12}", segment, with_commas(count.get<std::int64_t>()));
    }
  }
  if (trained.contains("roc_auc") && scored.contains("members_scored")) {
    say("run", "churn model: out-of-time ROC AUC {:.3f} (the reference's leaky protocol: {:.3f})",
        trained["roc_auc"].get<double>(), trained["leaky_roc_auc"].get<double>());
    if (trained.contains("signal") && trained["signal"].is_string()) {
      say("run", "  {}", trained["signal"].get<std::string>());
    }
    const auto& tiers = scored["risk_tiers"];
    say("run", "  {} members scored at {}: {} high, {} medium, {} low risk; CLV at risk ${}",
        with_commas(scored["members_scored"].get<std::int64_t>()),
        scored["scored_at"].get<std::string>(), with_commas(tiers["high"].get<std::int64_t>()),
        with_commas(tiers["medium"].get<std::int64_t>()),
        with_commas(tiers["low"].get<std::int64_t>()),
        with_commas(static_cast<std::int64_t>(scored["value_at_risk_cad"].get<double>())));
  }
  say("run", "files in {}:", lake.root().string());
  for (const auto& f : files) {
    say("run", "  {}", fs::relative(f, lake.root()).string());
  }
}

}  // namespace

void register_run(CLI::App& app) {
  auto* cmd = app.add_subcommand(
      "run",
      "Run every stage in order: ingest, features, train, score, warehouse (skipping unchanged "
      "work)");
  auto options = std::make_shared<CommonOptions>();
  auto model = std::make_shared<ModelOptions>();
  add_common_options(*cmd, *options, true);
  add_model_options(*cmd, *model);
  auto engine = std::make_shared<EngineOptions>();
  add_engine_options(*cmd, *engine);
  cmd->callback([options, model, engine] {
    const Stopwatch clock;
    const LakeSession session(*options);
    const Lake& lake = session.lake();
    const EngineChoice features_engine = engine_choice(*engine);
    const auto ingested =
        ingest(lake, {session.config().raw_dir, session.db_options(), options->force});
    // A rebuilt ingest changes the processed files' hashes, so later stages rebuild too.
    const StageOptions stage{session.db_options(), options->force};
    const auto features = build_customer_features(lake, stage, features_engine);
    const auto trained = train_churn(lake, train_options(session, *model, options->force));
    const auto scored = score_churn(lake, stage);
    const auto warehouse = build_warehouse(lake, stage);
    session.finish();

    std::vector<fs::path> files = {lake.raw_loyalty(),
                                   lake.raw_activity(),
                                   lake.raw_manifest(),
                                   lake.processed_loyalty(),
                                   lake.processed_activity(),
                                   lake.quarantine(),
                                   lake.ingest_report(),
                                   lake.customer_features(),
                                   lake.churn_artifacts() / "model.json",
                                   lake.churn_artifacts() / "metrics.json",
                                   lake.churn_artifacts() / "model_card.md",
                                   lake.churn_predictions(),
                                   lake.warehouse()};
    print_summary(lake, features.summary, trained.summary, scored.summary, files, clock.seconds());
    if (options->json) {
      nlohmann::json paths = nlohmann::json::array();
      for (const auto& f : files) {
        paths.push_back(fs::relative(f, lake.root()).string());
      }
      print_json({{"lake", lake.root().string()},
                  {"members", features.summary.value("members", std::int64_t{0})},
                  {"segments", features.summary.value("segments", nlohmann::json::object())},
                  {"stages",
                   {{"ingest", stage_json(ingested)},
                    {"features", stage_json(features)},
                    {"train", stage_json(trained)},
                    {"score", stage_json(scored)},
                    {"warehouse", stage_json(warehouse)}}},
                  {"files", paths},
                  {"seconds", clock.seconds()}});
    }
  });
}

}  // namespace aa::cli
