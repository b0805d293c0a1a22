#pragma once
// What happens to one synthetic member in the data window under a scenario: their
// cancellation, the activity file's rows, and the truth the generator knows month by month.

#include <array>
#include <vector>

#include "sample/member_profile.h"
#include "sample/month_activity.h"
#include "sample/scenario.h"

namespace aa::sample {

// The truth at the end of month T for a member enrolled by T and not cancelled by T: what the
// generator's process gives, knowing everything it drew up to T (including the member's
// latent traits, never anything drawn after T).
struct TruthRow {
  int month_index = 0;
  double hazard = 0;       // P(cancels in month T+1)
  double p_cancel_6m = 0;  // P(cancels in T+1 .. T+6): what the churn model's label asks
  Mechanism mechanism = Mechanism::Baseline;  // what contributes most to p_cancel_6m
};

struct MemberHistory {
  int cancel_index = -1;  // -1: no cancellation in the data
  bool duplicated = false;
  std::array<MonthRecord, kMaxWindowMonths> months{};  // [month_index - kEarliestWindowFirst]
  std::vector<TruthRow> truth;
  // Kept across members: false leaves `truth` empty (generate-sample --no-truth), so the
  // files come as fast as without planted truth. The draws are the same either way.
  bool keep_truth = true;
  MonthRecord& at(int month_index) { return months[slot(month_index)]; }
  const MonthRecord& at(int month_index) const { return months[slot(month_index)]; }

 private:
  static std::size_t slot(int month_index) {
    return static_cast<std::size_t>(month_index - kEarliestWindowFirst);
  }
};

struct ScenarioOptions {
  Scenario scenario = Scenario::ReferenceLike;
  int drift_month = 2018 * 12 + 5;  // drift: the first month of the new mechanism (2018-06)
};

// Clears `out` and fills it for member `m`.
void simulate_member(const ScenarioOptions& options, Rng& rng, const MemberProfile& m,
                     MemberHistory& out);

// One per scenario (scenario_*.cc); `out` arrives cleared, with `duplicated` drawn.
void simulate_reference_like(Rng& rng, const MemberProfile& m, MemberHistory& out);
void simulate_tenure_cliff(Rng& rng, const MemberProfile& m, MemberHistory& out);
// Behaviour drives the hazard; from `drift_month` on (never, when it is past the window) the
// mechanism changes (the drift scenario).
void simulate_behaviour(Rng& rng, const MemberProfile& m, int drift_month, MemberHistory& out);

// Number of months after a member's decision until the cancellation is recorded (behaviour
// scenarios): disengagement comes first, the cancellation six months later.
inline constexpr int kNoticeMonths = 6;

}  // namespace aa::sample
