// reference-like: the default scenario, shaped like the real data set.
//
// Whether and when a member cancels is drawn once, from a prior that depends on the month they
// enrolled (E): 2067 / 16737 of members cancel; a cancelling member's cohort share kCliffShare
// cancels exactly 8 months after enrolling (the real data's tenure cliff), the others in a
// calendar month drawn as the real data's cancellations by year (uniform month; a month at or
// before enrollment moves to 1-12 months after it). Nobody cancels after 2018-12, as in the
// real data. Activity thins out in the six months up to the cancellation (the chance of flying
// times 0.15 + 0.12 * months before it), which is why behaviour carries some signal here.
//
// The truth at T is the posterior of cancelling in T+1 .. T+6 given the prior and every flight
// or non-flight drawn up to T (the thinning's likelihood ratio), with the member's latent
// chance of flying known: exact, no simulation.

#include <algorithm>
#include <array>
#include <cmath>
#include <vector>

#include "sample/member_history.h"

namespace aa::sample {

namespace {

constexpr double kCancelShare = 2067.0 / 16737.0;
// Cancellations by calendar year in the real data, 2013..2018.
constexpr std::array<double, 6> kCancelYearWeights = {43, 181, 265, 427, 506, 645};
constexpr int kFirstEnrollment = 2012 * 12;
constexpr int kCliffMonths = 8;
constexpr int kFirstCancellation = 2013 * 12;
// Share of a cohort's cancellations at exactly kCliffMonths, by enrollment year 2012..2018
// (the real data: 15% for 2013 enrollees, 79% for 2017-2018).
constexpr std::array<double, 7> kCliffShare = {0.10, 0.15, 0.25, 0.40, 0.60, 0.79, 0.79};

// The chance of flying, `months_before` a cancellation (0: its month), relative to usual.
double thinning(int months_before) { return 0.15 + 0.12 * months_before; }

struct CancelPrior {
  std::vector<double> mass;   // [c - enroll - 1]: P(cancels in month c), c = enroll+1 .. last
  std::vector<double> cliff;  // the part of `mass` from the cliff
  std::vector<double> tail;   // [k]: mass[k] + mass[k + 1] + ... (one more entry, 0)
  double never = 1;
};

CancelPrior build_prior(int enroll) {
  CancelPrior p;
  const int span = std::max(0, kWindowLast - enroll);
  p.mass.assign(static_cast<std::size_t>(span), 0.0);
  p.cliff.assign(static_cast<std::size_t>(span), 0.0);
  double never_background = 0;
  std::vector<double> background(static_cast<std::size_t>(span), 0.0);
  double total = 0;
  for (double w : kCancelYearWeights) {
    total += w;
  }
  const auto add = [&](int c, double mass) {
    if (c > enroll && c <= kWindowLast) {
      background[static_cast<std::size_t>(c - enroll - 1)] += mass;
    } else {
      never_background += mass;
    }
  };
  for (std::size_t y = 0; y < kCancelYearWeights.size(); ++y) {
    for (int month = 0; month < 12; ++month) {
      const double mass = kCancelYearWeights[y] / total / 12;
      const int c = (2013 + static_cast<int>(y)) * 12 + month;
      if (c > enroll) {
        add(c, mass);
        continue;
      }
      for (int k = 1; k <= 12; ++k) {
        add(std::min(enroll + k, kWindowLast), mass / 12);
      }
    }
  }
  const int cliff = enroll + kCliffMonths;
  const std::size_t year = static_cast<std::size_t>(std::clamp(enroll / 12 - 2012, 0, 6));
  // The real data's cancellations run 2013 .. 2018: a cliff outside them is not drawn.
  const double share =
      cliff <= kWindowLast && cliff >= kFirstCancellation ? kCliffShare[year] : 0.0;
  for (int i = 0; i < span; ++i) {
    p.mass[static_cast<std::size_t>(i)] = kCancelShare * (1 - share) * background[i];
  }
  if (share > 0) {
    p.cliff[static_cast<std::size_t>(cliff - enroll - 1)] = kCancelShare * share;
    p.mass[static_cast<std::size_t>(cliff - enroll - 1)] += kCancelShare * share;
  }
  p.never = 1 - kCancelShare + kCancelShare * (1 - share) * never_background;
  p.tail.assign(p.mass.size() + 1, 0.0);
  for (std::size_t k = p.mass.size(); k-- > 0;) {
    p.tail[k] = p.tail[k + 1] + p.mass[k];
  }
  return p;
}

// One prior per enrollment month (2012-01 .. 2018-12), built once.
const CancelPrior& prior_for(int enroll) {
  static const std::vector<CancelPrior> table = [] {
    std::vector<CancelPrior> t;
    for (int e = kFirstEnrollment; e <= kWindowLast; ++e) {
      t.push_back(build_prior(e));
    }
    return t;
  }();
  return table[static_cast<std::size_t>(std::clamp(enroll, kFirstEnrollment, kWindowLast) -
                                        kFirstEnrollment)];
}

int draw_cancellation(Rng& rng, int enroll, const CancelPrior& prior) {
  double u = rng.uniform();
  for (std::size_t i = 0; i < prior.mass.size(); ++i) {
    if ((u -= prior.mass[i]) < 0) {
      return enroll + 1 + static_cast<int>(i);
    }
  }
  return -1;
}

// The likelihood of month i's draws if the member cancels in month c (thinned), against if
// not (for c - i in 1..5; the cancellation month itself is never in view before it).
double month_ratio(const MonthRecord& r, double fly, int months_before) {
  const double f = thinning(months_before);
  const auto one = [&](const MonthRow& row) {
    return row.flights > 0 ? f : (1 - fly * f) / (1 - fly);
  };
  double ratio = one(r.first);
  if (r.has_second && !r.first.empty()) {  // a second draw, not a copy
    ratio *= one(r.second);
  }
  return ratio;
}

TruthRow truth_at(int t, const MemberProfile& m, const CancelPrior& prior,
                  const MemberHistory& h) {
  const int enroll = m.enroll_index;
  const int seen_from = std::max(enroll, m.first_row_month());
  double numerator = 0;
  double denominator = prior.never;
  double prior_numerator = 0;
  double prior_denominator = prior.never;
  double cliff_numerator = 0;
  double next_month = 0;
  // Draws up to T bear on a cancellation in T+1 .. T+5 only (thinning reaches five months
  // back); later months keep their prior mass, summed once.
  const int last_in_view = std::min(t + 6, kWindowLast);
  if (last_in_view < kWindowLast) {
    const double later = prior.tail[static_cast<std::size_t>(last_in_view + 1 - enroll - 1)];
    denominator += later;
    prior_denominator += later;
  }
  for (int c = t + 1; c <= last_in_view; ++c) {
    const auto k = static_cast<std::size_t>(c - enroll - 1);
    double ratio = 1;
    for (int i = std::max(c - 5, seen_from); i <= t; ++i) {
      ratio *= month_ratio(h.at(i), m.activity * season(i), c - i);
    }
    const double weighted = prior.mass[k] * ratio;
    denominator += weighted;
    prior_denominator += prior.mass[k];
    if (c <= t + 6) {
      numerator += weighted;
      prior_numerator += prior.mass[k];
      cliff_numerator += prior.cliff[k] * ratio;
    }
    if (c == t + 1) {
      next_month = weighted;
    }
  }
  TruthRow row;
  row.month_index = t;
  row.hazard = next_month / denominator;
  row.p_cancel_6m = numerator / denominator;
  if (numerator > 0) {
    const double prior_p = prior_numerator / prior_denominator;
    if (row.p_cancel_6m >= 2 * prior_p) {
      row.mechanism = Mechanism::ActivityDrop;
    } else if (cliff_numerator >= 0.5 * numerator) {
      row.mechanism = Mechanism::TenureCliff;
    }
  }
  return row;
}

}  // namespace

void simulate_reference_like(Rng& rng, const MemberProfile& m, MemberHistory& out) {
  const CancelPrior& prior = prior_for(m.enroll_index);
  out.cancel_index = draw_cancellation(rng, m.enroll_index, prior);
  const int c = out.cancel_index;
  for (int i = m.first_row_month(); i <= kWindowLast; ++i) {
    if (c >= 0 && i > c) {
      out.at(i) = zero_record(out.duplicated);
      continue;
    }
    MonthChances chances;
    chances.fly = m.activity * season(i) * (c >= 0 && c - i < 6 ? thinning(c - i) : 1.0);
    out.at(i) = draw_record(rng, i, m.enroll_index, chances, out.duplicated);
  }
  if (!out.keep_truth) {
    return;
  }
  for (int t = std::max(m.enroll_index, m.window_first); t <= kWindowLast; ++t) {
    if (c >= 0 && c <= t) {
      break;
    }
    out.truth.push_back(truth_at(t, m, prior, out));
  }
}

}  // namespace aa::sample
