#pragma once
// Runs the SQL model files: each file is one select; it becomes a view (staging) or a table
// (marts) named after the file. Sources are bound by name, so the same models run over the
// lake's Parquet files, over test fixtures, or (later) on another engine.

#include <filesystem>
#include <string>

#include "core/duck.h"

namespace aa {
namespace fs = std::filesystem;
}  // namespace aa

namespace aa::features {

enum class Materialization { View, Table };

class SqlRunner {
 public:
  explicit SqlRunner(duck::Connection& connection) : connection_(connection) {}

  // Makes `name` a view over a Parquet file.
  void bind_parquet(const std::string& name, const fs::path& parquet);
  // Runs the embedded model at `path` (relative to src/) and returns the relation's name.
  std::string run(const std::string& path, Materialization materialization);
  // Runs staging models as views, then marts as tables, in the order given.
  static std::string model_name(const std::string& path);

 private:
  duck::Connection& connection_;
};

}  // namespace aa::features
