#pragma once
// The analyst's LLM path. LlmPlanner asks for one forced `submit_plan` tool call whose schema
// enumerates the catalogue; LlmNarrator gets a fact sheet and must write placeholders ({F1},
// {E2}) instead of figures and names. Both are validated, and any error, timeout or invalid
// output falls back to the offline RulePlanner / TemplateNarrator, saying so. The prompts
// carry the question, the filters and the catalogue; never data values.

#include <memory>
#include <string>

#include "analyst/analyst.h"
#include "analyst/llm.h"

namespace aa::analyst {

// At most this many LLM calls per question: one plan, one narration and one retry.
inline constexpr int kMaxLlmCalls = 3;

class LlmPlanner : public Planner {
 public:
  LlmPlanner(std::shared_ptr<LlmProvider> provider, ops::Domains domains);
  using Planner::plan;
  // The model's plan: a parameter outside its bounds is set to the bound (noted), and the two
  // KPI operations are always added; any other problem falls back to the rules. A follow-up
  // the rules recognise is planned by them.
  Plan plan(const std::string& question, const nlohmann::json& filters,
            const std::optional<Turn>& previous) override;

 private:
  std::shared_ptr<LlmProvider> provider_;
  ops::Domains domains_;
  SlotFiller slots_;
  RulePlanner fallback_;
};

class LlmNarrator : public Narrator {
 public:
  explicit LlmNarrator(std::shared_ptr<LlmProvider> provider) : provider_(std::move(provider)) {}
  std::string name() const override { return name_; }
  Draft narrate(const std::string& question, const Plan& plan, const Results& results,
                FactSheet& facts) override;

 private:
  std::shared_ptr<LlmProvider> provider_;
  TemplateNarrator fallback_;
  std::string name_ = "template";
};

// The catalogue as the LLM planner sees it: names, descriptions and parameter schemas, with
// choices drawn from the data (provinces, cards, ...) left out.
nlohmann::json llm_catalogue(const ops::Domains& domains);
// The submit_plan tool.
ToolSpec plan_tool(const ops::Domains& domains);
// Checks an LLM narration against the facts: every placeholder known, no digits outside them
// (beyond a small allow-list), no HTML, links or images. Returns the text with the values
// substituted; throws LlmError naming the first problem.
std::string check_and_fill(const std::string& text, const FactSheet& facts);

// The analyst for a configuration: offline when the provider is none.
std::unique_ptr<Analyst> make_analyst(
    ops::OpsContext& context, const core::LlmConfig& config,
    const core::Environment& environment = core::process_environment());

}  // namespace aa::analyst
