#include "cli/cli_common.h"

#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <iostream>

#include "cloud/s3_lake.h"
#include "core/app_error.h"
#include "core/member_catalogue.h"
#include "core/progress.h"
#include "ops/ops_context.h"

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

core::Config resolve_config(const CommonOptions& o, bool sync_s3) {
  std::optional<fs::path> env_file;
  if (o.env_file) {
    env_file = *o.env_file;
  }
  core::Config config = core::load_config(core::process_environment(), env_file);
  for (const auto& warning : config.warnings) {
    std::cerr << "warning: " << warning << "\n";
  }
  if (o.lake) {
    core::apply_setting(config, "AIRLINE_LAKE", *o.lake, "--lake");
  }
  if (o.raw_dir) {
    core::apply_setting(config, "AIRLINE_RAW_DIR", *o.raw_dir, "--raw-dir");
  }
  if (o.threads) {
    core::apply_setting(config, "AIRLINE_THREADS", std::to_string(*o.threads), "--threads");
  }
  if (o.memory_limit) {
    core::apply_setting(config, "AIRLINE_MEMORY_LIMIT", *o.memory_limit, "--memory-limit");
  }
  if (o.progress) {
    core::apply_setting(config, "AIRLINE_PROGRESS", *o.progress, "--progress");
  }
  core::set_progress_mode(config.progress);
  core::set_quiet(o.quiet);
  if (!sync_s3) {
    return config;
  }
  const bool s3_lake = aws::is_s3_uri(config.lake.string());
  const bool s3_raw = aws::is_s3_uri(config.raw_dir.string());
  if (s3_lake || s3_raw) {
    aws::S3Client client(
        aws::aws_context(config, core::aws_environment(config), "an s3:// lake or raw folder"));
    if (s3_lake) {
      config.lake_uri = config.lake.string();
      const auto layout = aws::s3_lake_layout(config.lake_uri, config.cloud);
      config.lake = aws::s3_lake_cache(layout, config.cloud);
      aws::pull_lake(client, layout, config.lake);
    }
    if (s3_raw) {
      const auto folder = aws::parse_s3_uri(config.raw_dir.string());
      config.raw_dir = aws::fetch_raw_folder(client, config.raw_dir.string(),
                                             aws::s3_raw_cache(folder, config.cloud));
    }
  }
  return config;
}

std::string default_memory_limit() {
  const long pages = ::sysconf(_SC_PHYS_PAGES);
  const long page = ::sysconf(_SC_PAGE_SIZE);
  constexpr std::int64_t kMiB = 1024 * 1024;
  const std::int64_t ram = pages > 0 && page > 0 ? std::int64_t{pages} * page : 8192 * kMiB;
  return std::to_string(std::clamp<std::int64_t>(ram / 4, 1024 * kMiB, 4096 * kMiB) / kMiB) + "MiB";
}

duck::Options pipeline_db_options(const core::Config& config, const core::Lake& lake) {
  duck::Options options;
  if (config.threads > 0) {
    options["threads"] = std::to_string(config.threads);
  }
  // DuckDB's own default (80% of RAM) leaves nothing for the rest of the process at scale;
  // beyond the limit it spills to the lake's _work/spill folder.
  options["memory_limit"] =
      config.memory_limit.empty() ? default_memory_limit() : config.memory_limit;
  options["temp_directory"] = (lake.work_dir() / "spill").string();
  options["autoinstall_known_extensions"] = "false";
  options["autoload_known_extensions"] = "false";
  return options;
}

LakeSession::LakeSession(const CommonOptions& options)
    : config_(resolve_config(options)), lake_(config_.lake) {
  lake_.create();
  lock_ = std::make_unique<core::LakeLock>(lake_);
  lake_.remove_stale_temp_files();
  db_options_ = pipeline_db_options(config_, lake_);
}

void LakeSession::finish() const {
  if (config_.lake_uri.empty()) {
    return;
  }
  aws::S3Client client(aws::aws_context(config_, core::aws_environment(config_), "an s3:// lake"));
  aws::push_lake(client, aws::s3_lake_layout(config_.lake_uri, config_.cloud), lake_.root());
}

void print_json(const nlohmann::json& value) { std::cout << value.dump(2) << std::endl; }

namespace {

// A list filter (the catalogue's any-of filters) takes comma-separated values.
bool is_list_filter(const std::string& key) {
  const core::MemberAttribute* a = core::find_filter(key);
  return a && a->filter == core::FilterKind::AnyOf;
}

}  // namespace

std::pair<std::string, std::string> split_key_value(const std::string& what,
                                                    const std::string& text) {
  const auto eq = text.find('=');
  if (eq == std::string::npos || eq == 0) {
    core::fail(core::ErrorKind::InvalidInput, "{} '{}' is not of the form key=value", what, text);
  }
  return {text.substr(0, eq), text.substr(eq + 1)};
}

nlohmann::json parse_json_object(const std::string& what, const std::optional<std::string>& text) {
  if (!text) {
    return nlohmann::json::object();
  }
  try {
    auto j = nlohmann::json::parse(*text);
    if (!j.is_object()) {
      core::fail(core::ErrorKind::InvalidInput, "{} must be a JSON object", what);
    }
    return j;
  } catch (const nlohmann::json::parse_error& e) {
    core::fail(core::ErrorKind::InvalidInput, "{} is not valid JSON: {}", what, e.what());
  }
}

nlohmann::json filters_from(const std::vector<std::string>& pairs,
                            const std::optional<std::string>& filters_json) {
  nlohmann::json filters = parse_json_object("--filters-json", filters_json);
  for (const auto& text : pairs) {
    const auto [key, value] = split_key_value("--filter", text);
    if (!is_list_filter(key)) {
      filters[key] = value;
      continue;
    }
    if (!filters.contains(key)) {
      filters[key] = nlohmann::json::array();
    }
    std::size_t start = 0;
    while (start <= value.size()) {
      const auto comma = value.find(',', start);
      const auto end = comma == std::string::npos ? value.size() : comma;
      filters[key].push_back(value.substr(start, end - start));
      start = end + 1;
    }
  }
  return filters;
}

std::unique_ptr<ops::OpsContext> open_ops_context(const CommonOptions& common) {
  const core::Config config = resolve_config(common);
  return ops::OpsContext::open(core::Lake(config.lake), ops_db_options(config));
}

duck::Options ops_db_options(const core::Config& config) {
  duck::Options options;
  if (config.threads > 0) {
    options["threads"] = std::to_string(config.threads);
  }
  options["memory_limit"] =
      config.memory_limit.empty() ? default_memory_limit() : config.memory_limit;
  options["autoinstall_known_extensions"] = "false";
  options["autoload_known_extensions"] = "false";
  return options;
}

}  // namespace aa::cli
