#pragma once
// Narration: computed results become an executive answer in three parts (the answer, whose
// first sentence answers the question as asked, with its key figure; the evidence against the
// portfolio; one recommendation). The intent table's row names the draft that writes it; every
// figure is taken from a result and registered in the fact sheet before it is written.

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "analyst/drafts.h"
#include "analyst/facts.h"
#include "analyst/planner.h"
#include "analyst/writer.h"

namespace aa::analyst {

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

// The intent a plan answers: its first intent when the table has it, else the intent whose
// operations it runs ("" when none).
std::string primary_intent(const Plan& plan);

}  // namespace aa::analyst
