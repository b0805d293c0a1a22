#include "ops/units.h"

#include <array>
#include <map>
#include <stdexcept>
#include <utility>

namespace aa::ops {

namespace {

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

bool starts_with(const std::string& s, const std::string& prefix) {
  return s.compare(0, prefix.size(), prefix) == 0;
}

bool contains(const std::string& s, const std::string& part) {
  return s.find(part) != std::string::npos;
}

const std::map<std::string, std::string>& exact_units() {
  static const std::map<std::string, std::string> units = {
      {"loyalty_number", "id"},
      {"enrollment_year", "year"},
      {"cohort", "year"},
      {"year", "year"},
      {"month", "month of year"},
      {"rank", "rank"},
      {"recency", "months"},
      {"frequency", "flights"},
      {"avg_frequency", "flights"},
      {"total_flights", "flights"},
      {"monetary", "km"},
      {"avg_monetary", "km"},
      {"distance", "km"},
      {"points_accumulated", "points"},
      {"points_redeemed", "points"},
      {"dollar_cost_points_redeemed", "CAD"},
      {"r_score", "score 1-5"},
      {"f_score", "score 1-5"},
      {"m_score", "score 1-5"},
      {"churn_probability", "fraction"},
      {"avg_churn_probability", "fraction"},
      {"expected_churners", "members"},
      {"survival", "fraction"},
      {"ci_low", "fraction"},
      {"ci_high", "fraction"},
      {"difference_pct", "percent"},
      {"roc_auc", "AUC 0-1"},
      {"pr_auc", "AUC 0-1"},
      {"brier", "squared error 0-1"},
      {"ece", "fraction"},
      {"lift", "ratio"},
      {"roi", "ratio"},
      {"precision", "fraction"},
      {"recall", "fraction"},
      {"fraction", "fraction"},
      {"save_rate", "fraction"},
      {"break_even_save_rate", "fraction"},
      {"at_risk", "members"},
      {"events", "members"},
      {"censored", "members"},
      {"excluded_cancelled_before_window", "members"},
      {"contacts", "members"},
      {"list_limit", "members"},
      {"top_n", "rows"},
      {"records", "rows"},
      {"rounds", "trees"},
      {"bootstrap_resamples", "resamples"},
      {"percentile", "fraction"},
      {"avg_tenure_years", "years"},
      {"bucket_order", "rank"},
      {"position", "rank"},
      {"risk_tiers", "churn probability"},
      {"projected_customers_at_risk", "members"},
      {"lift_ci", "ratio"},
      {"roc_auc_ci", "AUC 0-1"},
      {"pr_auc_ci", "AUC 0-1"},
      {"brier_ci", "squared error 0-1"},
      {"blank_lines_skipped", "lines"},
      {"negative_salary_set_null", "rows"},
      {"salary", "CAD per year"},
      {"exact_duplicates_dropped", "rows"},
      {"same_month_rows_summed", "rows"},
      {"mean_probability", "fraction"},
      {"fraction_positive", "fraction"},
      {"count", "members"},
      {"threshold", "churn probability"},
      {"decile", "rank"},
      {"positives", "members"},
      {"cumulative_recall", "fraction"},
      {"line", "line"},
      {"column", "column"},
      {"hazard", "fraction per month"},
      {"neighbour_hazard", "fraction per month"},
      {"ratio", "ratio"},
      {"min_ratio", "ratio"},
      {"p_value", "probability"},
      {"p_threshold", "probability"},
      {"family_alpha", "probability"},
      {"share_of_cancellations", "fraction"},
      {"cancellations", "members"},
      {"cancellations_after_data_end", "members"},
      {"months_tested", "months"},
      {"model_auc", "AUC 0-1"},
      {"dominant_single_auc", "AUC 0-1"},
      {"single_auc", "AUC 0-1"},
      {"tenure_only_auc", "AUC 0-1"},
      {"stratified_auc", "AUC 0-1"},
      {"auc", "AUC 0-1"},
      {"auc_within_strata", "AUC 0-1"},
      {"added_auc", "AUC difference"},
      {"added_auc_ci", "AUC difference"},
      {"added_over_tenure_auc", "AUC difference"},
      {"added_over_tenure_auc_ci", "AUC difference"},
      {"stratified_auc_ci", "AUC 0-1"},
      {"cancelled_avg", "the feature's own unit"},
      {"baseline_auc", "AUC 0-1"},
      {"auc_difference", "AUC difference"},
      {"auc_difference_ci", "AUC difference"},
      {"brier_skill_score", "skill score"},
      {"slope", "logistic slope"},
      {"slope_ci", "logistic slope"},
      {"intercept", "log-odds"},
      {"ece_over_base_rate", "ratio"},
      {"stayed_avg", "the feature's own unit"},
      // The monitor's (model_health).
      {"lift_top10", "ratio"},
      {"lift_top10_ci", "ratio"},
      {"expected_lift_top10", "ratio"},
      {"precision_top10", "fraction"},
      {"mean_predicted", "fraction"},
      {"calibration_ratio", "ratio"},
      {"expected_roc_auc", "AUC 0-1"},
      {"expected_roc_auc_ci", "AUC 0-1"},
      {"importance_rank", "rank"},
      {"psi", "PSI"},
      {"mean_change", "fraction"},
      {"score_psi", "PSI"},
      {"max_feature_psi", "PSI"},
      {"missing_member_months", "member-months"},
      {"previous_missing_member_months", "member-months"},
      {"previous_rows_quarantined", "rows"},
      {"statuses", "scorings"},
  };
  return units;
}

// Rules by name part, tried in order after the exact names.
const std::array<std::pair<const char*, const char*>, 3>& suffix_units() {
  static const std::array<std::pair<const char*, const char*>, 3> units = {{
      {"_months", "months"},
      {"_cad", "CAD"},
      {"_km", "km"},
  }};
  return units;
}

}  // namespace

std::optional<std::string> unit_of(const std::string& field) {
  const auto& exact = exact_units();
  if (auto it = exact.find(field); it != exact.end()) {
    return it->second;
  }
  for (const auto& [suffix, unit] : suffix_units()) {
    if (ends_with(field, suffix)) {
      return std::string(unit);
    }
  }
  if (starts_with(field, "contribution") || ends_with(field, "_contribution")) {
    return "log-odds";
  }
  if (contains(field, "clv") || contains(field, "churn_score") ||
      contains(field, "value_at_risk") || ends_with(field, "_loss") || contains(field, "saved") ||
      contains(field, "cost") || contains(field, "budget") || contains(field, "revenue")) {
    return "CAD";
  }
  if (ends_with(field, "_rate") || ends_with(field, "_share") || ends_with(field, "_ci") ||
      ends_with(field, "_fraction")) {
    return "fraction";
  }
  if (ends_with(field, "_lift")) {
    return "ratio";
  }
  if (starts_with(field, "rows_") || ends_with(field, "_rows")) {
    return "rows";
  }
  if (field == "customers" || field == "members" || ends_with(field, "_customers") ||
      ends_with(field, "_members") || ends_with(field, "_count") || starts_with(field, "n_") ||
      ends_with(field, "_size") || ends_with(field, "_contacts")) {
    return "members";
  }
  return std::nullopt;
}

namespace {

// A field named generically ("churned_avg") takes its parent's unit ("recency": months) and
// is listed as "parent.field".
void collect(const nlohmann::json& value, const std::string& key, const std::string& parent,
             nlohmann::json& units) {
  if (value.is_object()) {
    for (const auto& [k, v] : value.items()) {
      collect(v, k, key, units);
    }
    return;
  }
  if (value.is_array()) {
    for (const auto& v : value) {
      collect(v, key, parent, units);
    }
    return;
  }
  if (!value.is_number() || key.empty()) {
    return;
  }
  if (const auto unit = unit_of(key)) {
    units[key] = *unit;
    return;
  }
  if (const auto unit = unit_of(parent)) {
    units[parent + "." + key] = *unit;
    return;
  }
  throw std::logic_error("result field '" + key + "' has no unit");
}

}  // namespace

nlohmann::json with_units(nlohmann::json result) {
  nlohmann::json units = nlohmann::json::object();
  collect(result, "", "", units);
  result["units"] = units;
  return result;
}

}  // namespace aa::ops
