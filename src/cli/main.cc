// airline-analytics: one binary, one subcommand per stage. Errors are handled here only:
// user errors print one line on stderr and exit 2; bugs exit 1.

#include <cstdio>
#include <exception>

#include <fmt/core.h>

#include "cli/cli_common.h"
#include "core/app_error.h"

int main(int argc, char** argv) {
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
  try {
    app.parse(argc, argv);
  } catch (const CLI::Success& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return 2;
  } catch (const aa::AppError& e) {
    fmt::print(stderr, "error: {}\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    fmt::print(stderr, "internal error: {}\n", e.what());
    return 1;
  }
  return 0;
}
