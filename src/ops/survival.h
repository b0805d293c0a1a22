#pragma once
// Kaplan-Meier survival with late entry (left truncation), in whole months of tenure.

#include <cstdint>
#include <optional>
#include <vector>

namespace aa::ops {

// `count` members who enter observation at tenure `entry` (0 = from enrollment; members who
// enrolled before the data window enter late) and leave it at tenure `exit`, by cancelling
// (event) or by the data ending (censored).
struct SurvivalSubject {
  int entry = 0;
  int exit = 0;
  bool event = false;
  std::int64_t count = 1;
};

struct SurvivalPoint {
  int time = 0;
  std::int64_t at_risk = 0;   // entry <= time <= exit
  std::int64_t events = 0;    // cancelled at time
  std::int64_t censored = 0;  // observation ended at time without cancelling
  double survival = 1;        // product over s <= time of (1 - events_s / at_risk_s)
  double ci_low = 1;          // 95% interval, Greenwood's variance, clipped to [0, 1]
  double ci_high = 1;
};

struct SurvivalCurve {
  std::vector<SurvivalPoint> points;  // every month from the first entry to the last exit
  std::int64_t subjects = 0;
  std::int64_t events = 0;
  std::optional<int> median;  // first time survival <= 0.5
  // Survival at `time` (the last point at or before it; nullopt past the end of follow-up).
  std::optional<double> at(int time) const;
};

// Subjects with exit < entry or negative times are a caller's bug.
SurvivalCurve kaplan_meier(const std::vector<SurvivalSubject>& subjects);

}  // namespace aa::ops
