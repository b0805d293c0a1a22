// behaviour (and drift): behaviour drives cancellations, and there is no tenure cliff.
//
// Each member flies with their latent chance (as in reference-like); half of them disengage
// from a month drawn around the window, after which that chance falls by 40% a month. 40% of
// members redeem points in half of the months, and half of those stop (then 3% of months);
// others redeem in 4% of months.
//
// The files cover 2016-01 .. 2018-12 (a year more than the real data's), so that every month
// the hazard looks at is in the file. Each month s, from what the activity file shows up to s,
// exactly as the churn model's snapshot at cutoff s computes it, a member decides to leave with
// probability
//   d(s) = L(eta(s)),  eta(s) = -7.8 + trend + recency + redemption + card + promotion
//   trend      = 0.45 per flight beyond two that the last 3 months fell short of the 3 before
//                (at most 6; a dip of one or two flights is ordinary)
//   recency    = 0.45 per month since the last flight beyond the first (at most 8 months)
//   redemption = 1.8 when 1,000+ points were redeemed in months s-11 .. s-6 and none since
//   card       = 0.5 for Star, 0.25 for Nova, 0 for Aurora
//   promotion  = 0.8 for members who joined on the 2018 promotion (the term we chose)
// where L is the logistic link averaged over an independent N(0, 0.5^2) shock to each month's
// log-odds (the noise). The cancellation is recorded kNoticeMonths = 6 months after the
// decision. The hazard of cancelling in month T+1 is therefore d(T-5), and the probability of
// cancelling in T+1 .. T+6 is 1 - prod over s = T-5 .. T of (1 - d(s)): both known exactly at
// T. Decisions start with the file (2016-01), so the first cancellations fall in 2016-07.
//
// drift: from the drift month on, members fly 30% less, the behaviour terms count a quarter,
// card tier three times (1.5 for Star, 0.75 for Nova) and the promotion 2.5 times as much
// (2.0). The top mechanism is the term with the largest d-weighted mean over s = T-5 .. T, or
// baseline when none reaches 0.25.

#include <algorithm>
#include <array>
#include <cmath>
#include <vector>

#include "sample/member_history.h"

namespace aa::sample {

namespace {

struct HazardWeights {
  double intercept;
  double trend;
  double recency;
  double redemption;
  std::array<double, 3> card;  // by CardTier
  double promotion;
  double activity;  // multiplies the chance of flying
};
constexpr HazardWeights kBehaviour = {-7.8, 0.45, 0.45, 1.8, {0.5, 0.25, 0.0}, 0.8, 1.0};
constexpr HazardWeights kAfterDrift = {-7.8, 0.1125, 0.1125, 0.45, {1.5, 0.75, 0.0}, 2.0, 0.7};
constexpr double kNoiseSd = 0.5;
constexpr double kMinMechanism = 0.25;  // log-odds: below this, nothing stands out
// The recency term starts after the first month without a flight; the trend term beyond two
// flights fewer than the 3 months before (smaller dips are ordinary month-to-month noise).
constexpr int kRecencySlack = 1;
constexpr std::int64_t kTrendSlack = 2;

enum Term { kTrend, kRecency, kRedemption, kCard, kPromotion, kTerms };
constexpr std::array<Mechanism, kTerms> kTermMechanism = {
    Mechanism::FlightTrend, Mechanism::Recency, Mechanism::RedemptionStop, Mechanism::CardTier,
    Mechanism::Promotion};

// E[1 / (1 + exp(-(eta + e)))] for e ~ N(0, kNoiseSd^2), tabulated every 1/256 on [-20, 20]
// (Simpson's rule over +-8 sd) and interpolated: the same function draws and truth use.
double logistic_normal(double eta) {
  constexpr double kLow = -20;
  constexpr double kStep = 1.0 / 256;
  static const std::vector<double> table = [] {
    std::vector<double> t;
    constexpr int kPoints = 800;  // even
    for (double x = kLow; x <= -kLow + 1e-9; x += kStep) {
      double sum = 0;
      for (int i = 0; i <= kPoints; ++i) {
        const double z = -8 + 16.0 * i / kPoints;
        const double w = (i == 0 || i == kPoints) ? 1 : (i % 2 == 1 ? 4 : 2);
        sum += w * std::exp(-0.5 * z * z) / (1 + std::exp(-(x + kNoiseSd * z)));
      }
      t.push_back(sum * (16.0 / kPoints) / 3 / std::sqrt(2 * M_PI));
    }
    return t;
  }();
  const double pos = (std::clamp(eta, kLow, -kLow) - kLow) / kStep;
  const auto i = std::min(static_cast<std::size_t>(pos), table.size() - 2);
  const double frac = pos - static_cast<double>(i);
  return table[i] + frac * (table[i + 1] - table[i]);
}

// The member's traits that behaviour depends on, drawn once.
struct Traits {
  bool declines = false;
  int onset = 0;
  bool redeemer = false;
  bool stops = false;
  int stop = 0;
};

Traits draw_traits(Rng& rng) {
  Traits t;
  t.declines = rng.chance(0.5);
  t.onset = static_cast<int>(rng.between(kEarliestWindowFirst - 6, kWindowLast + 6));
  t.redeemer = rng.chance(0.4);
  t.stops = rng.chance(0.5);
  t.stop = static_cast<int>(rng.between(kEarliestWindowFirst - 6, kWindowLast + 3));
  return t;
}

MonthChances chances_at(int i, const MemberProfile& m, const Traits& t, const HazardWeights& w) {
  MonthChances c;
  c.fly = m.activity * season(i) * w.activity;
  if (t.declines && i >= t.onset) {
    c.fly *= std::pow(0.6, i - t.onset + 1);
  }
  c.redeem = !t.redeemer ? 0.04 : (t.stops && i >= t.stop ? 0.03 : 0.5);
  return c;
}

// The hazard's terms at month s from the months lived_from .. s.
std::array<double, kTerms> terms_at(int s, int lived_from, const MemberProfile& m,
                                    const MemberHistory& h, const HazardWeights& w) {
  std::int64_t last3 = 0;
  std::int64_t prev3 = 0;
  std::int64_t redeemed6 = 0;   // points redeemed in the last 6 months
  std::int64_t redeemed12 = 0;  // ... in the last 12
  int last_flight = -1;
  for (int j = std::max(lived_from, s - 11); j <= s; ++j) {
    const MonthRow r = h.at(j).merged();
    if (j >= s - 2) {
      last3 += r.flights;
    } else if (j >= s - 5) {
      prev3 += r.flights;
    }
    redeemed6 += j >= s - 5 ? r.redeemed : 0;
    redeemed12 += r.redeemed;
  }
  for (int j = s; j >= lived_from; --j) {
    if (h.at(j).merged().flights > 0) {
      last_flight = j;
      break;
    }
  }
  // As the snapshot's months_since_last_flight: capped by tenure and the data's start.
  const int recency = last_flight >= 0 ? s - last_flight : s - lived_from + 1;
  std::array<double, kTerms> terms{};
  terms[kTrend] =
      w.trend * static_cast<double>(std::clamp<std::int64_t>(prev3 - last3 - kTrendSlack, 0, 6));
  terms[kRecency] = w.recency * std::max(0, std::min(recency, 9) - kRecencySlack);
  terms[kRedemption] = redeemed12 - redeemed6 >= 1000 && redeemed6 == 0 ? w.redemption : 0.0;
  terms[kCard] = w.card[static_cast<std::size_t>(m.card)];
  terms[kPromotion] = m.promotion ? w.promotion : 0.0;
  return terms;
}

}  // namespace

void simulate_behaviour(Rng& rng, const MemberProfile& m, int drift_month, MemberHistory& out) {
  const Traits traits = draw_traits(rng);
  // Behaviour and decisions from the member's first month in the file (or enrollment).
  const int lived_from = std::max(m.enroll_index, m.first_row_month());
  std::array<double, kMaxWindowMonths> decide{};  // d(s), 0 before lived_from
  std::array<std::array<double, kTerms>, kMaxWindowMonths> terms{};
  int decision = -1;
  for (int i = m.first_row_month(); i <= kWindowLast; ++i) {
    const HazardWeights& w = i >= drift_month ? kAfterDrift : kBehaviour;
    const int c = out.cancel_index;
    out.at(i) = c >= 0 && i > c ? zero_record(out.duplicated)
                                : draw_record(rng, i, m.enroll_index, chances_at(i, m, traits, w),
                                              out.duplicated);
    if (i < lived_from) {
      continue;
    }
    const auto k = static_cast<std::size_t>(i - kEarliestWindowFirst);
    terms[k] = terms_at(i, lived_from, m, out, w);
    double eta = w.intercept;
    for (double term : terms[k]) {
      eta += term;
    }
    decide[k] = logistic_normal(eta);
    if (decision < 0 && rng.chance(decide[k])) {
      decision = i;
      if (i + kNoticeMonths <= kWindowLast) {
        out.cancel_index = i + kNoticeMonths;
      }
    }
    if (!out.keep_truth || (out.cancel_index >= 0 && out.cancel_index <= i)) {
      continue;  // cancelled by the end of month i: no longer in the population
    }
    TruthRow row;
    row.month_index = i;
    double stay = 1;
    double weight = 0;
    std::array<double, kTerms> weighted{};
    for (int s = std::max(lived_from, i - kNoticeMonths + 1); s <= i; ++s) {
      const auto ks = static_cast<std::size_t>(s - kEarliestWindowFirst);
      stay *= 1 - decide[ks];
      weight += decide[ks];
      for (std::size_t t = 0; t < kTerms; ++t) {
        weighted[t] += decide[ks] * terms[ks][t];
      }
    }
    row.p_cancel_6m = 1 - stay;
    const int hazard_month = i - kNoticeMonths + 1;
    row.hazard = hazard_month >= lived_from
                     ? decide[static_cast<std::size_t>(hazard_month - kEarliestWindowFirst)]
                     : 0.0;
    const auto top = static_cast<std::size_t>(
        std::max_element(weighted.begin(), weighted.end()) - weighted.begin());
    if (weight > 0 && weighted[top] / weight >= kMinMechanism) {
      row.mechanism = kTermMechanism[top];
    }
    out.truth.push_back(row);
  }
}

}  // namespace aa::sample
