// Runs one golden SQL test file in DuckDB's sqllogictest format through our DuckDB wrapper:
//   # name: / # description: / # group:      header comments
//   statement ok | statement error            then SQL; for error, "----" and a message part
//   query <type letters> [rowsort]            then SQL, "----", expected rows (tab-separated)
//   model <path relative to src/>             runs an embedded model (staging: view, marts: table)
//   script <path relative to src/>            runs an embedded SQL script as it is (statements
//                                             that create their own tables, ops_members.sql)
// Values print as DuckDB casts them to text; NULL prints as NULL. Exit 0 when all pass.

#include <algorithm>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "core/app_error.h"
#include "core/duck.h"
#include "core/sql_files.h"
#include "features/sql_runner.h"

namespace {

struct Block {
  int line = 0;
  std::vector<std::string> lines;
};

std::vector<Block> split_blocks(std::istream& in) {
  std::vector<Block> blocks;
  Block current;
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (!line.empty() && line.back() == '\r') {
      line.pop_back();
    }
    if (line.empty()) {
      if (!current.lines.empty()) {
        blocks.push_back(current);
      }
      current = Block{};
      continue;
    }
    if (line[0] == '#' && current.lines.empty()) {
      continue;
    }
    if (current.lines.empty()) {
      current.line = number;
    }
    current.lines.push_back(line);
  }
  if (!current.lines.empty()) {
    blocks.push_back(current);
  }
  return blocks;
}

std::string join(const std::vector<std::string>& lines, std::size_t from, std::size_t to,
                 const char* sep) {
  std::string out;
  for (std::size_t i = from; i < to; ++i) {
    out += (i > from ? sep : "") + lines[i];
  }
  return out;
}

std::size_t separator(const Block& b) {
  const auto it = std::find(b.lines.begin(), b.lines.end(), "----");
  return static_cast<std::size_t>(it - b.lines.begin());
}

bool run_query(aa::duck::Connection& c, const Block& b, const std::string& file) {
  std::istringstream head(b.lines[0]);
  std::string word, types, sort;
  head >> word >> types >> sort;
  const std::size_t sep = separator(b);
  const std::string sql = join(b.lines, 1, sep, "\n");
  std::vector<std::string> expected(b.lines.begin() + static_cast<long>(std::min(sep + 1, b.lines.size())),
                                    b.lines.end());
  auto result = c.query(sql);
  if (result.column_count() != types.size()) {
    std::cerr << file << ":" << b.line << ": query returns " << result.column_count()
              << " columns but declares " << types.size() << "\n";
    return false;
  }
  std::vector<std::string> actual;
  for (std::size_t r = 0; r < result.row_count(); ++r) {
    std::string row;
    for (std::size_t col = 0; col < result.column_count(); ++col) {
      row += (col ? "\t" : "") + result.text(col, r).value_or("NULL");
    }
    actual.push_back(row);
  }
  if (sort == "rowsort") {
    std::sort(actual.begin(), actual.end());
    std::sort(expected.begin(), expected.end());
  }
  if (actual == expected) {
    return true;
  }
  std::cerr << file << ":" << b.line << ": wrong result\n  query:\n" << sql << "\n  expected:\n";
  for (const auto& e : expected) {
    std::cerr << "    " << e << "\n";
  }
  std::cerr << "  actual:\n";
  for (const auto& a : actual) {
    std::cerr << "    " << a << "\n";
  }
  return false;
}

bool run_statement(aa::duck::Connection& c, const Block& b, const std::string& file) {
  const bool expect_error = b.lines[0] == "statement error";
  const std::size_t sep = separator(b);
  const std::string sql = join(b.lines, 1, sep, "\n");
  try {
    c.execute(sql);
    if (expect_error) {
      std::cerr << file << ":" << b.line << ": statement succeeded but an error was expected\n";
      return false;
    }
    return true;
  } catch (const aa::core::AppError& e) {
    if (!expect_error) {
      std::cerr << file << ":" << b.line << ": " << e.what() << "\n";
      return false;
    }
    const std::string want = sep < b.lines.size() ? join(b.lines, sep + 1, b.lines.size(), "\n") : "";
    if (std::string(e.what()).find(want) == std::string::npos) {
      std::cerr << file << ":" << b.line << ": error '" << e.what() << "' does not contain '"
                << want << "'\n";
      return false;
    }
    return true;
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: sqllogic_runner FILE.test\n";
    return 2;
  }
  const std::string file = argv[1];
  std::ifstream in(file);
  if (!in) {
    std::cerr << "cannot read " << file << "\n";
    return 2;
  }
  auto db = aa::duck::Database::open(":memory:");
  aa::duck::Connection connection(db);
  aa::features::SqlRunner models(connection);
  int passed = 0;
  int failed = 0;
  for (const auto& block : split_blocks(in)) {
    const std::string& head = block.lines[0];
    bool ok = false;
    try {
      if (head.rfind("statement ", 0) == 0) {
        ok = run_statement(connection, block, file);
      } else if (head.rfind("query ", 0) == 0) {
        ok = run_query(connection, block, file);
      } else if (head.rfind("script ", 0) == 0) {
        connection.execute(aa::core::sql_file(head.substr(7)));
        ok = true;
      } else if (head.rfind("model ", 0) == 0) {
        const std::string path = head.substr(6);
        models.run(path, path.find("/marts/") != std::string::npos
                             ? aa::features::Materialization::Table
                             : aa::features::Materialization::View);
        ok = true;
      } else {
        std::cerr << file << ":" << block.line << ": unknown directive '" << head << "'\n";
      }
    } catch (const aa::core::AppError& e) {
      std::cerr << file << ":" << block.line << ": " << e.what() << "\n";
    }
    (ok ? passed : failed)++;
  }
  std::cout << passed << " passed, " << failed << " failed\n";
  return failed == 0 && passed > 0 ? 0 : 1;
}
