#pragma once
// The monthly cancellation hazard by months since enrollment, and the months whose hazard
// stands far above its neighbours' (spikes), under a stated significance rule. A plain
// function over counts of members by (enrollment month, cancellation month), so that the
// operations' member frame and a SQL query over the loyalty table can both feed it.
//
// One row per tenure month k = 0, 1, ..., the longest follow-up (k = months since enrollment;
// 0 is the enrollment month itself; month index = year * 12 + month - 1):
//   at_risk  members followed to at least k months who had not cancelled before k
//   events   members who cancelled exactly k months after enrolling
//   hazard   events / at_risk, with a 95% Wilson score interval
// A member who enrolled in month e is followed until the month of cancelling, or until the
// data's last month (censored there): at risk in months 0 .. (end - e).
//
// Follow-up starts at enrollment, with no late entry: the loyalty file records every member's
// enrollment and cancellation month (2012-2018 in the real data) whatever the activity window,
// so a cancellation before the window opened is observed, not left out. (retention_curve's late
// entry is for survival over the activity window; here only the loyalty file's months count.)
//
// The spike rule (SpikeRule; `rule` in words): month k is a spike when
//   (1) hazard(k) >= min_ratio x the neighbours' pooled hazard, where the neighbours are the
//       months k - w .. k + w except k that exist (w = neighbour_months), pooled as their
//       events summed over their at-risk members summed; and
//   (2) the one-sided exact test of "month k's hazard is no higher than its neighbours'" gives
//       p < family_alpha / (months tested) (Bonferroni over the months tested). Conditioning on
//       the events of k and its neighbours together (e = events(k), d = neighbours' events,
//       n = at_risk(k), N = neighbours' at_risk), under equal hazards e is binomial:
//       p = P(X >= e), X ~ Binomial(e + d, n / (n + N)) (the exact comparison of two Poisson
//       rates). A month is tested when it has neighbours with members at risk.
// Defaults: w = 3, min_ratio = 3, family_alpha = 0.001.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "model/metrics.h"

namespace aa::model {

// `members` members who enrolled in month index `enrolled` and cancelled in month index
// `cancelled` (nullopt: not cancelled).
struct EnrollmentCount {
  std::int32_t enrolled = 0;
  std::optional<std::int32_t> cancelled;
  std::int64_t members = 0;
};

// The spike rule's settings (see the file comment); the defaults are the product's rule.
struct SpikeRule {
  int neighbour_months = 3;
  double min_ratio = 3;
  double family_alpha = 0.001;
};

struct TenureMonth {
  int tenure_months = 0;
  std::int64_t at_risk = 0;
  std::int64_t events = 0;
  double hazard = 0;  // 0 when nobody is at risk (never, inside the table)
  double ci_low = 0;  // 95% Wilson score interval of the hazard
  double ci_high = 0;
  std::int64_t neighbour_at_risk = 0;  // summed over the neighbour months (member-months)
  std::int64_t neighbour_events = 0;
  std::optional<double> neighbour_hazard;  // nullopt: no neighbour month
  std::optional<double> ratio;             // hazard / neighbour_hazard; nullopt when that is 0
  double p_value = 1;                      // 1 when not tested
  bool tested = false;
  bool is_spike = false;
};

struct TenureSpike {
  int tenure_months = 0;
  std::int64_t events = 0;
  double share_of_cancellations = 0;  // events / cancellations
  double hazard = 0;
  double neighbour_hazard = 0;
  std::optional<double> ratio;  // nullopt: the neighbours had no cancellation
  double p_value = 0;
};

struct TenureHazard {
  std::vector<TenureMonth> months;                // tenure 0 .. max_follow_up_months
  std::vector<TenureSpike> spikes;                // in tenure order
  std::int64_t members = 0;                       // followed (enrolled by the data's last month)
  std::int64_t cancellations = 0;                 // cancelled by the data's last month: the events
  std::int64_t cancellations_after_data_end = 0;  // followed, censored at the data's end
  std::int64_t excluded_members = 0;  // enrolled after the data's end or cancelled before enrolling
  int max_follow_up_months = -1;      // -1: nobody followed
  int months_tested = 0;
  std::optional<double> p_threshold;  // family_alpha / months_tested
  SpikeRule settings;
  std::string rule;  // the rule in words, with this table's numbers

  // The spike with the most events (the earliest among ties); nullopt without spikes.
  std::optional<TenureSpike> peak() const;
  // {rows, spikes, peak (or null), members, cancellations, ..., spike_rule, rule}; rows up to
  // `max_tenure_months` when given, every spike whatever its month.
  nlohmann::json to_json(std::optional<int> max_tenure_months = std::nullopt) const;
};

// The table and its spikes. `last_month_index` is the data's last month: follow-up ends there.
TenureHazard tenure_hazard(std::span<const EnrollmentCount> counts, std::int32_t last_month_index,
                           const SpikeRule& rule = {});

// The 95% Wilson score interval of successes / trials ({0, 1} without trials).
Interval wilson_interval(std::int64_t successes, std::int64_t trials);

// P(X >= x) for X ~ Binomial(n, p); computed in log space, so an extreme tail is tiny, or 0
// below the smallest double, never NaN.
double binomial_upper_tail(std::int64_t x, std::int64_t n, double p);

}  // namespace aa::model
