#pragma once
// Seeded synthetic data with the real data set's schema, file names, formats and quirks:
// a UTF-8 BOM on the loyalty file, empty cells for missing salary and cancellation, a few
// negative salaries, duplicate member-month rows (exact and differing), all-zero rows after
// cancellation, activity thinning before a member cancels, and the real distributions of
// provinces/cities, cards, CLV, salary, enrollment (incl. "2018 Promotion") and seasonality.
// Deterministic for a seed; streams to disk in bounded memory.

#include <cstdint>
#include <filesystem>

namespace aa {

namespace fs = std::filesystem;

struct SampleOptions {
  fs::path out_dir;
  std::int64_t members = 20000;
  std::uint64_t seed = 42;
};

struct SampleResult {
  std::int64_t members = 0;
  std::int64_t cancelled = 0;
  std::int64_t activity_rows = 0;
  fs::path loyalty_file;
  fs::path activity_file;
};

SampleResult generate_sample(const SampleOptions& options);

}  // namespace aa
