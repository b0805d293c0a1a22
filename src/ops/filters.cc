#include "ops/filters.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>

#include "core/app_error.h"
#include "ops/params.h"

namespace aa::ops {

SqlPart& SqlPart::append(const SqlPart& other) {
  text += other.text;
  values.insert(values.end(), other.values.begin(), other.values.end());
  return *this;
}

const std::vector<std::string>& segment_vocabulary() {
  static const std::vector<std::string> segments = {"Champions", "Loyal", "Potential", "At Risk",
                                                    "Dormant"};
  return segments;
}

const std::vector<std::string>& risk_tier_vocabulary() {
  static const std::vector<std::string> tiers = {"high", "medium", "low"};
  return tiers;
}

namespace {

constexpr double kMaxClv = 1e9;
constexpr std::int64_t kMaxTenure = 1200;

const std::vector<std::string> kFilterKeys = {
    "province",  "rfm_segment", "gender",  "loyalty_card", "enrollment_type",
    "risk_tier", "clv_min",     "clv_max", "tenure_min",   "tenure_max"};

std::vector<std::string> read_list(const std::string& key, const nlohmann::json& value,
                                   const std::vector<std::string>& domain) {
  std::vector<std::string> out;
  const nlohmann::json items = value.is_array() ? value : nlohmann::json::array({value});
  for (const auto& item : items) {
    out.push_back(read_choice("filter " + key, item, domain));
  }
  return out;
}

}  // namespace

Filters Filters::from_json(const nlohmann::json& json, const Domains& domains) {
  Filters f;
  if (json.is_null()) {
    return f;
  }
  if (!json.is_object()) {
    fail(ErrorKind::InvalidInput, "filters must be a JSON object with keys: {}",
         fmt::join(kFilterKeys, ", "));
  }
  for (const auto& [key, value] : json.items()) {
    if (std::find(kFilterKeys.begin(), kFilterKeys.end(), key) == kFilterKeys.end()) {
      fail(ErrorKind::InvalidInput, "unknown filter '{}'; valid filters: {}", key,
           fmt::join(kFilterKeys, ", "));
    }
  }
  const auto get = [&](const char* key) { return json.contains(key) ? json.at(key) : nullptr; };
  if (auto v = get("province"); !v.is_null()) {
    f.province = read_list("province", v, domains.province);
  }
  if (auto v = get("rfm_segment"); !v.is_null()) {
    f.rfm_segment = read_list("rfm_segment", v, domains.rfm_segment);
  }
  if (auto v = get("loyalty_card"); !v.is_null()) {
    f.loyalty_card = read_list("loyalty_card", v, domains.loyalty_card);
  }
  if (auto v = get("gender"); !v.is_null()) {
    f.gender = read_choice("filter gender", v, domains.gender);
  }
  if (auto v = get("enrollment_type"); !v.is_null()) {
    f.enrollment_type = read_choice("filter enrollment_type", v, domains.enrollment_type);
  }
  if (auto v = get("risk_tier"); !v.is_null()) {
    f.risk_tier = read_choice("filter risk_tier", v, domains.risk_tier);
  }
  if (auto v = get("clv_min"); !v.is_null()) {
    f.clv_min = read_number("filter clv_min", v, 0, kMaxClv);
  }
  if (auto v = get("clv_max"); !v.is_null()) {
    f.clv_max = read_number("filter clv_max", v, 0, kMaxClv);
  }
  if (auto v = get("tenure_min"); !v.is_null()) {
    f.tenure_min = read_integer("filter tenure_min", v, 0, kMaxTenure);
  }
  if (auto v = get("tenure_max"); !v.is_null()) {
    f.tenure_max = read_integer("filter tenure_max", v, 0, kMaxTenure);
  }
  if (f.clv_min && f.clv_max && *f.clv_min > *f.clv_max) {
    fail(ErrorKind::InvalidInput, "filter clv_min ({}) is above clv_max ({})", *f.clv_min,
         *f.clv_max);
  }
  if (f.tenure_min && f.tenure_max && *f.tenure_min > *f.tenure_max) {
    fail(ErrorKind::InvalidInput, "filter tenure_min ({}) is above tenure_max ({})", *f.tenure_min,
         *f.tenure_max);
  }
  return f;
}

nlohmann::json Filters::to_json() const {
  nlohmann::json j = nlohmann::json::object();
  if (!province.empty()) {
    j["province"] = province;
  }
  if (!rfm_segment.empty()) {
    j["rfm_segment"] = rfm_segment;
  }
  if (gender) {
    j["gender"] = *gender;
  }
  if (!loyalty_card.empty()) {
    j["loyalty_card"] = loyalty_card;
  }
  if (enrollment_type) {
    j["enrollment_type"] = *enrollment_type;
  }
  if (risk_tier) {
    j["risk_tier"] = *risk_tier;
  }
  if (clv_min) {
    j["clv_min"] = *clv_min;
  }
  if (clv_max) {
    j["clv_max"] = *clv_max;
  }
  if (tenure_min) {
    j["tenure_min"] = *tenure_min;
  }
  if (tenure_max) {
    j["tenure_max"] = *tenure_max;
  }
  return j;
}

bool Filters::empty() const { return to_json().empty(); }

nlohmann::json filter_schema(const Domains& domains) {
  const auto list = [](const char* description, const std::vector<std::string>& domain) {
    return nlohmann::json{
        {"type", "list of enum"}, {"choices", domain}, {"description", description}};
  };
  const auto one = [](const char* description, const std::vector<std::string>& domain) {
    return nlohmann::json{{"type", "enum"}, {"choices", domain}, {"description", description}};
  };
  const auto range = [](const char* type, const char* description, double max, const char* unit) {
    return nlohmann::json{
        {"type", type}, {"min", 0}, {"max", max}, {"unit", unit}, {"description", description}};
  };
  return {
      {"province", list("members in any of these provinces", domains.province)},
      {"rfm_segment", list("members in any of these RFM segments", domains.rfm_segment)},
      {"gender", one("members of this gender", domains.gender)},
      {"loyalty_card", list("members holding any of these cards", domains.loyalty_card)},
      {"enrollment_type", one("members of this enrollment type", domains.enrollment_type)},
      {"risk_tier", one("scored members in this churn risk tier", domains.risk_tier)},
      {"clv_min", range("number", "CLV at least this", kMaxClv, "CAD")},
      {"clv_max", range("number", "CLV at most this", kMaxClv, "CAD")},
      {"tenure_min", range("integer", "tenure at least this", kMaxTenure, "months")},
      {"tenure_max", range("integer", "tenure at most this", kMaxTenure, "months")},
  };
}

}  // namespace aa::ops
