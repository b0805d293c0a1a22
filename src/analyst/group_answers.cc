#include "analyst/group_answers.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace aa::analyst {

namespace {

std::string row(std::size_t i) { return fmt::format("/rows/{}", i); }

// Whether the question weighs money (value at risk) rather than the chance of leaving.
bool about_value(const Ask& ask) {
  return ask.says_any({"value", "money", "worth", "dollars", "cad", "clv", "revenue"});
}

bool about_likelihood(const Ask& ask) {
  return ask.says_any({"likely", "likelihood", "chance", "probability", "quit", "leave", "cancel",
                       "churn", "drift", "walk", "drop", "lose"});
}

// The rows with the highest and lowest cancellation rate.
std::pair<std::size_t, std::size_t> extremes(const Writer& w, const std::string& op) {
  std::size_t hi = 0;
  std::size_t lo = 0;
  for (std::size_t i = 1; i < w.size(op, "/rows"); ++i) {
    const double r = w.number(op, row(i) + "/cancelled_rate");
    hi = r > w.number(op, row(hi) + "/cancelled_rate") ? i : hi;
    lo = r < w.number(op, row(lo) + "/cancelled_rate") ? i : lo;
  }
  return {hi, lo};
}

// "Do the card tiers differ?": yes when the highest and lowest cancellation rates are at least
// kMaterialGap apart.
Draft spread(Writer& w, const Ask& ask, const GroupTable& t) {
  Draft d;
  const auto [hi, lo] = extremes(w, t.op);
  const double gap =
      w.number(t.op, row(hi) + "/cancelled_rate") - w.number(t.op, row(lo) + "/cancelled_rate");
  const std::string high =
      w.name(t.op, row(hi) + "/" + t.key,
             fmt::format("{} with the highest cancellation rate", t.what), t.kind);
  const std::string low =
      w.name(t.op, row(lo) + "/" + t.key,
             fmt::format("{} with the lowest cancellation rate", t.what), t.kind);
  d.answer = verdict(
      ask, gap >= kMaterialGap,
      fmt::format("cancellation rates run from {} for {} to {} for {}, {} points apart{}.",
                  w.pct(t.op, row(lo) + "/cancelled_rate", "lowest cancellation rate"), low,
                  w.pct(t.op, row(hi) + "/cancelled_rate", "highest cancellation rate"), high,
                  w.derived(format_decimal(gap * 100, 1), t.op,
                            row(hi) + "/cancelled_rate - " + row(lo) + "/cancelled_rate",
                            "gap between the highest and lowest cancellation rates, in points"),
                  gap >= kMaterialGap ? "" : ", less than the 2 points I count as a difference"));
  d.recommendation =
      fmt::format("Tailor the retention offer by {} only where the gap is material; start with {}.",
                  t.what, high);
  return d;
}

// The group with the highest average churn probability among its scored members.
Draft top_by_likelihood(Writer& w, const Ask& ask, const GroupTable& t) {
  Draft d;
  std::size_t best = 0;
  for (std::size_t i = 1; i < w.size(t.op, "/rows"); ++i) {
    if (w.number(t.op, row(i) + "/avg_churn_probability") >
        w.number(t.op, row(best) + "/avg_churn_probability")) {
      best = i;
    }
  }
  const std::string first =
      w.name(t.op, row(best) + "/" + t.key, fmt::format("{} most likely to leave", t.what), t.kind);
  d.answer = verdict(
      ask, true,
      fmt::format(
          "{} members are the most likely to leave: their average churn probability is "
          "{} over the next six months, and {} of {} members have cancelled so far.",
          first,
          w.pct(t.op, row(best) + "/avg_churn_probability",
                fmt::format("average churn probability of {}", first)),
          w.pct(t.op, row(best) + "/cancelled_rate", fmt::format("cancellation rate of {}", first)),
          w.count(t.op, row(best) + "/customers", fmt::format("members of {}", first))));
  for (std::size_t i = 0; i < std::min<std::size_t>(w.size(t.op, "/rows"), 4); ++i) {
    if (i != best && d.evidence.size() < 2) {
      const std::string other = w.name(t.op, row(i) + "/" + t.key, t.what, t.kind);
      d.evidence.push_back(fmt::format(
          "{}: average churn probability {}, cancellation rate {}.", other,
          w.pct(t.op, row(i) + "/avg_churn_probability", "average churn probability of " + other),
          w.pct(t.op, row(i) + "/cancelled_rate", "cancellation rate of " + other)));
    }
  }
  d.recommendation = fmt::format(
      "Aim the next retention contact at {} members, ranked by expected saving with the "
      "retention planner.",
      first);
  return d;
}

}  // namespace

Draft top_by_value_at_risk(Writer& w, const Ask& ask, const GroupTable& t) {
  Draft d;
  const std::string first =
      w.name(t.op, row(0) + "/" + t.key, fmt::format("the {} with the most value at risk", t.what),
             t.kind);
  std::string text = fmt::format(
      "{} carries the most value at risk: {} across {} members", first,
      w.cad(t.op, "/rows/0/total_value_at_risk", fmt::format("value at risk of {}", first)),
      w.count(t.op, "/rows/0/customers", fmt::format("members in {}", first)));
  for (std::size_t i = 1; i < std::min<std::size_t>(w.size(t.op, "/rows"), 3); ++i) {
    const std::string other =
        w.name(t.op, row(i) + "/" + t.key,
               fmt::format("{} ranked {} by value at risk", t.what, i + 1), t.kind);
    text += fmt::format(
        "{} {} ({})", i == 1 ? "; then" : " and", other,
        w.cad(t.op, row(i) + "/total_value_at_risk", fmt::format("value at risk of {}", other)));
  }
  d.answer = verdict(ask, true, text + ".");
  d.evidence.push_back(fmt::format(
      "{} cancels at {} with an average churn score of {}, against a portfolio cancellation rate "
      "of {}.",
      first, w.pct(t.op, "/rows/0/cancelled_rate", fmt::format("cancellation rate of {}", first)),
      w.cad(t.op, "/rows/0/avg_churn_score", fmt::format("average churn score of {}", first)),
      w.pct("kpis_baseline", "/cancelled_rate", "cancellation rate in the portfolio")));
  d.recommendation = fmt::format(
      "Put {} first in the retention programme, and rank its members by expected saving with the "
      "retention planner.",
      first);
  return d;
}

Draft top_by_churn_score(Writer& w, const Ask& ask, const GroupTable& t) {
  Draft d;
  const std::string first =
      w.name(t.op, "/rows/0/" + t.key,
             fmt::format("{} with the highest average churn score", t.what), t.kind);
  d.answer = verdict(
      ask, true,
      fmt::format("{} has the highest average churn score ({}), with a cancellation rate of {} "
                  "across {} members.",
                  first, w.cad(t.op, "/rows/0/avg_churn_score", "its average churn score"),
                  w.pct(t.op, "/rows/0/cancelled_rate", "its cancellation rate"),
                  w.count(t.op, "/rows/0/customers", "its members")));
  for (std::size_t i = 1; i < std::min<std::size_t>(w.size(t.op, "/rows"), 3); ++i) {
    d.evidence.push_back(
        fmt::format("{}: average churn score {}, cancellation rate {}, average CLV {}.",
                    w.name(t.op, row(i) + "/" + t.key, t.what, t.kind),
                    w.cad(t.op, row(i) + "/avg_churn_score", "average churn score"),
                    w.pct(t.op, row(i) + "/cancelled_rate", "cancellation rate"),
                    w.cad(t.op, row(i) + "/avg_clv", "average CLV")));
  }
  d.recommendation = fmt::format(
      "Tailor the retention offer for {} first; it carries the most risk per member.", first);
  return d;
}

std::optional<Draft> one_group(Writer& w, const Ask& ask, const GroupTable& t,
                               const std::string& name) {
  const auto i = w.row_where(t.op, t.key, name);
  if (!i) {
    return std::nullopt;
  }
  Draft d;
  const std::string r = row(*i);
  const std::string shown = w.name(t.op, r + "/" + t.key, "the " + t.what + " asked about", t.kind);
  const double rate = w.number(t.op, r + "/cancelled_rate");
  const double portfolio = w.number("kpis_baseline", "/cancelled_rate");
  const bool top_asked = ask.says_any({"most", "riskiest", "worst", "top", "hotspot", "biggest",
                                       "focus", "first", "priority", "prioritise"});
  const bool yes = top_asked                 ? *i == 0
                   : ask.slots.direction < 0 ? rate < portfolio
                                             : rate > portfolio;
  const bool value = w.at(t.op, r + "/total_value_at_risk") != nullptr;
  d.answer = verdict(
      ask, yes,
      fmt::format("{} {} across {} members, ranked {} of {} {}s by {}, and cancels at {} against "
                  "{} for the portfolio.",
                  shown,
                  value
                      ? "carries " +
                            w.cad(t.op, r + "/total_value_at_risk", "value at risk of " + shown) +
                            " of value at risk"
                      : "has an average churn score of " +
                            w.cad(t.op, r + "/avg_churn_score", "average churn score of " + shown),
                  w.count(t.op, r + "/customers", "members of " + shown),
                  w.derived(std::to_string(*i + 1), t.op, "/rows (position of " + t.key + ")",
                            "rank of " + shown),
                  w.derived(std::to_string(w.size(t.op, "/rows")), t.op, "/rows (count)",
                            t.what + "s ranked"),
                  t.what, value ? "value at risk" : "average churn score",
                  w.pct(t.op, r + "/cancelled_rate", "cancellation rate of " + shown),
                  w.pct("kpis_baseline", "/cancelled_rate", "cancellation rate in the portfolio")));
  d.recommendation =
      rate > portfolio ? fmt::format(
                             "Give {} members a retention contact ranked by expected saving; they "
                             "cancel more than the portfolio.",
                             shown)
                       : fmt::format(
                             "Keep {} members engaged with recognition; they cancel less than the "
                             "portfolio.",
                             shown);
  return d;
}

std::optional<Draft> two_groups(Writer& w, const Ask& ask, const GroupTable& t,
                                const std::string& a, const std::string& b) {
  const auto i = w.row_where(t.op, t.key, a);
  const auto j = w.row_where(t.op, t.key, b);
  if (!i || !j) {
    return std::nullopt;
  }
  Draft d;
  const bool value = w.at(t.op, row(*i) + "/total_value_at_risk") != nullptr;
  const auto side = [&](std::size_t k, const char* which) {
    const std::string r = row(k);
    const std::string n =
        w.name(t.op, r + "/" + t.key, fmt::format("{} compared ({})", t.what, which), t.kind);
    return std::pair{
        n, fmt::format("{} across {} members",
                       value ? w.cad(t.op, r + "/total_value_at_risk", "value at risk of " + n) +
                                   " of value at risk"
                             : "an average churn score of " + w.cad(t.op, r + "/avg_churn_score",
                                                                    "average churn score of " + n),
                       w.count(t.op, r + "/customers", "members of " + n))};
  };
  const auto [na, ta] = side(*i, "first");
  const auto [nb, tb] = side(*j, "second");
  const std::string metric = value && about_value(ask) ? "/total_value_at_risk" : "/cancelled_rate";
  const double ma = w.number(t.op, row(*i) + metric);
  const double mb = w.number(t.op, row(*j) + metric);
  const double ra = w.number(t.op, row(*i) + "/cancelled_rate");
  const double rb = w.number(t.op, row(*j) + "/cancelled_rate");
  const bool yes = ask.slots.direction > 0   ? ma > mb
                   : ask.slots.direction < 0 ? ma < mb
                                             : std::abs(ra - rb) >= kMaterialGap;
  d.answer = verdict(
      ask, yes,
      fmt::format("{} cancels at {}, with {}; {} cancels at {}, with {}.", na,
                  w.pct(t.op, row(*i) + "/cancelled_rate", "cancellation rate of " + na), ta, nb,
                  w.pct(t.op, row(*j) + "/cancelled_rate", "cancellation rate of " + nb), tb));
  d.recommendation = fmt::format(
      "Spend retention effort on {} first, where members cancel more, and keep {} engaged with "
      "recognition rather than discounts.",
      ra >= rb ? na : nb, ra >= rb ? nb : na);
  return d;
}

Draft grouped_answer(Writer& w, const Ask& ask, const GroupTable& by_value,
                     const GroupTable& summary, const std::vector<std::string>& named) {
  const GroupTable& main = !by_value.op.empty() && w.has(by_value.op) ? by_value : summary;
  if (w.size(main.op, "/rows") == 0) {
    Draft d;
    d.answer = fmt::format("No {} has members in this slice.", main.what);
    return d;
  }
  if (named.size() >= 2) {
    if (auto d = two_groups(w, ask, main, named[0], named[1])) {
      return *d;
    }
  }
  if (named.size() == 1) {
    if (auto d = one_group(w, ask, main, named[0])) {
      return *d;
    }
  }
  if (ask.slots.yes_no) {
    return spread(w, ask, main);
  }
  if (!about_value(ask) && about_likelihood(ask) &&
      w.at(summary.op, "/rows/0/avg_churn_probability") != nullptr) {
    return top_by_likelihood(w, ask, summary);
  }
  return &main == &by_value ? top_by_value_at_risk(w, ask, main) : top_by_churn_score(w, ask, main);
}

}  // namespace aa::analyst
