// Micro-benchmarks of the pipeline's hot paths (Google Benchmark), run by
// `make bench` (stage micro) or alone: build/release/micro_bench.
//   csv/read             CsvReader over a generated activity file (records and fields only)
//   csv/read_validate    the same plus RowValidator (types, ranges, rules): ingest's parse loop
//   score/predict_proba  the trained churn model scoring a batch of members (trees + calibration)
//   score/contributions  per-feature contributions for the same batch (the reasons' input):
//                        exact TreeSHAP, by XGBoost
//   score/contributions_approximate  approximate (Saabas) ones: our path walk on every core,
//                        including its check of 256 rows against XGBoost
// The scoring benchmarks need a trained model: AA_BENCH_LAKE (a lake after `run`); without
// it they are not registered and a line on stderr says so.

#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include <fstream>
#include <random>

#include "bench_support.h"
#include "core/lake.h"
#include "ingest/csv_reader.h"
#include "ingest/row_validator.h"
#include "ingest/schema.h"
#include "model/churn_model.h"

namespace {

using namespace aa::bench;

// An activity file like the generator's: 24 months per member, a third of months flown.
const fs::path& activity_file() {
  static const fs::path path = [] {
    const fs::path p = fs::temp_directory_path() / fmt::format("aa_micro_{}.csv", ::getpid());
    std::ofstream out(p);
    out << "Loyalty Number,Year,Month,Total Flights,Distance,Points Accumulated,Points "
           "Redeemed,Dollar Cost Points Redeemed\n";
    std::mt19937_64 rng(42);
    for (int m = 0; m < 40000; ++m) {
      for (int month = 0; month < 24; ++month) {
        const int flights = rng() % 3 == 0 ? static_cast<int>(rng() % 8) + 1 : 0;
        const int distance = flights * static_cast<int>(500 + rng() % 2000);
        const int redeemed = rng() % 10 == 0 ? static_cast<int>(rng() % 600) : 0;
        out << 100000 + m << ',' << 2017 + month / 12 << ',' << month % 12 + 1 << ',' << flights
            << ',' << distance << ',' << distance / 10 << ".0," << redeemed << ',' << redeemed / 12
            << '\n';
      }
    }
    return p;
  }();
  return path;
}

void csv_read(benchmark::State& state) {
  const fs::path& path = activity_file();
  std::int64_t records = 0;
  for (auto _ : state) {
    aa::ingest::CsvReader reader(path, "activity.csv");
    aa::ingest::CsvRecord record;
    while (reader.next(record)) {
      ++records;
      benchmark::DoNotOptimize(record.fields.data());
    }
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(fs::file_size(path)));
  state.SetItemsProcessed(records);
}

void csv_read_validate(benchmark::State& state) {
  const fs::path& path = activity_file();
  const aa::ingest::TableSpec& spec = aa::ingest::activity_spec();
  std::int64_t records = 0;
  for (auto _ : state) {
    aa::ingest::CsvReader reader(path, spec.source_file);
    aa::ingest::CsvRecord record;
    reader.next(record);
    const aa::ingest::RowValidator validator(
        spec, aa::ingest::map_header(spec, record, spec.source_file), spec.source_file);
    aa::ingest::ParsedRow row;
    while (reader.next(record)) {
      validator.validate(record, row);
      ++records;
      benchmark::DoNotOptimize(row.values.data());
    }
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(fs::file_size(path)));
  state.SetItemsProcessed(records);
}

// Members drawn around the model's own feature ranges: random values are enough to time
// the trees, whose cost does not depend on the values' meaning.
aa::model::Dataset batch(const aa::model::ChurnModel& model, std::size_t rows) {
  aa::model::Dataset d;
  d.columns = model.spec().columns();
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<float> u(0, 1);
  d.x.resize(rows * d.columns.size());
  for (float& v : d.x) {
    v = std::floor(u(rng) * 24);
  }
  for (std::size_t i = 0; i < rows; ++i) {
    d.member.push_back(static_cast<std::int64_t>(i));
    d.cutoff.push_back(0);
    d.y.push_back(NAN);
  }
  return d;
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  benchmark::RegisterBenchmark("csv/read", csv_read)->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("csv/read_validate", csv_read_validate)
      ->Unit(benchmark::kMillisecond);
  const std::string lake = env_or("AA_BENCH_LAKE", "");
  static std::unique_ptr<aa::model::ChurnModel> model;
  if (!lake.empty()) {
    model = std::make_unique<aa::model::ChurnModel>(
        aa::model::ChurnModel::load(aa::core::Lake(lake).churn_artifacts()));
    static const aa::model::Dataset data = batch(*model, 100000);
    benchmark::RegisterBenchmark("score/predict_proba", [](benchmark::State& state) {
      for (auto _ : state) {
        benchmark::DoNotOptimize(model->predict_proba(data));
      }
      state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(data.rows()));
    })->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark("score/contributions", [](benchmark::State& state) {
      for (auto _ : state) {
        benchmark::DoNotOptimize(model->contributions(data));
      }
      state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(data.rows()));
    })->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark("score/contributions_approximate", [](benchmark::State& state) {
      for (auto _ : state) {
        benchmark::DoNotOptimize(model->contributions(data, true));
      }
      state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(data.rows()));
    })->Unit(benchmark::kMillisecond);
  } else {
    std::cerr << "micro_bench: AA_BENCH_LAKE not set; the scoring benchmarks need a trained "
                 "model and are left out\n";
  }
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  model.reset();  // before XGBoost's own statics go at exit
  std::error_code ec;
  fs::remove(activity_file(), ec);
  return 0;
}
