#pragma once
// Options shared by the subcommands, declared once; argument handling only.

#include <CLI/CLI.hpp>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "core/config.h"
#include "core/duck.h"
#include "core/lake.h"

namespace aa::model {
struct TrainOptions;
}
namespace aa::features {
struct EngineChoice;
}
namespace aa::ops {
class OpsContext;
}

namespace aa::cli {

struct CommonOptions {
  std::optional<std::string> lake;
  std::optional<std::string> raw_dir;
  std::optional<std::string> env_file;
  std::optional<int> threads;
  std::optional<std::string> memory_limit;
  std::optional<std::string> progress;
  bool json = false;
  bool quiet = false;
  bool force = false;
};

// Adds --lake, --env-file, --threads, --memory-limit, --progress, --json, --quiet
// (and --raw-dir, --force when with_inputs) to a subcommand.
void add_common_options(CLI::App& command, CommonOptions& options, bool with_inputs);

// Settings: defaults < .env < environment < these options. Also applies progress and quiet.
// An s3:// lake becomes its local mirror, brought up to date; an s3:// raw folder is downloaded.
core::Config resolve_config(const CommonOptions& options, bool sync_s3 = true);

// A pipeline command's hold on its lake: settings resolved, zones created, the lake locked
// against other writers, and leftovers of a crashed run removed. For an S3 lake, the local
// mirror is brought up to date first (in resolve_config), and finish() uploads what changed.
class LakeSession {
 public:
  explicit LakeSession(const CommonOptions& options);
  // Call when the command's work succeeded: publishes an S3 lake's changes (a local lake needs
  // nothing more).
  void finish() const;
  const core::Config& config() const { return config_; }
  const core::Lake& lake() const { return lake_; }
  const duck::Options& db_options() const { return db_options_; }

 private:
  core::Config config_;
  core::Lake lake_;
  std::unique_ptr<core::LakeLock> lock_;
  duck::Options db_options_;
};

// DuckDB settings for pipeline stages: threads, memory limit, spill folder in the lake.
// DuckDB's memory limit when AIRLINE_MEMORY_LIMIT is not set: a quarter of physical memory,
// between 1 and 4 GiB ("4096MiB" on the 24 GB machine of docs/BENCHMARKS.md).
std::string default_memory_limit();
duck::Options pipeline_db_options(const core::Config& config, const core::Lake& lake);

// Which engine runs the feature models (--engine, --spark-sql, --master), shared by `features`
// and `run`.
struct EngineOptions {
  std::string engine = "duckdb";
  std::string spark_sql;
  std::string master;
};
void add_engine_options(CLI::App& command, EngineOptions& options);
features::EngineChoice engine_choice(const EngineOptions& options);

// The churn model's options, shared by `train` and `run`.
struct ModelOptions {
  std::uint64_t seed = 42;
  int bootstrap_resamples = 200;
  std::string calibration = "auto";  // auto: chosen on the validation cutoff
  double scale_pos_weight = 0;       // 0: chosen on the validation cutoff
  std::int64_t max_training_members = 100000;
};
void add_model_options(CLI::App& command, ModelOptions& options);
class LakeSession;
model::TrainOptions train_options(const LakeSession& session, const ModelOptions& model,
                                  bool force);

// "key=value" split at the first '='; `what` names the option in errors.
std::pair<std::string, std::string> split_key_value(const std::string& what,
                                                    const std::string& text);
// A JSON object given on the command line (an empty object when absent).
nlohmann::json parse_json_object(const std::string& what, const std::optional<std::string>& text);
// --filter k=v pairs on top of --filters-json; list filters accumulate (repeated keys or commas).
nlohmann::json filters_from(const std::vector<std::string>& pairs,
                            const std::optional<std::string>& filters_json);

// Opens the operations' context on the configured lake (read-only; no lock taken).
std::unique_ptr<aa::ops::OpsContext> open_ops_context(const CommonOptions& common);
// DuckDB settings for read-only analysis: threads and memory limit, no extension loading.
duck::Options ops_db_options(const core::Config& config);

// Prints machine output on stdout.
void print_json(const nlohmann::json& value);

void register_generate_sample(CLI::App& app);
void register_ingest(CLI::App& app);
void register_features(CLI::App& app);
void register_run(CLI::App& app);
void register_recovery(CLI::App& app);
void register_train(CLI::App& app);
void register_score(CLI::App& app);
void register_monitor(CLI::App& app);
void register_replay(CLI::App& app);
void register_ops(CLI::App& app);
void register_ask(CLI::App& app);
void register_serve(CLI::App& app);
void register_athena_ddl(CLI::App& app);
void register_sagemaker_job(CLI::App& app);

}  // namespace aa::cli
