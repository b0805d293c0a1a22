#include "core/sql_files.h"

#include "core/app_error.h"

namespace aa::core {

const std::string& sql_file(const std::string& path) {
  const auto& files = embedded_sql();
  const auto it = files.find(path);
  if (it == files.end()) {
    fail(ErrorKind::NotFound, "no SQL model '{}' is built into this binary", path);
  }
  return it->second;
}

}  // namespace aa::core
