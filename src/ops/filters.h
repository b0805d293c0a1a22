#pragma once
// The slice every operation works on: filters that combine with AND. Values are checked
// against the data's own domains and applied to the member frame in C++ (member_frame.h);
// they never become SQL text.

#include <cstdint>
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
// vocabularies; provinces, genders, cards and enrollment types come from the data.
struct Domains {
  std::vector<std::string> province;
  std::vector<std::string> rfm_segment;
  std::vector<std::string> gender;
  std::vector<std::string> loyalty_card;
  std::vector<std::string> enrollment_type;
  std::vector<std::string> risk_tier;
};

// RFM segments, best first, and risk tiers, highest first.
const std::vector<std::string>& segment_vocabulary();
const std::vector<std::string>& risk_tier_vocabulary();

struct Filters {
  std::vector<std::string> province;
  std::vector<std::string> rfm_segment;
  std::optional<std::string> gender;
  std::vector<std::string> loyalty_card;
  std::optional<std::string> enrollment_type;
  std::optional<std::string> risk_tier;
  std::optional<double> clv_min;
  std::optional<double> clv_max;
  std::optional<std::int64_t> tenure_min;
  std::optional<std::int64_t> tenure_max;

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
