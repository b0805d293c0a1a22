#include "cli/cli_common.h"
#include "cli/monthly_options.h"
#include "core/progress.h"
#include "monitor/monthly_run.h"

namespace aa::cli {

namespace {

nlohmann::json stage_json(const core::StageResult& r) {
  return {{"skipped", r.skipped}, {"seconds", r.seconds}, {"summary", r.summary}};
}

void print_model_lines(const nlohmann::json& trained, const nlohmann::json& scored) {
  if (trained.contains("roc_auc")) {
    core::say("run",
              "churn model: out-of-time ROC AUC {:.3f} (the reference's leaky protocol: {:.3f})",
              trained["roc_auc"].get<double>(), trained["leaky_roc_auc"].get<double>());
    if (trained.contains("signal") && trained["signal"].is_string()) {
      core::say("run", "  {}", trained["signal"].get<std::string>());
    }
  } else if (trained.contains("no_backtest_reason")) {
    core::say("run", "churn model {}: no backtest ({})", trained["model_id"].get<std::string>(),
              trained["no_backtest_reason"].get<std::string>());
  }
  if (scored.contains("members_scored")) {
    const auto& tiers = scored["risk_tiers"];
    core::say(
        "run", "  {} members scored at {}: {} high, {} medium, {} low risk; CLV at risk ${}",
        core::with_commas(scored["members_scored"].get<std::int64_t>()),
        scored["scored_at"].get<std::string>(),
        core::with_commas(tiers["high"].get<std::int64_t>()),
        core::with_commas(tiers["medium"].get<std::int64_t>()),
        core::with_commas(tiers["low"].get<std::int64_t>()),
        core::with_commas(static_cast<std::int64_t>(scored["value_at_risk_cad"].get<double>())));
  }
}

// The monitor's line: how the past scorings did, and what it raised.
void print_monitor_line(const nlohmann::json& monitored) {
  if (!monitored.contains("statuses")) {
    return;
  }
  const auto& s = monitored["statuses"];
  core::say("run", "monitor: {} past scorings judged ({} ok, {} watch, {} degraded), {} alerts{}",
            monitored["matured"].get<std::int64_t>(), s["ok"].get<int>(), s["watch"].get<int>(),
            s["degraded"].get<int>(), monitored["alerts"].get<std::int64_t>(),
            monitored["retrain_alerts"].get<std::int64_t>() > 0
                ? " (retraining at the next arrival)"
                : "");
}

void print_summary(const core::Lake& lake, const monitor::MonthlyRun& run,
                   const std::vector<fs::path>& files, double seconds) {
  const auto& features = run.features.summary;
  core::say("run", "done in {:.2f} s: {} members", seconds,
            core::with_commas(features.value("members", std::int64_t{0})));
  if (features.contains("segments")) {
    for (const auto& [segment, count] : features["segments"].items()) {
      core::say("run", "  {:<10} {:>12}", segment, core::with_commas(count.get<std::int64_t>()));
    }
  }
  core::say("run", "model: {} ({})", run.decision.retrain ? "retrained" : "kept",
            run.decision.reason);
  print_model_lines(run.train.summary, run.score.summary);
  print_monitor_line(run.monitor.summary);
  core::say("run", "files in {}:", lake.root().string());
  for (const auto& f : files) {
    core::say("run", "  {}", fs::relative(f, lake.root()).string());
  }
}

}  // namespace

void register_run(CLI::App& app) {
  auto* cmd = app.add_subcommand(
      "run",
      "Run every stage in order: ingest, features, train (when due: see --retrain-months), "
      "score, monitor, warehouse (skipping unchanged work)");
  auto options = std::make_shared<CommonOptions>();
  auto model = std::make_shared<ModelOptions>();
  add_common_options(*cmd, *options, true);
  add_model_options(*cmd, *model);
  auto engine = std::make_shared<EngineOptions>();
  add_engine_options(*cmd, *engine);
  auto monthly = std::make_shared<RetrainOptions>();
  add_retrain_options(*cmd, *monthly);
  cmd->callback([options, model, engine, monthly] {
    const core::Stopwatch clock;
    const LakeSession session(*options);
    const core::Lake& lake = session.lake();
    const monitor::MonthlyRun run = monitor::run_monthly(
        lake, monthly_options(session, *options, *model, engine_choice(*engine), *monthly,
                              session.config().raw_dir));
    session.finish();

    std::vector<fs::path> files = {lake.raw_loyalty(),
                                   lake.raw_activity(),
                                   lake.raw_manifest(),
                                   lake.processed_loyalty(),
                                   lake.processed_activity_index(),
                                   lake.quarantine(),
                                   lake.ingest_report(),
                                   lake.customer_features(),
                                   lake.churn_artifacts() / "model.json",
                                   lake.churn_artifacts() / "metrics.json",
                                   lake.churn_artifacts() / "model_card.md",
                                   lake.churn_predictions(),
                                   lake.monitor_report(),
                                   lake.warehouse()};
    print_summary(lake, run, files, clock.seconds());
    if (options->json) {
      nlohmann::json paths = nlohmann::json::array();
      for (const auto& f : files) {
        paths.push_back(fs::relative(f, lake.root()).string());
      }
      const auto& features = run.features.summary;
      print_json({{"lake", lake.root().string()},
                  {"members", features.value("members", std::int64_t{0})},
                  {"segments", features.value("segments", nlohmann::json::object())},
                  {"retrain", run.decision_json()},
                  {"stages",
                   {{"ingest", stage_json(run.ingest)},
                    {"features", stage_json(run.features)},
                    {"train", stage_json(run.train)},
                    {"score", stage_json(run.score)},
                    {"monitor", stage_json(run.monitor)},
                    {"warehouse", stage_json(run.warehouse)}}},
                  {"files", paths},
                  {"seconds", clock.seconds()}});
    }
  });
}

}  // namespace aa::cli
