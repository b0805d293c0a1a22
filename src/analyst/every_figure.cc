#include "analyst/every_figure.h"

#include <fmt/format.h>

#include <cmath>
#include <set>

#include "ops/units.h"

namespace aa::analyst {

namespace {

using nlohmann::json;

// Fields that are chart series, prose or bookkeeping, not figures to narrate.
bool skipped(const std::string& key) {
  static const std::set<std::string> keys = {
      "units", "note", "rule", "headline", "sentences", "model_card", "charts", "roi_curve",
      "points", "activity", "curves_points", "quarantine_sample", "contributions", "protocol",
      "reliability", "message",
      // Personal fields never go to a model, whatever the operation returns.
      "salary", "postal_code", "city", "raw_record", "value"};
  return keys.count(key) > 0;
}

std::string formatted(const std::string& field, double v) {
  const std::string unit = ops::unit_of(field).value_or("");
  if (unit == "CAD") {
    return format_cad(v);
  }
  if (unit == "fraction" || unit == "fraction per month") {
    return format_percent(v);
  }
  if (unit == "id" || unit == "year" || unit == "month of year" || unit == "rank") {
    return fmt::format("{}", static_cast<long long>(std::llround(v)));
  }
  if (unit == "members" || unit == "rows" || unit == "flights" || unit == "km" ||
      unit == "points") {
    return format_count(v) + (unit == "members" || unit == "rows" ? "" : " " + unit);
  }
  if (unit == "months") {
    return format_decimal(v, 1) + " months";
  }
  if (unit == "percent") {
    return format_decimal(v, 1) + "%";
  }
  return format_decimal(v, std::abs(v) >= 100 ? 0 : 2);
}

NameKind kind_of(const std::string& field) {
  static const std::set<std::string> labels = {"rfm_segment",
                                               "segment",
                                               "tenure_bucket",
                                               "clv_tier",
                                               "risk_tier",
                                               "cohort",
                                               "dominant_feature",
                                               "dominant_feature_label",
                                               "dominant_feature_phrase",
                                               "feature",
                                               "cutoff",
                                               "test_cutoff",
                                               "scoring_status",
                                               "scores_month",
                                               "data_end",
                                               "rule",
                                               "group",
                                               "label_feature",
                                               "behaviour_signal"};
  if (field.rfind("reason", 0) == 0 || field == "label" || field == "example") {
    return NameKind::Reason;
  }
  if (field == "loyalty_number") {
    return NameKind::Identifier;
  }
  return labels.count(field) ? NameKind::Label : NameKind::DataName;
}

void walk(const std::string& op, const json& v, const std::string& path, const std::string& field,
          FactSheet& facts) {
  if (v.is_object()) {
    for (const auto& [key, child] : v.items()) {
      if (!skipped(key)) {
        walk(op, child, path + "/" + key, key, facts);
      }
    }
  } else if (v.is_array()) {
    for (std::size_t i = 0; i < std::min(v.size(), kMaxRowsPerList); ++i) {
      walk(op, v.at(i), fmt::format("{}/{}", path, i), field, facts);
    }
  } else if (v.is_number() && facts.id_of(op, path) == std::nullopt) {
    const std::string unit = ops::unit_of(field).value_or("");
    facts.number(formatted(field, v.get<double>()), op, path,
                 fmt::format("{} {}{}", op, path, unit.empty() ? "" : " (" + unit + ")"));
  } else if (v.is_string() && facts.id_of(op, path) == std::nullopt && !field.empty()) {
    facts.entity(v.get<std::string>(), op, path, fmt::format("{} {}", op, path), kind_of(field));
  }
}

}  // namespace

void register_every_figure(const Results& results, FactSheet& facts) {
  for (const auto& [op, result] : results) {
    walk(op, result, "", "", facts);
  }
}

}  // namespace aa::analyst
