// Grouped operations: summaries by segment, province, card and gender; value at risk by
// segment and province; CLV tiers; tenure buckets; two segments side by side. Group columns
// and sort keys come from allowlists; filter values are bound parameters.

#include <fmt/format.h>

#include "ops/registry.h"

namespace aa::ops {

namespace {

const std::vector<std::string>& value_at_risk_metric_names() {
  static const std::vector<std::string> names = {
      "total_value_at_risk", "total_clv",      "customers",     "avg_churn_score", "avg_clv",
      "median_clv",          "cancelled_rate", "retention_rate"};
  return names;
}

ParamSpec sort_param(const std::vector<std::string>& choices, const std::string& default_value) {
  ParamSpec p;
  p.name = "sort_by";
  p.type = ParamType::Enum;
  p.description = "the metric to sort groups by";
  p.choices = choices;
  p.default_value = default_value;
  return p;
}

// ORDER BY for a checked sort key: nulls last either way, the group name breaks ties.
std::string order_by(const ParamValues& params, const std::string& group) {
  return fmt::format(" order by {} {} nulls last, {}", params.text("sort_by"),
                     params.boolean("ascending") ? "asc" : "desc", group);
}

Operation summary_operation(const std::string& name, const std::string& group,
                            const std::string& label) {
  Operation op;
  op.name = name;
  op.description = "Group metrics by " + label +
                   ": customers, avg/median CLV, avg churn_score, avg recency, frequency, "
                   "monetary, tenure, cancelled and retention rate (top_n, sort_by, ascending)";
  op.params = [](const Domains&) {
    return std::vector<ParamSpec>{top_n_param(10, 50),
                                  sort_param(group_metric_names(), "avg_churn_score"),
                                  ascending_param()};
  };
  op.run = [group](OpsContext& context, const ParamValues& params, const Filters& filters) {
    SqlPart sql{fmt::format("select cast({0} as varchar) as {0},{1} from members where ", group,
                            kGroupMetrics),
                {}};
    sql.append(slice_condition(filters));
    sql.text += " group by " + group + order_by(params, group) + " limit " +
                std::to_string(params.integer("top_n"));
    return nlohmann::json{{"group_by", group}, {"rows", context.rows(sql)}};
  };
  return op;
}

Operation value_at_risk_operation(const std::string& name, const std::string& group,
                                  const std::string& label) {
  Operation op;
  op.name = name;
  op.description = "Total value at risk (sum of churn_score) by " + label +
                   ", with total CLV, customers, avg churn_score, avg/median CLV, cancelled and "
                   "retention rate (top_n, sort_by, ascending)";
  op.params = [](const Domains&) {
    return std::vector<ParamSpec>{top_n_param(10, 50),
                                  sort_param(value_at_risk_metric_names(), "total_value_at_risk"),
                                  ascending_param()};
  };
  op.run = [group](OpsContext& context, const ParamValues& params, const Filters& filters) {
    SqlPart sql{fmt::format(R"sql(select cast({0} as varchar) as {0},
    coalesce(sum(churn_score), 0) as total_value_at_risk,
    coalesce(sum(clv), 0) as total_clv,
    count(*) as customers,
    avg(churn_score) as avg_churn_score,
    avg(clv) as avg_clv,
    median(clv_cents) / 100 as median_clv,
    avg(case when is_cancelled then 1.0 else 0.0 end) as cancelled_rate,
    1 - avg(case when is_cancelled then 1.0 else 0.0 end) as retention_rate
from members where )sql",
                            group),
                {}};
    sql.append(slice_condition(filters));
    sql.text += " group by " + group + order_by(params, group) + " limit " +
                std::to_string(params.integer("top_n"));
    return nlohmann::json{{"group_by", group}, {"rows", context.rows(sql)}};
  };
  return op;
}

nlohmann::json churn_by_clv_tier(OpsContext& context, const ParamValues&, const Filters& filters) {
  // pandas qcut into 3: edges at the 1/3 and 2/3 quantiles, right-closed bins. The edges are
  // computed first and bound into the grouping query.
  SqlPart edges_sql{
      "select quantile_cont(clv_cents, 1 / 3) as low, quantile_cont(clv_cents, 2 / 3) as high "
      "from members where ",
      {}};
  edges_sql.append(slice_condition(filters));
  const nlohmann::json edges = context.row(edges_sql);
  if (edges.at("low").is_null()) {
    return {{"rows", nlohmann::json::array()}};
  }
  SqlPart sql{R"sql(select
    case
        when clv_cents <= ? then 'Low'
        when clv_cents <= ? then 'Medium'
        else 'High'
    end as clv_tier,
    count(*) as customers,
    avg(case when is_cancelled then 1.0 else 0.0 end) as cancelled_rate,
    avg(clv) as avg_clv,
    avg(churn_score) as avg_churn_score,
    sum(clv) as total_clv,
    min(clv) as min_clv,
    max(clv) as max_clv
from members
where )sql",
              {edges.at("low").get<double>(), edges.at("high").get<double>()}};
  sql.append(slice_condition(filters));
  sql.text += R"sql(
group by clv_tier
order by case clv_tier when 'Low' then 1 when 'Medium' then 2 else 3 end)sql";
  return {{"rows", context.rows(sql)}};
}

nlohmann::json tenure_analysis(OpsContext& context, const ParamValues&, const Filters& filters) {
  SqlPart sql{"with slice as (select * from members where ", {}};
  sql.append(slice_condition(filters));
  // pandas cut with bins 0, 6, 12, 24, 36, 60, inf (right-closed, lowest included).
  sql.text += R"sql(),
bucketed as (
    select
        *,
        case
            when tenure_months <= 6 then 1
            when tenure_months <= 12 then 2
            when tenure_months <= 24 then 3
            when tenure_months <= 36 then 4
            when tenure_months <= 60 then 5
            else 6
        end as bucket_order
    from slice
)
select
    case bucket_order
        when 1 then '0-6 months'
        when 2 then '7-12 months'
        when 3 then '13-24 months'
        when 4 then '25-36 months'
        when 5 then '37-60 months'
        else '60+ months'
    end as tenure_bucket,
    bucket_order,
    count(*) as customers,
    avg(case when is_cancelled then 1.0 else 0.0 end) as cancelled_rate,
    avg(clv) as avg_clv,
    avg(churn_score) as avg_churn_score,
    coalesce(sum(churn_score), 0) as total_value_at_risk
from bucketed
group by bucket_order
order by cancelled_rate desc, bucket_order)sql";
  return {{"rows", context.rows(sql)}};
}

nlohmann::json segment_stats(OpsContext& context, const Filters& filters,
                             const std::string& segment) {
  SqlPart sql{R"sql(select
    ? as segment,
    count(*) as customers,
    avg(clv) as avg_clv,
    median(clv_cents) / 100 as median_clv,
    coalesce(sum(clv), 0) as total_clv,
    avg(churn_score) as avg_churn_score,
    coalesce(sum(churn_score), 0) as total_value_at_risk,
    avg(case when is_cancelled then 1.0 else 0.0 end) as cancelled_rate,
    avg(recency) as avg_recency_months,
    avg(frequency) as avg_frequency,
    avg(monetary) as avg_monetary,
    avg(tenure_months) as avg_tenure_months
from members where rfm_segment = ? and )sql",
              {segment, segment}};
  sql.append(slice_condition(filters));
  return context.row(sql);
}

std::vector<ParamSpec> segment_comparison_params(const Domains& domains) {
  ParamSpec a;
  a.name = "segment_a";
  a.type = ParamType::Enum;
  a.description = "the first RFM segment";
  a.choices = domains.rfm_segment;
  a.default_value = "Champions";
  ParamSpec b = a;
  b.name = "segment_b";
  b.description = "the second RFM segment";
  b.default_value = "At Risk";
  return {a, b};
}

nlohmann::json segment_comparison(OpsContext& context, const ParamValues& params,
                                  const Filters& filters) {
  return {{"segment_a", segment_stats(context, filters, params.text("segment_a"))},
          {"segment_b", segment_stats(context, filters, params.text("segment_b"))}};
}

std::vector<ParamSpec> no_params(const Domains&) { return {}; }

}  // namespace

void add_group_operations(std::vector<Operation>& out) {
  out.push_back(summary_operation("summary_by_segment", "rfm_segment", "RFM segment"));
  out.push_back(summary_operation("summary_by_province", "province", "province"));
  out.push_back(summary_operation("summary_by_card", "loyalty_card", "loyalty card"));
  out.push_back(summary_operation("summary_by_gender", "gender", "gender"));
  out.push_back(value_at_risk_operation("value_at_risk_by_segment", "rfm_segment", "RFM segment"));
  out.push_back(value_at_risk_operation("value_at_risk_by_province", "province", "province"));
  out.push_back({"churn_by_clv_tier",
                 "Cancellation rate, avg CLV, avg churn_score and total CLV by CLV tertile "
                 "(Low/Medium/High)",
                 no_params, churn_by_clv_tier});
  out.push_back({"tenure_analysis",
                 "Cancellation rate, avg CLV, avg churn_score and value at risk by tenure "
                 "bucket (0-6, 7-12, 13-24, 25-36, 37-60, 60+ months)",
                 no_params, tenure_analysis});
  out.push_back({"segment_comparison",
                 "Two RFM segments side by side: customers, CLV, churn_score, cancellation rate, "
                 "recency, frequency and tenure (segment_a, segment_b)",
                 segment_comparison_params, segment_comparison});
}

}  // namespace aa::ops
