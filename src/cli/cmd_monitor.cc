#include "cli/cli_common.h"
#include "core/files.h"
#include "core/progress.h"
#include "features/warehouse.h"
#include "monitor/monitor_stage.h"

namespace aa::cli {

namespace {

std::string figure(const nlohmann::json& v, int digits = 3) {
  return v.is_number() ? fmt::format("{:.{}f}", v.get<double>(), digits) : "n/a";
}

// One line per judged scoring: realized against expected, and its status.
void print_report(const core::Lake& lake) {
  if (!fs::exists(lake.monitor_report())) {
    return;
  }
  const auto report = nlohmann::json::parse(core::read_file(lake.monitor_report()));
  for (const auto& r : report["realized"]) {
    const auto& e = r["expected"];
    core::say(
        "monitor",
        "  {} model {}: ROC AUC {} [{}, {}] (expected {}), lift {} , observed {} vs predicted "
        "{}, {:.0f}% matured: {}",
        r["scored_month"].get<std::string>(), r["model_id"].get<std::string>(),
        figure(r["roc_auc"]), figure(r["roc_auc_ci"][0]), figure(r["roc_auc_ci"][1]),
        figure(e["roc_auc"]), figure(r["lift_top10"], 2), figure(r["observed_rate"], 4),
        figure(r["mean_predicted"], 4), 100 * r["matured_share"].get<double>(),
        r["status"].get<std::string>());
  }
  for (const auto& a : report["alerts"]) {
    core::say("monitor", "  {}: {}", a["severity"].get<std::string>(),
              a["message"].get<std::string>());
  }
}

}  // namespace

void register_monitor(CLI::App& app) {
  auto* cmd = app.add_subcommand(
      "monitor",
      "Judge every kept scoring against what happened since (realized ROC AUC, PR AUC, lift, "
      "calibration, with bootstrap intervals) and its model's expected figures; drift of the "
      "latest scoring (PSI); the latest arrival's quality; alerts. Writes reports/monitor.json "
      "and refreshes the warehouse");
  auto options = std::make_shared<CommonOptions>();
  add_common_options(*cmd, *options, false);
  cmd->add_flag("--force", options->force, "Judge again even when the inputs are unchanged");
  auto resamples = std::make_shared<int>(200);
  cmd->add_option("--bootstrap", *resamples, "Bootstrap resamples for the 95% intervals")
      ->default_val(200)
      ->check(CLI::Range(20, 100000));
  auto seed = std::make_shared<std::uint64_t>(42);
  cmd->add_option("--seed", *seed, "Seed of the bootstrap")->default_val(42);
  cmd->callback([options, resamples, seed] {
    const LakeSession session(*options);
    const features::StageOptions stage{session.db_options(), options->force};
    const auto monitored = monitor::monitor_churn(session.lake(), {stage, *resamples, *seed});
    const auto warehouse = features::build_warehouse(session.lake(), stage);
    session.finish();
    print_report(session.lake());
    if (options->json) {
      print_json(
          {{"stage", "monitor"},
           {"skipped", monitored.skipped},
           {"seconds", monitored.seconds + warehouse.seconds},
           {"summary", monitored.summary},
           {"report", nlohmann::json::parse(core::read_file(session.lake().monitor_report()))},
           {"warehouse", warehouse.summary}});
    }
  });
}

}  // namespace aa::cli
