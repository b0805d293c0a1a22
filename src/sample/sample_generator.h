#pragma once
// Seeded synthetic data with the real data set's schema, file names, formats and quirks:
// a UTF-8 BOM on the loyalty file, empty cells for missing salary and cancellation, a few
// negative salaries, duplicate member-month rows (exact and differing), all-zero rows after
// cancellation, and the real distributions of provinces/cities, cards, CLV, salary, enrollment
// (incl. "2018 Promotion") and seasonality. What drives cancellations is the scenario's
// (scenario.h); each writes truth.parquet beside the two CSV files: per member and month, the
// true hazard, the true probability of cancelling in the next six months and the mechanism
// that contributes most. Deterministic for a seed; streams to disk in bounded memory.

#include <cstdint>
#include <filesystem>

#include "sample/scenario.h"

namespace aa {
namespace fs = std::filesystem;
}  // namespace aa

namespace aa::sample {

inline constexpr const char* kTruthFileName = "truth.parquet";

struct SampleOptions {
  fs::path out_dir;
  std::int64_t members = 20000;
  std::uint64_t seed = 42;
  Scenario scenario = Scenario::ReferenceLike;
  int drift_month = 2018 * 12 + 5;  // the drift scenario's first changed month (2018-06)
  bool truth = true;                // write truth.parquet
};

struct SampleResult {
  std::int64_t members = 0;
  std::int64_t cancelled = 0;
  std::int64_t activity_rows = 0;
  std::int64_t truth_rows = 0;
  fs::path loyalty_file;
  fs::path activity_file;
  fs::path truth_file;  // empty without truth
};

SampleResult generate_sample(const SampleOptions& options);

}  // namespace aa::sample
