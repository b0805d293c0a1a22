// Membership over time: Kaplan-Meier retention curves with late entry, and enrollment-year
// cohorts' membership and flying shares month by month.

#include <fmt/format.h>

#include <map>

#include "ops/registry.h"
#include "ops/survival.h"

namespace aa::ops {

namespace {

constexpr int kMilestones[] = {6, 12, 24, 36, 60};

std::vector<ParamSpec> curve_params(const Domains&) {
  ParamSpec group;
  group.name = "group_by";
  group.type = ParamType::Enum;
  group.description = "one curve per value of this column, or one curve for the slice";
  group.choices = {"none", "rfm_segment", "loyalty_card", "enrollment_type"};
  group.default_value = "none";
  ParamSpec late;
  late.name = "late_entry";
  late.type = ParamType::Boolean;
  late.description =
      "members enrolled before the activity window enter the risk set at their tenure when it "
      "opens (left truncation); false follows every member from enrollment";
  late.default_value = true;
  return {group, late};
}

nlohmann::json curve_json(const std::string& group, const SurvivalCurve& curve,
                          std::int64_t excluded) {
  nlohmann::json points = nlohmann::json::array();
  for (const auto& p : curve.points) {
    points.push_back({{"tenure_months", p.time},
                      {"at_risk", p.at_risk},
                      {"events", p.events},
                      {"censored", p.censored},
                      {"survival", p.survival},
                      {"ci_low", p.ci_low},
                      {"ci_high", p.ci_high}});
  }
  nlohmann::json milestones = nlohmann::json::array();
  for (int t : kMilestones) {
    if (const auto s = curve.at(t)) {
      milestones.push_back({{"tenure_months", t}, {"survival", *s}});
    }
  }
  return {{"group", group},
          {"members", curve.subjects},
          {"events", curve.events},
          {"excluded_cancelled_before_window", excluded},
          {"median_survival_months", curve.median ? nlohmann::json(*curve.median) : nullptr},
          {"milestones", milestones},
          {"points", points}};
}

nlohmann::json retention_curve(OpsContext& context, const ParamValues& params,
                               const Filters& filters) {
  const std::string group_by = params.text("group_by");
  const bool late = params.boolean("late_entry");
  const std::string group = group_by == "none" ? "'All'" : group_by;
  SqlPart sql{fmt::format(R"sql(select
    cast({} as varchar) as grp,
    enrollment_month_index,
    cancellation_month_index,
    count(*) as n
from members where )sql",
                          group),
              {}};
  sql.append(slice_condition(filters));
  sql.text += " group by all order by 1";
  const int first = context.first_month_index();
  const int last = context.last_month_index();
  std::map<std::string, std::vector<SurvivalSubject>> subjects;
  std::map<std::string, std::int64_t> excluded;
  for (const auto& r : context.rows(sql)) {
    const std::string g = r.at("grp").is_null() ? "Unknown" : r.at("grp").get<std::string>();
    const int enrolled = static_cast<int>(r.at("enrollment_month_index").get<std::int64_t>());
    const bool cancelled = !r.at("cancellation_month_index").is_null();
    const int end =
        cancelled ? static_cast<int>(r.at("cancellation_month_index").get<std::int64_t>()) : last;
    const std::int64_t n = r.at("n").get<std::int64_t>();
    const int entry = late ? std::max(0, first - enrolled) : 0;
    const int exit = end - enrolled;
    excluded.emplace(g, 0);
    if (exit < entry) {  // cancelled before the window opened (or before enrolling)
      excluded[g] += n;
      continue;
    }
    subjects[g].push_back({entry, exit, cancelled, n});
  }
  nlohmann::json curves = nlohmann::json::array();
  for (const auto& [g, count] : excluded) {
    curves.push_back(curve_json(g, kaplan_meier(subjects[g]), count));
  }
  return {
      {"group_by", group_by},
      {"late_entry", late},
      {"window_start", fmt::format("{}-{:02}", first / 12, first % 12 + 1)},
      {"curves", curves},
      {"note", late ? "time is tenure in months; members who enrolled before the activity window "
                      "enter at their tenure when it opens, and cancellations before it are left "
                      "out (excluded_cancelled_before_window)"
                    : "time is tenure in months; every member is followed from enrollment"}};
}

struct CohortMonth {
  std::int64_t cohort_size = 0;
  std::int64_t members = 0;
  std::int64_t flying = 0;
};

nlohmann::json cohort_retention(OpsContext& context, const ParamValues&, const Filters& filters) {
  const int first = context.first_month_index();
  const int last = context.last_month_index();
  const int mask_first = context.mask_first_month_index();
  SqlPart membership{R"sql(select
    enrollment_year as cohort, enrollment_month_index, cancellation_month_index, count(*) as n
from members where )sql",
                     {}};
  membership.append(slice_condition(filters));
  membership.text += " group by all";
  std::map<std::int64_t, std::vector<CohortMonth>> cohorts;
  const auto months = static_cast<std::size_t>(last - first + 1);
  for (const auto& r : context.rows(membership)) {
    auto& series = cohorts[r.at("cohort").get<std::int64_t>()];
    series.resize(months);
    const auto enrolled = r.at("enrollment_month_index").get<std::int64_t>();
    const auto& cancel = r.at("cancellation_month_index");
    const std::int64_t n = r.at("n").get<std::int64_t>();
    for (std::size_t i = 0; i < months; ++i) {
      const std::int64_t m = first + static_cast<std::int64_t>(i);
      if (enrolled <= m) {
        series[i].cohort_size += n;
        if (cancel.is_null() || cancel.get<std::int64_t>() > m) {
          series[i].members += n;
        }
      }
    }
  }
  // Flying: bit k of flight_mask is month mask_first + k; counted once enrolled.
  std::string select = "select enrollment_year as cohort";
  for (int m = mask_first; m <= last; ++m) {
    select += fmt::format(
        ", count(*) filter (where (flight_mask >> {0}) & 1 = 1 and enrollment_month_index <= {1})"
        " as f{1}",
        m - mask_first, m);
  }
  SqlPart flying{select + " from members where ", {}};
  flying.append(slice_condition(filters));
  flying.text += " group by all";
  for (const auto& r : context.rows(flying)) {
    auto& series = cohorts[r.at("cohort").get<std::int64_t>()];
    for (int m = mask_first; m <= last; ++m) {
      series.at(static_cast<std::size_t>(m - first)).flying =
          r.at(fmt::format("f{}", m)).get<std::int64_t>();
    }
  }
  nlohmann::json rows = nlohmann::json::array();
  for (const auto& [cohort, series] : cohorts) {
    for (std::size_t i = 0; i < series.size(); ++i) {
      const int m = first + static_cast<int>(i);
      const auto& c = series[i];
      if (c.cohort_size == 0) {
        continue;
      }
      const double size = static_cast<double>(c.cohort_size);
      rows.push_back(
          {{"cohort", cohort},
           {"year", m / 12},
           {"month", m % 12 + 1},
           {"cohort_size", c.cohort_size},
           {"members", c.members},
           {"member_share", static_cast<double>(c.members) / size},
           {"flying_members", m >= mask_first ? nlohmann::json(c.flying) : nullptr},
           {"flying_share",
            m >= mask_first ? nlohmann::json(static_cast<double>(c.flying) / size) : nullptr}});
    }
  }
  return {{"rows", rows},
          {"note",
           "cohort = enrollment year; for each month, cohort_size counts the cohort's members "
           "enrolled by then, members those not yet cancelled, flying_members those with a "
           "flight that month"}};
}

}  // namespace

void add_survival_operations(std::vector<Operation>& out) {
  out.push_back({"retention_curve",
                 "Kaplan-Meier membership survival by tenure, overall or by segment, card or "
                 "enrollment type, with late entry for members enrolled before the data window "
                 "(group_by, late_entry)",
                 curve_params, retention_curve});
  out.push_back({"cohort_retention",
                 "For each enrollment-year cohort and month, the share still a member and the "
                 "share still flying",
                 [](const Domains&) { return std::vector<ParamSpec>{}; }, cohort_retention});
}

}  // namespace aa::ops
