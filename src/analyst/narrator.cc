#include "analyst/narrator.h"

#include <fmt/format.h>

#include <algorithm>

#include "analyst/intents.h"
#include "analyst/text.h"

namespace aa::analyst {

namespace {

// The answer when the question was not understood: why, and what the analyst can answer,
// instead of a confident answer to something else.
Draft unsure(Writer& w, const Plan& plan) {
  Draft d;
  d.answer = fmt::format(
      "I am not sure what this asks, so I will not guess: {}. I can answer questions about {}.",
      plan.unsure_reason.empty() ? "no kind of question I answer fits it" : plan.unsure_reason,
      intents_sentence());
  if (const std::string line = slice_vs_portfolio(w); !line.empty()) {
    d.evidence.push_back(line);
  }
  d.recommendation = fmt::format(
      "Ask, for example, \"{}\", \"{}\" or \"{}\".", find_intent("priority").examples.front(),
      find_intent("drivers").examples.front(), find_intent("individuals").examples.front());
  return d;
}

}  // namespace

std::string primary_intent(const Plan& plan) {
  const auto names = intent_names();
  if (!plan.intents.empty() &&
      std::find(names.begin(), names.end(), plan.intents.front()) != names.end()) {
    return plan.intents.front();
  }
  std::vector<std::string> ops;
  for (const auto& s : plan.steps) {
    ops.push_back(s.op);
  }
  return intent_of_operations(ops);
}

Draft TemplateNarrator::narrate(const std::string& question, const Plan& plan,
                                const Results& results, FactSheet& facts) {
  Writer w(results, facts);
  if (results.count("kpis_slice") && w.number("kpis_slice", "/customers") == 0) {
    return {
        "No member matches these filters, so there is nothing to report. Widen the filters "
        "and ask again.",
        {},
        ""};
  }
  const std::string primary = primary_intent(plan);
  if (!plan.understood || primary.empty()) {
    return unsure(w, plan);
  }
  const Ask ask{question, words_of(question), plan.slots};
  Draft d = find_intent(primary).draft(w, ask);
  // One line from each further intent the question raised, as evidence.
  Ask plain = ask;
  plain.slots.yes_no = false;
  for (std::size_t i = 1; i < plan.intents.size() && d.evidence.size() < 3; ++i) {
    if (plan.intents[i] != primary) {
      const Draft extra = find_intent(plan.intents[i]).draft(w, plain);
      if (!extra.answer.empty()) {
        d.evidence.push_back(extra.answer);
      }
    }
  }
  if (d.evidence.size() < 3) {
    if (const std::string line = slice_vs_portfolio(w); !line.empty()) {
      d.evidence.push_back(line);
    }
  }
  return d;
}

}  // namespace aa::analyst
