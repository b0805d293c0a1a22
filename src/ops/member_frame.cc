#include "ops/member_frame.h"

#include <fmt/format.h>

#include <algorithm>
#include <numeric>
#include <thread>
#include <type_traits>

#include "core/app_error.h"
#include "core/member_catalogue.h"

namespace aa::ops {

namespace {

constexpr std::int64_t kNull = std::numeric_limits<std::int64_t>::min();
// Contributions are read this many features per query, to bound the memory a load needs.
constexpr std::size_t kFeaturesPerQuery = 8;

struct CategoryColumn {
  Category MemberFrame::*member;
  const char* column;
  const char* type;
};

constexpr CategoryColumn kCategories[] = {
    {&MemberFrame::province, "province", "province_t"},
    {&MemberFrame::rfm_segment, "rfm_segment", "segment_t"},
    {&MemberFrame::gender, "gender", "gender_t"},
    {&MemberFrame::loyalty_card, "loyalty_card", "card_t"},
    {&MemberFrame::enrollment_type, "enrollment_type", "enrollment_type_t"},
    {&MemberFrame::risk_tier, "risk_tier", "risk_tier_t"},
    {&MemberFrame::scored_at, "scored_at", "scored_at_t"}};

bool named_category(const std::string& name) {
  for (const auto& c : kCategories) {
    if (name == c.column) {
      return true;
    }
  }
  return false;
}

std::vector<std::string> enum_names(duck::Connection& connection, const char* type) {
  auto result = connection.query(fmt::format("select unnest(enum_range(null::{}))::varchar", type));
  std::vector<std::string> names;
  for (std::size_t r = 0; r < result.row_count(); ++r) {
    names.push_back(result.text(0, r).value_or(""));
  }
  if (names.size() > static_cast<std::size_t>(std::numeric_limits<std::int8_t>::max())) {
    core::fail(core::ErrorKind::InvalidInput,
               "{} has {} distinct values; at most 127 are supported", type, names.size());
  }
  return names;
}

// The columns of one query over `members`, each selected under its own name and taken back by
// that name: a column added to the list anywhere cannot shift another.
template <typename Value>
class NamedColumns {
 public:
  NamedColumns(duck::Connection& connection,
               const std::vector<std::pair<std::string, std::string>>& columns) {
    std::string sql = "select ";
    for (std::size_t i = 0; i < columns.size(); ++i) {
      sql += (i ? ", " : "") + columns[i].second + " as " + duck::quote_ident(columns[i].first);
    }
    auto result = connection.query(sql + " from members");
    for (std::size_t c = 0; c < result.column_count(); ++c) {
      names_.push_back(result.column_name(c));
    }
    if constexpr (std::is_same_v<Value, double>) {
      values_ = result.double_columns();
    } else {
      values_ = result.int64_columns(kNull);
    }
  }
  std::size_t rows() const { return values_.empty() ? 0 : values_.front().size(); }
  // The column named `name`, moved out.
  std::vector<Value> take(const std::string& name) {
    const auto it = std::find(names_.begin(), names_.end(), name);
    if (it == names_.end()) {
      throw std::logic_error("the members query has no column " + name);
    }
    return std::move(values_[static_cast<std::size_t>(it - names_.begin())]);
  }

 private:
  std::vector<std::string> names_;
  std::vector<std::vector<Value>> values_;
};

// The numeric filter attributes MemberFrame holds as named members (clv, tenure_months); the
// catalogue's others go to more_numbers.
bool named_number(const std::string& name) { return name == "clv" || name == "tenure_months"; }

std::int32_t month_or_none(std::int64_t v) {
  return v == kNull ? MemberFrame::kNoMonth : static_cast<std::int32_t>(v);
}

// Which groups of a categorical filter pass (empty when the filter is not set).
std::vector<std::uint8_t> allowed_groups(const Category& category,
                                         const std::vector<std::string>& names) {
  std::vector<std::uint8_t> allowed;
  if (names.empty()) {
    return allowed;
  }
  allowed.assign(category.group_count(), 0);
  for (const auto& name : names) {
    if (const auto code = category.code_of(name)) {
      allowed[static_cast<std::size_t>(*code + 1)] = 1;
    }
  }
  return allowed;
}

// The sums over rows[first, last) of a slice's sorted rows.
ContributionSums sum_contributions(const MemberFrame& f, const std::vector<std::uint32_t>& rows,
                                   std::size_t first, std::size_t last) {
  const std::size_t nf = f.features.size();
  ContributionSums out{std::vector<double>(nf, 0), std::vector<double>(nf, 0), 0};
  // Rows are summed in float, vectorised, and folded into the double sums every 256 rows.
  std::vector<float> partial(nf, 0), partial_abs(nf, 0);
  int pending = 0;
  const auto fold = [&] {
    for (std::size_t i = 0; i < nf; ++i) {
      out.sum[i] += partial[i];
      out.abs_sum[i] += partial_abs[i];
      partial[i] = 0;
      partial_abs[i] = 0;
    }
    pending = 0;
  };
  const auto add_row = [&](std::uint32_t r) {
    if (std::isnan(f.churn_probability[r])) {
      return;
    }
    ++out.scored;
    const float* __restrict c = f.contributions.data() + static_cast<std::size_t>(r) * nf;
    float* __restrict p = partial.data();
    float* __restrict a = partial_abs.data();
    for (std::size_t i = 0; i < nf; ++i) {
      const float v = c[i] == c[i] ? c[i] : 0.0F;  // NaN (no contribution) as 0
      p[i] += v;
      a[i] += std::fabs(v);
    }
    if (++pending == 256) {
      fold();
    }
  };
  constexpr std::size_t kAhead = 16;
  for (std::size_t k = first; k < last;) {
    const std::size_t block = rows[k] / MemberFrame::kBlock;
    std::size_t end = k;
    while (end < last && rows[end] / MemberFrame::kBlock == block) {
      ++end;
    }
    if (end - k == std::min(MemberFrame::kBlock, f.size() - block * MemberFrame::kBlock)) {
      out.scored += f.block_scored[block];
      for (std::size_t i = 0; i < nf; ++i) {
        out.sum[i] += f.block_sum[block * nf + i];
        out.abs_sum[i] += f.block_abs_sum[block * nf + i];
      }
    } else {
      for (std::size_t j = k; j < end; ++j) {
        // The slice's rows are scattered: fetch a few rows ahead, or each waits on memory.
        if (j + kAhead < last) {
          const char* ahead = reinterpret_cast<const char*>(
              f.contributions.data() + static_cast<std::size_t>(rows[j + kAhead]) * nf);
          for (std::size_t byte = 0; byte < nf * sizeof(float); byte += 64) {
            __builtin_prefetch(ahead + byte);
          }
          __builtin_prefetch(&f.churn_probability[rows[j + kAhead]]);
        }
        add_row(rows[j]);
      }
    }
    k = end;
  }
  fold();
  return out;
}

}  // namespace

std::optional<std::int8_t> Category::code_of(const std::string& name) const {
  const auto it = std::find(names.begin(), names.end(), name);
  if (it == names.end()) {
    return std::nullopt;
  }
  return static_cast<std::int8_t>(it - names.begin());
}

nlohmann::json Category::json(std::uint32_t row) const { return group_name(group_of(row)); }

nlohmann::json Category::group_name(std::size_t group) const {
  return group == 0 ? nlohmann::json(nullptr) : nlohmann::json(names[group - 1]);
}

std::unique_ptr<MemberFrame> MemberFrame::load(duck::Connection& connection,
                                               const std::vector<std::string>& features) {
  auto frame = std::make_unique<MemberFrame>();
  MemberFrame& f = *frame;
  f.features = features;

  auto reasons = connection.query(
      "select distinct feature from (select unnest([reason_feature_1, reason_feature_2, "
      "reason_feature_3]) as feature from members) where feature is not null order by 1");
  for (std::size_t r = 0; r < reasons.row_count(); ++r) {
    f.reason_features.push_back(reasons.text(0, r).value_or(""));
  }
  if (f.reason_features.size() >
      static_cast<std::size_t>(std::numeric_limits<std::int16_t>::max())) {
    core::fail(core::ErrorKind::InvalidInput,
               "{} distinct reason features; at most 32767 are supported",
               f.reason_features.size());
  }
  std::string feature_list = "[";
  for (const auto& feature : f.reason_features) {
    feature_list += (feature_list.size() > 1 ? ", " : "") + duck::quote_literal(feature);
  }
  feature_list += "]::varchar[]";
  // Integer columns, by name (an ENUM column as its code).
  std::vector<std::pair<std::string, std::string>> int_columns = {
      {"loyalty_number", "loyalty_number"}};
  for (const auto& c : kCategories) {
    int_columns.emplace_back(c.column, fmt::format("cast(enum_code({}) as bigint)", c.column));
    f.*(c.member) = Category{{}, enum_names(connection, c.type)};
  }
  // The catalogue's other categorical filters, coded by their distinct values in order.
  std::vector<std::string> more_categories, more_numbers;
  for (const core::MemberAttribute* a : core::filterable_attributes()) {
    if (a->type == core::AttributeType::Category && !named_category(a->name)) {
      more_categories.push_back(a->name);
    } else if (a->type != core::AttributeType::Category && !named_number(a->name)) {
      more_numbers.push_back(a->name);
    }
  }
  for (const auto& name : more_categories) {
    const std::string text = duck::quote_ident(name) + "::varchar";
    auto distinct = connection.query("select distinct " + text + " from members where " + text +
                                     " is not null order by 1");
    Category category;
    std::string list = "[";
    for (std::size_t r = 0; r < distinct.row_count(); ++r) {
      category.names.push_back(distinct.text(0, r).value_or(""));
      list += (r ? ", " : "") + duck::quote_literal(category.names.back());
    }
    if (category.names.size() > static_cast<std::size_t>(std::numeric_limits<std::int8_t>::max())) {
      core::fail(core::ErrorKind::InvalidInput,
                 "{} has {} distinct values; at most 127 are supported", name,
                 category.names.size());
    }
    f.more_categories[name] = std::move(category);
    int_columns.emplace_back(
        name, fmt::format("cast(list_position({}]::varchar[], {}) as bigint) - 1", list, text));
  }
  for (const auto& [name, expr] : std::vector<std::pair<std::string, std::string>>{
           {"clv_cents", "clv_cents"},
           {"is_cancelled", "cast(is_cancelled as bigint)"},
           {"enrollment_year", "cast(enrollment_year as bigint)"},
           {"enrollment_month_index", "cast(enrollment_month_index as bigint)"},
           {"cancellation_month_index", "cast(cancellation_month_index as bigint)"},
           {"flight_mask", "flight_mask"},
           {"recency", "cast(recency as bigint)"},
           {"frequency", "cast(frequency as bigint)"},
           {"monetary", "cast(monetary as bigint)"},
           {"tenure_months", "cast(tenure_months as bigint)"}}) {
    int_columns.emplace_back(name, expr);
  }
  for (int k = 1; k <= 3; ++k) {
    int_columns.emplace_back(
        fmt::format("reason_feature_{}", k),
        fmt::format("cast(list_position({}, reason_feature_{}) as bigint)", feature_list, k));
  }
  // The table was written in loyalty_number order, and DuckDB returns a plain scan in insertion
  // order (preserve_insertion_order), so every query below reads the rows in the same order
  // without sorting them again; the order and the counts are checked.
  NamedColumns<std::int64_t> ints(connection, int_columns);
  const std::size_t n = ints.rows();
  f.loyalty_number = ints.take("loyalty_number");
  if (!std::is_sorted(f.loyalty_number.begin(), f.loyalty_number.end())) {
    throw std::logic_error("members are not in loyalty_number order");
  }
  const auto check_count = [n](std::size_t rows) {
    if (rows != n) {
      throw std::logic_error("members changed while the frame loaded");
    }
  };
  const auto read_codes = [&](Category& category, const std::string& column) {
    const std::vector<std::int64_t> values = ints.take(column);
    category.codes.resize(n);
    for (std::size_t r = 0; r < n; ++r) {
      category.codes[r] =
          values[r] == kNull || values[r] < 0 ? Category::kNull : static_cast<std::int8_t>(values[r]);
    }
  };
  for (const auto& c : kCategories) {
    read_codes(f.*(c.member), c.column);
  }
  for (const auto& name : more_categories) {
    read_codes(f.more_categories[name], name);
  }
  f.clv_cents = ints.take("clv_cents");
  {
    const std::vector<std::int64_t> cancelled = ints.take("is_cancelled");
    f.cancelled.resize(n);
    for (std::size_t r = 0; r < n; ++r) {
      f.cancelled[r] = cancelled[r] == 1 ? 1 : 0;
    }
  }
  for (const auto& [months, name] : {std::pair{&f.enrollment_year, "enrollment_year"},
                                     std::pair{&f.enrollment_month_index, "enrollment_month_index"},
                                     std::pair{&f.cancellation_month_index,
                                               "cancellation_month_index"}}) {
    const std::vector<std::int64_t> values = ints.take(name);
    months->resize(n);
    std::transform(values.begin(), values.end(), months->begin(), month_or_none);
  }
  {
    const std::vector<std::int64_t> mask = ints.take("flight_mask");
    f.flight_mask.resize(n);
    std::transform(mask.begin(), mask.end(), f.flight_mask.begin(),
                   [](std::int64_t v) { return v == kNull ? 0 : static_cast<std::uint64_t>(v); });
  }
  const std::pair<std::vector<std::int32_t>*, const char*> narrow[] = {
      {&f.recency, "recency"},
      {&f.frequency, "frequency"},
      {&f.monetary, "monetary"},
      {&f.tenure_months, "tenure_months"}};
  for (const auto& [column, name] : narrow) {
    const std::vector<std::int64_t> values = ints.take(name);
    column->resize(n);
    for (std::size_t r = 0; r < n; ++r) {
      const std::int64_t v = values[r];
      if (v != kNull && (v <= kNullInt || v > std::numeric_limits<std::int32_t>::max())) {
        core::fail(core::ErrorKind::InvalidInput, "member {} has {} {}, beyond the supported range",
                   f.loyalty_number[r], name, v);
      }
      (*column)[r] = v == kNull ? kNullInt : static_cast<std::int32_t>(v);
    }
  }
  for (std::size_t k = 0; k < f.reason_feature.size(); ++k) {
    const std::vector<std::int64_t> values = ints.take(fmt::format("reason_feature_{}", k + 1));
    auto& reason = f.reason_feature[k];
    reason.resize(n);
    // list_position is 1-based; 0 or NULL when the reason is missing.
    std::transform(values.begin(), values.end(), reason.begin(), [](std::int64_t v) {
      return v == kNull || v <= 0 ? kNoFeature : static_cast<std::int16_t>(v - 1);
    });
  }

  std::vector<std::pair<std::string, std::string>> double_columns = {
      {"clv", "cast(clv as double)"},
      {"churn_probability", "cast(churn_probability as double)"},
      {"churn_score", "cast(churn_score as double)"}};
  for (const auto& name : more_numbers) {
    double_columns.emplace_back(name, "cast(" + duck::quote_ident(name) + " as double)");
  }
  NamedColumns<double> doubles(connection, double_columns);
  check_count(doubles.rows());
  f.clv = doubles.take("clv");
  f.churn_probability = doubles.take("churn_probability");
  f.churn_score = doubles.take("churn_score");
  for (const auto& name : more_numbers) {
    f.more_numbers[name] = doubles.take(name);
  }

  const std::size_t nf = features.size();
  f.contributions.resize(nf * n);
  for (std::size_t first = 0; first < features.size(); first += kFeaturesPerQuery) {
    const std::size_t last = std::min(features.size(), first + kFeaturesPerQuery);
    std::string sql = "select ";
    for (std::size_t i = first; i < last; ++i) {
      sql += fmt::format("{}cast({} as double)", i > first ? ", " : "",
                         duck::quote_ident("contribution_" + features[i]));
    }
    auto values = connection.query(sql + " from members").double_columns();
    check_count(values.at(0).size());
    for (std::size_t r = 0; r < n; ++r) {  // row by row: the writes stay together
      for (std::size_t i = first; i < last; ++i) {
        f.contributions[r * nf + i] = static_cast<float>(values[i - first][r]);
      }
    }
  }
  const std::size_t blocks = (n + kBlock - 1) / kBlock;
  f.block_sum.assign(blocks * nf, 0);
  f.block_abs_sum.assign(blocks * nf, 0);
  f.block_scored.assign(blocks, 0);
  for (std::size_t r = 0; r < n; ++r) {
    if (std::isnan(f.churn_probability[r])) {
      continue;
    }
    const std::size_t b = r / kBlock;
    ++f.block_scored[b];
    for (std::size_t i = 0; i < nf; ++i) {
      const float v = f.contributions[r * nf + i];
      if (!std::isnan(v)) {
        f.block_sum[b * nf + i] += v;
        f.block_abs_sum[b * nf + i] += std::fabs(v);
      }
    }
  }

  f.reason_ends_.reserve(3 * n);
  connection.query("select reason_1, reason_2, reason_3 from members")
      .text_columns(f.reason_chars_, f.reason_ends_);
  check_count(f.reason_ends_.size() / 3);

  for (std::uint32_t r = 0; r < n; ++r) {
    if (!std::isnan(f.clv[r])) {
      f.by_clv.push_back(r);
    }
    if (!std::isnan(f.churn_score[r])) {
      f.by_churn_score.push_back(r);
    }
  }
  // Ties by loyalty number descending, so that read backwards the order is the highest CLV
  // first, ties by loyalty number (cents round monotonically, so they never disagree with clv).
  std::sort(f.by_clv.begin(), f.by_clv.end(), [&](std::uint32_t a, std::uint32_t b) {
    if (f.clv_cents[a] != f.clv_cents[b]) {
      return f.clv_cents[a] < f.clv_cents[b];
    }
    return f.clv[a] != f.clv[b] ? f.clv[a] < f.clv[b] : a > b;
  });
  std::sort(
      f.by_churn_score.begin(), f.by_churn_score.end(), [&](std::uint32_t a, std::uint32_t b) {
        return f.churn_score[a] != f.churn_score[b] ? f.churn_score[a] < f.churn_score[b]
                                                    : f.loyalty_number[a] > f.loyalty_number[b];
      });

  for (const std::uint32_t r : f.by_clv) {
    f.sorted_clv_cents.push_back(f.clv_cents[r]);
  }
  for (const std::uint32_t r : f.by_churn_score) {
    f.sorted_churn_score.push_back(f.churn_score[r]);
  }

  auto rows = std::make_shared<std::vector<std::uint32_t>>(n);
  std::iota(rows->begin(), rows->end(), 0U);
  f.all_rows_ = std::move(rows);
  f.all_mask_ = std::make_shared<const std::vector<std::uint8_t>>(n, 1);
  return frame;
}

std::optional<std::uint32_t> MemberFrame::row_of(std::int64_t loyalty) const {
  const auto it = std::lower_bound(loyalty_number.begin(), loyalty_number.end(), loyalty);
  if (it == loyalty_number.end() || *it != loyalty) {
    return std::nullopt;
  }
  return static_cast<std::uint32_t>(it - loyalty_number.begin());
}

nlohmann::json MemberFrame::reason(std::uint32_t row, std::size_t k) const {
  const std::size_t i = static_cast<std::size_t>(row) * 3 + k;
  const std::uint64_t begin = i == 0 ? 0 : reason_ends_[i - 1];
  const std::uint64_t end = reason_ends_[i];
  if (end == begin) {
    return nullptr;
  }
  return reason_chars_.substr(begin, end - begin);
}

const Category* MemberFrame::category(const std::string& name) const {
  for (const auto& c : kCategories) {
    if (name == c.column) {
      return &(this->*(c.member));
    }
  }
  const auto it = more_categories.find(name);
  return it == more_categories.end() ? nullptr : &it->second;
}

// The filters as a test of one row: each categorical filter as the groups that pass, each
// range as bounds on its column.
class MemberFrame::Predicate {
 public:
  Predicate(const MemberFrame& f, const Filters& filters) {
    for (const auto& [name, values] : filters.values) {
      if (values.empty()) {
        continue;
      }
      const Category* category = f.category(name);
      if (!category) {
        throw std::logic_error("the member frame has no categorical column " + name);
      }
      categories_.push_back({category, allowed_groups(*category, values)});
    }
    const auto range = [&](const std::string& name) -> Range& {
      for (auto& r : ranges_) {
        if (r.name == name) {
          return r;
        }
      }
      Range r;
      r.name = name;
      if (name == "clv") {
        r.doubles = f.clv.data();
      } else if (name == "tenure_months") {
        r.ints = f.tenure_months.data();
      } else if (const auto it = f.more_numbers.find(name); it != f.more_numbers.end()) {
        r.doubles = it->second.data();
      } else {
        throw std::logic_error("the member frame has no numeric column " + name);
      }
      ranges_.push_back(r);
      return ranges_.back();
    };
    for (const auto& [name, v] : filters.at_least) {
      range(name).low = v;
    }
    for (const auto& [name, v] : filters.at_most) {
      range(name).high = v;
    }
  }

  // NaN fails every comparison, as NULL does in SQL; so does kNullInt.
  bool operator()(std::uint32_t r) const {
    for (const auto& c : categories_) {
      if (c.ok[c.category->group_of(r)] == 0) {
        return false;
      }
    }
    for (const auto& range : ranges_) {
      if (range.ints) {
        const std::int32_t v = range.ints[r];
        if (v == kNullInt || v < range.low || v > range.high) {
          return false;
        }
      } else if (!(range.doubles[r] >= range.low && range.doubles[r] <= range.high)) {
        return false;
      }
    }
    return true;
  }

 private:
  struct CategoryTest {
    const Category* category;
    std::vector<std::uint8_t> ok;
  };
  struct Range {
    std::string name;
    const double* doubles = nullptr;
    const std::int32_t* ints = nullptr;
    double low = -std::numeric_limits<double>::infinity();
    double high = std::numeric_limits<double>::infinity();
  };
  std::vector<CategoryTest> categories_;
  std::vector<Range> ranges_;
};

Slice MemberFrame::select(const Filters& filters) const {
  if (filters.empty()) {
    return {all_mask_, all_rows_};
  }
  const std::string key = filters.to_json().dump();
  {
    const std::lock_guard<std::mutex> lock(slice_cache_->mutex);
    auto& entries = slice_cache_->entries;
    for (auto it = entries.begin(); it != entries.end(); ++it) {
      if (it->first == key) {
        entries.splice(entries.begin(), entries, it);
        return entries.front().second;
      }
    }
  }
  const Predicate in(*this, filters);
  const std::size_t n = size();
  auto mask = std::make_shared<std::vector<std::uint8_t>>(n, 0);
  auto rows = std::make_shared<std::vector<std::uint32_t>>();
  for (std::uint32_t r = 0; r < n; ++r) {
    if (in(r)) {
      (*mask)[r] = 1;
      rows->push_back(r);
    }
  }
  Slice slice(std::move(mask), std::move(rows));
  const std::lock_guard<std::mutex> lock(slice_cache_->mutex);
  auto& entries = slice_cache_->entries;
  entries.emplace_front(key, slice);
  if (entries.size() > SliceCache::kCapacity) {
    entries.pop_back();
  }
  return slice;
}

bool MemberFrame::matches(const Filters& filters, std::uint32_t row) const {
  return Predicate(*this, filters)(row);
}

ContributionSums contribution_sums(const MemberFrame& f, const Slice& slice,
                                   std::size_t parallel_from) {
  const std::size_t nf = f.features.size();
  const auto& rows = slice.rows();
  // A large scattered slice is summed by two threads, one half each: the work waits on
  // memory. (A block split between the halves is summed row by row, as partial blocks are.)
  const std::size_t middle =
      !slice.is_all() && rows.size() >= parallel_from ? rows.size() / 2 : rows.size();
  ContributionSums second;
  std::thread helper;
  if (middle < rows.size()) {
    helper = std::thread([&] { second = sum_contributions(f, rows, middle, rows.size()); });
  }
  ContributionSums total = sum_contributions(f, rows, 0, middle);
  if (helper.joinable()) {
    helper.join();
    for (std::size_t i = 0; i < nf; ++i) {
      total.sum[i] += second.sum[i];
      total.abs_sum[i] += second.abs_sum[i];
    }
    total.scored += second.scored;
  }
  return total;
}

}  // namespace aa::ops
