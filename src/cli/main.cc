// airline-analytics: one binary, one subcommand per stage. Errors are handled here only:
// user errors print one line on stderr and exit 2; bugs exit 1.

#include <fmt/core.h>
#include <stdlib.h>

#include <cstdio>
#include <cstdlib>
#include <exception>

#include "cli/cli_common.h"
#include "core/app_error.h"

namespace {

// XGBoost runs on OpenMP, whose idle threads spin by default. When the machine is busy (two
// runs at once, a test suite in parallel) spinning threads starve the working ones: a 6 s
// training took 140 s beside a second one. libgomp reads OMP_WAIT_POLICY once, when it loads;
// XGBoost, and libgomp with it, is loaded on first use (model/xgb.cc), so setting it here,
// before anything else runs, is in time. A user's own setting wins.
void prefer_passive_openmp() {
  const char* policy = std::getenv("OMP_WAIT_POLICY");
  if (policy == nullptr || *policy == '\0') {
    ::setenv("OMP_WAIT_POLICY", "PASSIVE", 1);
  }
}

}  // namespace

int main(int argc, char** argv) {
  prefer_passive_openmp();
  CLI::App app{
      "airline-analytics: loyalty data -> validated Parquet lake -> customer features -> "
      "churn model -> DuckDB warehouse"};
  app.set_version_flag("--version", std::string("airline-analytics ") + AA_VERSION);
  app.require_subcommand(1);
  aa::cli::register_generate_sample(app);
  aa::cli::register_ingest(app);
  aa::cli::register_features(app);
  aa::cli::register_train(app);
  aa::cli::register_score(app);
  aa::cli::register_run(app);
  aa::cli::register_monitor(app);
  aa::cli::register_replay(app);
  aa::cli::register_recovery(app);
  aa::cli::register_ops(app);
  aa::cli::register_ask(app);
  aa::cli::register_serve(app);
  aa::cli::register_athena_ddl(app);
  aa::cli::register_sagemaker_job(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::Success& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return 2;
  } catch (const aa::core::AppError& e) {
    fmt::print(stderr, "error: {}\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    fmt::print(stderr, "internal error: {}\n", e.what());
    return 1;
  }
  return 0;
}
