// retention_plan: whom to contact with a fixed budget, ranked by the value a contact is
// expected to save net of its cost, with the plan's expected saving, ROI and break-even.

#include <algorithm>
#include <cmath>

#include "ops/member_frame.h"
#include "ops/registry.h"

namespace aa::ops {

namespace {

ParamSpec number_param(const char* name, const char* description, double min, double max,
                       double default_value, const char* unit) {
  ParamSpec p;
  p.name = name;
  p.type = ParamType::Number;
  p.description = description;
  p.min = min;
  p.max = max;
  p.default_value = default_value;
  p.unit = unit;
  return p;
}

std::vector<ParamSpec> plan_params(const Domains& domains) {
  ParamSpec segment;
  segment.name = "segment";
  segment.type = ParamType::Enum;
  segment.description = "only members of this RFM segment";
  segment.choices = domains.rfm_segment;
  ParamSpec province;
  province.name = "province";
  province.type = ParamType::Enum;
  province.description = "only members of this province";
  province.choices = domains.province;
  ParamSpec list = top_n_param(100, 1000);
  list.name = "list_limit";
  list.description = "how many of the ranked members to list (the totals cover all contacts)";
  return {number_param("budget_cad", "the campaign budget", 0.01, 1e9, 10000, "CAD"),
          number_param("cost_per_contact_cad", "what one contact costs", 0.01, 1e6, 25, "CAD"),
          number_param("save_rate", "the share of contacted would-be churners the campaign keeps",
                       0.001, 1, 0.2, "fraction"),
          segment,
          province,
          list};
}

// Money in whole cents, so that the budget is never exceeded by rounding.
std::int64_t cents(double cad) { return std::llround(cad * 100); }

nlohmann::json retention_plan(OpsContext& context, const ParamValues& params,
                              const Filters& filters) {
  const std::int64_t budget = cents(params.number("budget_cad"));
  const std::int64_t cost = cents(params.number("cost_per_contact_cad"));
  const double save_rate = params.number("save_rate");
  const double cost_cad = static_cast<double>(cost) / 100;
  const MemberFrame& f = context.frame();
  Filters narrowed = filters;
  bool excluded = false;
  // The optional segment and province parameters narrow the slice further.
  const auto narrow = [&](std::vector<std::string>& list, const std::optional<std::string>& v) {
    if (v) {
      excluded =
          excluded || (!list.empty() && std::find(list.begin(), list.end(), *v) == list.end());
      list = {*v};
    }
  };
  narrow(narrowed.values["rfm_segment"], params.optional_text("segment"));
  narrow(narrowed.values["province"], params.optional_text("province"));
  // Worth contacting: expected saving (churn_score x save_rate) above the contact's cost. The
  // highest scores come first in the score order read backwards, so the candidates are a
  // prefix of it, ranked by expected saving net of cost (ties by loyalty number).
  const std::int64_t affordable = budget / cost;
  // The members worth contacting, best first, up to twice what the budget affords (at least
  // kCurveMinimum): the plan takes the affordable prefix, the ROI curve the whole list.
  constexpr std::int64_t kCurveMinimum = 200;
  const std::int64_t listed_cap = std::max<std::int64_t>(2 * affordable, kCurveMinimum);
  std::vector<std::uint32_t> candidates;
  std::int64_t worth = 0;
  if (!excluded) {
    const Slice slice = f.select(narrowed);
    // The scores ascend, so those worth a contact are a suffix: found by binary search with
    // the same test, then read from the highest down.
    const auto& scores = f.sorted_churn_score;
    const auto first_worth = static_cast<std::size_t>(
        std::partition_point(scores.begin(), scores.end(),
                             [&](double score) { return !(score * save_rate > cost_cad); }) -
        scores.begin());
    for (std::size_t i = scores.size(); i > first_worth; --i) {
      const std::uint32_t r = f.by_churn_score[i - 1];
      if (slice.is_all() && worth >= listed_cap) {
        worth = static_cast<std::int64_t>(scores.size() - first_worth);
        break;
      }
      if (slice.contains(r)) {
        ++worth;
        if (static_cast<std::int64_t>(candidates.size()) < listed_cap) {
          candidates.push_back(r);
        }
      }
    }
  }
  const std::int64_t contacts = std::min(worth, affordable);
  double contacted_value_at_risk = 0;
  for (std::int64_t k = 0; k < contacts; ++k) {
    contacted_value_at_risk += f.churn_score[candidates[static_cast<std::size_t>(k)]];
  }

  const auto listed = static_cast<std::size_t>(std::min(contacts, params.integer("list_limit")));
  nlohmann::json rows = nlohmann::json::array();
  for (std::size_t k = 0; k < listed; ++k) {
    const std::uint32_t r = candidates[k];
    rows.push_back({{"rank", k + 1},
                    {"loyalty_number", f.loyalty_number[r]},
                    {"province", f.province.json(r)},
                    {"rfm_segment", f.rfm_segment.json(r)},
                    {"loyalty_card", f.loyalty_card.json(r)},
                    {"clv", number_or_null(f.clv[r])},
                    {"churn_probability", number_or_null(f.churn_probability[r])},
                    {"churn_score", f.churn_score[r]},
                    {"risk_tier", f.risk_tier.json(r)},
                    {"reason_1", f.reason(r, 0)},
                    {"expected_saved_cad", f.churn_score[r] * save_rate},
                    {"expected_net_cad", f.churn_score[r] * save_rate - cost_cad}});
  }

  const double total_cost = static_cast<double>(contacts * cost) / 100;
  const double saved = contacted_value_at_risk * save_rate;

  // The ROI curve: at most 40 evenly spaced contact counts over the listed candidates, each
  // with its cost, expected saving, net and ROI (what a smaller or larger budget would buy).
  nlohmann::json curve = nlohmann::json::array();
  {
    const std::size_t n = candidates.size();
    const std::size_t points = std::min<std::size_t>(40, n);
    double cumulative = 0;
    std::size_t taken = 0;
    for (std::size_t p = 1; p <= points; ++p) {
      const std::size_t k = (p * n + points - 1) / points;  // ceil(p * n / points)
      for (; taken < k; ++taken) {
        cumulative += f.churn_score[candidates[taken]];
      }
      const double point_cost = static_cast<double>(static_cast<std::int64_t>(k) * cost) / 100;
      const double point_saved = cumulative * save_rate;
      curve.push_back({{"contacts", k},
                       {"cost_cad", point_cost},
                       {"expected_saved_cad", point_saved},
                       {"expected_net_cad", point_saved - point_cost},
                       {"roi", (point_saved - point_cost) / point_cost},
                       {"within_budget", static_cast<std::int64_t>(k) <= affordable}});
    }
  }
  return {{"contacts", contacts},
          {"worth_contacting_members", worth},
          {"affordable_contacts", affordable},
          {"budget_cad", static_cast<double>(budget) / 100},
          {"total_cost_cad", total_cost},
          {"unspent_budget_cad", static_cast<double>(budget - contacts * cost) / 100},
          {"contacted_value_at_risk", contacted_value_at_risk},
          {"expected_saved_cad", saved},
          {"expected_net_cad", saved - total_cost},
          {"roi", contacts > 0 ? nlohmann::json((saved - total_cost) / total_cost) : nullptr},
          {"break_even_save_rate", contacted_value_at_risk > 0
                                       ? nlohmann::json(total_cost / contacted_value_at_risk)
                                       : nullptr},
          {"break_even_contacts", worth},
          {"rows", rows},
          {"roi_curve", curve},
          {"note",
           "members are ranked by expected saving net of cost (churn_score x save_rate - cost per "
           "contact); only members whose expected saving exceeds the cost are worth contacting "
           "(break_even_contacts: the rank beyond which a contact loses money), and the budget "
           "buys whole contacts. break_even_save_rate is the save rate at which this plan's "
           "expected saving equals its cost; roi_curve covers up to twice the contacts the budget "
           "buys"}};
}

ResultSchema retention_plan_result() {
  return {
      integer("affordable_contacts", "members", "contacts the budget buys"),
      integer("break_even_contacts", "members", "the rank beyond which a contact loses money"),
      number("break_even_save_rate", "fraction", "the save rate at which the plan breaks even"),
      number("budget_cad", "CAD", "the budget"),
      number("contacted_value_at_risk", "CAD", "value at risk of the contacted members"),
      integer("contacts", "members", "members contacted"),
      number("expected_net_cad", "CAD", "expected saving net of the cost"),
      number("expected_saved_cad", "CAD", "expected saving: churn probability x CLV x save rate"),
      text("note", "how to read the figures"),
      number("roi", "ratio", "expected net over cost"),
      rows("roi_curve", "the plan's ROI as contacts grow",
           {integer("contacts", "members", "members contacted"),
            number("cost_cad", "CAD", "cost of the contacts"),
            number("expected_net_cad", "CAD", "expected saving net of the cost"),
            number("expected_saved_cad", "CAD",
                   "expected saving: churn probability x CLV x save rate"),
            number("roi", "ratio", "expected net over cost"),
            flag("within_budget", "whether the budget covers these contacts")}),
      rows("rows", "the members to contact, best first (up to list_limit)",
           {number("churn_probability", "fraction", "6-month churn probability"),
            number("churn_score", "CAD", "churn probability x CLV"),
            number("clv", "CAD", "customer lifetime value"),
            number("expected_net_cad", "CAD", "expected saving net of the cost"),
            number("expected_saved_cad", "CAD",
                   "expected saving: churn probability x CLV x save rate"),
            text("loyalty_card", "loyalty card"),
            integer("loyalty_number", "id", "the member's loyalty number"),
            text("province", "province"), integer("rank", "rank", "rank in the plan"),
            text("reason_1", "the first reason, in words"), text("rfm_segment", "RFM segment"),
            text("risk_tier", "churn risk tier: high, medium or low")}),
      number("total_cost_cad", "CAD", "cost of the contacts"),
      number("unspent_budget_cad", "CAD", "budget left"),
      integer("worth_contacting_members", "members",
              "members whose expected saving exceeds the cost")};
}

}  // namespace

void add_plan_operations(std::vector<Operation>& out) {
  out.push_back({"retention_plan",
                 "Whom to contact within a budget, ranked by expected CAD saved net of cost, with "
                 "expected saving, ROI and break-even (budget_cad, cost_per_contact_cad, "
                 "save_rate, segment, province)",
                 plan_params, retention_plan, retention_plan_result()});
}

}  // namespace aa::ops
