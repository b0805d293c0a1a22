// Why members cancel: the "why" answers, from what the churn model's diagnostics support
// (churn_signal). The reference's comparison of cancelled and retained members
// (correlation_drivers) is shown for questions that ask for it, said for what it is.

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <optional>

#include "analyst/drafts.h"

namespace aa::analyst {

// The row of churn_signal's snapshot comparison for `feature`, as a path, if any.
namespace {

using nlohmann::json;

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

}  // namespace

namespace {

// "Is flight activity the reason people cancel?", "Is tenure the main driver?": yes or no from
// the diagnostics, about activity unless the question names tenure.
std::string yes_no_lead(const Ask& ask, bool tenure_dominant, bool behaviour,
                        const std::string& dominant) {
  const bool about_tenure =
      ask.says_any({"tenure", "new members", "how long", "months of membership", "joined"}) &&
      !ask.says_any({"flight", "flying", "activity", "inactivity", "points", "behaviour",
                     "behavior", "stop"});
  if (about_tenure) {
    return verdict(ask, tenure_dominant,
                   tenure_dominant ? "tenure is what the model reads most."
                                   : fmt::format("the model reads {} most, not tenure.", dominant));
  }
  return verdict(ask, behaviour,
                 behaviour ? "flight activity adds a measurable signal to tenure alone."
                           : "flight activity adds nothing measurable to tenure alone.");
}

// "How do churned members differ from retained ones?": a comparison of leavers and stayers
// asked for, not a cause.
bool asks_contrast(const Ask& ask) {
  return ask.says_any({"retained", "stayed", "stayers", "stay", "non churners", "non-churners",
                       "kept", "remaining", "active members", "the rest"}) ||
         (ask.says_any({"churners", "churned members", "cancelled members", "leavers",
                        "members who left", "members who cancelled", "customers who left",
                        "people who left", "who churned", "who cancelled", "who left"}) &&
          ask.says_any({"differ", "difference", "differences", "compare", "compared", "versus",
                        "vs", "look like", "profile", "distinguish", "contrast", "against",
                        "unlike"}));
}

// "Did members who cancelled fly less than those who stayed?": yes or no from the snapshot's
// flights, when the question is yes/no, speaks of flying and says which way; nullopt otherwise.
std::optional<std::string> contrast_verdict(Writer& w, const Ask& ask, const std::string& row) {
  const bool less = ask.says_any({"less", "fewer", "lower", "rarely", "not as much"});
  const bool more = ask.says_any({"more", "higher", "oftener", "more often"});
  if (!ask.slots.yes_no || less == more ||
      !ask.says_any({"fly", "flew", "flying", "flights", "flight", "travel", "activity"})) {
    return std::nullopt;
  }
  const double cancelled = w.number("churn_signal", row + "/cancelled_avg");
  const double stayed = w.number("churn_signal", row + "/stayed_avg");
  if (std::isnan(cancelled) || std::isnan(stayed)) {
    return std::nullopt;
  }
  const bool yes = less ? cancelled < stayed : cancelled > stayed;
  return verdict(ask, yes,
                 cancelled < stayed ? "those who cancelled had flown less in the year before."
                                    : "those who cancelled had not flown less in the year "
                                      "before.");
}

// The reference's whole-history averages of cancelled against retained members, said for what
// they are.
std::string whole_history_comparison(Writer& w) {
  const std::string op = "correlation_drivers";
  return fmt::format(
      "Over their whole history, the {} members who cancelled averaged {} and CLV {}, against "
      "{} and {} for the {} retained ({}% and {}%); those averages count the empty months after "
      "a cancellation, so they show what leavers look like afterwards, not what predicts "
      "leaving.",
      w.count(op, "/churned_count", "members who cancelled"),
      w.dec(op, "/metrics_comparison/frequency/churned_avg", "average flights of cancelled members",
            1, "flights"),
      w.cad(op, "/metrics_comparison/clv/churned_avg", "average CLV of cancelled members"),
      w.dec(op, "/metrics_comparison/frequency/retained_avg", "average flights of retained members",
            1, "flights"),
      w.cad(op, "/metrics_comparison/clv/retained_avg", "average CLV of retained members"),
      w.count(op, "/retained_count", "members who did not cancel"),
      w.dec(op, "/metrics_comparison/frequency/difference_pct",
            "difference in flights, cancelled against retained, percent", 1, ""),
      w.dec(op, "/metrics_comparison/clv/difference_pct",
            "difference in CLV, cancelled against retained, percent", 1, ""));
}

}  // namespace

// Why members cancel, from what the model's diagnostics support (churn_signal): leavers and
// stayers compared at the test cutoff with features as of then, never the all-zero months
// after a cancellation; no recommendation rests on a signal the diagnostics found empty.
Draft draft_drivers(Writer& w, const Ask& ask) {
  Draft d;
  const std::string sig = "churn_signal";
  const std::string reasons = "churn_reasons_summary";
  const bool whole_history =
      w.at("correlation_drivers", "/metrics_comparison/clv/churned_avg") != nullptr;
  if (!w.has(sig)) {
    d.answer =
        "The churn model's diagnostics are not in this lake, so I cannot say what drives "
        "cancellations; retrain the model (airline-analytics train --force).";
    // A comparison asked for gets the reference's, said for what it is; a "why" gets none.
    if (whole_history && asks_contrast(ask)) {
      d.answer = whole_history_comparison(w) + " " + d.answer;
    }
    return d;
  }
  const json* one = w.at(sig, "/one_feature_model");
  const json* signal = w.at(sig, "/behaviour_signal");
  const bool one_feature = one != nullptr && one->is_boolean() && one->get<bool>();
  const bool behaviour = signal != nullptr && signal->is_string() && *signal == "present";
  const json* dominant_name = w.at(sig, "/dominant_feature");
  const bool tenure = dominant_name != nullptr && *dominant_name == "tenure_months";
  const std::string dominant = w.name(sig, "/dominant_feature_phrase",
                                      "the model's main feature, in words", NameKind::Label);
  const std::string model_auc = w.dec(sig, "/model_auc", "the model's ROC AUC", 2, "");
  if (one_feature) {
    d.answer = fmt::format(
        "Mostly one thing: {}. A rule on {} alone ranks members almost as well as the whole "
        "churn model ({} against {} ROC AUC)",
        dominant, dominant,
        w.dec(sig, "/dominant_single_auc", "ROC AUC of the main feature alone", 2, ""), model_auc);
    if (tenure && w.at(sig, "/tenure_peak/tenure_months") != nullptr) {
      d.answer += fmt::format(
          ", and cancellations peak in month {} of membership ({} of {})",
          w.count(sig, "/tenure_peak/tenure_months",
                  "month of membership with the most "
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
  const bool contrast = asks_contrast(ask);
  if (flights && recency) {
    const std::string snapshot = fmt::format(
        "Among members active at {}, those who cancelled within six months ({}) had flown {} "
        "in the year before, against {} for those who stayed ({}); within the same {}, flights "
        "rank leavers with ROC AUC {} and months since the last flight with {}, where a coin "
        "toss scores one half.",
        w.name(sig, "/snapshot_comparison/cutoff", "the test cutoff", NameKind::Label),
        w.count(sig, "/snapshot_comparison/cancelled_members", "members who cancelled"),
        w.dec(sig, *flights + "/cancelled_avg", "flights before cancelling", 1, "flights"),
        w.dec(sig, *flights + "/stayed_avg", "flights of those who stayed", 1, "flights"),
        w.count(sig, "/snapshot_comparison/stayed_members", "members who stayed"),
        dominant == kMissing ? "main feature" : dominant,
        w.dec(sig, *flights + "/auc_within_strata", "flights' ROC AUC within strata", 2, ""),
        w.dec(sig, *recency + "/auc_within_strata", "recency's ROC AUC within strata", 2, ""));
    // A comparison asked for leads with the comparison (and a yes or no about it, when the
    // question says which way: "Did members who cancelled fly less than those who stayed?").
    if (contrast) {
      const auto lead = contrast_verdict(w, ask, *flights);
      d.answer = (lead ? *lead + " " : "") + snapshot + " " + d.answer;
    } else {
      d.evidence.push_back(snapshot);
    }
  }
  if (ask.slots.yes_no && !(contrast && flights && recency)) {
    d.answer = yes_no_lead(ask, tenure, behaviour, dominant) + " " + d.answer;
  }
  if (contrast && whole_history) {
    d.evidence.push_back(whole_history_comparison(w));
  }
  if (w.size(reasons, "/rows") > 0) {
    d.evidence.push_back(fmt::format(
        "The per-member reason weighing most on value at risk is {} ({} of it).",
        w.name(reasons, "/rows/0/label", "the leading churn reason", NameKind::Reason),
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
        w.count(sig, "/tenure_peak/tenure_months",
                "month of membership with the most "
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

}  // namespace aa::analyst
