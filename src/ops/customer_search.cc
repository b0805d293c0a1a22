// customer_search: the members of a slice as a sorted list, for Customer 360's search (by
// province, segment, card, risk tier or any other filter). The sort key comes from an
// allowlist; members without a value sort last either way, ties by loyalty number.

#include <algorithm>
#include <cmath>
#include <limits>
#include <thread>
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

using Item = std::pair<double, std::uint32_t>;  // (value, row), NaN for no value

// The first `n` members of the slice in the search's order (members without a value last
// either way, ties by loyalty number), without sorting the slice: each half of a large slice
// keeps its best n in a heap on its own core, and the two are merged.
template <typename Value>
std::vector<std::uint32_t> first_members(const MemberFrame& f, const Slice& slice, Value value,
                                         bool ascending, std::size_t n) {
  const auto before = [&](const Item& a, const Item& b) {
    const bool a_null = std::isnan(a.first);
    if (a_null != std::isnan(b.first)) {
      return !a_null;
    }
    if (!a_null && a.first != b.first) {
      return ascending ? a.first < b.first : a.first > b.first;
    }
    return f.loyalty_number[a.second] < f.loyalty_number[b.second];
  };
  // A heap by `before` keeps the worst kept member on top.
  const auto keep = [&](std::size_t begin, std::size_t end, std::vector<Item>& heap) {
    heap.reserve(n + 1);
    slice.for_range(begin, end, [&](std::uint32_t r) {
      const Item item{value(r), r};
      if (heap.size() < n) {
        heap.push_back(item);
        std::push_heap(heap.begin(), heap.end(), before);
      } else if (n > 0 && before(item, heap.front())) {
        std::pop_heap(heap.begin(), heap.end(), before);
        heap.back() = item;
        std::push_heap(heap.begin(), heap.end(), before);
      }
    });
  };
  const std::size_t size = slice.size();
  std::vector<Item> kept, second;
  if (size >= kParallelRows) {
    std::thread helper([&] { keep(size / 2, size, second); });
    keep(0, size / 2, kept);
    helper.join();
    kept.insert(kept.end(), second.begin(), second.end());
  } else {
    keep(0, size, kept);
  }
  std::sort(kept.begin(), kept.end(), before);
  kept.resize(std::min(kept.size(), n));
  std::vector<std::uint32_t> rows;
  rows.reserve(kept.size());
  for (const auto& item : kept) {
    rows.push_back(item.second);
  }
  return rows;
}

// first_members by the sort key `key`, resolved once, not per member.
std::vector<std::uint32_t> first_members(const MemberFrame& f, const Slice& slice,
                                         const std::string& key, bool ascending, std::size_t n) {
  const auto of = [&](const std::vector<double>& column) {
    return first_members(
        f, slice, [&](std::uint32_t r) { return column[r]; }, ascending, n);
  };
  const auto whole = [&](const std::vector<std::int32_t>& column) {
    return first_members(
        f, slice,
        [&](std::uint32_t r) {
          return column[r] == MemberFrame::kNullInt ? std::numeric_limits<double>::quiet_NaN()
                                                    : static_cast<double>(column[r]);
        },
        ascending, n);
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
  return first_members(
      f, slice, [&](std::uint32_t r) { return static_cast<double>(f.loyalty_number[r]); },
      ascending, n);
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
  const Slice slice = f.select(filters);
  nlohmann::json rows = nlohmann::json::array();
  for (const std::uint32_t r :
       first_members(f, slice, key, ascending, static_cast<std::size_t>(params.integer("top_n")))) {
    rows.push_back(member_row(f, r));
  }
  return {{"matched_members", slice.size()},
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
