#include "analyst/narrator.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <functional>

namespace aa::analyst {

namespace {

using nlohmann::json;

constexpr const char* kMissing = "n/a";

// Reads figures out of the results and registers them as facts as they are written.
class Writer {
 public:
  Writer(const Results& results, FactSheet& facts) : results_(results), facts_(facts) {}

  bool has(const std::string& op) const { return results_.count(op) > 0; }
  const json* at(const std::string& op, const std::string& path) const {
    const auto it = results_.find(op);
    if (it == results_.end()) {
      return nullptr;
    }
    const json::json_pointer pointer(path);
    if (!it->second.contains(pointer)) {
      return nullptr;
    }
    const json& v = it->second.at(pointer);
    return v.is_null() ? nullptr : &v;
  }
  double number(const std::string& op, const std::string& path) const {
    const json* v = at(op, path);
    return v && v->is_number() ? v->get<double>() : std::nan("");
  }
  std::size_t size(const std::string& op, const std::string& path) const {
    const json* v = at(op, path);
    return v && v->is_array() ? v->size() : 0;
  }

  std::string cad(const std::string& op, const std::string& path, const std::string& label) {
    return figure(op, path, label, [](double v) { return format_cad(v); });
  }
  std::string pct(const std::string& op, const std::string& path, const std::string& label) {
    return figure(op, path, label, [](double v) { return format_percent(v); });
  }
  std::string count(const std::string& op, const std::string& path, const std::string& label) {
    return figure(op, path, label, [](double v) { return format_count(v); });
  }
  std::string dec(const std::string& op, const std::string& path, const std::string& label,
                  int digits, const std::string& unit) {
    return figure(op, path, label, [&](double v) {
      return format_decimal(v, digits) + (unit.empty() ? "" : " " + unit);
    });
  }
  std::string name(const std::string& op, const std::string& path, const std::string& label) {
    const json* v = at(op, path);
    if (v == nullptr) {
      return kMissing;
    }
    const std::string text = v->is_string() ? v->get<std::string>() : v->dump();
    return facts_.entity(text, op, path, label);
  }
  // A figure computed here from results (a share, a sum); `path` says how.
  std::string derived(const std::string& formatted, const std::string& op, const std::string& path,
                      const std::string& label) {
    return facts_.number(formatted, op, path, label);
  }

 private:
  std::string figure(const std::string& op, const std::string& path, const std::string& label,
                     const std::function<std::string(double)>& format) {
    const double v = number(op, path);
    if (std::isnan(v)) {
      return kMissing;
    }
    return facts_.number(format(v), op, path, label);
  }
  const Results& results_;
  FactSheet& facts_;
};

// Between items of a list of `count`: nothing before the first, " and " before the last.
const char* separator(std::size_t i, std::size_t count) {
  return i == 0 ? "" : i + 1 == count ? " and " : ", ";
}

// Portfolio comparison lines shared by several answers.
std::string slice_vs_portfolio(Writer& w) {
  if (!w.has("kpis_slice") || !w.has("kpis_baseline")) {
    return "";
  }
  if (w.number("kpis_slice", "/customers") == w.number("kpis_baseline", "/customers")) {
    return fmt::format(
        "Across the portfolio: {} members, an average CLV of {} and a cancellation rate of {}.",
        w.count("kpis_baseline", "/customers", "members in the portfolio"),
        w.cad("kpis_baseline", "/avg_clv", "average CLV in the portfolio"),
        w.pct("kpis_baseline", "/cancelled_rate", "cancellation rate in the portfolio"));
  }
  return fmt::format(
      "The slice has {} members with an average CLV of {} and a cancellation rate of {}, against "
      "{}, {} and {} across the whole portfolio.",
      w.count("kpis_slice", "/customers", "members in the slice"),
      w.cad("kpis_slice", "/avg_clv", "average CLV in the slice"),
      w.pct("kpis_slice", "/cancelled_rate", "cancellation rate in the slice"),
      w.count("kpis_baseline", "/customers", "members in the portfolio"),
      w.cad("kpis_baseline", "/avg_clv", "average CLV in the portfolio"),
      w.pct("kpis_baseline", "/cancelled_rate", "cancellation rate in the portfolio"));
}

// The index of the row whose `key` equals `value`, if any.
std::optional<std::size_t> row_where(const Writer& w, const std::string& op, const char* key,
                                     const std::string& value) {
  const json* rows = w.at(op, "/rows");
  if (rows == nullptr) {
    return std::nullopt;
  }
  for (std::size_t i = 0; i < rows->size(); ++i) {
    const auto& v = rows->at(i).value(key, json());
    if (v.is_string() && v.get<std::string>() == value) {
      return i;
    }
  }
  return std::nullopt;
}

Draft by_value_at_risk(Writer& w, const std::string& op, const char* key, const char* what,
                       const char* plural) {
  Draft d;
  const std::size_t n = w.size(op, "/rows");
  if (n == 0) {
    d.answer = fmt::format("No {} has members in this slice.", what);
    return d;
  }
  const std::string first = w.name(op, fmt::format("/rows/0/{}", key),
                                   fmt::format("the {} with the most value at risk", what));
  d.answer = fmt::format(
      "{} carries the most value at risk: {} across {} members", first,
      w.cad(op, "/rows/0/total_value_at_risk", fmt::format("value at risk of {}", first)),
      w.count(op, "/rows/0/customers", fmt::format("members in {}", first)));
  for (std::size_t i = 1; i < std::min<std::size_t>(n, 3); ++i) {
    const std::string other = w.name(op, fmt::format("/rows/{}/{}", i, key),
                                     fmt::format("{} ranked {} by value at risk", what, i + 1));
    d.answer += fmt::format("{} {} ({})", i == 1 ? "; then" : " and", other,
                            w.cad(op, fmt::format("/rows/{}/total_value_at_risk", i),
                                  fmt::format("value at risk of {}", other)));
  }
  d.answer += ".";
  d.evidence.push_back(fmt::format(
      "{} cancels at {} with an average churn score of {}, against a portfolio cancellation rate "
      "of {}.",
      first, w.pct(op, "/rows/0/cancelled_rate", fmt::format("cancellation rate of {}", first)),
      w.cad(op, "/rows/0/avg_churn_score", fmt::format("average churn score of {}", first)),
      w.pct("kpis_baseline", "/cancelled_rate", "cancellation rate in the portfolio")));
  d.recommendation = fmt::format(
      "Put {} first in the retention programme, and rank its {} members by expected saving "
      "with the retention planner.",
      first, plural);
  return d;
}

Draft priority(Writer& w) {
  Draft d;
  const std::string op = "single_priority_initiative";
  if (w.at(op, "/top_segment/rfm_segment") == nullptr) {
    d.answer = "No member in this slice carries value at risk, so there is no priority to set.";
    return d;
  }
  const std::string segment =
      w.name(op, "/top_segment/rfm_segment", "the segment with the most value at risk");
  const std::string province =
      w.name(op, "/top_province/province", "the province with the most value at risk");
  d.answer = fmt::format(
      "Focus retention on the {} segment, and within the map on {}: {} members carry {} of value "
      "at risk, the most of any segment, and {} carries {}, the most of any province.",
      segment, province, segment,
      w.cad(op, "/top_segment/total_value_at_risk", "value at risk of the top segment"), province,
      w.cad(op, "/top_province/total_value_at_risk", "value at risk of the top province"));
  if (const auto i = row_where(w, "value_at_risk_by_segment", "rfm_segment", segment)) {
    const std::string row = fmt::format("/rows/{}", *i);
    d.evidence.push_back(fmt::format(
        "{} has {} members with an average CLV of {} and a cancellation rate of {}, against {} "
        "for the portfolio.",
        segment,
        w.count("value_at_risk_by_segment", row + "/customers", "members of the top segment"),
        w.cad("value_at_risk_by_segment", row + "/avg_clv", "average CLV of the top segment"),
        w.pct("value_at_risk_by_segment", row + "/cancelled_rate",
              "cancellation rate of the top segment"),
        w.pct("kpis_baseline", "/cancelled_rate", "cancellation rate in the portfolio")));
  }
  if (w.size("value_at_risk_by_segment", "/rows") > 1) {
    const std::string second = w.name("value_at_risk_by_segment", "/rows/1/rfm_segment",
                                      "the segment ranked second by value at risk");
    d.evidence.push_back(
        fmt::format("Next is {} with {}.", second,
                    w.cad("value_at_risk_by_segment", "/rows/1/total_value_at_risk",
                          "value at risk of the second segment")));
  }
  d.recommendation = fmt::format(
      "Start one contact campaign for {} members in {}, ranked by expected saving net of cost, "
      "and size it with the retention planner.",
      segment, province);
  return d;
}

Draft comparison(Writer& w) {
  const std::string op = "segment_comparison";
  if (!w.has(op)) {
    return by_value_at_risk(w, "value_at_risk_by_province", "province", "province", "province's");
  }
  Draft d;
  const auto describe = [&](const char* side) {
    const std::string base = std::string("/") + side;
    const std::string name =
        w.name(op, base + "/segment", fmt::format("compared segment ({})", side));
    return std::pair{
        name,
        fmt::format(
            "{} has {} members, an average CLV of {}, a cancellation rate of {} and {} of value at "
            "risk",
            name, w.count(op, base + "/customers", fmt::format("members of {}", name)),
            w.cad(op, base + "/avg_clv", fmt::format("average CLV of {}", name)),
            w.pct(op, base + "/cancelled_rate", fmt::format("cancellation rate of {}", name)),
            w.cad(op, base + "/total_value_at_risk", fmt::format("value at risk of {}", name)))};
  };
  const auto [a, text_a] = describe("segment_a");
  const auto [b, text_b] = describe("segment_b");
  d.answer = text_a + "; " + text_b + ".";
  d.evidence.push_back(fmt::format(
      "Months since the last flight average {} for {} against {} for {}; flights average {} "
      "against {}.",
      w.dec(op, "/segment_a/avg_recency_months", "average recency of " + a, 1, "months"), a,
      w.dec(op, "/segment_b/avg_recency_months", "average recency of " + b, 1, "months"), b,
      w.dec(op, "/segment_a/avg_frequency", "average flights of " + a, 1, "flights"),
      w.dec(op, "/segment_b/avg_frequency", "average flights of " + b, 1, "flights")));
  d.evidence.push_back(fmt::format(
      "Average tenure is {} against {}.",
      w.dec(op, "/segment_a/avg_tenure_months", "average tenure of " + a, 1, "months"),
      w.dec(op, "/segment_b/avg_tenure_months", "average tenure of " + b, 1, "months")));
  const bool a_more = w.number(op, "/segment_a/total_value_at_risk") >=
                      w.number(op, "/segment_b/total_value_at_risk");
  d.recommendation = fmt::format(
      "Spend retention effort on {} first, where more value is at risk, and keep {} engaged with "
      "recognition rather than discounts.",
      a_more ? a : b, a_more ? b : a);
  return d;
}

Draft impact(Writer& w) {
  Draft d;
  const std::string dn = "do_nothing_scenario";
  const std::string ri = "revenue_impact";
  d.answer = fmt::format(
      "If nothing is done, {} of customer value is at risk (churn probability times CLV), and the "
      "model expects {} members to cancel within {} months.",
      w.cad(dn, "/total_value_at_risk", "total value at risk"),
      w.count(dn, "/expected_churners", "members the model expects to cancel"),
      w.count(dn, "/horizon_months", "the model's horizon in months"));
  d.evidence.push_back(fmt::format(
      "At the historical cancellation rate of {}, {} members would leave: a CLV loss of {}, about "
      "{} a year.",
      w.pct(ri, "/cancelled_rate", "historical cancellation rate"),
      w.count(ri, "/projected_churned_customers", "members projected to leave"),
      w.cad(ri, "/projected_clv_loss", "projected CLV loss"),
      w.cad(ri, "/projected_annual_loss", "projected annual loss")));
  d.evidence.push_back(fmt::format(
      "The riskiest quarter by churn score, {} members, holds {} of that value at risk.",
      w.count(ri, "/high_risk_customers", "members in the high-risk quartile"),
      w.cad(ri, "/high_risk_value_at_risk", "value at risk of the high-risk quartile")));
  d.recommendation =
      "Act on the high-risk quartile first: contact those members in order of expected saving, "
      "and track how many of them the campaign keeps.";
  return d;
}

Draft rewards(Writer& w) {
  Draft d;
  const std::string op = "top_value_customers";
  const std::size_t n = w.size(op, "/rows");
  if (n == 0) {
    d.answer = "No member in this slice has a CLV to rank.";
    return d;
  }
  std::string names;
  for (std::size_t i = 0; i < std::min<std::size_t>(n, 3); ++i) {
    const std::string row = fmt::format("/rows/{}", i);
    names +=
        fmt::format("{}member {} (CLV {})", separator(i, std::min<std::size_t>(n, 3)),
                    w.name(op, row + "/loyalty_number", "loyalty number of a top-value member"),
                    w.cad(op, row + "/clv", "CLV of a top-value member"));
  }
  d.answer = fmt::format(
      "Reward the highest-value members first: {}. The list holds {} members.", names,
      w.derived(format_count(static_cast<double>(n)), op, "/rows (count)", "members listed"));
  double flights = 0;
  double tenure = 0;
  int cancelled = 0;
  for (std::size_t i = 0; i < n; ++i) {
    flights += w.number(op, fmt::format("/rows/{}/frequency", i));
    tenure += w.number(op, fmt::format("/rows/{}/tenure_months", i));
    const json* c = w.at(op, fmt::format("/rows/{}/is_cancelled", i));
    cancelled += c != nullptr && c->is_boolean() && c->get<bool>() ? 1 : 0;
  }
  d.evidence.push_back(fmt::format(
      "They average {} and {} of tenure; the portfolio averages {}.",
      w.derived(format_decimal(flights / static_cast<double>(n), 1) + " flights", op,
                "/rows/*/frequency (mean)", "average flights of the listed members"),
      w.derived(format_decimal(tenure / static_cast<double>(n), 1) + " months", op,
                "/rows/*/tenure_months (mean)", "average tenure of the listed members"),
      w.dec("kpis_baseline", "/avg_frequency", "average flights in the portfolio", 1, "flights")));
  if (cancelled > 0) {
    d.evidence.push_back(fmt::format(
        "{} of them have already cancelled; win-back offers suit those better than thanks.",
        w.derived(format_count(cancelled), op, "/rows/*/is_cancelled (count)",
                  "listed members who cancelled")));
  }
  d.recommendation =
      "Send a personal thank-you with a recognition perk (upgrade or bonus points) to the listed "
      "members who are still active.";
  return d;
}

// The row of churn_signal's snapshot comparison for `feature`, as a path, if any.
std::optional<std::string> snapshot_row(const Writer& w, const std::string& feature) {
  const json* rows = w.at("churn_signal", "/snapshot_comparison/rows");
  if (rows == nullptr) {
    return std::nullopt;
  }
  for (std::size_t i = 0; i < rows->size(); ++i) {
    if (rows->at(i).value("feature", "") == feature) {
      return fmt::format("/snapshot_comparison/rows/{}", i);
    }
  }
  return std::nullopt;
}

// Why members cancel, from what the model's diagnostics support (churn_signal): leavers and
// stayers compared at the test cutoff with features as of then, never the all-zero months
// after a cancellation; no recommendation rests on a signal the diagnostics found empty.
Draft drivers(Writer& w) {
  Draft d;
  const std::string sig = "churn_signal";
  const std::string reasons = "churn_reasons_summary";
  if (!w.has(sig)) {
    d.answer = "The churn model's diagnostics are not in this lake, so I cannot say what drives "
               "cancellations; retrain the model (airline-analytics train --force).";
    return d;
  }
  const json* one = w.at(sig, "/one_feature_model");
  const json* signal = w.at(sig, "/behaviour_signal");
  const bool one_feature = one != nullptr && one->is_boolean() && one->get<bool>();
  const bool behaviour = signal != nullptr && signal->is_string() && *signal == "present";
  const json* dominant_name = w.at(sig, "/dominant_feature");
  const bool tenure = dominant_name != nullptr && *dominant_name == "tenure_months";
  const std::string dominant = w.name(sig, "/dominant_feature_label", "the model's main feature");
  const std::string model_auc = w.dec(sig, "/model_auc", "the model's ROC AUC", 2, "");
  if (one_feature) {
    d.answer = fmt::format(
        "Mostly one thing: {}. A rule on {} alone ranks members almost as well as the whole "
        "churn model ({} against {} ROC AUC)",
        dominant, dominant,
        w.dec(sig, "/dominant_single_auc", "ROC AUC of the main feature alone", 2, ""),
        model_auc);
    if (tenure && w.at(sig, "/tenure_peak/tenure_months") != nullptr) {
      d.answer += fmt::format(
          ", and cancellations peak in month {} of membership ({} of {})",
          w.count(sig, "/tenure_peak/tenure_months", "month of membership with the most "
                                                     "cancellations"),
          w.count(sig, "/tenure_peak/events", "cancellations in that month of membership"),
          w.count(sig, "/cancellations", "cancellations in the loyalty file"));
    }
    d.answer += ".";
  } else {
    d.answer = fmt::format(
        "Several signals, led by {}: the churn model ranks leavers with ROC AUC {}, measurably "
        "above {} alone ({}).",
        dominant, model_auc, dominant,
        w.dec(sig, "/dominant_single_auc", "ROC AUC of the main feature alone", 2, ""));
  }
  if (w.at(sig, "/tenure_only_auc") != nullptr) {
    d.evidence.push_back(fmt::format(
        "Flight activity, points and the other features add {} ROC AUC to a model of tenure "
        "alone (likely between {} and {}){}.",
        w.dec(sig, "/added_over_tenure_auc", "ROC AUC added to tenure alone", 3, ""),
        w.dec(sig, "/added_over_tenure_auc_ci/0", "its interval's low end", 3, ""),
        w.dec(sig, "/added_over_tenure_auc_ci/1", "its interval's high end", 3, ""),
        behaviour ? "" : ": nothing measurable"));
  }
  const auto flights = snapshot_row(w, "flights_12m");
  const auto recency = snapshot_row(w, "months_since_last_flight");
  if (flights && recency) {
    d.evidence.push_back(fmt::format(
        "Among members active at {}, those who cancelled within six months ({}) had flown {} "
        "in the year before, against {} for those who stayed ({}); within the same {}, flights "
        "rank leavers with ROC AUC {} and months since the last flight with {}, where a coin "
        "toss scores one half.",
        w.name(sig, "/snapshot_comparison/cutoff", "the test cutoff"),
        w.count(sig, "/snapshot_comparison/cancelled_members", "members who cancelled"),
        w.dec(sig, *flights + "/cancelled_avg", "flights before cancelling", 1, "flights"),
        w.dec(sig, *flights + "/stayed_avg", "flights of those who stayed", 1, "flights"),
        w.count(sig, "/snapshot_comparison/stayed_members", "members who stayed"),
        dominant == kMissing ? "main feature" : "value of " + dominant,
        w.dec(sig, *flights + "/auc_within_strata", "flights' ROC AUC within strata", 2, ""),
        w.dec(sig, *recency + "/auc_within_strata", "recency's ROC AUC within strata", 2, "")));
  }
  if (w.size(reasons, "/rows") > 0) {
    d.evidence.push_back(fmt::format(
        "The per-member reason weighing most on value at risk is {} ({} of it).",
        w.name(reasons, "/rows/0/label", "the leading churn reason"),
        w.pct(reasons, "/rows/0/value_at_risk_share", "share of value at risk with this reason")));
  }
  if (!behaviour && tenure && w.at(sig, "/tenure_peak/tenure_months") != nullptr) {
    const int peak = w.at(sig, "/tenure_peak/tenure_months")->get<int>();
    d.recommendation = fmt::format(
        "Time retention contact by month of membership: reach members in months {}-{}, before "
        "the month-{} peak, and keep a control group to measure the effect. Flight activity "
        "adds no measurable signal here, so it is no reason to target anyone.",
        w.derived(std::to_string(std::max(0, peak - 6)), sig, "/tenure_peak/tenure_months - 6",
                  "first month of the window before the peak"),
        w.derived(std::to_string(peak - 1), sig, "/tenure_peak/tenure_months - 1",
                  "last month of the window before the peak"),
        w.count(sig, "/tenure_peak/tenure_months", "month of membership with the most "
                                                   "cancellations"));
  } else if (!behaviour) {
    d.recommendation = fmt::format(
        "Do not target on flight activity: it adds no measurable signal to {}. Test any offer "
        "against a control group before rolling it out.",
        dominant);
  } else {
    d.recommendation =
        "Act on the behaviour the model reads: reach members whose flying has fallen off, "
        "before they go quiet, and keep a control group to measure what the contact saves.";
  }
  return d;
}

Draft individuals(Writer& w) {
  Draft d;
  const std::string op = "top_risk_customers";
  const std::size_t n = w.size(op, "/rows");
  if (n == 0) {
    d.answer = "No scored member in this slice is at risk.";
    return d;
  }
  d.answer = "The members most at risk, by value at risk, are ";
  double total = 0;
  for (std::size_t i = 0; i < n; ++i) {
    total += w.number(op, fmt::format("/rows/{}/churn_score", i));
  }
  for (std::size_t i = 0; i < std::min<std::size_t>(n, 3); ++i) {
    const std::string row = fmt::format("/rows/{}", i);
    d.answer +=
        fmt::format("{}member {} ({} chance of cancelling, {} at risk)",
                    separator(i, std::min<std::size_t>(n, 3)),
                    w.name(op, row + "/loyalty_number", "loyalty number of a member at risk"),
                    w.pct(op, row + "/churn_probability", "churn probability of a member at risk"),
                    w.cad(op, row + "/churn_score", "value at risk of a member at risk"));
  }
  d.answer += ".";
  d.evidence.push_back(fmt::format(
      "The {} members listed hold {} of value at risk together.",
      w.derived(format_count(static_cast<double>(n)), op, "/rows (count)", "members listed"),
      w.derived(format_cad(total), op, "/rows/*/churn_score (sum)",
                "value at risk of the listed members")));
  if (w.at(op, "/rows/0/reason_1") != nullptr) {
    d.evidence.push_back(
        fmt::format("The first member's main reason: {}.",
                    w.name(op, "/rows/0/reason_1", "main reason of the first member")));
  }
  d.recommendation =
      "Have the retention team call these members this week, starting at the top of the list.";
  return d;
}

Draft tenure(Writer& w) {
  Draft d;
  const std::string op = "tenure_analysis";
  if (w.size(op, "/rows") == 0) {
    d.answer = "No member in this slice has a tenure to analyse.";
    return d;
  }
  const std::string bucket =
      w.name(op, "/rows/0/tenure_bucket", "tenure band with the highest cancellation rate");
  d.answer =
      fmt::format("Members with {} of tenure cancel most: {} of them, with {} of value at risk.",
                  bucket, w.pct(op, "/rows/0/cancelled_rate", "cancellation rate of that band"),
                  w.cad(op, "/rows/0/total_value_at_risk", "value at risk of that band"));
  const std::size_t last = w.size(op, "/rows") - 1;
  if (last > 0) {
    const std::string row = fmt::format("/rows/{}", last);
    d.evidence.push_back(fmt::format(
        "The steadiest band is {}, at {}.",
        w.name(op, row + "/tenure_bucket", "tenure band with the lowest cancellation rate"),
        w.pct(op, row + "/cancelled_rate", "its cancellation rate")));
  }
  d.recommendation = fmt::format(
      "Build an onboarding or milestone programme aimed at members in the {} band.", bucket);
  return d;
}

Draft grouped(Writer& w, const std::string& op, const char* key, const char* what) {
  Draft d;
  const std::size_t n = w.size(op, "/rows");
  if (n == 0) {
    d.answer = fmt::format("No {} has members in this slice.", what);
    return d;
  }
  // The rows come sorted by average churn score, highest first.
  const std::string first = w.name(op, fmt::format("/rows/0/{}", key),
                                   fmt::format("{} with the highest average churn score", what));
  d.answer = fmt::format(
      "{} has the highest average churn score ({}), with a cancellation rate of {} across {} "
      "members.",
      first, w.cad(op, "/rows/0/avg_churn_score", "its average churn score"),
      w.pct(op, "/rows/0/cancelled_rate", "its cancellation rate"),
      w.count(op, "/rows/0/customers", "its members"));
  for (std::size_t i = 1; i < std::min<std::size_t>(n, 3); ++i) {
    const std::string row = fmt::format("/rows/{}", i);
    d.evidence.push_back(
        fmt::format("{}: average churn score {}, cancellation rate {}, average CLV {}.",
                    w.name(op, row + "/" + key, what),
                    w.cad(op, row + "/avg_churn_score", "average churn score"),
                    w.pct(op, row + "/cancelled_rate", "cancellation rate"),
                    w.cad(op, row + "/avg_clv", "average CLV")));
  }
  d.recommendation = fmt::format(
      "Tailor the retention offer for {} first; it carries the most risk per member.", first);
  return d;
}

Draft clv_bands(Writer& w) {
  Draft d;
  const std::string op = "churn_by_clv_tier";
  const std::size_t n = w.size(op, "/rows");
  if (n == 0) {
    d.answer = "No member in this slice has a CLV to band.";
    return d;
  }
  std::size_t worst = 0;
  for (std::size_t i = 1; i < n; ++i) {
    if (w.number(op, fmt::format("/rows/{}/cancelled_rate", i)) >
        w.number(op, fmt::format("/rows/{}/cancelled_rate", worst))) {
      worst = i;
    }
  }
  const std::string row = fmt::format("/rows/{}", worst);
  const std::string tier =
      w.name(op, row + "/clv_tier", "CLV band with the highest cancellation rate");
  d.answer = fmt::format("The {} CLV band cancels most: {} of its {} members, average CLV {}.",
                         tier, w.pct(op, row + "/cancelled_rate", "its cancellation rate"),
                         w.count(op, row + "/customers", "its members"),
                         w.cad(op, row + "/avg_clv", "its average CLV"));
  for (std::size_t i = 0; i < n; ++i) {
    if (i != worst) {
      const std::string r = fmt::format("/rows/{}", i);
      d.evidence.push_back(fmt::format("{} band: cancellation rate {}, total CLV {}.",
                                       w.name(op, r + "/clv_tier", "CLV band"),
                                       w.pct(op, r + "/cancelled_rate", "cancellation rate"),
                                       w.cad(op, r + "/total_clv", "total CLV")));
    }
  }
  d.recommendation =
      "Match the offer to the band: service recovery for high-CLV members, low-cost nudges for the "
      "rest.";
  return d;
}

Draft survival(Writer& w) {
  Draft d;
  const std::string op = "retention_curve";
  if (w.size(op, "/curves") == 0) {
    d.answer = "No member in this slice can be followed over time.";
    return d;
  }
  d.answer = fmt::format(
      "Of members followed from enrollment, {} are still members after {} months",
      w.pct(op, "/curves/0/milestones/1/survival", "share still a member at the second milestone"),
      w.count(op, "/curves/0/milestones/1/tenure_months", "the second milestone in months"));
  d.answer += w.at(op, "/curves/0/median_survival_months") != nullptr
                  ? fmt::format("; half have left by {} months.",
                                w.count(op, "/curves/0/median_survival_months",
                                        "median membership in months"))
                  : "; more than half are still members at the end of follow-up.";
  d.evidence.push_back(fmt::format("{} members are followed, with {} cancellations.",
                                   w.count(op, "/curves/0/members", "members followed"),
                                   w.count(op, "/curves/0/events", "cancellations observed")));
  d.recommendation = "Time retention contacts before the months where the curve drops fastest.";
  return d;
}

Draft model(Writer& w) {
  Draft d;
  const std::string op = "model_performance";
  d.answer = fmt::format(
      "On members it had not seen, from a later period, the churn model ranks a leaver above a "
      "stayer {} of the time (ROC AUC), and its top tenth by risk holds {} times the average rate.",
      w.pct(op, "/out_of_time/roc_auc", "out-of-time ROC AUC"),
      w.dec(op, "/out_of_time/top_10pct/lift", "lift in the top tenth", 1, ""));
  d.evidence.push_back(fmt::format(
      "The reference project's protocol scores {} on the same data, because it lets the outcome "
      "leak into the features.",
      w.pct(op, "/leaky_reference_protocol/roc_auc",
            "ROC AUC under the leaky reference protocol")));
  d.recommendation =
      "Use the probabilities for ranking and budgeting, and re-check the figures after each "
      "retrain.";
  return d;
}

Draft data_quality(Writer& w) {
  Draft d;
  const std::string op = "data_quality";
  d.answer = fmt::format(
      "The last ingest {} balanced: every row read was loaded, quarantined or merged.",
      w.at(op, "/balanced") != nullptr && w.at(op, "/balanced")->get<bool>() ? "is" : "is not");
  for (std::size_t i = 0; i < std::min<std::size_t>(w.size(op, "/files"), 2); ++i) {
    const std::string row = fmt::format("/files/{}", i);
    d.evidence.push_back(fmt::format("{}: {} rows read, {} loaded, {} quarantined.",
                                     w.name(op, row + "/file", "input file"),
                                     w.count(op, row + "/rows_read", "rows read"),
                                     w.count(op, row + "/rows_loaded", "rows loaded"),
                                     w.count(op, row + "/rows_quarantined", "rows quarantined")));
  }
  d.recommendation = "Review the quarantined rows with the data owner before the next load.";
  return d;
}

Draft budget(Writer& w) {
  Draft d;
  const std::string op = "retention_plan";
  if (w.number(op, "/contacts") <= 0) {
    d.answer =
        "At this cost per contact no member in this slice is worth contacting: no member's "
        "expected saving exceeds the cost.";
    d.recommendation =
        "Lower the cost per contact or raise the expected save rate, then plan again.";
    return d;
  }
  d.answer = fmt::format(
      "With a budget of {}, contact {} members at a total cost of {}: the expected saving is {}, "
      "a return of {} on the spend.",
      w.cad(op, "/budget_cad", "budget"), w.count(op, "/contacts", "members to contact"),
      w.cad(op, "/total_cost_cad", "total cost"),
      w.cad(op, "/expected_saved_cad", "expected saving"),
      w.pct(op, "/roi", "return on the spend"));
  d.evidence.push_back(fmt::format(
      "{} members are worth contacting at this cost; the contacted members hold {} of value at "
      "risk.",
      w.count(op, "/worth_contacting_members", "members worth contacting"),
      w.cad(op, "/contacted_value_at_risk", "value at risk of the contacted members")));
  d.evidence.push_back(fmt::format("The plan breaks even at a save rate of {}.",
                                   w.pct(op, "/break_even_save_rate", "break-even save rate")));
  d.recommendation =
      "Export the ranked list to the CRM and contact members from the top down until the budget is "
      "spent.";
  return d;
}

Draft cohorts(Writer& w) {
  Draft d;
  const std::string op = "cohort_retention";
  const json* rows = w.at(op, "/rows");
  if (rows == nullptr || rows->empty()) {
    d.answer = "No enrollment cohort has members in this slice.";
    return d;
  }
  // Each cohort's latest month is its last row; the two most recent cohorts lead.
  std::vector<std::size_t> last_rows;
  for (std::size_t i = 0; i < rows->size(); ++i) {
    if (i + 1 == rows->size() || rows->at(i + 1).at("cohort") != rows->at(i).at("cohort")) {
      last_rows.push_back(i);
    }
  }
  std::reverse(last_rows.begin(), last_rows.end());
  for (std::size_t k = 0; k < std::min<std::size_t>(last_rows.size(), 3); ++k) {
    const std::string row = fmt::format("/rows/{}", last_rows[k]);
    const std::string line = fmt::format(
        "the {} cohort keeps {} of its members, and {} of them flew in the latest month",
        w.name(op, row + "/cohort", "enrollment cohort"),
        w.pct(op, row + "/member_share", "share still a member"),
        w.pct(op, row + "/flying_share", "share flying in the latest month"));
    if (k == 0) {
      d.answer = "In the latest month, " + line + ".";
    } else {
      d.evidence.push_back("Likewise " + line + ".");
    }
  }
  d.recommendation =
      "Welcome recent cohorts early: the share still flying drops before the share still a member.";
  return d;
}

Draft overview(Writer& w) { return priority(w); }

Draft draft_for(const std::string& intent, Writer& w) {
  if (intent == "priority" || intent == "overview") {
    return overview(w);
  }
  if (intent == "geography") {
    return by_value_at_risk(w, "value_at_risk_by_province", "province", "province", "province's");
  }
  if (intent == "segments") {
    return by_value_at_risk(w, "value_at_risk_by_segment", "rfm_segment", "segment", "segment's");
  }
  if (intent == "comparison") return comparison(w);
  if (intent == "impact") return impact(w);
  if (intent == "rewards") return rewards(w);
  if (intent == "drivers") return drivers(w);
  if (intent == "individuals") return individuals(w);
  if (intent == "tenure") return tenure(w);
  if (intent == "clv_bands") return clv_bands(w);
  if (intent == "cards") return grouped(w, "summary_by_card", "loyalty_card", "card");
  if (intent == "gender") return grouped(w, "summary_by_gender", "gender", "gender");
  if (intent == "survival") return survival(w);
  if (intent == "model") return model(w);
  if (intent == "data_quality") return data_quality(w);
  if (intent == "budget") return budget(w);
  if (intent == "cohorts") return cohorts(w);
  return overview(w);
}

// Which intent an LLM-chosen plan serves: the first intent whose lead operation it calls.
std::string intent_of(const Plan& plan) {
  if (!plan.intents.empty()) {
    return plan.intents.front();
  }
  static const std::vector<std::pair<const char*, const char*>> lead = {
      {"retention_plan", "budget"},
      {"segment_comparison", "comparison"},
      {"single_priority_initiative", "priority"},
      {"revenue_impact", "impact"},
      {"do_nothing_scenario", "impact"},
      {"top_value_customers", "rewards"},
      {"churn_signal", "drivers"},
      {"churn_reasons_summary", "drivers"},
      {"top_risk_customers", "individuals"},
      {"value_at_risk_by_province", "geography"},
      {"value_at_risk_by_segment", "segments"},
      {"tenure_analysis", "tenure"},
      {"churn_by_clv_tier", "clv_bands"},
      {"summary_by_card", "cards"},
      {"summary_by_gender", "gender"},
      {"retention_curve", "survival"},
      {"model_performance", "model"},
      {"data_quality", "data_quality"}};
  for (const auto& step : plan.steps) {
    for (const auto& [op, intent] : lead) {
      if (step.op == op) {
        return intent;
      }
    }
  }
  return "overview";
}

}  // namespace

std::string Draft::markdown() const {
  if (verbatim) {
    return answer.back() == '\n' ? answer : answer + "\n";
  }
  std::string out = "**Answer.** " + answer + "\n";
  if (!evidence.empty()) {
    out += "\n**Evidence.**\n";
    for (const auto& e : evidence) {
      out += "- " + e + "\n";
    }
  }
  if (!recommendation.empty()) {
    out += "\n**Recommendation.** " + recommendation + "\n";
  }
  return out;
}

Draft TemplateNarrator::narrate(const std::string&, const Plan& plan, const Results& results,
                                FactSheet& facts) {
  Writer w(results, facts);
  if (results.count("kpis_slice") && w.number("kpis_slice", "/customers") == 0) {
    return {
        "No member matches these filters, so there is nothing to report. Widen the filters "
        "and ask again.",
        {},
        ""};
  }
  const std::string primary = intent_of(plan);
  Draft d = draft_for(primary, w);
  if (!plan.understood) {
    d.answer = "I could not tell what the question asks of this data, so here is the overview. " +
               d.answer;
  }
  // One line from each further intent the question raised, as evidence.
  for (std::size_t i = 1; i < plan.intents.size() && d.evidence.size() < 3; ++i) {
    if (plan.intents[i] != primary) {
      const Draft extra = draft_for(plan.intents[i], w);
      if (!extra.answer.empty()) {
        d.evidence.push_back(extra.answer);
      }
    }
  }
  if (d.evidence.size() < 3) {
    if (const std::string line = slice_vs_portfolio(w); !line.empty()) {
      d.evidence.push_back(line);
    }
  }
  return d;
}

}  // namespace aa::analyst
