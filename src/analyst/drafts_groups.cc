// Drafts over groups of members: provinces, segments (and two segments side by side), cards and
// genders.

#include <fmt/format.h>

#include <cmath>

#include "analyst/group_answers.h"

namespace aa::analyst {

Draft draft_geography(Writer& w, const Ask& ask) {
  return grouped_answer(
      w, ask, {"value_at_risk_by_province", "province", "province", NameKind::DataName},
      {"summary_by_province", "province", "province", NameKind::DataName}, ask.slots.provinces);
}

Draft draft_segments(Writer& w, const Ask& ask) {
  return grouped_answer(
      w, ask, {"value_at_risk_by_segment", "rfm_segment", "segment", NameKind::Label},
      {"summary_by_segment", "rfm_segment", "segment", NameKind::Label}, ask.slots.segments);
}

Draft draft_cards(Writer& w, const Ask& ask) {
  return grouped_answer(w, ask, {"", "", "", NameKind::DataName},
                        {"summary_by_card", "loyalty_card", "card", NameKind::DataName},
                        ask.slots.cards);
}

Draft draft_gender(Writer& w, const Ask& ask) {
  std::vector<std::string> named = ask.slots.genders;
  if (named.size() == 1 && ask.slots.direction != 0) {
    // "Are women more likely to cancel?" compares with the other gender, not the portfolio.
    for (const char* other : {"Female", "Male"}) {
      if (named.front() != other && w.row_where("summary_by_gender", "gender", other)) {
        named.push_back(other);
        break;
      }
    }
  }
  return grouped_answer(w, ask, {"", "", "", NameKind::DataName},
                        {"summary_by_gender", "gender", "gender", NameKind::DataName}, named);
}

Draft draft_comparison(Writer& w, const Ask& ask) {
  Draft d;
  const std::string op = "segment_comparison";
  const auto describe = [&](const char* side) {
    const std::string base = std::string("/") + side;
    const std::string name =
        w.name(op, base + "/segment", fmt::format("compared segment ({})", side), NameKind::Label);
    return std::pair{
        name,
        fmt::format(
            "{} has {} members, an average CLV of {}, a cancellation rate of {} and {} of value at "
            "risk",
            name, w.count(op, base + "/customers", fmt::format("members of {}", name)),
            w.cad(op, base + "/avg_clv", fmt::format("average CLV of {}", name)),
            w.pct(op, base + "/cancelled_rate", fmt::format("cancellation rate of {}", name)),
            w.cad(op, base + "/total_value_at_risk", fmt::format("value at risk of {}", name)))};
  };
  const auto [a, text_a] = describe("segment_a");
  const auto [b, text_b] = describe("segment_b");
  const bool value = ask.says_any({"value", "money", "worth", "clv"});
  const std::string metric = value ? "/total_value_at_risk" : "/cancelled_rate";
  const double ma = w.number(op, "/segment_a" + metric);
  const double mb = w.number(op, "/segment_b" + metric);
  const double gap =
      w.number(op, "/segment_a/cancelled_rate") - w.number(op, "/segment_b/cancelled_rate");
  const bool yes = ask.slots.direction > 0   ? ma > mb
                   : ask.slots.direction < 0 ? ma < mb
                                             : std::abs(gap) >= kMaterialGap;
  d.answer = verdict(ask, yes, text_a + "; " + text_b + ".");
  d.evidence.push_back(fmt::format(
      "Months since the last flight average {} for {} against {} for {}; flights average {} "
      "against {}.",
      w.dec(op, "/segment_a/avg_recency_months", "average recency of " + a, 1, "months"), a,
      w.dec(op, "/segment_b/avg_recency_months", "average recency of " + b, 1, "months"), b,
      w.dec(op, "/segment_a/avg_frequency", "average flights of " + a, 1, "flights"),
      w.dec(op, "/segment_b/avg_frequency", "average flights of " + b, 1, "flights")));
  d.evidence.push_back(fmt::format(
      "Average tenure is {} against {}.",
      w.dec(op, "/segment_a/avg_tenure_months", "average tenure of " + a, 1, "months"),
      w.dec(op, "/segment_b/avg_tenure_months", "average tenure of " + b, 1, "months")));
  const bool a_more = w.number(op, "/segment_a/total_value_at_risk") >=
                      w.number(op, "/segment_b/total_value_at_risk");
  d.recommendation = fmt::format(
      "Spend retention effort on {} first, where more value is at risk, and keep {} engaged with "
      "recognition rather than discounts.",
      a_more ? a : b, a_more ? b : a);
  return d;
}

}  // namespace aa::analyst
