// Membership over time: Kaplan-Meier retention curves with late entry, enrollment-year
// cohorts' membership and flying shares month by month, and the cancellation hazard by month
// of membership with its spikes.

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <unordered_map>

#include "model/tenure_hazard.h"
#include "ops/member_frame.h"
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

// Counts members by (group, enrollment month, cancellation month or none): densely when the
// months span a small range (always, for real data), in a hash map otherwise.
class MonthPairCounter {
 public:
  MonthPairCounter(std::size_t groups, std::int32_t min_e, std::int32_t max_e, std::int32_t min_c,
                   std::int32_t max_c)
      : groups_(groups), min_e_(min_e), min_c_(min_c) {
    span_e_ = static_cast<std::size_t>(max_e - min_e + 1);
    span_c_ = max_c >= min_c ? static_cast<std::size_t>(max_c - min_c + 2) : 1;
    if (groups_ * span_e_ * span_c_ <= kMaxDense) {
      dense_.assign(groups_ * span_e_ * span_c_, 0);
    }
  }
  void add(std::size_t group, std::int32_t e, std::int32_t c) {
    const std::size_t c_off =
        c == MemberFrame::kNoMonth ? 0 : static_cast<std::size_t>(c - min_c_ + 1);
    const std::size_t key =
        (group * span_e_ + static_cast<std::size_t>(e - min_e_)) * span_c_ + c_off;
    if (dense_.empty()) {
      ++sparse_[key];
    } else {
      ++dense_[key];
    }
  }
  void merge(const MonthPairCounter& o) {
    for (std::size_t i = 0; i < dense_.size(); ++i) {
      dense_[i] += o.dense_[i];
    }
    for (const auto& [key, n] : o.sparse_) {
      sparse_[key] += n;
    }
  }
  // f(group, enrolled, cancelled or kNoMonth, count) for every non-zero cell.
  template <typename F>
  void for_each(F f) const {
    const auto visit = [&](std::size_t key, std::int64_t n) {
      const std::size_t c_off = key % span_c_;
      const std::size_t e_off = (key / span_c_) % span_e_;
      const std::size_t group = key / span_c_ / span_e_;
      f(group, min_e_ + static_cast<std::int32_t>(e_off),
        c_off == 0 ? MemberFrame::kNoMonth : min_c_ + static_cast<std::int32_t>(c_off) - 1, n);
    };
    if (dense_.empty()) {
      for (const auto& [key, n] : sparse_) {
        visit(key, n);
      }
    } else {
      for (std::size_t key = 0; key < dense_.size(); ++key) {
        if (dense_[key] != 0) {
          visit(key, dense_[key]);
        }
      }
    }
  }

 private:
  static constexpr std::size_t kMaxDense = std::size_t{1} << 22;
  std::size_t groups_;
  std::int32_t min_e_, min_c_;
  std::size_t span_e_ = 1, span_c_ = 1;
  std::vector<std::int64_t> dense_;
  std::unordered_map<std::size_t, std::int64_t> sparse_;
};

// The slice's members with an enrollment month counted by (group, enrollment month,
// cancellation month or none), in one pass (both cores for a large slice), laid out by the
// frame's month ranges.
MonthPairCounter count_month_pairs(const MemberFrame& f, const Slice& slice,
                                   const Category* category) {
  const MemberFrame::Range& e = f.enrollment_months;
  const MemberFrame::Range& c = f.cancellation_months;
  if (e.low > e.high) {
    return MonthPairCounter(1, 0, 0, 0, -1);
  }
  return reduce_rows(
      slice, MonthPairCounter(category ? category->group_count() : 1, e.low, e.high, c.low, c.high),
      [&](MonthPairCounter& counter, std::uint32_t r) {
        const std::int32_t enrolled = f.enrollment_month_index[r];
        if (enrolled != MemberFrame::kNoMonth) {
          counter.add(category ? category->group_of(r) : 0, enrolled,
                      f.cancellation_month_index[r]);
        }
      },
      [](MonthPairCounter& a, const MonthPairCounter& b) { a.merge(b); });
}

nlohmann::json retention_curve(OpsContext& context, const ParamValues& params,
                               const Filters& filters) {
  const std::string group_by = params.text("group_by");
  const bool late = params.boolean("late_entry");
  const MemberFrame& f = context.frame();
  const Category* category = group_by == "rfm_segment"       ? &f.rfm_segment
                             : group_by == "loyalty_card"    ? &f.loyalty_card
                             : group_by == "enrollment_type" ? &f.enrollment_type
                                                             : nullptr;
  const auto group_name = [&](std::size_t g) -> std::string {
    if (category == nullptr) {
      return "All";
    }
    const nlohmann::json name = category->group_name(g);
    return name.is_null() ? "Unknown" : name.get<std::string>();
  };
  const int first = context.first_month_index();
  const int last = context.last_month_index();
  std::map<std::string, std::vector<SurvivalSubject>> subjects;
  std::map<std::string, std::int64_t> excluded;
  {
    count_month_pairs(f, f.select(filters), category)
        .for_each([&](std::size_t g, std::int32_t enrolled, std::int32_t cancel, std::int64_t n) {
          const std::string name = group_name(g);
          const bool cancelled = cancel != MemberFrame::kNoMonth;
          const int end = cancelled ? cancel : last;
          const int entry = late ? std::max(0, first - enrolled) : 0;
          const int exit = end - enrolled;
          excluded.emplace(name, 0);
          if (exit < entry) {  // cancelled before the window opened (or before enrolling)
            excluded[name] += n;
            return;
          }
          subjects[name].push_back({entry, exit, cancelled, n});
        });
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

nlohmann::json cohort_retention(OpsContext& context, const ParamValues&, const Filters& filters) {
  const int first = context.first_month_index();
  const int last = context.last_month_index();
  const int mask_first = context.mask_first_month_index();
  const MemberFrame& f = context.frame();
  const auto months = static_cast<std::size_t>(last - first + 1);
  // Cohort = enrollment year; per cohort and window month: joined (enrolled by then, counted
  // from the window's first month), left (cancelled by then and enrolled), flying.
  // The frame's enrollment years (a cohort without members in the slice gives no rows).
  const Slice slice = f.select(filters);
  const std::int32_t min_year = f.enrollment_years.low;
  const std::int32_t max_year = f.enrollment_years.high;
  nlohmann::json rows = nlohmann::json::array();
  if (min_year <= max_year) {
    const auto years = static_cast<std::size_t>(max_year - min_year + 1);
    std::vector<std::int64_t> flying(years * months, 0);
    const auto month_slot = [&](std::int32_t m) {
      return static_cast<std::size_t>(std::max(0, m - first));
    };
    // Flights: bit k of flight_mask is month mask_first + k. Counting each member's mask byte
    // by byte into a histogram of byte values, then expanding the histogram into months, costs
    // a few increments per member instead of one per month flown.
    const auto bytes = static_cast<std::size_t>((last - mask_first + 1 + 7) / 8);
    struct Counts {
      std::vector<std::int64_t> joined, left, byte_counts;
    };
    const Counts counts = reduce_rows(
        slice,
        Counts{std::vector<std::int64_t>(years * months, 0),
               std::vector<std::int64_t>(years * months, 0),
               std::vector<std::int64_t>(years * bytes * 256, 0)},
        [&](Counts& k, std::uint32_t r) {
          const std::int32_t e = f.enrollment_month_index[r];
          if (f.enrollment_year[r] == MemberFrame::kNoMonth || e == MemberFrame::kNoMonth ||
              e > last) {
            return;
          }
          const auto cohort = static_cast<std::size_t>(f.enrollment_year[r] - min_year);
          const std::size_t base = cohort * months;
          ++k.joined[base + month_slot(e)];
          const std::int32_t c = f.cancellation_month_index[r];
          if (c != MemberFrame::kNoMonth && std::max(e, c) <= last) {
            ++k.left[base + month_slot(std::max(e, c))];
          }
          std::uint64_t bits = f.flight_mask[r];
          if (e > mask_first) {  // flights count once enrolled
            bits &= ~((std::uint64_t{1} << (e - mask_first)) - 1);
          }
          for (std::size_t j = 0; j < bytes && bits != 0; ++j, bits >>= 8) {
            ++k.byte_counts[(cohort * bytes + j) * 256 + (bits & 0xFF)];
          }
        },
        [](Counts& a, const Counts& b) {
          for (auto [x, y] : {std::pair{&a.joined, &b.joined}, std::pair{&a.left, &b.left},
                              std::pair{&a.byte_counts, &b.byte_counts}}) {
            for (std::size_t i = 0; i < x->size(); ++i) {
              (*x)[i] += (*y)[i];
            }
          }
        });
    const auto& joined = counts.joined;
    const auto& left = counts.left;
    const auto& byte_counts = counts.byte_counts;
    for (std::size_t cohort = 0; cohort < years; ++cohort) {
      for (std::size_t j = 0; j < bytes; ++j) {
        for (unsigned v = 1; v < 256; ++v) {
          const std::int64_t n = byte_counts[(cohort * bytes + j) * 256 + v];
          for (unsigned b = 0; n != 0 && b < 8; ++b) {
            const int m = mask_first + static_cast<int>(j * 8 + b);
            if ((v >> b) & 1U && m <= last) {
              flying[cohort * months + static_cast<std::size_t>(m - first)] += n;
            }
          }
        }
      }
    }
    for (std::size_t y = 0; y < years; ++y) {
      std::int64_t size = 0;
      std::int64_t gone = 0;
      for (std::size_t i = 0; i < months; ++i) {
        size += joined[y * months + i];
        gone += left[y * months + i];
        if (size == 0) {
          continue;
        }
        const int m = first + static_cast<int>(i);
        const std::int64_t fly = flying[y * months + i];
        const double total = static_cast<double>(size);
        rows.push_back(
            {{"cohort", min_year + static_cast<std::int32_t>(y)},
             {"year", m / 12},
             {"month", m % 12 + 1},
             {"cohort_size", size},
             {"members", size - gone},
             {"member_share", static_cast<double>(size - gone) / total},
             {"flying_members", m >= mask_first ? nlohmann::json(fly) : nullptr},
             {"flying_share",
              m >= mask_first ? nlohmann::json(static_cast<double>(fly) / total) : nullptr}});
      }
    }
  }
  return {{"rows", rows},
          {"note",
           "cohort = enrollment year; for each month, cohort_size counts the cohort's members "
           "enrolled by then, members those not yet cancelled, flying_members those with a "
           "flight that month"}};
}

std::vector<ParamSpec> hazard_params(const Domains&) {
  ParamSpec max;
  max.name = "max_tenure_months";
  max.type = ParamType::Integer;
  max.description =
      "rows for months of membership 0 to this; spikes are sought over every month followed";
  max.default_value = 40;
  max.min = 1;
  max.max = 1200;
  max.unit = "months";
  return {max};
}

// Members of the slice counted by (enrollment month, cancellation month or none) in one pass,
// then the hazard table from the counts (model/tenure_hazard.h).
nlohmann::json tenure_hazard_op(OpsContext& context, const ParamValues& params,
                                const Filters& filters) {
  const MemberFrame& f = context.frame();
  std::vector<model::EnrollmentCount> counts;
  count_month_pairs(f, f.select(filters), nullptr)
      .for_each([&](std::size_t, std::int32_t enrolled, std::int32_t cancel, std::int64_t n) {
        counts.push_back(
            {enrolled, cancel == MemberFrame::kNoMonth ? std::nullopt : std::optional(cancel), n});
      });
  const int last = context.last_month_index();
  const model::TenureHazard table = model::tenure_hazard(counts, last);
  nlohmann::json out = table.to_json(static_cast<int>(params.integer("max_tenure_months")));
  out["data_end"] = fmt::format("{}-{:02}", last / 12, last % 12 + 1);
  out["note"] = fmt::format(
      "tenure_months = months since enrollment (0: the enrollment month); members are followed "
      "from enrollment, which the loyalty file records for every member, to cancelling or to "
      "the data's last month ({}); hazard = cancellations that month / members at risk, with "
      "95% Wilson intervals; share_of_cancellations is over the slice's cancellations",
      out["data_end"].get<std::string>());
  return out;
}

ResultSchema retention_curve_result() {
  return {rows("curves", "one survival curve per group",
               {integer("events", "members", "cancellations"),
                integer("excluded_cancelled_before_window", "members",
                        "members who cancelled before the activity window (left out)"),
                text("group", "the group"),
                integer("median_survival_months", "months",
                        "tenure at which survival falls to 50%, if it does"),
                integer("members", "members", "members in the group"),
                rows("milestones", "survival at 6, 12, 24, 36 and 60 months",
                     {number("survival", "fraction", "share of members still enrolled"),
                      integer("tenure_months", "months", "months since enrollment")}),
                rows("points", "the survival curve by tenure",
                     {integer("at_risk", "members", "members at risk at the start of the month"),
                      integer("censored", "members", "members censored that month"),
                      number("ci_high", "fraction", "upper end of the 95% interval"),
                      number("ci_low", "fraction", "lower end of the 95% interval"),
                      integer("events", "members", "cancellations"),
                      number("survival", "fraction", "share of members still enrolled"),
                      integer("tenure_months", "months", "months since enrollment")})}),
          text("group_by", "the column grouped by"),
          flag("late_entry", "whether members enter the risk set when the window opens"),
          text("note", "how to read the figures"),
          text("window_start", "the activity window's first month")};
}

ResultSchema cohort_retention_result() {
  return {text("note", "how to read the figures"),
          rows("rows", "one row per cohort and month of the window",
               {integer("cohort", "year", "enrollment year"),
                integer("cohort_size", "members", "members of the cohort enrolled by the month"),
                integer("flying_members", "members", "members who flew that month"),
                number("flying_share", "fraction", "share of the cohort who flew that month"),
                number("member_share", "fraction", "share of the cohort not yet cancelled"),
                integer("members", "members", "members of the cohort not yet cancelled"),
                integer("month", "month of year", "month of the year"),
                integer("year", "year", "year")})};
}

ResultSchema tenure_hazard_result() {
  return {
      integer("cancellations", "members", "cancellations"),
      integer("cancellations_after_data_end", "members",
              "cancellations dated after the data's last month (left out)"),
      text("data_end", "the data's last month"),
      integer("excluded_members", "members",
              "members left out (no valid enrollment or cancellation month)"),
      integer("max_follow_up_months", "months", "longest follow-up of any member"),
      integer("members", "members", "members followed"),
      text("note", "how to read the figures"),
      object("peak", "the spike with the most cancellations, if any",
             {integer("events", "members", "cancellations that month"),
              number("hazard", "fraction per month", "monthly cancellation hazard"),
              number("neighbour_hazard", "fraction per month",
                     "the neighbouring months' pooled hazard"),
              number("p_value", "probability", "one-sided exact p-value against the neighbours"),
              number("ratio", "ratio", "hazard over the neighbours' hazard"),
              number("share_of_cancellations", "fraction", "share of the slice's cancellations"),
              integer("tenure_months", "months", "months since enrollment")}),
      rows("rows", "one row per month of membership up to max_tenure_months",
           {integer("at_risk", "members", "members at risk at the start of the month"),
            number("ci_high", "fraction", "upper end of the 95% interval"),
            number("ci_low", "fraction", "lower end of the 95% interval"),
            integer("events", "members", "cancellations that month"),
            number("hazard", "fraction per month", "monthly cancellation hazard"),
            flag("is_spike", "whether the month is a spike"),
            number("neighbour_hazard", "fraction per month",
                   "the neighbouring months' pooled hazard"),
            number("p_value", "probability", "one-sided exact p-value against the neighbours"),
            number("ratio", "ratio", "hazard over the neighbours' hazard"),
            integer("tenure_months", "months", "months since enrollment")}),
      text("rule", "the rule, in words"),
      object("spike_rule", "the spike rule's parameters",
             {number("family_alpha", "probability", "family-wise significance level"),
              number("min_ratio", "ratio", "minimum hazard ratio of a spike"),
              integer("months_tested", "months", "months tested for a spike"),
              integer("neighbour_window_months", "months",
                      "months on each side counted as neighbours"),
              number("p_threshold", "probability",
                     "p-value below which a month is a spike (Bonferroni)")}),
      rows("spikes", "the spike months",
           {integer("events", "members", "cancellations that month"),
            number("hazard", "fraction per month", "monthly cancellation hazard"),
            number("neighbour_hazard", "fraction per month",
                   "the neighbouring months' pooled hazard"),
            number("p_value", "probability", "one-sided exact p-value against the neighbours"),
            number("ratio", "ratio", "hazard over the neighbours' hazard"),
            number("share_of_cancellations", "fraction", "share of the slice's cancellations"),
            integer("tenure_months", "months", "months since enrollment")})};
}

}  // namespace

void add_survival_operations(std::vector<Operation>& out) {
  out.push_back({"retention_curve",
                 "Kaplan-Meier membership survival by tenure, overall or by segment, card or "
                 "enrollment type, with late entry for members enrolled before the data window "
                 "(group_by, late_entry)",
                 curve_params, retention_curve, retention_curve_result()});
  out.push_back({"cohort_retention",
                 "For each enrollment-year cohort and month, the share still a member and the "
                 "share still flying",
                 [](const Domains&) { return std::vector<ParamSpec>{}; }, cohort_retention,
                 cohort_retention_result()});
  out.push_back({"tenure_hazard",
                 "Monthly cancellation hazard by months since enrollment with 95% intervals, and "
                 "the spike months whose hazard stands far above the neighbouring months', with "
                 "each spike's share of all cancellations and the significance rule "
                 "(max_tenure_months)",
                 hazard_params, tenure_hazard_op, tenure_hazard_result()});
}

}  // namespace aa::ops
