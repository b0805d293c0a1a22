// Fuzz target: the analyst's offline question parsing. Any question must give a plan of
// catalogue operations that validate_plan accepts, or a typed AppError (empty, too long).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>

#include "analyst/planner.h"
#include "core/app_error.h"
#include "support/domains.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const aa::ops::Domains domains = aa::test::real_data_domains();
  static aa::analyst::RulePlanner planner(domains);
  const std::string question(reinterpret_cast<const char*>(data), size);
  aa::analyst::Plan plan;
  try {
    plan = planner.plan(question, nlohmann::json::object());
  } catch (const aa::core::AppError&) {
    return 0;
  }
  // A plan the planner made must pass the same check as any other plan; if not, that is a bug.
  aa::analyst::validate_plan(plan, domains);
  if (plan.steps.size() < 3 || plan.steps.size() > 6) {
    std::abort();
  }
  return 0;
}
