#include "cli/cli_common.h"
#include "cli/monthly_options.h"
#include "core/progress.h"
#include "model/snapshots.h"
#include "monitor/replay.h"

namespace aa::cli {

namespace {

void print_months(const nlohmann::json& report) {
  for (const auto& m : report["months"]) {
    std::string alerts;
    for (const auto& a : m["alerts"]) {
      if (a["severity"] == "alert") {
        alerts += (alerts.empty() ? "" : ", ") + a["kind"].get<std::string>() + " " +
                  a["subject"].get<std::string>();
      }
    }
    core::say(
        "replay", "{}: model {} ({}), {} members scored; {} ok, {} watch, {} degraded; alerts: {}",
        m["month"].get<std::string>(), m["model_id"].get<std::string>(),
        m["retrain"]["retrain"].get<bool>() ? "retrained" : "kept", m["members_scored"].dump(),
        m["statuses"]["ok"].get<int>(), m["statuses"]["watch"].get<int>(),
        m["statuses"]["degraded"].get<int>(), alerts.empty() ? "none" : alerts);
  }
}

}  // namespace

void register_replay(CLI::App& app) {
  auto* cmd = app.add_subcommand(
      "replay",
      "Feed the data set month by month, as the airline's exports would have looked at each "
      "month's end (activity up to the month, members enrolled by then, cancellations from their "
      "month on), running the monthly operation at each: ingest, features, retrain when due, "
      "score, monitor. Writes reports/replay.json");
  auto options = std::make_shared<CommonOptions>();
  auto model = std::make_shared<ModelOptions>();
  add_common_options(*cmd, *options, true);
  add_model_options(*cmd, *model);
  auto retrain = std::make_shared<RetrainOptions>();
  add_retrain_options(*cmd, *retrain);
  auto from = std::make_shared<std::string>();
  auto to = std::make_shared<std::string>();
  cmd->add_option("--from", *from, "First month (YYYY-MM)")->required();
  cmd->add_option("--to", *to, "Last month (YYYY-MM)")->required();
  cmd->callback([options, model, retrain, from, to] {
    const core::Stopwatch clock;
    const LakeSession session(*options);
    monitor::ReplayOptions replay_options;
    replay_options.raw_dir = session.config().raw_dir;
    replay_options.from = model::parse_month_label(*from);
    replay_options.to = model::parse_month_label(*to);
    replay_options.monthly =
        monthly_options(session, *options, *model, features::EngineChoice{}, *retrain, {});
    const nlohmann::json report = replay(session.lake(), replay_options);
    session.finish();
    print_months(report);
    core::say("replay", "done in {:.1f} s; reports/monitor.json judges every scoring",
              clock.seconds());
    if (options->json) {
      print_json({{"lake", session.lake().root().string()},
                  {"replay", report},
                  {"seconds", clock.seconds()}});
    }
  });
}

}  // namespace aa::cli
