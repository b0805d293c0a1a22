#pragma once
// The member attributes and model features, stated once. Each entry names a column of the SQL
// models (churn_snapshots.sql for model features; customer_features.sql and ops_members.sql
// for member attributes) and says what the rest of the product needs to know about it:
//   - the model's feature list (churn_feature_spec, model/snapshots.cc) is the entries with
//     model_feature, numeric ones then categorical ones, each in catalogue order;
//   - the label ops and reports show (feature_label) and the sentence a reason uses
//     (describe_feature, model/reasons.cc) come from label and phrase;
//   - the filters every operation takes (ops/filters.cc), the CLI's list filters and the
//     schema served to the web app come from the entries with a filter kind;
//   - the ops member frame (ops/member_frame.cc) loads a filterable attribute by its name.
// Adding a filterable attribute or a model feature is one row here plus its SQL column
// (docs/OPERATIONS.md, "Adding a member attribute or a model feature").

#include <string>
#include <string_view>
#include <vector>

namespace aa::core {

enum class AttributeType {
  Category,  // text, one of a few values
  Number,    // a real number
  Integer,   // a whole number
};

enum class FilterKind {
  None,   // not a filter
  AnyOf,  // a list of values; a member passes holding any of them ("province": ["Ontario"])
  OneOf,  // one value ("gender": "Female")
  Range,  // bounds <key>_min and <key>_max, both inclusive ("clv_min": 1000)
};

struct MemberAttribute {
  std::string name;   // the column's name in the SQL models
  AttributeType type = AttributeType::Number;
  std::string label;  // "Loyalty card", "Flights in the last 3 months"
  // The sentence a reason gives for a member, "{}" standing for the member's value (a level,
  // or a whole number with thousands separators): "{} card holder". Empty when reasons.cc
  // words it by a rule (windows, trends, tenure, months since the last flight, salary).
  std::string phrase;
  bool model_feature = false;  // in the churn model's feature list
  FilterKind filter = FilterKind::None;
  // What a filter selects: "members in any of these provinces"; for a range, the noun of
  // "<noun> at least this" / "<noun> at most this".
  std::string filter_description;
  std::string range_key;  // a range's key stem: "clv" gives clv_min and clv_max
  std::string unit;       // a range's unit ("CAD", "months")
  double range_max = 0;   // a range's largest accepted bound (the smallest is 0)
};

// Every entry, in catalogue order.
const std::vector<MemberAttribute>& member_catalogue();
// The entry named `name`, or nullptr.
const MemberAttribute* find_member_attribute(std::string_view name);

// The model's features in order: numeric (Number, Integer), then categorical.
std::vector<std::string> model_numeric_features();
std::vector<std::string> model_categorical_features();

// The filterable entries, in catalogue order.
std::vector<const MemberAttribute*> filterable_attributes();
// Every filter key in catalogue order: a list or one-value filter's name, a range's
// <key>_min and <key>_max.
std::vector<std::string> filter_keys();
// The filter a key belongs to, with is_max set for a range's <key>_max; nullptr for none.
const MemberAttribute* find_filter(std::string_view key, bool* is_max = nullptr);

}  // namespace aa::core
