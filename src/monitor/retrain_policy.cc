#include "monitor/retrain_policy.h"

#include <fmt/format.h>

#include "core/duck.h"
#include "core/files.h"
#include "ingest/arrival.h"
#include "model/model_store.h"
#include "model/snapshots.h"

namespace aa::monitor {

namespace {

std::pair<int, int> data_window(const core::Lake& lake) {
  auto db = duck::Database::open(":memory:");
  duck::Connection connection(db);
  auto r = connection.query(
      "select min(year * 12 + month - 1), max(year * 12 + month - 1) from "
      "read_parquet(" +
      duck::quote_literal(lake.processed_activity().string()) + ")");
  return {static_cast<int>(r.int64(0, 0)), static_cast<int>(r.int64(1, 0))};
}

// Rows the latest arrival no longer holds (0 when it is the first or its changes are unknown).
std::int64_t dropped_by_latest_arrival(const core::Lake& lake, std::string& what) {
  const auto manifests = ingest::arrival_manifests(lake);
  if (manifests.empty() || !manifests.back().value("changes", nlohmann::json()).is_object()) {
    return 0;
  }
  const auto& changes = manifests.back()["changes"];
  const std::int64_t members = changes["members"].value("removed_members", std::int64_t{0});
  const std::int64_t months = changes["member_months"].value("removed", std::int64_t{0});
  what = fmt::format("{} members and {} member-months", members, months);
  return members + months;
}

std::string retraining_alert(const core::Lake& lake, const std::string& model_id) {
  if (!fs::exists(lake.monitor_report())) {
    return "";
  }
  const auto report = nlohmann::json::parse(core::read_file(lake.monitor_report()));
  for (const auto& a : report.value("alerts", nlohmann::json::array())) {
    if (a.value("retrain", false) && a.value("model_id", "") == model_id) {
      return a.value("message", "");
    }
  }
  return "";
}

// "1 month", "3 months".
std::string months_text(int n) { return fmt::format("{} month{}", n, n == 1 ? "" : "s"); }

}  // namespace

RetrainDecision retrain_decision(const core::Lake& lake, const RetrainSettings& settings) {
  RetrainDecision d;
  const auto decide = [&d](bool retrain, std::string reason) {
    d.retrain = retrain;
    d.reason = std::move(reason);
    return d;
  };
  if (settings.force || settings.retrain) {
    return decide(true, settings.force ? "--force rebuilds every stage" : "asked for (--retrain)");
  }
  const nlohmann::json meta = model::current_model_meta(lake);
  if (meta.is_null() || !meta.contains("model_id") || !meta.contains("data_window")) {
    return decide(true, meta.is_null() ? "no model yet" : "the model predates kept models");
  }
  d.model_id = meta["model_id"].get<std::string>();
  const auto [first, last] = data_window(lake);
  const int model_first =
      model::parse_month_label(meta["data_window"]["first_month"].get<std::string>());
  const int model_last =
      model::parse_month_label(meta["data_window"]["last_month"].get<std::string>());
  d.model_age_months = last - model_last;
  if (first != model_first || last < model_last) {
    return decide(true,
                  fmt::format("the data ({} .. {}) is not a later export of the model's "
                              "({} .. {})",
                              model::month_label(first), model::month_label(last),
                              model::month_label(model_first), model::month_label(model_last)));
  }
  std::string dropped;
  if (dropped_by_latest_arrival(lake, dropped) > 0) {
    return decide(true, "the latest export dropped " + dropped + " that the previous one held");
  }
  if (meta.value("settings", "") != settings.settings) {
    return decide(true, "the training settings differ from the model's");
  }
  if (d.model_age_months >= settings.retrain_months) {
    return decide(
        true, fmt::format("model {} is {} old (retrain every {})", d.model_id,
                          months_text(d.model_age_months), months_text(settings.retrain_months)));
  }
  if (const std::string alert = retraining_alert(lake, d.model_id); !alert.empty()) {
    return decide(true, "monitor alert: " + alert);
  }
  return decide(false, fmt::format("model {} is {} old (retrain every {}) and no alert calls "
                                   "for retraining: scoring with it",
                                   d.model_id, months_text(d.model_age_months),
                                   months_text(settings.retrain_months)));
}

}  // namespace aa::monitor
