#pragma once
// Planning: a question (and the dashboard's filters) becomes 3-6 calls of catalogue
// operations with valid parameters. RulePlanner works offline from intents and entities in
// the question; an LLM planner (llm_agents.h) may replace it and falls back to it.

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

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
  // The intents recognised, strongest first ("overview" when none was).
  std::vector<std::string> intents;
  std::string planner;             // "rules", or "llm:<provider>"
  nlohmann::json filters;          // the filters the operations run with
  std::vector<std::string> notes;  // what the planner assumed or could not do
  bool understood = true;
};

class Planner {
 public:
  virtual ~Planner() = default;
  virtual Plan plan(const std::string& question, const nlohmann::json& filters) = 0;
};

class RulePlanner : public Planner {
 public:
  // Entity names (provinces, cards, genders) come from the data's domains.
  explicit RulePlanner(ops::Domains domains) : domains_(std::move(domains)) {}
  Plan plan(const std::string& question, const nlohmann::json& filters) override;

 private:
  ops::Domains domains_;
};

// Lower-case words of a question, punctuation dropped ("at-risk" -> "at", "risk").
std::vector<std::string> words_of(const std::string& text);
// Whether a word of the question stands for `keyword`: the same, a longer form of it (churn ->
// churning), or one typo away when both are long enough.
bool word_matches(const std::string& word, const std::string& keyword);
// Checks every step against the catalogue (names and parameter schemas) and the 3-6 bound;
// throws AppError(InvalidInput) describing the first problem.
void validate_plan(const Plan& plan, const ops::Domains& domains);

}  // namespace aa::analyst
