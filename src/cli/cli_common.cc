#include "cli/cli_common.h"

#include <iostream>

#include "core/progress.h"

namespace aa::cli {

void add_common_options(CLI::App& command, CommonOptions& o, bool with_inputs) {
  command.add_option("--lake", o.lake, "Lake folder (AIRLINE_LAKE; default ./lake)");
  if (with_inputs) {
    command.add_option("--raw-dir", o.raw_dir,
                       "Folder holding 'Customer Loyalty History.csv' and 'Customer Flight "
                       "Activity.csv' (AIRLINE_RAW_DIR; default ./data/raw)");
    command.add_flag("--force", o.force, "Rebuild even when the inputs are unchanged");
  }
  command.add_option("--env-file", o.env_file, "Settings file (default ./.env when present)");
  command.add_option("--threads", o.threads, "DuckDB worker threads (AIRLINE_THREADS)")
      ->check(CLI::Range(1, 1024));
  command.add_option("--memory-limit", o.memory_limit,
                     "DuckDB memory limit, e.g. 4GB (AIRLINE_MEMORY_LIMIT)");
  command.add_option("--progress", o.progress, "Progress bars: auto, always, never")
      ->check(CLI::IsMember({"auto", "always", "never"}));
  command.add_flag("--json", o.json, "Print a machine-readable summary on stdout");
  command.add_flag("-q,--quiet", o.quiet, "No progress messages on stderr");
}

Config resolve_config(const CommonOptions& o) {
  std::optional<fs::path> env_file;
  if (o.env_file) {
    env_file = *o.env_file;
  }
  Config config = load_config(process_environment(), env_file);
  if (o.lake) {
    apply_setting(config, "AIRLINE_LAKE", *o.lake, "--lake");
  }
  if (o.raw_dir) {
    apply_setting(config, "AIRLINE_RAW_DIR", *o.raw_dir, "--raw-dir");
  }
  if (o.threads) {
    apply_setting(config, "AIRLINE_THREADS", std::to_string(*o.threads), "--threads");
  }
  if (o.memory_limit) {
    apply_setting(config, "AIRLINE_MEMORY_LIMIT", *o.memory_limit, "--memory-limit");
  }
  if (o.progress) {
    apply_setting(config, "AIRLINE_PROGRESS", *o.progress, "--progress");
  }
  set_progress_mode(config.progress);
  set_quiet(o.quiet);
  return config;
}

duck::Options pipeline_db_options(const Config& config, const Lake& lake) {
  duck::Options options;
  if (config.threads > 0) {
    options["threads"] = std::to_string(config.threads);
  }
  if (!config.memory_limit.empty()) {
    options["memory_limit"] = config.memory_limit;
  }
  options["temp_directory"] = (lake.work_dir() / "spill").string();
  options["autoinstall_known_extensions"] = "false";
  options["autoload_known_extensions"] = "false";
  return options;
}

LakeSession::LakeSession(const CommonOptions& options)
    : config_(resolve_config(options)), lake_(config_.lake) {
  lake_.create();
  lock_ = std::make_unique<LakeLock>(lake_);
  lake_.remove_stale_temp_files();
  db_options_ = pipeline_db_options(config_, lake_);
}

void print_json(const nlohmann::json& value) { std::cout << value.dump(2) << std::endl; }

}  // namespace aa::cli
