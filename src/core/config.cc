#include "core/config.h"

#include <algorithm>
#include <charconv>
#include <regex>

#include "core/app_error.h"
#include "core/aws_variables.h"
#include "core/files.h"
#include "core/text.h"

extern char** environ;

namespace aa::core {

namespace {

bool is_known(const std::string& key) {
  const auto& all = known_settings();
  return std::any_of(all.begin(), all.end(), [&](const SettingInfo& s) { return key == s.key; });
}

std::string known_list() {
  std::string out;
  for (const auto& s : known_settings()) {
    out += out.empty() ? "" : ", ";
    out += s.key;
  }
  return out;
}

[[noreturn]] void bad_value(const std::string& key, const std::string& value,
                            const std::string& source, const std::string& expected) {
  fail(ErrorKind::InvalidInput, "{}: {}='{}' is not valid: expected {}", source, key, value,
       expected);
}

}  // namespace

const std::vector<SettingInfo>& known_settings() {
  static const std::vector<SettingInfo> settings = {
      {"AIRLINE_LAKE", "lake folder (default ./lake)"},
      {"AIRLINE_RAW_DIR", "folder holding the two raw CSVs (default ./data/raw)"},
      {"AIRLINE_THREADS", "worker threads for DuckDB, a whole number >= 1 (default: all cores)"},
      {"AIRLINE_MEMORY_LIMIT",
       "DuckDB memory limit such as 4GB or 512MB (default: a quarter of RAM, 1-4 GiB; "
       "beyond it DuckDB spills to the lake's _work/spill)"},
      {"AIRLINE_PROGRESS", "progress bars: auto, always or never (default auto: on a terminal)"},
      {"AIRLINE_LLM_PROVIDER",
       "the analyst's LLM: none, bedrock, openai or anthropic (default none: offline)"},
      {"AIRLINE_LLM_MODEL", "the LLM's model name (bedrock: BEDROCK_MODEL_ID also works)"},
      {"AIRLINE_LLM_BASE_URL",
       "the LLM endpoint, such as http://127.0.0.1:11434/v1 for Ollama (default: the provider's)"},
      {"AIRLINE_LLM_API_KEY", "the API key for openai or anthropic"},
      {"AIRLINE_LLM_TIMEOUT_S", "seconds to wait for the LLM, 1 to 120 (default 20)"},
      {"AIRLINE_LLM_MAX_TOKENS", "output tokens per LLM call, 64 to 8192 (default 1024)"},
      {"BEDROCK_MODEL_ID", "the Bedrock model id (the reference project's key)"},
      {"AWS_REGION", "the AWS region for Bedrock, S3, Athena and SageMaker (default us-east-1)"},
      {"S3_BUCKET", "the bucket of `--lake s3://` when the lake URI names none"},
      {"RAW_PREFIX", "key prefix of the raw zone in an S3 lake (default raw/)"},
      {"PROCESSED_PREFIX", "key prefix of the processed zone in an S3 lake (default processed/)"},
      {"CURATED_PREFIX", "key prefix of the curated zone in an S3 lake (default curated/)"},
      {"ATHENA_RESULTS_PREFIX", "key prefix for Athena query results (default athena-results/)"},
      {"GLUE_DB", "the Athena / Glue database name (default airline_analytics)"},
      {"AIRLINE_ATHENA_WORKGROUP", "the Athena workgroup (default primary)"},
      {"ROLE_ARN", "the IAM role the SageMaker processing job runs as"},
      {"PROCESSING_INSTANCE_TYPE", "the SageMaker processing instance type (default ml.m5.xlarge)"},
      {"AWS_ENDPOINT_URL",
       "one endpoint for every AWS service (an S3-compatible store, a test server)"},
      {"AWS_ENDPOINT_URL_S3", "the S3 endpoint (S3-compatible stores such as MinIO)"},
      {"AWS_ENDPOINT_URL_ATHENA", "the Athena endpoint"},
      {"AWS_ENDPOINT_URL_SAGEMAKER", "the SageMaker endpoint"},
      {"AIRLINE_LAKE_CACHE",
       "local folder mirroring an S3 lake (default ~/.cache/airline-analytics/s3)"},
      {"AIRLINE_SHOW_PII",
       "true lets the dashboard server send postal codes and salaries (default false)"},
      {"AIRLINE_AUTH_TOKEN", "when set, every dashboard API request needs 'Bearer <token>'"},
      {"AIRLINE_RATE_LIMIT",
       "dashboard API requests per client per minute, 10 to 100000 (default 1200)"},
  };
  return settings;
}

Environment process_environment() {
  Environment env;
  for (char** e = environ; e && *e; ++e) {
    const std::string entry = *e;
    const auto eq = entry.find('=');
    if (eq != std::string::npos) {
      env.emplace(entry.substr(0, eq), entry.substr(eq + 1));
    }
  }
  return env;
}

Environment aws_environment(const Config& config) {
  Environment env = process_environment();
  for (const auto& [key, value] : config.aws) {
    env[key] = value;
  }
  return env;
}

DotenvFile parse_dotenv(const std::string& text, const std::string& source) {
  DotenvFile out;
  std::size_t line_no = 0;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    const auto end = std::min(text.find('\n', pos), text.size());
    std::string line = trim(text.substr(pos, end - pos));
    pos = end + 1;
    ++line_no;
    if (line.empty() || line[0] == '#') {
      continue;
    }
    if (line.rfind("export ", 0) == 0) {
      line = trim(line.substr(7));
    }
    const auto eq = line.find('=');
    const std::string where = fmt::format("{}:{}", source, line_no);
    if (eq == std::string::npos) {
      fail(ErrorKind::InvalidInput, "{}: expected KEY=VALUE, got '{}'", where, line);
    }
    const std::string key = trim(line.substr(0, eq));
    std::string value = trim(line.substr(eq + 1));
    if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') &&
        value.back() == value.front()) {
      value = value.substr(1, value.size() - 2);
    }
    if (is_known(key) || is_aws_variable(key)) {
      out.values[key] = value;
    } else if (key.rfind("AIRLINE_", 0) == 0) {
      fail(ErrorKind::InvalidInput, "{}: unknown setting '{}'; known settings: {}", where, key,
           known_list());
    } else {
      out.warnings.push_back(fmt::format(
          "{}: ignoring '{}': neither a setting of airline-analytics nor a standard AWS variable",
          where, key));
    }
  }
  return out;
}

void apply_setting(Config& config, const std::string& key, const std::string& value,
                   const std::string& source) {
  if (!is_known(key) && is_aws_variable(key)) {
    config.aws[key] = value;
  } else if (key == "AIRLINE_LAKE" || key == "AIRLINE_RAW_DIR") {
    if (value.empty()) {
      bad_value(key, value, source, "a folder path");
    }
    (key == "AIRLINE_LAKE" ? config.lake : config.raw_dir) = value;
  } else if (key == "AIRLINE_THREADS") {
    int n = 0;
    const auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
    if (ec != std::errc() || ptr != value.data() + value.size() || n < 1 || n > 1024) {
      bad_value(key, value, source, "a whole number from 1 to 1024");
    }
    config.threads = n;
  } else if (key == "AIRLINE_MEMORY_LIMIT") {
    static const std::regex kSize(R"(^[0-9]+(\.[0-9]+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$)",
                                  std::regex::icase);
    if (!std::regex_match(value, kSize)) {
      bad_value(key, value, source, "a size such as 512MB or 4GB");
    }
    config.memory_limit = value;
  } else if (key == "AIRLINE_PROGRESS") {
    if (value == "auto") {
      config.progress = ProgressMode::Auto;
    } else if (value == "always") {
      config.progress = ProgressMode::Always;
    } else if (value == "never") {
      config.progress = ProgressMode::Never;
    } else {
      bad_value(key, value, source, "auto, always or never");
    }
  } else if (key == "AIRLINE_LLM_PROVIDER") {
    if (value != "none" && value != "bedrock" && value != "openai" && value != "anthropic") {
      bad_value(key, value, source, "none, bedrock, openai or anthropic");
    }
    config.llm.provider = value;
  } else if (key == "AIRLINE_LLM_MODEL") {
    config.llm.model = value;
  } else if (key == "BEDROCK_MODEL_ID") {
    if (config.llm.model.empty()) {
      config.llm.model = value;
    }
  } else if (key == "AIRLINE_LLM_BASE_URL") {
    if (!value.empty() && value.rfind("http://", 0) != 0 && value.rfind("https://", 0) != 0) {
      bad_value(key, value, source, "a URL starting with http:// or https://");
    }
    config.llm.base_url = value;
  } else if (key == "AIRLINE_LLM_API_KEY") {
    config.llm.api_key = value;
  } else if (key == "AWS_REGION") {
    config.llm.aws_region = value;
  } else if (key == "S3_BUCKET") {
    config.cloud.s3_bucket = value;
  } else if (key == "RAW_PREFIX" || key == "PROCESSED_PREFIX" || key == "CURATED_PREFIX" ||
             key == "ATHENA_RESULTS_PREFIX") {
    std::string prefix = value;
    while (!prefix.empty() && prefix.front() == '/') {
      prefix.erase(0, 1);
    }
    if (prefix.empty() || prefix.find("..") != std::string::npos) {
      bad_value(key, value, source, "a key prefix such as raw/");
    }
    if (prefix.back() != '/') {
      prefix += '/';
    }
    (key == "RAW_PREFIX"         ? config.cloud.raw_prefix
     : key == "PROCESSED_PREFIX" ? config.cloud.processed_prefix
     : key == "CURATED_PREFIX"   ? config.cloud.curated_prefix
                                 : config.cloud.athena_results_prefix) = prefix;
  } else if (key == "GLUE_DB") {
    static const std::regex kName("^[a-z0-9_]{1,255}$");
    if (!std::regex_match(value, kName)) {
      bad_value(key, value, source, "lower-case letters, digits and underscores");
    }
    config.cloud.glue_db = value;
  } else if (key == "AIRLINE_ATHENA_WORKGROUP") {
    config.cloud.athena_workgroup = value;
  } else if (key == "ROLE_ARN") {
    config.cloud.role_arn = value;
  } else if (key == "PROCESSING_INSTANCE_TYPE") {
    if (value.rfind("ml.", 0) != 0) {
      bad_value(key, value, source, "a SageMaker instance type such as ml.m5.xlarge");
    }
    config.cloud.processing_instance_type = value;
  } else if (key == "AWS_ENDPOINT_URL" || key == "AWS_ENDPOINT_URL_S3" ||
             key == "AWS_ENDPOINT_URL_ATHENA" || key == "AWS_ENDPOINT_URL_SAGEMAKER") {
    if (!value.empty() && value.rfind("http://", 0) != 0 && value.rfind("https://", 0) != 0) {
      bad_value(key, value, source, "a URL starting with http:// or https://");
    }
    (key == "AWS_ENDPOINT_URL"          ? config.cloud.endpoint
     : key == "AWS_ENDPOINT_URL_S3"     ? config.cloud.s3_endpoint
     : key == "AWS_ENDPOINT_URL_ATHENA" ? config.cloud.athena_endpoint
                                        : config.cloud.sagemaker_endpoint) = value;
  } else if (key == "AIRLINE_LAKE_CACHE") {
    if (value.empty()) {
      bad_value(key, value, source, "a folder path");
    }
    config.cloud.lake_cache = value;
  } else if (key == "AIRLINE_SHOW_PII") {
    if (value != "true" && value != "false") {
      bad_value(key, value, source, "true or false");
    }
    config.server.show_pii = value == "true";
  } else if (key == "AIRLINE_AUTH_TOKEN") {
    if (!value.empty() && value.size() < 16) {
      bad_value(key, "(hidden)", source, "at least 16 characters");
    }
    config.server.auth_token = value;
  } else if (key == "AIRLINE_RATE_LIMIT") {
    int n = 0;
    const auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
    if (ec != std::errc() || ptr != value.data() + value.size() || n < 10 || n > 100000) {
      bad_value(key, value, source, "a whole number from 10 to 100000");
    }
    config.server.rate_limit_per_minute = n;
  } else if (key == "AIRLINE_LLM_TIMEOUT_S" || key == "AIRLINE_LLM_MAX_TOKENS") {
    const bool timeout = key == "AIRLINE_LLM_TIMEOUT_S";
    int n = 0;
    const auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
    const int lo = timeout ? 1 : 64;
    const int hi = timeout ? 120 : 8192;
    if (ec != std::errc() || ptr != value.data() + value.size() || n < lo || n > hi) {
      bad_value(key, value, source, fmt::format("a whole number from {} to {}", lo, hi));
    }
    (timeout ? config.llm.timeout_s : config.llm.max_tokens) = n;
  } else {
    fail(ErrorKind::InvalidInput, "{}: unknown setting '{}'; known settings: {}", source, key,
         known_list());
  }
}

Config load_config(const Environment& environment, const std::optional<fs::path>& env_file) {
  Config config;
  std::optional<fs::path> file = env_file;
  if (!file && fs::exists(".env")) {
    file = ".env";
  }
  if (file) {
    if (!fs::exists(*file)) {
      fail(ErrorKind::NotFound, "settings file '{}' does not exist", file->string());
    }
    DotenvFile dotenv = parse_dotenv(read_file(*file), file->string());
    for (const auto& [key, value] : dotenv.values) {
      if (!environment.count(key)) {
        apply_setting(config, key, value, file->string());
      }
    }
    config.warnings = std::move(dotenv.warnings);
  }
  for (const auto& [key, value] : environment) {
    if (key.rfind("AIRLINE_", 0) == 0 || is_known(key) || is_aws_variable(key)) {
      apply_setting(config, key, value, "environment");
    }
  }
  // AWS_REGION wins over AWS_DEFAULT_REGION wherever each was set, as in AWS's own tools.
  if (config.llm.aws_region.empty() && config.aws.count("AWS_DEFAULT_REGION")) {
    config.llm.aws_region = config.aws.at("AWS_DEFAULT_REGION");
  }
  return config;
}

}  // namespace aa::core
