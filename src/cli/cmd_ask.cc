// `ask`: the AI analyst from the command line. The answer, and how it was reached: the plan,
// the operations and filters, and the facts behind every figure.

#include <fmt/format.h>

#include <filesystem>
#include <iostream>

#include "analyst/analyst.h"
#include "analyst/intents.h"
#include "analyst/llm_agents.h"
#include "cli/cli_common.h"
#include "core/app_error.h"
#include "core/files.h"
#include "ops/ops_context.h"

namespace aa::cli {

namespace {

struct AskArgs {
  CommonOptions common;
  std::string question;
  std::vector<std::string> filters;
  std::optional<std::string> filters_json;
  std::optional<std::string> context;
};

// The previous turn, from a file holding an earlier `ask --json` output.
nlohmann::json context_from(const std::optional<std::string>& path) {
  if (!path) {
    return nullptr;
  }
  if (!std::filesystem::is_regular_file(*path)) {
    core::fail(core::ErrorKind::NotFound,
               "--context: '{}' does not exist; give the file an earlier "
               "`ask --json` wrote",
               *path);
  }
  try {
    return nlohmann::json::parse(core::read_file(*path));
  } catch (const nlohmann::json::exception&) {
    core::fail(core::ErrorKind::InvalidInput,
               "--context: '{}' is not JSON; give the file an earlier "
               "`ask --json` wrote",
               *path);
  }
}

void print_answer(const nlohmann::json& out) {
  std::cout << out.at("answer").get<std::string>() << "\nHow I got this\n";
  std::cout << fmt::format("- planner: {}; narrator: {}\n", out.at("planner").get<std::string>(),
                           out.at("narrator").get<std::string>());
  for (const auto& step : out.at("plan")) {
    std::cout << fmt::format("- {} {}\n", step.at("op").get<std::string>(),
                             step.at("params").dump());
  }
  if (!out.at("filters").empty()) {
    std::cout << "- filters: " << out.at("filters").dump() << "\n";
  }
  if (const auto& f = out.at("follow_up"); !f.is_null()) {
    std::cout << fmt::format("- follow-up of \"{}\": intent {} ({}); changed {}; inherited {}\n",
                             f.at("of").get<std::string>(), f.at("intent").get<std::string>(),
                             f.at("kept_intent").get<bool>() ? "kept" : "new",
                             f.at("changed").empty() ? "nothing" : f.at("changed").dump(),
                             f.at("inherited").empty() ? "nothing" : f.at("inherited").dump());
  }
  for (const auto& note : out.at("notes")) {
    std::cout << "- note: " << note.get<std::string>() << "\n";
  }
  std::cout << fmt::format("- {} facts; run with --json to see each with its source\n",
                           out.at("facts").size());
}

}  // namespace

void register_ask(CLI::App& app) {
  auto args = std::make_shared<AskArgs>();
  auto* ask = app.add_subcommand(
      "ask", "Ask the analyst a question; every figure in the answer comes from an operation");
  add_common_options(*ask, args->common, false);
  ask->add_option("question", args->question, "The question, in quotes")->required();
  ask->add_option("--filter", args->filters,
                  "A filter, key=value (repeatable; list filters take commas)");
  ask->add_option("--filters-json", args->filters_json, "Filters as one JSON object");
  ask->add_option("--context", args->context,
                  "A file holding the previous turn's `ask --json` output: a follow-up (\"And in "
                  "Quebec?\") reuses its intent with the slots the question changes");
  ask->footer(analyst::intents_help());
  ask->callback([args] {
    const std::string question = analyst::checked_question(args->question);
    const auto filters = filters_from(args->filters, args->filters_json);
    const auto previous = context_from(args->context);
    const core::Config config = resolve_config(args->common);
    const auto context = open_ops_context(args->common);
    auto analyst = analyst::make_analyst(*context, config.llm, core::aws_environment(config));
    const auto out = analyst->ask(question, filters, previous);
    if (args->common.json) {
      print_json(out);
    } else {
      print_answer(out);
    }
  });
}

}  // namespace aa::cli
