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
  bool markdown = false;
};

// --param k=v pairs on top of --params-json; values stay strings, parsed by the registry.
nlohmann::json params_from(const OpsArgs& args) {
  nlohmann::json params = parse_json_object("--params-json", args.params_json);
  for (const auto& text : args.params) {
    const auto [key, value] = split_key_value("--param", text);
    params[key] = value;
  }
  return params;
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
  list->add_flag("--markdown", list_args->markdown,
                 "Print the reference section of docs/OPERATIONS.md (no lake needed)");
  list->callback([list_args] {
    if (list_args->markdown) {
      std::cout << ops::operations_markdown();
      return;
    }
    const auto context = open_ops_context(list_args->common);
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
    const auto filters = filters_from(run_args->filters, run_args->filters_json);
    ops::find_operation(run_args->name);  // a typo fails before the warehouse is opened
    const auto context = open_ops_context(run_args->common);
    print_json(ops::run_operation(*context, run_args->name, params, filters));
  });
}

}  // namespace aa::cli
