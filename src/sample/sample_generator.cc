#include "sample/sample_generator.h"

#include <numeric>
#include <string>

#include "core/app_error.h"
#include "core/chunk_stream.h"
#include "core/duck.h"
#include "core/files.h"
#include "core/lake.h"
#include "core/progress.h"
#include "sample/member_history.h"

namespace aa::sample {

namespace {

// Loyalty numbers: an affine permutation of [0, range), so numbers are unique and shuffled.
class NumberPermutation {
 public:
  explicit NumberPermutation(std::int64_t members)
      : range_(std::max<std::int64_t>(900000, members)), mult_(1000003) {
    while (std::gcd(mult_, range_) != 1) {
      mult_ += 2;
    }
  }
  std::int64_t at(std::int64_t i) const {
    // mult_ * i stays below 2^63 for i < 1e8 and mult_ near 1e6.
    return 100000 + (mult_ * i + 7919) % range_;
  }

 private:
  std::int64_t range_;
  std::int64_t mult_;
};

using T = duck::ColumnType;
const std::vector<duck::ChunkStream::Column>& truth_columns() {
  static const std::vector<duck::ChunkStream::Column> columns = {
      {"loyalty_number", T::Int64}, {"year", T::Int32},        {"month", T::Int32},
      {"hazard", T::Float64},       {"p_cancel_6m", T::Float64}, {"mechanism", T::Int32}};
  return columns;
}

// The truth file's query over the stream: mechanism codes become their names (scenario.h).
std::string truth_copy_sql(const std::string& function, const fs::path& path) {
  std::string names = "case mechanism";
  for (const auto& m : mechanisms()) {
    names += fmt::format(" when {} then '{}'", static_cast<int>(m.id), m.name);
  }
  names += " end";
  return fmt::format(
      "copy (select loyalty_number, year, month, year * 12 + month - 1 as month_index, hazard, "
      "p_cancel_6m, {} as top_mechanism from {}()) to {} (format parquet, compression zstd)",
      names, function, duck::quote_literal(path.string()));
}

void write_truth(const MemberProfile& m, const MemberHistory& h, duck::RowSink& sink) {
  for (const TruthRow& t : h.truth) {
    auto& chunk = sink.chunk();
    const std::size_t r = sink.row();
    chunk.set_int64(0, r, m.number);
    chunk.set_int32(1, r, t.month_index / 12);
    chunk.set_int32(2, r, t.month_index % 12 + 1);
    chunk.set_float64(3, r, t.hazard);
    chunk.set_float64(4, r, t.p_cancel_6m);
    chunk.set_int32(5, r, static_cast<std::int32_t>(t.mechanism));
    sink.commit_row();
  }
}

std::int64_t write_activity(const MemberProfile& m, const MemberHistory& h, CsvOut& out) {
  std::int64_t rows = 0;
  for (int index = m.first_row_month(); index <= kWindowLast; ++index) {
    const MonthRecord& r = h.at(index);
    write_month(out, m.number, index, r.first);
    ++rows;
    if (r.has_second) {
      write_month(out, m.number, index, r.second);
      ++rows;
    }
  }
  return rows;
}

// Every member, in order: the loyalty row, the activity rows and (given a sink) the truth.
void generate_members(const SampleOptions& options, CsvOut& loyalty, CsvOut& activity,
                      duck::RowSink* truth, SampleResult& result) {
  const NumberPermutation numbers(options.members);
  const ScenarioOptions scenario{options.scenario, options.drift_month};
  const int window_first = scenario_info(options.scenario).window_first;
  core::ProgressBar bar("generating members", static_cast<std::uint64_t>(options.members));
  MemberHistory history;
  history.truth.reserve(kMaxWindowMonths);
  history.keep_truth = truth != nullptr;
  for (std::int64_t i = 0; i < options.members; ++i) {
    Rng rng(options.seed, static_cast<std::uint64_t>(i));
    const MemberProfile m = draw_profile(rng, numbers.at(i), window_first);
    simulate_member(scenario, rng, m, history);
    write_loyalty_row(m, history.cancel_index, loyalty);
    result.cancelled += history.cancel_index >= 0 ? 1 : 0;
    result.activity_rows += write_activity(m, history, activity);
    if (truth != nullptr) {
      write_truth(m, history, *truth);
      result.truth_rows += static_cast<std::int64_t>(history.truth.size());
    }
    if ((i & 0x3FFF) == 0) {
      bar.update(static_cast<std::uint64_t>(i));
    }
  }
  bar.finish();
  if (truth != nullptr) {
    truth->finish();
  }
}

}  // namespace

SampleResult generate_sample(const SampleOptions& options) {
  if (options.members < 1 || options.members > 100'000'000) {
    core::fail(core::ErrorKind::InvalidInput, "--members must be between 1 and 100,000,000, got {}",
               options.members);
  }
  if (options.drift_month < kEarliestWindowFirst + 1 || options.drift_month > kWindowLast) {
    core::fail(core::ErrorKind::InvalidInput, "--drift-month must be between 2016-02 and 2018-12");
  }
  fs::create_directories(options.out_dir);
  SampleResult result;
  result.loyalty_file = options.out_dir / core::kLoyaltyCsvName;
  result.activity_file = options.out_dir / core::kActivityCsvName;
  const fs::path loyalty_tmp = core::temp_path_for(result.loyalty_file);
  const fs::path activity_tmp = core::temp_path_for(result.activity_file);
  fs::path truth_tmp;
  {
    CsvOut loyalty(loyalty_tmp);
    CsvOut activity(activity_tmp);
    loyalty.text("\xEF\xBB\xBF");  // the real loyalty file starts with a UTF-8 BOM
    loyalty.text(loyalty_header());
    loyalty.end_row();
    activity.text(activity_header());
    activity.end_row();
    if (!options.truth) {
      generate_members(options, loyalty, activity, nullptr, result);
    } else {
      // The truth streams into its Parquet file, encoded by DuckDB on this thread while the
      // members are generated on another.
      result.truth_file = options.out_dir / kTruthFileName;
      truth_tmp = core::temp_path_for(result.truth_file);
      auto db = duck::Database::open(":memory:", {{"threads", "1"}});
      duck::Connection connection(db);
      connection.execute("set enable_progress_bar = false");
      duck::ChunkStream stream(connection, "truth_stream", truth_columns(), 16);
      stream.run(truth_copy_sql("truth_stream", truth_tmp), [&](duck::RowSink& sink) {
        generate_members(options, loyalty, activity, &sink, result);
      });
    }
    loyalty.close();
    activity.close();
  }
  core::publish(loyalty_tmp, result.loyalty_file);
  core::publish(activity_tmp, result.activity_file);
  if (!truth_tmp.empty()) {
    core::publish(truth_tmp, result.truth_file);
  } else {
    fs::remove(options.out_dir / kTruthFileName);  // not a stale truth from another run
  }
  result.members = options.members;
  return result;
}

}  // namespace aa::sample
