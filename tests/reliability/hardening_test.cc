// The read path's DuckDB connection can read the warehouse and nothing else, and the sources
// reachable from the server and the analyst neither start processes nor build SQL from values.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <string>
#include <vector>

#include "core/app_error.h"
#include "ops/ops_fixture.h"
#include "ops/registry.h"
#include "support/test_support.h"

namespace aa::test {
namespace {

namespace fs = std::filesystem;

std::string read_source(const fs::path& path) {
  std::ifstream in(path);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Every C++ source under src/ (headers included).
std::vector<fs::path> sources() {
  std::vector<fs::path> out;
  for (const auto& e : fs::recursive_directory_iterator(source_dir() / "src")) {
    const auto ext = e.path().extension();
    if (e.is_regular_file() && (ext == ".cc" || ext == ".h")) {
      out.push_back(e.path());
    }
  }
  return out;
}

class ReadPath : public ::testing::Test {
 protected:
  void SetUp() override { context_ = ops::OpsContext::open(write_fixture_lake(dir_.path())); }
  // A statement on the operations' own connection; the error text when it fails.
  std::string refusal(const std::string& sql) {
    try {
      context_->rows({sql, {}});
    } catch (const core::AppError& e) {
      return e.what();
    }
    return "";
  }
  TempDir dir_;
  std::unique_ptr<ops::OpsContext> context_;
};

TEST_F(ReadPath, FilesAttachCopyAndExtensionsAreRefused) {
  // The warehouse itself still reads.
  EXPECT_EQ(context_->row({"select count(*) as n from wh.customer_features", {}})["n"], 12);
  const fs::path outside = dir_ / "outside.csv";
  write_text(outside, "a,b\n1,2\n");
  const std::vector<std::string> statements = {
      "select * from read_csv('/etc/passwd')",
      "select * from read_csv(" + duck::quote_literal(outside.string()) + ")",
      "select * from read_parquet(" +
          duck::quote_literal((dir_ / "processed" / "customer_features.parquet").string()) + ")",
      "copy (select 1) to " + duck::quote_literal((dir_ / "copied.csv").string()),
      "copy wh.customer_features to " + duck::quote_literal((dir_ / "stolen.parquet").string()),
      "attach " + duck::quote_literal((dir_ / "other.duckdb").string()) + " as other",
      "install httpfs",
      "load httpfs",
      "set enable_external_access = true",
      "set lock_configuration = false",
      "reset enable_external_access",
      "insert into wh.customer_features (loyalty_number) values (1)",
      "drop view wh.customer_scored",
  };
  for (const auto& sql : statements) {
    EXPECT_NE(refusal(sql), "") << "ran: " << sql;
  }
  EXPECT_FALSE(fs::exists(dir_ / "copied.csv"));
  EXPECT_FALSE(fs::exists(dir_ / "stolen.parquet"));
  EXPECT_FALSE(fs::exists(dir_ / "other.duckdb"));
  EXPECT_NE(refusal("select * from read_csv('/etc/passwd')").find("disabled"), std::string::npos)
      << refusal("select * from read_csv('/etc/passwd')");
  // Operations are unaffected.
  const auto kpis = ops::run_operation(*context_, "kpis_baseline", nlohmann::json::object(),
                                       nlohmann::json::object());
  EXPECT_EQ(kpis.at("result").at("customers"), 12) << kpis.dump();
}

// No system, popen, fork, exec* or posix_spawn in the product's sources but one: the Spark
// engine (features/spark_engine.cc) starts the user's spark-sql with posix_spawnp and an argv,
// no shell, and only the batch `features` and `run` commands reach it. The server and the
// analyst reach core, ops, model (scoring) and the CLI's main. XGBoost is loaded with dlopen
// (model/xgb.cc), which loads a library and starts nothing.
TEST(StaticSafety, NoProcessExecutionOutsideTheSparkEngine) {
  const std::regex process_call(
      R"(\b(system|popen|fork|vfork|execl|execlp|execle|execv|execvp|execvpe|execve|fexecve|posix_spawnp?|wordexp)\s*\()");
  const std::regex dlopen_call(R"(\bdlopen\s*\()");
  const std::regex spark_run(R"(\brun_spark_sql\s*\()");
  const std::regex features_build(R"(\bbuild_customer_features\s*\()");
  int files = 0;
  for (const auto& path : sources()) {
    const std::string text = read_source(path);
    const std::string name = path.filename().string();
    ++files;
    if (name == "spark_engine.cc") {
      std::vector<std::string> calls;
      for (auto it = std::sregex_iterator(text.begin(), text.end(), process_call);
           it != std::sregex_iterator(); ++it) {
        calls.push_back((*it)[1]);
      }
      EXPECT_EQ(calls, std::vector<std::string>{"posix_spawnp"}) << path;
      EXPECT_EQ(text.find("/bin/sh"), std::string::npos) << path;
    } else {
      EXPECT_FALSE(std::regex_search(text, process_call)) << path << " starts a process";
    }
    if (name != "xgb.cc") {
      EXPECT_FALSE(std::regex_search(text, dlopen_call)) << path << " loads a library";
    }
    // Who can reach the Spark engine: the features stage, from the batch commands (run's
    // monthly operation, monthly_run.cc, in-process as every stage).
    if (std::regex_search(text, spark_run)) {
      EXPECT_TRUE(name == "spark_engine.cc" || name == "spark_engine.h" || name == "features.cc")
          << path << " runs Spark";
    }
    if (std::regex_search(text, features_build)) {
      EXPECT_TRUE(name == "features.cc" || name == "features.h" || name == "cmd_features.cc" ||
                  name == "cmd_run.cc" || name == "cmd_recovery.cc" ||
                  name == "monthly_run.cc")
          << path << " builds the features";
    }
  }
  EXPECT_GE(files, 100);
  EXPECT_TRUE(std::regex_search(std::string("::execv(\"/proc/self/exe\", argv);"), process_call));
  EXPECT_TRUE(std::regex_search(std::string("std::system (cmd)"), process_call));
  EXPECT_FALSE(std::regex_search(std::string("ecosystem(x)"), process_call));
}

// SQL on the request path (operations, server, analyst) is text fixed in the source; values
// travel as bound parameters. The lint takes every argument of query/prepare/execute/SqlPart
// that is built with `+` or fmt::format and fails when it mentions a request value: the
// operation's parameters, the filters, the request or its body, a question.
TEST(StaticSafety, NoSqlBuiltFromRequestValues) {
  const std::regex value_name(
      R"(\b(params?|filters?|request|req|body|question|payload|args|input)\b)");
  const std::regex sql_call(R"((\bquery|\bprepare|\bexecute|\brows|\brow|SqlPart\s*\{?)\s*\()");
  auto offending = [&](const std::string& text) {
    std::vector<std::string> found;
    for (auto it = std::sregex_iterator(text.begin(), text.end(), sql_call);
         it != std::sregex_iterator(); ++it) {
      // The call's argument list, up to the matching parenthesis.
      std::size_t pos = static_cast<std::size_t>(it->position() + it->length());
      int depth = 1;
      const std::size_t start = pos;
      bool in_string = false;
      for (; pos < text.size() && depth > 0; ++pos) {
        const char c = text[pos];
        if (c == '"' && (pos == 0 || text[pos - 1] != '\\')) {
          in_string = !in_string;
        } else if (!in_string && c == '(') {
          ++depth;
        } else if (!in_string && c == ')') {
          --depth;
        }
      }
      const std::string args = text.substr(start, pos - start);
      // Only the code outside string literals counts.
      const std::string code = std::regex_replace(args, std::regex(R"("([^"\\]|\\.)*")"), "\"\"");
      const bool built =
          code.find('+') != std::string::npos || code.find("format(") != std::string::npos;
      if (built && std::regex_search(code, value_name)) {
        found.push_back(args.substr(0, 120));
      }
    }
    return found;
  };
  int files = 0;
  for (const auto& path : sources()) {
    const std::string area = path.parent_path().filename().string();
    if (area != "ops" && area != "server" && area != "analyst") {
      continue;
    }
    ++files;
    for (const auto& call : offending(read_source(path))) {
      ADD_FAILURE() << path << ": SQL built from a request value: " << call;
    }
  }
  EXPECT_GE(files, 30);
  // The lint finds what it looks for, and leaves bound values alone.
  EXPECT_EQ(offending("ctx.query(\"select * from t where p = '\" + params[\"p\"] + \"'\");").size(),
            1u);
  EXPECT_EQ(offending("c.prepare(fmt::format(\"select {} from t\", request.column));").size(), 1u);
  EXPECT_EQ(offending("rows(SqlPart{\"select * from t where p = ?\", {params.at(\"p\")}});").size(),
            0u);
  EXPECT_EQ(offending("c.query(\"select \" + kColumns + \" from members\");").size(), 0u);
}

}  // namespace
}  // namespace aa::test
