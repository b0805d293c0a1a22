#include "sample/recovery.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

#include "core/app_error.h"
#include "core/duck.h"
#include "model/calibration.h"
#include "model/diagnostics.h"
#include "model/metrics.h"
#include "model/snapshots.h"
#include "sample/scenario.h"

namespace aa::sample {

namespace {

struct CutoffRows {
  int cutoff = 0;
  std::vector<float> label;
  std::vector<double> model;
  std::vector<double> truth;
  std::vector<std::string> reason;
  std::vector<std::string> mechanism;
};

std::vector<CutoffRows> read_rows(const std::filesystem::path& truth_file,
                                  const std::filesystem::path& backtest_file) {
  for (const auto& path : {truth_file, backtest_file}) {
    if (!std::filesystem::exists(path)) {
      core::fail(core::ErrorKind::NotFound, "'{}' does not exist", path.string());
    }
  }
  auto db = duck::Database::open(":memory:", {{"threads", "2"}});
  duck::Connection c(db);
  c.execute("set enable_progress_bar = false");
  auto result = c.query(
      "select b.cutoff_month_index, b.label, b.churn_probability, "
      "coalesce(b.reason_1_feature, ''), t.p_cancel_6m, coalesce(t.top_mechanism, '') "
      "from read_parquet(" + duck::quote_literal(backtest_file.string()) + ") b left join "
      "read_parquet(" + duck::quote_literal(truth_file.string()) + ") t "
      "on t.loyalty_number = b.loyalty_number and t.month_index = b.cutoff_month_index "
      "order by b.cutoff_month_index, b.loyalty_number");
  std::vector<CutoffRows> out;
  for (std::size_t r = 0; r < result.row_count(); ++r) {
    if (result.is_null(4, r)) {
      core::fail(core::ErrorKind::InvalidInput,
                 "a backtest row (cutoff {}) has no truth in '{}': was the lake built from this "
                 "truth's files?",
                 model::month_label(static_cast<int>(result.int64(0, r))), truth_file.string());
    }
    const int cutoff = static_cast<int>(result.int64(0, r));
    if (out.empty() || out.back().cutoff != cutoff) {
      out.push_back({});
      out.back().cutoff = cutoff;
    }
    CutoffRows& rows = out.back();
    rows.label.push_back(static_cast<float>(result.int64(1, r)));
    rows.model.push_back(result.float64(2, r));
    rows.reason.push_back(*result.text(3, r));
    rows.truth.push_back(result.float64(4, r));
    rows.mechanism.push_back(*result.text(5, r));
  }
  return out;
}

Mechanism mechanism_named(const std::string& name) {
  for (const auto& m : mechanisms()) {
    if (name == m.name) {
      return m.id;
    }
  }
  core::fail(core::ErrorKind::InvalidInput, "unknown mechanism '{}' in the truth file", name);
}

nlohmann::json number(double v) { return std::isnan(v) ? nlohmann::json(nullptr) : nlohmann::json(v); }

// Among the top decile by the model: how often the first reason names the true mechanism.
nlohmann::json agreement(const CutoffRows& rows) {
  std::vector<std::size_t> order(rows.model.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return rows.model[a] > rows.model[b]; });
  const auto top = static_cast<std::size_t>(std::ceil(0.1 * static_cast<double>(order.size())));
  std::size_t agree = 0;
  nlohmann::json by_mechanism = nlohmann::json::object();
  for (std::size_t k = 0; k < top; ++k) {
    const std::size_t i = order[k];
    const bool ok = feature_names_mechanism(rows.reason[i], mechanism_named(rows.mechanism[i]));
    agree += ok ? 1 : 0;
    auto& m = by_mechanism[rows.mechanism[i]];
    if (m.is_null()) {
      m = {{"members", 0}, {"agree", 0}};
    }
    m["members"] = m["members"].get<int>() + 1;
    m["agree"] = m["agree"].get<int>() + (ok ? 1 : 0);
  }
  return {{"top_decile_members", top},
          {"share", number(top > 0 ? static_cast<double>(agree) / static_cast<double>(top) : NAN)},
          {"by_true_mechanism", by_mechanism}};
}

}  // namespace

const char* goal_verdict(double low, double high, double goal, bool at_least) {
  if (std::isnan(low) || std::isnan(high)) {
    return "not distinguishable from the goal";
  }
  if (at_least ? low >= goal : high <= goal) {
    return "met";
  }
  if (at_least ? high < goal : low > goal) {
    return "missed";
  }
  return "not distinguishable from the goal";
}

nlohmann::json recovery_report(const std::filesystem::path& truth_file,
                               const std::filesystem::path& backtest_file, int resamples,
                               std::uint64_t seed) {
  nlohmann::json cutoffs = nlohmann::json::array();
  for (const CutoffRows& rows : read_rows(truth_file, backtest_file)) {
    const model::RankedScores model(rows.model);
    const model::RankedScores truth(rows.truth);
    const double model_auc = model.auc(rows.label, {});
    const double bayes_auc = truth.auc(rows.label, {});
    const auto slope_of = [&](const std::vector<float>& y, const std::vector<double>& p) {
      return model::Calibrator::fit(model::Calibrator::Method::Platt, p, y).platt_slope();
    };
    std::vector<double> gaps;
    std::vector<double> slopes;
    std::mt19937_64 rng(seed ^ 0xB0075ULL);
    const std::size_t n = rows.label.size();
    std::vector<std::uint32_t> weight(n);
    std::vector<float> y(n);
    std::vector<double> p(n);
    for (int r = 0; r < resamples && n > 0; ++r) {
      std::fill(weight.begin(), weight.end(), 0);
      for (std::size_t i = 0; i < n; ++i) {
        const std::size_t j = rng() % n;
        ++weight[j];
        y[i] = rows.label[j];
        p[i] = rows.model[j];
      }
      gaps.push_back(truth.auc(rows.label, weight) - model.auc(rows.label, weight));
      slopes.push_back(slope_of(y, p));
    }
    double positives = 0;
    double mean_truth = 0;
    double mean_model = 0;
    for (std::size_t i = 0; i < n; ++i) {
      positives += rows.label[i];
      mean_truth += rows.truth[i];
      mean_model += rows.model[i];
    }
    const model::Interval gap_ci = model::percentile_interval(gaps);
    const model::Interval slope_ci = model::percentile_interval(slopes);
    const nlohmann::json reasons = agreement(rows);
    cutoffs.push_back(
        {{"cutoff", model::month_label(rows.cutoff)},
         {"rows", n},
         {"positives", static_cast<std::int64_t>(positives)},
         {"observed_rate", number(n > 0 ? positives / static_cast<double>(n) : NAN)},
         {"mean_true_probability", number(n > 0 ? mean_truth / static_cast<double>(n) : NAN)},
         {"mean_model_probability", number(n > 0 ? mean_model / static_cast<double>(n) : NAN)},
         {"bayes_auc", number(bayes_auc)},
         {"model_auc", number(model_auc)},
         {"gap", number(bayes_auc - model_auc)},
         {"gap_ci", {number(gap_ci.low), number(gap_ci.high)}},
         {"calibration_slope", number(slope_of(rows.label, rows.model))},
         {"calibration_slope_ci", {number(slope_ci.low), number(slope_ci.high)}},
         {"reason_agreement", reasons},
         {"goals",
          {{"gap_at_most_0.02", goal_verdict(gap_ci.low, gap_ci.high, 0.02, false)},
           {"slope_at_least_0.85", goal_verdict(slope_ci.low, slope_ci.high, 0.85, true)},
           {"slope_at_most_1.15", goal_verdict(slope_ci.low, slope_ci.high, 1.15, false)}}}});
  }
  return {{"cutoffs", cutoffs},
          {"resamples", resamples},
          {"note",
           "bayes_auc: the AUC of the generator's true probability of cancelling in the next six "
           "months on the backtest's test rows, the best any model can do in expectation; gap = "
           "bayes_auc - model_auc; reason_agreement: the share of the top decile by the model "
           "whose first reason names the truth's top mechanism (scenario.h lists the features "
           "naming each)"}};
}

}  // namespace aa::sample
