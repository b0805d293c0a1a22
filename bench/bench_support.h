#pragma once
// What the benchmarks share: settings from the environment, running the CLI to build a lake,
// resident memory, and the p95 statistic.

#include <benchmark/benchmark.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

namespace aa::bench {

namespace fs = std::filesystem;

inline std::string env_or(const char* name, const std::string& fallback) {
  const char* v = std::getenv(name);
  return v != nullptr && *v != '\0' ? v : fallback;
}

inline void cli(const std::string& args) {
  const std::string command = std::string("'") + AA_BENCH_CLI + "' " + args;
  std::cerr << "bench setup: airline-analytics " << args << std::endl;
  if (std::system(command.c_str()) != 0) {
    std::cerr << "bench setup failed: " << command << std::endl;
    std::exit(1);
  }
}

inline std::string q(const fs::path& p) { return "'" + p.string() + "'"; }

// Builds (once) a lake of `members` synthetic members with predictions and a warehouse, in
// root/ops-<members>/lake: a model trained on other members (AA_BENCH_TRAIN_MEMBERS, 50,000)
// scores them, so that the lake's size, not training, sets the time this takes.
inline fs::path prepare_lake(const fs::path& root, long members) {
  const fs::path dir = root / ("ops-" + std::to_string(members));
  const fs::path lake = dir / "lake";
  if (fs::exists(dir / "READY")) {
    return lake;
  }
  fs::create_directories(dir);
  const std::string n = std::to_string(members);
  cli("generate-sample -q --no-truth --out " + q(dir / "raw") + " --members " + n + " --seed 42");
  cli("generate-sample -q --no-truth --out " + q(dir / "raw-train") + " --members " +
      env_or("AA_BENCH_TRAIN_MEMBERS", "50000") + " --seed 7");
  cli("run -q --raw-dir " + q(dir / "raw-train") + " --lake " + q(dir / "lake-train") +
      " --bootstrap 20");
  cli("ingest -q --raw-dir " + q(dir / "raw") + " --lake " + q(lake));
  cli("features -q --lake " + q(lake));
  fs::create_directories(lake / "curated" / "churn");
  for (const char* part :
       {"artifacts", "models"}) {  // the model, and the kept models monitor reads
    fs::copy(dir / "lake-train" / "curated" / "churn" / part, lake / "curated" / "churn" / part,
             fs::copy_options::recursive | fs::copy_options::overwrite_existing);
  }
  cli("score -q --lake " + q(lake));
  cli("monitor -q --lake " + q(lake));
  std::ofstream(dir / "READY") << members << "\n";
  return lake;
}

// A line of /proc/self/status ("VmRSS", "VmHWM") in MB, -1 when absent.
inline long status_mb(const std::string& key) {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind(key + ":", 0) == 0) {
      return std::stol(line.substr(key.size() + 1)) / 1024;
    }
  }
  return -1;
}

// Resets the process's peak resident memory (VmHWM) to its current resident memory.
inline void reset_peak_rss() { std::ofstream("/proc/self/clear_refs") << "5"; }

inline long rss_mb() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) {
      return std::stol(line.substr(6)) / 1024;
    }
  }
  return -1;
}

inline double p95(const std::vector<double>& v) {
  std::vector<double> s = v;
  std::sort(s.begin(), s.end());
  const auto k = static_cast<std::size_t>(std::ceil(0.95 * static_cast<double>(s.size())));
  return s.at(std::max<std::size_t>(k, 1) - 1);
}

// One call per iteration, `repetitions` of them, reported as their mean, median, stddev and p95
// in milliseconds of wall time (aggregates only, unless AA_BENCH_ALL_REPS is set).
inline benchmark::internal::Benchmark* p95_runs(benchmark::internal::Benchmark* b,
                                                int repetitions) {
  return b->Iterations(1)
      ->Repetitions(repetitions)
      ->ComputeStatistics("p95", [](const std::vector<double>& v) { return p95(v); })
      ->ReportAggregatesOnly(std::getenv("AA_BENCH_ALL_REPS") == nullptr)
      ->UseRealTime()
      ->Unit(benchmark::kMillisecond);
}

}  // namespace aa::bench
