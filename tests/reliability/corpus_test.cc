// The malformed-input corpus: generated cases across both files, each run through the binary's
// `ingest` as a user would. Every case must end in exactly one declared way: a located error
// (one stderr line "error: FILE:LINE:COLUMN: ... [RULE] ...", exit code 2, nothing published),
// quarantine records (exit 0, the rule at the expected line and column), or a located finding
// (a month without a row); and every loaded run balances: read = loaded + quarantined + merged,
// with `read` counted here, independently, from the rows the case wrote.
#include <gtest/gtest.h>

#include <cstdint>
#include <functional>
#include <iostream>
#include <nlohmann/json.hpp>
#include <regex>
#include <string>
#include <vector>

#include "core/duck.h"
#include "support/test_support.h"

namespace aa::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const std::string kLoyaltyFile = "Customer Loyalty History.csv";
const std::string kActivityFile = "Customer Flight Activity.csv";

std::string member(int number, const std::string& city = "Toronto",
                   const std::string& enrolled = "2016,2", const std::string& cancel = ",") {
  return std::to_string(number) + ",Canada,Ontario," + city + ",M2Z 4K1,Female,Bachelor,83236," +
         "Married,Star,3839.14,Standard," + enrolled + "," + cancel + "\n";
}

std::string month(int number, int year, int m, const std::string& distance = "3000") {
  return std::to_string(number) + "," + std::to_string(year) + "," + std::to_string(m) + ",2," +
         distance + "," + distance + ",0,0\n";
}

// Three members, each with 2018-01..03: 3 loyalty rows, 9 activity rows.
std::string loyalty_rows() { return member(1) + member(2) + member(3); }
std::string activity_rows() {
  std::string out;
  for (int n = 1; n <= 3; ++n) {
    for (int m = 1; m <= 3; ++m) {
      out += month(n, 2018, m);
    }
  }
  return out;
}

enum class Outcome { LocatedError, Quarantine, Finding };

struct Case {
  std::string name;
  std::string loyalty;   // whole file contents
  std::string activity;  // whole file contents
  Outcome outcome;
  std::string file;  // the file the error, record or finding names
  std::string rule;
  std::int64_t line = 0;
  std::int64_t column = 0;
  // Data rows each file holds (counted by the case, not by the product); loaded runs only.
  std::int64_t loyalty_rows = 3;
  std::int64_t activity_rows = 9;
};

std::vector<Case> corpus() {
  const std::string L = kLoyaltyHeader + loyalty_rows();
  const std::string A = kActivityHeader + activity_rows();
  const std::string bom = "\xEF\xBB\xBF";
  std::vector<Case> cases;
  auto error = [&](std::string name, std::string loyalty, std::string activity, std::string file,
                   std::string rule, std::int64_t line, std::int64_t column) {
    cases.push_back({std::move(name), std::move(loyalty), std::move(activity),
                     Outcome::LocatedError, std::move(file), std::move(rule), line, column});
  };
  auto quarantined = [&](std::string name, std::string loyalty, std::string activity,
                         std::string file, std::string rule, std::int64_t line, std::int64_t column,
                         std::int64_t loyalty_count = 3, std::int64_t activity_count = 9) {
    cases.push_back({std::move(name), std::move(loyalty), std::move(activity), Outcome::Quarantine,
                     std::move(file), std::move(rule), line, column, loyalty_count,
                     activity_count});
  };

  // Encoding.
  quarantined("bom_then_bad_value", bom + L, kActivityHeader + activity_rows() + month(1, 2018, 13),
              kActivityFile, "out_of_range", 11, 3, 3, 10);
  error("latin1",
        kLoyaltyHeader + member(1) +
            member(2,
                   "Montr\xE9"
                   "al") +
            member(3),
        A, kLoyaltyFile, "encoding", 3, 4);
  {
    std::string utf16 = "\xFF\xFE";
    for (const char c : L) {
      utf16 += c;
      utf16 += '\0';
    }
    error("utf16", utf16, A, kLoyaltyFile, "encoding", 1, 1);
  }
  {
    std::string nul = "1,2018,4,2,3";
    nul += '\0';
    nul += "00,3000,0,0\n";
    quarantined("nul_byte_in_a_value", L, kActivityHeader + activity_rows() + nul, kActivityFile,
                "not_integer", 11, 5, 3, 10);
  }
  // Structure.
  error("semicolon_delimiter", std::regex_replace(L, std::regex(","), ";"), A, kLoyaltyFile,
        "delimiter", 1, 1);
  quarantined(
      "quoted_newline_keeps_line_numbers",
      kLoyaltyHeader + member(1, "\"Tor\nonto\"") + member(2) + member(3, "Toronto", "1899,2"), A,
      kLoyaltyFile, "out_of_range", 5, 13);
  error("unterminated_quote", kLoyaltyHeader + member(1) + member(2, "\"Toronto") + member(3), A,
        kLoyaltyFile, "unterminated_quote", 3, 4);
  quarantined("short_row", L, kActivityHeader + activity_rows() + "1,2018,4,2,3000\n",
              kActivityFile, "field_count", 11, 0, 3, 10);
  quarantined("long_row", L, kActivityHeader + activity_rows() + "1,2018,4,2,3000,3000,0,0,9,9\n",
              kActivityFile, "field_count", 11, 0, 3, 10);
  error("duplicate_header_column", L,
        "Loyalty Number,Year,Month,Month,Total Flights,Distance,Points Accumulated,Points "
        "Redeemed,Dollar Cost Points Redeemed\n" +
            activity_rows(),
        kActivityFile, "duplicate_column", 1, 4);
  error("missing_header", loyalty_rows(), A, kLoyaltyFile, "unexpected_column", 1, 1);
  error("missing_column", L,
        "Loyalty Number,Year,Month,Total Flights,Distance,Points Accumulated,Points Redeemed\n" +
            std::string("1,2018,1,2,3000,3000,0\n"),
        kActivityFile, "missing_column", 1, 0);
  error("header_only", kLoyaltyHeader, A, kLoyaltyFile, "no_data_rows", 2, 1);
  error("blank_lines_only", "\n\n\n", A, kLoyaltyFile, "empty_file", 1, 1);
  error("zero_bytes", L, "", kActivityFile, "empty_file", 1, 1);
  // Values.
  quarantined("text_in_numeric_column", L,
              kActivityHeader + activity_rows() + month(2, 2018, 4, "far"), kActivityFile,
              "not_integer", 11, 5, 3, 10);
  {
    // A bad value after row 30,000: 1,300 members x 24 months; row 30,001 of the activity
    // file (line 30,002) holds text in Distance.
    std::string loyalty = kLoyaltyHeader;
    std::string activity = kActivityHeader;
    for (int n = 1; n <= 1300; ++n) {
      loyalty += member(n);
      for (int y = 2017; y <= 2018; ++y) {
        for (int m = 1; m <= 12; ++m) {
          activity += month(n, y, m);
        }
      }
    }
    // Row 30,001 (line 30,002) becomes member 1,251's 2017-01 with text in Distance.
    std::size_t at = 0;
    for (int l = 0; l < 30001; ++l) {
      at = activity.find('\n', at) + 1;
    }
    const std::size_t end = activity.find('\n', at) + 1;
    EXPECT_EQ(activity.substr(at, end - at), month(1251, 2017, 1));
    activity.replace(at, end - at, "1251,2017,1,2,12.5km,3000,0,0\n");
    quarantined("bad_value_after_row_30000", loyalty, activity, kActivityFile, "not_integer", 30002,
                5, 1300, 31200);
  }
  quarantined("month_zero", L, kActivityHeader + activity_rows() + month(1, 2018, 0), kActivityFile,
              "out_of_range", 11, 3, 3, 10);
  quarantined("month_thirteen", L, kActivityHeader + activity_rows() + month(1, 2018, 13),
              kActivityFile, "out_of_range", 11, 3, 3, 10);
  quarantined("year_1899", L, kActivityHeader + activity_rows() + month(1, 1899, 5), kActivityFile,
              "out_of_range", 11, 2, 3, 10);
  quarantined("negative_distance", L, kActivityHeader + activity_rows() + month(1, 2018, 4, "-120"),
              kActivityFile, "negative_value", 11, 5, 3, 10);
  quarantined("absurd_distance_1e12_km", L,
              kActivityHeader + activity_rows() + month(1, 2018, 4, "1000000000000"), kActivityFile,
              "out_of_range", 11, 5, 3, 10);
  quarantined("duplicate_member_key", L + member(2), A, kLoyaltyFile, "duplicate_member", 5, 1, 4,
              9);
  quarantined("activity_for_unknown_member", L,
              kActivityHeader + activity_rows() + month(42, 2018, 1), kActivityFile,
              "unknown_member", 11, 1, 3, 10);
  quarantined("cancellation_before_enrollment", L + member(4, "Toronto", "2016,2", "2015,7"), A,
              kLoyaltyFile, "cancellation_before_enrollment", 5, 0, 4, 9);
  quarantined("half_a_cancellation", L + member(4, "Toronto", "2016,2", "2017,"), A, kLoyaltyFile,
              "incomplete_cancellation", 5, 16, 4, 9);
  quarantined("missing_loyalty_number",
              L + ",Canada,Ontario,Toronto,M2Z 4K1,Female,Bachelor,1,"
                  "Married,Star,3839.14,Standard,2016,2,,\n",
              A, kLoyaltyFile, "required", 5, 1, 4, 9);
  cases.push_back({"missing_month", L,
                   kActivityHeader + month(1, 2018, 1) + month(1, 2018, 3) + month(2, 2018, 1) +
                       month(2, 2018, 2) + month(2, 2018, 3) + month(3, 2018, 1),
                   Outcome::Finding, kActivityFile, "missing_month", 2, 3, 3, 6});
  // Not a CSV at all.
  error("parquet_under_csv_name", L, std::string("PAR1\x15\x04\x15", 7) + "binary", kActivityFile,
        "not_csv", 1, 1);
  error("zip_under_csv_name", std::string("PK\x03\x04\x14\0\0\0", 8) + "payload", A, kLoyaltyFile,
        "not_csv", 1, 1);
  return cases;
}

struct Handled {
  bool ok = false;
  std::string why;
};

// Quarantine records as JSON objects.
json quarantine_records(const fs::path& lake) {
  auto db = duck::Database::open(":memory:");
  duck::Connection c(db);
  auto r = c.query("select file, line, column_number, rule from read_parquet(" +
                   duck::quote_literal((lake / "quarantine" / "rejected_rows.parquet").string()) +
                   ") order by file, line, column_number, rule");
  json out = json::array();
  for (std::size_t i = 0; i < r.row_count(); ++i) {
    out.push_back({{"file", r.text(0, i).value_or("")},
                   {"line", r.int64(1, i)},
                   {"column", r.int64(2, i)},
                   {"rule", r.text(3, i).value_or("")}});
  }
  return out;
}

Handled check(const Case& c, const ProcessResult& r, const fs::path& lake) {
  if (r.exit_code != 0 && r.exit_code != 2) {
    return {false, "exit code " + std::to_string(r.exit_code) + ": " + r.err};
  }
  if (r.err.find("internal error") != std::string::npos) {
    return {false, "internal error: " + r.err};
  }
  if (c.outcome == Outcome::LocatedError) {
    if (r.exit_code != 2) {
      return {false, "expected exit code 2, got " + std::to_string(r.exit_code)};
    }
    // Line and column; a column missing from the header has a name but no number.
    const std::regex located("error: " + std::regex_replace(c.file, std::regex("\\."), "\\.") +
                             ":([0-9]+)(:([0-9]+))?: (column '[^']+': )?\\[([a-z_0-9]+)\\] "
                             "[^\\n]+\\n");
    // Progress lines may come first ("[ingest] ..."); exactly one error line, the last.
    std::vector<std::string> error_lines;
    std::size_t start = 0;
    while (start < r.err.size()) {
      const std::size_t end = r.err.find('\n', start);
      const std::string line = r.err.substr(start, end - start + 1);
      if (line.rfind("error", 0) == 0 || line.find("error:") != std::string::npos) {
        error_lines.push_back(line);
      }
      start = end == std::string::npos ? r.err.size() : end + 1;
    }
    std::smatch m;
    if (error_lines.size() != 1 || r.err.size() < error_lines[0].size() ||
        r.err.substr(r.err.size() - error_lines[0].size()) != error_lines[0] ||
        !std::regex_match(error_lines[0], m, located)) {
      return {false, "not one located error line: " + r.err};
    }
    const std::int64_t column = m[3].matched ? std::stoll(m[3]) : 0;
    if (column == 0 && !m[4].matched) {
      return {false, "neither a column number nor a column name: " + r.err};
    }
    if (std::stoll(m[1]) != c.line || column != c.column || m[5] != c.rule) {
      return {false, "located at the wrong place or rule: " + r.err};
    }
    if (fs::exists(lake / "processed")) {
      for (const auto& e : fs::directory_iterator(lake / "processed")) {
        return {false, "published after an error: " + e.path().string()};
      }
    }
    return {true, ""};
  }
  if (r.exit_code != 0) {
    return {false, "expected a loaded run, got: " + r.err};
  }
  const json out = json::parse(r.out);
  const json& files = out.at("report").at("files");
  const std::int64_t expected_read[2] = {c.loyalty_rows, c.activity_rows};
  for (int f = 0; f < 2; ++f) {
    const json& report = files.at(f);
    const std::int64_t read = report.at("rows_read");
    if (read != expected_read[f]) {
      return {false, report.at("file").get<std::string>() + ": rows_read " + std::to_string(read) +
                         ", the case wrote " + std::to_string(expected_read[f])};
    }
    const std::int64_t accounted = report.at("rows_loaded").get<std::int64_t>() +
                                   report.at("rows_quarantined").get<std::int64_t>() +
                                   report.at("rows_merged").get<std::int64_t>();
    if (accounted != read || !report.at("balanced").get<bool>()) {
      return {false, "rows unaccounted for: " + report.dump()};
    }
  }
  if (c.outcome == Outcome::Finding) {
    const json& findings = files.at(1).at("missing_months").at("findings");
    for (const auto& f : findings) {
      if (f.at("rule") == c.rule && f.at("line") == c.line && f.at("column") == c.column) {
        return {true, ""};
      }
    }
    return {false, "no finding " + c.rule + " at the expected place: " + findings.dump()};
  }
  const json records = quarantine_records(lake);
  for (const auto& q : records) {
    if (q.at("file") == c.file && q.at("rule") == c.rule && q.at("line") == c.line &&
        q.at("column") == c.column) {
      return {true, ""};
    }
  }
  return {false, "no quarantine record " + c.rule + " at the expected place: " + records.dump()};
}

TEST(MalformedInputCorpus, EveryCaseEndsInALocatedErrorQuarantineOrFinding) {
  const auto cases = corpus();
  ASSERT_GE(cases.size(), 25u);
  int handled = 0;
  int errors = 0;
  int quarantines = 0;
  int findings = 0;
  for (const auto& c : cases) {
    TempDir dir;
    write_text(dir / "raw" / kLoyaltyFile, c.loyalty);
    write_text(dir / "raw" / kActivityFile, c.activity);
    const fs::path lake = dir / "lake";
    const auto r =
        run_cli({"ingest", "--raw-dir", (dir / "raw").string(), "--lake", lake.string(), "--json"});
    const Handled h = check(c, r, lake);
    EXPECT_TRUE(h.ok) << c.name << ": " << h.why;
    if (h.ok) {
      ++handled;
      errors += c.outcome == Outcome::LocatedError;
      quarantines += c.outcome == Outcome::Quarantine;
      findings += c.outcome == Outcome::Finding;
    }
  }
  std::cout << handled << "/" << cases.size() << " cases handled (" << errors << " located errors, "
            << quarantines << " quarantined, " << findings << " findings)\n";
  EXPECT_EQ(handled, static_cast<int>(cases.size()));
}

// One run reports every violation: k planted across columns and rows, all k in one report.
TEST(MalformedInputCorpus, OneRunReportsEveryViolation) {
  TempDir dir;
  const std::string loyalty = kLoyaltyHeader + member(1) + member(2) + member(3) +
                              "4,Canada,Ontario,Toronto,M2Z 4K1,Female,Bachelor,lots,Married,"
                              "Star,-5,Standard,2016,14,2015,\n";
  const std::string activity = kActivityHeader + activity_rows() + "1,2018,13,2.5,-4,x,0,0\n" +
                               month(77, 2018, 1) + "2,1899,4,2,3000,3000,0,\n";
  write_text(dir / "raw" / kLoyaltyFile, loyalty);
  write_text(dir / "raw" / kActivityFile, activity);
  const auto r = run_cli(
      {"ingest", "--raw-dir", (dir / "raw").string(), "--lake", (dir / "lake").string(), "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::vector<std::string> got;
  for (const auto& q : quarantine_records(dir / "lake")) {
    got.push_back(q.at("file").get<std::string>().substr(9, 4) + ":" +
                  std::to_string(q.at("line").get<std::int64_t>()) + ":" +
                  std::to_string(q.at("column").get<std::int64_t>()) + ":" +
                  q.at("rule").get<std::string>());
  }
  const std::vector<std::string> planted = {
      "Flig:11:3:out_of_range",
      "Flig:11:4:not_integer",
      "Flig:11:5:negative_value",
      "Flig:11:6:not_number",
      "Flig:12:1:unknown_member",
      "Flig:13:2:out_of_range",
      "Flig:13:8:required",
      "Loya:5:8:not_number",
      "Loya:5:11:negative_value",
      "Loya:5:14:out_of_range",
      "Loya:5:16:incomplete_cancellation",
  };
  EXPECT_EQ(got, planted);
  const json report = json::parse(r.out).at("report");
  EXPECT_EQ(report.at("quarantine").at("records"), planted.size());
}

}  // namespace
}  // namespace aa::test
