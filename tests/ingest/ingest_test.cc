// The ingest stage on small files: malformed input ends in a located error or in exact
// quarantine records, and row accounting always balances.
#include "ingest/ingest.h"

#include <fmt/core.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <random>
#include <tuple>

#include "core/duck.h"
#include "core/sql_files.h"
#include "support/test_support.h"

namespace aa {
namespace {

using test::kActivityHeader;
using test::kLoyaltyHeader;
using test::TempDir;

std::string member(int number, const std::string& salary = "83236",
                   const std::string& cancel = ",") {
  return std::to_string(number) + ",Canada,Ontario,Toronto,M2Z 4K1,Female,Bachelor," + salary +
         ",Married,Star,3839.14,Standard,2016,2," + cancel + "\n";
}

std::string month(int number, int m, int flights = 2, const std::string& distance = "3000") {
  return std::to_string(number) + ",2018," + std::to_string(m) + "," + std::to_string(flights) +
         "," + distance + "," + distance + ",0,0\n";
}

class Ingest : public ::testing::Test {
 protected:
  void write(const std::string& loyalty, const std::string& activity) {
    test::write_text(dir_ / "raw" / "Customer Loyalty History.csv", loyalty);
    test::write_text(dir_ / "raw" / "Customer Flight Activity.csv", activity);
  }
  core::StageResult run(bool force = false) {
    const core::Lake lake(dir_ / "lake");
    return ingest::ingest(lake, {dir_ / "raw", {}, force});
  }
  // Quarantine records as "line|column|column_name|value|rule".
  std::vector<std::string> quarantine() {
    auto db = duck::Database::open(":memory:");
    duck::Connection c(db);
    auto r = c.query(
        "select file || '|' || line || '|' || column_number || '|' || column_name || '|' || "
        "value || '|' || rule from read_parquet(" +
        duck::quote_literal((dir_ / "lake" / "quarantine" / "rejected_rows.parquet").string()) +
        ") order by file, line, column_number, rule");
    std::vector<std::string> out;
    for (std::size_t i = 0; i < r.row_count(); ++i) {
      out.push_back(r.text(0, i).value_or("NULL"));
    }
    return out;
  }
  std::int64_t count(const std::string& parquet) {
    auto db = duck::Database::open(":memory:");
    duck::Connection c(db);
    return c
        .query("select count(*) from read_parquet(" +
               duck::quote_literal((dir_ / "lake" / parquet).string()) + ")")
        .scalar_int64();
  }
  static const nlohmann::json& file_report(const core::StageResult& r, int i) {
    return r.summary["files"][i];
  }
  TempDir dir_;
};

TEST_F(Ingest, CleanFilesLoadAndBalance) {
  write(kLoyaltyHeader + member(1) + member(2, "-100"),
        kActivityHeader + month(1, 1) + month(1, 2) + month(2, 1, 0, "0"));
  const auto r = run();
  EXPECT_FALSE(r.skipped);
  EXPECT_TRUE(r.summary["balanced"].get<bool>());
  const auto& l = file_report(r, 0);
  EXPECT_EQ(l["rows_read"], 2);
  EXPECT_EQ(l["rows_loaded"], 2);
  EXPECT_EQ(l["negative_salary_set_null"], 1);
  EXPECT_EQ(file_report(r, 1)["rows_loaded"], 3);
  EXPECT_EQ(count("processed/customer_loyalty_history.parquet"), 2);
  EXPECT_EQ(count("processed/customer_flight_activity/*.parquet"), 3);
  EXPECT_TRUE(quarantine().empty());
  EXPECT_EQ(test::read_text(dir_ / "lake" / "raw" / "customer_loyalty_history.csv"),
            kLoyaltyHeader + member(1) + member(2, "-100"));
}

TEST_F(Ingest, ProcessedFilesHaveExplicitTypes) {
  write(kLoyaltyHeader + member(1), kActivityHeader + month(1, 1));
  run();
  auto db = duck::Database::open(":memory:");
  duck::Connection c(db);
  auto r = c.query(
      "select string_agg(column_name || ' ' || column_type, ', ') from (describe select * from "
      "read_parquet(" +
      duck::quote_literal((dir_ / "lake/processed/customer_flight_activity/*.parquet").string()) +
      "))");
  EXPECT_EQ(r.scalar_text(),
            "loyalty_number BIGINT, year INTEGER, month INTEGER, total_flights INTEGER, "
            "distance BIGINT, points_accumulated DOUBLE, points_redeemed BIGINT, "
            "dollar_cost_points_redeemed DOUBLE");
  auto l = c.query(
      "select string_agg(column_name || ' ' || column_type, ', ') from (describe select * from "
      "read_parquet(" +
      duck::quote_literal((dir_ / "lake/processed/customer_loyalty_history.parquet").string()) +
      "))");
  EXPECT_EQ(l.scalar_text(),
            "loyalty_number BIGINT, country VARCHAR, province VARCHAR, city VARCHAR, "
            "postal_code VARCHAR, gender VARCHAR, education VARCHAR, salary DOUBLE, "
            "marital_status VARCHAR, loyalty_card VARCHAR, clv DOUBLE, enrollment_type "
            "VARCHAR, enrollment_year INTEGER, enrollment_month INTEGER, cancellation_year "
            "INTEGER, cancellation_month INTEGER");
}

TEST_F(Ingest, DuplicatesAreDroppedOrSummedAndCounted) {
  write(kLoyaltyHeader + member(1), kActivityHeader + month(1, 1) + month(1, 1) + month(1, 1) +
                                        month(1, 2, 1, "100") + month(1, 2, 3, "900") +
                                        month(1, 3));
  const auto r = run();
  const auto& a = file_report(r, 1);
  EXPECT_EQ(a["rows_read"], 6);
  EXPECT_EQ(a["rows_loaded"], 3);
  EXPECT_EQ(a["merged"]["exact_duplicates_dropped"], 2);
  EXPECT_EQ(a["merged"]["same_month_rows_summed"], 1);
  EXPECT_EQ(a["rows_merged"], 3);
  EXPECT_TRUE(a["balanced"].get<bool>());
  auto db = duck::Database::open(":memory:");
  duck::Connection c(db);
  auto s = c.query(
      "select total_flights, distance from read_parquet(" +
      duck::quote_literal((dir_ / "lake/processed/customer_flight_activity/*.parquet").string()) +
      ") where month = 2");
  EXPECT_EQ(s.int64(0, 0), 4);
  EXPECT_EQ(s.int64(1, 0), 1000);
}

// Members whose rows are apart (1, 2, then 1 again) are merged with SQL instead of one member
// at a time: the same table and counts, and a row rejected before the switch is quarantined
// once, not twice.
TEST_F(Ingest, MembersWhoseRowsAreApartMergeTheSameWay) {
  const std::string loyalty = kLoyaltyHeader + member(1) + member(2);
  const std::string together = month(1, 1) + month(1, 1) + month(1, 2, 1, "100") +
                               month(1, 2, 3, "900") + month(1, 3) + "1,2018,13,1,1,1,0,0\n" +
                               month(2, 1) + month(2, 2, 5, "50") + month(2, 2, 5, "50");
  write(loyalty, kActivityHeader + together);
  const auto streamed = run(true);
  const auto streamed_rows = quarantine();
  const auto table = [&] {
    auto db = duck::Database::open(":memory:");
    duck::Connection c(db);
    auto r = c.query(
        "select string_agg(concat_ws(',', loyalty_number, year, month, total_flights, distance, "
        "points_accumulated, points_redeemed, dollar_cost_points_redeemed), ';' order by "
        "loyalty_number, year, month) from read_parquet(" +
        duck::quote_literal((dir_ / "lake/processed/customer_flight_activity/*.parquet").string()) +
        ")");
    return r.scalar_text();
  };
  const std::string streamed_table = table();
  EXPECT_EQ(streamed_table,
            "1,2018,1,2,3000,3000.0,0,0.0;1,2018,2,4,1000,1000.0,0,0.0;"
            "1,2018,3,2,3000,3000.0,0,0.0;2,2018,1,2,3000,3000.0,0,0.0;"
            "2,2018,2,5,50,50.0,0,0.0");

  // The same rows, member 1's months split around member 2's.
  const std::string apart = month(1, 1) + month(1, 2, 1, "100") + "1,2018,13,1,1,1,0,0\n" +
                            month(2, 1) + month(2, 2, 5, "50") + month(1, 1) +
                            month(1, 2, 3, "900") + month(2, 2, 5, "50") + month(1, 3);
  write(loyalty, kActivityHeader + apart);
  const auto staged = run(true);
  EXPECT_EQ(table(), streamed_table);
  for (const char* key : {"rows_read", "rows_loaded", "rows_quarantined", "rows_merged"}) {
    EXPECT_EQ(file_report(staged, 1)[key], file_report(streamed, 1)[key]) << key;
  }
  EXPECT_EQ(file_report(staged, 1)["merged"], file_report(streamed, 1)["merged"]);
  EXPECT_TRUE(staged.summary["balanced"].get<bool>());
  const auto staged_rows = quarantine();
  ASSERT_EQ(staged_rows.size(), 1u);
  EXPECT_EQ(staged_rows[0], "Customer Flight Activity.csv|4|3|Month|13|out_of_range");
  EXPECT_EQ(streamed_rows.size(), 1u);
}

// A month missing inside a member's span has no row to quarantine: it loads as no activity
// and the report says so, located at the member's first row, whichever way the rows merge.
TEST_F(Ingest, MissingMonthsAreReportedWithTheMembersFirstLine) {
  const std::string loyalty = kLoyaltyHeader + member(1) + member(2) + member(3);
  // Member 1: 2018-01, 02, 05 (03 and 04 missing); member 2 complete; member 3 from 2018-02.
  const std::string together = month(2, 1) + month(2, 2) + month(1, 5) + month(1, 1) + month(1, 2) +
                               month(3, 2) + month(3, 3);
  write(loyalty, kActivityHeader + together);
  const auto streamed = run(true);
  const auto& m = file_report(streamed, 1)["missing_months"];
  EXPECT_EQ(m["members"], 1);
  EXPECT_EQ(m["member_months"], 2);
  ASSERT_EQ(m["findings"].size(), 1u);
  EXPECT_EQ(m["findings"][0]["line"], 4);
  EXPECT_EQ(m["findings"][0]["column"], 3);
  EXPECT_EQ(m["findings"][0]["rule"], "missing_month");
  EXPECT_EQ(m["findings"][0]["message"],
            "loyalty number 1 has rows from 2018-01 to 2018-05 but none for 2 of those months; "
            "they count as months without activity");
  EXPECT_EQ(file_report(streamed, 1)["rows_loaded"], 7);
  EXPECT_TRUE(streamed.summary["balanced"].get<bool>());
  EXPECT_EQ(file_report(streamed, 0)["missing_months"]["members"], 0);

  // Member 1's rows apart: the staged merge finds the same gap at the same line.
  write(loyalty, kActivityHeader + month(2, 1) + month(1, 5) + month(2, 2) + month(1, 1) +
                     month(1, 2) + month(3, 2) + month(3, 3));
  const auto staged = run(true);
  EXPECT_EQ(file_report(staged, 1)["missing_months"]["findings"][0]["line"], 3);
  EXPECT_EQ(file_report(staged, 1)["missing_months"]["member_months"], 2);
  EXPECT_EQ(file_report(staged, 1)["missing_months"]["findings"][0]["message"],
            m["findings"][0]["message"]);
}

// The merge rule's SQL form (merged_customer_flight_activity.sql) and the C++ merge give the
// same table, in the same order, and the same report, whether a file lists each member's rows
// together (merged as it streams) or in month order (set aside by member, then merged): 300
// members over 24 months with holes, exact duplicates and several rows for one month.
TEST_F(Ingest, MergeMatchesTheSqlRuleWhetherRowsAreTogetherOrInMonthOrder) {
  std::mt19937 random(11);
  struct Row {
    int member, year, month, flights, distance;
    double points;
    int redeemed;
    double dollars;
  };
  std::vector<Row> rows;
  std::string loyalty = kLoyaltyHeader;
  for (int m = 1; m <= 300; ++m) {
    loyalty += member(m);
    const int first = static_cast<int>(random() % 6), last = 18 + static_cast<int>(random() % 6);
    for (int i = first; i <= last; ++i) {
      if (random() % 10 == 0) {
        continue;  // a missing month
      }
      // Quarters: sums of them are exact in any order.
      const Row r{m,
                  2017 + i / 12,
                  i % 12 + 1,
                  static_cast<int>(random() % 5),
                  static_cast<int>(random() % 4000),
                  static_cast<double>(random() % 4000) / 4,
                  static_cast<int>(random() % 3) * 100,
                  static_cast<double>(random() % 40) / 4};
      rows.push_back(r);
      if (random() % 8 == 0) {
        rows.push_back(r);  // an exact duplicate
      }
      if (random() % 8 == 0) {
        Row other = r;
        other.flights += 1;
        other.points += 0.25;
        rows.push_back(other);  // a second, different row for the month
      }
    }
  }
  const auto csv = [](const std::vector<Row>& in) {
    std::string text = kActivityHeader;
    for (const Row& r : in) {
      text += fmt::format("{},{},{},{},{},{},{},{}\n", r.member, r.year, r.month, r.flights,
                          r.distance, r.points, r.redeemed, r.dollars);
    }
    return text;
  };
  // The member's rows together but each member's months shuffled; then every row in month
  // order, members shuffled within a month.
  std::vector<Row> together = rows;
  for (auto begin = together.begin(); begin != together.end();) {
    const auto end = std::find_if(begin, together.end(),
                                  [&](const Row& r) { return r.member != begin->member; });
    std::shuffle(begin, end, random);
    begin = end;
  }
  std::vector<Row> by_month = rows;
  std::shuffle(by_month.begin(), by_month.end(), random);
  std::stable_sort(by_month.begin(), by_month.end(), [](const Row& a, const Row& b) {
    return std::tie(a.year, a.month) < std::tie(b.year, b.month);
  });

  const fs::path processed = dir_ / "lake/processed/customer_flight_activity/*.parquet";
  for (const auto* file : {&together, &by_month}) {
    write(loyalty, csv(*file));
    const auto r = run(true);
    // The SQL rule over the same rows, each with its line in the file.
    auto db = duck::Database::open(":memory:");
    duck::Connection c(db);
    c.execute(
        "create table activity_rows (loyalty_number bigint, year bigint, month bigint, "
        "total_flights bigint, distance bigint, points_accumulated double, points_redeemed "
        "bigint, dollar_cost_points_redeemed double, source_line bigint)");
    std::string values;
    for (std::size_t i = 0; i < file->size(); ++i) {
      const Row& x = (*file)[i];
      values += fmt::format("{}({},{},{},{},{},{},{},{},{})", i ? "," : "", x.member, x.year,
                            x.month, x.flights, x.distance, x.points, x.redeemed, x.dollars, i + 2);
    }
    c.execute("insert into activity_rows values " + values);
    c.execute("create table oracle as " +
              core::sql_file("ingest/sql/merged_customer_flight_activity.sql"));
    const auto table = [&](const std::string& from) {
      return c
          .query(
              "select string_agg(concat_ws(',', loyalty_number, year, month, total_flights, "
              "distance, points_accumulated, points_redeemed, dollar_cost_points_redeemed), "
              "';') from " +
              from)
          .scalar_text();
    };
    const std::string expected = table("oracle");
    // The processed files hold a month each: compared in the rule's order.
    EXPECT_EQ(table("(select p.* from read_parquet(" + duck::quote_literal(processed.string()) +
                    ") p join oracle using (loyalty_number, year, month) order by "
                    "oracle.member_first_line, year, month)"),
              expected)
        << (file == &together ? "together" : "month order");
    const auto& a = file_report(r, 1);
    EXPECT_EQ(a["rows_loaded"], c.query("select count(*) from oracle").scalar_int64());
    EXPECT_EQ(a["merged"]["exact_duplicates_dropped"],
              static_cast<std::int64_t>(file->size()) -
                  c.query("select sum(distinct_row_count) from oracle").scalar_int64());
    EXPECT_EQ(a["merged"]["same_month_rows_summed"],
              c.query("select sum(distinct_row_count - 1) from oracle").scalar_int64());
    auto gaps = c.query(
        "select count(*), sum(span - months), min(first_line) filter (where span > months) "
        "from (select max(year * 12 + month) - min(year * 12 + month) + 1 as span, count(*) as "
        "months, min(member_first_line) as first_line from oracle group by loyalty_number) "
        "where span > months");
    ASSERT_GT(gaps.int64(0, 0), 0);
    EXPECT_EQ(a["missing_months"]["members"], gaps.int64(0, 0));
    EXPECT_EQ(a["missing_months"]["member_months"], gaps.int64(1, 0));
    EXPECT_EQ(a["missing_months"]["findings"][0]["line"], gaps.int64(2, 0));
    EXPECT_TRUE(r.summary["balanced"].get<bool>());
  }
}

TEST_F(Ingest, TextInNumericColumnMonth13NegativeDistanceUnknownMember) {
  write(kLoyaltyHeader + member(1), kActivityHeader + month(1, 1, 2, "abc") + month(1, 13) +
                                        month(1, 2, 2, "-5") + month(99, 1) + month(1, 3));
  const auto r = run();
  EXPECT_EQ(quarantine(),
            (std::vector<std::string>{
                "Customer Flight Activity.csv|2|5|Distance|abc|not_integer",
                "Customer Flight Activity.csv|2|6|Points Accumulated|abc|not_number",
                "Customer Flight Activity.csv|3|3|Month|13|out_of_range",
                "Customer Flight Activity.csv|4|5|Distance|-5|negative_value",
                "Customer Flight Activity.csv|4|6|Points Accumulated|-5|negative_value",
                "Customer Flight Activity.csv|5|1|Loyalty Number|99|unknown_member",
            }));
  const auto& a = file_report(r, 1);
  EXPECT_EQ(a["rows_read"], 5);
  EXPECT_EQ(a["rows_quarantined"], 4);
  EXPECT_EQ(a["rows_loaded"], 1);
  EXPECT_EQ(a["violations_by_rule"]["negative_value"], 2);
  EXPECT_TRUE(a["balanced"].get<bool>());
  EXPECT_EQ(a["quarantine_sample"][0]["raw_record"], "1,2018,1,2,abc,abc,0,0");
}

TEST_F(Ingest, DuplicatedMemberKeepsTheFirstAndQuarantinesTheRest) {
  write(kLoyaltyHeader + member(7) + member(8) + member(7, "1"), kActivityHeader + month(7, 1));
  const auto r = run();
  EXPECT_EQ(quarantine(),
            (std::vector<std::string>{"Customer Loyalty History.csv|4|1|Loyalty Number|7|"
                                      "duplicate_member"}));
  EXPECT_EQ(file_report(r, 0)["quarantine_sample"][0]["message"],
            "loyalty number 7 is already defined at line 2");
  EXPECT_EQ(file_report(r, 0)["rows_loaded"], 2);
}

TEST_F(Ingest, CancellationBeforeEnrollmentIsQuarantined) {
  write(kLoyaltyHeader + member(1) + member(2, "1", "2015,6"),
        kActivityHeader + month(1, 1) + month(2, 1));
  const auto r = run();
  // The member's row is quarantined, so its activity has no member to belong to.
  EXPECT_EQ(quarantine(),
            (std::vector<std::string>{
                "Customer Flight Activity.csv|3|1|Loyalty Number|2|unknown_member",
                "Customer Loyalty History.csv|3|0|||cancellation_before_enrollment"}));
  EXPECT_TRUE(r.summary["balanced"].get<bool>());
}

TEST_F(Ingest, MissingColumnIsAnErrorNamingFileAndColumn) {
  write("Loyalty Number,Country\n1,Canada\n", kActivityHeader + month(1, 1));
  EXPECT_APP_ERROR(run(), core::ErrorKind::InvalidInput,
                   "Customer Loyalty History.csv:1: column 'Province': [missing_column] the "
                   "required column is missing from the header");
}

TEST_F(Ingest, DuplicatedColumnIsAnError) {
  write(kLoyaltyHeader + member(1),
        "Loyalty Number,Year,Month,Month,Total Flights,Distance,Points Accumulated,Points "
        "Redeemed,Dollar Cost Points Redeemed\n");
  EXPECT_APP_ERROR(run(), core::ErrorKind::InvalidInput,
                   "Customer Flight Activity.csv:1:4: column 'Month': [duplicate_column] the "
                   "column appears twice (first as field 3)");
}

TEST_F(Ingest, EmptyFileAndHeaderOnly) {
  write("", kActivityHeader + month(1, 1));
  EXPECT_APP_ERROR(run(), core::ErrorKind::InvalidInput,
                   "Customer Loyalty History.csv:1:1: [empty_file] the file is empty (0 bytes)");
  write(kLoyaltyHeader, kActivityHeader + month(1, 1));
  EXPECT_APP_ERROR(run(), core::ErrorKind::InvalidInput,
                   "Customer Loyalty History.csv:2:1: [no_data_rows] the file has a header but "
                   "no data rows");
  write("\n\n", kActivityHeader + month(1, 1));
  EXPECT_APP_ERROR(run(), core::ErrorKind::InvalidInput,
                   "Customer Loyalty History.csv:1:1: [empty_file] the file holds no header line "
                   "(only blank lines)");
}

TEST_F(Ingest, Utf8BomIsAccepted) {
  write("\xEF\xBB\xBF" + kLoyaltyHeader + member(1), kActivityHeader + month(1, 1));
  const auto r = run();
  EXPECT_EQ(file_report(r, 0)["rows_loaded"], 1);
}

TEST_F(Ingest, Latin1FileIsALocatedEncodingError) {
  std::string latin1 = member(1);
  latin1.replace(latin1.find("Toronto"), 7,
                 "Montr\xE9"
                 "al");
  write(kLoyaltyHeader + member(2) + latin1, kActivityHeader + month(1, 1));
  EXPECT_APP_ERROR(run(), core::ErrorKind::InvalidInput,
                   "Customer Loyalty History.csv:3:4: column 'City': [encoding] invalid UTF-8 "
                   "byte 0xE9; the file looks like Latin-1 or Windows-1252. Save it as UTF-8 "
                   "(for example: iconv -f LATIN1 -t UTF-8 in.csv > out.csv)");
}

TEST_F(Ingest, SemicolonDelimiterIsAnError) {
  std::string header = kActivityHeader;
  std::replace(header.begin(), header.end(), ',', ';');
  write(kLoyaltyHeader + member(1), header + "1;2018;1;0;0;0;0;0\n");
  EXPECT_APP_ERROR(run(), core::ErrorKind::InvalidInput,
                   "Customer Flight Activity.csv:1:1: [delimiter] the header is separated by "
                   "';' but the file must be comma-separated");
}

TEST_F(Ingest, BadValueAfterRow30000IsCaughtNotInferredAway) {
  std::string activity = kActivityHeader;
  for (int i = 0; i < 30005; ++i) {
    activity += month(1, 1 + i % 12, i % 5, std::to_string(100 + i));
  }
  activity += "1,2018,5,two,100,100,0,0\n";
  write(kLoyaltyHeader + member(1), activity);
  const auto r = run();
  EXPECT_EQ(quarantine(),
            (std::vector<std::string>{"Customer Flight Activity.csv|30007|4|Total Flights|two|"
                                      "not_integer"}));
  const auto& a = file_report(r, 1);
  EXPECT_EQ(a["rows_read"], 30006);
  EXPECT_EQ(a["rows_quarantined"], 1);
  EXPECT_EQ(a["rows_loaded"], 12);  // 30,005 rows over 12 months of one member, summed
  EXPECT_EQ(a["merged"]["same_month_rows_summed"], 30005 - 12);
  EXPECT_TRUE(a["balanced"].get<bool>());
}

TEST_F(Ingest, ShortAndLongRowsAreQuarantined) {
  write(kLoyaltyHeader + member(1),
        kActivityHeader + "1,2018,1\n" + "1,2018,2,0,0,0,0,0,extra\n" + month(1, 3));
  run();
  EXPECT_EQ(quarantine(),
            (std::vector<std::string>{"Customer Flight Activity.csv|2|0|||field_count",
                                      "Customer Flight Activity.csv|3|0|||field_count"}));
}

TEST_F(Ingest, MissingRawFileIsNotFound) {
  test::write_text(dir_ / "raw" / "Customer Loyalty History.csv", kLoyaltyHeader + member(1));
  try {
    run();
    FAIL();
  } catch (const core::AppError& e) {
    EXPECT_EQ(e.kind(), core::ErrorKind::NotFound);
    EXPECT_NE(std::string(e.what()).find("'Customer Flight Activity.csv' not found in"),
              std::string::npos);
  }
}

TEST_F(Ingest, UnchangedInputsSkipAndChangedInputsRebuild) {
  write(kLoyaltyHeader + member(1), kActivityHeader + month(1, 1));
  EXPECT_FALSE(run().skipped);
  const auto first = test::read_text(dir_ / "lake/processed/customer_flight_activity/_months.json");
  const auto again = run();
  EXPECT_TRUE(again.skipped);
  EXPECT_EQ(again.summary["files"][1]["rows_loaded"], 1);
  write(kLoyaltyHeader + member(1), kActivityHeader + month(1, 1) + month(1, 2));
  const auto changed = run();
  EXPECT_FALSE(changed.skipped);
  EXPECT_EQ(changed.summary["files"][1]["rows_loaded"], 2);
  EXPECT_NE(test::read_text(dir_ / "lake/processed/customer_flight_activity/_months.json"), first);
  EXPECT_FALSE(run(true).skipped);  // --force
}

TEST_F(Ingest, DeletedOutputIsRebuiltEvenWithUnchangedInputs) {
  write(kLoyaltyHeader + member(1), kActivityHeader + month(1, 1));
  run();
  fs::remove(dir_ / "lake/processed/customer_loyalty_history.parquet");
  EXPECT_FALSE(run().skipped);
  EXPECT_TRUE(fs::exists(dir_ / "lake/processed/customer_loyalty_history.parquet"));
}

// The activity file is parsed from its copy while the copy grows; a source that changes
// meanwhile must still fail the stage with the copy's error (not the parse's), and leave the
// last good lake as it was.
TEST_F(Ingest, SourceChangingWhileCopiedFailsAndKeepsTheLastGoodLake) {
  write(kLoyaltyHeader + member(1), kActivityHeader + month(1, 1));
  ASSERT_FALSE(run().skipped);
  std::string activity = kActivityHeader;
  for (int i = 0; i < 100000; ++i) {  // several copy blocks
    activity += month(1, 1 + i % 12);
  }
  write(kLoyaltyHeader + member(1), activity);
  const fs::path source = dir_ / "raw" / "Customer Flight Activity.csv";
  ingest::IngestOptions options{dir_ / "raw", {}, true};
  int appended = 0;
  options.after_copy_block = [&](const fs::path& copied, std::uint64_t) {
    if (copied == source && appended++ == 0) {  // after the first block: a row more
      std::ofstream(source, std::ios::app) << month(1, 3);
    }
  };
  EXPECT_APP_ERROR(ingest::ingest(core::Lake(dir_ / "lake"), options), core::ErrorKind::Conflict,
                   "'" + source.string() + "' changed while it was being read; run again");
  EXPECT_EQ(appended > 0, true);
  EXPECT_EQ(count("processed/customer_flight_activity/*.parquet"), 1);
  EXPECT_EQ(test::read_text(dir_ / "lake/raw/customer_flight_activity.csv"),
            kActivityHeader + month(1, 1));
}

}  // namespace
}  // namespace aa
