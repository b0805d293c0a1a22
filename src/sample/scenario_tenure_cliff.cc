// tenure-cliff: tenure is the only rule. A member's chance of cancelling in their k-th month of
// membership is kBackground, plus kCliff in month 8. Activity is drawn as in reference-like but
// never thins before a cancellation: behaviour carries no signal.
//
// The truth at T, with t = T - E months of tenure: hazard = h(t + 1) and
// p_cancel_6m = 1 - prod over k = t+1 .. t+6 of (1 - h(k)). The process continues past the
// data's end, so the truth does too (the file simply stops in 2018-12).

#include <algorithm>

#include "sample/member_history.h"

namespace aa::sample {

namespace {

constexpr int kCliffMonths = 8;
constexpr double kBackground = 0.0012;
constexpr double kCliff = 0.09;

double hazard(int tenure_months) {
  return kBackground + (tenure_months == kCliffMonths ? kCliff : 0.0);
}

TruthRow truth_at(int t, const MemberProfile& m) {
  const int tenure = t - m.enroll_index;
  double stay = 1;
  for (int k = tenure + 1; k <= tenure + 6; ++k) {
    stay *= 1 - hazard(k);
  }
  TruthRow row;
  row.month_index = t;
  row.hazard = hazard(tenure + 1);
  row.p_cancel_6m = 1 - stay;
  if (tenure + 1 <= kCliffMonths && kCliffMonths <= tenure + 6) {
    row.mechanism = Mechanism::TenureCliff;
  }
  return row;
}

}  // namespace

void simulate_tenure_cliff(Rng& rng, const MemberProfile& m, MemberHistory& out) {
  for (int c = m.enroll_index + 1; c <= kWindowLast; ++c) {
    if (rng.chance(hazard(c - m.enroll_index))) {
      out.cancel_index = c;
      break;
    }
  }
  const int c = out.cancel_index;
  for (int i = m.first_row_month(); i <= kWindowLast; ++i) {
    if (c >= 0 && i > c) {
      out.at(i) = zero_record(out.duplicated);
      continue;
    }
    MonthChances chances;
    chances.fly = m.activity * season(i);
    out.at(i) = draw_record(rng, i, m.enroll_index, chances, out.duplicated);
  }
  if (!out.keep_truth) {
    return;
  }
  for (int t = std::max(m.enroll_index, m.window_first); t <= kWindowLast; ++t) {
    if (c >= 0 && c <= t) {
      break;
    }
    out.truth.push_back(truth_at(t, m));
  }
}

}  // namespace aa::sample
