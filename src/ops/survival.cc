#include "ops/survival.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace aa::ops {

std::optional<double> SurvivalCurve::at(int time) const {
  if (points.empty() || time > points.back().time) {
    return std::nullopt;
  }
  if (time < points.front().time) {
    return 1.0;
  }
  return points.at(static_cast<std::size_t>(time - points.front().time)).survival;
}

SurvivalCurve kaplan_meier(const std::vector<SurvivalSubject>& subjects) {
  SurvivalCurve curve;
  if (subjects.empty()) {
    return curve;
  }
  int first = subjects.front().entry;
  int last = subjects.front().exit;
  for (const auto& s : subjects) {
    if (s.entry < 0 || s.exit < s.entry || s.count < 0) {
      throw std::logic_error("kaplan_meier: a subject leaves before it enters");
    }
    first = std::min(first, s.entry);
    last = std::max(last, s.exit);
  }
  const auto span = static_cast<std::size_t>(last - first + 1);
  std::vector<std::int64_t> entering(span, 0);
  std::vector<std::int64_t> leaving(span, 0);
  std::vector<std::int64_t> events(span, 0);
  for (const auto& s : subjects) {
    entering[static_cast<std::size_t>(s.entry - first)] += s.count;
    leaving[static_cast<std::size_t>(s.exit - first)] += s.count;
    if (s.event) {
      events[static_cast<std::size_t>(s.exit - first)] += s.count;
    }
    curve.subjects += s.count;
    curve.events += s.event ? s.count : 0;
  }
  std::int64_t at_risk = 0;
  double survival = 1;
  double greenwood = 0;
  for (std::size_t i = 0; i < span; ++i) {
    at_risk += entering[i];  // those who left before this month were taken off below
    SurvivalPoint p;
    p.time = first + static_cast<int>(i);
    p.at_risk = at_risk;
    p.events = events[i];
    p.censored = leaving[i] - events[i];
    if (at_risk > 0 && p.events > 0) {
      const double n = static_cast<double>(at_risk);
      const double d = static_cast<double>(p.events);
      survival *= 1 - d / n;
      if (n > d) {
        greenwood += d / (n * (n - d));
      }
    }
    p.survival = survival;
    const double half = 1.959963984540054 * survival * std::sqrt(greenwood);
    p.ci_low = std::clamp(survival - half, 0.0, 1.0);
    p.ci_high = std::clamp(survival + half, 0.0, 1.0);
    if (!curve.median && survival <= 0.5) {
      curve.median = p.time;
    }
    curve.points.push_back(p);
    at_risk -= leaving[i];
  }
  return curve;
}

}  // namespace aa::ops
