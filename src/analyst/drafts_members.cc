// Drafts that name members: whom to reward, who is likely to leave, and one member's profile.

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "analyst/drafts.h"

namespace aa::analyst {

using nlohmann::json;

Draft draft_rewards(Writer& w, const Ask& ask) {
  Draft d;
  const std::string op = "top_value_customers";
  const std::size_t n = w.size(op, "/rows");
  if (n == 0) {
    d.answer = verdict(ask, false, "no member in this slice has a CLV to rank.");
    return d;
  }
  std::string names;
  for (std::size_t i = 0; i < std::min<std::size_t>(n, 3); ++i) {
    const std::string row = fmt::format("/rows/{}", i);
    names += fmt::format("{}member {} (CLV {})", separator(i, std::min<std::size_t>(n, 3)),
                         w.name(op, row + "/loyalty_number", "loyalty number of a top-value member",
                                NameKind::Identifier),
                         w.cad(op, row + "/clv", "CLV of a top-value member"));
  }
  d.answer = verdict(
      ask, true,
      fmt::format(
          "reward the highest-value members first: {}. The list holds {} members.", names,
          w.derived(format_count(static_cast<double>(n)), op, "/rows (count)", "members listed")));
  double flights = 0;
  double tenure = 0;
  int cancelled = 0;
  for (std::size_t i = 0; i < n; ++i) {
    flights += w.number(op, fmt::format("/rows/{}/frequency", i));
    tenure += w.number(op, fmt::format("/rows/{}/tenure_months", i));
    const json* c = w.at(op, fmt::format("/rows/{}/is_cancelled", i));
    cancelled += c != nullptr && c->is_boolean() && c->get<bool>() ? 1 : 0;
  }
  d.evidence.push_back(fmt::format(
      "They average {} and {} of tenure; the portfolio averages {}.",
      w.derived(format_decimal(flights / static_cast<double>(n), 1) + " flights", op,
                "/rows/*/frequency (mean)", "average flights of the listed members"),
      w.derived(format_decimal(tenure / static_cast<double>(n), 1) + " months", op,
                "/rows/*/tenure_months (mean)", "average tenure of the listed members"),
      w.dec("kpis_baseline", "/avg_frequency", "average flights in the portfolio", 1, "flights")));
  if (cancelled > 0) {
    d.evidence.push_back(fmt::format(
        "{} of them have already cancelled; win-back offers suit those better than thanks.",
        w.derived(format_count(cancelled), op, "/rows/*/is_cancelled (count)",
                  "listed members who cancelled")));
  }
  d.recommendation =
      "Send a personal thank-you with a recognition perk (upgrade or bonus points) to the listed "
      "members who are still active.";
  return d;
}

Draft draft_individuals(Writer& w, const Ask& ask) {
  Draft d;
  const std::string op = "top_risk_customers";
  const std::size_t n = w.size(op, "/rows");
  if (n == 0) {
    d.answer = verdict(ask, false, "no scored member in this slice is at risk.");
    return d;
  }
  std::string text = "the members most at risk, by value at risk, are ";
  double total = 0;
  for (std::size_t i = 0; i < n; ++i) {
    total += w.number(op, fmt::format("/rows/{}/churn_score", i));
  }
  for (std::size_t i = 0; i < std::min<std::size_t>(n, 3); ++i) {
    const std::string row = fmt::format("/rows/{}", i);
    text +=
        fmt::format("{}member {} ({} chance of cancelling, {} at risk)",
                    separator(i, std::min<std::size_t>(n, 3)),
                    w.name(op, row + "/loyalty_number", "loyalty number of a member at risk",
                           NameKind::Identifier),
                    w.pct(op, row + "/churn_probability", "churn probability of a member at risk"),
                    w.cad(op, row + "/churn_score", "value at risk of a member at risk"));
  }
  d.answer = verdict(ask, true, text + ".");
  d.evidence.push_back(fmt::format(
      "The {} members listed hold {} of value at risk together.",
      w.derived(format_count(static_cast<double>(n)), op, "/rows (count)", "members listed"),
      w.derived(format_cad(total), op, "/rows/*/churn_score (sum)",
                "value at risk of the listed members")));
  if (w.at(op, "/rows/0/reason_1") != nullptr) {
    d.evidence.push_back(fmt::format(
        "The first member's main reason: {}.",
        w.name(op, "/rows/0/reason_1", "main reason of the first member", NameKind::Reason)));
  }
  const std::string when = ask.slots.horizon.empty() ? "this week" : ask.slots.horizon;
  d.recommendation = fmt::format(
      "Have the retention team call these members {}, starting at the top of the list.",
      when == "today" || when.rfind("this", 0) == 0 || when.rfind("next", 0) == 0 ? when
                                                                                  : "this week");
  return d;
}

Draft draft_member(Writer& w, const Ask& ask) {
  Draft d;
  const std::string op = "customer_profile";
  const std::string member =
      w.name(op, "/loyalty_number", "loyalty number asked about", NameKind::Identifier);
  const json* found = w.at(op, "/found");
  if (found == nullptr || !found->is_boolean() || !found->get<bool>()) {
    d.answer =
        fmt::format("I found no member {} in this slice, so I cannot describe them.", member);
    d.recommendation = "Check the loyalty number, or clear the filters and ask again.";
    return d;
  }
  const std::string status = w.text(op, "/churn/scoring_status");
  if (status == "cancelled") {
    d.answer = verdict(
        ask, false,
        fmt::format("member {} has already cancelled, after {} months, with a CLV "
                    "of {}.",
                    member, w.count(op, "/attributes/tenure_months", "tenure of the member"),
                    w.cad(op, "/attributes/clv", "CLV of the member")));
    d.recommendation = "Treat the member as a win-back prospect rather than a retention contact.";
    return d;
  }
  const double p = w.number(op, "/churn/churn_probability");
  const bool high = w.text(op, "/churn/risk_tier") == "high" || p >= 0.5;
  d.answer = verdict(
      ask, high,
      fmt::format("member {} has a {} chance of cancelling within six months ({} risk tier), a "
                  "CLV of {} and {} months of tenure, in the {} segment.",
                  member, w.pct(op, "/churn/churn_probability", "churn probability of the member"),
                  w.name(op, "/churn/risk_tier", "risk tier of the member", NameKind::Label),
                  w.cad(op, "/attributes/clv", "CLV of the member"),
                  w.count(op, "/attributes/tenure_months", "tenure of the member"),
                  w.name(op, "/rfm/rfm_segment", "segment of the member", NameKind::Label)));
  std::string reasons;
  const std::size_t n = std::min<std::size_t>(w.size(op, "/churn/reasons"), 3);
  for (std::size_t i = 0; i < n; ++i) {
    reasons += (i == 0 ? "" : "; ") + w.name(op, fmt::format("/churn/reasons/{}", i),
                                             "a churn reason of the member", NameKind::Reason);
  }
  if (!reasons.empty()) {
    d.evidence.push_back("The model's reasons for this member: " + reasons + ".");
  }
  d.evidence.push_back(
      fmt::format("Months since the last flight: {}; flights in the data: {}.",
                  w.count(op, "/rfm/recency", "months since the member's last flight"),
                  w.count(op, "/rfm/frequency", "flights of the member")));
  d.recommendation = high ? "Call the member this week with a retention offer sized to their CLV."
                          : "No retention call is needed now; keep the member in the regular "
                            "programme.";
  return d;
}

// A filtered, sorted list of members: how many match, and the first few with the sort key.
Draft draft_search(Writer& w, const Ask& ask) {
  Draft d;
  const std::string op = "customer_search";
  const std::size_t n = w.size(op, "/rows");
  if (n == 0) {
    d.answer = verdict(ask, false, "no member in this slice matches the search.");
    d.recommendation = "Widen the filters (province, segment, card or risk tier) and search again.";
    return d;
  }
  const std::string key = w.text(op, "/sort_by");
  const bool ascending = [&] {
    const json* a = w.at(op, "/ascending");
    return a != nullptr && a->is_boolean() && a->get<bool>();
  }();
  static const std::map<std::string, std::string> labels = {
      {"churn_score", "value at risk"},      {"churn_probability", "churn probability"},
      {"clv", "CLV"},                        {"tenure_months", "months of tenure"},
      {"recency", "months since the last flight"}, {"frequency", "flights"},
      {"monetary", "monetary value"},        {"loyalty_number", "loyalty number"}};
  const auto label = labels.count(key) ? labels.at(key) : key;
  const auto value = [&](const std::string& row) {
    const std::string path = row + "/" + key;
    if (key == "clv" || key == "churn_score" || key == "monetary") {
      return w.cad(op, path, label + " of a listed member");
    }
    if (key == "churn_probability") {
      return w.pct(op, path, label + " of a listed member");
    }
    return w.count(op, path, label + " of a listed member");
  };
  std::string first;
  const std::size_t shown = std::min<std::size_t>(n, 3);
  for (std::size_t i = 0; i < shown; ++i) {
    const std::string row = fmt::format("/rows/{}", i);
    first += fmt::format(
        "{}member {}", separator(i, shown),
        w.name(op, row + "/loyalty_number", "loyalty number of a listed member", NameKind::Identifier));
    if (key != "loyalty_number") {
      first += fmt::format(" ({} {})", value(row), label);
    }
  }
  d.answer = verdict(
      ask, true,
      fmt::format("{} members match; sorted by {}, {}, the list starts with {}.",
                  w.count(op, "/matched_members", "members matching the search"), label,
                  ascending ? "lowest first" : "highest first", first));
  d.evidence.push_back(fmt::format(
      "The list shows {} of them, with each member's province, segment, card, risk tier, CLV and "
      "churn probability.",
      w.derived(format_count(static_cast<double>(n)), op, "/rows (count)", "members listed")));
  d.recommendation =
      "Open a member's profile for the full picture, or narrow the search with a province, "
      "segment, card or risk tier.";
  return d;
}

}  // namespace aa::analyst
