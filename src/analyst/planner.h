#pragma once
// Planning: a question (and the dashboard's filters) becomes 3-6 calls of catalogue
// operations with valid parameters. RulePlanner works offline: the recogniser picks the
// intent (rules and ranker, analyst/recogniser.h), the slot filler reads what the question
// names, and the intent table's row says which operations run; a follow-up reuses the previous
// turn's intent with the slots it changes. An LLM planner (llm_agents.h) may replace it and
// falls back to it.

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "analyst/recogniser.h"
#include "analyst/slots.h"
#include "ops/filters.h"

namespace aa::analyst {

inline constexpr std::size_t kMinSteps = 3;
inline constexpr std::size_t kMaxSteps = 6;
inline constexpr std::size_t kMaxQuestionLength = 500;

struct PlanStep {
  std::string op;
  nlohmann::json params = nlohmann::json::object();
};

struct Plan {
  std::vector<PlanStep> steps;
  // The intents recognised, strongest first ("unsure" when none was).
  std::vector<std::string> intents;
  std::string planner;             // "rules", or "llm:<provider>"
  nlohmann::json filters;          // the filters the operations run with
  std::vector<std::string> notes;  // what the planner assumed or could not do
  bool understood = true;
  Slots slots;                // what the question (and a previous turn) named
  double confidence = 0;      // the main intent's score (rules: rules + ranker)
  std::string unsure_reason;  // why the question was not understood
  nlohmann::json follow_up;   // null, or {of, intent, inherited: [...], changed: [...]}
};

// The previous turn of a thread: what a follow-up may reuse.
struct Turn {
  std::string question;
  std::string intent;
  Slots slots;
  // From a previous answer (`ask --json` output, or its question, intents and slots); nullopt
  // when it holds no understood intent. AppError(InvalidInput) when it is not an object.
  static std::optional<Turn> from_json(const nlohmann::json& previous);
};

class Planner {
 public:
  virtual ~Planner() = default;
  virtual Plan plan(const std::string& question, const nlohmann::json& filters,
                    const std::optional<Turn>& previous) = 0;
  Plan plan(const std::string& question, const nlohmann::json& filters) {
    return plan(question, filters, std::nullopt);
  }
};

class RulePlanner : public Planner {
 public:
  // Entity names (provinces, cards, genders) come from the data's domains.
  explicit RulePlanner(ops::Domains domains) : domains_(domains), slots_(std::move(domains)) {}
  using Planner::plan;
  Plan plan(const std::string& question, const nlohmann::json& filters,
            const std::optional<Turn>& previous) override;
  // The intents ranked for a question, best first (for evaluation and "How I got this").
  Recognition recognise(const std::string& question) const;

 private:
  ops::Domains domains_;
  SlotFiller slots_;
  Recogniser recogniser_;
};

// Checks every step against the catalogue (names and parameter schemas) and the 3-6 bound;
// throws AppError(InvalidInput) describing the first problem.
void validate_plan(const Plan& plan, const ops::Domains& domains);
// Adds a step unless the plan has it already or is full.
void add_step(Plan& plan, const std::string& op, nlohmann::json params = nlohmann::json::object());
// The two KPI operations every plan carries for the evidence, then padding up to three steps.
void add_context_steps(Plan& plan);

}  // namespace aa::analyst
