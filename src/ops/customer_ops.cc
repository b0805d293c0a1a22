// Member-level operations: the highest-risk and highest-value members, and one member's
// whole profile (customer 360).

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "ops/member_frame.h"
#include "ops/registry.h"

namespace aa::ops {

namespace {

std::vector<ParamSpec> top_risk_params(const Domains&) { return {top_n_param(25, 100)}; }

// A whole number of the frame as JSON (null for none).
nlohmann::json whole(std::int32_t v) {
  return v == MemberFrame::kNullInt ? nlohmann::json(nullptr) : nlohmann::json(v);
}

// The first `limit` members of `order` read backwards (highest first) that the slice holds.
std::vector<std::uint32_t> top_rows(const std::vector<std::uint32_t>& order, const Slice& slice,
                                    std::size_t limit) {
  std::vector<std::uint32_t> out;
  for (auto it = order.rbegin(); it != order.rend() && out.size() < limit; ++it) {
    if (slice.contains(*it)) {
      out.push_back(*it);
    }
  }
  return out;
}

nlohmann::json top_risk_customers(OpsContext& context, const ParamValues& params,
                                  const Filters& filters) {
  // Highest churn_score first, ties by loyalty number: the score order read backwards.
  const MemberFrame& f = context.frame();
  nlohmann::json rows = nlohmann::json::array();
  for (const std::uint32_t r : top_rows(f.by_churn_score, f.select(filters),
                                        static_cast<std::size_t>(params.integer("top_n")))) {
    rows.push_back({{"loyalty_number", f.loyalty_number[r]},
                    {"province", f.province.json(r)},
                    {"loyalty_card", f.loyalty_card.json(r)},
                    {"clv", number_or_null(f.clv[r])},
                    {"rfm_segment", f.rfm_segment.json(r)},
                    {"churn_score", f.churn_score[r]},
                    {"churn_probability", number_or_null(f.churn_probability[r])},
                    {"risk_tier", f.risk_tier.json(r)},
                    {"reason_1", f.reason(r, 0)},
                    {"reason_2", f.reason(r, 1)},
                    {"reason_3", f.reason(r, 2)}});
  }
  return {{"rows", rows}};
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
  // Highest CLV first, ties by loyalty number: the CLV order read backwards.
  const MemberFrame& f = context.frame();
  Filters narrowed = filters;
  if (const auto segment = params.optional_text("segment_filter")) {
    const auto& segments = filters.of("rfm_segment");
    if (!segments.empty() &&
        std::find(segments.begin(), segments.end(), *segment) == segments.end()) {
      return {{"rows", nlohmann::json::array()}};
    }
    narrowed.values["rfm_segment"] = {*segment};
  }
  nlohmann::json rows = nlohmann::json::array();
  for (const std::uint32_t r :
       top_rows(f.by_clv, f.select(narrowed), static_cast<std::size_t>(params.integer("top_n")))) {
    rows.push_back({{"loyalty_number", f.loyalty_number[r]},
                    {"province", f.province.json(r)},
                    {"loyalty_card", f.loyalty_card.json(r)},
                    {"clv", f.clv[r]},
                    {"rfm_segment", f.rfm_segment.json(r)},
                    {"frequency", whole(f.frequency[r])},
                    {"tenure_months", whole(f.tenure_months[r])},
                    {"is_cancelled", f.cancelled[r] != 0},
                    {"churn_probability", number_or_null(f.churn_probability[r])},
                    {"churn_score", number_or_null(f.churn_score[r])}});
  }
  return {{"rows", rows}};
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
        activity_month_index as month_index, total_flights, distance, points_accumulated,
        points_redeemed, dollar_cost_points_redeemed
    from stg_customer_flight_activity
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
nlohmann::json contributions(const MemberFrame& f, std::uint32_t r) {
  nlohmann::json out = nlohmann::json::array();
  const float* c = f.contributions_of(r);  // none for a member not scored
  for (std::size_t i = 0; c != nullptr && i < f.features.size(); ++i) {
    const float v = c[i];
    if (!std::isnan(v)) {
      out.push_back({{"feature", f.features[i]}, {"contribution", v}});
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
  const MemberFrame& f = context.frame();
  const auto r = f.row_of(member);
  if (!r) {
    return {{"found", false},
            {"loyalty_number", member},
            {"message", fmt::format("no member with loyalty number {}", member)}};
  }
  if (!f.matches(filters, *r)) {
    return {{"found", false},
            {"loyalty_number", member},
            {"message", fmt::format("member {} is outside the filtered slice", member)}};
  }
  // The member's attributes and RFM from the warehouse the frame was read from (a point
  // query on customer_features; the churn figures are in the frame).
  const auto rows =
      context.rows({"select * from wh.customer_features where loyalty_number = ?", {member}});
  if (rows.size() != 1) {
    throw std::logic_error("member " + std::to_string(member) + " is in the frame but not in " +
                           "customer_features");
  }
  const nlohmann::json& row = rows.at(0);
  const bool scored = !std::isnan(f.churn_probability[*r]);
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
  // scoring_status as the customer_scored view words it.
  nlohmann::json churn = {{"scoring_status", scored                 ? "scored"
                                             : f.cancelled[*r] != 0 ? "cancelled"
                                                                    : "not_scored"},
                          {"scored_at", f.scored_at.json(*r)},
                          {"churn_probability", number_or_null(f.churn_probability[*r])},
                          {"churn_score", number_or_null(f.churn_score[*r])},
                          {"risk_tier", f.risk_tier.json(*r)},
                          {"reasons", nlohmann::json::array()},
                          {"contributions", nlohmann::json::array()}};
  // Reasons and contributions live in the member frame.
  for (std::size_t k = 0; k < 3; ++k) {
    if (auto reason = f.reason(*r, k); !reason.is_null()) {
      churn["reasons"].push_back(std::move(reason));
    }
  }
  churn["contributions"] = contributions(f, *r);
  // Personal fields from the loyalty history; the dashboard server removes them unless
  // AIRLINE_SHOW_PII=true.
  const auto personal = context.rows(
      {"select postal_code, salary from wh.customer_loyalty_history where loyalty_number = ?",
       {member}});
  if (personal.size() == 1) {
    attributes["postal_code"] = personal.at(0).value("postal_code", nlohmann::json());
    attributes["salary"] = personal.at(0).value("salary", nlohmann::json());
  }
  return {
      {"found", true}, {"loyalty_number", member}, {"attributes", attributes},
      {"rfm", rfm},    {"churn", churn},           {"activity", activity_series(context, member)}};
}

ResultSchema top_risk_customers_result() {
  return {
      rows("rows", "the members with the highest churn_score, highest first",
           {number("churn_probability", "fraction", "6-month churn probability"),
            number("churn_score", "CAD", "churn probability x CLV"),
            number("clv", "CAD", "customer lifetime value"), text("loyalty_card", "loyalty card"),
            integer("loyalty_number", "id", "the member's loyalty number"),
            text("province", "province"), text("reason_1", "the first reason, in words"),
            text("reason_2", "the second reason, in words"),
            text("reason_3", "the third reason, in words"), text("rfm_segment", "RFM segment"),
            text("risk_tier", "churn risk tier: high, medium or low")})};
}

ResultSchema top_value_customers_result() {
  return {rows(
      "rows", "the members with the highest CLV, highest first",
      {number("churn_probability", "fraction", "6-month churn probability"),
       number("churn_score", "CAD", "churn probability x CLV"),
       number("clv", "CAD", "customer lifetime value"), integer("frequency", "flights", "flights"),
       flag("is_cancelled", "whether the member has cancelled"),
       text("loyalty_card", "loyalty card"),
       integer("loyalty_number", "id", "the member's loyalty number"), text("province", "province"),
       text("rfm_segment", "RFM segment"),
       integer("tenure_months", "months", "months since enrollment")})};
}

ResultSchema customer_profile_result() {
  return {
      rows("activity", "the last 24 months of activity, oldest first",
           {integer("distance", "km", "distance flown"),
            number("dollar_cost_points_redeemed", "CAD", "dollar cost of the points redeemed"),
            flag("has_record", "whether the data has a row for the month"),
            integer("month", "month of year", "month of the year"),
            number("points_accumulated", "points", "points accumulated"),
            integer("points_redeemed", "points", "points redeemed"),
            integer("total_flights", "flights", "flights"), integer("year", "year", "year")}),
      object("attributes", "the member's attributes",
             {text("cancellation_date", "month of cancellation, if any"), text("city", "city"),
              number("clv", "CAD", "customer lifetime value"), text("country", "country"),
              text("education", "education"), text("enrollment_date", "month of enrollment"),
              text("enrollment_type", "enrollment type"), text("gender", "gender"),
              flag("is_cancelled", "whether the member has cancelled"),
              text("loyalty_card", "loyalty card"), text("marital_status", "marital status"),
              text("postal_code", "postal code"), text("province", "province"),
              number("salary", "CAD per year", "salary"),
              integer("tenure_months", "months", "months since enrollment")}),
      object(
          "churn", "the member's churn score",
          {number("churn_probability", "fraction", "6-month churn probability"),
           number("churn_score", "CAD", "churn probability x CLV"),
           rows("contributions", "per-feature contributions, largest first",
                {number("contribution", "log-odds", "the feature's contribution to the log-odds"),
                 text("feature", "the model feature")}),
           list("reasons", ResultType::String, "", "the reasons, in words"),
           text("risk_tier", "churn risk tier: high, medium or low"),
           text("scored_at", "when the member was scored"),
           text("scoring_status", "scored, cancelled or not scored")}),
      flag("found", "whether the member was found in the slice"),
      integer("loyalty_number", "id", "the member's loyalty number"),
      object("rfm", "the member's RFM scores",
             {integer("f_score", "score 1-5", "frequency score"),
              integer("frequency", "flights", "flights"),
              integer("m_score", "score 1-5", "monetary score"),
              integer("monetary", "km", "distance flown"),
              integer("r_score", "score 1-5", "recency score"),
              integer("recency", "months", "months since the last flight"),
              text("rfm_segment", "RFM segment")}),
      text("message", "why no profile is shown")};
}

}  // namespace

void add_customer_operations(std::vector<Operation>& out) {
  out.push_back({"top_risk_customers",
                 "Scored members with the highest churn_score (probability x CLV), with their "
                 "churn probability, risk tier and top three reasons (top_n)",
                 top_risk_params, top_risk_customers, top_risk_customers_result()});
  out.push_back({"top_value_customers",
                 "Members with the highest CLV, for rewards and recognition (top_n, "
                 "segment_filter)",
                 top_value_params, top_value_customers, top_value_customers_result()});
  out.push_back({"customer_profile",
                 "Everything about one member: attributes, RFM, 24-month activity, churn "
                 "probability, reasons and risk tier (loyalty_number)",
                 profile_params, customer_profile, customer_profile_result()});
  out.push_back(customer_search_operation());
}

}  // namespace aa::ops
