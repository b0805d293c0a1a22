#pragma once
// The members table as columns in memory, for the operations that aggregate a whole slice.
// DuckDB builds the table (ops/sql/ops_members.sql); this frame reads it once when a context
// opens, and the aggregations run over it in C++: a filter becomes a row mask in one pass,
// exact medians and quantiles come from one walk of a presorted order, and grouped results
// from one pass with small per-group accumulators. At 1M members that keeps every such
// operation within a few milliseconds, where the same SQL took 20 to 170 ms (see
// docs/BENCHMARKS.md). Nothing here is written after load, so threads may share a frame.

#include <algorithm>
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
  std::vector<std::int8_t> sorted_codes;  // the codes of MemberFrame::by_clv's rows, in its order
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

// An allocator whose resize leaves new elements uninitialised: a slice's row list is sized for
// every member and filled with the selected ones, so that pages past them are never touched.
template <typename T>
struct UninitialisedAllocator : std::allocator<T> {
  template <typename U>
  struct rebind {
    using other = UninitialisedAllocator<U>;
  };
  UninitialisedAllocator() = default;
  template <typename U>
  UninitialisedAllocator(const UninitialisedAllocator<U>&) noexcept {}  // NOLINT
  template <typename U>
  void construct(U* p) noexcept {
    ::new (static_cast<void*>(p)) U;
  }
  template <typename U, typename... Args>
  void construct(U* p, Args&&... args) {
    ::new (static_cast<void*>(p)) U(std::forward<Args>(args)...);
  }
};
// The rows of a slice, in order.
using RowList = std::vector<std::uint32_t, UninitialisedAllocator<std::uint32_t>>;

// What is computed once for a slice and shared by every operation on it (a dashboard page runs
// several on one set of filters): the median CLV by a categorical column's groups, per column;
// the summary columns' group figures; the slice's ranks in the CLV order.
struct SummaryGroups;  // below
class ClvRanks;        // below
struct SliceMemo {
  struct Medians {
    std::once_flag once;
    std::vector<double> values;
  };
  std::mutex mutex;  // guards the map; each entry is filled once, by its own once_flag
  std::map<const Category*, std::shared_ptr<Medians>> medians;
  // The group statistics by each summary column, filled once (summary_groups).
  std::once_flag summary_once;
  std::shared_ptr<const SummaryGroups> summary;
  // The slice's ranks in the CLV order, counted once (MemberFrame::clv_ranks).
  std::once_flag clv_once;
  std::shared_ptr<const ClvRanks> clv_ranks;
};

// The members a set of filters selects: a bit per row (one bit, not a byte: a 10M-member mask
// of 1.25 MB stays in cache while a walk of a sorted order tests it row by row) and the
// selected rows in order.
class Slice {
 public:
  // `bits`: bit r % 64 of word r / 64 is row r's, for `size` rows; `memo`: what this slice's
  // copies share (a new one by default).
  Slice(std::shared_ptr<const std::vector<std::uint64_t>> bits, std::size_t size,
        std::shared_ptr<const RowList> rows,
        std::shared_ptr<SliceMemo> memo = std::make_shared<SliceMemo>())
      : bits_(std::move(bits)), frame_size_(size), rows_(std::move(rows)), memo_(std::move(memo)) {}
  SliceMemo& memo() const { return *memo_; }
  const RowList& rows() const { return *rows_; }
  bool contains(std::uint32_t row) const { return ((*bits_)[row >> 6] >> (row & 63)) & 1U; }
  std::size_t size() const { return rows_->size(); }
  // Every member of the frame (no filter).
  bool is_all() const { return rows_->size() == frame_size_; }
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
    for_range(0, rows_->size(), f);
  }

 private:
  std::shared_ptr<const std::vector<std::uint64_t>> bits_;
  std::size_t frame_size_;
  std::shared_ptr<const RowList> rows_;
  std::shared_ptr<SliceMemo> memo_;
};

// The summary columns: the dashboard's four group-by columns (province, rfm_segment,
// loyalty_card, gender), whose figures and medians a slice computes once for all its operations.
constexpr std::size_t kSummaryColumns = 4;

// A slice's members with a CLV, by rank in the frame's CLV order, overall and within each group
// of each summary column: the order is cut in chunks of kRankChunk (below), the members of
// every group are counted per chunk in one pass on both cores, and a rank is then looked for in
// the one chunk that holds it. One count serves the slice's quantiles, its CLV tiers and the four
// columns' group medians (MemberFrame::clv_ranks keeps it with the slice).
class ClvRanks {
 public:
  // `chunk_length`: kRankChunk when 0 (the tests use short ones).
  ClvRanks(const MemberFrame& f, const Slice& slice, std::size_t chunk_length = 0);
  // The summary column `c` is (0-3), or nullopt for another column.
  static std::optional<std::size_t> column_of(const MemberFrame& f, const Category& c);
  // The slice's members with a CLV, and those of group g of summary column `column`.
  std::int64_t total() const { return total_; }
  std::int64_t total(std::size_t column, std::size_t g) const {
    return totals_[offset_[column] + g];
  }
  // The index in f.by_clv of the slice's member of rank `rank` (0-based) among them, overall
  // and within group g of summary column `column`.
  std::size_t find(const MemberFrame& f, const Slice& slice, std::int64_t rank) const;
  std::size_t find(const MemberFrame& f, const Slice& slice, std::size_t column, std::size_t g,
                   std::int64_t rank) const;

 private:
  bool all_ = false;
  std::size_t chunk_;
  std::array<std::size_t, kSummaryColumns + 1> offset_{};  // each column's first slot; slots
  std::vector<std::int64_t> counts_;                       // [chunk * slots + slot]
  std::vector<std::int64_t> totals_;                       // by slot
  std::int64_t total_ = 0;
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
  // The slice's ranks in the CLV order (ClvRanks), counted the first time an operation asks,
  // then shared by the slice's copies.
  const ClvRanks& clv_ranks(const Slice& slice) const;
  // Quantiles of the slice's CLV in cents (linear interpolation; NaN when no member has one).
  std::vector<double> clv_cent_quantiles(const Slice& slice, const std::vector<double>& qs) const;

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
  // The ranges of those months over every member (of members with both an enrollment year and
  // month for the years), so that an operation can lay out its counts before its one pass;
  // empty ranges (lowest above highest) when no member has one.
  struct Range {
    std::int32_t low = std::numeric_limits<std::int32_t>::max();
    std::int32_t high = std::numeric_limits<std::int32_t>::min();
    void add(std::int32_t v) {
      low = std::min(low, v);
      high = std::max(high, v);
    }
  };
  Range enrollment_months, cancellation_months, enrollment_years;
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
  std::shared_ptr<const std::vector<std::uint64_t>> all_bits_;
  std::shared_ptr<const RowList> all_rows_;
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

// A slice of this many members or more is summed by two threads, one half each.
constexpr std::size_t kParallelRows = 262144;

// Ranks in a sorted order, found without walking it in sequence: the order is cut in chunks of
// kRankChunk, the slice's members of each group are counted in every chunk (both cores for a
// long order), and a rank is then looked for in the one chunk that holds it.
constexpr std::size_t kRankChunk = std::size_t{1} << 16;

template <typename GroupAt>
class RankIndex {
 public:
  RankIndex(const std::vector<std::uint32_t>& order, const Slice& slice, std::size_t groups,
            GroupAt group_at, std::size_t chunk = kRankChunk)
      : order_(order),
        slice_(slice),
        groups_(groups),
        group_at_(group_at),
        chunk_(chunk),
        chunks_((order.size() + chunk - 1) / chunk),
        counts_(chunks_ * groups, 0),
        totals_(groups, 0) {
    const auto count = [&](std::size_t first, std::size_t last) {
      for (std::size_t c = first; c < last; ++c) {
        std::int64_t* k = counts_.data() + c * groups_;
        const std::size_t end = std::min(order_.size(), (c + 1) * chunk_);
        if (slice_.is_all()) {
          for (std::size_t i = c * chunk_; i < end; ++i) {
            ++k[group_at_(i)];
          }
        } else {
          for (std::size_t i = c * chunk_; i < end; ++i) {
            if (slice_.contains(order_[i])) {
              ++k[group_at_(i)];
            }
          }
        }
      }
    };
    if (order.size() >= kParallelRows) {
      std::thread helper([&] { count(chunks_ / 2, chunks_); });
      count(0, chunks_ / 2);
      helper.join();
    } else {
      count(0, chunks_);
    }
    for (std::size_t c = 0; c < chunks_; ++c) {
      for (std::size_t g = 0; g < groups_; ++g) {
        totals_[g] += counts_[c * groups_ + g];
      }
    }
  }
  // The slice's members of group g in the order.
  std::int64_t total(std::size_t g) const { return totals_[g]; }
  // The index in the order of the slice's member of group g that has rank `rank` (0-based,
  // < total(g)) among them.
  std::size_t find(std::size_t g, std::int64_t rank) const {
    std::size_t c = 0;
    while (rank >= counts_[c * groups_ + g]) {
      rank -= counts_[c * groups_ + g];
      ++c;
    }
    for (std::size_t i = c * chunk_;; ++i) {
      if ((slice_.is_all() || slice_.contains(order_[i])) && group_at_(i) == g && rank-- == 0) {
        return i;
      }
    }
  }

 private:
  const std::vector<std::uint32_t>& order_;
  const Slice& slice_;
  std::size_t groups_;
  GroupAt group_at_;
  std::size_t chunk_;
  std::size_t chunks_;
  std::vector<std::int64_t> counts_;  // [chunk * groups + group]
  std::vector<std::int64_t> totals_;
};

// The q-quantile of `count` sorted values by linear interpolation between closest ranks:
// value(low) + (position - low) * (value(high) - value(low)) at position q * (count - 1), where
// value(rank) is the value of that rank (0-based).
template <typename ValueOfRank>
double interpolated(double q, std::int64_t count, ValueOfRank value) {
  const double position = q * static_cast<double>(count - 1);
  const auto low = static_cast<std::int64_t>(std::floor(position));
  const auto high = static_cast<std::int64_t>(std::ceil(position));
  const double low_value = value(low);
  const double high_value = high == low ? low_value : value(high);
  return low_value + (position - static_cast<double>(low)) * (high_value - low_value);
}

// The q-quantile with linear interpolation between closest ranks (DuckDB's quantile_cont,
// pandas' default), for each of `groups` groups, of the slice's members in `order` (rows sorted
// by the value ascending, members without a value left out); group_at(i) and value_at(i) are
// the group and value of order[i]. Groups without members get NaN.
template <typename GroupAt, typename ValueAt>
std::vector<double> grouped_quantile(const std::vector<std::uint32_t>& order, const Slice& slice,
                                     std::size_t groups, double q, GroupAt group_at,
                                     ValueAt value_at) {
  const RankIndex<GroupAt> index(order, slice, groups, group_at);
  std::vector<double> out(groups, std::numeric_limits<double>::quiet_NaN());
  for (std::size_t g = 0; g < groups; ++g) {
    if (index.total(g) > 0) {
      out[g] = interpolated(q, index.total(g),
                            [&](std::int64_t rank) { return value_at(index.find(g, rank)); });
    }
  }
  return out;
}

// The slice's members in a sorted order by rank: with every member selected (and `count`, the
// slice's members in the order, all of it) straight from the order, otherwise through a
// RankIndex.
class SliceRanks {
 public:
  SliceRanks(const std::vector<std::uint32_t>& order, const Slice& slice, std::int64_t count) {
    if (!(slice.is_all() && static_cast<std::int64_t>(order.size()) == count)) {
      index_.emplace(order, slice, 1, OneGroup{});
    }
  }
  // The index in the order of the slice's member of rank `rank` (0-based, < count).
  std::size_t find(std::int64_t rank) const {
    return index_ ? index_->find(0, rank) : static_cast<std::size_t>(rank);
  }

 private:
  struct OneGroup {
    std::size_t operator()(std::size_t) const { return 0; }
  };
  std::optional<RankIndex<OneGroup>> index_;
};

// Several quantiles of the whole slice (`count` members in `order`), as above.
template <typename ValueAt>
std::vector<double> slice_quantiles(const std::vector<std::uint32_t>& order, const Slice& slice,
                                    std::int64_t count, const std::vector<double>& qs,
                                    ValueAt value_at) {
  std::vector<double> out(qs.size(), std::numeric_limits<double>::quiet_NaN());
  if (count <= 0) {
    return out;
  }
  const SliceRanks ranks(order, slice, count);
  for (std::size_t k = 0; k < qs.size(); ++k) {
    out[k] =
        interpolated(qs[k], count, [&](std::int64_t rank) { return value_at(ranks.find(rank)); });
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
  // Every value is read before any sum is written, and the sums skip NULLs without branches:
  // a pass over millions of members then waits on memory, not on its own stores.
  // One member's values, read once for every group it is added to.
  struct Values {
    std::uint8_t cancelled;
    double means[3];        // clv, churn_score, churn_probability
    std::int32_t whole[4];  // recency, frequency, monetary, tenure_months
    Values(const MemberFrame& f, std::uint32_t r)
        : cancelled(f.cancelled[r]),
          means{f.clv[r], f.churn_score[r], f.churn_probability[r]},
          whole{f.recency[r], f.frequency[r], f.monetary[r], f.tenure_months[r]} {}
  };
  void add(const MemberFrame& f, std::uint32_t r) { add(Values(f, r)); }
  void add(const Values& v) {
    ++customers;
    cancelled += v.cancelled;
    Mean* means[3] = {&clv, &churn_score, &churn_probability};
    for (int i = 0; i < 3; ++i) {
      const bool known = !std::isnan(v.means[i]);
      means[i]->sum += known ? v.means[i] : 0.0;
      means[i]->count += known ? 1 : 0;
    }
    IntMean* ints[4] = {&recency, &frequency, &monetary, &tenure_months};
    for (int i = 0; i < 4; ++i) {
      const bool known = v.whole[i] != MemberFrame::kNullInt;
      ints[i]->sum += known ? v.whole[i] : 0;
      ints[i]->count += known ? 1 : 0;
    }
  }
};

// add(acc, row) over the slice's rows into `acc`; a slice of kParallelRows or more is split in
// two halves, the second added into a copy of `acc` (as given: empty) on a second core, then
// merge(acc, second). Added in row order within each half, the first half first, so that a
// "first seen wins" rule stays so when merge prefers the first half on ties.
//
// With Lanes > 1, each half's rows are dealt in turn to that many accumulators (copies of the
// empty one), merged at the end: consecutive members that update the same sums (the same group,
// the same reason) then do not wait for each other's stores. Only for accumulators that are
// cheap to copy, and whose merge does not depend on the order rows were added in.
template <std::size_t Lanes = 1, typename Acc, typename Add, typename Merge>
Acc reduce_rows(const Slice& slice, Acc acc, Add add, Merge merge) {
  static_assert(Lanes >= 1);
  const Acc empty = acc;
  const auto run = [&](std::size_t begin, std::size_t end, Acc& into) {
    if constexpr (Lanes == 1) {
      slice.for_range(begin, end, [&](std::uint32_t r) { add(into, r); });
    } else {
      std::array<Acc, Lanes> lanes;
      lanes.fill(empty);
      std::size_t i = 0;
      slice.for_range(begin, end, [&](std::uint32_t r) {
        add(lanes[i], r);
        i = i + 1 == Lanes ? 0 : i + 1;
      });
      for (const Acc& lane : lanes) {
        merge(into, lane);
      }
    }
  };
  const std::size_t n = slice.size();
  if (n < kParallelRows) {
    run(0, n, acc);
    return acc;
  }
  Acc second = empty;
  std::thread helper([&] { run(n / 2, n, second); });
  run(0, n / 2, acc);
  helper.join();
  merge(acc, second);
  return acc;
}

// The metrics of each group (group_of(row) in [0, groups)) over the slice, in one pass (medians:
// MemberFrame::slice_medians).
template <typename GroupOf>
std::vector<GroupStats> group_stats(const MemberFrame& f, const Slice& slice, std::size_t groups,
                                    GroupOf group_of) {
  std::vector<GroupStats> out = reduce_rows<4>(
      slice, std::vector<GroupStats>(groups),
      [&](std::vector<GroupStats>& stats, std::uint32_t r) { stats[group_of(r)].add(f, r); },
      [](std::vector<GroupStats>& a, const std::vector<GroupStats>& b) {
        for (std::size_t g = 0; g < a.size(); ++g) {
          a[g].merge(b[g]);
        }
      });
  return out;
}

// The slice's group statistics by each summary column (province, rfm_segment, loyalty_card,
// gender: the dashboard's four summaries, which one page asks for together), and by segment
// and whether the member cancelled (the driver comparison's two sides), from one pass over the
// slice the first time any is asked for, then shared by the slice's copies (the cached slice of
// its filters); every member's are computed when the frame loads.
struct SummaryGroups {
  std::map<const Category*, std::vector<GroupStats>> by;
  std::array<std::vector<GroupStats>, 2> segment_by_cancelled;  // [cancelled][segment group]
};
// `category`'s groups (one of the four; std::logic_error for another).
const std::vector<GroupStats>& summary_groups(const MemberFrame& f, const Slice& slice,
                                              const Category& category);
// The slice's groups by rfm_segment of the members who did not cancel ([0]) and who did ([1]).
const std::array<std::vector<GroupStats>, 2>& segment_by_cancelled(const MemberFrame& f,
                                                                   const Slice& slice);

// The slice's statistics as one group (summed from a summary column's groups); with `median`,
// its median CLV too.
GroupStats slice_stats(const MemberFrame& f, const Slice& slice, bool median);

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
