// Drafts about the whole slice: the single priority, the cost of doing nothing, and what a
// retention budget buys.

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "analyst/drafts.h"

namespace aa::analyst {

namespace {

// "Should we focus on Champions?": whether the named segment or province is the top one.
std::optional<bool> named_is_top(const Ask& ask, const std::string& segment,
                                 const std::string& province) {
  if (!ask.slots.yes_no) {
    return std::nullopt;
  }
  if (!ask.slots.segments.empty()) {
    return ask.slots.segments.front() == segment;
  }
  if (!ask.slots.provinces.empty()) {
    return ask.slots.provinces.front() == province;
  }
  return true;  // "Is there a clear priority?": there is one
}

void priority_evidence(Writer& w, const std::string& segment, Draft& d) {
  const std::string op = "value_at_risk_by_segment";
  if (const auto i = w.row_where(op, "rfm_segment", segment)) {
    const std::string row = fmt::format("/rows/{}", *i);
    d.evidence.push_back(fmt::format(
        "{} has {} members with an average CLV of {} and a cancellation rate of {}, against {} "
        "for the portfolio.",
        segment, w.count(op, row + "/customers", "members of the top segment"),
        w.cad(op, row + "/avg_clv", "average CLV of the top segment"),
        w.pct(op, row + "/cancelled_rate", "cancellation rate of the top segment"),
        w.pct("kpis_baseline", "/cancelled_rate", "cancellation rate in the portfolio")));
  }
  if (w.size(op, "/rows") > 1) {
    const std::string second = w.name(
        op, "/rows/1/rfm_segment", "the segment ranked second by value at risk", NameKind::Label);
    d.evidence.push_back(fmt::format(
        "Next is {} with {}.", second,
        w.cad(op, "/rows/1/total_value_at_risk", "value at risk of the second segment")));
  }
}

}  // namespace

Draft draft_priority(Writer& w, const Ask& ask) {
  Draft d;
  const std::string op = "single_priority_initiative";
  if (w.at(op, "/top_segment/rfm_segment") == nullptr) {
    d.answer = "No member in this slice carries value at risk, so there is no priority to set.";
    return d;
  }
  const std::string segment = w.name(op, "/top_segment/rfm_segment",
                                     "the segment with the most value at risk", NameKind::Label);
  const std::string province = w.name(
      op, "/top_province/province", "the province with the most value at risk", NameKind::DataName);
  const std::string text = fmt::format(
      "focus retention on the {} segment, and within the map on {}: {} members carry {} of value "
      "at risk, the most of any segment, and {} carries {}, the most of any province.",
      segment, province, segment,
      w.cad(op, "/top_segment/total_value_at_risk", "value at risk of the top segment"), province,
      w.cad(op, "/top_province/total_value_at_risk", "value at risk of the top province"));
  const auto top = named_is_top(ask, w.text(op, "/top_segment/rfm_segment"),
                                w.text(op, "/top_province/province"));
  d.answer = verdict(ask, top.value_or(true), text);
  priority_evidence(w, segment, d);
  d.recommendation = fmt::format(
      "Start one contact campaign for {} members in {}, ranked by expected saving net of cost, "
      "and size it with the retention planner.",
      segment, province);
  return d;
}

Draft draft_impact(Writer& w, const Ask& ask) {
  Draft d;
  const std::string dn = "do_nothing_scenario";
  const std::string ri = "revenue_impact";
  const std::string at_risk = w.cad(dn, "/total_value_at_risk", "total value at risk");
  const std::string churners =
      w.count(dn, "/expected_churners", "members the model expects to cancel") +
      (std::llround(w.number(dn, "/expected_churners")) == 1 ? " member" : " members");
  const std::string horizon = w.count(dn, "/horizon_months", "the model's horizon in months");
  const std::string text =
      ask.says_any({"how many"})
          ? fmt::format(
                "the model expects {} to cancel within {} months if nothing is "
                "done, putting {} of customer value at risk (churn probability times CLV).",
                churners, horizon, at_risk)
          : fmt::format(
                "if nothing is done, {} of customer value is at risk (churn probability "
                "times CLV), and the model expects {} to cancel within {} months.",
                at_risk, churners, horizon);
  d.answer = verdict(ask, w.number(dn, "/expected_churners") >= 1, text);
  d.evidence.push_back(fmt::format(
      "At the historical cancellation rate of {}, {} members would leave: a CLV loss of {}, about "
      "{} a year.",
      w.pct(ri, "/cancelled_rate", "historical cancellation rate"),
      w.count(ri, "/projected_churned_customers", "members projected to leave"),
      w.cad(ri, "/projected_clv_loss", "projected CLV loss"),
      w.cad(ri, "/projected_annual_loss", "projected annual loss")));
  d.evidence.push_back(fmt::format(
      "The riskiest quarter by churn score, {} member{}, holds {} of that value at risk.",
      w.count(ri, "/high_risk_customers", "members in the high-risk quartile"),
      std::llround(w.number(ri, "/high_risk_customers")) == 1 ? "" : "s",
      w.cad(ri, "/high_risk_value_at_risk", "value at risk of the high-risk quartile")));
  d.recommendation =
      "Act on the high-risk quartile first: contact those members in order of expected saving, "
      "and track how many of them the campaign keeps.";
  return d;
}

namespace {

// "starting with members 101, 105 and 112": the plan's first members, for "who do we call?".
std::string first_members(Writer& w, const std::string& op) {
  const std::size_t n = std::min<std::size_t>(w.size(op, "/rows"), 3);
  std::string out;
  for (std::size_t i = 0; i < n; ++i) {
    out += separator(i, n) + w.name(op, fmt::format("/rows/{}/loyalty_number", i),
                                    "loyalty number of a member to contact", NameKind::Identifier);
  }
  return n == 0 ? "" : fmt::format(", starting with member{} {}", n > 1 ? "s" : "", out);
}

// What contacting every member worth contacting would cost (contacts x cost per contact).
std::string cost_of_all(Writer& w, const std::string& op) {
  const double per = w.number(op, "/total_cost_cad") / w.number(op, "/contacts");
  return w.derived(format_cad(per * w.number(op, "/worth_contacting_members")), op,
                   "/total_cost_cad / /contacts * /worth_contacting_members",
                   "cost of contacting every member worth contacting");
}

}  // namespace

Draft draft_budget(Writer& w, const Ask& ask) {
  Draft d;
  const std::string op = "retention_plan";
  if (w.number(op, "/contacts") <= 0) {
    d.answer = verdict(ask, false,
                       "at this cost per contact no member in this slice is worth contacting: no "
                       "member's expected saving exceeds the cost.");
    d.recommendation =
        "Lower the cost per contact or raise the expected save rate, then plan again.";
    return d;
  }
  const std::string worth = w.count(op, "/worth_contacting_members", "members worth contacting");
  const std::string plan = fmt::format(
      "with a budget of {}, contact {} members at a total cost of {}{}: the expected saving is "
      "{}, a return of {} on the spend.",
      w.cad(op, "/budget_cad", "budget"), w.count(op, "/contacts", "members to contact"),
      w.cad(op, "/total_cost_cad", "total cost"),
      ask.slots.audience == "members" ? first_members(w, op) : "",
      w.cad(op, "/expected_saved_cad", "expected saving"),
      w.pct(op, "/roi", "return on the spend"));
  const bool everyone = ask.says_any({"afford", "every", "everyone", "all"});
  if (ask.slots.yes_no) {
    const bool yes = everyone
                         ? w.number(op, "/contacts") >= w.number(op, "/worth_contacting_members")
                         : w.number(op, "/expected_net_cad") > 0;
    d.answer = verdict(ask, yes, plan);
  } else if (ask.slots.how_much && !ask.slots.budget_cad) {
    d.answer = fmt::format("Contacting all {} members worth contacting would cost {}; {}", worth,
                           cost_of_all(w, op), plan);
  } else {
    d.answer = capitalised(plan);
  }
  d.evidence.push_back(fmt::format(
      "{} members are worth contacting at this cost; the contacted members hold {} of value at "
      "risk.",
      worth, w.cad(op, "/contacted_value_at_risk", "value at risk of the contacted members")));
  d.evidence.push_back(fmt::format("The plan breaks even at a save rate of {}.",
                                   w.pct(op, "/break_even_save_rate", "break-even save rate")));
  d.recommendation =
      "Export the ranked list to the CRM and contact members from the top down until the budget is "
      "spent.";
  return d;
}

// The headline figures of the slice (or of the whole portfolio), from the two KPI operations
// every plan carries.
Draft draft_overview(Writer& w, const Ask& ask) {
  Draft d;
  const std::string s = "kpis_slice";
  const std::string b = "kpis_baseline";
  if (!w.has(s) || !w.has(b)) {
    d.answer = "The headline figures are not available.";
    return d;
  }
  const bool whole = w.number(s, "/customers") == w.number(b, "/customers");
  const std::string who = whole ? "The programme has" : "The slice you asked about has";
  d.answer = fmt::format(
      "{} {} members, with an average CLV of {}, a cancellation rate of {} and a retention rate "
      "of {}.",
      who, w.count(s, "/customers", whole ? "members in the portfolio" : "members in the slice"),
      w.cad(s, "/avg_clv", "average CLV"), w.pct(s, "/cancelled_rate", "cancellation rate"),
      w.pct(s, "/retention_rate", "retention rate"));
  if (ask.slots.yes_no) {
    // "Is churn above 10%?" cannot be read into a threshold here: state the figures.
    d.answer = "Here are the figures to judge by: " + d.answer;
  }
  d.evidence.push_back(
      fmt::format("On average a member has {} of tenure, a frequency of {} and a recency of {}.",
                  w.dec(s, "/avg_tenure_months", "average tenure", 1, "months"),
                  w.dec(s, "/avg_frequency", "average flights", 1, "flights"),
                  w.dec(s, "/avg_recency_months", "average recency", 1, "months")));
  const bool one = std::llround(w.number(s, "/high_value_customers")) == 1;
  d.evidence.push_back(fmt::format(
      "The median CLV is {}; {} {} ({}) {} above the CLV of {} that marks the top quarter.",
      w.cad(s, "/median_clv", "median CLV"),
      w.count(s, "/high_value_customers", "members above the CLV p75"), one ? "member" : "members",
      w.pct(s, "/high_value_share", "share of members above the CLV p75"), one ? "is" : "are",
      w.cad(s, "/high_value_clv_threshold", "CLV p75 threshold")));
  d.recommendation =
      "Ask where to focus retention, which members are likely to leave, or why members cancel, "
      "for what these figures call for.";
  return d;
}

}  // namespace aa::analyst
