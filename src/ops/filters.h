#pragma once
// The slice every operation works on: filters that combine with AND. Values are checked
// against the data's own domains and applied to the member frame in C++ (member_frame.h);
// they never become SQL text.

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace aa::ops {

// A value bound to a prepared statement's parameter.
using SqlValue = std::variant<std::int64_t, double, std::string>;

// SQL text with "?" placeholders and the values to bind to them, in order.
struct SqlPart {
  std::string text;
  std::vector<SqlValue> values;
  SqlPart& append(const SqlPart& other);
};

// The values a categorical filter or parameter may take. Segments and risk tiers are fixed
// vocabularies; provinces, genders, cards and enrollment types come from the data, and so does
// any other categorical filter of the member catalogue (core/member_catalogue.h), in `more`.
struct Domains {
  std::vector<std::string> province;
  std::vector<std::string> rfm_segment;
  std::vector<std::string> gender;
  std::vector<std::string> loyalty_card;
  std::vector<std::string> enrollment_type;
  std::vector<std::string> risk_tier;
  std::map<std::string, std::vector<std::string>> more;

  // The domain of the categorical attribute `name` (an empty list for none).
  const std::vector<std::string>& of(const std::string& name) const;
  std::vector<std::string>& of(const std::string& name);
};

// RFM segments, best first, and risk tiers, highest first.
const std::vector<std::string>& segment_vocabulary();
const std::vector<std::string>& risk_tier_vocabulary();

// The filters, by the member catalogue's attribute names (core/member_catalogue.h): which
// filters exist, their kinds, bounds and descriptions all come from the catalogue.
struct Filters {
  // Categorical filters: the values, any of which a member must have (one for a one-of
  // filter), e.g. values["province"] = {"Ontario"}.
  std::map<std::string, std::vector<std::string>> values;
  // Range filters, inclusive: at_least["clv"] = 1000 is the key clv_min.
  std::map<std::string, double> at_least;
  std::map<std::string, double> at_most;

  // The values of categorical filter `name` (empty when not set).
  const std::vector<std::string>& of(const std::string& name) const;

  // Reads {"province": ["Ontario"], "gender": "Female", "clv_min": 1000, ...}. A list filter
  // also takes a single string. Unknown keys, values outside the domains, bad types and
  // inverted ranges throw AppError(InvalidInput) naming the filter and the valid choices.
  static Filters from_json(const nlohmann::json& json, const Domains& domains);
  nlohmann::json to_json() const;
  bool empty() const;
};

// The filter keys with a one-line description and type, for `ops list`.
nlohmann::json filter_schema(const Domains& domains);

}  // namespace aa::ops
