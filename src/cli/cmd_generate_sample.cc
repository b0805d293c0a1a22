#include "cli/cli_common.h"
#include "core/progress.h"
#include "model/snapshots.h"
#include "sample/sample_generator.h"

namespace aa::cli {

namespace {

std::string scenario_help() {
  std::string s =
      "What drives cancellations (default reference-like); each writes truth.parquet (true "
      "hazard, 6-month probability and top mechanism per member and month):";
  for (const auto& info : sample::scenarios()) {
    s += fmt::format("\n  {}: {}", info.name, info.summary);
  }
  return s;
}

}  // namespace

void register_generate_sample(CLI::App& app) {
  auto* cmd = app.add_subcommand(
      "generate-sample",
      "Write a seeded synthetic data set with the real data's file names, schema and quirks, "
      "and the planted truth");
  struct Args {
    std::string out;
    std::int64_t members = 20000;
    std::uint64_t seed = 42;
    std::string scenario = "reference-like";
    std::string drift_month = "2018-06";
    bool no_truth = false;
    bool json = false;
    bool quiet = false;
  };
  auto args = std::make_shared<Args>();
  cmd->add_option("--out", args->out, "Folder to write the two CSV files into")->required();
  cmd->add_option("--members", args->members, "Number of members (default 20000)")
      ->check(CLI::Range(std::int64_t{1}, std::int64_t{100'000'000}));
  cmd->add_option("--seed", args->seed, "Random seed; the same seed gives the same files");
  cmd->add_option("--scenario", args->scenario, scenario_help());
  cmd->add_option("--drift-month", args->drift_month,
                  "The drift scenario's first month under the new mechanism, YYYY-MM (default "
                  "2018-06)");
  cmd->add_flag("--no-truth", args->no_truth, "Do not write truth.parquet");
  cmd->add_flag("--json", args->json, "Print a machine-readable summary on stdout");
  cmd->add_flag("-q,--quiet", args->quiet, "No progress messages on stderr");
  cmd->callback([args] {
    core::set_quiet(args->quiet);
    const core::Stopwatch clock;
    sample::SampleOptions options;
    options.out_dir = args->out;
    options.members = args->members;
    options.seed = args->seed;
    options.scenario = sample::parse_scenario(args->scenario);
    options.drift_month = model::parse_month_label(args->drift_month);
    options.truth = !args->no_truth;
    const auto result = sample::generate_sample(options);
    core::say("generate-sample",
              "{} members ({} cancelled), {} activity rows, scenario {} -> {} ({:.2f} s)",
              core::with_commas(result.members), core::with_commas(result.cancelled),
              core::with_commas(result.activity_rows), args->scenario, args->out, clock.seconds());
    if (args->json) {
      nlohmann::json files = {result.loyalty_file.string(), result.activity_file.string()};
      if (!result.truth_file.empty()) {
        files.push_back(result.truth_file.string());
      }
      print_json({{"members", result.members},
                  {"cancelled", result.cancelled},
                  {"activity_rows", result.activity_rows},
                  {"truth_rows", result.truth_rows},
                  {"scenario", args->scenario},
                  {"seed", args->seed},
                  {"files", files},
                  {"seconds", clock.seconds()}});
    }
  });
}

}  // namespace aa::cli
