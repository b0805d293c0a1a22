// The monitor intent: whether the model still works (the latest fully judged scoring's
// realized ROC AUC against what its model was expected to do, and the statuses), and whether
// the data changed (the largest feature shift, the score's, the latest export's quality).
// Every figure comes from model_health (docs/MONITORING.md).

#include "analyst/drafts_health.h"

#include <fmt/format.h>

#include <optional>

namespace aa::analyst {

using nlohmann::json;

namespace {

constexpr const char* kOp = "model_health";

// The most recent judged scoring with the most matured months (the best-judged recent one).
std::optional<std::size_t> latest_judged(const Writer& w) {
  std::optional<std::size_t> best;
  double best_share = -1;
  for (std::size_t i = 0; i < w.size(kOp, "/realized"); ++i) {
    const double share = w.number(kOp, fmt::format("/realized/{}/matured_share", i));
    if (w.at(kOp, fmt::format("/realized/{}/roc_auc", i)) != nullptr && share >= best_share) {
      best = i;
      best_share = share;
    }
  }
  return best;
}

// The feature whose PSI is the largest at the latest scoring.
std::optional<std::size_t> largest_shift(const Writer& w) {
  std::optional<std::size_t> best;
  for (std::size_t i = 0; i < w.size(kOp, "/drift/features"); ++i) {
    if (!best || w.number(kOp, fmt::format("/drift/features/{}/psi", i)) >
                     w.number(kOp, fmt::format("/drift/features/{}/psi", *best))) {
      best = i;
    }
  }
  return best;
}

std::string performance_sentence(Writer& w, std::size_t i) {
  const std::string row = fmt::format("/realized/{}", i);
  return fmt::format(
      "the scoring of {} (model {}, {} of its six-month window matured) ranked a leaver above a "
      "stayer {} of the time (ROC AUC, likely between {} and {}), against {} expected from its "
      "{}; its status is {}.",
      w.name(kOp, row + "/scored_month", "scoring month", NameKind::Label),
      w.name(kOp, row + "/model_id", "model id", NameKind::Label),
      w.pct(kOp, row + "/matured_share", "share of the outcome window matured"),
      w.pct(kOp, row + "/roc_auc", "realized ROC AUC"),
      w.pct(kOp, row + "/roc_auc_ci/0", "realized ROC AUC, low end"),
      w.pct(kOp, row + "/roc_auc_ci/1", "realized ROC AUC, high end"),
      w.pct(kOp, row + "/expected_roc_auc", "expected ROC AUC"),
      w.text(kOp, row + "/expected_source") == "backtest" ? "backtest" : "calibration cutoff",
      w.name(kOp, row + "/status", "status", NameKind::Label));
}

std::string drift_sentence(Writer& w, std::size_t i) {
  const std::string row = fmt::format("/drift/features/{}", i);
  return fmt::format(
      "against the model's reference month {}, the largest shift at {} is in {} (PSI {}, a {} "
      "shift), and the score's PSI is {}.",
      w.name(kOp, "/drift/reference_month", "drift reference month", NameKind::Label),
      w.name(kOp, "/drift/scored_month", "latest scoring month", NameKind::Label),
      w.name(kOp, row + "/label", "feature", NameKind::Label),
      w.dec(kOp, row + "/psi", "PSI of the most shifted feature", 3, ""),
      w.name(kOp, row + "/shift", "size of the shift", NameKind::Label),
      w.dec(kOp, "/drift/score_psi", "PSI of the score", 3, ""));
}

}  // namespace

Draft draft_model_health(Writer& w, const Ask& ask) {
  Draft d;
  const bool about_data = ask.says_any(
      {"data", "changed", "change", "drift", "shift", "shifted", "inputs", "different"});
  const std::size_t alerts = w.size(kOp, "/alerts");
  const json* due = w.at(kOp, "/retrain/due");
  const bool retrain_due = due != nullptr && due->is_boolean() && due->get<bool>();
  const auto judged = latest_judged(w);
  const auto shifted = largest_shift(w);
  const std::string alert_count =
      w.derived(std::to_string(alerts), kOp, "/alerts (count)", "alerts raised");
  if (ask.says_any({"retrain", "retraining"})) {
    d.answer = verdict(
        ask, retrain_due,
        retrain_due ? fmt::format("{} of the monitor's alerts call for retraining at the next "
                                  "export.",
                                  w.derived(std::to_string(w.size(kOp, "/retrain/reasons")), kOp,
                                            "/retrain/reasons (count)", "alerts that retrain"))
                    : "no alert calls for retraining; the model is retrained when it reaches the "
                      "age set for it.");
    if (judged) {
      d.evidence.push_back(capitalised(performance_sentence(w, *judged)));
    }
    if (shifted) {
      d.evidence.push_back(capitalised(drift_sentence(w, *shifted)));
    }
  } else if (about_data && shifted) {
    const bool major = w.text(kOp, fmt::format("/drift/features/{}/shift", *shifted)) == "major";
    d.answer = verdict(ask, major, drift_sentence(w, *shifted));
    if (judged) {
      d.evidence.push_back(capitalised(performance_sentence(w, *judged)));
    }
  } else if (judged) {
    const std::string status = w.text(kOp, fmt::format("/realized/{}/status", *judged));
    d.answer = verdict(ask, status != "degraded", performance_sentence(w, *judged));
    if (shifted) {
      d.evidence.push_back(capitalised(drift_sentence(w, *shifted)));
    }
  } else {
    d.answer = verdict(ask, true,
                       "no past scoring has had a month of outcomes yet, so the monitor cannot "
                       "judge the model against what happened.");
  }
  if (w.at(kOp, "/data_quality/quarantine_rate") != nullptr) {
    d.evidence.push_back(fmt::format(
        "The latest export quarantined {} of its rows and lacks {} of member-months.",
        w.pct(kOp, "/data_quality/quarantine_rate", "quarantine rate of the latest export"),
        w.pct(kOp, "/data_quality/missing_month_rate", "share of missing member-months")));
  }
  d.evidence.push_back(fmt::format(
      "The monitor judged {} past scorings ({} ok, {} on watch, {} degraded) and raised {} "
      "alerts and watches.",
      w.derived(std::to_string(w.size(kOp, "/realized")), kOp, "/realized (count)",
                "scorings judged"),
      w.count(kOp, "/statuses/ok", "scorings ok"),
      w.count(kOp, "/statuses/watch", "scorings on watch"),
      w.count(kOp, "/statuses/degraded", "scorings degraded"), alert_count));
  d.recommendation =
      retrain_due ? "Retrain at the next export (the monitor's alerts call for it), then check "
                    "the new model's first matured scoring."
                  : "Keep the model, and read the Model health page after each monthly export.";
  return d;
}

}  // namespace aa::analyst
