#include "core/member_catalogue.h"

#include <algorithm>

namespace aa::core {

namespace {

using T = AttributeType;
using F = FilterKind;

MemberAttribute feature(std::string name, T type, std::string label, std::string phrase = "") {
  MemberAttribute a;
  a.name = std::move(name);
  a.type = type;
  a.label = std::move(label);
  a.phrase = std::move(phrase);
  a.model_feature = true;
  return a;
}

MemberAttribute attribute(std::string name, T type, std::string label, std::string phrase = "") {
  MemberAttribute a = feature(std::move(name), type, std::move(label), std::move(phrase));
  a.model_feature = false;
  return a;
}

MemberAttribute filtered(MemberAttribute a, F kind, std::string description) {
  a.filter = kind;
  a.filter_description = std::move(description);
  return a;
}

MemberAttribute ranged(MemberAttribute a, std::string key, std::string noun, std::string unit,
                       double max) {
  a = filtered(std::move(a), F::Range, std::move(noun));
  a.range_key = std::move(key);
  a.unit = std::move(unit);
  a.range_max = max;
  return a;
}

// The activity windows: each measure over the latest 1, 3, 6 and 12 months up to T
// (churn_snapshots.sql's `windows`), worded by a rule in reasons.cc.
void add_windows(std::vector<MemberAttribute>& out) {
  const std::pair<const char*, const char*> measures[] = {
      {"flights", "Flights"},
      {"distance", "Distance flown"},
      {"points_accumulated", "Points earned"},
      {"points_redeemed", "Points redeemed"},
      {"dollar_cost_redeemed", "Rewards redeemed (CAD)"},
      {"active_months", "Months with a flight"}};
  for (const auto& [measure, label] : measures) {
    for (const char* months : {"1", "3", "6", "12"}) {
      const std::string window = std::string(months) == "1"
                                     ? " in the latest month"
                                     : std::string(" in the last ") + months + " months";
      out.push_back(feature(std::string(measure) + "_" + months + "m",
                            measure == std::string("active_months") ? T::Integer : T::Number,
                            label + window));
    }
  }
}

std::vector<MemberAttribute> build() {
  std::vector<MemberAttribute> c;
  // Model features, categorical (one-hot encoded, in this order), and the other categorical
  // attributes. The filters come in catalogue order (filter_keys).
  c.push_back(filtered(feature("loyalty_card", T::Category, "Loyalty card", "{} card holder"),
                       F::AnyOf, "members holding any of these cards"));
  c.push_back(filtered(
      feature("enrollment_type", T::Category, "Enrollment type", "Enrollment type: {}"), F::OneOf,
      "members of this enrollment type"));
  c.push_back(filtered(feature("province", T::Category, "Province", "Lives in {}"), F::AnyOf,
                       "members in any of these provinces"));
  c.push_back(filtered(feature("gender", T::Category, "Gender", "Gender: {}"), F::OneOf,
                       "members of this gender"));
  c.push_back(feature("education", T::Category, "Education", "Education: {}"));
  c.push_back(feature("marital_status", T::Category, "Marital status", "Marital status: {}"));
  c.push_back(attribute("city", T::Category, "City", "Lives in {}"));  // the reference's
  c.push_back(filtered(attribute("rfm_segment", T::Category, "Segment"), F::AnyOf,
                       "members in any of these RFM segments"));
  c.push_back(filtered(attribute("risk_tier", T::Category, "Risk tier"), F::OneOf,
                       "scored members in this churn risk tier"));
  // Numeric attributes that are not churn-model features (ref_*: the reference recipe's,
  // model/snapshots.cc reference_feature_spec).
  c.push_back(ranged(attribute("clv", T::Number, "CLV", "Customer lifetime value ${}"), "clv",
                     "CLV", "CAD", 1e9));
  c.push_back(attribute("ref_frequency", T::Number, "Flights to date", "{} flights to date"));
  c.push_back(attribute("ref_monetary", T::Number, "Distance flown to date", "{} km flown to date"));
  // Model features, numeric (the model reads them in this order).
  c.push_back(feature("months_since_last_flight", T::Integer, "Months since last flight"));
  c.push_back(ranged(feature("tenure_months", T::Integer, "Tenure"), "tenure", "tenure",
                     "months", 1200));
  c.push_back(feature("history_months", T::Integer, "Months of history"));
  add_windows(c);
  c.push_back(
      feature("flights_trend_3v3", T::Number, "Flight trend (last 3 vs previous 3 months)"));
  c.push_back(
      feature("distance_trend_3v3", T::Number, "Distance trend (last 3 vs previous 3 months)"));
  c.push_back(feature("salary", T::Number, "Salary"));
  c.push_back(feature("salary_missing", T::Integer, "Salary missing"));
  return c;
}

}  // namespace

const std::vector<MemberAttribute>& member_catalogue() {
  static const std::vector<MemberAttribute> catalogue = build();
  return catalogue;
}

const MemberAttribute* find_member_attribute(std::string_view name) {
  for (const auto& a : member_catalogue()) {
    if (a.name == name) {
      return &a;
    }
  }
  return nullptr;
}

std::vector<std::string> model_numeric_features() {
  std::vector<std::string> out;
  for (const auto& a : member_catalogue()) {
    if (a.model_feature && a.type != AttributeType::Category) {
      out.push_back(a.name);
    }
  }
  return out;
}

std::vector<std::string> model_categorical_features() {
  std::vector<std::string> out;
  for (const auto& a : member_catalogue()) {
    if (a.model_feature && a.type == AttributeType::Category) {
      out.push_back(a.name);
    }
  }
  return out;
}

std::vector<const MemberAttribute*> filterable_attributes() {
  std::vector<const MemberAttribute*> out;
  for (const auto& a : member_catalogue()) {
    if (a.filter != FilterKind::None) {
      out.push_back(&a);
    }
  }
  return out;
}

std::vector<std::string> filter_keys() {
  std::vector<std::string> out;
  for (const auto* a : filterable_attributes()) {
    if (a->filter == FilterKind::Range) {
      out.push_back(a->range_key + "_min");
      out.push_back(a->range_key + "_max");
    } else {
      out.push_back(a->name);
    }
  }
  return out;
}

const MemberAttribute* find_filter(std::string_view key, bool* is_max) {
  if (is_max) {
    *is_max = false;
  }
  for (const auto* a : filterable_attributes()) {
    if (a->filter != FilterKind::Range) {
      if (a->name == key) {
        return a;
      }
    } else if (key == a->range_key + "_min") {
      return a;
    } else if (key == a->range_key + "_max") {
      if (is_max) {
        *is_max = true;
      }
      return a;
    }
  }
  return nullptr;
}

}  // namespace aa::core
