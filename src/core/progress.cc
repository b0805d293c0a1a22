#include "core/progress.h"

#include <unistd.h>

#include <cstdio>

namespace aa::core {

namespace {
ProgressMode g_mode = ProgressMode::Auto;
bool g_quiet = false;

bool bars_enabled() {
  if (g_quiet || g_mode == ProgressMode::Never) {
    return false;
  }
  return g_mode == ProgressMode::Always || ::isatty(STDERR_FILENO) == 1;
}
}  // namespace

void set_progress_mode(ProgressMode mode) { g_mode = mode; }
bool progress_on_terminal() {
  return !g_quiet && g_mode != ProgressMode::Never && ::isatty(STDERR_FILENO) == 1;
}
void set_quiet(bool q) { g_quiet = q; }
bool quiet() { return g_quiet; }

void log_line(const std::string& stage, const std::string& message) {
  if (!g_quiet) {
    fmt::print(stderr, "[{}] {}\n", stage, message);
  }
}

std::string with_commas(std::int64_t value) {
  std::string digits = std::to_string(value < 0 ? -value : value);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) {
      out += ',';
    }
    out += digits[i];
  }
  return value < 0 ? "-" + out : out;
}

ProgressBar::ProgressBar(std::string label, std::uint64_t total)
    : label_(std::move(label)), total_(total), enabled_(bars_enabled() && total > 0) {}

ProgressBar::~ProgressBar() { finish(); }

void ProgressBar::update(std::uint64_t done) {
  if (!enabled_ || finished_) {
    return;
  }
  const auto now = std::chrono::steady_clock::now();
  if (now - last_draw_ < std::chrono::milliseconds(100) && done < total_) {
    return;
  }
  last_draw_ = now;
  constexpr int kWidth = 30;
  const double fraction = total_ ? static_cast<double>(done) / static_cast<double>(total_) : 1.0;
  const int filled = static_cast<int>(fraction * kWidth);
  fmt::print(stderr, "\r  {} [{:=<{}}{: <{}}] {:3.0f}%", label_, "", filled, "",
             kWidth - filled, fraction * 100.0);
  std::fflush(stderr);
}

void ProgressBar::finish() {
  const bool clear = enabled_ && !finished_;
  finished_ = true;  // first: a print that throws is not tried again by the destructor
  if (clear) {
    fmt::print(stderr, "\r\033[K");
    std::fflush(stderr);
  }
}

}  // namespace aa::core
