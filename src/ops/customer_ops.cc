// Member-level operations: the highest-risk and highest-value members, and one member's
// whole profile (customer 360).

#include <fmt/format.h>

#include "ops/registry.h"

namespace aa::ops {

namespace {

// The members table keeps categories as ENUMs; results show them as text.
constexpr const char* kCategoriesAsText =
    "province::varchar as province, gender::varchar as gender, loyalty_card::varchar as "
    "loyalty_card, enrollment_type::varchar as enrollment_type, rfm_segment::varchar as "
    "rfm_segment, risk_tier::varchar as risk_tier";

std::vector<ParamSpec> top_risk_params(const Domains&) { return {top_n_param(25, 100)}; }

nlohmann::json top_risk_customers(OpsContext& context, const ParamValues& params,
                                  const Filters& filters) {
  SqlPart sql{R"sql(select
    loyalty_number, province::varchar as province, loyalty_card::varchar as loyalty_card, clv,
    rfm_segment::varchar as rfm_segment, churn_score, churn_probability,
    risk_tier::varchar as risk_tier, reason_1, reason_2, reason_3
from members
where churn_score is not null and )sql",
              {}};
  sql.append(slice_condition(filters));
  // The limit is a checked integer written into the text: DuckDB plans a top-N only for a
  // constant limit (a bound one sorts every row).
  sql.text +=
      " order by churn_score desc, loyalty_number limit " + std::to_string(params.integer("top_n"));
  return {{"rows", context.rows(sql)}};
}

std::vector<ParamSpec> top_value_params(const Domains& domains) {
  ParamSpec segment;
  segment.name = "segment_filter";
  segment.type = ParamType::Enum;
  segment.description = "only members of this RFM segment";
  segment.choices = domains.rfm_segment;
  return {top_n_param(25, 100), segment};
}

nlohmann::json top_value_customers(OpsContext& context, const ParamValues& params,
                                   const Filters& filters) {
  SqlPart sql{R"sql(select
    loyalty_number, province::varchar as province, loyalty_card::varchar as loyalty_card, clv,
    rfm_segment::varchar as rfm_segment, frequency, tenure_months,
    is_cancelled, churn_probability, churn_score
from members
where clv is not null and )sql",
              {}};
  sql.append(slice_condition(filters));
  if (const auto segment = params.optional_text("segment_filter")) {
    sql.text += " and rfm_segment = ?";
    sql.values.emplace_back(*segment);
  }
  sql.text += " order by clv desc, loyalty_number limit " + std::to_string(params.integer("top_n"));
  return {{"rows", context.rows(sql)}};
}

std::vector<ParamSpec> profile_params(const Domains&) {
  ParamSpec p;
  p.name = "loyalty_number";
  p.type = ParamType::Integer;
  p.description = "the member's loyalty number";
  p.min = 0;
  p.max = 9.0e15;
  p.required = true;
  return {p};
}

nlohmann::json activity_series(OpsContext& context, std::int64_t member) {
  const int last = context.last_month_index();
  const int first = std::max(context.first_month_index(), last - 23);
  SqlPart sql{R"sql(with months as (
    select range as month_index from range(?, ? + 1)
),
activity as (
    select
        year * 12 + month - 1 as month_index, total_flights, distance, points_accumulated,
        points_redeemed, dollar_cost_points_redeemed
    from wh.customer_flight_activity
    where loyalty_number = ?
)
select
    cast(months.month_index // 12 as integer) as year,
    cast(months.month_index % 12 + 1 as integer) as month,
    activity.month_index is not null as has_record,
    coalesce(activity.total_flights, 0) as total_flights,
    coalesce(activity.distance, 0) as distance,
    coalesce(activity.points_accumulated, 0) as points_accumulated,
    coalesce(activity.points_redeemed, 0) as points_redeemed,
    coalesce(activity.dollar_cost_points_redeemed, 0) as dollar_cost_points_redeemed
from months
left join activity on months.month_index = activity.month_index
order by months.month_index)sql",
              {std::int64_t{first}, std::int64_t{last}, member}};
  return context.rows(sql);
}

// The member's contributions by source feature, largest effect first.
nlohmann::json contributions(const OpsContext& context, const nlohmann::json& row) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& feature : context.contribution_features()) {
    const auto& v = row.at("contribution_" + feature);
    if (!v.is_null()) {
      out.push_back({{"feature", feature}, {"contribution", v}});
    }
  }
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    return std::abs(a.at("contribution").template get<double>()) >
           std::abs(b.at("contribution").template get<double>());
  });
  return out;
}

nlohmann::json customer_profile(OpsContext& context, const ParamValues& params,
                                const Filters& filters) {
  const std::int64_t member = params.integer("loyalty_number");
  SqlPart sql{std::string("select * replace (") + kCategoriesAsText + "), (", {}};
  sql.append(slice_condition(filters));
  sql.text += ") as in_slice from members where loyalty_number = ?";
  sql.values.emplace_back(member);
  const auto rows = context.rows(sql);
  if (rows.empty()) {
    return {{"found", false},
            {"loyalty_number", member},
            {"message", fmt::format("no member with loyalty number {}", member)}};
  }
  nlohmann::json row = rows.at(0);
  if (!row.at("in_slice").get<bool>()) {
    return {{"found", false},
            {"loyalty_number", member},
            {"message", fmt::format("member {} is outside the filtered slice", member)}};
  }
  nlohmann::json attributes = nlohmann::json::object();
  for (const char* key : {"country", "province", "city", "gender", "education", "marital_status",
                          "loyalty_card", "clv", "enrollment_type", "enrollment_date",
                          "cancellation_date", "is_cancelled", "tenure_months"}) {
    attributes[key] = row.value(key, nlohmann::json());
  }
  nlohmann::json rfm = nlohmann::json::object();
  for (const char* key :
       {"recency", "frequency", "monetary", "r_score", "f_score", "m_score", "rfm_segment"}) {
    rfm[key] = row.at(key);
  }
  nlohmann::json churn = {{"scoring_status", row.at("scoring_status")},
                          {"scored_at", row.at("scored_at")},
                          {"churn_probability", row.at("churn_probability")},
                          {"churn_score", row.at("churn_score")},
                          {"risk_tier", row.at("risk_tier")},
                          {"reasons", nlohmann::json::array()},
                          {"contributions", contributions(context, row)}};
  for (const char* key : {"reason_1", "reason_2", "reason_3"}) {
    if (!row.at(key).is_null()) {
      churn["reasons"].push_back(row.at(key));
    }
  }
  return {
      {"found", true}, {"loyalty_number", member}, {"attributes", attributes},
      {"rfm", rfm},    {"churn", churn},           {"activity", activity_series(context, member)}};
}

}  // namespace

void add_customer_operations(std::vector<Operation>& out) {
  out.push_back({"top_risk_customers",
                 "Scored members with the highest churn_score (probability x CLV), with their "
                 "churn probability, risk tier and top three reasons (top_n)",
                 top_risk_params, top_risk_customers});
  out.push_back({"top_value_customers",
                 "Members with the highest CLV, for rewards and recognition (top_n, "
                 "segment_filter)",
                 top_value_params, top_value_customers});
  out.push_back({"customer_profile",
                 "Everything about one member: attributes, RFM, 24-month activity, churn "
                 "probability, reasons and risk tier (loyalty_number)",
                 profile_params, customer_profile});
}

}  // namespace aa::ops
