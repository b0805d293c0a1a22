#include "features/sql_runner.h"

#include "core/sql_files.h"
#include "features/dialect.h"

namespace aa::features {

void SqlRunner::bind_parquet(const std::string& name, const fs::path& parquet) {
  connection_.execute("create or replace view " + duck::quote_ident(name) +
                      " as select * from read_parquet(" + duck::quote_literal(parquet.string()) +
                      ")");
}

std::string SqlRunner::model_name(const std::string& path) { return fs::path(path).stem(); }

std::string SqlRunner::run(const std::string& path, Materialization materialization) {
  const std::string name = model_name(path);
  const char* kind = materialization == Materialization::View ? "view" : "table";
  connection_.execute("create or replace " + std::string(kind) + " " + duck::quote_ident(name) +
                      " as " + render_model(path, core::sql_file(path), SqlEngine::DuckDB));
  return name;
}

}  // namespace aa::features
