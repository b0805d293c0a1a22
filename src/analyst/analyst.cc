#include "analyst/analyst.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <thread>

#include "core/app_error.h"
#include "ops/registry.h"

namespace aa::analyst {

std::string checked_question(const std::string& question) {
  const auto first = question.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) {
    core::fail(core::ErrorKind::InvalidInput,
               "ask needs a question, for example: \"Where should we focus retention efforts?\"");
  }
  const auto last = question.find_last_not_of(" \t\r\n");
  std::string text = question.substr(first, last - first + 1);
  if (text.size() > kMaxQuestionLength) {
    core::fail(core::ErrorKind::InvalidInput, "the question is {} characters long; the limit is {}",
               text.size(), kMaxQuestionLength);
  }
  return text;
}

Analyst::Analyst(ops::OpsContext& context)
    : Analyst(context, std::make_unique<RulePlanner>(context.domains()),
              std::make_unique<TemplateNarrator>()) {}

Analyst::Analyst(ops::OpsContext& context, std::unique_ptr<Planner> planner,
                 std::unique_ptr<Narrator> narrator)
    : context_(context), planner_(std::move(planner)), narrator_(std::move(narrator)) {}

nlohmann::json Analyst::ask(const std::string& question, const nlohmann::json& filters,
                            const nlohmann::json& context) {
  const std::string text = checked_question(question);
  const nlohmann::json given = filters.is_null() ? nlohmann::json::object() : filters;
  ops::Filters::from_json(given, context_.domains());  // bad filters fail before planning
  const std::optional<Turn> previous = Turn::from_json(context);
  Plan plan = planner_->plan(text, given, previous);
  validate_plan(plan, context_.domains());

  // The plan's operations are independent reads of one context: they run on up to as many
  // threads as there are cores, and their results are taken in the plan's order.
  const std::size_t n = plan.steps.size();
  std::vector<nlohmann::json> outputs(n);
  std::vector<std::string> errors(n);
  std::vector<std::exception_ptr> crashes(n);
  std::atomic<std::size_t> next{0};
  const auto work = [&] {
    for (std::size_t i = next++; i < n; i = next++) {
      const auto& step = plan.steps[i];
      try {
        outputs[i] = ops::run_operation(context_, step.op, step.params, plan.filters);
      } catch (const core::AppError& e) {
        errors[i] = e.what();
      } catch (...) {
        crashes[i] = std::current_exception();
      }
    }
  };
  const std::size_t workers =
      std::min<std::size_t>(n, std::max(1u, std::thread::hardware_concurrency()));
  std::vector<std::thread> threads;
  for (std::size_t w = 1; w < workers; ++w) {
    threads.emplace_back(work);
  }
  work();
  for (auto& t : threads) {
    t.join();
  }
  Results results;
  nlohmann::json steps = nlohmann::json::array();
  for (std::size_t i = 0; i < n; ++i) {
    const auto& step = plan.steps[i];
    if (crashes[i]) {
      std::rethrow_exception(crashes[i]);
    }
    if (!errors[i].empty()) {
      // A report the lake lacks (say, no metrics yet) is left out and said, not fatal.
      plan.notes.push_back(step.op + " could not run: " + errors[i]);
      steps.push_back({{"op", step.op}, {"params", step.params}, {"error", errors[i]}});
      continue;
    }
    results[step.op] = outputs[i].at("result");
    steps.push_back({{"op", step.op}, {"params", outputs[i].at("params")}});
  }
  FactSheet facts;
  const Draft draft = narrator_->narrate(text, plan, results, facts);
  nlohmann::json result_json = nlohmann::json::object();
  for (const auto& [op, result] : results) {
    result_json[op] = result;
  }
  return {{"question", text},
          {"planner", plan.planner},
          {"narrator", narrator_->name()},
          {"understood", plan.understood},
          {"intents", plan.intents},
          {"confidence", plan.confidence},
          {"slots", plan.slots.to_json()},
          {"follow_up", plan.follow_up},
          {"notes", plan.notes},
          {"filters", plan.filters},
          {"plan", steps},
          {"results", result_json},
          {"answer", draft.markdown()},
          {"facts", facts.to_json()}};
}

}  // namespace aa::analyst
