#pragma once
// The project's .sql files, embedded in the binary at build time (cmake/EmbedSql.cmake).

#include <map>
#include <string>

namespace aa::core {

// All files by path relative to src/, e.g. "features/sql/marts/customer_features.sql".
const std::map<std::string, std::string>& embedded_sql();

// One file's text; AppError(NotFound) naming the path if it is not embedded.
const std::string& sql_file(const std::string& path);

}  // namespace aa::core
