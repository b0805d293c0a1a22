#include "core/query_progress.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <pty.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <thread>

#include "core/duck.h"
#include "core/progress.h"

namespace aa::duck {
namespace {

using namespace std::chrono_literals;

// stderr replaced by a pseudo-terminal while alive; everything written to it is collected.
class TerminalStderr {
 public:
  TerminalStderr() {
    if (::openpty(&master_, &slave_, nullptr, nullptr, nullptr) != 0) {
      master_ = slave_ = -1;
      return;
    }
    std::fflush(stderr);
    saved_ = ::dup(STDERR_FILENO);
    ::dup2(slave_, STDERR_FILENO);
    reader_ = std::thread([this] { read_all(); });
  }
  ~TerminalStderr() { restore(); }
  TerminalStderr(const TerminalStderr&) = delete;
  TerminalStderr& operator=(const TerminalStderr&) = delete;

  bool ok() const { return master_ >= 0; }

  // Puts stderr back and returns everything written to the terminal: with the terminal's last
  // writer closed, the reader drains the master until it reports the end (EIO).
  std::string restore() {
    if (saved_ >= 0) {
      std::fflush(stderr);
      ::dup2(saved_, STDERR_FILENO);
      ::close(saved_);
      saved_ = -1;
      ::close(slave_);
      reader_.join();
      ::close(master_);
    }
    return text_;
  }

 private:
  void read_all() {
    char buffer[4096];
    for (;;) {
      pollfd p{master_, POLLIN, 0};
      if (::poll(&p, 1, 10000) <= 0) {
        return;  // nothing for 10 s: give up rather than hang
      }
      const ssize_t n = ::read(master_, buffer, sizeof buffer);
      if (n <= 0) {
        return;  // EIO: every slave descriptor is closed and the buffer is empty
      }
      text_.append(buffer, static_cast<std::size_t>(n));
    }
  }

  int master_ = -1;
  int slave_ = -1;
  int saved_ = -1;
  std::string text_;
  std::thread reader_;
};

// The progress settings are process-wide: each test puts the defaults back.
struct ProgressSettings {
  ProgressSettings(core::ProgressMode mode, bool quiet) {
    core::set_progress_mode(mode);
    core::set_quiet(quiet);
  }
  ~ProgressSettings() {
    core::set_progress_mode(core::ProgressMode::Auto);
    core::set_quiet(false);
  }
};

std::string setting(Connection& c, const std::string& name) {
  return c.query("select current_setting('" + name + "')::varchar").scalar_text();
}

// A query of about a second on this machine (twelve hashes of 20 million rows, summed in 1,000
// groups; little memory): long enough for the watcher, started without delay, to see DuckDB's
// figure several times.
constexpr const char* kTable =
    "create table t as select i, i % 1000 as g from range(20000000) r(i)";
constexpr const char* kLongQuery =
    "select g, sum(hash(i) % 7), sum(hash(i + 1) % 8), sum(hash(i + 2) % 9), "
    "sum(hash(i + 3) % 10), sum(hash(i + 4) % 11), sum(hash(i + 5) % 12), sum(hash(i + 6) % 13), "
    "sum(hash(i + 7) % 14), sum(hash(i + 8) % 15), sum(hash(i + 9) % 16), "
    "sum(hash(i + 10) % 17), sum(hash(i + 11) % 18) from t group by g";

TEST(QueryProgress, ALongQueryIsDrawnByOurBarOnATerminal) {
  TerminalStderr terminal;
  if (!terminal.ok()) {
    GTEST_SKIP() << "no pseudo-terminal here";
  }
  const ProgressSettings settings(core::ProgressMode::Auto, false);
  ASSERT_TRUE(core::progress_on_terminal());
  auto db = Database::open(":memory:", {{"threads", "2"}});
  Connection c(db);
  // DuckDB tracks the progress but does not print it: ours draws it.
  EXPECT_EQ(setting(c, "enable_progress_bar"), "true");
  EXPECT_EQ(setting(c, "enable_progress_bar_print"), "false");
  c.execute(kTable);
  {
    const QueryProgressWatch watch(c.get(), "test query", 0ms);
    ASSERT_EQ(duckdb_query(c.get(), kLongQuery, nullptr), DuckDBSuccess);
  }
  const std::string out = terminal.restore();
  EXPECT_NE(out.find("test query ["), std::string::npos) << out;
  EXPECT_NE(out.find("%"), std::string::npos) << out;
  EXPECT_NE(out.rfind("\r\033[K"), std::string::npos) << "the bar is cleared at the end: " << out;
}

TEST(QueryProgress, NeverOrQuietDrawsNothingEvenOnATerminal) {
  for (const auto& [mode, quiet] :
       {std::pair{core::ProgressMode::Never, false}, std::pair{core::ProgressMode::Auto, true}}) {
    TerminalStderr terminal;
    if (!terminal.ok()) {
      GTEST_SKIP() << "no pseudo-terminal here";
    }
    const ProgressSettings settings(mode, quiet);
    EXPECT_FALSE(core::progress_on_terminal());
    auto db = Database::open(":memory:", {{"threads", "2"}});
    Connection c(db);
    EXPECT_EQ(setting(c, "enable_progress_bar"), "false");
    c.execute(kTable);
    c.query(kLongQuery);
    EXPECT_EQ(terminal.restore(), "") << "mode " << static_cast<int>(mode) << ", quiet " << quiet;
  }
}

TEST(QueryProgress, AShortQueryDrawsNothing) {
  TerminalStderr terminal;
  if (!terminal.ok()) {
    GTEST_SKIP() << "no pseudo-terminal here";
  }
  const ProgressSettings settings(core::ProgressMode::Auto, false);
  auto db = Database::open(":memory:");
  Connection c(db);
  EXPECT_EQ(c.query("select 42").scalar_int64(), 42);
  EXPECT_EQ(terminal.restore(), "");
}

}  // namespace
}  // namespace aa::duck
