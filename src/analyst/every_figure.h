#pragma once
// Every figure of the computed results as a fact, for the LLM narrator: each numeric field
// formatted in the unit its operation declares (ops/result_schema.h) and each name or label with its kind, so that the model
// can cite any computed figure as a placeholder, not only the ones the template chose.
// Chart series (curves, ROC points, the activity series, the ROI curve) and personal fields
// (salary, postal code, city, quarantined raw values) are left out, and each list contributes
// its first kMaxRowsPerList rows.

#include "analyst/facts.h"
#include "analyst/writer.h"

namespace aa::analyst {

inline constexpr std::size_t kMaxRowsPerList = 25;

// Registers every figure of `results` not yet in `facts` (the same op and path keep one id).
void register_every_figure(const Results& results, FactSheet& facts);

}  // namespace aa::analyst
