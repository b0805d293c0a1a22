// Grouped operations: summaries by segment, province, card and gender; value at risk by
// segment and province; CLV tiers; tenure buckets; two segments side by side. Group columns
// and sort keys come from allowlists (segment_comparison: ops/segment_comparison.cc); the groups
// are aggregated over the member frame in C++ (ops/member_frame.h).

#include <algorithm>
#include <array>
#include <functional>

#include "ops/group_figures.h"
#include "ops/member_frame.h"
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

// A group column the operations may group by (the allowlist).
const Category& category(const MemberFrame& f, const std::string& column) {
  if (column == "rfm_segment") {
    return f.rfm_segment;
  }
  if (column == "province") {
    return f.province;
  }
  if (column == "loyalty_card") {
    return f.loyalty_card;
  }
  if (column == "gender") {
    return f.gender;
  }
  throw std::logic_error("not a group column: " + column);
}

nlohmann::json group_metrics(const GroupStats& s) {
  return {{"customers", s.customers},
          {"avg_clv", s.clv.json()},
          {"median_clv", number_or_null(s.median_clv)},
          {"avg_churn_score", s.churn_score.json()},
          {"avg_churn_probability", s.churn_probability.json()},
          {"avg_recency_months", s.recency.json()},
          {"avg_frequency", s.frequency.json()},
          {"avg_monetary", s.monetary.json()},
          {"avg_tenure_months", s.tenure_months.json()},
          {"cancelled_rate", s.cancelled_rate()},
          {"retention_rate", s.retention_rate()}};
}

nlohmann::json value_at_risk_metrics(const GroupStats& s) {
  return {{"total_value_at_risk", s.total_value_at_risk()},
          {"total_clv", s.total_clv()},
          {"customers", s.customers},
          {"avg_churn_score", s.churn_score.json()},
          {"avg_clv", s.clv.json()},
          {"median_clv", number_or_null(s.median_clv)},
          {"cancelled_rate", s.cancelled_rate()},
          {"retention_rate", s.retention_rate()}};
}

// The groups with members, as rows {group: name, metrics...}, sorted by the checked sort key
// (nulls last either way, the group name breaking ties, members without a value last) and cut
// to top_n.
nlohmann::json grouped_rows(OpsContext& context, const ParamValues& params, const Filters& filters,
                            const std::string& group,
                            const std::function<nlohmann::json(const GroupStats&)>& metrics) {
  const MemberFrame& f = context.frame();
  const Category& c = category(f, group);
  const Slice slice = f.select(filters);
  std::vector<GroupStats> stats = summary_groups(f, slice, c);     // shared by the slice's ops
  const std::vector<double>& medians = f.slice_medians(slice, c);  // shared by the slice's ops
  for (std::size_t g = 0; g < stats.size(); ++g) {
    stats[g].median_clv = medians[g];
  }
  std::vector<nlohmann::json> rows;
  std::vector<std::size_t> names;  // group index, 0 (no value) sorted last
  for (std::size_t g = 0; g < stats.size(); ++g) {
    if (stats[g].customers > 0) {
      nlohmann::json row = metrics(stats[g]);
      row[group] = c.group_name(g);
      rows.push_back(std::move(row));
      names.push_back(g == 0 ? stats.size() : g);
    }
  }
  const std::string key = params.text("sort_by");
  const bool ascending = params.boolean("ascending");
  std::vector<std::size_t> order(rows.size());
  for (std::size_t i = 0; i < order.size(); ++i) {
    order[i] = i;
  }
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    const auto& va = rows[a].at(key);
    const auto& vb = rows[b].at(key);
    if (va.is_null() != vb.is_null()) {
      return vb.is_null();
    }
    if (!va.is_null()) {
      const double x = va.get<double>();
      const double y = vb.get<double>();
      if (x != y) {
        return ascending ? x < y : x > y;
      }
    }
    return names[a] < names[b];
  });
  nlohmann::json out = nlohmann::json::array();
  const auto limit = static_cast<std::size_t>(params.integer("top_n"));
  for (std::size_t i = 0; i < order.size() && i < limit; ++i) {
    out.push_back(std::move(rows[order[i]]));
  }
  return {{"group_by", group}, {"rows", out}};
}

// The rows of summary_by_* and value_at_risk_by_*: the group column, then the metrics.
ResultSchema group_rows_result(const std::string& group, const std::string& label,
                               ResultSchema metrics) {
  metrics.insert(metrics.begin(), text(group, "the " + label));
  return {text("group_by", "the column grouped by"),
          rows("rows", "one row per " + label + " with members, sorted by sort_by",
               std::move(metrics))};
}

ResultSchema summary_result(const std::string& group, const std::string& label) {
  return group_rows_result(
      group, label,
      group_figures({"customers", "avg_clv", "median_clv", "avg_churn_score",
                     "avg_churn_probability", "avg_recency_months", "avg_frequency", "avg_monetary",
                     "avg_tenure_months", "cancelled_rate", "retention_rate"}));
}

ResultSchema value_at_risk_result(const std::string& group, const std::string& label) {
  return group_rows_result(
      group, label,
      group_figures({"total_value_at_risk", "total_clv", "customers", "avg_churn_score", "avg_clv",
                     "median_clv", "cancelled_rate", "retention_rate"}));
}

Operation summary_operation(const std::string& name, const std::string& group,
                            const std::string& label) {
  Operation op;
  op.name = name;
  op.description = "Group metrics by " + label +
                   ": customers, avg/median CLV, avg churn_score and probability, avg recency, "
                   "frequency, "
                   "monetary, tenure, cancelled and retention rate (top_n, sort_by, ascending)";
  op.params = [](const Domains&) {
    return std::vector<ParamSpec>{top_n_param(10, 50),
                                  sort_param(group_metric_names(), "avg_churn_score"),
                                  ascending_param()};
  };
  op.run = [group](OpsContext& context, const ParamValues& params, const Filters& filters) {
    return grouped_rows(context, params, filters, group, group_metrics);
  };
  op.result = summary_result(group, label);
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
    return grouped_rows(context, params, filters, group, value_at_risk_metrics);
  };
  op.result = value_at_risk_result(group, label);
  return op;
}

// Min and max beside the group metrics.
struct TierStats {
  GroupStats stats;
  double min_clv = std::numeric_limits<double>::quiet_NaN();
  double max_clv = std::numeric_limits<double>::quiet_NaN();
};

nlohmann::json churn_by_clv_tier(OpsContext& context, const ParamValues&, const Filters& filters) {
  // pandas qcut into 3: edges at the 1/3 and 2/3 quantiles, right-closed bins; members without
  // a CLV fall in no tier.
  const MemberFrame& f = context.frame();
  const Slice slice = f.select(filters);
  const ClvRanks& ranks = f.clv_ranks(slice);  // the slice's members with a CLV, by CLV
  const std::int64_t with_clv = ranks.total();
  if (with_clv == 0) {
    return {{"rows", nlohmann::json::array()}};
  }
  const auto edges = f.clv_cent_quantiles(slice, {1.0 / 3, 2.0 / 3});
  const double low = edges[0];
  const double high = edges[1];
  // Group 0: members without a CLV; group t + 1: tier t.
  const auto groups = group_stats(f, slice, 4, [&](std::uint32_t r) -> std::size_t {
    if (std::isnan(f.clv[r])) {
      return 0;
    }
    const auto c = static_cast<double>(f.clv_cents[r]);
    return 1 + static_cast<std::size_t>(static_cast<int>(c > low) + static_cast<int>(c > high));
  });
  // A tier is a run of the CLV order (cents ascending, then CLV): its lowest and highest CLV
  // are those of its first and last member there.
  std::array<TierStats, 3> tiers;
  std::int64_t first_rank = 0;
  for (std::size_t t = 0; t < 3; ++t) {
    tiers[t].stats = groups[t + 1];
    const std::int64_t members = tiers[t].stats.clv.count;
    if (members > 0) {
      tiers[t].min_clv = f.clv[f.by_clv[ranks.find(f, slice, first_rank)]];
      tiers[t].max_clv = f.clv[f.by_clv[ranks.find(f, slice, first_rank + members - 1)]];
    }
    first_rank += members;
  }
  const char* const names[] = {"Low", "Medium", "High"};
  nlohmann::json rows = nlohmann::json::array();
  for (int i = 0; i < 3; ++i) {
    const GroupStats& s = tiers[static_cast<std::size_t>(i)].stats;
    if (s.customers == 0) {
      continue;
    }
    rows.push_back({{"clv_tier", names[i]},
                    {"customers", s.customers},
                    {"cancelled_rate", s.cancelled_rate()},
                    {"avg_clv", s.clv.json()},
                    {"avg_churn_score", s.churn_score.json()},
                    {"total_clv", s.total_clv()},
                    {"min_clv", tiers[static_cast<std::size_t>(i)].min_clv},
                    {"max_clv", tiers[static_cast<std::size_t>(i)].max_clv}});
  }
  return {{"rows", rows}};
}

nlohmann::json tenure_analysis(OpsContext& context, const ParamValues&, const Filters& filters) {
  // pandas cut with bins 0, 6, 12, 24, 36, 60, inf (right-closed, lowest included); members
  // without a tenure fall in no bucket.
  static const char* const names[] = {"0-6 months",   "7-12 months",  "13-24 months",
                                      "25-36 months", "37-60 months", "60+ months"};
  static const std::array<std::uint8_t, 62> bucket_of = [] {
    std::array<std::uint8_t, 62> out{};
    for (std::size_t t = 0; t < out.size(); ++t) {
      out[t] = t <= 6 ? 0 : t <= 12 ? 1 : t <= 24 ? 2 : t <= 36 ? 3 : t <= 60 ? 4 : 5;
    }
    return out;
  }();
  const MemberFrame& f = context.frame();
  // Group 0: members without a tenure; group b + 1: bucket b.
  const auto groups =
      group_stats(f, f.select(filters), 7, [&](std::uint32_t r) -> std::size_t {
        const std::int32_t t = f.tenure_months[r];
        return t == MemberFrame::kNullInt
                   ? 0
                   : 1 + bucket_of[static_cast<std::size_t>(std::clamp(t, 0, 61))];
      });
  std::vector<nlohmann::json> rows;
  for (int i = 0; i < 6; ++i) {
    const GroupStats& s = groups[static_cast<std::size_t>(i) + 1];
    if (s.customers > 0) {
      rows.push_back({{"tenure_bucket", names[i]},
                      {"bucket_order", i + 1},
                      {"customers", s.customers},
                      {"cancelled_rate", s.cancelled_rate()},
                      {"avg_clv", s.clv.json()},
                      {"avg_churn_score", s.churn_score.json()},
                      {"total_value_at_risk", s.total_value_at_risk()}});
    }
  }
  // Highest cancellation rate first, then in bucket order.
  std::stable_sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) {
    return a.at("cancelled_rate").template get<double>() >
           b.at("cancelled_rate").template get<double>();
  });
  return {{"rows", rows}};
}

ResultSchema churn_by_clv_tier_result() {
  return {rows("rows", "one row per CLV tier with members",
               {number("avg_churn_score", "CAD",
                       "average churn_score (probability x CLV) of the scored members"),
                number("avg_clv", "CAD", "average customer lifetime value"),
                number("cancelled_rate", "fraction", "share of members who cancelled"),
                text("clv_tier", "CLV tertile: Low, Medium or High"),
                integer("customers", "members", "members in the group"),
                number("max_clv", "CAD", "highest CLV in the tier"),
                number("min_clv", "CAD", "lowest CLV in the tier"),
                number("total_clv", "CAD", "sum of CLV")})};
}

ResultSchema tenure_analysis_result() {
  return {rows("rows", "one row per tenure bucket with members, highest cancellation rate first",
               {number("avg_churn_score", "CAD",
                       "average churn_score (probability x CLV) of the scored members"),
                number("avg_clv", "CAD", "average customer lifetime value"),
                integer("bucket_order", "rank", "position of the bucket in natural tenure order"),
                number("cancelled_rate", "fraction", "share of members who cancelled"),
                integer("customers", "members", "members in the group"),
                text("tenure_bucket", "tenure bucket"),
                number("total_value_at_risk", "CAD", "sum of churn_score")})};
}

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
                 no_params, churn_by_clv_tier, churn_by_clv_tier_result()});
  out.push_back({"tenure_analysis",
                 "Cancellation rate, avg CLV, avg churn_score and value at risk by tenure "
                 "bucket (0-6, 7-12, 13-24, 25-36, 37-60, 60+ months)",
                 no_params, tenure_analysis, tenure_analysis_result()});
  out.push_back(segment_comparison_operation());
}

}  // namespace aa::ops
