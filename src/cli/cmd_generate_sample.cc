#include "cli/cli_common.h"
#include "core/progress.h"
#include "sample/sample_generator.h"

namespace aa::cli {

void register_generate_sample(CLI::App& app) {
  auto* cmd = app.add_subcommand(
      "generate-sample",
      "Write a seeded synthetic data set with the real data's file names, schema and quirks");
  struct Args {
    std::string out;
    std::int64_t members = 20000;
    std::uint64_t seed = 42;
    bool json = false;
    bool quiet = false;
  };
  auto args = std::make_shared<Args>();
  cmd->add_option("--out", args->out, "Folder to write the two CSV files into")->required();
  cmd->add_option("--members", args->members, "Number of members (default 20000)")
      ->check(CLI::Range(std::int64_t{1}, std::int64_t{100'000'000}));
  cmd->add_option("--seed", args->seed, "Random seed; the same seed gives the same files");
  cmd->add_flag("--json", args->json, "Print a machine-readable summary on stdout");
  cmd->add_flag("-q,--quiet", args->quiet, "No progress messages on stderr");
  cmd->callback([args] {
    set_quiet(args->quiet);
    const Stopwatch clock;
    const auto result = generate_sample({args->out, args->members, args->seed});
    say("generate-sample", "{} members ({} cancelled), {} activity rows -> {} ({:.2f} s)",
        with_commas(result.members), with_commas(result.cancelled),
        with_commas(result.activity_rows), args->out, clock.seconds());
    if (args->json) {
      print_json({{"members", result.members},
                  {"cancelled", result.cancelled},
                  {"activity_rows", result.activity_rows},
                  {"seed", args->seed},
                  {"files", {result.loyalty_file.string(), result.activity_file.string()}},
                  {"seconds", clock.seconds()}});
    }
  });
}

}  // namespace aa::cli
