#include "model/snapshot_comparison.h"

#include <cmath>
#include <limits>

#include "model/diagnostics.h"
#include "model/ranked_scores.h"

namespace aa::model {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

nlohmann::json number(double v) { return std::isnan(v) ? nlohmann::json(nullptr) : nlohmann::json(v); }

}  // namespace

nlohmann::json snapshot_comparison(const Dataset& test, const FeatureSpec& spec,
                                   const std::string& stratify) {
  std::vector<std::string> names;
  const auto strata = feature_strata(test, spec, stratify, names);
  std::vector<std::vector<std::uint32_t>> stratum_rows(names.size());
  for (std::size_t i = 0; i < strata.size(); ++i) {
    stratum_rows[strata[i]].push_back(static_cast<std::uint32_t>(i));
  }
  double cancelled = 0;
  for (float v : test.y) {
    cancelled += v;
  }
  nlohmann::json rows = nlohmann::json::array();
  for (const auto& feature : spec.numeric) {
    if (feature == "history_months") {
      continue;  // equal for every member at a cutoff
    }
    const std::vector<double> values = test.column(feature);
    double sum[2] = {0, 0};
    double count[2] = {0, 0};
    std::vector<double> scores(values.size());
    for (std::size_t i = 0; i < values.size(); ++i) {
      const bool missing = std::isnan(values[i]);
      scores[i] = missing ? -std::numeric_limits<double>::infinity() : values[i];
      if (!missing) {
        const int k = test.y[i] > 0.5f ? 1 : 0;
        sum[k] += values[i];
        count[k] += 1;
      }
    }
    std::vector<RankedScores> within;
    for (const auto& r : stratum_rows) {
      if (!r.empty()) {
        within.emplace_back(scores, r);
      }
    }
    rows.push_back({{"feature", feature},
                    {"cancelled_avg", number(count[1] > 0 ? sum[1] / count[1] : kNaN)},
                    {"stayed_avg", number(count[0] > 0 ? sum[0] / count[0] : kNaN)},
                    {"auc", number(RankedScores(scores).auc(test.y, {}))},
                    {"auc_within_strata", number(pooled_auc(within, test.y, {}))}});
  }
  return {{"cutoff", test.cutoff.empty() ? nlohmann::json(nullptr)
                                         : nlohmann::json(month_label(test.cutoff.front()))},
          {"cancelled_members", static_cast<std::int64_t>(cancelled)},
          {"stayed_members", static_cast<std::int64_t>(test.rows()) -
                                 static_cast<std::int64_t>(cancelled)},
          {"strata_feature", stratify},
          {"rows", rows},
          {"note",
           "members in the population at the cutoff (enrolled, not cancelled), features as of "
           "the cutoff; cancelled = cancelled within the next six months. auc: the feature's "
           "value as a score (higher = riskier; 0.5 is chance, below 0.5 means lower values go "
           "with cancelling); auc_within_strata: the same over pairs of members in the same "
           "stratum of strata_feature"}};
}

}  // namespace aa::model
