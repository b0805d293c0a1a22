#pragma once
// The monitor intent's draft (drafts_health.cc): "Is the model still working?", "Has anything
// changed in the data?", from the model_health operation (the monitor's report).

#include "analyst/drafts.h"

namespace aa::analyst {

Draft draft_model_health(Writer& w, const Ask& ask);

}  // namespace aa::analyst
