#include "model/train_stage.h"

#include "core/app_error.h"
#include "core/files.h"
#include "core/progress.h"
#include "core/sql_files.h"
#include "model/model_store.h"
#include "model/production_model.h"
#include "model/signal_words.h"
#include "model/tenure_hazard.h"
#include "model/workspace.h"

namespace aa::model {

namespace {

constexpr const char* kStage = "train";

std::vector<int> month_range(int from, int to) {
  std::vector<int> out;
  for (int m = from; m <= to; ++m) {
    out.push_back(m);
  }
  return out;
}

// The keys metrics.json promises, for one target, from its per-cutoff evaluations.
nlohmann::json target_summary(Target target, const std::vector<int>& tests,
                              const nlohmann::json& by_cutoff) {
  const nlohmann::json& headline = by_cutoff.back();
  nlohmann::json oot = headline;
  oot.erase("baselines");
  oot.erase("cutoffs");
  oot.erase("diagnostics");
  oot.erase("snapshot_comparison");
  nlohmann::json test_labels = nlohmann::json::array();
  nlohmann::json per_cutoff = nlohmann::json::object();
  for (std::size_t i = 0; i < tests.size(); ++i) {
    test_labels.push_back(month_label(tests[i]));
    const auto& e = by_cutoff[i];
    nlohmann::json brief = {{"roc_auc", e["roc_auc"]}, {"roc_auc_ci", e["roc_auc_ci"]},
                            {"pr_auc", e["pr_auc"]},   {"base_rate", e["base_rate"]},
                            {"brier", e["brier"]},     {"ece", e["ece"]},
                            {"n_train", e["n_train"]}, {"n_test", e["n_test"]},
                            {"cutoffs", e["cutoffs"]}, {"baselines", nlohmann::json::object()}};
    for (const auto& [name, b] : e["baselines"].items()) {
      brief["baselines"][name] = {{"roc_auc", b["roc_auc"]}, {"roc_auc_ci", b["roc_auc_ci"]}};
    }
    if (e.contains("diagnostics")) {
      brief["diagnostics"] = e["diagnostics"];
      brief["snapshot_comparison"] = e["snapshot_comparison"];
    }
    per_cutoff[month_label(tests[i])] = brief;
  }
  return {{"target", to_string(target)},
          {"label", target == Target::Cancellation
                        ? "the member cancels in (T, T+6 months]"
                        : "no flight in (T, T+6 months], among members who flew in the 3 "
                          "months up to T"},
          {"cutoffs",
           {{"train", headline["cutoffs"]["train"]},
            {"calibration", headline["cutoffs"]["calibration"]},
            {"test", test_labels}}},
          {"out_of_time", oot},
          {"out_of_time_by_cutoff", per_cutoff},
          {"baselines", headline["baselines"]},
          {"n_train", headline["n_train"]},
          {"n_test", headline["n_test"]},
          {"diagnostics", headline.value("diagnostics", nlohmann::json())},
          {"snapshot_comparison", headline.value("snapshot_comparison", nlohmann::json())}};
}

// The backtest's test rows, every test cutoff, as one Parquet file at `path`.
void write_backtest_rows(duck::Connection& connection, const std::vector<BacktestRows>& all,
                         const fs::path& path) {
  using T = duck::ColumnType;
  connection.execute(
      "create or replace temp table backtest_rows (cutoff_month_index integer, loyalty_number "
      "bigint, label integer, churn_probability double, reason_1_feature varchar)");
  duck::ChunkWriter writer(connection, "backtest_rows",
                           {T::Int32, T::Int64, T::Int32, T::Float64, T::Varchar});
  for (const BacktestRows& rows : all) {
    for (std::size_t i = 0; i < rows.member.size(); ++i) {
      auto& chunk = writer.chunk();
      const std::size_t r = writer.row();
      chunk.set_int32(0, r, rows.cutoff);
      chunk.set_int64(1, r, rows.member[i]);
      chunk.set_int32(2, r, rows.label[i] > 0.5f ? 1 : 0);
      chunk.set_float64(3, r, rows.probability[i]);
      if (rows.reason_feature[i].empty()) {
        chunk.set_null(4, r);
      } else {
        chunk.set_varchar(4, r, rows.reason_feature[i]);
      }
      writer.commit_row();
    }
  }
  writer.finish();
  connection.execute(
      "copy (select cutoff_month_index, cast(cutoff_month_index // 12 as integer) as "
      "cutoff_year, cast(cutoff_month_index % 12 + 1 as integer) as cutoff_month, "
      "loyalty_number, label, churn_probability, reason_1_feature from backtest_rows order by "
      "cutoff_month_index, loyalty_number) to " +
      duck::quote_literal(path.string()) + " (format parquet, compression zstd)");
}

nlohmann::json run_target(duck::Connection& connection, Target target, int first_cutoff,
                          const std::vector<int>& tests, const BacktestSettings& settings,
                          std::vector<BacktestRows>* rows = nullptr) {
  nlohmann::json by_cutoff = nlohmann::json::array();
  for (int test : tests) {
    core::say(kStage, "{}: training on cutoffs up to {}, testing at {} ...", to_string(target),
              month_label(test - 7), month_label(test));
    const core::Stopwatch clock;
    BacktestRows test_rows;
    auto e = evaluate_split(connection, target, protocol_split(first_cutoff, test), settings,
                            rows != nullptr, rows != nullptr ? &test_rows : nullptr);
    if (rows != nullptr) {
      rows->push_back(std::move(test_rows));
    }
    core::say(kStage,
              "{} at {}: ROC AUC {:.3f} [{:.3f}, {:.3f}], PR AUC {:.3f} (base rate {:.3f}), "
              "ECE {:.4f}; recency rule {:.3f}, logistic {:.3f}, reference recipe {:.3f} "
              "({:.1f} s)",
              to_string(target), month_label(test), e["roc_auc"].get<double>(),
              e["roc_auc_ci"][0].get<double>(), e["roc_auc_ci"][1].get<double>(),
              e["pr_auc"].get<double>(), e["base_rate"].get<double>(), e["ece"].get<double>(),
              e["baselines"]["recency_rule"]["roc_auc"].get<double>(),
              e["baselines"]["logistic_regression"]["roc_auc"].get<double>(),
              e["baselines"]["reference_recipe"]["roc_auc"].get<double>(), clock.seconds());
    by_cutoff.push_back(std::move(e));
  }
  return target_summary(target, tests, by_cutoff);
}

// Cancellations by month of membership over every member (before any training sample), with
// its spikes: for the model card's words and the reasons' tenure wording.
TenureHazard member_tenure_hazard(duck::Connection& connection, int last_month) {
  auto result = connection.query(
      "select enrollment_month_index, cancellation_month_index, count(*) "
      "from stg_customer_loyalty_history group by 1, 2 order by 1, 2");
  std::vector<EnrollmentCount> counts;
  for (std::size_t r = 0; r < result.row_count(); ++r) {
    EnrollmentCount c;
    c.enrolled = static_cast<std::int32_t>(result.int64(0, r));
    if (!result.is_null(1, r)) {
      c.cancelled = static_cast<std::int32_t>(result.int64(1, r));
    }
    c.members = result.int64(2, r);
    counts.push_back(c);
  }
  return tenure_hazard(counts, last_month);
}

// metrics.json's summary of it (the whole table is the tenure_hazard operation's).
nlohmann::json hazard_summary(const TenureHazard& hazard) {
  nlohmann::json full = hazard.to_json(0);
  full.erase("rows");
  return full;
}

// The settings a model was trained with, as the stage's fingerprint and model_meta.json hold them.
std::string settings_text(const TrainOptions& options) {
  const auto& s = options.settings;
  return nlohmann::json{{"params", s.params.to_json()},
                        {"calibration", to_string(s.calibration)},
                        {"fixed_calibration", options.fixed.calibration.has_value()},
                        {"fixed_scale_pos_weight", options.fixed.scale_pos_weight.has_value()},
                        {"bootstrap_resamples", s.bootstrap_resamples},
                        {"seed", s.seed},
                        {"max_training_members", options.max_training_members}}
      .dump();
}

// The model, its metrics, card and drift bins into curated/churn/artifacts/ (the current
// model) and curated/churn/models/<model_id>/ (kept), one set. Returns the files.
std::vector<fs::path> publish_model(const core::Lake& lake, duck::Connection& connection,
                                    const ChurnModel& model, const nlohmann::json& metrics,
                                    const DriftReference& drift,
                                    const std::vector<BacktestRows>& backtest_rows) {
  const fs::path current = lake.churn_artifacts();
  const fs::path kept = kept_model_dir(lake, metrics["model_id"].get<std::string>());
  core::PublishGroup artifacts(lake.publish_journal(kStage));
  const std::string card = model_card(metrics, model.metadata());
  const std::string drift_text = drift.to_json().dump(2) + "\n";
  std::vector<fs::path> outputs;
  for (const fs::path& dir : {current, kept}) {
    model.save(artifacts, dir);
    core::write_file_atomic(artifacts.stage(dir / "metrics.json"), metrics.dump(2) + "\n");
    core::write_file_atomic(artifacts.stage(dir / "model_card.md"), card);
    core::write_file_atomic(artifacts.stage(dir / kDriftReferenceFile), drift_text);
    for (const char* name : {"model.json", "calibration.json", "model_meta.json", "metrics.json",
                             "model_card.md", kDriftReferenceFile}) {
      outputs.push_back(dir / name);
    }
  }
  write_backtest_rows(connection, backtest_rows,
                      artifacts.stage(current / kBacktestPredictionsFile));
  outputs.push_back(current / kBacktestPredictionsFile);
  artifacts.commit();
  return outputs;
}

// The stage's summary (run's --json and its summary line).
nlohmann::json train_summary(const core::Lake& lake, const nlohmann::json& metrics) {
  nlohmann::json summary = {{"model_id", metrics["model_id"]},
                            {"backtest", metrics["backtest"]["available"]},
                            {"expected", metrics["expected"]},
                            {"path", fs::relative(lake.churn_artifacts(), lake.root()).string()}};
  if (!metrics["backtest"]["available"].get<bool>()) {
    summary["no_backtest_reason"] = metrics["backtest"]["reason"];
    return summary;
  }
  summary.update({{"roc_auc", metrics["out_of_time"]["roc_auc"]},
                  {"roc_auc_ci", metrics["out_of_time"]["roc_auc_ci"]},
                  {"ece", metrics["out_of_time"]["ece"]},
                  {"dormancy_roc_auc", metrics["dormancy"]["out_of_time"]["roc_auc"]},
                  {"leaky_roc_auc", metrics["leaky_reference_protocol"]["roc_auc"]},
                  {"one_feature_model", metrics["diagnostics"]["one_feature_model"]},
                  {"dominant_feature", metrics["diagnostics"]["dominant_feature"]["name"]},
                  {"signal", metrics["signal"]["headline"]}});
  return summary;
}

}  // namespace

std::vector<int> evaluation_cutoffs(int first, int last) {
  const int first_cutoff = first + kMinHistoryMonths - 1;
  std::vector<int> out;
  for (int test : {last - 12, last - 6}) {
    if (test - 7 >= first_cutoff) {
      out.push_back(test);
    }
  }
  return out;
}

std::string train_settings_text(const TrainOptions& options) { return settings_text(options); }

std::string model_id_for(int last, const std::string& fingerprint) {
  return month_label(last) + "-" + fingerprint.substr(0, 8);
}

namespace {

const char* const kCancellationLabel = "the member cancels in (T, T+6 months]";

// The backtest at every test cutoff: settings chosen on the validation cutoff, both targets,
// the baselines and the leaky reference protocol. Fills `chosen` and `rows`.
nlohmann::json backtest_metrics(duck::Connection& connection, int first_cutoff,
                                const std::vector<int>& tests, const TrainOptions& options,
                                BacktestSettings& chosen, std::vector<BacktestRows>& rows) {
  const SettingsSelection selection = select_settings(connection, first_cutoff, tests.front(),
                                                      options.settings, options.fixed);
  chosen = selection.settings;
  nlohmann::json metrics =
      run_target(connection, Target::Cancellation, first_cutoff, tests, chosen, &rows);
  metrics["protocol"] = selection.report;
  core::kill_point("train:backtested");
  metrics["dormancy"] = run_target(connection, Target::Dormancy, first_cutoff, tests, chosen);
  core::say(kStage,
            "reference protocol (leaky: random split, label cancelled OR recency >= 3) ...");
  metrics["leaky_reference_protocol"] = leaky_reference_protocol(connection, options.settings);
  core::say(kStage,
            "leaky reference protocol: ROC AUC {:.3f} (not comparable: it measures leakage)",
            metrics["leaky_reference_protocol"]["roc_auc"].get<double>());
  metrics["backtest"] = {{"available", true}, {"test_cutoffs", metrics["cutoffs"]["test"]}};
  return metrics;
}

// Too few months for a test cutoff: the production model alone, with the default settings
// (or the user's), and metrics.json saying so.
nlohmann::json no_backtest_metrics(int first, int last, const TrainOptions& options,
                                   BacktestSettings& chosen) {
  const std::string reason = fmt::format(
      "the activity data covers {} .. {} ({} months); a test cutoff needs {} (3 before the "
      "first training cutoff, 7 to the test cutoff, 6 for its label)",
      month_label(first), month_label(last), last - first + 1, kMinHistoryMonths + 13);
  core::say(kStage, "no backtest: {}; training the production model only", reason);
  chosen = options.settings;
  if (options.fixed.calibration) {
    chosen.calibration = *options.fixed.calibration;
  }
  if (options.fixed.scale_pos_weight) {
    chosen.params.scale_pos_weight = *options.fixed.scale_pos_weight;
  }
  core::kill_point("train:backtested");
  return {{"target", "cancellation"},
          {"label", kCancellationLabel},
          {"backtest", {{"available", false}, {"reason", reason}}},
          {"protocol",
           {{"validation_cutoff", nullptr},
            {"first_test_cutoff", nullptr},
            {"note", "no test cutoff fits, so no validation cutoff either; the defaults (or the "
                     "settings given) are kept"}}}};
}

}  // namespace

core::StageResult train_churn(const core::Lake& lake, const TrainOptions& options) {
  const core::Stopwatch clock;
  core::StageResult result;
  require_processed(lake);
  core::StageState state(lake, kStage);
  state.add_input("processed_loyalty_sha256", core::sha256_file(lake.processed_loyalty()).sha256);
  state.add_input("processed_activity_sha256",
                  core::sha256_file(lake.processed_activity_index()).sha256);
  if (fs::exists(lake.customer_features())) {
    state.add_input("customer_features_sha256", core::sha256_file(lake.customer_features()).sha256);
  }
  for (const auto& model : features::feature_models()) {
    state.add_input(model, core::sha256_text(core::sql_file(model)));
  }
  state.add_input("churn_snapshots",
                  core::sha256_text(core::sql_file("model/sql/churn_snapshots.sql")));
  state.add_input("outputs", "2: kept per model_id, expected figures, drift reference");
  state.add_input("settings", settings_text(options));
  if (auto skipped = state.skip_if_unchanged(
          options.stage.force, clock.seconds(),
          "inputs and settings unchanged: keeping the published churn model")) {
    return *skipped;
  }

  ModelWorkspace workspace(lake, options.stage.db_options);
  workspace.bind_customer_features(lake);
  auto& connection = workspace.connection();
  // The whole data set's window, taken before a sample narrows the activity view.
  const std::pair<int, int> window = activity_month_range(connection);
  const auto [first, last] = window;
  const TenureHazard hazard = member_tenure_hazard(connection, last);
  const nlohmann::json sample =
      workspace.sample_members(lake, options.max_training_members, options.settings.seed);
  if (sample["sampled"].get<bool>()) {
    core::say(kStage, "training on a stratified sample of {} of {} members (--max-train-members)",
              core::with_commas(sample["members_used"].get<std::int64_t>()),
              core::with_commas(sample["members_available"].get<std::int64_t>()));
  }
  const int first_cutoff = first + kMinHistoryMonths - 1;
  const std::vector<int> tests = evaluation_cutoffs(first, last);
  build_snapshots(connection, month_range(first_cutoff, last), window);

  BacktestSettings chosen;
  std::vector<BacktestRows> backtest_rows;
  nlohmann::json metrics =
      tests.empty() ? no_backtest_metrics(first, last, options, chosen)
                    : backtest_metrics(connection, first_cutoff, tests, options, chosen,
                                       backtest_rows);
  metrics["settings"] = {{"params", chosen.params.to_json()},
                         {"calibration", to_string(chosen.calibration)},
                         {"history_months", chosen.history_months}};

  // Production: every labelled cutoff; the last one calibrates. Scores the last month.
  ProductionModel production = train_production_model(
      connection, first_cutoff, last, chosen, tests.empty() ? nlohmann::json() : metrics);
  ChurnModel& model = production.model;
  const std::string model_id = model_id_for(last, state.fingerprint());
  const double base_rate = production.calibration_base_rate;
  model.set_extra("model_id", model_id);
  model.set_extra("settings", settings_text(options));
  model.set_extra("data_window", {{"first_month", month_label(first)},
                                  {"last_month", month_label(last)}});
  model.set_extra("target", "cancellation");
  model.set_extra("label", metrics["label"]);
  std::vector<int> peaks;
  for (const auto& spike : hazard.spikes) {
    peaks.push_back(spike.tenure_months);
  }
  model.set_extra("tenure_peaks", peaks);
  model.set_extra("risk_tiers",
                  {{"high", 2 * base_rate},
                   {"medium", base_rate},
                   {"rule",
                    "high: probability >= 2x the base rate of the calibration cutoff; "
                    "medium: >= the base rate; low: below it"}});
  metrics["model_id"] = model_id;
  metrics["production"] = {{"cutoffs", model.extra()["trained_on"]},
                           {"rounds", model.rounds()},
                           {"scores_month", month_label(last)},
                           {"risk_tiers", model.extra()["risk_tiers"]}};
  metrics["expected"] = production.expected;
  metrics["data_window"] = {{"first_month", month_label(first)}, {"last_month", month_label(last)}};
  metrics["training_sample"] = sample;
  metrics["tenure_hazard"] = hazard_summary(hazard);
  metrics["signal"] = signal_words(metrics);
  if (metrics["signal"].is_object() && metrics["signal"].value("one_feature_model", false)) {
    core::say(kStage, "{}", metrics["signal"]["headline"].get<std::string>());
  }
  result.outputs = publish_model(lake, connection, model, metrics, production.drift, backtest_rows);
  result.summary = train_summary(lake, metrics);
  state.record(result.outputs, result.summary);
  result.seconds = clock.seconds();
  core::say(kStage, "model {} -> {} ({:.2f} s)", model_id,
            fs::relative(lake.churn_artifacts(), lake.root()).string(), result.seconds);
  return result;
}

}  // namespace aa::model
