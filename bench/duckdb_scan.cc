// The physical-limit reference of the pipeline benchmark: how long DuckDB itself (the same
// libduckdb the product links, same thread count) takes to read a file with nothing else to
// do. Not a test; bench/pipeline_bench.py runs it beside our stages.
//
//   aa_duckdb_scan [--threads N] [--memory-limit 4GB] [--temp DIR] KIND FILE [KIND FILE ...]
//
// KIND is one of
//   csv          select max(columns(*)) from read_csv(FILE)   every column parsed and typed
//   csv-parquet  copy (from read_csv(FILE)) to a temporary Parquet file (zstd), then removed
//   parquet      select max(columns(*)) from read_parquet(FILE)
// Prints one JSON object per file on stdout: {"kind", "file", "bytes", "rows", "seconds"}.

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/app_error.h"
#include "core/duck.h"

namespace fs = std::filesystem;

namespace {

int usage() {
  std::cerr << "usage: aa_duckdb_scan [--threads N] [--memory-limit SIZE] [--temp DIR] "
               "(csv|csv-parquet|parquet) FILE ... (a parquet FILE may be a folder's *.parquet)\n";
  return 2;
}

// A file's bytes, or the total of a folder's "*.parquet" glob (the processed activity's months).
std::uintmax_t bytes_of(const fs::path& file) {
  if (file.filename() != "*.parquet") {
    return fs::file_size(file);
  }
  std::uintmax_t total = 0;
  for (const auto& e : fs::directory_iterator(file.parent_path())) {
    if (e.path().extension() == ".parquet") {
      total += e.file_size();
    }
  }
  return total;
}

}  // namespace

int main(int argc, char** argv) {
  aa::duck::Options options;
  std::vector<std::pair<std::string, std::string>> jobs;
  fs::path temp = fs::temp_directory_path();
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if ((a == "--threads" || a == "--memory-limit" || a == "--temp") && i + 1 < argc) {
      const std::string v = argv[++i];
      if (a == "--threads") {
        options["threads"] = v;
      } else if (a == "--memory-limit") {
        options["memory_limit"] = v;
      } else {
        temp = v;
      }
    } else if ((a == "csv" || a == "csv-parquet" || a == "parquet") && i + 1 < argc) {
      jobs.emplace_back(a, argv[++i]);
    } else {
      return usage();
    }
  }
  if (jobs.empty()) {
    return usage();
  }
  options["temp_directory"] = (temp / "duckdb_scan_spill").string();
  try {
    auto db = aa::duck::Database::open(":memory:", options);
    aa::duck::Connection connection(db);
    for (const auto& [kind, file] : jobs) {
      const std::string source =
          (kind == "parquet" ? "read_parquet(" : "read_csv(") + aa::duck::quote_literal(file) + ")";
      const fs::path out = temp / ("duckdb_scan_" + std::to_string(::getpid()) + ".parquet");
      const auto t0 = std::chrono::steady_clock::now();
      std::int64_t rows = 0;
      if (kind == "csv-parquet") {
        auto r = connection.query("copy (from " + source + ") to " +
                                  aa::duck::quote_literal(out.string()) +
                                  " (format parquet, compression zstd)");
        rows = r.int64(0, 0);
      } else {
        rows = connection.query("select count(*), max(columns(*)) from " + source).int64(0, 0);
      }
      const double seconds =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      std::error_code ec;
      fs::remove(out, ec);
      std::cout << nlohmann::json{{"kind", kind},
                                  {"file", file},
                                  {"bytes", bytes_of(file)},
                                  {"rows", rows},
                                  {"seconds", seconds}}
                       .dump()
                << std::endl;
    }
  } catch (const std::exception& e) {
    std::cerr << "aa_duckdb_scan: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
