#pragma once
// The kept scorings (curated/churn/predictions/scored_month=YYYY-MM/) judged against what the
// latest data shows happened after each (realized_performance.h, status_rule.h).

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/duck.h"
#include "core/lake.h"

namespace aa::monitor {

struct KeptScoring {
  std::string month;  // "2018-06"
  int month_index = 0;
  fs::path file;
};

// Every kept scoring, oldest first.
std::vector<KeptScoring> kept_scorings(const core::Lake& lake);

struct ScoringJudgements {
  nlohmann::json realized = nlohmann::json::array();  // matured at least one month
  nlohmann::json pending = nlohmann::json::array();   // not matured yet
};

// Each kept scoring against the cancellations in the lake's processed loyalty file, with data
// up to `last_month`. An entry of `previous` (the last report's "realized") whose inputs (the
// scoring file, the outcomes, the resamples and seed, the expected figures) are unchanged is
// reused as it was: a fully matured scoring is computed once.
ScoringJudgements judge_kept_scorings(duck::Connection& connection, const core::Lake& lake,
                                      int last_month, const nlohmann::json& previous, int resamples,
                                      std::uint64_t seed);

}  // namespace aa::monitor
