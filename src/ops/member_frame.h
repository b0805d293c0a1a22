#pragma once
// The members table as columns in memory, for the operations that aggregate a whole slice.
// DuckDB builds the table (ops/sql/ops_members.sql); this frame reads it once when a context
// opens, and the aggregations run over it in C++: a filter becomes a row mask in one pass,
// exact medians and quantiles come from one walk of a presorted order, and grouped results
// from one pass with small per-group accumulators. At 1M members that keeps every such
// operation within a few milliseconds, where the same SQL took 20 to 170 ms (see
// docs/BENCHMARKS.md). Nothing here is written after load, so threads may share a frame.

#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "core/duck.h"
#include "ops/filters.h"

namespace aa::ops {

// A categorical column: one small code per member (kNull for none) and the names of the codes.
struct Category {
  static constexpr std::int8_t kNull = -1;
  std::vector<std::int8_t> codes;
  std::vector<std::string> names;
  // The code of `name`, or nullopt when no member has it.
  std::optional<std::int8_t> code_of(const std::string& name) const;
  // The member's value as JSON text, null for none.
  nlohmann::json json(std::uint32_t row) const;
  // Groups: code + 1, so that group 0 holds members without a value.
  std::size_t group_count() const { return names.size() + 1; }
  std::size_t group_of(std::uint32_t row) const { return static_cast<std::size_t>(codes[row] + 1); }
  nlohmann::json group_name(std::size_t group) const;
};

class MemberFrame;

// What is computed once for a slice and shared by every operation on it (a dashboard page runs
// several on one set of filters): the median CLV by a categorical column's groups, per column.
struct SliceMemo {
  struct Medians {
    std::once_flag once;
    std::vector<double> values;
  };
  std::mutex mutex;  // guards the map; each entry is filled once, by its own once_flag
  std::map<const Category*, std::shared_ptr<Medians>> medians;
};

// The members a set of filters selects: a mask by row and the selected rows in order.
class Slice {
 public:
  // `memo`: what this slice's copies share (a new one by default).
  Slice(std::shared_ptr<const std::vector<std::uint8_t>> mask,
        std::shared_ptr<const std::vector<std::uint32_t>> rows,
        std::shared_ptr<SliceMemo> memo = std::make_shared<SliceMemo>())
      : mask_(std::move(mask)), rows_(std::move(rows)), memo_(std::move(memo)) {}
  SliceMemo& memo() const { return *memo_; }
  const std::vector<std::uint32_t>& rows() const { return *rows_; }
  bool contains(std::uint32_t row) const { return (*mask_)[row] != 0; }
  std::size_t size() const { return rows_->size(); }
  // Every member of the frame (no filter).
  bool is_all() const { return rows_->size() == mask_->size(); }
  // f(row) for the selected rows [begin, end) of the slice's row order.
  template <typename F>
  void for_range(std::size_t begin, std::size_t end, F f) const {
    if (is_all()) {
      for (auto r = static_cast<std::uint32_t>(begin); r < end; ++r) {
        f(r);
      }
    } else {
      for (std::size_t i = begin; i < end; ++i) {
        f((*rows_)[i]);
      }
    }
  }
  // f(row) for each selected row, in row order.
  template <typename F>
  void for_each(F f) const {
    if (is_all()) {
      const auto n = static_cast<std::uint32_t>(mask_->size());
      for (std::uint32_t r = 0; r < n; ++r) {
        f(r);
      }
    } else {
      for (const std::uint32_t r : *rows_) {
        f(r);
      }
    }
  }

 private:
  std::shared_ptr<const std::vector<std::uint8_t>> mask_;
  std::shared_ptr<const std::vector<std::uint32_t>> rows_;
  std::shared_ptr<SliceMemo> memo_;
};

class MemberFrame {
 public:
  static constexpr std::int32_t kNoMonth = std::numeric_limits<std::int32_t>::min();
  static constexpr std::int16_t kNoFeature = -1;
  static constexpr std::int32_t kNullInt = std::numeric_limits<std::int32_t>::min();
  // Contributions are summed ahead in blocks of this many rows (see contribution_block_sums).
  static constexpr std::size_t kBlock = 1024;

  // Reads `table` (ops_members, ordered by loyalty_number) of `connection` in one streamed
  // scan; `features`: the model's features, whose contribution_<feature> columns it reads.
  static std::unique_ptr<MemberFrame> load(duck::Connection& connection, const std::string& table,
                                           const std::vector<std::string>& features);

  std::size_t size() const { return loyalty_number.size(); }
  // The bytes the frame's columns hold (what the server reports as the frame's memory).
  std::size_t bytes() const;
  // The row of a member (rows are in loyalty_number order).
  std::optional<std::uint32_t> row_of(std::int64_t loyalty) const;

  // The exact median CLV (CAD) of each group of `category` over the slice (NaN for a group
  // without a CLV): one walk of the CLV order the first time an operation asks for a column on
  // a slice, then shared by the slice's copies (the cached slice of its filters). Every
  // member's (no filter) are computed for every categorical column when the frame loads.
  const std::vector<double>& slice_medians(const Slice& slice, const Category& category) const;

  // The members the filters select (every member when there are none, without copying).
  Slice select(const Filters& filters) const;
  // Forgets the cached slices (requests holding one keep it): a server does this before it
  // loads a new snapshot beside this one, so that the two together hold less.
  void clear_slice_cache() const;
  // Whether the filters select one row.
  bool matches(const Filters& filters, std::uint32_t row) const;

  // Numbers: NaN where the table holds NULL; whole numbers as int32, kNullInt for NULL (narrow
  // columns, because a scan of a million members is bound by memory bandwidth).
  std::vector<std::int64_t> loyalty_number;
  Category province, rfm_segment, gender, loyalty_card, enrollment_type, risk_tier;
  Category scored_at;  // the date the member was scored, as YYYY-MM-DD
  std::vector<double> clv, churn_probability, churn_score;
  std::vector<std::int32_t> recency, frequency, monetary, tenure_months;
  std::vector<std::int64_t> clv_cents;  // meaningful where clv is not NaN
  std::vector<std::uint8_t> cancelled;  // is_cancelled is true
  std::vector<std::int32_t> enrollment_year, enrollment_month_index,
      cancellation_month_index;  // kNoMonth for NULL
  std::vector<std::uint64_t> flight_mask;
  // The member catalogue's other filterable attributes (core/member_catalogue.h), by name:
  // categorical ones with codes, numeric ones as doubles (NaN for NULL).
  std::map<std::string, Category> more_categories;
  std::map<std::string, std::vector<double>> more_numbers;
  // The categorical column `name` (a named member above or in more_categories), or nullptr.
  const Category* category(const std::string& name) const;
  // The features behind each member's three reasons (indices into reason_features, the
  // distinct ones, sorted), kNoFeature if none.
  std::vector<std::string> reason_features;
  std::array<std::vector<std::int16_t>, 3> reason_feature;
  // The member's k-th reason (0-2) as worded, null for none.
  nlohmann::json reason(std::uint32_t row, std::size_t k) const;
  // The model's source features and the scored members' contributions (those with a
  // churn_probability; the others have none), row-major: member row r's start at
  // contribution_slot[r] * features.size() (NaN for none), so that a slice reads only its
  // members' rows; contributions_of(r) is that row, nullptr for a member not scored. For each
  // block of kBlock rows, the sums of the contributions and of their absolute values over its
  // scored members: [block * features.size() + f].
  static constexpr std::uint32_t kNoSlot = std::numeric_limits<std::uint32_t>::max();
  std::vector<std::string> features;
  std::vector<float> contributions;
  std::vector<std::uint32_t> contribution_slot;
  const float* contributions_of(std::uint32_t row) const {
    return contribution_slot[row] == kNoSlot
               ? nullptr
               : contributions.data() +
                     static_cast<std::size_t>(contribution_slot[row]) * features.size();
  }
  std::vector<double> block_sum, block_abs_sum;
  std::vector<std::int64_t> block_scored;
  // Members with a CLV by CLV ascending; members with a churn_score by churn_score ascending;
  // ties by loyalty_number descending in both, so that read backwards they give the highest
  // first, ties by loyalty_number.
  std::vector<std::uint32_t> by_clv;
  std::vector<std::uint32_t> by_churn_score;
  // The values in those orders, so that walks read them in sequence.
  std::vector<std::int64_t> sorted_clv_cents;
  std::vector<double> sorted_churn_score;

 private:
  class Predicate;
  // reason_1..3 of every member, one after another; value i ends at reason_ends_[i].
  std::string reason_chars_;
  std::vector<std::uint32_t> reason_ends_;  // 4 bytes, not 8: reason_chars_ stays < 4 GiB
  std::shared_ptr<const std::vector<std::uint8_t>> all_mask_;
  std::shared_ptr<const std::vector<std::uint32_t>> all_rows_;
  std::shared_ptr<SliceMemo> all_memo_ = std::make_shared<SliceMemo>();  // every member's
  // The last few filtered slices by their filters: a dashboard page runs several operations
  // on one set of filters, and the mask is built once for all of them.
  struct SliceCache {
    static constexpr std::size_t kCapacity = 8;
    static constexpr std::size_t kBytes = std::size_t{256} << 20;
    std::mutex mutex;
    std::list<std::pair<std::string, Slice>> entries;  // most recently used first
  };
  std::shared_ptr<SliceCache> slice_cache_ = std::make_shared<SliceCache>();
};

// A running mean that skips NaN; null when nothing was added.
struct Mean {
  double sum = 0;
  std::int64_t count = 0;
  void add(double v) {
    if (!std::isnan(v)) {
      sum += v;
      ++count;
    }
  }
  nlohmann::json json() const {
    return count > 0 ? nlohmann::json(sum / static_cast<double>(count)) : nlohmann::json(nullptr);
  }
};

// A running mean of whole numbers that skips kNullInt; exact sums.
struct IntMean {
  std::int64_t sum = 0;
  std::int64_t count = 0;
  void add(std::int32_t v) {
    if (v != MemberFrame::kNullInt) {
      sum += v;
      ++count;
    }
  }
  nlohmann::json json() const {
    return count > 0 ? nlohmann::json(static_cast<double>(sum) / static_cast<double>(count))
                     : nlohmann::json(nullptr);
  }
};

// The q-quantile with linear interpolation between closest ranks (DuckDB's quantile_cont,
// pandas' default), for each group, of the selected members in `order` (rows sorted by the
// value ascending, members without a value left out). `counts[g]` must be the number of
// selected members of group g in `order`; value_at(i) is the value of order[i]. One walk of
// `order`, which stops when every group has its quantile; groups without members get NaN.
template <typename GroupOf, typename ValueAt>
std::vector<double> grouped_quantile(const std::vector<std::uint32_t>& order, const Slice& slice,
                                     const std::vector<std::int64_t>& counts, double q,
                                     GroupOf group_of, ValueAt value_at) {
  const std::size_t groups = counts.size();
  std::vector<double> out(groups, std::numeric_limits<double>::quiet_NaN());
  std::vector<std::int64_t> low(groups), high(groups), seen(groups, 0);
  std::vector<double> weight(groups), low_value(groups);
  std::size_t pending = 0;
  for (std::size_t g = 0; g < groups; ++g) {
    if (counts[g] > 0) {
      const double position = q * static_cast<double>(counts[g] - 1);
      low[g] = static_cast<std::int64_t>(std::floor(position));
      high[g] = static_cast<std::int64_t>(std::ceil(position));
      weight[g] = position - static_cast<double>(low[g]);
      ++pending;
    }
  }
  const bool all = slice.is_all();
  for (std::size_t i = 0; i < order.size() && pending > 0; ++i) {
    const std::uint32_t row = order[i];
    if (!all && !slice.contains(row)) {
      continue;
    }
    const std::size_t g = group_of(row);
    const std::int64_t rank = seen[g]++;
    if (rank == low[g]) {
      low_value[g] = value_at(i);
    }
    if (rank == high[g]) {
      const double v = value_at(i);
      out[g] = low_value[g] + weight[g] * (v - low_value[g]);
      --pending;
    }
  }
  return out;
}

// Several quantiles of the whole slice, as above, in one walk that stops at the highest rank
// needed; with every member selected, read straight from the order.
template <typename ValueAt>
std::vector<double> slice_quantiles(const std::vector<std::uint32_t>& order, const Slice& slice,
                                    std::int64_t count, const std::vector<double>& qs,
                                    ValueAt value_at) {
  std::vector<double> out(qs.size(), std::numeric_limits<double>::quiet_NaN());
  if (count <= 0) {
    return out;
  }
  std::vector<std::int64_t> low(qs.size()), high(qs.size());
  std::vector<double> low_value(qs.size()), high_value(qs.size());
  std::int64_t last = 0;
  for (std::size_t k = 0; k < qs.size(); ++k) {
    const double position = qs[k] * static_cast<double>(count - 1);
    low[k] = static_cast<std::int64_t>(std::floor(position));
    high[k] = static_cast<std::int64_t>(std::ceil(position));
    last = std::max(last, high[k]);
  }
  const auto record = [&](std::int64_t rank, std::size_t i) {
    for (std::size_t k = 0; k < qs.size(); ++k) {
      if (rank == low[k]) {
        low_value[k] = value_at(i);
      }
      if (rank == high[k]) {
        high_value[k] = value_at(i);
      }
    }
  };
  if (slice.is_all() && static_cast<std::int64_t>(order.size()) == count) {
    for (std::size_t k = 0; k < qs.size(); ++k) {
      record(low[k], static_cast<std::size_t>(low[k]));
      record(high[k], static_cast<std::size_t>(high[k]));
    }
  } else {
    std::int64_t rank = 0;
    for (std::size_t i = 0; i < order.size() && rank <= last; ++i) {
      if (slice.contains(order[i])) {
        record(rank++, i);
      }
    }
  }
  for (std::size_t k = 0; k < qs.size(); ++k) {
    const double position = qs[k] * static_cast<double>(count - 1);
    out[k] =
        low_value[k] + (position - static_cast<double>(low[k])) * (high_value[k] - low_value[k]);
  }
  return out;
}

// The group metrics of one group of members.
struct GroupStats {
  std::int64_t customers = 0;
  std::int64_t cancelled = 0;
  Mean clv, churn_score, churn_probability;
  IntMean recency, frequency, monetary, tenure_months;
  double median_clv = std::numeric_limits<double>::quiet_NaN();  // CAD; filled on request

  double total_clv() const { return clv.sum; }
  double total_value_at_risk() const { return churn_score.sum; }
  // Members whose is_cancelled is not true count as retained, as in the reference.
  nlohmann::json cancelled_rate() const {
    return customers > 0
               ? nlohmann::json(static_cast<double>(cancelled) / static_cast<double>(customers))
               : nlohmann::json(nullptr);
  }
  nlohmann::json retention_rate() const {
    return customers > 0
               ? nlohmann::json(1 - static_cast<double>(cancelled) / static_cast<double>(customers))
               : nlohmann::json(nullptr);
  }
  void merge(const GroupStats& o) {
    customers += o.customers;
    cancelled += o.cancelled;
    for (auto [a, b] : {std::pair{&clv, &o.clv}, std::pair{&churn_score, &o.churn_score},
                        std::pair{&churn_probability, &o.churn_probability}}) {
      a->sum += b->sum;
      a->count += b->count;
    }
    for (auto [a, b] :
         {std::pair{&recency, &o.recency}, std::pair{&frequency, &o.frequency},
          std::pair{&monetary, &o.monetary}, std::pair{&tenure_months, &o.tenure_months}}) {
      a->sum += b->sum;
      a->count += b->count;
    }
  }
  void add(const MemberFrame& f, std::uint32_t r) {
    ++customers;
    cancelled += f.cancelled[r];
    clv.add(f.clv[r]);
    churn_score.add(f.churn_score[r]);
    churn_probability.add(f.churn_probability[r]);
    recency.add(f.recency[r]);
    frequency.add(f.frequency[r]);
    monetary.add(f.monetary[r]);
    tenure_months.add(f.tenure_months[r]);
  }
};

// A slice of this many members or more is summed by two threads, one half each.
constexpr std::size_t kParallelRows = 262144;

// add(acc, row) over the slice's rows into `acc`; a slice of kParallelRows or more is split in
// two halves, the second added into a copy of `acc` (as given: empty) on a second core, then
// merge(acc, second). Added in row order within each half, the first half first, so that a
// "first seen wins" rule stays so when merge prefers the first half on ties.
template <typename Acc, typename Add, typename Merge>
Acc reduce_rows(const Slice& slice, Acc acc, Add add, Merge merge) {
  const std::size_t n = slice.size();
  if (n < kParallelRows) {
    slice.for_each([&](std::uint32_t r) { add(acc, r); });
    return acc;
  }
  Acc second = acc;
  std::thread helper([&] { slice.for_range(n / 2, n, [&](std::uint32_t r) { add(second, r); }); });
  slice.for_range(0, n / 2, [&](std::uint32_t r) { add(acc, r); });
  helper.join();
  merge(acc, second);
  return acc;
}

// The metrics of each group (group_of(row) in [0, groups)) over the slice, in one pass; with
// `median`, the exact median CLV of each group too, in one walk of the CLV order.
template <typename GroupOf>
std::vector<GroupStats> group_stats(const MemberFrame& f, const Slice& slice, std::size_t groups,
                                    GroupOf group_of, bool median) {
  std::vector<GroupStats> out = reduce_rows(
      slice, std::vector<GroupStats>(groups),
      [&](std::vector<GroupStats>& stats, std::uint32_t r) { stats[group_of(r)].add(f, r); },
      [](std::vector<GroupStats>& a, const std::vector<GroupStats>& b) {
        for (std::size_t g = 0; g < a.size(); ++g) {
          a[g].merge(b[g]);
        }
      });
  if (median) {
    std::vector<std::int64_t> counts(groups);
    for (std::size_t g = 0; g < groups; ++g) {
      counts[g] = out[g].clv.count;
    }
    const auto cents = [&](std::size_t i) { return static_cast<double>(f.sorted_clv_cents[i]); };
    const auto medians = groups == 1
                             ? slice_quantiles(f.by_clv, slice, counts[0], {0.5}, cents)
                             : grouped_quantile(f.by_clv, slice, counts, 0.5, group_of, cents);
    for (std::size_t g = 0; g < groups; ++g) {
      out[g].median_clv = medians[g] / 100;
    }
  }
  return out;
}

// The slice's statistics as one group.
inline GroupStats slice_stats(const MemberFrame& f, const Slice& slice, bool median) {
  return group_stats(
             f, slice, 1, [](std::uint32_t) { return std::size_t{0}; }, median)
      .at(0);
}

// Sums over a slice's scored members (those with a churn_probability) of each feature's
// contribution and absolute contribution (a missing contribution counts as 0). Blocks of rows
// wholly inside the slice use their precomputed sums; a scattered slice of `parallel_from`
// rows or more is summed by two threads.
struct ContributionSums {
  std::vector<double> sum, abs_sum;
  std::int64_t scored = 0;
};
ContributionSums contribution_sums(const MemberFrame& f, const Slice& slice,
                                   std::size_t parallel_from = 65536);

// NaN as JSON null.
inline nlohmann::json number_or_null(double v) {
  return std::isnan(v) ? nlohmann::json(nullptr) : nlohmann::json(v);
}

}  // namespace aa::ops
