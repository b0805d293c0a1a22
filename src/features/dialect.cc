#include "features/dialect.h"

#include <fmt/format.h>

#include <array>
#include <cctype>
#include <regex>

#include "core/app_error.h"

namespace aa::features {

namespace {

struct Macro {
  const char* name;
  const char* duckdb;
  const char* spark;
};

// The dialect differences, all of them.
constexpr std::array<Macro, 1> kMacros = {{
    {"quantile_exact", "quantile_cont", "percentile"},
}};

std::int64_t line_of(const std::string& text, std::size_t pos) {
  std::int64_t line = 1;
  for (std::size_t i = 0; i < pos && i < text.size(); ++i) {
    line += text[i] == '\n' ? 1 : 0;
  }
  return line;
}

std::string trim(const std::string& s) {
  std::size_t b = 0;
  std::size_t e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b])) != 0) {
    ++b;
  }
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1])) != 0) {
    --e;
  }
  return s.substr(b, e - b);
}

// Removes `-- ...` to the end of each line, outside quoted strings and identifiers.
std::string strip_line_comments(const std::string& sql) {
  std::string out;
  out.reserve(sql.size());
  char quote = 0;
  for (std::size_t i = 0; i < sql.size(); ++i) {
    const char c = sql[i];
    if (quote != 0) {
      out.push_back(c);
      if (c == quote) {
        quote = 0;  // a doubled quote closes and reopens: same result
      }
      continue;
    }
    if (c == '\'' || c == '"' || c == '`') {
      quote = c;
      out.push_back(c);
      continue;
    }
    if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
      while (i < sql.size() && sql[i] != '\n') {
        ++i;
      }
      if (i < sql.size()) {
        out.push_back('\n');
      }
      continue;
    }
    out.push_back(c);
  }
  return out;
}

}  // namespace

const char* to_string(SqlEngine engine) { return engine == SqlEngine::Spark ? "spark" : "duckdb"; }

SqlEngine parse_sql_engine(const std::string& name) {
  if (name == "duckdb") {
    return SqlEngine::DuckDB;
  }
  if (name == "spark") {
    return SqlEngine::Spark;
  }
  core::fail(core::ErrorKind::InvalidInput, "unknown engine '{}' (choose duckdb or spark)", name);
}

std::vector<std::string> sql_macro_names() {
  std::vector<std::string> names;
  for (const auto& m : kMacros) {
    names.emplace_back(m.name);
  }
  return names;
}

std::string render_model(const std::string& model, const std::string& sql, SqlEngine engine) {
  std::string out;
  out.reserve(sql.size());
  std::size_t pos = 0;
  while (true) {
    const std::size_t open = sql.find("{{", pos);
    if (open == std::string::npos) {
      out.append(sql, pos, std::string::npos);
      break;
    }
    out.append(sql, pos, open - pos);
    const std::size_t close = sql.find("}}", open + 2);
    if (close == std::string::npos) {
      core::fail(core::ErrorKind::InvalidInput, "{}:{}: '{{{{' without a closing '}}}}'", model,
                 line_of(sql, open));
    }
    const std::string name = trim(sql.substr(open + 2, close - open - 2));
    const Macro* found = nullptr;
    for (const auto& m : kMacros) {
      if (name == m.name) {
        found = &m;
      }
    }
    if (found == nullptr) {
      core::fail(core::ErrorKind::InvalidInput, "{}:{}: unknown SQL macro '{}' (known: {})", model,
                 line_of(sql, open), name, fmt::join(sql_macro_names(), ", "));
    }
    out += engine == SqlEngine::Spark ? found->spark : found->duckdb;
    pos = close + 2;
  }
  return engine == SqlEngine::Spark ? strip_line_comments(out) : out;
}

std::vector<std::string> portability_findings(const std::string& model, const std::string& sql) {
  struct Rule {
    const char* pattern;
    const char* construct;
    const char* why;
  };
  static const std::array<Rule, 9> rules = {{
      {R"(\bexclude\s*\()", "select * exclude (...)", "DuckDB only"},
      {R"(\bgroup\s+by\s+all\b)", "group by all", "DuckDB only"},
      {R"(\border\s+by\s+all\b)", "order by all", "DuckDB only"},
      {R"(::)", "'::' casts", "DuckDB/PostgreSQL only; use cast(x as type)"},
      {R"(\bas\s+varchar\b)", "cast to varchar", "Spark needs a length; use string"},
      {R"(\b(quantile_cont|quantile_disc|quantile|median|percentile)\s*\()",
       "an engine's quantile function", "use {{ quantile_exact }}"},
      {R"(\b(approx_quantile|approx_percentile|percentile_approx|approx_count_distinct)\b)",
       "an approximate aggregate", "results must be exact and equal on every engine"},
      {R"(\b(date_diff|datediff|date_sub|date_add|add_months|months_between|age)\s*\()",
       "date arithmetic", "differs between engines; use the month indexes"},
      {R"(\b(list|struct_pack|unnest|qualify)\b)", "a DuckDB-only construct", "DuckDB only"},
  }};
  std::vector<std::string> findings;
  const std::string text = strip_line_comments(sql);
  for (const auto& rule : rules) {
    const std::regex re(rule.pattern, std::regex::icase);
    for (auto it = std::sregex_iterator(text.begin(), text.end(), re); it != std::sregex_iterator();
         ++it) {
      findings.push_back(fmt::format("{}:{}: {} ({})", model,
                                     line_of(text, static_cast<std::size_t>(it->position())),
                                     rule.construct, rule.why));
    }
  }
  return findings;
}

}  // namespace aa::features
