#include "sample/member_history.h"

namespace aa::sample {

void simulate_member(const ScenarioOptions& options, Rng& rng, const MemberProfile& m,
                     MemberHistory& out) {
  out.cancel_index = -1;
  out.truth.clear();
  out.months.fill(MonthRecord{});
  // Members with every month recorded twice, as 163 of the real data's 16,737.
  out.duplicated = rng.chance(163.0 / 16737.0);
  switch (options.scenario) {
    case Scenario::ReferenceLike:
      simulate_reference_like(rng, m, out);
      return;
    case Scenario::TenureCliff:
      simulate_tenure_cliff(rng, m, out);
      return;
    case Scenario::Behaviour:
      simulate_behaviour(rng, m, kWindowLast + 1, out);
      return;
    case Scenario::Drift:
      simulate_behaviour(rng, m, options.drift_month, out);
      return;
  }
}

}  // namespace aa::sample
