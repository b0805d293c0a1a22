// Analytic operations on a warm connection at airline scale: every operation, without
// filters and on a filtered slice, timed call by call; the p95 is the figure that counts
// (target: <= 20 ms at 1M members). Not a test: run it with `make bench-ops`.
//
// The lake comes from the sample generator (AA_BENCH_MEMBERS, default 1,000,000) and is kept
// in AA_BENCH_DIR (default build/bench-data) for the next run; AA_BENCH_LAKE names another. Its
// churn model is trained on a 50,000-member sample and then scores all members: operation latency
// depends on the warehouse's size, not on how the model was fitted, and a 1M-member training is
// issue #7's.

#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <iostream>

#include "bench_support.h"
#include "ops/registry.h"

namespace {

using namespace aa::bench;
using nlohmann::json;

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  const long members = std::stol(env_or("AA_BENCH_MEMBERS", "1000000"));
  const fs::path root = env_or("AA_BENCH_DIR", "build/bench-data");
  const int repetitions = std::stoi(env_or("AA_BENCH_REPETITIONS", "50"));
  // AA_BENCH_LAKE: time an existing lake instead (bench/pipeline_bench.py's stage latency).
  const std::string given = env_or("AA_BENCH_LAKE", "");
  const fs::path lake = given.empty() ? prepare_lake(root, members) : fs::path(given);

  const long rss_before = rss_mb();
  benchmark::IterationCount open_ms = 0;
  const auto t0 = std::chrono::steady_clock::now();
  static std::unique_ptr<aa::ops::OpsContext> context =
      aa::ops::OpsContext::open(aa::core::Lake(lake));
  open_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0)
          .count();
  const json slice = {
      {"province", {context->domains().province.at(0), context->domains().province.at(1)}},
      {"clv_min", 2000}};
  const json top = aa::ops::run_operation(*context, "top_value_customers", {{"top_n", 1}}, {});
  const std::int64_t member = top.at("result").at("rows").at(0).at("loyalty_number");
  std::cerr << fmt::format(
                   "bench: {} members; context opened in {} ms; RSS {} MB before, {} MB after",
                   members, open_ms, rss_before, rss_mb())
            << std::endl;

  for (const auto& op : aa::ops::operations()) {
    const json params = op.name == "customer_profile" ? json{{"loyalty_number", member}} : json{};
    for (const auto& [variant, filters] : {std::pair{"all", json::object()}, {"slice", slice}}) {
      aa::ops::run_operation(*context, op.name, params, filters);  // warm: statement prepared
      p95_runs(benchmark::RegisterBenchmark(
                   fmt::format("{}/{}", op.name, variant).c_str(),
                   [name = op.name, params, f = filters](benchmark::State& state) {
                     for (auto _ : state) {
                       auto out = aa::ops::run_operation(*context, name, params, f);
                       benchmark::DoNotOptimize(out);
                     }
                   }),
               repetitions);
    }
  }
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  context.reset();
  return 0;
}
