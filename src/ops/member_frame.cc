#include "ops/member_frame.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <functional>
#include <numeric>
#include <thread>
#include <type_traits>

#include "core/app_error.h"
#include "core/member_catalogue.h"

namespace aa::ops {

namespace {

constexpr std::int64_t kNull = std::numeric_limits<std::int64_t>::min();

struct CategoryColumn {
  Category MemberFrame::*member;
  const char* column;  // an ENUM column of ops_members
};

constexpr CategoryColumn kCategories[] = {{&MemberFrame::province, "province"},
                                          {&MemberFrame::rfm_segment, "rfm_segment"},
                                          {&MemberFrame::gender, "gender"},
                                          {&MemberFrame::loyalty_card, "loyalty_card"},
                                          {&MemberFrame::enrollment_type, "enrollment_type"},
                                          {&MemberFrame::risk_tier, "risk_tier"},
                                          {&MemberFrame::scored_at, "scored_at"}};

std::array<const Category*, kSummaryColumns> summary_columns(const MemberFrame& f) {
  return {&f.province, &f.rfm_segment, &f.loyalty_card, &f.gender};
}

bool named_category(const std::string& name) {
  for (const auto& c : kCategories) {
    if (name == c.column) {
      return true;
    }
  }
  return false;
}

// One column of the frame's scan: the expression selected, and what writes a chunk of its
// values (the vector, the row of its first value, the number of values) into the frame.
struct Column {
  std::string expression;
  std::function<void(duckdb_vector, std::size_t, std::size_t)> write;
};

// VARCHAR expressions, row by row: each row's values appended to `chars` one after another
// (NULL as an empty value), the end of each in `ends`.
struct TextColumns {
  std::vector<std::string> expressions;
  std::string* chars = nullptr;
  std::vector<std::uint32_t>* ends = nullptr;
};

bool valid_at(const std::uint64_t* validity, std::size_t i) {
  return validity == nullptr ||
         duckdb_validity_row_is_valid(const_cast<std::uint64_t*>(validity), i);
}

// An expression of DuckDB's type for T (BIGINT, DOUBLE or FLOAT); put(row, value), with
// `null` for NULL.
template <typename T, typename Put>
Column typed_column(std::string expression, T null, Put put) {
  return {std::move(expression),
          [null, put](duckdb_vector vector, std::size_t first, std::size_t count) {
            const auto* data = static_cast<const T*>(duckdb_vector_get_data(vector));
            const std::uint64_t* validity = duckdb_vector_get_validity(vector);
            for (std::size_t i = 0; i < count; ++i) {
              put(first + i, valid_at(validity, i) ? data[i] : null);
            }
          }};
}

// A BIGINT expression, kNull for NULL.
template <typename Put>
Column bigint_column(std::string expression, Put put) {
  return typed_column<std::int64_t>(std::move(expression), kNull, put);
}

// A DOUBLE (or, with T = float, FLOAT) expression, NaN for NULL.
template <typename T = double, typename Put>
Column real_column(std::string expression, Put put) {
  return typed_column<T>(std::move(expression), std::numeric_limits<T>::quiet_NaN(), put);
}

// An ENUM column of the table, as its codes; the names are read from the column's type.
Column enum_column(const char* column, Category& category) {
  return {column, [&category](duckdb_vector vector, std::size_t first, std::size_t count) {
            // Fewer than 128 names (checked), so DuckDB stores the codes as UTINYINT.
            const auto* data = static_cast<const std::uint8_t*>(duckdb_vector_get_data(vector));
            const std::uint64_t* validity = duckdb_vector_get_validity(vector);
            for (std::size_t i = 0; i < count; ++i) {
              category.codes[first + i] =
                  valid_at(validity, i) ? static_cast<std::int8_t>(data[i]) : Category::kNull;
            }
          }};
}

// Scans `columns` and `text` of `table` in one streamed query, in the table's order (DuckDB
// returns a plain scan in insertion order, preserve_insertion_order), checking that it has `n`
// rows. `enums[i]` is the category the ENUM column at index i fills: its names come from the
// column's type.
void read_columns(duck::Connection& connection, const std::string& table,
                  const std::vector<Column>& columns, const TextColumns& text, std::size_t n,
                  const std::map<std::size_t, Category*>& enums) {
  std::string sql = "select ";
  for (std::size_t c = 0; c < columns.size(); ++c) {
    sql += (c ? ", " : "") + columns[c].expression;
  }
  for (const auto& e : text.expressions) {
    sql += ", " + e;
  }
  auto result = connection.prepare(sql + " from " + table).stream();
  for (const auto& [index, category] : enums) {
    category->names = result.enum_names(index);
    if (category->names.size() >
        static_cast<std::size_t>(std::numeric_limits<std::int8_t>::max())) {
      core::fail(core::ErrorKind::InvalidInput,
                 "{} has {} distinct values; at most 127 are supported", columns[index].expression,
                 category->names.size());
    }
  }
  std::size_t row = 0;
  std::vector<duckdb_string_t*> data(text.expressions.size());
  std::vector<const std::uint64_t*> validity(text.expressions.size());
  result.each_chunk([&](duckdb_data_chunk chunk) {
    const std::size_t count = duckdb_data_chunk_get_size(chunk);
    if (row + count > n) {
      throw std::logic_error("members changed while the frame loaded");
    }
    for (std::size_t c = 0; c < columns.size(); ++c) {
      columns[c].write(duckdb_data_chunk_get_vector(chunk, c), row, count);
    }
    for (std::size_t t = 0; t < data.size(); ++t) {
      duckdb_vector vector = duckdb_data_chunk_get_vector(chunk, columns.size() + t);
      data[t] = static_cast<duckdb_string_t*>(duckdb_vector_get_data(vector));
      validity[t] = duckdb_vector_get_validity(vector);
    }
    for (std::size_t i = 0; i < count; ++i) {
      for (std::size_t t = 0; t < data.size(); ++t) {
        if (valid_at(validity[t], i)) {
          text.chars->append(duckdb_string_t_data(&data[t][i]), duckdb_string_t_length(data[t][i]));
        }
        text.ends->push_back(static_cast<std::uint32_t>(text.chars->size()));
      }
    }
    if (text.chars->size() > std::numeric_limits<std::uint32_t>::max()) {
      core::fail(core::ErrorKind::InvalidInput,
                 "the members' reasons take more than 4 GiB of text; at most 4 GiB are supported");
    }
    row += count;
  });
  if (row != n) {
    throw std::logic_error("members changed while the frame loaded");
  }
}

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
ContributionSums sum_contributions(const MemberFrame& f, const RowList& rows, std::size_t first,
                                   std::size_t last) {
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
    const float* __restrict c = f.contributions_of(r);
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
          if (const float* next = f.contributions_of(rows[j + kAhead])) {
            const char* ahead = reinterpret_cast<const char*>(next);
            for (std::size_t byte = 0; byte < nf * sizeof(float); byte += 64) {
              __builtin_prefetch(ahead + byte);
            }
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
                                               const std::string& table,
                                               const std::vector<std::string>& features) {
  auto frame = std::make_unique<MemberFrame>();
  MemberFrame& f = *frame;
  f.features = features;
  // Its members, those scored (who have contributions), and the bytes of their reasons' text.
  auto sizes = connection.query(
      "select count(*), count(churn_probability), coalesce(sum(strlen(reason_1)), 0) + "
      "coalesce(sum(strlen(reason_2)), 0) + coalesce(sum(strlen(reason_3)), 0) from " +
      table);
  const auto n = static_cast<std::size_t>(sizes.int64(0, 0));
  const auto scored = static_cast<std::size_t>(sizes.int64(1, 0));
  const auto reason_bytes = static_cast<std::size_t>(sizes.int64(2, 0));
  if (n > std::numeric_limits<std::uint32_t>::max()) {
    core::fail(core::ErrorKind::InvalidInput, "{} members; at most {} are supported", n,
               std::numeric_limits<std::uint32_t>::max());
  }

  auto reasons = connection.query(
      "select distinct feature from (select unnest([reason_feature_1, reason_feature_2, "
      "reason_feature_3]) as feature from " +
      table + ") where feature is not null order by 1");
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
  // The catalogue's other categorical filters, coded by their distinct values in order.
  std::vector<std::string> more_categories, more_numbers;
  for (const core::MemberAttribute* a : core::filterable_attributes()) {
    if (a->type == core::AttributeType::Category && !named_category(a->name)) {
      more_categories.push_back(a->name);
    } else if (a->type != core::AttributeType::Category && !named_number(a->name)) {
      more_numbers.push_back(a->name);
    }
  }
  std::map<std::string, std::string> more_category_lists;
  for (const auto& name : more_categories) {
    const std::string text = duck::quote_ident(name) + "::varchar";
    auto distinct = connection.query("select distinct " + text + " from " + table + " where " +
                                     text + " is not null order by 1");
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
    more_category_lists[name] = list + "]::varchar[]";
  }

  // Every column in one streamed scan, each chunk written straight into the frame's narrow
  // columns: no column is held wider, and no copy of the table is materialised.
  std::vector<Column> columns;
  const auto resize_all = [n](auto&... vectors) { (vectors.resize(n), ...); };
  resize_all(f.loyalty_number, f.clv_cents, f.cancelled, f.enrollment_year,
             f.enrollment_month_index, f.cancellation_month_index, f.flight_mask, f.recency,
             f.frequency, f.monetary, f.tenure_months, f.clv, f.churn_probability, f.churn_score,
             f.reason_feature[0], f.reason_feature[1], f.reason_feature[2]);
  columns.push_back(bigint_column(
      "loyalty_number", [&f](std::size_t r, std::int64_t v) { f.loyalty_number[r] = v; }));
  std::map<std::size_t, Category*> enums;  // the named categories' ENUM columns
  for (const auto& c : kCategories) {
    Category& category = f.*(c.member);
    category.codes.resize(n);
    enums[columns.size()] = &category;
    columns.push_back(enum_column(c.column, category));
  }
  for (const auto& name : more_categories) {
    Category& category = f.more_categories[name];
    category.codes.resize(n);
    columns.push_back(bigint_column(
        fmt::format("cast(list_position({}, {}::varchar) as bigint) - 1", more_category_lists[name],
                    duck::quote_ident(name)),
        [&category](std::size_t r, std::int64_t v) {
          category.codes[r] = v == kNull || v < 0 ? Category::kNull : static_cast<std::int8_t>(v);
        }));
  }
  columns.push_back(
      bigint_column("clv_cents", [&f](std::size_t r, std::int64_t v) { f.clv_cents[r] = v; }));
  columns.push_back(
      bigint_column("cast(is_cancelled as bigint)",
                    [&f](std::size_t r, std::int64_t v) { f.cancelled[r] = v == 1 ? 1 : 0; }));
  for (const auto& [months, name] : {std::pair{&f.enrollment_year, "enrollment_year"},
                                     std::pair{&f.enrollment_month_index, "enrollment_month_index"},
                                     std::pair{&f.cancellation_month_index,
                                               "cancellation_month_index"}}) {
    columns.push_back(bigint_column(
        fmt::format("cast({} as bigint)", name),
        [months = months](std::size_t r, std::int64_t v) { (*months)[r] = month_or_none(v); }));
  }
  columns.push_back(bigint_column("flight_mask", [&f](std::size_t r, std::int64_t v) {
    f.flight_mask[r] = v == kNull ? 0 : static_cast<std::uint64_t>(v);
  }));
  for (const auto& [column, name] :
       {std::pair{&f.recency, "recency"}, std::pair{&f.frequency, "frequency"},
        std::pair{&f.monetary, "monetary"}, std::pair{&f.tenure_months, "tenure_months"}}) {
    columns.push_back(bigint_column(
        fmt::format("cast({} as bigint)", name),
        [&f, column = column, name = name](std::size_t r, std::int64_t v) {
          if (v != kNull && (v <= kNullInt || v > std::numeric_limits<std::int32_t>::max())) {
            core::fail(core::ErrorKind::InvalidInput,
                       "member {} has {} {}, beyond the supported range", f.loyalty_number[r], name,
                       v);
          }
          (*column)[r] = v == kNull ? kNullInt : static_cast<std::int32_t>(v);
        }));
  }
  for (std::size_t k = 0; k < f.reason_feature.size(); ++k) {
    // list_position is 1-based; 0 or NULL when the reason is missing.
    columns.push_back(bigint_column(
        fmt::format("cast(list_position({}, reason_feature_{}) as bigint)", feature_list, k + 1),
        [&reason = f.reason_feature[k]](std::size_t r, std::int64_t v) {
          reason[r] = v == kNull || v <= 0 ? kNoFeature : static_cast<std::int16_t>(v - 1);
        }));
  }
  // A scored member's contributions get the next slot, in row order (churn_probability is
  // written before the contributions of each chunk).
  f.contribution_slot.assign(n, kNoSlot);
  std::uint32_t next_slot = 0;
  columns.push_back(real_column(
      "cast(churn_probability as double)", [&f, &next_slot, scored](std::size_t r, double v) {
        f.churn_probability[r] = v;
        if (!std::isnan(v)) {
          if (next_slot >= scored) {
            throw std::logic_error("members changed while the frame loaded");
          }
          f.contribution_slot[r] = next_slot++;
        }
      }));
  for (const auto& [column, name] :
       {std::pair{&f.clv, "clv"}, std::pair{&f.churn_score, "churn_score"}}) {
    columns.push_back(
        real_column(fmt::format("cast({} as double)", name),
                    [column = column](std::size_t r, double v) { (*column)[r] = v; }));
  }
  for (const auto& name : more_numbers) {
    auto& values = f.more_numbers[name];
    values.resize(n);
    columns.push_back(real_column("cast(" + duck::quote_ident(name) + " as double)",
                                  [&values](std::size_t r, double v) { values[r] = v; }));
  }
  const std::size_t nf = features.size();
  f.contributions.resize(nf * scored);
  for (std::size_t i = 0; i < nf; ++i) {
    columns.push_back(real_column<float>(
        fmt::format("cast({} as float)", duck::quote_ident("contribution_" + features[i])),
        [&f, i, nf](std::size_t r, float v) {
          if (f.contribution_slot[r] != kNoSlot) {
            f.contributions[static_cast<std::size_t>(f.contribution_slot[r]) * nf + i] = v;
          }
        }));
  }
  f.reason_ends_.reserve(3 * n);
  // The reasons' text, reserved whole: grown by doubling it would hold up to three times its
  // size for a moment (180 MB at 10M members).
  f.reason_chars_.reserve(reason_bytes);
  read_columns(connection, table, columns,
               {{"reason_1", "reason_2", "reason_3"}, &f.reason_chars_, &f.reason_ends_}, n, enums);
  if (!std::is_sorted(f.loyalty_number.begin(), f.loyalty_number.end())) {
    throw std::logic_error("members are not in loyalty_number order");
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
    const float* c = f.contributions_of(static_cast<std::uint32_t>(r));
    for (std::size_t i = 0; i < nf; ++i) {
      const float v = c[i];
      if (!std::isnan(v)) {
        f.block_sum[b * nf + i] += v;
        f.block_abs_sum[b * nf + i] += std::fabs(v);
      }
    }
  }

  f.by_clv.reserve(n);
  f.by_churn_score.reserve(n);
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
  // The two orders are sorted at once, one on each core.
  std::thread clv_sort([&f] {
    std::sort(f.by_clv.begin(), f.by_clv.end(), [&](std::uint32_t a, std::uint32_t b) {
      if (f.clv_cents[a] != f.clv_cents[b]) {
        return f.clv_cents[a] < f.clv_cents[b];
      }
      return f.clv[a] != f.clv[b] ? f.clv[a] < f.clv[b] : a > b;
    });
  });
  std::sort(
      f.by_churn_score.begin(), f.by_churn_score.end(), [&](std::uint32_t a, std::uint32_t b) {
        return f.churn_score[a] != f.churn_score[b] ? f.churn_score[a] < f.churn_score[b]
                                                    : f.loyalty_number[a] > f.loyalty_number[b];
      });
  clv_sort.join();

  f.by_clv.shrink_to_fit();
  f.by_churn_score.shrink_to_fit();
  f.sorted_clv_cents.reserve(f.by_clv.size());
  f.sorted_churn_score.reserve(f.by_churn_score.size());
  for (const std::uint32_t r : f.by_clv) {
    f.sorted_clv_cents.push_back(f.clv_cents[r]);
  }
  for (const std::uint32_t r : f.by_churn_score) {
    f.sorted_churn_score.push_back(f.churn_score[r]);
  }

  for (std::size_t r = 0; r < n; ++r) {
    const std::int32_t e = f.enrollment_month_index[r];
    if (e != kNoMonth) {
      f.enrollment_months.add(e);
      if (f.enrollment_year[r] != kNoMonth) {
        f.enrollment_years.add(f.enrollment_year[r]);
      }
    }
    if (f.cancellation_month_index[r] != kNoMonth) {
      f.cancellation_months.add(f.cancellation_month_index[r]);
    }
  }

  // The categorical codes in the CLV order, for the median walks.
  std::vector<Category*> all_categories;
  for (const auto& c : kCategories) {
    all_categories.push_back(&(f.*(c.member)));
  }
  for (auto& [name, category] : f.more_categories) {
    all_categories.push_back(&category);
  }
  for (Category* c : all_categories) {
    c->sorted_codes.reserve(f.by_clv.size());
    for (const std::uint32_t r : f.by_clv) {
      c->sorted_codes.push_back(c->codes[r]);
    }
  }

  auto rows = std::make_shared<RowList>(n);
  std::iota(rows->begin(), rows->end(), 0U);
  f.all_rows_ = std::move(rows);
  f.all_bits_ =
      std::make_shared<const std::vector<std::uint64_t>>((n + 63) / 64, ~std::uint64_t{0});

  // Every member's median CLV by each categorical column's groups, ahead of the first request.
  const Slice all = f.select(Filters{});
  for (const auto& c : kCategories) {
    f.slice_medians(all, f.*(c.member));
  }
  for (const auto& [name, category] : f.more_categories) {
    f.slice_medians(all, category);
  }
  summary_groups(f, all, f.gender);
  return frame;
}

const std::vector<double>& MemberFrame::slice_medians(const Slice& slice,
                                                      const Category& category) const {
  SliceMemo& memo = slice.memo();
  std::shared_ptr<SliceMemo::Medians> entry;
  {
    const std::lock_guard<std::mutex> lock(memo.mutex);
    auto& slot = memo.medians[&category];
    if (!slot) {
      slot = std::make_shared<SliceMemo::Medians>();
    }
    entry = slot;
  }
  std::call_once(entry->once, [&] {
    std::vector<double> medians;
    if (const auto column = ClvRanks::column_of(*this, category)) {
      // A summary column: from the slice's shared count.
      const ClvRanks& ranks = clv_ranks(slice);
      medians.assign(category.group_count(), std::numeric_limits<double>::quiet_NaN());
      for (std::size_t g = 0; g < medians.size(); ++g) {
        if (const std::int64_t members = ranks.total(*column, g); members > 0) {
          medians[g] = interpolated(0.5, members, [&](std::int64_t rank) {
            return static_cast<double>(
                sorted_clv_cents[ranks.find(*this, slice, *column, g, rank)]);
          });
        }
      }
    } else {
      medians = grouped_quantile(
          by_clv, slice, category.group_count(), 0.5,
          [&](std::size_t i) { return static_cast<std::size_t>(category.sorted_codes[i] + 1); },
          [&](std::size_t i) { return static_cast<double>(sorted_clv_cents[i]); });
    }
    for (double& m : medians) {
      m /= 100;
    }
    entry->values = std::move(medians);
  });
  return entry->values;
}

ClvRanks::ClvRanks(const MemberFrame& f, const Slice& slice, std::size_t chunk_length)
    : all_(slice.is_all()), chunk_(chunk_length == 0 ? kRankChunk : chunk_length) {
  const auto columns = summary_columns(f);
  for (std::size_t c = 0; c < kSummaryColumns; ++c) {
    offset_[c + 1] = offset_[c] + columns[c]->group_count();
  }
  const std::size_t slots = offset_[kSummaryColumns];
  const std::size_t n = f.by_clv.size();
  const std::size_t chunks = (n + chunk_ - 1) / chunk_;
  counts_.assign(chunks * slots, 0);
  std::array<const std::int8_t*, kSummaryColumns> codes{};
  for (std::size_t c = 0; c < kSummaryColumns; ++c) {
    codes[c] = columns[c]->sorted_codes.data();
  }
  const auto count = [&](std::size_t first, std::size_t last) {
    for (std::size_t chunk = first; chunk < last; ++chunk) {
      std::int64_t* k = counts_.data() + chunk * slots;
      const std::size_t end = std::min(n, (chunk + 1) * chunk_);
      for (std::size_t i = chunk * chunk_; i < end; ++i) {
        if (all_ || slice.contains(f.by_clv[i])) {
          for (std::size_t c = 0; c < kSummaryColumns; ++c) {
            ++k[offset_[c] + static_cast<std::size_t>(codes[c][i] + 1)];
          }
        }
      }
    }
  };
  if (n >= kParallelRows) {
    std::thread helper([&] { count(chunks / 2, chunks); });
    count(0, chunks / 2);
    helper.join();
  } else {
    count(0, chunks);
  }
  totals_.assign(slots, 0);
  for (std::size_t chunk = 0; chunk < chunks; ++chunk) {
    for (std::size_t slot = 0; slot < slots; ++slot) {
      totals_[slot] += counts_[chunk * slots + slot];
    }
  }
  // Every member is in one group of the last column (group 0: none).
  for (std::size_t slot = offset_[kSummaryColumns - 1]; slot < slots; ++slot) {
    total_ += totals_[slot];
  }
}

std::optional<std::size_t> ClvRanks::column_of(const MemberFrame& f, const Category& c) {
  const auto columns = summary_columns(f);
  for (std::size_t i = 0; i < columns.size(); ++i) {
    if (columns[i] == &c) {
      return i;
    }
  }
  return std::nullopt;
}

std::size_t ClvRanks::find(const MemberFrame& f, const Slice& slice, std::int64_t rank) const {
  if (all_) {
    return static_cast<std::size_t>(rank);
  }
  const std::size_t slots = offset_[kSummaryColumns];
  std::size_t chunk = 0;
  for (;; ++chunk) {
    std::int64_t in_chunk = 0;
    for (std::size_t slot = offset_[kSummaryColumns - 1]; slot < slots; ++slot) {
      in_chunk += counts_[chunk * slots + slot];
    }
    if (rank < in_chunk) {
      break;
    }
    rank -= in_chunk;
  }
  for (std::size_t i = chunk * chunk_;; ++i) {
    if (slice.contains(f.by_clv[i]) && rank-- == 0) {
      return i;
    }
  }
}

std::size_t ClvRanks::find(const MemberFrame& f, const Slice& slice, std::size_t column,
                           std::size_t g, std::int64_t rank) const {
  const std::size_t slots = offset_[kSummaryColumns];
  const std::size_t slot = offset_[column] + g;
  std::size_t chunk = 0;
  while (rank >= counts_[chunk * slots + slot]) {
    rank -= counts_[chunk * slots + slot];
    ++chunk;
  }
  const std::int8_t* codes = summary_columns(f)[column]->sorted_codes.data();
  for (std::size_t i = chunk * chunk_;; ++i) {
    if (static_cast<std::size_t>(codes[i] + 1) == g && (all_ || slice.contains(f.by_clv[i])) &&
        rank-- == 0) {
      return i;
    }
  }
}

const ClvRanks& MemberFrame::clv_ranks(const Slice& slice) const {
  SliceMemo& memo = slice.memo();
  std::call_once(memo.clv_once,
                 [&] { memo.clv_ranks = std::make_shared<const ClvRanks>(*this, slice); });
  return *memo.clv_ranks;
}

std::vector<double> MemberFrame::clv_cent_quantiles(const Slice& slice,
                                                    const std::vector<double>& qs) const {
  std::vector<double> out(qs.size(), std::numeric_limits<double>::quiet_NaN());
  const ClvRanks& ranks = clv_ranks(slice);
  if (ranks.total() == 0) {
    return out;
  }
  for (std::size_t k = 0; k < qs.size(); ++k) {
    out[k] = interpolated(qs[k], ranks.total(), [&](std::int64_t rank) {
      return static_cast<double>(sorted_clv_cents[ranks.find(*this, slice, rank)]);
    });
  }
  return out;
}

namespace {

// Fills the slice's SummaryGroups once.
const SummaryGroups& summary_of(const MemberFrame& f, const Slice& slice) {
  // Cells of the four columns' groups and the two sides together up to this many (about 4,000
  // for the data's 11 provinces, 11 segments, 3 cards and 2 genders, each with a group for
  // none).
  constexpr std::size_t kMaxSummaryCells = 16384;
  SliceMemo& memo = slice.memo();
  std::call_once(memo.summary_once, [&] {
    const auto columns = summary_columns(f);
    const std::size_t segments = f.rfm_segment.group_count();
    // The four columns, then the segment again for each side.
    using Groups = std::array<std::vector<GroupStats>, kSummaryColumns + 2>;
    Groups groups;
    std::size_t cells = 2;
    for (std::size_t c = 0; c < columns.size(); ++c) {
      groups[c].resize(columns[c]->group_count());
      cells *= columns[c]->group_count();
    }
    groups[kSummaryColumns].resize(segments);
    groups[kSummaryColumns + 1].resize(segments);
    if (cells <= kMaxSummaryCells) {
      // One add per member, into the cell of its four groups and side (a table that stays in
      // cache), then each column's groups summed from the cells.
      const auto table = reduce_rows(
          slice, std::vector<GroupStats>(cells),
          [&](std::vector<GroupStats>& t, std::uint32_t r) {
            std::size_t key = f.cancelled[r];
            for (const Category* c : columns) {
              key = key * c->group_count() + c->group_of(r);
            }
            t[key].add(f, r);
          },
          [](std::vector<GroupStats>& a, const std::vector<GroupStats>& b) {
            for (std::size_t i = 0; i < a.size(); ++i) {
              a[i].merge(b[i]);
            }
          });
      for (std::size_t key = 0; key < cells; ++key) {
        if (table[key].customers == 0) {
          continue;
        }
        std::size_t rest = key;
        std::size_t segment = 0;
        for (std::size_t c = columns.size(); c-- > 0;) {
          const std::size_t g = rest % columns[c]->group_count();
          groups[c][g].merge(table[key]);
          if (columns[c] == &f.rfm_segment) {
            segment = g;
          }
          rest /= columns[c]->group_count();
        }
        groups[kSummaryColumns + rest][segment].merge(table[key]);  // rest: the side
      }
    } else {  // many groups: each member added to its group of each column
      groups = reduce_rows<4>(
          slice, groups,
          [&](Groups& g, std::uint32_t r) {
            const GroupStats::Values values(f, r);
            for (std::size_t c = 0; c < columns.size(); ++c) {
              g[c][columns[c]->group_of(r)].add(values);
            }
            g[kSummaryColumns + f.cancelled[r]][f.rfm_segment.group_of(r)].add(values);
          },
          [](Groups& a, const Groups& b) {
            for (std::size_t c = 0; c < a.size(); ++c) {
              for (std::size_t i = 0; i < a[c].size(); ++i) {
                a[c][i].merge(b[c][i]);
              }
            }
          });
    }
    auto summary = std::make_shared<SummaryGroups>();
    for (std::size_t c = 0; c < columns.size(); ++c) {
      summary->by[columns[c]] = std::move(groups[c]);
    }
    summary->segment_by_cancelled = {std::move(groups[kSummaryColumns]),
                                     std::move(groups[kSummaryColumns + 1])};
    memo.summary = std::move(summary);
  });
  return *memo.summary;
}

}  // namespace

const std::vector<GroupStats>& summary_groups(const MemberFrame& f, const Slice& slice,
                                              const Category& category) {
  const SummaryGroups& summary = summary_of(f, slice);
  const auto it = summary.by.find(&category);
  if (it == summary.by.end()) {
    throw std::logic_error("not a summary column");
  }
  return it->second;
}

const std::array<std::vector<GroupStats>, 2>& segment_by_cancelled(const MemberFrame& f,
                                                                   const Slice& slice) {
  return summary_of(f, slice).segment_by_cancelled;
}

GroupStats slice_stats(const MemberFrame& f, const Slice& slice, bool median) {
  GroupStats s;
  for (const GroupStats& g : summary_groups(f, slice, f.gender)) {
    s.merge(g);
  }
  if (median) {
    s.median_clv = f.clv_cent_quantiles(slice, {0.5}).at(0) / 100;
  }
  return s;
}

std::size_t MemberFrame::bytes() const {
  std::size_t total = 0;
  const auto add = [&total](const auto&... vectors) {
    ((total += vectors.capacity() * sizeof(typename std::decay_t<decltype(vectors)>::value_type)),
     ...);
  };
  add(loyalty_number, clv, churn_probability, churn_score, recency, frequency, monetary,
      tenure_months, clv_cents, cancelled, enrollment_year, enrollment_month_index,
      cancellation_month_index, flight_mask, contributions, block_sum, block_abs_sum, block_scored,
      by_clv, by_churn_score, sorted_clv_cents, sorted_churn_score, reason_ends_, reason_feature[0],
      reason_feature[1], reason_feature[2], *all_rows_, *all_bits_);
  total += reason_chars_.capacity();
  for (const auto& c : kCategories) {
    add((this->*(c.member)).codes, (this->*(c.member)).sorted_codes);
  }
  for (const auto& [name, c] : more_categories) {
    add(c.codes, c.sorted_codes);
  }
  for (const auto& [name, v] : more_numbers) {
    add(v);
  }
  return total;
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
  const std::uint32_t begin = i == 0 ? 0 : reason_ends_[i - 1];
  const std::uint32_t end = reason_ends_[i];
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
  // Every test is evaluated, without branching on its outcome (which a slice's members make
  // unpredictable).
  bool operator()(std::uint32_t r) const {
    bool ok = true;
    for (const auto& c : categories_) {
      ok &= c.ok[c.category->group_of(r)] != 0;
    }
    for (const auto& range : ranges_) {
      if (range.ints) {
        const std::int32_t v = range.ints[r];
        ok &= (v != kNullInt) & !(v < range.low) & !(v > range.high);
      } else {
        const double v = range.doubles[r];
        ok &= (v >= range.low) & (v <= range.high);
      }
    }
    return ok;
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
    return {all_bits_, size(), all_rows_, all_memo_};
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
  auto bits = std::make_shared<std::vector<std::uint64_t>>((n + 63) / 64, 0);
  // Sized for every member, uninitialised: only the pages the selected rows fill are touched.
  auto rows = std::make_shared<RowList>(n);
  // Rows [begin, end) (begin a multiple of 64, so that no two threads write one word): their
  // bits, and the selected ones written from rows[begin] on, without branching on the test;
  // returns how many.
  const auto test = [&](std::size_t begin, std::size_t end) {
    std::uint32_t* out = rows->data() + begin;
    std::size_t count = 0;
    for (std::size_t word = begin / 64; word * 64 < end; ++word) {
      std::uint64_t w = 0;
      const auto first = static_cast<std::uint32_t>(word * 64);
      const auto last = static_cast<std::uint32_t>(std::min(end, word * 64 + 64));
      for (std::uint32_t r = first; r < last; ++r) {
        const bool selected = in(r);
        w |= std::uint64_t{selected} << (r - first);
        out[count] = r;
        count += selected ? 1 : 0;
      }
      (*bits)[word] = w;
    }
    return count;
  };
  if (n >= kParallelRows) {  // each half on its own core, then the second half's moved down
    const std::size_t middle = n / 2 / 64 * 64;
    std::size_t second = 0;
    std::thread helper([&] { second = test(middle, n); });
    const std::size_t first = test(0, middle);
    helper.join();
    std::memmove(rows->data() + first, rows->data() + middle, second * sizeof(std::uint32_t));
    rows->resize(first + second);
  } else {
    rows->resize(test(0, n));
  }
  Slice slice(std::move(bits), n, std::move(rows));
  const std::lock_guard<std::mutex> lock(slice_cache_->mutex);
  auto& entries = slice_cache_->entries;
  entries.emplace_front(key, slice);
  // At most kCapacity slices, and at most kBytes of them (a slice of every member of a 10M
  // frame takes 41 MB): at 1M members eight, at 10M six.
  const std::size_t bytes_each = n / 8 + n * sizeof(std::uint32_t);
  const std::size_t capacity = std::clamp<std::size_t>(
      SliceCache::kBytes / std::max<std::size_t>(bytes_each, 1), 2, SliceCache::kCapacity);
  while (entries.size() > capacity) {
    entries.pop_back();
  }
  return slice;
}

void MemberFrame::clear_slice_cache() const {
  const std::lock_guard<std::mutex> lock(slice_cache_->mutex);
  slice_cache_->entries.clear();
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
