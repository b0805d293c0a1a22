#include "core/app_error.h"

namespace aa::core {

const char* to_string(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::InvalidInput:
      return "invalid input";
    case ErrorKind::NotFound:
      return "not found";
    case ErrorKind::Io:
      return "i/o error";
    case ErrorKind::Conflict:
      return "conflict";
    case ErrorKind::Database:
      return "database error";
    case ErrorKind::Model:
      return "model error";
  }
  return "error";
}

std::string format_located(const Location& where, const std::string& message) {
  std::string out = where.file;
  if (where.line > 0) {
    out += fmt::format(":{}", where.line);
    if (where.column > 0) {
      out += fmt::format(":{}", where.column);
    }
  }
  out += ": ";
  if (!where.column_name.empty()) {
    out += fmt::format("column '{}': ", where.column_name);
  }
  if (!where.rule.empty()) {
    out += fmt::format("[{}] ", where.rule);
  }
  return out + message;
}

AppError::AppError(ErrorKind kind, const std::string& message)
    : std::runtime_error(message), kind_(kind) {}

AppError::AppError(ErrorKind kind, Location where, const std::string& message)
    : std::runtime_error(format_located(where, message)),
      kind_(kind),
      location_(std::move(where)) {}

}  // namespace aa::core
