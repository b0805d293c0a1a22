#pragma once
// User errors that stop an operation. Caught in exactly two places: the CLI's main
// (one line on stderr, exit code 2) and, later, the server's exception handler.
// Expected outcomes (rows failing validation) are values, never AppErrors.

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>

#include <fmt/core.h>

namespace aa::core {

enum class ErrorKind { InvalidInput, NotFound, Io, Conflict, Database, Model };

const char* to_string(ErrorKind kind);

// Where in an input file an error sits. line and column are 1-based; 0 means unknown.
struct Location {
  std::string file;
  std::int64_t line = 0;
  std::int64_t column = 0;
  std::string column_name;
  std::string rule;
};

class AppError : public std::runtime_error {
 public:
  AppError(ErrorKind kind, const std::string& message);
  AppError(ErrorKind kind, Location where, const std::string& message);

  ErrorKind kind() const { return kind_; }
  const std::optional<Location>& location() const { return location_; }

 private:
  ErrorKind kind_;
  std::optional<Location> location_;
};

// "file:line:column: [rule] message" — the one format every located error is printed in.
std::string format_located(const Location& where, const std::string& message);

template <typename... Args>
[[noreturn]] void fail(ErrorKind kind, fmt::format_string<Args...> format, Args&&... args) {
  throw AppError(kind, fmt::format(format, std::forward<Args>(args)...));
}

template <typename... Args>
[[noreturn]] void fail_at(Location where, fmt::format_string<Args...> format, Args&&... args) {
  throw AppError(ErrorKind::InvalidInput, std::move(where),
                 fmt::format(format, std::forward<Args>(args)...));
}

}  // namespace aa::core
