#pragma once
// Helpers shared by the tests: temporary folders, files, running the CLI as a process.

#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "core/app_error.h"

namespace aa::test {

namespace fs = std::filesystem;

// The data set's header lines, written out (not derived from the product's schema).
inline const std::string kLoyaltyHeader =
    "Loyalty Number,Country,Province,City,Postal Code,Gender,Education,Salary,Marital Status,"
    "Loyalty Card,CLV,Enrollment Type,Enrollment Year,Enrollment Month,Cancellation Year,"
    "Cancellation Month\n";
inline const std::string kActivityHeader =
    "Loyalty Number,Year,Month,Total Flights,Distance,Points Accumulated,Points Redeemed,"
    "Dollar Cost Points Redeemed\n";

// A fresh folder, removed with everything in it when the object goes.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const fs::path& path() const { return path_; }
  fs::path operator/(const std::string& name) const { return path_ / name; }

 private:
  fs::path path_;
};

void write_text(const fs::path& path, const std::string& text);
std::string read_text(const fs::path& path);

struct ProcessResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs a program with arguments; AIRLINE_* variables of the test's own environment are
// removed and `env` added (replacing inherited variables of the same names). cwd: working folder
// (default: current).
ProcessResult run_process(const std::vector<std::string>& argv,
                          const std::map<std::string, std::string>& env = {},
                          const fs::path& cwd = {});

// Runs the airline-analytics binary built with the tests.
ProcessResult run_cli(const std::vector<std::string>& args,
                      const std::map<std::string, std::string>& env = {}, const fs::path& cwd = {});

// Paths configured by CMake.
fs::path cli_binary();
fs::path source_dir();
fs::path real_data_dir();  // ../shared/data/airline-loyalty
fs::path python();         // the test venv's interpreter

}  // namespace aa::test

namespace aa::core {
// Error kinds by name in gtest's failure messages ("Database", not "4-byte object <04-00 00-00>"):
// in ErrorKind's namespace, where gtest finds it.
inline void PrintTo(ErrorKind kind, std::ostream* os) { *os << to_string(kind); }
}  // namespace aa::core

// Asserts that `statement` throws AppError of `kind` whose message equals `message`.
#define EXPECT_APP_ERROR(statement, error_kind, expected_message)      \
  do {                                                                 \
    try {                                                              \
      statement;                                                       \
      ADD_FAILURE() << "expected AppError: " << (expected_message);    \
    } catch (const ::aa::core::AppError& e) {                          \
      EXPECT_EQ(e.kind(), (error_kind)) << e.what();                   \
      EXPECT_EQ(std::string(e.what()), std::string(expected_message)); \
    }                                                                  \
  } while (0)

// Asserts that `statement` throws AppError of `kind` whose message contains `expected_part`
// (for messages that carry text from a library, such as DuckDB's, or that vary with the input).
#define EXPECT_APP_ERROR_CONTAINS(statement, error_kind, expected_part)                    \
  do {                                                                                     \
    try {                                                                                  \
      statement;                                                                           \
      ADD_FAILURE() << "expected AppError containing: " << (expected_part);                \
    } catch (const ::aa::core::AppError& e) {                                              \
      EXPECT_EQ(e.kind(), (error_kind)) << e.what();                                       \
      EXPECT_NE(std::string(e.what()).find(std::string(expected_part)), std::string::npos) \
          << "message: " << e.what() << "\nexpected to contain: " << (expected_part);      \
    }                                                                                      \
  } while (0)

namespace aa::test {

// moto's server (the test venv's moto_server) on 127.0.0.1 and a free port, for S3, Athena and
// SageMaker tests; started by the constructor (it waits until the server answers) and stopped
// by the destructor. `env()` gives the AWS variables that point the binary at it.
class MotoServer {
 public:
  MotoServer();
  ~MotoServer();
  MotoServer(const MotoServer&) = delete;
  MotoServer& operator=(const MotoServer&) = delete;
  const std::string& url() const { return url_; }
  std::map<std::string, std::string> env() const;

 private:
  int pid_ = -1;
  std::string url_;
};

}  // namespace aa::test
