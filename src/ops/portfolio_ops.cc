// Portfolio-level operations: KPIs, the do-nothing scenario, revenue impact and the single
// priority initiative. Semantics follow the reference dashboard's pandas code; a slice
// without members gives zero counts and null averages, never an error. They aggregate the
// member frame in C++ (ops/member_frame.h).

#include "ops/group_figures.h"
#include "ops/member_frame.h"
#include "ops/registry.h"

namespace aa::ops {

namespace {

nlohmann::json kpis(const GroupStats& s) {
  return {{"customers", s.customers},
          {"avg_clv", s.clv.json()},
          {"cancelled_rate", s.cancelled_rate()},
          {"avg_recency_months", s.recency.json()},
          {"avg_frequency", s.frequency.json()},
          {"avg_monetary", s.monetary.json()},
          {"avg_tenure_months", s.tenure_months.json()},
          {"avg_churn_score", s.churn_score.json()}};
}

nlohmann::json kpis_baseline(OpsContext& context, const ParamValues&, const Filters&) {
  const MemberFrame& f = context.frame();
  return kpis(slice_stats(f, f.select(Filters{}), false));
}

nlohmann::json kpis_slice(OpsContext& context, const ParamValues&, const Filters& filters) {
  const MemberFrame& f = context.frame();
  const Slice slice = f.select(filters);
  const GroupStats s = slice_stats(f, slice, false);
  // The median, and high value: CLV above the slice's 75th percentile (linear interpolation,
  // as pandas).
  const auto cents = f.clv_cent_quantiles(slice, {0.5, 0.75});
  const double p75 = cents[1] / 100;
  std::int64_t high_value = 0;
  if (!std::isnan(p75) && p75 > 0) {
    high_value = reduce_rows<4>(
        slice, std::int64_t{0},
        [&](std::int64_t& n, std::uint32_t r) { n += f.clv[r] > p75 ? 1 : 0; },
        [](std::int64_t& a, std::int64_t b) { a += b; });
  }
  nlohmann::json out = kpis(s);
  out["median_clv"] = number_or_null(cents[0] / 100);
  out["retention_rate"] = s.retention_rate();
  out["high_value_customers"] = high_value;
  out["high_value_share"] =
      s.customers > 0
          ? nlohmann::json(static_cast<double>(high_value) / static_cast<double>(s.customers))
          : nlohmann::json(nullptr);
  out["high_value_clv_threshold"] = number_or_null(p75);
  return out;
}

nlohmann::json do_nothing_scenario(OpsContext& context, const ParamValues&,
                                   const Filters& filters) {
  const MemberFrame& f = context.frame();
  const Slice slice = f.select(filters);
  const GroupStats s = slice_stats(f, slice, false);
  const Mean probability = reduce_rows<4>(
      slice, Mean{}, [&](Mean& m, std::uint32_t r) { m.add(f.churn_probability[r]); },
      [](Mean& a, const Mean& b) {
        a.sum += b.sum;
        a.count += b.count;
      });
  const double rate =
      s.customers > 0 ? static_cast<double>(s.cancelled) / static_cast<double>(s.customers) : 0;
  return {{"customers", s.customers},
          {"cancelled_rate", s.cancelled_rate()},
          {"total_value_at_risk", s.total_value_at_risk()},
          {"total_clv", s.total_clv()},
          {"projected_customers_at_risk", static_cast<double>(s.customers) * rate},
          {"scored_customers", probability.count},
          {"expected_churners", probability.sum},
          {"horizon_months", 6},
          {"note",
           "projected_customers_at_risk applies the historical cancellation rate (the reference's "
           "figure); expected_churners is the model's sum of 6-month churn probabilities over "
           "scored members"}};
}

nlohmann::json revenue_impact(OpsContext& context, const ParamValues&, const Filters& filters) {
  const MemberFrame& f = context.frame();
  const Slice slice = f.select(filters);
  const GroupStats s = slice_stats(f, slice, false);
  // The high-risk top quartile: churn_score above the slice's 75th percentile.
  const double p75 =
      slice_quantiles(f.by_churn_score, slice, s.churn_score.count, {0.75}, [&](std::size_t i) {
        return f.sorted_churn_score[i];
      }).at(0);
  const double edge = std::isnan(p75) ? 0.0 : p75;
  const auto [high_risk, high_risk_value] = reduce_rows<4>(
      slice, std::pair<std::int64_t, double>{0, 0},
      [&](std::pair<std::int64_t, double>& a, std::uint32_t r) {
        if (f.churn_score[r] > edge) {
          ++a.first;
          a.second += f.churn_score[r];
        }
      },
      [](std::pair<std::int64_t, double>& a, const std::pair<std::int64_t, double>& b) {
        a.first += b.first;
        a.second += b.second;
      });
  const double customers = static_cast<double>(s.customers);
  const double rate = s.customers > 0 ? static_cast<double>(s.cancelled) / customers : 0;
  const double avg_clv = s.clv.count > 0 ? s.clv.sum / static_cast<double>(s.clv.count) : 0;
  const double avg_tenure =
      s.tenure_months.count > 0
          ? static_cast<double>(s.tenure_months.sum) / static_cast<double>(s.tenure_months.count)
          : 12;
  const double years = std::max(1.0, avg_tenure / 12);
  return {{"total_customers", s.customers},
          {"cancelled_rate", rate},
          {"avg_clv", avg_clv},
          {"total_clv", s.total_clv()},
          {"total_value_at_risk", s.total_value_at_risk()},
          {"avg_tenure_years", years},
          {"high_risk_customers", high_risk},
          {"high_risk_value_at_risk", high_risk_value},
          {"projected_churned_customers", customers * rate},
          {"projected_clv_loss", customers * rate * avg_clv},
          {"annual_revenue_per_customer", avg_clv / years},
          {"projected_annual_loss", customers * rate * avg_clv / years}};
}

// `groups`: the slice's figures by the category's groups.
nlohmann::json top_by_value_at_risk(const std::vector<GroupStats>& groups, const Category& category,
                                    const char* column) {
  // Highest total value at risk; ties by name, members without a value last.
  std::optional<std::size_t> best;
  for (std::size_t g = 1; g <= groups.size(); ++g) {
    const std::size_t i = g % groups.size();  // group 0 (no value) is considered last
    if (groups[i].customers > 0 &&
        (!best || groups[i].total_value_at_risk() > groups[*best].total_value_at_risk())) {
      best = i;
    }
  }
  if (!best) {
    return nlohmann::json::object();
  }
  const GroupStats& s = groups[*best];
  return {{column, category.group_name(*best)},
          {"total_value_at_risk", s.total_value_at_risk()},
          {"total_clv", s.total_clv()},
          {"customers", s.customers},
          {"avg_churn_score", s.churn_score.json()},
          {"avg_clv", s.clv.json()}};
}

nlohmann::json single_priority_initiative(OpsContext& context, const ParamValues&,
                                          const Filters& filters) {
  const MemberFrame& f = context.frame();
  const Slice slice = f.select(filters);
  return {{"top_segment", top_by_value_at_risk(summary_groups(f, slice, f.rfm_segment),
                                               f.rfm_segment, "rfm_segment")},
          {"top_province",
           top_by_value_at_risk(summary_groups(f, slice, f.province), f.province, "province")}};
}

// The KPIs' figures, in the order both KPI operations declare them.
ResultSchema kpi_figures() {
  return group_figures({"avg_churn_score", "avg_clv", "avg_frequency", "avg_monetary",
                        "avg_recency_months", "avg_tenure_months", "cancelled_rate", "customers"},
                       "slice");
}

ResultSchema kpis_baseline_result() { return kpi_figures(); }

ResultSchema kpis_slice_result() {
  return joined(
      {kpi_figures(),
       {number("high_value_clv_threshold", "CAD", "the slice's CLV p75"),
        integer("high_value_customers", "members", "members with CLV above the slice's p75"),
        number("high_value_share", "fraction", "share of members with CLV above the slice's p75")},
       group_figures({"median_clv", "retention_rate"})});
}

ResultSchema do_nothing_scenario_result() {
  return {
      number("cancelled_rate", "fraction", "share of members who cancelled"),
      integer("customers", "members", "members in the slice"),
      number("expected_churners", "members",
             "sum of the scored members' 6-month churn probabilities"),
      integer("horizon_months", "months", "the horizon of the churn probabilities"),
      text("note", "how to read the figures"),
      number("projected_customers_at_risk", "members", "members x historical cancellation rate"),
      integer("scored_customers", "members", "scored members"),
      number("total_clv", "CAD", "sum of CLV"),
      number("total_value_at_risk", "CAD", "sum of churn_score")};
}

ResultSchema revenue_impact_result() {
  return {
      number("annual_revenue_per_customer", "CAD",
             "average CLV divided by max(1, average tenure in years)"),
      number("avg_clv", "CAD", "average customer lifetime value"),
      number("avg_tenure_years", "years", "average tenure in years, at least 1"),
      number("cancelled_rate", "fraction", "share of members who cancelled"),
      integer("high_risk_customers", "members", "members above the slice's churn_score p75"),
      number("high_risk_value_at_risk", "CAD", "value at risk of the high-risk members"),
      number("projected_annual_loss", "CAD", "projected annual revenue loss"),
      number("projected_churned_customers", "members", "members x historical cancellation rate"),
      number("projected_clv_loss", "CAD", "projected CLV lost"),
      number("total_clv", "CAD", "sum of CLV"),
      integer("total_customers", "members", "members in the slice"),
      number("total_value_at_risk", "CAD", "sum of churn_score")};
}

ResultSchema single_priority_initiative_result() {
  return {object("top_province", "the province with the most value at risk",
                 {number("avg_churn_score", "CAD",
                         "average churn_score (probability x CLV) of the scored members"),
                  number("avg_clv", "CAD", "average customer lifetime value"),
                  integer("customers", "members", "members of the province in the slice"),
                  text("province", "province"), number("total_clv", "CAD", "sum of CLV"),
                  number("total_value_at_risk", "CAD", "sum of churn_score")}),
          object("top_segment", "the RFM segment with the most value at risk",
                 {number("avg_churn_score", "CAD",
                         "average churn_score (probability x CLV) of the scored members"),
                  number("avg_clv", "CAD", "average customer lifetime value"),
                  integer("customers", "members", "members of the segment in the slice"),
                  text("rfm_segment", "RFM segment"), number("total_clv", "CAD", "sum of CLV"),
                  number("total_value_at_risk", "CAD", "sum of churn_score")})};
}

}  // namespace

void add_portfolio_operations(std::vector<Operation>& out) {
  out.push_back({"kpis_baseline",
                 "Portfolio KPIs over all members, ignoring filters: customers, avg CLV, "
                 "cancellation rate, avg recency, frequency, monetary, tenure and churn_score",
                 no_params, kpis_baseline, kpis_baseline_result()});
  out.push_back({"kpis_slice",
                 "The same KPIs over the filtered slice, plus median CLV, retention rate and "
                 "high-value members (CLV above the slice's 75th percentile)",
                 no_params, kpis_slice, kpis_slice_result()});
  out.push_back({"do_nothing_scenario",
                 "Impact if no retention action is taken: cancellation rate, value at risk, "
                 "total CLV, projected customers at risk and the model's expected churners",
                 no_params, do_nothing_scenario, do_nothing_scenario_result()});
  out.push_back({"revenue_impact",
                 "Projected churned members, CLV loss and annual revenue loss, and the high-risk "
                 "top quartile's count and value at risk",
                 no_params, revenue_impact, revenue_impact_result()});
  out.push_back({"single_priority_initiative",
                 "The number-one segment and the number-one province by total value at risk",
                 no_params, single_priority_initiative, single_priority_initiative_result()});
}

}  // namespace aa::ops
