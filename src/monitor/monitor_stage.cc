#include "monitor/monitor_stage.h"

#include "core/app_error.h"
#include "core/files.h"
#include "core/progress.h"
#include "ingest/arrival.h"
#include "model/model_store.h"
#include "model/snapshots.h"
#include "model/workspace.h"
#include "monitor/drift_report.h"
#include "monitor/kept_scorings.h"
#include "monitor/monitor_alerts.h"
#include "monitor/monitor_tables.h"
#include "monitor/status_rule.h"

namespace aa::monitor {

namespace {

constexpr const char* kStage = "monitor";
// Bump when a rule or the report's shape changes, so that unchanged inputs are judged again.
constexpr const char* kRulesVersion = "2";  // 2: level shifts

nlohmann::json read_json_or_null(const fs::path& path) {
  return fs::exists(path) ? nlohmann::json::parse(core::read_file(path)) : nlohmann::json();
}

void add_inputs(core::StageState& state, const core::Lake& lake, const MonitorOptions& options) {
  state.add_input("processed_loyalty_sha256", core::sha256_file(lake.processed_loyalty()).sha256);
  state.add_input("processed_activity_sha256",
                  core::sha256_file(lake.processed_activity_index()).sha256);
  state.add_input("current_model",
                  core::sha256_file(lake.churn_artifacts() / "model_meta.json").sha256);
  for (const KeptScoring& s : kept_scorings(lake)) {
    state.add_input("scoring:" + s.month, core::sha256_file(s.file).sha256);
    const fs::path profile = lake.scoring_profile(s.month);
    state.add_input("profile:" + s.month,
                    fs::exists(profile) ? core::sha256_file(profile).sha256 : "");
  }
  for (const auto& id : model::kept_model_ids(lake)) {
    state.add_input("model:" + id,
                    core::sha256_file(model::kept_model_dir(lake, id) / "metrics.json").sha256);
  }
  for (const auto& manifest : ingest::arrival_manifests(lake)) {
    state.add_input("arrival:" + manifest.at("arrival_id").get<std::string>(),
                    core::sha256_text(manifest.dump()));
  }
  state.add_input("rules_version", kRulesVersion);
  state.add_input("bootstrap_resamples", std::to_string(options.bootstrap_resamples));
  state.add_input("seed", std::to_string(options.seed));
}

int data_last_month(duck::Connection& connection, const core::Lake& lake) {
  return static_cast<int>(connection
                              .query("select max(year * 12 + month - 1) from read_parquet(" +
                                     duck::quote_literal(lake.processed_activity().string()) + ")")
                              .scalar_int64());
}

// The latest profiled scoring's drift in full, and every profiled scoring's headline.
nlohmann::json drift_section(const core::Lake& lake) {
  nlohmann::json latest;
  nlohmann::json by_month = nlohmann::json::array();
  for (const KeptScoring& s : kept_scorings(lake)) {
    const nlohmann::json profile = read_json_or_null(lake.scoring_profile(s.month));
    if (profile.is_null()) {
      continue;
    }
    const std::string model = profile.at("model_id").get<std::string>();
    const model::DriftReference reference = model::DriftReference::from_json(
        model::kept_model_json(lake, model, model::kDriftReferenceFile));
    nlohmann::json drift = drift_of(reference, profile);
    drift["scored_month"] = s.month;
    drift["model_id"] = model;
    nlohmann::json top = drift["features"].empty() ? nlohmann::json() : drift["features"][0];
    for (const auto& f : drift["features"]) {
      if (f["psi"].get<double>() > top["psi"].get<double>()) {
        top = f;
      }
    }
    by_month.push_back({{"scored_month", s.month},
                        {"model_id", model},
                        {"score_psi", drift["score"]["psi"]},
                        {"max_feature_psi", top.is_null() ? nlohmann::json() : top["psi"]},
                        {"max_feature", top.is_null() ? nlohmann::json() : top["feature"]}});
    latest = std::move(drift);
  }
  if (latest.is_object()) {
    latest["by_month"] = by_month;
  }
  return latest;
}

nlohmann::json status_counts(const nlohmann::json& realized) {
  nlohmann::json counts = {{"ok", 0}, {"watch", 0}, {"degraded", 0}};
  for (const auto& r : realized) {
    const std::string status = r.at("status").get<std::string>();
    counts[status] = counts[status].get<int>() + 1;
  }
  return counts;
}

nlohmann::json rules() {
  return {{"status", status_rule_text()},
          {"outcome",
           "a scoring at month S is judged on cancellations in S+1 .. S+k, k = the months of "
           "data after S (at most 6); with k < 6 the six-month probability p is scaled to "
           "1 - (1 - p)^(k/6) for the calibration figures"},
          {"drift",
           "PSI per model feature and for the score, bins fixed at training on the snapshot of "
           "the training data's last month; > 0.25 is an alert, 0.1 .. 0.25 a watch; a numeric "
           "feature whose mean moved by 20% or more of the reference's, beyond the noise "
           "(|z| >= 4), is a level-shift alert"},
          {"data_quality",
           "the quarantine rate and the share of missing member-months of the latest arrival "
           "against the previous one: an alert when one more than doubled and rose by at least "
           "0.1 percentage point"},
          {"retrain",
           "an alert retrains (run, at the next arrival) when a scoring of the current model is "
           "degraded or a top-5 feature of the current model has PSI > 0.25"}};
}

}  // namespace

core::StageResult monitor_churn(const core::Lake& lake, const MonitorOptions& options) {
  const core::Stopwatch clock;
  core::StageResult result;
  model::require_processed(lake);
  const nlohmann::json meta = model::current_model_meta(lake);
  if (meta.is_null()) {
    core::fail(core::ErrorKind::NotFound,
               "'{}' does not exist; run `airline-analytics train` first",
               (lake.churn_artifacts() / "model_meta.json").string());
  }
  core::StageState state(lake, kStage);
  add_inputs(state, lake, options);
  if (auto skipped = state.skip_if_unchanged(
          options.stage.force, clock.seconds(),
          "scorings, outcomes and models unchanged: keeping the published monitor report")) {
    return *skipped;
  }
  auto db = duck::Database::open(":memory:", options.stage.db_options);
  duck::Connection connection(db);
  const int last = data_last_month(connection, lake);
  const nlohmann::json previous = read_json_or_null(lake.monitor_report());
  const ScoringJudgements judged = judge_kept_scorings(
      connection, lake, last,
      previous.is_object() ? previous.value("realized", nlohmann::json()) : nlohmann::json(),
      options.bootstrap_resamples, options.seed);
  const nlohmann::json drift = drift_section(lake);
  const nlohmann::json quality = arrival_quality(ingest::arrival_manifests(lake));
  const std::string current = meta.value("model_id", "");
  const nlohmann::json alerts = monitor_alerts(judged.realized, drift, quality, current);
  nlohmann::json retrain_reasons = nlohmann::json::array();
  for (const auto& a : alerts) {
    if (a.at("retrain").get<bool>()) {
      retrain_reasons.push_back(a.at("message"));
    }
  }
  const nlohmann::json report = {
      {"data_last_month", model::month_label(last)},
      {"current_model_id", current},
      {"realized", judged.realized},
      {"pending", judged.pending},
      {"statuses", status_counts(judged.realized)},
      {"drift", drift},
      {"data_quality", quality},
      {"alerts", alerts},
      {"retrain", {{"due", !retrain_reasons.empty()}, {"reasons", retrain_reasons}}},
      {"rules", rules()}};
  core::PublishGroup outputs(lake.publish_journal(kStage));
  const fs::path health = lake.monitor_table("model_health");
  const fs::path drift_file = lake.monitor_table("model_drift");
  write_monitor_tables(connection, judged.realized, drift, outputs.stage(health),
                       outputs.stage(drift_file));
  core::write_file_atomic(outputs.stage(lake.monitor_report()), report.dump(2) + "\n");
  core::kill_point("monitor:written");
  outputs.commit();
  result.outputs = {lake.monitor_report(), health, drift_file};
  result.summary = {{"data_last_month", model::month_label(last)},
                    {"scorings", judged.realized.size() + judged.pending.size()},
                    {"matured", judged.realized.size()},
                    {"statuses", report["statuses"]},
                    {"alerts", alerts.size()},
                    {"retrain_alerts", retrain_reasons.size()},
                    {"max_psi", drift.is_object() ? drift["by_month"].back()["max_feature_psi"]
                                                  : nlohmann::json()},
                    {"path", fs::relative(lake.monitor_report(), lake.root()).string()}};
  state.record(result.outputs, result.summary);
  result.seconds = clock.seconds();
  core::say(kStage, "{} scorings judged ({} ok, {} watch, {} degraded), {} alerts -> {} ({:.2f} s)",
            judged.realized.size(), report["statuses"]["ok"].get<int>(),
            report["statuses"]["watch"].get<int>(), report["statuses"]["degraded"].get<int>(),
            alerts.size(), fs::relative(lake.monitor_report(), lake.root()).string(),
            result.seconds);
  return result;
}

}  // namespace aa::monitor
