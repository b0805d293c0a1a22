#include "features/dialect.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "core/sql_files.h"
#include "features/features.h"
#include "features/spark_engine.h"
#include "support/test_support.h"

namespace aa {
namespace {

TEST(Dialect, MacrosRenderPerEngineAndEverythingElsePassesThrough) {
  const std::string ok =
      "select {{quantile_exact}}(x, 0.2) as q, '--kept' as s -- gone; gone\n"
      "from t -- also gone\nwhere y = 1";
  EXPECT_EQ(features::render_model("m.sql", ok, features::SqlEngine::DuckDB),
            "select quantile_cont(x, 0.2) as q, '--kept' as s -- gone; gone\n"
            "from t -- also gone\nwhere y = 1");
  EXPECT_EQ(features::render_model("m.sql", ok, features::SqlEngine::Spark),
            "select percentile(x, 0.2) as q, '--kept' as s \nfrom t \nwhere y = 1");
}

TEST(Dialect, UnknownAndUnterminatedMacrosAreLocatedErrors) {
  EXPECT_APP_ERROR(features::render_model("marts/x.sql", "select 1\n\n, {{ median }}(y)",
                                          features::SqlEngine::Spark),
                   core::ErrorKind::InvalidInput,
                   "marts/x.sql:3: unknown SQL macro 'median' (known: quantile_exact)");
  EXPECT_APP_ERROR(features::render_model("marts/x.sql", "select\n{{ quantile_exact",
                                          features::SqlEngine::DuckDB),
                   core::ErrorKind::InvalidInput, "marts/x.sql:2: '{{' without a closing '}}'");
}

TEST(Dialect, EngineNames) {
  EXPECT_EQ(features::parse_sql_engine("spark"), features::SqlEngine::Spark);
  EXPECT_EQ(features::parse_sql_engine("duckdb"), features::SqlEngine::DuckDB);
  EXPECT_STREQ(to_string(features::SqlEngine::Spark), "spark");
  EXPECT_APP_ERROR(features::parse_sql_engine("Spark"), core::ErrorKind::InvalidInput,
                   "unknown engine 'Spark' (choose duckdb or spark)");
}

// The shared models use only what both engines have.
TEST(Dialect, TheFeatureModelsArePortable) {
  for (const auto& model : features::feature_models()) {
    EXPECT_EQ(features::portability_findings(model, core::sql_file(model)),
              std::vector<std::string>{})
        << model;
    for (const auto engine : {features::SqlEngine::DuckDB, features::SqlEngine::Spark}) {
      const std::string rendered = features::render_model(model, core::sql_file(model), engine);
      EXPECT_EQ(rendered.find("{{"), std::string::npos) << model;
      if (engine == features::SqlEngine::Spark) {  // spark-sql splits its script at every ';'
        EXPECT_EQ(rendered.find(';'), std::string::npos) << model;
      }
    }
  }
  EXPECT_NE(core::sql_file("features/sql/marts/customer_features.sql").find("{{ quantile_exact }}"),
            std::string::npos);
}

TEST(Dialect, PortabilityFindingsNameTheLineAndTheConstruct) {
  const std::string sql =
      "select * exclude (a),\n"
      "  x::int,\n"
      "  cast(y as varchar),\n"
      "  quantile_cont(z, 0.5), approx_quantile(z, 0.5), percentile_approx(z, 0.5),\n"
      "  date_diff('month', a, b)\n"
      "from t group by all -- exclude (ok in a comment)\n"
      "order by all";
  const auto findings = features::portability_findings("m.sql", sql);
  const std::vector<std::string> expected = {
      "m.sql:1: select * exclude (...) (DuckDB only)",
      "m.sql:6: group by all (DuckDB only)",
      "m.sql:7: order by all (DuckDB only)",
      "m.sql:2: '::' casts (DuckDB/PostgreSQL only; use cast(x as type))",
      "m.sql:3: cast to varchar (Spark needs a length; use string)",
      "m.sql:4: an engine's quantile function (use {{ quantile_exact }})",
      "m.sql:4: an approximate aggregate (results must be exact and equal on every engine)",
      "m.sql:4: an approximate aggregate (results must be exact and equal on every engine)",
      "m.sql:5: date arithmetic (differs between engines; use the month indexes)",
  };
  EXPECT_EQ(findings, expected);
}

TEST(SparkScript, RunsTheModelsInOrderOverTheLakeAndWritesParquet) {
  const std::string script = features::spark_features_script(
      features::feature_models(), "file:/lake/processed/l.parquet", "s3a://bucket/p/a.parquet",
      "file:/lake/_work/spark/customer_features");
  const auto at = [&](const std::string& text) {
    const auto pos = script.find(text);
    EXPECT_NE(pos, std::string::npos) << text << "\n" << script;
    return pos;
  };
  const auto sources =
      at("create or replace temporary view src_customer_loyalty_history\n"
         "using parquet options (path 'file:/lake/processed/l.parquet');");
  at("using parquet options (path 's3a://bucket/p/a.parquet');");
  const auto stg = at("create or replace temporary view stg_customer_loyalty_history as\n");
  const auto mart = at("create or replace temporary view customer_features as\n");
  const auto out =
      at("insert overwrite directory 'file:/lake/_work/spark/customer_features'\n"
         "using parquet options (compression 'zstd')\nselect * from customer_features;");
  EXPECT_LT(sources, stg);
  EXPECT_LT(stg, mart);
  EXPECT_LT(mart, out);
  at("percentile(monetary, 0.8) as m80");
  EXPECT_EQ(script.find("quantile_cont"), std::string::npos);
  // Statements: 2 sources + 3 models + the insert, each ended by one ';'.
  EXPECT_EQ(std::count(script.begin(), script.end(), ';'), 6);
}

TEST(SparkScript, PathsAreQuotedAndThoseAScriptCannotCarryRefused) {
  const std::string script = features::spark_features_script(features::feature_models(),
                                                             "file:/a'b\\c", "file:/x", "file:/o");
  EXPECT_NE(script.find("(path 'file:/a\\'b\\\\c')"), std::string::npos) << script;
  EXPECT_APP_ERROR(features::spark_features_script(features::feature_models(), "file:/a;b",
                                                   "file:/x", "file:/o"),
                   core::ErrorKind::InvalidInput,
                   "'file:/a;b' contains ';' or a line break, which a spark-sql script cannot "
                   "carry; use another folder name");
  EXPECT_EQ(features::spark_location("s3a://b/k"), "s3a://b/k");
  EXPECT_EQ(features::spark_location("/tmp/x/../y"), "file:/tmp/y");
}

}  // namespace
}  // namespace aa
