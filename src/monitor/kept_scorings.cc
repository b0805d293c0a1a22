#include "monitor/kept_scorings.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "core/app_error.h"
#include "core/files.h"
#include "core/progress.h"
#include "model/model_store.h"
#include "model/snapshots.h"
#include "monitor/realized_performance.h"
#include "monitor/status_rule.h"

namespace aa::monitor {

namespace {

constexpr const char* kPrefix = "scored_month=";

// One scoring's members: the six-month probability and the month of cancellation the latest
// data shows (NaN: none), in member order.
struct ScoringRows {
  std::string model_id;
  std::vector<double> probability;
  std::vector<double> cancelled;
};

ScoringRows read_scoring(duck::Connection& connection, const core::Lake& lake,
                         const KeptScoring& s) {
  const std::string file = duck::quote_literal(s.file.string());
  ScoringRows rows;
  rows.model_id = connection.query("select min(model_id) from read_parquet(" + file + ")")
                      .text(0, 0)
                      .value_or("");
  auto columns = connection
                     .query(
                         "select p.churn_probability, cast(l.cancellation_year * 12 + "
                         "l.cancellation_month - 1 as double) from read_parquet(" +
                         file + ") p left join read_parquet(" +
                         duck::quote_literal(lake.processed_loyalty().string()) +
                         ") l using (loyalty_number) order by p.loyalty_number")
                     .double_columns();
  rows.probability = std::move(columns.at(0));
  rows.cancelled = std::move(columns.at(1));
  return rows;
}

// The members still at risk at the scoring (a later export may date a cancellation at or
// before it) and their outcomes over the matured months.
struct Outcomes {
  std::vector<float> y;
  std::vector<double> p;
  std::int64_t restated_before = 0;
};

Outcomes outcomes_of(const ScoringRows& rows, int scored, int matured) {
  Outcomes o;
  for (std::size_t i = 0; i < rows.probability.size(); ++i) {
    const double c = rows.cancelled[i];
    if (!std::isnan(c) && c <= scored) {
      ++o.restated_before;
      continue;
    }
    o.y.push_back(!std::isnan(c) && c <= scored + matured ? 1.0f : 0.0f);
    o.p.push_back(rows.probability[i]);
  }
  return o;
}

std::string inputs_digest(const KeptScoring& s, const Outcomes& o, int matured, int resamples,
                          std::uint64_t seed, const nlohmann::json& expected) {
  std::string labels(o.y.size(), '0');
  for (std::size_t i = 0; i < o.y.size(); ++i) {
    labels[i] = o.y[i] > 0.5f ? '1' : '0';
  }
  return core::sha256_text(fmt::format("{}|{}|{}|{}|{}|{}", core::sha256_file(s.file).sha256,
                                       core::sha256_text(labels), matured, resamples, seed,
                                       expected.dump()));
}

nlohmann::json previous_entry(const nlohmann::json& previous, const std::string& month,
                              const std::string& digest) {
  if (previous.is_array()) {
    for (const auto& e : previous) {
      if (e.value("scored_month", "") == month && e.value("inputs_sha256", "") == digest) {
        return e;
      }
    }
  }
  return nullptr;
}

}  // namespace

std::vector<KeptScoring> kept_scorings(const core::Lake& lake) {
  std::vector<KeptScoring> out;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(lake.prediction_history(), ec)) {
    const std::string name = e.path().filename().string();
    if (!e.is_directory() || name.rfind(kPrefix, 0) != 0 ||
        !fs::exists(e.path() / "predictions.parquet")) {
      continue;
    }
    const std::string month = name.substr(std::string(kPrefix).size());
    out.push_back({month, model::parse_month_label(month), e.path() / "predictions.parquet"});
  }
  std::sort(out.begin(), out.end(), [](const KeptScoring& a, const KeptScoring& b) {
    return a.month_index < b.month_index;
  });
  return out;
}

ScoringJudgements judge_kept_scorings(duck::Connection& connection, const core::Lake& lake,
                                      int last_month, const nlohmann::json& previous, int resamples,
                                      std::uint64_t seed) {
  ScoringJudgements out;
  for (const KeptScoring& s : kept_scorings(lake)) {
    const ScoringRows rows = read_scoring(connection, lake, s);
    const int matured = matured_months(s.month_index, last_month);
    if (matured == 0) {
      out.pending.push_back({{"scored_month", s.month},
                             {"model_id", rows.model_id},
                             {"members", rows.probability.size()},
                             {"matured_share", 0.0}});
      continue;
    }
    const Outcomes o = outcomes_of(rows, s.month_index, matured);
    const nlohmann::json expected =
        model::kept_model_json(lake, rows.model_id, "metrics.json").at("expected");
    const std::string digest = inputs_digest(s, o, matured, resamples, seed, expected);
    if (nlohmann::json kept = previous_entry(previous, s.month, digest); !kept.is_null()) {
      out.realized.push_back(std::move(kept));
      continue;
    }
    nlohmann::json entry = {{"scored_month", s.month}, {"model_id", rows.model_id}};
    entry.update(realized_figures(o.y, o.p, matured, resamples, seed));
    entry["cancelled_at_or_before_scoring"] = o.restated_before;
    entry["expected"] = expected;
    const StatusVerdict verdict = judge_scoring(entry, expected);
    entry["status"] = verdict.status;
    entry["status_reason"] = verdict.reason;
    entry["inputs_sha256"] = digest;
    core::say("monitor", "scoring {} ({} of 6 months matured): {}: {}", s.month, matured,
              verdict.status, verdict.reason);
    out.realized.push_back(std::move(entry));
  }
  return out;
}

}  // namespace aa::monitor
