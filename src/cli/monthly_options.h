#pragma once
// The options of the monthly operation, shared by `run` and `replay`: when to retrain.

#include <CLI/CLI.hpp>

#include "cli/cli_common.h"
#include "monitor/monthly_run.h"

namespace aa::cli {

struct RetrainOptions {
  int retrain_months = monitor::kDefaultRetrainMonths;
  bool retrain = false;
};
void add_retrain_options(CLI::App& command, RetrainOptions& options);

// Everything run_monthly needs, from the command's options; `raw_dir` is the export to ingest.
monitor::MonthlyOptions monthly_options(const LakeSession& session, const CommonOptions& common,
                                        const ModelOptions& model,
                                        const features::EngineChoice& engine,
                                        const RetrainOptions& retrain, const fs::path& raw_dir);

}  // namespace aa::cli
