#pragma once
// Human progress on stderr: one line per step with counts and seconds, and a progress bar
// redrawn in place when stderr is a terminal. Machine output (--json) goes to stdout.

#include <chrono>
#include <cstdint>
#include <string>

#include <fmt/core.h>

namespace aa::core {

enum class ProgressMode { Auto, Always, Never };

// Global settings, set once by the CLI.
void set_progress_mode(ProgressMode mode);
void set_quiet(bool quiet);
bool quiet();

// Whether progress is drawn on a terminal: not quiet, --progress not "never", and stderr is a
// terminal. DuckDB's progress through long queries is shown only then (duck::Connection).
bool progress_on_terminal();

// Prints "[stage] message" on stderr unless quiet.
void log_line(const std::string& stage, const std::string& message);

template <typename... Args>
void say(const std::string& stage, fmt::format_string<Args...> format, Args&&... args) {
  log_line(stage, fmt::format(format, std::forward<Args>(args)...));
}

// "1,234,567"
std::string with_commas(std::int64_t value);

class Stopwatch {
 public:
  Stopwatch() : start_(std::chrono::steady_clock::now()) {}
  double seconds() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  }

 private:
  std::chrono::steady_clock::time_point start_;
};

// A bar over a known total (bytes or rows). Draws at most ~10 times a second.
class ProgressBar {
 public:
  ProgressBar(std::string label, std::uint64_t total);
  ~ProgressBar();
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;
  void update(std::uint64_t done);
  void finish();

 private:
  std::string label_;
  std::uint64_t total_;
  bool enabled_;
  bool finished_ = false;
  std::chrono::steady_clock::time_point last_draw_{};
};

}  // namespace aa::core
