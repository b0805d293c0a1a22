// `ops list` and `ops run`: the analytic operations from the command line, on the lake's
// warehouse (read-only; no lock taken, so they run beside a pipeline run).

#include <fmt/format.h>

#include <iostream>

#include "cli/cli_common.h"
#include "core/app_error.h"
#include "ops/registry.h"

namespace aa::cli {

namespace {

struct OpsArgs {
  CommonOptions common;
  std::string name;
  std::vector<std::string> params;
  std::vector<std::string> filters;
  std::optional<std::string> params_json;
  std::optional<std::string> filters_json;
};

const std::vector<std::string> kListFilters = {"province", "rfm_segment", "loyalty_card"};

std::pair<std::string, std::string> split_pair(const std::string& what, const std::string& text) {
  const auto eq = text.find('=');
  if (eq == std::string::npos || eq == 0) {
    fail(ErrorKind::InvalidInput, "{} '{}' is not of the form key=value", what, text);
  }
  return {text.substr(0, eq), text.substr(eq + 1)};
}

nlohmann::json parse_object(const std::string& what, const std::optional<std::string>& text) {
  if (!text) {
    return nlohmann::json::object();
  }
  try {
    auto j = nlohmann::json::parse(*text);
    if (!j.is_object()) {
      fail(ErrorKind::InvalidInput, "{} must be a JSON object", what);
    }
    return j;
  } catch (const nlohmann::json::parse_error& e) {
    fail(ErrorKind::InvalidInput, "{} is not valid JSON: {}", what, e.what());
  }
}

// --param k=v pairs on top of --params-json; values stay strings, parsed by the registry.
nlohmann::json params_from(const OpsArgs& args) {
  nlohmann::json params = parse_object("--params-json", args.params_json);
  for (const auto& text : args.params) {
    const auto [key, value] = split_pair("--param", text);
    params[key] = value;
  }
  return params;
}

// --filter k=v pairs; list filters accumulate (repeated keys or commas).
nlohmann::json filters_from(const OpsArgs& args) {
  nlohmann::json filters = parse_object("--filters-json", args.filters_json);
  for (const auto& text : args.filters) {
    const auto [key, value] = split_pair("--filter", text);
    if (std::find(kListFilters.begin(), kListFilters.end(), key) == kListFilters.end()) {
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

duck::Options ops_db_options(const Config& config) {
  duck::Options options;
  if (config.threads > 0) {
    options["threads"] = std::to_string(config.threads);
  }
  if (!config.memory_limit.empty()) {
    options["memory_limit"] = config.memory_limit;
  }
  options["autoinstall_known_extensions"] = "false";
  options["autoload_known_extensions"] = "false";
  return options;
}

std::unique_ptr<ops::OpsContext> open_context(const CommonOptions& common) {
  const Config config = resolve_config(common);
  return ops::OpsContext::open(Lake(config.lake), ops_db_options(config));
}

void print_list(const nlohmann::json& list) {
  for (const auto& op : list.at("operations")) {
    std::cout << fmt::format("{:<28} {}\n", op.at("name").get<std::string>(),
                             op.at("description").get<std::string>());
  }
  std::cout << "\nFilters (every operation): ";
  std::string keys;
  for (const auto& [key, value] : list.at("filters").items()) {
    keys += (keys.empty() ? "" : ", ") + key;
  }
  std::cout << keys << "\n";
}

}  // namespace

void register_ops(CLI::App& app) {
  auto* ops = app.add_subcommand("ops", "Analytic operations over the warehouse (list, run)");
  ops->require_subcommand(1);

  auto list_args = std::make_shared<OpsArgs>();
  auto* list = ops->add_subcommand("list", "List every operation with its parameters");
  add_common_options(*list, list_args->common, false);
  list->callback([list_args] {
    const auto context = open_context(list_args->common);
    const auto listing = ops::list_operations(context->domains());
    if (list_args->common.json) {
      print_json(listing);
    } else {
      print_list(listing);
    }
  });

  auto run_args = std::make_shared<OpsArgs>();
  auto* run =
      ops->add_subcommand("run", "Run one operation and print {op, params, filters, result}");
  add_common_options(*run, run_args->common, false);
  run->add_option("name", run_args->name, "The operation (see `ops list`)")->required();
  run->add_option("--param", run_args->params, "A parameter, key=value (repeatable)");
  run->add_option("--filter", run_args->filters,
                  "A filter, key=value (repeatable; list filters take commas)");
  run->add_option("--params-json", run_args->params_json, "Parameters as one JSON object");
  run->add_option("--filters-json", run_args->filters_json, "Filters as one JSON object");
  run->callback([run_args] {
    const auto params = params_from(*run_args);
    const auto filters = filters_from(*run_args);
    ops::find_operation(run_args->name);  // a typo fails before the warehouse is opened
    const auto context = open_context(run_args->common);
    print_json(ops::run_operation(*context, run_args->name, params, filters));
  });
}

}  // namespace aa::cli
