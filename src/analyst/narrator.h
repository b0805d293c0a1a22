#pragma once
// Narration: computed results become an executive answer in three parts (the answer with its
// key figures, the evidence against the portfolio, one recommendation). Every figure is taken
// from a result and registered in the fact sheet before it is written.

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "analyst/facts.h"
#include "analyst/planner.h"

namespace aa::analyst {

// Operation name -> its result (as run_operation returns "result").
using Results = std::map<std::string, nlohmann::json>;

struct Draft {
  std::string answer;
  std::vector<std::string> evidence;
  std::string recommendation;
  bool verbatim = false;  // `answer` is the whole text (an LLM's, checked)
  // Plain markdown: bold headings, bullets; no HTML, images or links.
  std::string markdown() const;
};

class Narrator {
 public:
  virtual ~Narrator() = default;
  virtual std::string name() const = 0;
  // Writes the answer; registers every figure it states in `facts`.
  virtual Draft narrate(const std::string& question, const Plan& plan, const Results& results,
                        FactSheet& facts) = 0;
};

class TemplateNarrator : public Narrator {
 public:
  std::string name() const override { return "template"; }
  Draft narrate(const std::string& question, const Plan& plan, const Results& results,
                FactSheet& facts) override;
};

}  // namespace aa::analyst
