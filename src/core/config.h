#pragma once
// Settings, read once: built-in defaults < .env file < process environment < command line.
// Unknown AIRLINE_* keys and values that do not parse are errors naming the key and source.
// The standard AWS variables (core/aws_variables.h) are accepted beside ours; any other key of a
// .env file is ignored with one warning line, so that the reference project's .env works as is.

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/progress.h"

namespace aa {
namespace fs = std::filesystem;
}  // namespace aa

namespace aa::core {

using Environment = std::map<std::string, std::string>;

// The optional LLM provider of the analyst (none: offline rules and templates only).
struct LlmConfig {
  std::string provider = "none";  // none | bedrock | openai | anthropic
  std::string model;              // AIRLINE_LLM_MODEL, or BEDROCK_MODEL_ID for bedrock
  std::string base_url;           // empty: the provider's public endpoint
  std::string api_key;            // openai / anthropic (AIRLINE_LLM_API_KEY)
  std::string aws_region;         // bedrock (AWS_REGION; default us-east-1)
  int timeout_s = 20;
  int max_tokens = 1024;
};

// The dashboard server's rules (see docs/DASHBOARD.md).
struct ServerConfig {
  bool show_pii = false;             // AIRLINE_SHOW_PII: postal code and salary leave the server
  std::string auth_token;            // AIRLINE_AUTH_TOKEN: when set, every API route needs it
  int rate_limit_per_minute = 1200;  // AIRLINE_RATE_LIMIT: API requests per client per minute
};

// Cloud settings (docs/scale-out.md). The S3 layout keys are the reference project's.
struct CloudConfig {
  std::string s3_bucket;                        // S3_BUCKET: `--lake s3://` without a bucket
  std::string raw_prefix = "raw/";              // RAW_PREFIX
  std::string processed_prefix = "processed/";  // PROCESSED_PREFIX
  std::string curated_prefix = "curated/";      // CURATED_PREFIX
  std::string athena_results_prefix = "athena-results/";  // ATHENA_RESULTS_PREFIX
  std::string glue_db = "airline_analytics";              // GLUE_DB
  std::string athena_workgroup = "primary";               // AIRLINE_ATHENA_WORKGROUP
  std::string role_arn;                                   // ROLE_ARN (SageMaker)
  std::string processing_instance_type = "ml.m5.xlarge";  // PROCESSING_INSTANCE_TYPE
  std::string endpoint;            // AWS_ENDPOINT_URL: every service (S3-compatible stores, tests)
  std::string s3_endpoint;         // AWS_ENDPOINT_URL_S3
  std::string athena_endpoint;     // AWS_ENDPOINT_URL_ATHENA
  std::string sagemaker_endpoint;  // AWS_ENDPOINT_URL_SAGEMAKER
  fs::path lake_cache;             // AIRLINE_LAKE_CACHE: local copy of an S3 lake
};

struct Config {
  fs::path lake = "lake";  // for an S3 lake: its local mirror (see lake_uri)
  std::string lake_uri;    // s3://bucket/prefix when the lake is in S3 (cloud/s3_lake.h)
  fs::path raw_dir = "data/raw";
  int threads = 0;           // 0: DuckDB's default (all cores)
  std::string memory_limit;  // "" : DuckDB's default (80% of RAM); else e.g. "4GB"
  ProgressMode progress = ProgressMode::Auto;
  LlmConfig llm;
  ServerConfig server;
  CloudConfig cloud;
  // The standard AWS variables (credentials, profile, AWS_DEFAULT_REGION, ...) from .env and the
  // environment, the environment's winning; AWS calls read them through aws_environment().
  Environment aws;
  // One line per .env key that is neither ours nor AWS's (ignored); the CLI prints them.
  std::vector<std::string> warnings;
};

struct SettingInfo {
  const char* key;
  const char* description;
};

// Every key the product reads, with its meaning (shown in errors and --help).
const std::vector<SettingInfo>& known_settings();

// The process environment's entries.
Environment process_environment();

// The process environment with the configuration's AWS variables over it, so that a .env's
// AWS_ACCESS_KEY_ID or AWS_PROFILE reach the AWS calls as if they had been exported.
Environment aws_environment(const Config& config);

struct DotenvFile {
  Environment values;                 // our settings and the standard AWS variables
  std::vector<std::string> warnings;  // one line per other key, which is ignored
};

// Parses a .env file's text: KEY=VALUE lines, '#' comments, optional 'export ' and quotes.
// `source` names the file in errors and warnings. An unknown AIRLINE_* key is an error; a key
// that is neither ours nor a standard AWS variable is left out with a warning.
DotenvFile parse_dotenv(const std::string& text, const std::string& source);

// Builds the Config. env_file is read when given (it must exist) or when ./.env exists.
Config load_config(const Environment& environment, const std::optional<fs::path>& env_file);

// Applies one setting's text value (used for the environment, .env and tests).
void apply_setting(Config& config, const std::string& key, const std::string& value,
                   const std::string& source);

}  // namespace aa::core
