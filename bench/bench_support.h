#pragma once
// What the benchmarks share: settings from the environment, running the CLI to build a lake,
// resident memory, and the p95 statistic.

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

}  // namespace aa::bench
