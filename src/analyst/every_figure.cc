#include "analyst/every_figure.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "ops/registry.h"

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

// The declaration of `key` under `parent` in an operation's result schema; nullptr when the
// schema does not declare it.
const ops::ResultField* child_of(const ops::ResultField* parent, const std::string& key) {
  if (parent == nullptr) {
    return nullptr;
  }
  for (const auto& f : parent->fields) {
    if (f.name == key) {
      return &f;
    }
  }
  return nullptr;
}

std::string unit_of(const ops::ResultField* field) {
  return field != nullptr ? field->unit : std::string();
}

std::string formatted(const std::string& unit, double v) {
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

// `schema` declares `v` (ops/result_schema.h), its unit included; nullptr when undeclared.
void walk(const std::string& op, const json& v, const std::string& path, const std::string& field,
          const ops::ResultField* schema, FactSheet& facts) {
  if (v.is_object() && schema != nullptr && schema->type == ops::ResultType::Map) {
    // The keys are data (baseline names, say); each entry has the map's element fields.
    const ops::ResultField entry{field, ops::ResultType::Object, "", "", schema->fields};
    for (const auto& [key, child] : v.items()) {
      if (!skipped(key)) {
        walk(op, child, path + "/" + key, key, &entry, facts);
      }
    }
  } else if (v.is_object()) {
    for (const auto& [key, child] : v.items()) {
      if (!skipped(key)) {
        walk(op, child, path + "/" + key, key, child_of(schema, key), facts);
      }
    }
  } else if (v.is_array()) {
    for (std::size_t i = 0; i < std::min(v.size(), kMaxRowsPerList); ++i) {
      walk(op, v.at(i), fmt::format("{}/{}", path, i), field, schema, facts);
    }
  } else if (v.is_number() && facts.id_of(op, path) == std::nullopt) {
    const std::string unit = unit_of(schema);
    facts.number(formatted(unit, v.get<double>()), op, path,
                 fmt::format("{} {}{}", op, path, unit.empty() ? "" : " (" + unit + ")"));
  } else if (v.is_string() && facts.id_of(op, path) == std::nullopt && !field.empty()) {
    facts.entity(v.get<std::string>(), op, path, fmt::format("{} {}", op, path), kind_of(field));
  }
}

}  // namespace

void register_every_figure(const Results& results, FactSheet& facts) {
  for (const auto& [op, result] : results) {
    const auto& all = ops::operations();
    const auto it =
        std::find_if(all.begin(), all.end(), [&](const ops::Operation& o) { return o.name == op; });
    // The result's root: an object with the operation's declared fields.
    const ops::ResultField root{op, ops::ResultType::Object, "", "",
                                it != all.end() ? it->result : ops::ResultSchema{}};
    walk(op, result, "", "", &root, facts);
  }
}

}  // namespace aa::analyst
