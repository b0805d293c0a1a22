#include "ops/filters.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>

#include "core/app_error.h"
#include "core/member_catalogue.h"
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

// The named domain `name` of `d` (const or not), or nullptr when it is one of `more`.
template <typename D>
auto known_domain(D& d, const std::string& name) -> decltype(&d.province) {
  if (name == "province") return &d.province;
  if (name == "rfm_segment") return &d.rfm_segment;
  if (name == "gender") return &d.gender;
  if (name == "loyalty_card") return &d.loyalty_card;
  if (name == "enrollment_type") return &d.enrollment_type;
  if (name == "risk_tier") return &d.risk_tier;
  return nullptr;
}

}  // namespace

const std::vector<std::string>& Domains::of(const std::string& name) const {
  static const std::vector<std::string> none;
  if (const auto* known = known_domain(*this, name)) {
    return *known;
  }
  const auto it = more.find(name);
  return it == more.end() ? none : it->second;
}

std::vector<std::string>& Domains::of(const std::string& name) {
  if (auto* known = known_domain(*this, name)) {
    return *known;
  }
  return more[name];
}

const std::vector<std::string>& Filters::of(const std::string& name) const {
  static const std::vector<std::string> none;
  const auto it = values.find(name);
  return it == values.end() ? none : it->second;
}

namespace {

std::vector<std::string> read_list(const std::string& key, const nlohmann::json& value,
                                   const std::vector<std::string>& domain) {
  std::vector<std::string> out;
  const nlohmann::json items = value.is_array() ? value : nlohmann::json::array({value});
  for (const auto& item : items) {
    out.push_back(read_choice("filter " + key, item, domain));
  }
  return out;
}

// A range bound as JSON: whole numbers for an Integer attribute, as they were given.
nlohmann::json bound_json(const core::MemberAttribute& a, double v) {
  return a.type == core::AttributeType::Integer ? nlohmann::json(static_cast<std::int64_t>(v))
                                                : nlohmann::json(v);
}

}  // namespace

Filters Filters::from_json(const nlohmann::json& json, const Domains& domains) {
  Filters f;
  if (json.is_null()) {
    return f;
  }
  const std::vector<std::string> keys = core::filter_keys();
  if (!json.is_object()) {
    core::fail(core::ErrorKind::InvalidInput, "filters must be a JSON object with keys: {}",
               fmt::join(keys, ", "));
  }
  for (const auto& [key, value] : json.items()) {
    if (!core::find_filter(key)) {
      core::fail(core::ErrorKind::InvalidInput, "unknown filter '{}'; valid filters: {}", key,
                 fmt::join(keys, ", "));
    }
  }
  for (const auto& key : keys) {  // catalogue order, so that errors come in a stable order
    const auto it = json.find(key);
    if (it == json.end() || it->is_null()) {
      continue;
    }
    bool is_max = false;
    const core::MemberAttribute& a = *core::find_filter(key, &is_max);
    if (a.filter == core::FilterKind::AnyOf) {
      f.values[a.name] = read_list(key, *it, domains.of(a.name));
    } else if (a.filter == core::FilterKind::OneOf) {
      f.values[a.name] = {read_choice("filter " + key, *it, domains.of(a.name))};
    } else {
      const double v = a.type == core::AttributeType::Integer
                           ? static_cast<double>(read_integer(
                                 "filter " + key, *it, 0, static_cast<std::int64_t>(a.range_max)))
                           : read_number("filter " + key, *it, 0, a.range_max);
      (is_max ? f.at_most : f.at_least)[a.name] = v;
    }
  }
  for (const auto& [name, low] : f.at_least) {
    const auto high = f.at_most.find(name);
    if (high != f.at_most.end() && low > high->second) {
      const core::MemberAttribute& a = *core::find_member_attribute(name);
      const auto text = [&](double v) {
        return a.type == core::AttributeType::Integer
                   ? fmt::format("{}", static_cast<std::int64_t>(v))
                   : fmt::format("{}", v);
      };
      core::fail(core::ErrorKind::InvalidInput, "filter {}_min ({}) is above {}_max ({})",
                 a.range_key, text(low), a.range_key, text(high->second));
    }
  }
  return f;
}

nlohmann::json Filters::to_json() const {
  nlohmann::json j = nlohmann::json::object();
  for (const auto& [name, list] : values) {
    const core::MemberAttribute* a = core::find_member_attribute(name);
    if (list.empty() || !a) {
      continue;
    }
    j[name] =
        a->filter == core::FilterKind::OneOf ? nlohmann::json(list.front()) : nlohmann::json(list);
  }
  for (const auto& [name, v] : at_least) {
    if (const core::MemberAttribute* a = core::find_member_attribute(name)) {
      j[a->range_key + "_min"] = bound_json(*a, v);
    }
  }
  for (const auto& [name, v] : at_most) {
    if (const core::MemberAttribute* a = core::find_member_attribute(name)) {
      j[a->range_key + "_max"] = bound_json(*a, v);
    }
  }
  return j;
}

bool Filters::empty() const { return to_json().empty(); }

nlohmann::json filter_schema(const Domains& domains) {
  // Each key: its type, description and the catalogue's label; `order` is the catalogue's
  // (the filter bar's) order, and a range's two keys name their attribute and bound.
  nlohmann::json schema = nlohmann::json::object();
  int order = 0;
  for (const std::string& key : core::filter_keys()) {
    bool is_max = false;
    const core::MemberAttribute& a = *core::find_filter(key, &is_max);
    nlohmann::json entry;
    if (a.filter == core::FilterKind::AnyOf) {
      entry = {{"type", "list of enum"}, {"choices", domains.of(a.name)}};
    } else if (a.filter == core::FilterKind::OneOf) {
      entry = {{"type", "enum"}, {"choices", domains.of(a.name)}};
    } else {
      entry = {{"type", a.type == core::AttributeType::Integer ? "integer" : "number"},
               {"min", 0},
               {"max", a.range_max},
               {"unit", a.unit},
               {"range", a.range_key},
               {"bound", is_max ? "max" : "min"}};
    }
    entry["description"] =
        a.filter == core::FilterKind::Range
            ? a.filter_description + (is_max ? " at most this" : " at least this")
            : a.filter_description;
    entry["label"] = a.label;
    entry["order"] = order++;
    schema[key] = std::move(entry);
  }
  return schema;
}

}  // namespace aa::ops
