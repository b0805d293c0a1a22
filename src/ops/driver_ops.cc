// Why members churn: churned against retained averages (the reference's correlation_drivers)
// beside the model's own drivers, and which per-member reasons dominate a slice.

#include <fmt/format.h>

#include <cmath>
#include <map>

#include "core/duck.h"
#include "ops/registry.h"

namespace aa::ops {

namespace {

const std::map<std::string, std::string>& window_measures() {
  static const std::map<std::string, std::string> measures = {
      {"flights", "Flights"},
      {"distance", "Distance flown"},
      {"points_accumulated", "Points earned"},
      {"points_redeemed", "Points redeemed"},
      {"dollar_cost_redeemed", "Rewards redeemed (CAD)"},
      {"active_months", "Months with a flight"}};
  return measures;
}

}  // namespace

// A plain-English name for a model feature, such as "Flights in the last 3 months".
std::string feature_label(const std::string& feature) {
  static const std::map<std::string, std::string> fixed = {
      {"months_since_last_flight", "Months since last flight"},
      {"tenure_months", "Tenure"},
      {"history_months", "Months of history"},
      {"flights_trend_3v3", "Flight trend (last 3 vs previous 3 months)"},
      {"distance_trend_3v3", "Distance trend (last 3 vs previous 3 months)"},
      {"salary", "Salary"},
      {"salary_missing", "Salary missing"},
      {"loyalty_card", "Loyalty card"},
      {"enrollment_type", "Enrollment type"},
      {"province", "Province"},
      {"gender", "Gender"},
      {"education", "Education"},
      {"marital_status", "Marital status"}};
  if (auto it = fixed.find(feature); it != fixed.end()) {
    return it->second;
  }
  const auto underscore = feature.rfind('_');
  if (underscore != std::string::npos) {
    const auto measure = window_measures().find(feature.substr(0, underscore));
    const std::string window = feature.substr(underscore + 1);
    if (measure != window_measures().end() && window.size() >= 2 && window.back() == 'm') {
      const std::string months = window.substr(0, window.size() - 1);
      return measure->second +
             (months == "1" ? " in the latest month" : " in the last " + months + " months");
    }
  }
  return feature;
}

namespace {

constexpr const char* kCompared[] = {"recency", "frequency", "monetary", "tenure_months", "clv"};

nlohmann::json model_drivers(OpsContext& context, const Filters& filters) {
  const auto& features = context.contribution_features();
  if (features.empty()) {
    return nlohmann::json::array();
  }
  std::string select = "select count(*) as scored";
  for (std::size_t i = 0; i < features.size(); ++i) {
    const std::string column = duck::quote_ident("contribution_" + features[i]);
    select += fmt::format(", avg({0}) as m{1}, avg(abs({0})) as a{1}", column, i);
  }
  SqlPart sql{select + " from members where churn_probability is not null and ", {}};
  sql.append(slice_condition(filters));
  const nlohmann::json row = context.row(sql);
  nlohmann::json out = nlohmann::json::array();
  if (row.at("scored").get<std::int64_t>() == 0) {
    return out;
  }
  for (std::size_t i = 0; i < features.size(); ++i) {
    out.push_back({{"feature", features[i]},
                   {"label", feature_label(features[i])},
                   {"mean_contribution", row.at(fmt::format("m{}", i))},
                   {"mean_abs_contribution", row.at(fmt::format("a{}", i))}});
  }
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    return a.at("mean_abs_contribution").template get<double>() >
           b.at("mean_abs_contribution").template get<double>();
  });
  return out;
}

nlohmann::json segment_distribution(OpsContext& context, const Filters& filters, bool cancelled) {
  SqlPart sql{
      "select rfm_segment::varchar as rfm_segment, count(*) as customers from members where "
      "cast(is_cancelled as integer) = ? and ",
      {std::int64_t{cancelled ? 1 : 0}}};
  sql.append(slice_condition(filters));
  sql.text += " group by rfm_segment order by customers desc, rfm_segment";
  return context.rows(sql);
}

nlohmann::json correlation_drivers(OpsContext& context, const ParamValues&,
                                   const Filters& filters) {
  SqlPart sql{R"sql(select
    cast(is_cancelled as integer) as cancelled,
    count(*) as customers,
    avg(recency) as recency,
    avg(frequency) as frequency,
    avg(monetary) as monetary,
    avg(tenure_months) as tenure_months,
    avg(clv) as clv
from members where )sql",
              {}};
  sql.append(slice_condition(filters));
  sql.text += " group by all";
  nlohmann::json groups[2] = {nlohmann::json::object(), nlohmann::json::object()};
  for (const auto& r : context.rows(sql)) {
    groups[r.at("cancelled").get<std::int64_t>()] = r;
  }
  const auto count = [](const nlohmann::json& g) { return g.value("customers", std::int64_t{0}); };
  nlohmann::json comparison = nlohmann::json::object();
  for (const char* metric : kCompared) {
    const nlohmann::json churned = groups[1].value(metric, nlohmann::json());
    const nlohmann::json retained = groups[0].value(metric, nlohmann::json());
    nlohmann::json diff = nullptr;
    if (churned.is_number() && retained.is_number() && retained.get<double>() != 0) {
      const double pct =
          (churned.get<double>() - retained.get<double>()) / std::abs(retained.get<double>()) * 100;
      diff = std::round(pct * 10) / 10;
    }
    comparison[metric] = {
        {"churned_avg", churned}, {"retained_avg", retained}, {"difference_pct", diff}};
  }
  return {{"churned_count", count(groups[1])},
          {"retained_count", count(groups[0])},
          {"metrics_comparison", comparison},
          {"churned_segment_distribution", segment_distribution(context, filters, true)},
          {"retained_segment_distribution", segment_distribution(context, filters, false)},
          {"model_drivers", model_drivers(context, filters)},
          {"note",
           "metrics_comparison contrasts members who cancelled with those who did not, over "
           "their whole history (descriptive, not causal); model_drivers are the churn model's "
           "mean feature contributions (log-odds) over the members it scored, who have not "
           "cancelled"}};
}

std::vector<ParamSpec> reasons_params(const Domains&) { return {top_n_param(10, 50)}; }

nlohmann::json churn_reasons_summary(OpsContext& context, const ParamValues& params,
                                     const Filters& filters) {
  SqlPart sql{"with slice as (select * from members where churn_probability is not null and ", {}};
  sql.append(slice_condition(filters));
  // One reference to `slice`: DuckDB 1.4.4 fails on a prepared statement whose parameters
  // sit in a CTE read by several UNION ALL branches (an internal type error), so the three
  // reasons are unnested instead.
  sql.text += R"sql(),
reasons as (
    select
        churn_score,
        unnest([reason_feature_1, reason_feature_2, reason_feature_3]) as feature,
        unnest([reason_1, reason_2, reason_3]) as reason,
        unnest([1, 2, 3]) as position
    from slice
)
select
    feature,
    count(*) as members,
    count(*) filter (where position = 1) as primary_members,
    coalesce(sum(churn_score), 0) as value_at_risk,
    coalesce(sum(churn_score) filter (where position = 1), 0) as primary_value_at_risk,
    min(reason) as example_reason
from reasons
where feature is not null
group by feature
order by value_at_risk desc, feature
limit )sql" + std::to_string(params.integer("top_n"));
  nlohmann::json rows = context.rows(sql);
  SqlPart totals_sql{
      "select count(*) as scored_members, coalesce(sum(churn_score), 0) as total_value_at_risk "
      "from members where churn_probability is not null and ",
      {}};
  totals_sql.append(slice_condition(filters));
  nlohmann::json out = context.row(totals_sql);
  const double total = out.at("total_value_at_risk").get<double>();
  for (auto& r : rows) {
    r["label"] = feature_label(r.at("feature").get<std::string>());
    r["value_at_risk_share"] =
        total > 0 ? nlohmann::json(r.at("value_at_risk").get<double>() / total) : nullptr;
    r["primary_value_at_risk_share"] =
        total > 0 ? nlohmann::json(r.at("primary_value_at_risk").get<double>() / total) : nullptr;
  }
  out["rows"] = rows;
  out["note"] =
      "each scored member's value at risk (churn_score) counts once for each of their top "
      "three reasons, so value_at_risk_share sums to more than 1; the primary_ figures count "
      "the first reason only and sum to 1";
  return out;
}

}  // namespace

void add_driver_operations(std::vector<Operation>& out) {
  out.push_back({"correlation_drivers",
                 "Churned against retained members: avg recency, frequency, monetary, tenure "
                 "and CLV with % differences and segment mix, beside the model's mean feature "
                 "contributions",
                 [](const Domains&) { return std::vector<ParamSpec>{}; }, correlation_drivers});
  out.push_back({"churn_reasons_summary",
                 "Which per-member churn reasons dominate the slice, weighted by value at risk "
                 "(top_n)",
                 reasons_params, churn_reasons_summary});
}

}  // namespace aa::ops
