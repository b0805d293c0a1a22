#include "cli/cli_common.h"
#include "core/files.h"
#include "core/progress.h"
#include "features/features.h"
#include "ingest/ingest.h"
#include "model/train_stage.h"
#include "sample/recovery.h"
#include "sample/sample_generator.h"

namespace aa::cli {

namespace {

// The recovery table's row for one test cutoff, as docs/CHURN_MODEL.md prints it.
void say_row(const std::string& scenario, std::int64_t members, const nlohmann::json& c) {
  const auto num = [](const nlohmann::json& v, int digits) {
    return v.is_number() ? fmt::format("{:.{}f}", v.get<double>(), digits) : std::string("n/a");
  };
  core::say("recovery",
            "{} | {} members | test {} | Bayes AUC {} | model AUC {} | gap {} [{}, {}] | slope {} "
            "[{}, {}] | reason agreement {} of the top decile",
            scenario, core::with_commas(members), c["cutoff"].get<std::string>(),
            num(c["bayes_auc"], 3), num(c["model_auc"], 3), num(c["gap"], 3),
            num(c["gap_ci"][0], 3), num(c["gap_ci"][1], 3), num(c["calibration_slope"], 2),
            num(c["calibration_slope_ci"][0], 2), num(c["calibration_slope_ci"][1], 2),
            num(c["reason_agreement"]["share"], 2));
}

}  // namespace

void register_recovery(CLI::App& app) {
  auto* cmd = app.add_subcommand(
      "recovery",
      "Generate a scenario with planted truth, run ingest, features and train on it, and "
      "measure the model against the truth: Bayes AUC, the gap, calibration slope, reason "
      "agreement and the diagnostics (docs/CHURN_MODEL.md)");
  struct Args {
    std::string scenario = "behaviour";
    std::int64_t members = 100000;
    std::string work;
    std::string drift_month = "2018-06";
  };
  auto args = std::make_shared<Args>();
  auto options = std::make_shared<CommonOptions>();
  auto model = std::make_shared<ModelOptions>();
  cmd->add_option("--scenario", args->scenario, "Generator scenario (generate-sample --help)");
  cmd->add_option("--members", args->members, "Members to generate (default 100000)")
      ->check(CLI::Range(std::int64_t{1000}, std::int64_t{100'000'000}));
  cmd->add_option("--work", args->work,
                  "Folder for the generated files (raw/), the lake (lake/) and recovery.json")
      ->required();
  cmd->add_option("--drift-month", args->drift_month, "The drift scenario's month (YYYY-MM)");
  cmd->add_flag("--json", options->json, "Print the report on stdout");
  cmd->add_flag("-q,--quiet", options->quiet, "No progress messages on stderr");
  add_model_options(*cmd, *model);
  cmd->callback([args, options, model] {
    const core::Stopwatch clock;
    const fs::path work = args->work;
    sample::SampleOptions sample;
    sample.out_dir = work / "raw";
    sample.members = args->members;
    sample.seed = model->seed;
    sample.scenario = sample::parse_scenario(args->scenario);
    sample.drift_month = model::parse_month_label(args->drift_month);
    core::set_quiet(options->quiet);
    const sample::SampleResult generated = sample::generate_sample(sample);
    CommonOptions common = *options;
    common.lake = (work / "lake").string();
    common.raw_dir = sample.out_dir.string();
    common.force = true;
    const LakeSession session(common);
    const core::Lake& lake = session.lake();
    ingest::ingest(lake, {session.config().raw_dir, session.db_options(), true});
    const features::StageOptions stage{session.db_options(), true};
    features::build_customer_features(lake, stage, {});
    model::train_churn(lake, train_options(session, *model, true));
    session.finish();
    const nlohmann::json metrics =
        nlohmann::json::parse(core::read_file(lake.churn_artifacts() / "metrics.json"));
    nlohmann::json report = sample::recovery_report(
        generated.truth_file, lake.churn_artifacts() / model::kBacktestPredictionsFile,
        model->bootstrap_resamples, model->seed);
    const auto& d = metrics.at("diagnostics");
    report["scenario"] = args->scenario;
    report["members"] = args->members;
    report["seed"] = model->seed;
    report["diagnostics"] = {
        {"one_feature_model", d.at("one_feature_model")},
        {"dominant_feature", d.at("dominant_feature")},
        {"tenure_only", d.at("comparisons").value("tenure_only", nlohmann::json())},
        {"stratified_auc",
         {{"auc", d.at("stratified_auc").at("auc")}, {"auc_ci", d.at("stratified_auc").at("auc_ci")}}}};
    report["protocol"] = metrics.value("protocol", nlohmann::json());
    report["seconds"] = clock.seconds();
    core::write_file_atomic(work / "recovery.json", report.dump(2) + "\n");
    for (const auto& c : report["cutoffs"]) {
      say_row(args->scenario, args->members, c);
    }
    const auto& dominant = d.at("dominant_feature");
    core::say(
        "recovery",
        "diagnostics: one_feature_model {}, dominant {} (share {:.2f}, added AUC {:.3f} [{:.3f}, "
        "{:.3f}]) -> {}",
        d.at("one_feature_model").get<bool>(), dominant.at("name").get<std::string>(),
        dominant.at("importance_share").get<double>(), dominant.at("added_auc").get<double>(),
        dominant.at("added_auc_ci")[0].get<double>(), dominant.at("added_auc_ci")[1].get<double>(),
        (work / "recovery.json").string());
    if (options->json) {
      print_json(report);
    }
  });
}

}  // namespace aa::cli
