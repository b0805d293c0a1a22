// Drafts from the reports and over time: the model's quality, the ingest's, membership
// survival and enrollment cohorts.

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "analyst/drafts.h"
#include "analyst/text.h"

namespace aa::analyst {

using nlohmann::json;

namespace {

// The claim a yes/no question about the model makes, and whether the figures support it.
bool model_claim(Writer& w, const Ask& ask, bool one_feature) {
  const std::string op = "model_performance";
  if (ask.says_any({"calibrated", "calibration"})) {
    const double low = w.number(op, "/diagnostics/calibration/slope_ci/0");
    const double high = w.number(op, "/diagnostics/calibration/slope_ci/1");
    return low <= 1 && 1 <= high;  // the calibration slope's interval holds 1
  }
  if (ask.says_any({"rule", "baseline", "simple", "alone", "beat"})) {
    return !one_feature;
  }
  return w.number(op, "/out_of_time/roc_auc") >= 0.7;
}

}  // namespace

Draft draft_model(Writer& w, const Ask& ask) {
  Draft d;
  const std::string op = "model_performance";
  const json* one = w.at(op, "/signal/one_feature_model");
  const bool one_feature = one != nullptr && one->is_boolean() && one->get<bool>();
  d.answer = verdict(
      ask, model_claim(w, ask, one_feature),
      fmt::format("on members it had not seen, from a later period, the churn model ranks a "
                  "leaver above a stayer {} of the time (ROC AUC), and its top tenth by risk "
                  "holds {} times the average rate.",
                  w.pct(op, "/out_of_time/roc_auc", "out-of-time ROC AUC"),
                  w.dec(op, "/out_of_time/top_10pct/lift", "lift in the top tenth", 1, "")));
  if (ask.says_any({"calibrated", "calibration"}) &&
      w.at(op, "/diagnostics/calibration/slope") != nullptr) {
    d.evidence.push_back(fmt::format(
        "Its calibration slope is {} (likely between {} and {}); 1 is perfect.",
        w.dec(op, "/diagnostics/calibration/slope", "calibration slope", 2, ""),
        w.dec(op, "/diagnostics/calibration/slope_ci/0", "calibration slope, low end", 2, ""),
        w.dec(op, "/diagnostics/calibration/slope_ci/1", "calibration slope, high end", 2, "")));
  }
  if (one_feature) {
    d.evidence.push_back(fmt::format(
        "Most of that ranking is one feature: {} alone ranks members with ROC AUC {}, against {} "
        "for the whole model.",
        w.name(op, "/signal/dominant_feature_phrase", "the model's main feature, in words",
               NameKind::Label),
        w.dec(op, "/diagnostics/dominant_feature/single_auc", "ROC AUC of the main feature alone",
              2, ""),
        w.dec(op, "/diagnostics/model_auc", "the model's ROC AUC", 2, "")));
  }
  d.evidence.push_back(fmt::format(
      "The reference project's protocol scores {} on the same data, because it lets the outcome "
      "leak into the features.",
      w.pct(op, "/leaky_reference_protocol/roc_auc",
            "ROC AUC under the leaky reference protocol")));
  d.recommendation =
      one_feature
          ? "Use the probabilities to time contact by that feature, not as evidence about "
            "behaviour, and re-check the figures after each retrain."
          : "Use the probabilities for ranking and budgeting, and re-check the figures after "
            "each retrain.";
  return d;
}

Draft draft_data_quality(Writer& w, const Ask& ask) {
  Draft d;
  const std::string op = "data_quality";
  const json* balanced_v = w.at(op, "/balanced");
  const bool balanced =
      balanced_v != nullptr && balanced_v->is_boolean() && balanced_v->get<bool>();
  double quarantined = 0;
  for (std::size_t i = 0; i < w.size(op, "/files"); ++i) {
    quarantined += w.number(op, fmt::format("/files/{}/rows_quarantined", i));
  }
  const std::string total = w.derived(format_count(quarantined), op,
                                      "/files/*/rows_quarantined (sum)", "rows quarantined in all");
  const std::string balance =
      fmt::format("the last ingest {} balanced (every row read was loaded, quarantined or merged)",
                  balanced ? "is" : "is not");
  const bool about_rows =
      ask.slots.how_much || ask.says_any({"clean", "bad", "rejected", "quarantine", "errors",
                                          "failed", "wrong", "gaps", "dropped", "failures"});
  d.answer =
      about_rows
          ? verdict(
                ask, quarantined == 0,
                fmt::format("{} rows were quarantined at the last ingest, and {}.", total, balance))
          : verdict(ask, balanced, balance + fmt::format(", with {} rows quarantined.", total));
  for (std::size_t i = 0; i < std::min<std::size_t>(w.size(op, "/files"), 2); ++i) {
    const std::string row = fmt::format("/files/{}", i);
    std::string line = fmt::format("{}: {} rows read, {} loaded, {} quarantined",
                                   w.name(op, row + "/file", "input file", NameKind::DataName),
                                   w.count(op, row + "/rows_read", "rows read"),
                                   w.count(op, row + "/rows_loaded", "rows loaded"),
                                   w.count(op, row + "/rows_quarantined", "rows quarantined"));
    if (w.at(op, row + "/main_rejection_reasons/0/rule") != nullptr) {
      line += fmt::format("; the main rule broken: {}",
                          w.name(op, row + "/main_rejection_reasons/0/rule",
                                 "the rule that rejected the most rows", NameKind::Label));
    }
    d.evidence.push_back(line + ".");
  }
  d.recommendation = "Review the quarantined rows with the data owner before the next load.";
  return d;
}

namespace {

// The months a question asks about ("two years" -> 24, "12 months" -> 12), if any.
std::optional<int> months_asked(const Ask& ask) {
  static const std::vector<std::pair<std::string, int>> numbers = {
      {"a", 1},   {"one", 1},  {"1", 1},   {"two", 2}, {"2", 2}, {"three", 3},
      {"3", 3},   {"five", 5}, {"5", 5},   {"six", 6}, {"6", 6}, {"twelve", 12},
      {"12", 12}, {"24", 24},  {"36", 36}, {"60", 60}};
  for (std::size_t i = 0; i + 1 < ask.words.size(); ++i) {
    for (const auto& [word, n] : numbers) {
      if (ask.words[i] == word) {
        const std::string& unit = ask.words[i + 1];
        if (unit == "year" || unit == "years") {
          return n * 12;
        }
        if (unit == "month" || unit == "months") {
          return n;
        }
      }
    }
  }
  return std::nullopt;
}

}  // namespace

Draft draft_survival(Writer& w, const Ask& ask) {
  Draft d;
  const std::string op = "retention_curve";
  if (w.size(op, "/curves") == 0) {
    d.answer = "No member in this slice can be followed over time.";
    return d;
  }
  std::size_t m = std::min<std::size_t>(1, w.size(op, "/curves/0/milestones") - 1);
  if (const auto months = months_asked(ask)) {
    for (std::size_t i = 0; i < w.size(op, "/curves/0/milestones"); ++i) {
      if (w.number(op, fmt::format("/curves/0/milestones/{}/tenure_months", i)) == *months) {
        m = i;
      }
    }
  }
  const std::string at = fmt::format("/curves/0/milestones/{}", m);
  const std::string share =
      fmt::format("of members followed from enrollment, {} are still members after {} months",
                  w.pct(op, at + "/survival", "share still a member at the milestone"),
                  w.count(op, at + "/tenure_months", "the milestone in months"));
  const std::string median = w.at(op, "/curves/0/median_survival_months") != nullptr
                                 ? fmt::format("half have left by {} months",
                                               w.count(op, "/curves/0/median_survival_months",
                                                       "median membership in months"))
                                 : "more than half are still members at the end of follow-up";
  const bool median_first = ask.says_any({"median", "half", "typical", "how long"});
  d.answer = median_first
                 ? capitalised(median) + "; " + share + "."
                 : verdict(ask, w.number(op, at + "/survival") >= 0.5, share + "; " + median + ".");
  d.evidence.push_back(fmt::format("{} members are followed, with {} cancellations.",
                                   w.count(op, "/curves/0/members", "members followed"),
                                   w.count(op, "/curves/0/events", "cancellations observed")));
  d.recommendation = "Time retention contacts before the months where the curve drops fastest.";
  return d;
}

namespace {

// Each cohort's latest row (its last), newest cohort first; the cohorts the question names by
// year ("the 2016 joiners") first of all.
std::vector<std::size_t> latest_rows(const json& rows, const Ask& ask) {
  std::vector<std::size_t> last;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (i + 1 == rows.size() || rows.at(i + 1).at("cohort") != rows.at(i).at("cohort")) {
      last.push_back(i);
    }
  }
  std::reverse(last.begin(), last.end());
  std::stable_partition(last.begin(), last.end(), [&](std::size_t i) {
    const std::string year = rows.at(i).at("cohort").dump();
    return std::find(ask.words.begin(), ask.words.end(), year) != ask.words.end();
  });
  return last;
}

}  // namespace

Draft draft_cohorts(Writer& w, const Ask& ask) {
  Draft d;
  const std::string op = "cohort_retention";
  const json* rows = w.at(op, "/rows");
  if (rows == nullptr || rows->empty()) {
    d.answer = "No enrollment cohort has members in this slice.";
    return d;
  }
  const std::vector<std::size_t> last = latest_rows(*rows, ask);
  for (std::size_t k = 0; k < std::min<std::size_t>(last.size(), 3); ++k) {
    const std::string row = fmt::format("/rows/{}", last[k]);
    const std::string line = fmt::format(
        "the {} cohort keeps {} of its members, and {} of them flew in the latest month",
        w.name(op, row + "/cohort", "enrollment cohort", NameKind::Label),
        w.pct(op, row + "/member_share", "share still a member"),
        w.pct(op, row + "/flying_share", "share flying in the latest month"));
    if (k == 0) {
      // "Are this year's joiners sticking around as well as earlier years?": the first cohort
      // keeps at least the share the next one does.
      const bool yes =
          last.size() < 2 || w.number(op, row + "/member_share") >=
                                 w.number(op, fmt::format("/rows/{}/member_share", last[1]));
      d.answer = ask.slots.yes_no ? verdict(ask, yes, "in the latest month, " + line + ".")
                                  : "In the latest month, " + line + ".";
    } else {
      d.evidence.push_back("Likewise " + line + ".");
    }
  }
  d.recommendation =
      "Welcome recent cohorts early: the share still flying drops before the share still a member.";
  return d;
}

}  // namespace aa::analyst
