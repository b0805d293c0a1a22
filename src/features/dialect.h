#pragma once
// The SQL models are written once, in the subset of SQL that DuckDB and Spark SQL share. Where
// the engines differ, a model names a macro, `{{ name }}`, and this file is the one place that
// says what each engine writes for it. Everything else in a model is passed through unchanged.
//
//   {{ quantile_exact }}(x, p)   an exact quantile with linear interpolation (pandas' default):
//                                DuckDB quantile_cont, Spark percentile (never the approximate
//                                percentile_approx / approx_percentile).
//
// Month arithmetic needs no macro: the staging models turn (year, month) into a month index,
// year * 12 + month - 1, and every later model does integer arithmetic on it.

#include <string>
#include <vector>

namespace aa::features {

enum class SqlEngine { DuckDB, Spark };

const char* to_string(SqlEngine engine);
// "duckdb" or "spark"; AppError(InvalidInput) listing the choices otherwise.
SqlEngine parse_sql_engine(const std::string& name);

// The macros a model may use, by name.
std::vector<std::string> sql_macro_names();

// `sql` with every {{ name }} replaced by the engine's text. An unknown or unterminated macro
// is an AppError(InvalidInput) naming `model` and the line. For Spark, `--` comments are also
// removed (spark-sql's script reader splits statements at every ';', even inside a comment).
std::string render_model(const std::string& model, const std::string& sql, SqlEngine engine);

// Constructs the shared models must not use, because one engine lacks them: each finding is
// "model:line: construct (why)". Empty when the model is portable.
std::vector<std::string> portability_findings(const std::string& model, const std::string& sql);

}  // namespace aa::features
