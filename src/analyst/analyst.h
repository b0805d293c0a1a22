#pragma once
// The AI analyst's entry point: ask(question, filters) plans with a closed catalogue of
// operations, runs them, and narrates the results; every figure in the answer comes from a
// result and is listed in the facts. The same JSON serves the CLI, the server and tests.

#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "analyst/narrator.h"
#include "analyst/planner.h"
#include "ops/ops_context.h"

namespace aa::analyst {

class Analyst {
 public:
  // The offline path: RulePlanner and TemplateNarrator.
  explicit Analyst(ops::OpsContext& context);
  Analyst(ops::OpsContext& context, std::unique_ptr<Planner> planner,
          std::unique_ptr<Narrator> narrator);

  // {question, planner, narrator, understood, intents, confidence, slots, follow_up, notes,
  //  filters, plan: [{op, params}], results: {op: result}, answer,
  //  facts: [{id, value, op, path, label, kind}]}.
  // `context` is the previous turn (a previous answer, or null): a follow-up reuses its intent
  // with the slots the question changes. An empty or over-long question, invalid filters or a
  // context that is not an object throw AppError(InvalidInput).
  nlohmann::json ask(const std::string& question, const nlohmann::json& filters,
                     const nlohmann::json& context = nullptr);

 private:
  ops::OpsContext& context_;
  std::unique_ptr<Planner> planner_;
  std::unique_ptr<Narrator> narrator_;
};

// The question with surrounding blanks trimmed; AppError(InvalidInput) when it is empty or
// longer than kMaxQuestionLength characters.
std::string checked_question(const std::string& question);

}  // namespace aa::analyst
