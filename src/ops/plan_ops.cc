// retention_plan: whom to contact with a fixed budget, ranked by the value a contact is
// expected to save net of its cost, with the plan's expected saving, ROI and break-even.

#include <fmt/format.h>

#include <cmath>

#include "core/app_error.h"
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
  // Worth contacting: expected saving (churn_score x save_rate) above the contact's cost.
  SqlPart candidates{
      "with candidates as (select * from members where churn_score is not null and "
      "churn_score * ? > ? and ",
      {save_rate, cost_cad}};
  candidates.append(slice_condition(filters));
  if (const auto segment = params.optional_text("segment")) {
    candidates.text += " and rfm_segment = ?";
    candidates.values.emplace_back(*segment);
  }
  if (const auto province = params.optional_text("province")) {
    candidates.text += " and province = ?";
    candidates.values.emplace_back(*province);
  }
  candidates.text += ")";

  SqlPart count_sql = candidates;
  count_sql.text += " select count(*) as worth from candidates";
  const std::int64_t worth = context.row(count_sql).at("worth").get<std::int64_t>();
  const std::int64_t affordable = budget / cost;
  const std::int64_t contacts = std::min(worth, affordable);

  SqlPart totals_sql = candidates;
  totals_sql.text +=
      " select coalesce(sum(churn_score), 0) as value_at_risk from (select churn_score from "
      "candidates order by churn_score desc, loyalty_number limit " +
      std::to_string(contacts) + ")";
  const double contacted_value_at_risk = context.row(totals_sql).at("value_at_risk").get<double>();

  SqlPart list_sql = candidates;
  list_sql.text += R"sql( select
    row_number() over (order by churn_score desc, loyalty_number) as rank,
    loyalty_number, province::varchar as province, rfm_segment::varchar as rfm_segment,
    loyalty_card::varchar as loyalty_card, clv, churn_probability, churn_score,
    risk_tier::varchar as risk_tier, reason_1,
    churn_score * ? as expected_saved_cad,
    churn_score * ? - ? as expected_net_cad
from (select * from candidates order by churn_score desc, loyalty_number limit )sql" +
                   std::to_string(std::min(contacts, params.integer("list_limit"))) +
                   R"sql()
order by rank)sql";
  list_sql.values.insert(list_sql.values.end(), {save_rate, save_rate, cost_cad});

  const double total_cost = static_cast<double>(contacts * cost) / 100;
  const double saved = contacted_value_at_risk * save_rate;
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
          {"rows", context.rows(list_sql)},
          {"note",
           "members are ranked by expected saving net of cost (churn_score x save_rate - cost per "
           "contact); only members whose expected saving exceeds the cost are worth contacting "
           "(break_even_contacts: the rank beyond which a contact loses money), and the budget "
           "buys whole contacts. break_even_save_rate is the save rate at which this plan's "
           "expected saving equals its cost"}};
}

}  // namespace

void add_plan_operations(std::vector<Operation>& out) {
  out.push_back({"retention_plan",
                 "Whom to contact within a budget, ranked by expected CAD saved net of cost, with "
                 "expected saving, ROI and break-even (budget_cad, cost_per_contact_cad, "
                 "save_rate, segment, province)",
                 plan_params, retention_plan});
}

}  // namespace aa::ops
