#include "model/tenure_hazard.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace aa::model {

namespace {

constexpr double kZ95 = 1.959963984540054;

double log_binomial_pmf(std::int64_t k, std::int64_t n, double p) {
  const auto kd = static_cast<double>(k);
  const auto nd = static_cast<double>(n);
  return std::lgamma(nd + 1) - std::lgamma(kd + 1) - std::lgamma(nd - kd + 1) + kd * std::log(p) +
         (nd - kd) * std::log1p(-p);
}

// Members who leave observation at each tenure (by cancelling or at the data's end), and the
// cancellations among them, indexed by tenure.
struct Exits {
  std::vector<std::int64_t> leaving;
  std::vector<std::int64_t> events;
};

// The tenure at which a followed cell leaves observation, or nullopt when it is not followed.
std::optional<int> exit_of(const EnrollmentCount& c, std::int32_t last) {
  if (c.enrolled > last || (c.cancelled && *c.cancelled < c.enrolled)) {
    return std::nullopt;
  }
  const std::int32_t end = c.cancelled && *c.cancelled <= last ? *c.cancelled : last;
  return static_cast<int>(end - c.enrolled);
}

// The exits of the followed members; fills the member and cancellation counts of `out`.
Exits count_exits(std::span<const EnrollmentCount> counts, std::int32_t last, TenureHazard& out) {
  int longest = -1;
  for (const auto& c : counts) {
    if (c.members < 0) {
      throw std::logic_error("tenure_hazard: a negative count of members");
    }
    if (const auto exit = exit_of(c, last); exit && c.members > 0) {
      longest = std::max(longest, *exit);
    }
  }
  out.max_follow_up_months = longest;
  Exits exits;
  exits.leaving.assign(static_cast<std::size_t>(longest + 1), 0);
  exits.events.assign(static_cast<std::size_t>(longest + 1), 0);
  for (const auto& c : counts) {
    if (c.members == 0) {
      continue;
    }
    const auto exit = exit_of(c, last);
    if (!exit) {
      out.excluded_members += c.members;
      continue;
    }
    out.members += c.members;
    exits.leaving[static_cast<std::size_t>(*exit)] += c.members;
    if (c.cancelled && *c.cancelled <= last) {
      exits.events[static_cast<std::size_t>(*exit)] += c.members;
      out.cancellations += c.members;
    } else if (c.cancelled) {
      out.cancellations_after_data_end += c.members;
    }
  }
  return exits;
}

// at_risk, events, hazard and its interval per month.
std::vector<TenureMonth> hazard_rows(const Exits& exits) {
  std::vector<TenureMonth> months(exits.leaving.size());
  std::int64_t at_risk = 0;
  for (std::size_t i = months.size(); i-- > 0;) {
    at_risk += exits.leaving[i];  // followed to at least i months
    TenureMonth& m = months[i];
    m.tenure_months = static_cast<int>(i);
    m.at_risk = at_risk;
    m.events = exits.events[i];
    m.hazard = at_risk > 0 ? static_cast<double>(m.events) / static_cast<double>(at_risk) : 0;
    const Interval ci = wilson_interval(m.events, at_risk);
    m.ci_low = ci.low;
    m.ci_high = ci.high;
  }
  return months;
}

// Neighbours' pooled hazard and the exact test, per month; returns the months tested.
int test_months(std::vector<TenureMonth>& months, int window) {
  const auto k_max = static_cast<int>(months.size()) - 1;
  int tested = 0;
  for (auto& m : months) {
    const int k = m.tenure_months;
    for (int j = std::max(0, k - window); j <= std::min(k_max, k + window); ++j) {
      if (j != k) {
        m.neighbour_at_risk += months[static_cast<std::size_t>(j)].at_risk;
        m.neighbour_events += months[static_cast<std::size_t>(j)].events;
      }
    }
    if (m.neighbour_at_risk == 0 || m.at_risk == 0) {
      continue;
    }
    const double pooled =
        static_cast<double>(m.neighbour_events) / static_cast<double>(m.neighbour_at_risk);
    m.neighbour_hazard = pooled;
    if (pooled > 0) {
      m.ratio = m.hazard / pooled;
    }
    const double share =
        static_cast<double>(m.at_risk) / static_cast<double>(m.at_risk + m.neighbour_at_risk);
    m.p_value = binomial_upper_tail(m.events, m.events + m.neighbour_events, share);
    m.tested = true;
    ++tested;
  }
  return tested;
}

std::string rule_text(const SpikeRule& rule, int months_tested) {
  std::string text = fmt::format(
      "A month of membership is a spike when its cancellation hazard (cancellations that "
      "month over the members still enrolled and followed that long) is at least {:g} times "
      "the pooled hazard of its neighbours (the months up to {} before and after it, itself "
      "excluded: their cancellations over their members at risk), and a one-sided exact test "
      "finds it higher with p below {:g}",
      rule.min_ratio, rule.neighbour_months, rule.family_alpha);
  if (months_tested > 0) {
    text += fmt::format(" / {} months tested = {:.2g}", months_tested,
                        rule.family_alpha / months_tested);
  } else {
    text += " / the months tested";
  }
  return text +
         " (Bonferroni). The test conditions on the cancellations of the month and its "
         "neighbours together: were the hazards equal, the month's number of them would be "
         "binomial, with the month's share of the members at risk as its probability.";
}

}  // namespace

Interval wilson_interval(std::int64_t successes, std::int64_t trials) {
  if (trials <= 0) {
    return {0, 1};
  }
  const auto n = static_cast<double>(trials);
  const double p = static_cast<double>(successes) / n;
  const double z2 = kZ95 * kZ95;
  const double denominator = 1 + z2 / n;
  const double centre = (p + z2 / (2 * n)) / denominator;
  const double half = kZ95 / denominator * std::sqrt(p * (1 - p) / n + z2 / (4 * n * n));
  return {successes == 0 ? 0.0 : std::max(0.0, centre - half),
          successes == trials ? 1.0 : std::min(1.0, centre + half)};
}

double binomial_upper_tail(std::int64_t x, std::int64_t n, double p) {
  if (x <= 0) {
    return 1;
  }
  if (x > n || p <= 0) {
    return 0;
  }
  if (p >= 1) {
    return 1;
  }
  const double odds = p / (1 - p);
  const auto mode = static_cast<std::int64_t>(std::floor(static_cast<double>(n + 1) * p));
  double term = 1;
  double sum = 1;
  if (x > mode) {
    // Past the mode the terms fall: P(k + 1) / P(k) = (n - k) / (k + 1) * p / (1 - p) < 1.
    for (std::int64_t k = x; k < n && term >= sum * 1e-17; ++k) {
      term *= static_cast<double>(n - k) / static_cast<double>(k + 1) * odds;
      sum += term;
    }
    return std::min(1.0, std::exp(log_binomial_pmf(x, n, p) + std::log(sum)));
  }
  // At or below the mode: 1 - P(X <= x - 1), summed down from x - 1, where
  // P(k - 1) / P(k) = k / (n - k + 1) * (1 - p) / p < 1.
  for (std::int64_t k = x - 1; k > 0 && term >= sum * 1e-17; --k) {
    term *= static_cast<double>(k) / static_cast<double>(n - k + 1) / odds;
    sum += term;
  }
  return std::clamp(1 - std::exp(log_binomial_pmf(x - 1, n, p) + std::log(sum)), 0.0, 1.0);
}

TenureHazard tenure_hazard(std::span<const EnrollmentCount> counts, std::int32_t last_month_index,
                           const SpikeRule& rule) {
  if (rule.neighbour_months < 1 || !(rule.min_ratio > 0) || !(rule.family_alpha > 0) ||
      !(rule.family_alpha < 1)) {
    throw std::logic_error("tenure_hazard: a spike rule outside its domain");
  }
  TenureHazard out;
  out.settings = rule;
  const Exits exits = count_exits(counts, last_month_index, out);
  out.months = hazard_rows(exits);
  out.months_tested = test_months(out.months, rule.neighbour_months);
  if (out.months_tested > 0) {
    out.p_threshold = rule.family_alpha / out.months_tested;
  }
  for (auto& m : out.months) {
    m.is_spike = m.tested && m.events > 0 && out.p_threshold && m.p_value < *out.p_threshold &&
                 m.hazard >= rule.min_ratio * *m.neighbour_hazard;
    if (m.is_spike) {
      out.spikes.push_back({m.tenure_months, m.events,
                            static_cast<double>(m.events) / static_cast<double>(out.cancellations),
                            m.hazard, *m.neighbour_hazard, m.ratio, m.p_value});
    }
  }
  out.rule = rule_text(rule, out.months_tested);
  return out;
}

std::optional<TenureSpike> TenureHazard::peak() const {
  std::optional<TenureSpike> best;
  for (const auto& s : spikes) {
    if (!best || s.events > best->events) {
      best = s;
    }
  }
  return best;
}

namespace {

nlohmann::json optional_number(const std::optional<double>& v) {
  return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

nlohmann::json spike_json(const TenureSpike& s) {
  return {{"tenure_months", s.tenure_months},
          {"events", s.events},
          {"share_of_cancellations", s.share_of_cancellations},
          {"hazard", s.hazard},
          {"neighbour_hazard", s.neighbour_hazard},
          {"ratio", optional_number(s.ratio)},
          {"p_value", s.p_value}};
}

}  // namespace

nlohmann::json TenureHazard::to_json(std::optional<int> max_tenure_months) const {
  nlohmann::json rows = nlohmann::json::array();
  for (const auto& m : months) {
    if (max_tenure_months && m.tenure_months > *max_tenure_months) {
      break;
    }
    rows.push_back({{"tenure_months", m.tenure_months},
                    {"at_risk", m.at_risk},
                    {"events", m.events},
                    {"hazard", m.hazard},
                    {"ci_low", m.ci_low},
                    {"ci_high", m.ci_high},
                    {"neighbour_hazard", optional_number(m.neighbour_hazard)},
                    {"ratio", optional_number(m.ratio)},
                    {"p_value", m.p_value},
                    {"is_spike", m.is_spike}});
  }
  nlohmann::json spike_rows = nlohmann::json::array();
  for (const auto& s : spikes) {
    spike_rows.push_back(spike_json(s));
  }
  const auto top = peak();
  return {{"rows", rows},
          {"spikes", spike_rows},
          {"peak", top ? spike_json(*top) : nlohmann::json(nullptr)},
          {"members", members},
          {"cancellations", cancellations},
          {"cancellations_after_data_end", cancellations_after_data_end},
          {"excluded_members", excluded_members},
          {"max_follow_up_months",
           max_follow_up_months >= 0 ? nlohmann::json(max_follow_up_months) : nullptr},
          {"spike_rule",
           {{"neighbour_window_months", settings.neighbour_months},
            {"min_ratio", settings.min_ratio},
            {"family_alpha", settings.family_alpha},
            {"months_tested", months_tested},
            {"p_threshold", optional_number(p_threshold)}}},
          {"rule", rule}};
}

}  // namespace aa::model
