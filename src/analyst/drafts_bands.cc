// Drafts over bands of members: tenure (with the month-of-membership spike) and CLV tiers.

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "analyst/drafts.h"
#include "analyst/group_answers.h"

namespace aa::analyst {

namespace {

// Members-weighted cancellation rate over the tenure bands whose bucket_order lies in
// [first, last], registered as a derived fact.
struct BandRate {
  double rate = std::nan("");
  std::string shown;
};

BandRate band_rate(Writer& w, int first, int last, const std::string& who) {
  const std::string op = "tenure_analysis";
  double cancelled = 0;
  double members = 0;
  for (std::size_t i = 0; i < w.size(op, "/rows"); ++i) {
    const std::string row = fmt::format("/rows/{}", i);
    const double order = w.number(op, row + "/bucket_order");
    if (order >= first && order <= last) {
      const double n = w.number(op, row + "/customers");
      cancelled += n * w.number(op, row + "/cancelled_rate");
      members += n;
    }
  }
  if (members == 0) {
    return {};
  }
  const double rate = cancelled / members;
  return {rate, w.derived(format_percent(rate), op,
                          fmt::format("/rows[bucket_order {}-{}] (cancelled_rate weighted by "
                                      "customers)",
                                      first, last),
                          "cancellation rate of " + who)};
}

// "Are recent joiners more likely to cancel than veterans?": first year against 37+ months.
std::optional<std::string> newer_against_long_standing(Writer& w, const Ask& ask) {
  const BandRate newer = band_rate(w, 1, 2, "members in their first year");
  const BandRate older = band_rate(w, 5, 6, "members of more than three years");
  if (std::isnan(newer.rate) || std::isnan(older.rate)) {
    return std::nullopt;
  }
  const bool subject_newer =
      ask.slots.tenure_groups.empty() || ask.slots.tenure_groups.front() == kNewer;
  const double subject = subject_newer ? newer.rate : older.rate;
  const double other = subject_newer ? older.rate : newer.rate;
  const bool yes = ask.slots.direction < 0 ? subject < other : subject > other;
  return verdict(ask, yes,
                 fmt::format("members in their first year (0-12 months) have cancelled at {}, "
                             "against {} for members of more than three years (37 months or "
                             "more).",
                             newer.shown, older.shown));
}

// "Is there a month of membership where cancellations spike?": tenure_hazard's peak.
std::string spike_sentence(Writer& w, const Ask& ask) {
  const std::string op = "tenure_hazard";
  if (w.at(op, "/peak/tenure_months") == nullptr) {
    return verdict(ask, false,
                   "no month of membership stands out: no month's cancellation hazard passes the "
                   "spike rule against its neighbours.");
  }
  return verdict(
      ask, true,
      fmt::format("cancellations spike in month {} of membership: {} cancellations, {} of all, a "
                  "monthly hazard of {} against {} in the neighbouring months.",
                  w.count(op, "/peak/tenure_months", "month of membership with the spike"),
                  w.count(op, "/peak/events", "cancellations in that month"),
                  w.pct(op, "/peak/share_of_cancellations", "its share of all cancellations"),
                  w.pct(op, "/peak/hazard", "monthly cancellation hazard in that month"),
                  w.pct(op, "/peak/neighbour_hazard", "hazard of the neighbouring months")));
}

}  // namespace

Draft draft_tenure(Writer& w, const Ask& ask) {
  Draft d;
  const std::string op = "tenure_analysis";
  if (w.size(op, "/rows") == 0) {
    d.answer = "No member in this slice has a tenure to analyse.";
    return d;
  }
  const std::string bucket =
      w.name(op, "/rows/0/tenure_bucket", "tenure band with the highest cancellation rate",
             NameKind::Label);
  const std::string most =
      fmt::format("Members with {} of tenure cancel most: {} of them, with {} of value at risk.",
                  bucket, w.pct(op, "/rows/0/cancelled_rate", "cancellation rate of that band"),
                  w.cad(op, "/rows/0/total_value_at_risk", "value at risk of that band"));
  const bool spike = ask.says_any({"spike", "peak", "month", "months of membership", "when"});
  const bool compare = !ask.slots.tenure_groups.empty() || ask.slots.compare;
  std::optional<std::string> lead;
  if (spike) {
    lead = spike_sentence(w, ask);
  } else if (compare) {
    lead = newer_against_long_standing(w, ask);
  }
  d.answer = lead ? *lead : verdict(ask, true, most);
  if (lead) {
    d.evidence.push_back(most);
  }
  const std::size_t last = w.size(op, "/rows") - 1;
  if (last > 0) {
    const std::string row = fmt::format("/rows/{}", last);
    d.evidence.push_back(
        fmt::format("The steadiest band is {}, at {}.",
                    w.name(op, row + "/tenure_bucket",
                           "tenure band with the lowest cancellation rate", NameKind::Label),
                    w.pct(op, row + "/cancelled_rate", "its cancellation rate")));
  }
  if (!spike && w.at("tenure_hazard", "/peak/tenure_months") != nullptr) {
    d.evidence.push_back(capitalised(spike_sentence(w, Ask{})));
  }
  d.recommendation = fmt::format(
      "Build an onboarding or milestone programme aimed at members in the {} band.", bucket);
  return d;
}

namespace {

std::optional<std::size_t> tier_row(Writer& w, const std::string& tier) {
  return w.row_where("churn_by_clv_tier", "clv_tier", tier);
}

// "Do high-value members churn less than low-value ones?": one tier against another.
std::optional<std::string> tier_against_tier(Writer& w, const Ask& ask) {
  const std::string op = "churn_by_clv_tier";
  std::vector<std::string> tiers = ask.slots.clv_tiers;
  if (tiers.size() == 1) {
    tiers.push_back(tiers.front() == "Low" ? "High" : "Low");
  }
  if (tiers.size() < 2) {
    return std::nullopt;
  }
  const auto a = tier_row(w, tiers[0]);
  const auto b = tier_row(w, tiers[1]);
  if (!a || !b) {
    return std::nullopt;
  }
  const auto side = [&](std::size_t i) {
    const std::string row = fmt::format("/rows/{}", i);
    return std::pair{
        w.number(op, row + "/cancelled_rate"),
        fmt::format("the {} CLV band cancels at {} (average CLV {})",
                    w.name(op, row + "/clv_tier", "CLV band", NameKind::Label),
                    w.pct(op, row + "/cancelled_rate", "cancellation rate of the band"),
                    w.cad(op, row + "/avg_clv", "average CLV of the band"))};
  };
  const auto [ra, ta] = side(*a);
  const auto [rb, tb] = side(*b);
  const bool yes = ask.slots.direction < 0   ? ra < rb
                   : ask.slots.direction > 0 ? ra > rb
                                             : std::abs(ra - rb) >= kMaterialGap;
  return verdict(ask, yes, ta + "; " + tb + ".");
}

}  // namespace

Draft draft_clv_bands(Writer& w, const Ask& ask) {
  Draft d;
  const std::string op = "churn_by_clv_tier";
  const std::size_t n = w.size(op, "/rows");
  if (n == 0) {
    d.answer = "No member in this slice has a CLV to band.";
    return d;
  }
  std::size_t worst = 0;
  for (std::size_t i = 1; i < n; ++i) {
    if (w.number(op, fmt::format("/rows/{}/cancelled_rate", i)) >
        w.number(op, fmt::format("/rows/{}/cancelled_rate", worst))) {
      worst = i;
    }
  }
  const std::string row = fmt::format("/rows/{}", worst);
  const std::string tier =
      w.name(op, row + "/clv_tier", "CLV band with the highest cancellation rate", NameKind::Label);
  const std::string most =
      fmt::format("the {} CLV band cancels most: {} of its {} members, average CLV {}.", tier,
                  w.pct(op, row + "/cancelled_rate", "its cancellation rate"),
                  w.count(op, row + "/customers", "its members"),
                  w.cad(op, row + "/avg_clv", "its average CLV"));
  const auto lead = tier_against_tier(w, ask);
  d.answer = lead ? *lead : verdict(ask, w.text(op, row + "/clv_tier") == "High", most);
  for (std::size_t i = 0; i < n; ++i) {
    if (i != worst) {
      const std::string r = fmt::format("/rows/{}", i);
      d.evidence.push_back(fmt::format("{} band: cancellation rate {}, total CLV {}.",
                                       w.name(op, r + "/clv_tier", "CLV band", NameKind::Label),
                                       w.pct(op, r + "/cancelled_rate", "cancellation rate"),
                                       w.cad(op, r + "/total_clv", "total CLV")));
    }
  }
  if (lead) {
    d.evidence.insert(d.evidence.begin(), capitalised(most));
  }
  d.recommendation =
      "Match the offer to the band: service recovery for high-CLV members, low-cost nudges for the "
      "rest.";
  return d;
}

}  // namespace aa::analyst
