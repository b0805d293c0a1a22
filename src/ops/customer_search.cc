// customer_search: the members of a slice as a sorted list, for Customer 360's search (by
// province, segment, card, risk tier or any other filter). The sort key comes from an
// allowlist; members without a value sort last either way, ties by loyalty number.

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

#include "ops/member_frame.h"
#include "ops/registry.h"

namespace aa::ops {

namespace {

// The columns a search may sort by (the allowlist), first the default.
const std::vector<std::string>& sort_keys() {
  static const std::vector<std::string> keys = {"churn_score",   "churn_probability", "clv",
                                                "tenure_months", "recency",           "frequency",
                                                "monetary",      "loyalty_number"};
  return keys;
}

using Keyed = std::vector<std::pair<double, std::uint32_t>>;

// (value, row) for each member of the slice, the value read through `value` (NaN for none).
template <typename Value>
Keyed keyed(const Slice& slice, Value value) {
  Keyed out;
  out.reserve(slice.size());
  slice.for_each([&](std::uint32_t r) { out.emplace_back(value(r), r); });
  return out;
}

// The slice's members with their value of the sort key: the key is resolved once, not per
// member (a million members in a few milliseconds).
Keyed keyed_members(const MemberFrame& f, const Slice& slice, const std::string& key) {
  const auto of = [&](const std::vector<double>& column) {
    return keyed(slice, [&](std::uint32_t r) { return column[r]; });
  };
  const auto whole = [&](const std::vector<std::int32_t>& column) {
    return keyed(slice, [&](std::uint32_t r) {
      return column[r] == MemberFrame::kNullInt ? std::numeric_limits<double>::quiet_NaN()
                                                : static_cast<double>(column[r]);
    });
  };
  if (key == "churn_score") {
    return of(f.churn_score);
  }
  if (key == "churn_probability") {
    return of(f.churn_probability);
  }
  if (key == "clv") {
    return of(f.clv);
  }
  if (key == "tenure_months") {
    return whole(f.tenure_months);
  }
  if (key == "recency") {
    return whole(f.recency);
  }
  if (key == "frequency") {
    return whole(f.frequency);
  }
  if (key == "monetary") {
    return whole(f.monetary);
  }
  return keyed(slice, [&](std::uint32_t r) { return static_cast<double>(f.loyalty_number[r]); });
}

nlohmann::json member_row(const MemberFrame& f, std::uint32_t r) {
  const auto whole = [](std::int32_t v) {
    return v == MemberFrame::kNullInt ? nlohmann::json(nullptr) : nlohmann::json(v);
  };
  return {{"loyalty_number", f.loyalty_number[r]},
          {"province", f.province.json(r)},
          {"rfm_segment", f.rfm_segment.json(r)},
          {"loyalty_card", f.loyalty_card.json(r)},
          {"risk_tier", f.risk_tier.json(r)},
          {"clv", number_or_null(f.clv[r])},
          {"churn_probability", number_or_null(f.churn_probability[r])},
          {"churn_score", number_or_null(f.churn_score[r])},
          {"tenure_months", whole(f.tenure_months[r])},
          {"recency", whole(f.recency[r])},
          {"frequency", whole(f.frequency[r])},
          {"monetary", whole(f.monetary[r])},
          {"is_cancelled", f.cancelled[r] != 0}};
}

std::vector<ParamSpec> search_params(const Domains&) {
  ParamSpec sort;
  sort.name = "sort_by";
  sort.type = ParamType::Enum;
  sort.description = "the column to sort the members by";
  sort.choices = sort_keys();
  sort.default_value = sort_keys().front();
  return {sort, ascending_param(), top_n_param(100, 500)};
}

nlohmann::json customer_search(OpsContext& context, const ParamValues& params,
                               const Filters& filters) {
  const MemberFrame& f = context.frame();
  const std::string key = params.text("sort_by");
  const bool ascending = params.boolean("ascending");
  // (value, row) pairs, then only the first top_n put in order: at 1M members one pass over
  // the slice and a partial sort.
  Keyed members = keyed_members(f, f.select(filters), key);
  const auto before = [&](const auto& a, const auto& b) {
    const bool a_null = std::isnan(a.first);
    if (a_null != std::isnan(b.first)) {
      return !a_null;
    }
    if (!a_null && a.first != b.first) {
      return ascending ? a.first < b.first : a.first > b.first;
    }
    return f.loyalty_number[a.second] < f.loyalty_number[b.second];
  };
  const auto shown = std::min(members.size(), static_cast<std::size_t>(params.integer("top_n")));
  std::partial_sort(members.begin(), members.begin() + static_cast<std::ptrdiff_t>(shown),
                    members.end(), before);
  nlohmann::json rows = nlohmann::json::array();
  for (std::size_t i = 0; i < shown; ++i) {
    rows.push_back(member_row(f, members[i].second));
  }
  return {{"matched_members", members.size()},
          {"sort_by", key},
          {"ascending", ascending},
          {"rows", rows}};
}

ResultSchema customer_search_result() {
  return {flag("ascending", "whether the list is sorted smallest first"),
          integer("matched_members", "members", "members matching the filters"),
          rows("rows", "the matching members, sorted by sort_by",
               {number("churn_probability", "fraction", "6-month churn probability"),
                number("churn_score", "CAD", "churn probability x CLV"),
                number("clv", "CAD", "customer lifetime value"),
                integer("frequency", "flights", "flights"),
                flag("is_cancelled", "whether the member has cancelled"),
                text("loyalty_card", "loyalty card"),
                integer("loyalty_number", "id", "the member's loyalty number"),
                integer("monetary", "km", "distance flown"), text("province", "province"),
                integer("recency", "months", "months since the last flight"),
                text("rfm_segment", "RFM segment"),
                text("risk_tier", "churn risk tier: high, medium or low"),
                integer("tenure_months", "months", "months since enrollment")}),
          text("sort_by", "the sort key")};
}

}  // namespace

Operation customer_search_operation() {
  return {"customer_search",
          "Members of the slice as a list sorted by churn_score, churn_probability, CLV, "
          "tenure, recency, frequency, monetary or loyalty number, with how many match: Customer "
          "360's search by province, segment, card or risk tier (sort_by, ascending, top_n)",
          search_params, customer_search, customer_search_result()};
}

}  // namespace aa::ops
