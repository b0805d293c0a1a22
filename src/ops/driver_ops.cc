// Why members churn: churned against retained averages (the reference's correlation_drivers)
// beside the model's own drivers, and which per-member reasons dominate a slice.

#include <algorithm>
#include <array>
#include <cmath>
#include <map>

#include "model/reasons.h"
#include "ops/member_frame.h"
#include "ops/registry.h"

namespace aa::ops {

namespace {

// The model's mean contribution per feature over the slice's scored members (the members the
// model scored have a churn_probability), largest mean absolute contribution first. Blocks of
// rows wholly inside the slice use their precomputed sums; a missing contribution counts as 0.
nlohmann::json model_drivers(const MemberFrame& f, const Slice& slice) {
  const std::size_t nf = f.features.size();
  const ContributionSums total = contribution_sums(f, slice);
  const std::vector<double>& sum = total.sum;
  const std::vector<double>& abs_sum = total.abs_sum;
  const std::int64_t scored = total.scored;
  nlohmann::json out = nlohmann::json::array();
  if (scored == 0) {
    return out;
  }
  std::vector<std::size_t> order(nf);
  for (std::size_t i = 0; i < nf; ++i) {
    order[i] = i;
  }
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return abs_sum[a] > abs_sum[b]; });
  const auto count = static_cast<double>(scored);
  for (const std::size_t i : order) {
    out.push_back({{"feature", f.features[i]},
                   {"label", model::feature_label(f.features[i])},
                   {"mean_contribution", sum[i] / count},
                   {"mean_abs_contribution", abs_sum[i] / count}});
  }
  return out;
}

// Members per segment, most first, ties by name.
nlohmann::json segment_distribution(const MemberFrame& f, const std::vector<std::int64_t>& counts) {
  std::vector<std::size_t> order;
  for (std::size_t g = 0; g < counts.size(); ++g) {
    if (counts[g] > 0) {
      order.push_back(g);
    }
  }
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    if (counts[a] != counts[b]) {
      return counts[a] > counts[b];
    }
    return (a == 0 ? counts.size() : a) < (b == 0 ? counts.size() : b);
  });
  nlohmann::json out = nlohmann::json::array();
  for (const std::size_t g : order) {
    out.push_back({{"rfm_segment", f.rfm_segment.group_name(g)}, {"customers", counts[g]}});
  }
  return out;
}

nlohmann::json correlation_drivers(OpsContext& context, const ParamValues&,
                                   const Filters& filters) {
  const MemberFrame& f = context.frame();
  const Slice slice = f.select(filters);
  // Side 1: cancelled; side 0: retained; each by segment, from the slice's shared figures.
  const auto& by_segment = segment_by_cancelled(f, slice);
  std::array<GroupStats, 2> groups;
  std::array<std::vector<std::int64_t>, 2> segments;
  for (std::size_t side = 0; side < 2; ++side) {
    for (const GroupStats& g : by_segment[side]) {
      groups[side].merge(g);
      segments[side].push_back(g.customers);
    }
  }
  const std::pair<const char*, nlohmann::json (*)(const GroupStats&)> compared[] = {
      {"recency", [](const GroupStats& g) { return g.recency.json(); }},
      {"frequency", [](const GroupStats& g) { return g.frequency.json(); }},
      {"monetary", [](const GroupStats& g) { return g.monetary.json(); }},
      {"tenure_months", [](const GroupStats& g) { return g.tenure_months.json(); }},
      {"clv", [](const GroupStats& g) { return g.clv.json(); }}};
  nlohmann::json comparison = nlohmann::json::object();
  for (const auto& [metric, mean] : compared) {
    const nlohmann::json churned = mean(groups[1]);
    const nlohmann::json retained = mean(groups[0]);
    nlohmann::json diff = nullptr;
    if (churned.is_number() && retained.is_number() && retained.get<double>() != 0) {
      const double pct =
          (churned.get<double>() - retained.get<double>()) / std::abs(retained.get<double>()) * 100;
      diff = std::round(pct * 10) / 10;
    }
    comparison[metric] = {
        {"churned_avg", churned}, {"retained_avg", retained}, {"difference_pct", diff}};
  }
  return {{"churned_count", groups[1].customers},
          {"retained_count", groups[0].customers},
          {"metrics_comparison", comparison},
          {"churned_segment_distribution", segment_distribution(f, segments[1])},
          {"retained_segment_distribution", segment_distribution(f, segments[0])},
          {"model_drivers", model_drivers(f, slice)},
          {"note",
           "descriptive, as the reference defines it: metrics_comparison contrasts members who "
           "cancelled with those who did not over their whole history, which for a cancelled "
           "member includes the all-zero months after the cancellation, so it shows what "
           "cancelled members look like afterwards, not what predicts a cancellation (the "
           "churn_signal operation compares members at a cutoff with features as of then); "
           "model_drivers are the churn model's mean feature contributions (log-odds) over the "
           "members it scored, who have not cancelled"}};
}

std::vector<ParamSpec> reasons_params(const Domains&) { return {top_n_param(10, 50)}; }

nlohmann::json churn_reasons_summary(OpsContext& context, const ParamValues& params,
                                     const Filters& filters) {
  const MemberFrame& f = context.frame();
  struct Reason {
    std::int64_t members = 0;
    std::int64_t primary_members = 0;
    double value_at_risk = 0;
    double primary_value_at_risk = 0;
    // The member with the largest value at risk among those given this reason, for its wording.
    std::uint32_t example_row = 0;
    int example_position = -1;
    double example_score = 0;
  };
  struct Tally {
    std::vector<Reason> reasons;
    std::int64_t scored = 0;
    double total = 0;
  };
  const Tally tally = reduce_rows<4>(
      f.select(filters), Tally{std::vector<Reason>(f.reason_features.size()), 0, 0},
      [&](Tally& t, std::uint32_t r) {
        if (std::isnan(f.churn_probability[r])) {
          return;
        }
        ++t.scored;
        const double score = std::isnan(f.churn_score[r]) ? 0 : f.churn_score[r];
        t.total += score;
        for (int k = 0; k < 3; ++k) {
          const std::int16_t feature = f.reason_feature[static_cast<std::size_t>(k)][r];
          if (feature == MemberFrame::kNoFeature) {
            continue;
          }
          Reason& reason = t.reasons[static_cast<std::size_t>(feature)];
          ++reason.members;
          reason.value_at_risk += score;
          if (k == 0) {
            ++reason.primary_members;
            reason.primary_value_at_risk += score;
          }
          if (reason.example_position < 0 || score > reason.example_score) {
            reason.example_row = r;
            reason.example_position = k;
            reason.example_score = score;
          }
        }
      },
      [](Tally& a, const Tally& b) {
        a.scored += b.scored;
        a.total += b.total;
        for (std::size_t i = 0; i < a.reasons.size(); ++i) {
          Reason& x = a.reasons[i];
          const Reason& y = b.reasons[i];
          x.members += y.members;
          x.primary_members += y.primary_members;
          x.value_at_risk += y.value_at_risk;
          x.primary_value_at_risk += y.primary_value_at_risk;
          // Of equal scores, the member's that comes first in row order (and in it, the
          // member's first reason with the feature), as one pass in row order would find.
          if (y.example_position >= 0 &&
              (x.example_position < 0 || y.example_score > x.example_score ||
               (y.example_score == x.example_score && y.example_row < x.example_row))) {
            x.example_row = y.example_row;
            x.example_position = y.example_position;
            x.example_score = y.example_score;
          }
        }
      });
  const std::vector<Reason>& reasons = tally.reasons;
  const std::int64_t scored = tally.scored;
  const double total = tally.total;
  std::vector<std::size_t> order;
  for (std::size_t i = 0; i < reasons.size(); ++i) {
    if (reasons[i].members > 0) {
      order.push_back(i);
    }
  }
  // Value at risk, largest first; ties by feature name.
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    if (reasons[a].value_at_risk != reasons[b].value_at_risk) {
      return reasons[a].value_at_risk > reasons[b].value_at_risk;
    }
    return f.reason_features[a] < f.reason_features[b];
  });
  order.resize(std::min(order.size(), static_cast<std::size_t>(params.integer("top_n"))));
  nlohmann::json rows = nlohmann::json::array();
  for (const std::size_t i : order) {
    const Reason& reason = reasons[i];
    rows.push_back({{"feature", f.reason_features[i]},
                    {"label", model::feature_label(f.reason_features[i])},
                    {"members", reason.members},
                    {"primary_members", reason.primary_members},
                    {"value_at_risk", reason.value_at_risk},
                    {"primary_value_at_risk", reason.primary_value_at_risk},
                    {"example_reason", f.reason(reason.example_row,
                                                static_cast<std::size_t>(reason.example_position))},
                    {"value_at_risk_share", total > 0 ? nlohmann::json(reason.value_at_risk / total)
                                                      : nlohmann::json(nullptr)},
                    {"primary_value_at_risk_share",
                     total > 0 ? nlohmann::json(reason.primary_value_at_risk / total)
                               : nlohmann::json(nullptr)}});
  }
  return {{"scored_members", scored},
          {"total_value_at_risk", total},
          {"rows", rows},
          {"note",
           "each scored member's value at risk (churn_score) counts once for each of their top "
           "three reasons, so value_at_risk_share sums to more than 1; the primary_ figures count "
           "the first reason only and sum to 1; example_reason is the wording for the member "
           "with the most value at risk among those given the reason"}};
}

ResultSchema correlation_drivers_result() {
  return {
      integer("churned_count", "members", "members who cancelled"),
      rows("churned_segment_distribution", "members who cancelled, by RFM segment, most first",
           {integer("customers", "members", "members of the segment"),
            text("rfm_segment", "RFM segment")}),
      object(
          "metrics_comparison", "churned against retained averages per metric",
          {object("clv", "customer lifetime value",
                  {under_parent(number("churned_avg", "CAD",
                                       "average over members who cancelled, in the metric's unit")),
                   number("difference_pct", "percent",
                          "(churned - retained) / retained x 100, one decimal"),
                   under_parent(number("retained_avg", "CAD",
                                       "average over retained members, in the metric's unit"))}),
           object("frequency", "flights",
                  {under_parent(number("churned_avg", "flights",
                                       "average over members who cancelled, in the metric's unit")),
                   number("difference_pct", "percent",
                          "(churned - retained) / retained x 100, one decimal"),
                   under_parent(number("retained_avg", "flights",
                                       "average over retained members, in the metric's unit"))}),
           object("monetary", "distance flown",
                  {under_parent(number("churned_avg", "km",
                                       "average over members who cancelled, in the metric's unit")),
                   number("difference_pct", "percent",
                          "(churned - retained) / retained x 100, one decimal"),
                   under_parent(number("retained_avg", "km",
                                       "average over retained members, in the metric's unit"))}),
           object("recency", "months since the last flight",
                  {under_parent(number("churned_avg", "months",
                                       "average over members who cancelled, in the metric's unit")),
                   number("difference_pct", "percent",
                          "(churned - retained) / retained x 100, one decimal"),
                   under_parent(number("retained_avg", "months",
                                       "average over retained members, in the metric's unit"))}),
           object("tenure_months", "months since enrollment",
                  {under_parent(number("churned_avg", "months",
                                       "average over members who cancelled, in the metric's unit")),
                   number("difference_pct", "percent",
                          "(churned - retained) / retained x 100, one decimal"),
                   under_parent(number("retained_avg", "months",
                                       "average over retained members, in the metric's unit"))})}),
      rows("model_drivers", "mean and mean absolute contribution per model feature",
           {text("feature", "the model feature"), text("label", "the feature's label"),
            number("mean_abs_contribution", "log-odds",
                   "mean absolute contribution over the scored members"),
            number("mean_contribution", "log-odds", "mean contribution over the scored members")}),
      text("note", "how to read the figures"),
      integer("retained_count", "members", "members who did not cancel"),
      rows("retained_segment_distribution", "retained members, by RFM segment, most first",
           {integer("customers", "members", "members of the segment"),
            text("rfm_segment", "RFM segment")})};
}

ResultSchema churn_reasons_summary_result() {
  return {
      text("note", "how to read the figures"),
      rows("rows", "one row per reason feature, most members first",
           {text("example_reason",
                 "the reason as worded for the member with the most value at risk"),
            text("feature", "the model feature"), text("label", "the feature's label"),
            integer("members", "members",
                    "scored members with the feature among their top three reasons"),
            integer("primary_members", "members", "members with the feature as their first reason"),
            number("primary_value_at_risk", "CAD", "value at risk of those members"),
            number("primary_value_at_risk_share", "fraction",
                   "their share of the slice's value at risk"),
            number("value_at_risk", "CAD", "value at risk of the members with the reason"),
            number("value_at_risk_share", "fraction", "their share of the slice's value at risk")}),
      integer("scored_members", "members", "scored members"),
      number("total_value_at_risk", "CAD", "sum of churn_score")};
}

}  // namespace

void add_driver_operations(std::vector<Operation>& out) {
  out.push_back({"correlation_drivers",
                 "Churned against retained members (the reference's, descriptive: a cancelled "
                 "member's history includes the all-zero months after cancelling): avg recency, "
                 "frequency, monetary, tenure and CLV with % differences and segment mix, beside "
                 "the model's mean feature contributions",
                 [](const Domains&) { return std::vector<ParamSpec>{}; }, correlation_drivers,
                 correlation_drivers_result()});
  out.push_back({"churn_reasons_summary",
                 "Which per-member churn reasons dominate the slice, weighted by value at risk "
                 "(top_n)",
                 reasons_params, churn_reasons_summary, churn_reasons_summary_result()});
}

}  // namespace aa::ops
