// Portfolio-level operations: KPIs, the do-nothing scenario, revenue impact and the single
// priority initiative. Semantics follow the reference dashboard's pandas code; a slice
// without members gives zero counts and null averages, never an error.

#include <fmt/format.h>

#include "ops/registry.h"

namespace aa::ops {

namespace {

const char* const kKpis = R"sql(
    count(*) as customers,
    avg(clv) as avg_clv,
    avg(case when is_cancelled then 1.0 else 0.0 end) as cancelled_rate,
    avg(recency) as avg_recency_months,
    avg(frequency) as avg_frequency,
    avg(monetary) as avg_monetary,
    avg(tenure_months) as avg_tenure_months,
    avg(churn_score) as avg_churn_score)sql";

nlohmann::json kpis_baseline(OpsContext& context, const ParamValues&, const Filters&) {
  return context.row({std::string("select") + kKpis + " from members", {}});
}

// One quantile of a column over the slice (null for an empty slice), computed on its own:
// binding it into the next query is much faster than a subquery per row.
nlohmann::json slice_quantile(OpsContext& context, const Filters& filters, const char* column,
                              double q) {
  SqlPart sql{fmt::format("select quantile_cont({}, {}) as q from members where ", column, q), {}};
  sql.append(slice_condition(filters));
  return context.row(sql).at("q");
}

nlohmann::json kpis_slice(OpsContext& context, const ParamValues&, const Filters& filters) {
  const nlohmann::json p75_cents = slice_quantile(context, filters, "clv_cents", 0.75);
  const double p75 = p75_cents.is_null() ? 0.0 : p75_cents.get<double>() / 100;
  SqlPart sql{std::string("with final as (select") + kKpis + R"sql(,
        median(clv_cents) / 100 as median_clv,
        1 - avg(case when is_cancelled then 1.0 else 0.0 end) as retention_rate,
        count(*) filter (where clv > ? and ? > 0) as high_value_customers
    from members
    where )sql",
              {p75, p75}};
  sql.append(slice_condition(filters));
  sql.text +=
      ") select *, high_value_customers / nullif(customers, 0) as high_value_share from final";
  nlohmann::json out = context.row(sql);
  out["high_value_clv_threshold"] = p75_cents.is_null() ? nlohmann::json() : nlohmann::json(p75);
  return out;
}

nlohmann::json do_nothing_scenario(OpsContext& context, const ParamValues&,
                                   const Filters& filters) {
  SqlPart sql{"with slice as (select * from members where ", {}};
  sql.append(slice_condition(filters));
  sql.text += R"sql(),
final as (
    select
        count(*) as customers,
        avg(case when is_cancelled then 1.0 else 0.0 end) as cancelled_rate,
        coalesce(sum(churn_score), 0) as total_value_at_risk,
        coalesce(sum(clv), 0) as total_clv,
        count(churn_probability) as scored_customers,
        coalesce(sum(churn_probability), 0) as expected_churners
    from slice
)
select
    customers,
    cancelled_rate,
    total_value_at_risk,
    total_clv,
    customers * coalesce(cancelled_rate, 0) as projected_customers_at_risk,
    scored_customers,
    expected_churners,
    6 as horizon_months
from final)sql";
  nlohmann::json out = context.row(sql);
  out["note"] =
      "projected_customers_at_risk applies the historical cancellation rate (the reference's "
      "figure); expected_churners is the model's sum of 6-month churn probabilities over "
      "scored members";
  return out;
}

nlohmann::json revenue_impact(OpsContext& context, const ParamValues&, const Filters& filters) {
  const nlohmann::json p75 = slice_quantile(context, filters, "churn_score", 0.75);
  SqlPart sql{R"sql(with totals as (
    select
        count(*) as total_customers,
        coalesce(avg(case when is_cancelled then 1.0 else 0.0 end), 0) as cancelled_rate,
        coalesce(avg(clv), 0) as avg_clv,
        coalesce(sum(clv), 0) as total_clv,
        coalesce(sum(churn_score), 0) as total_value_at_risk,
        greatest(1, coalesce(avg(tenure_months), 12) / 12) as avg_tenure_years,
        count(*) filter (where churn_score > ?) as high_risk_customers,
        coalesce(sum(churn_score) filter (where churn_score > ?), 0) as high_risk_value_at_risk
    from members
    where )sql",
              {}};
  const double edge = p75.is_null() ? 0.0 : p75.get<double>();
  sql.values = {edge, edge};
  sql.append(slice_condition(filters));
  sql.text += R"sql(),
final as (
    select
        *,
        total_customers * cancelled_rate as projected_churned_customers,
        total_customers * cancelled_rate * avg_clv as projected_clv_loss,
        avg_clv / avg_tenure_years as annual_revenue_per_customer,
        total_customers * cancelled_rate * avg_clv / avg_tenure_years as projected_annual_loss
    from totals
)
select * from final)sql";
  return context.row(sql);
}

nlohmann::json top_by_value_at_risk(OpsContext& context, const Filters& filters,
                                    const char* column) {
  SqlPart sql{fmt::format("select cast({0} as varchar) as {0}", column) + R"sql(,
    coalesce(sum(churn_score), 0) as total_value_at_risk,
    coalesce(sum(clv), 0) as total_clv,
    count(*) as customers,
    avg(churn_score) as avg_churn_score,
    avg(clv) as avg_clv
from members
where )sql",
              {}};
  sql.append(slice_condition(filters));
  sql.text += std::string(" group by ") + column + " order by total_value_at_risk desc, " + column +
              " limit 1";
  auto rows = context.rows(sql);
  return rows.empty() ? nlohmann::json::object() : rows.at(0);
}

nlohmann::json single_priority_initiative(OpsContext& context, const ParamValues&,
                                          const Filters& filters) {
  return {{"top_segment", top_by_value_at_risk(context, filters, "rfm_segment")},
          {"top_province", top_by_value_at_risk(context, filters, "province")}};
}

std::vector<ParamSpec> no_params(const Domains&) { return {}; }

}  // namespace

void add_portfolio_operations(std::vector<Operation>& out) {
  out.push_back({"kpis_baseline",
                 "Portfolio KPIs over all members, ignoring filters: customers, avg CLV, "
                 "cancellation rate, avg recency, frequency, monetary, tenure and churn_score",
                 no_params, kpis_baseline});
  out.push_back({"kpis_slice",
                 "The same KPIs over the filtered slice, plus median CLV, retention rate and "
                 "high-value members (CLV above the slice's 75th percentile)",
                 no_params, kpis_slice});
  out.push_back({"do_nothing_scenario",
                 "Impact if no retention action is taken: cancellation rate, value at risk, "
                 "total CLV, projected customers at risk and the model's expected churners",
                 no_params, do_nothing_scenario});
  out.push_back({"revenue_impact",
                 "Projected churned members, CLV loss and annual revenue loss, and the high-risk "
                 "top quartile's count and value at risk",
                 no_params, revenue_impact});
  out.push_back({"single_priority_initiative",
                 "The number-one segment and the number-one province by total value at risk",
                 no_params, single_priority_initiative});
}

}  // namespace aa::ops
