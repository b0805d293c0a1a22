#include "model/score_stage.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "core/app_error.h"
#include "core/files.h"
#include "core/parallel.h"
#include "core/progress.h"
#include "core/sql_files.h"
#include "model/churn_model.h"
#include "model/feature_profile.h"
#include "model/model_store.h"
#include "model/reasons.h"
#include "model/workspace.h"

namespace aa::model {

namespace {

constexpr const char* kStage = "score";

std::string risk_tier(double p, const nlohmann::json& tiers) {
  if (p >= tiers.at("high").get<double>()) {
    return "high";
  }
  return p >= tiers.at("medium").get<double>() ? "medium" : "low";
}

}  // namespace

const char* to_string(ReasonsMethod method) {
  switch (method) {
    case ReasonsMethod::Auto:
      return "auto";
    case ReasonsMethod::Exact:
      return "exact";
    case ReasonsMethod::Approximate:
      return "approximate";
  }
  return "auto";
}

std::int64_t exact_reasons_limit(int max_depth) {
  const int depth = std::clamp(max_depth, 1, 20);
  return depth <= 3 ? kExactReasonsMembers : kExactReasonsMembers >> (depth - 3);
}

ReasonsMethod reasons_method_from(const std::string& name) {
  for (auto method : {ReasonsMethod::Auto, ReasonsMethod::Exact, ReasonsMethod::Approximate}) {
    if (name == to_string(method)) {
      return method;
    }
  }
  core::fail(core::ErrorKind::InvalidInput,
             "unknown reasons method '{}' (auto, exact, approximate)", name);
}

core::StageResult score_churn(const core::Lake& lake, const features::StageOptions& options,
                              std::int64_t batch_members, ReasonsMethod method) {
  const core::Stopwatch clock;
  core::StageResult result;
  require_processed(lake);
  const fs::path dir = lake.churn_artifacts();
  core::StageState state(lake, kStage);
  state.add_input("processed_loyalty_sha256", core::sha256_file(lake.processed_loyalty()).sha256);
  state.add_input("processed_activity_sha256",
                  core::sha256_file(lake.processed_activity_index()).sha256);
  for (const char* name : {"model.json", "calibration.json", "model_meta.json"}) {
    if (!fs::exists(dir / name)) {
      core::fail(core::ErrorKind::NotFound,
                 "'{}' does not exist; run `airline-analytics train` first", (dir / name).string());
    }
    state.add_input(name, core::sha256_file(dir / name).sha256);
  }
  // Bumped whenever the predictions file gains or changes columns.
  state.add_input("predictions_format",
                  "4: model_id; kept per scoring month with the members' drift profile");
  state.add_input("churn_snapshots",
                  core::sha256_text(core::sql_file("model/sql/churn_snapshots.sql")));
  state.add_input("reasons", to_string(method));
  if (auto skipped = state.skip_if_unchanged(
          options.force, clock.seconds(),
          "model and inputs unchanged: keeping the published predictions")) {
    return *skipped;
  }

  const ChurnModel model = ChurnModel::load(dir);
  const std::string model_id = model.extra().value("model_id", "");
  if (model_id.empty() || !fs::exists(dir / kDriftReferenceFile)) {
    core::fail(
        core::ErrorKind::NotFound,
        "the model in '{}' has no model_id or drift reference (trained by an earlier version); "
        "run `airline-analytics train --force`",
        dir.string());
  }
  const DriftReference drift =
      DriftReference::from_json(nlohmann::json::parse(core::read_file(dir / kDriftReferenceFile)));
  FeatureProfile profile(drift);
  ModelWorkspace workspace(lake, options.db_options);
  auto& connection = workspace.connection();
  const std::pair<int, int> window = activity_month_range(connection);
  const int last = window.second;
  const nlohmann::json tiers = model.extra().at("risk_tiers");
  // Members are scored in batches of consecutive loyalty numbers, so that the snapshot, the
  // feature matrix and the contributions of one batch are in memory at a time, whatever the
  // programme's size. With several batches, the activity is first split by batch (one pass),
  // so that each batch reads only its members' rows.
  const std::vector<std::int64_t> bounds = workspace.member_batches(batch_members);
  // Where the time goes, summed over batches: reported in the summary.
  std::map<std::string, double> phase_seconds;
  const auto timed = [&phase_seconds](const char* phase, auto&& work) {
    const core::Stopwatch watch;
    work();
    phase_seconds[phase] += watch.seconds();
  };
  if (bounds.size() > 2) {
    core::say(kStage, "splitting the activity into {} batches of members", bounds.size() - 1);
    timed("split_activity", [&] { workspace.partition_activity(lake, bounds); });
  }
  const int max_depth = model.extra().contains("params")
                            ? model.extra().at("params").value("max_depth", 3)
                            : 3;
  const std::int64_t exact_limit = exact_reasons_limit(max_depth);
  const bool approximate =
      method == ReasonsMethod::Approximate ||
      (method == ReasonsMethod::Auto && workspace.member_count() > exact_limit);
  if (approximate) {
    core::say(kStage,
              "reasons: approximate contributions (Saabas){}; `score --reasons exact` for exact "
              "TreeSHAP",
              method == ReasonsMethod::Auto
                  ? fmt::format(" for {} members (exact up to {} with depth-{} trees)",
                                core::with_commas(workspace.member_count()),
                                core::with_commas(exact_limit), max_depth)
                  : "");
  }

  // Per-member contributions by source feature go beside the reasons, so that analyses can
  // average them over any slice (ops: correlation_drivers, customer_profile).
  const SourceIndex source_index(model.spec(), ReasonContext::from_model(model.extra()));
  const std::vector<std::string>& sources = source_index.names();
  std::string create =
      "create temp table predictions (loyalty_number bigint, churn_probability double, "
      "churn_score double, risk_tier varchar, reason_1 varchar, reason_2 varchar, "
      "reason_3 varchar, reason_feature_1 varchar, reason_feature_2 varchar, "
      "reason_feature_3 varchar";
  using duck::ColumnType;
  std::vector<ColumnType> types = {ColumnType::Int64, ColumnType::Float64, ColumnType::Float64};
  types.insert(types.end(), 7, ColumnType::Varchar);
  for (const auto& source : sources) {
    create += ", " + duck::quote_ident(std::string(kContributionPrefix) + source) + " float";
    types.push_back(ColumnType::Float32);
  }
  connection.execute(create + ")");
  duck::ChunkWriter writer(connection, "predictions", types);
  core::ProgressBar bar("scoring members", static_cast<std::uint64_t>(workspace.member_count()));
  nlohmann::json tier_counts = {{"high", 0}, {"medium", 0}, {"low", 0}};
  double value_at_risk = 0;
  std::size_t members_scored = 0;
  std::uint64_t members_done = 0;
  std::set<std::string> engines;  // which code computed the contributions, for the summary
  for (std::size_t b = 0; b + 1 < bounds.size(); ++b) {
    workspace.restrict_members(lake, bounds, b);
    timed("snapshots", [&] { build_snapshots(connection, {last}, window); });
    Dataset data;
    std::vector<double> clv;
    timed("load_features", [&] {
      data = load_dataset(connection, model.spec(), {{last}, Target::Cancellation, false});
      clv = connection
                .query(
                    "select cast(clv as double) from churn_snapshots "
                    "order by cutoff_month_index, loyalty_number")
                .double_columns()
                .at(0);
    });
    std::vector<double> probability;
    timed("predict", [&] { probability = model.predict_proba(data); });
    profile.add(model.spec(), data, probability);
    std::vector<float> contributions;
    std::string engine;
    timed("contributions",
          [&] { contributions = model.contributions(data, approximate, &engine); });
    if (engines.insert(engine).second && engine.rfind("xgboost (", 0) == 0) {
      core::say(kStage, "contributions from {}", engine);
    }
    members_scored += data.rows();
    const core::Stopwatch reasons_watch;
    // Reasons and contributions by source on every core, then the rows in order.
    const std::size_t n = data.rows();
    const std::size_t width = sources.size();
    std::vector<float> source_values(n * width);
    std::vector<std::vector<Reason>> reasons_of(n);
    core::for_each_range(n, 4096, [&](std::size_t begin, std::size_t end) {
      std::vector<double> by_source;
      for (std::size_t i = begin; i < end; ++i) {
        source_index.contributions(contributions, n, i, by_source);
        std::copy(by_source.begin(), by_source.end(), source_values.begin() + i * width);
        reasons_of[i] = source_index.top_reasons(data, model.spec(), by_source, i, 3);
      }
    });
    for (std::size_t i = 0; i < n; ++i) {
      auto& chunk = writer.chunk();
      const std::size_t r = writer.row();
      const double p = probability[i];
      const std::string tier = risk_tier(p, tiers);
      tier_counts[tier] = tier_counts[tier].get<std::int64_t>() + 1;
      chunk.set_int64(0, r, data.member[i]);
      chunk.set_float64(1, r, p);
      if (std::isnan(clv[i])) {
        chunk.set_null(2, r);
      } else {
        chunk.set_float64(2, r, p * clv[i]);
        value_at_risk += p * clv[i];
      }
      chunk.set_varchar(3, r, tier);
      const auto& reasons = reasons_of[i];
      for (std::size_t k = 0; k < 3; ++k) {
        if (k < reasons.size()) {
          chunk.set_varchar(4 + k, r, reasons[k].text);
          chunk.set_varchar(7 + k, r, reasons[k].feature);
        } else {
          chunk.set_null(4 + k, r);
          chunk.set_null(7 + k, r);
        }
      }
      for (std::size_t k = 0; k < width; ++k) {
        chunk.set_float32(10 + k, r, source_values[i * width + k]);
      }
      writer.commit_row();
    }
    phase_seconds["reasons_and_rows"] += reasons_watch.seconds();
    members_done += static_cast<std::uint64_t>(
        connection.query("select count(*) from src_customer_loyalty_history").scalar_int64());
    bar.update(members_done);
    core::kill_point("score:batch");
  }
  writer.finish();
  bar.finish();

  const fs::path out = lake.churn_predictions();
  const std::string scored_month = month_label(last);
  const std::string scored_at = scored_month + "-01";
  std::string columns =
      "loyalty_number, churn_probability, churn_score, risk_tier, reason_1, reason_2, reason_3, "
      "reason_feature_1, reason_feature_2, reason_feature_3, cast(" +
      duck::quote_literal(scored_at) + " as date) as scored_at, " +
      duck::quote_literal(model_id) + " as model_id";
  for (const auto& source : sources) {
    columns += ", " + duck::quote_ident(std::string(kContributionPrefix) + source);
  }
  // The latest scoring, its copy kept in the history (a Hive partition: the month is in the
  // path, not in the file) and its members' drift profile, published as one set.
  core::PublishGroup outputs(lake.publish_journal(kStage));
  const fs::path latest = outputs.stage(out);
  // The rows are already in loyalty-number order (batches in order, each batch's rows in
  // member order), and DuckDB keeps insertion order: no sort of every row (20 s at 10M).
  timed("write_parquet", [&] {
    connection.execute("copy (select " + columns + " from predictions) to " +
                       duck::quote_literal(latest.string()) + " (format parquet, compression zstd)");
  });
  const fs::path kept = lake.prediction_partition(scored_month);
  core::copy_file_hashed_unpublished(latest, outputs.stage(kept));
  nlohmann::json profile_json = profile.to_json();
  profile_json["scored_month"] = scored_month;
  profile_json["model_id"] = model_id;
  const fs::path profile_path = lake.scoring_profile(scored_month);
  core::write_file_atomic(outputs.stage(profile_path), profile_json.dump() + "\n");
  outputs.commit();
  result.outputs = {out, kept, profile_path};
  result.summary = {{"members_scored", members_scored},
                    {"batches", bounds.size() - 1},
                    {"activity_split_by_batch", bounds.size() > 2},
                    {"scored_at", scored_month},
                    {"model_id", model_id},
                    {"kept", fs::relative(kept, lake.root()).string()},
                    {"risk_tiers", tier_counts},
                    {"reasons", approximate ? "approximate" : "exact"},
                    {"value_at_risk_cad", value_at_risk},
                    {"contributions_engine", engines},
                    {"seconds_by_phase", phase_seconds},
                    {"path", fs::relative(out, lake.root()).string()}};
  state.record(result.outputs, result.summary);
  result.seconds = clock.seconds();
  core::say(kStage,
            "{} members scored at {} (high {}, medium {}, low {}); CLV at risk ${} -> {} "
            "({:.2f} s)",
            core::with_commas(static_cast<std::int64_t>(members_scored)), month_label(last),
            core::with_commas(tier_counts["high"].get<std::int64_t>()),
            core::with_commas(tier_counts["medium"].get<std::int64_t>()),
            core::with_commas(tier_counts["low"].get<std::int64_t>()),
            core::with_commas(static_cast<std::int64_t>(std::llround(value_at_risk))),
            fs::relative(out, lake.root()).string(), result.seconds);
  return result;
}

}  // namespace aa::model
