#include "ingest/row_validator.h"

#include <gtest/gtest.h>

#include "support/test_support.h"

namespace aa {
namespace {

constexpr const char* kActivityHeader[] = {"Loyalty Number", "Year", "Month",
                                           "Total Flights", "Distance", "Points Accumulated",
                                           "Points Redeemed", "Dollar Cost Points Redeemed"};

class ActivityRows : public ::testing::Test {
 protected:
  ActivityRows()
      : validator_(activity_spec(), map_header(activity_spec(), header(), "a.csv"), "a.csv") {}
  static CsvRecord header() {
    CsvRecord r;
    r.line = 1;
    for (const char* f : kActivityHeader) {
      r.fields.emplace_back(f);
    }
    return r;
  }
  ParsedRow parse(std::vector<std::string_view> fields) {
    CsvRecord r;
    r.line = 7;
    r.fields = std::move(fields);
    ParsedRow row;
    validator_.validate(r, row);
    return row;
  }
  static std::vector<std::string> rules(const ParsedRow& row) {
    std::vector<std::string> out;
    for (const auto& v : row.violations) {
      out.push_back(v.rule + "@" + std::to_string(v.column) + "=" + v.value);
    }
    return out;
  }
  RowValidator validator_;
};

TEST_F(ActivityRows, ValidRowParsesTypes) {
  const auto row = parse({"100590", "2018", "6", "12", "15276", "22914.5", "0", "0"});
  EXPECT_TRUE(row.violations.empty());
  EXPECT_EQ(row.values[0].integer, 100590);
  EXPECT_EQ(row.values[2].integer, 6);
  EXPECT_DOUBLE_EQ(row.values[5].decimal, 22914.5);
}

TEST_F(ActivityRows, WholeNumbersWrittenAsDecimalsAreAccepted) {
  const auto row = parse({"100590", "2018", "6.0", "12", "1e3", "0", "0", "0"});
  EXPECT_TRUE(row.violations.empty()) << rules(row)[0];
  EXPECT_EQ(row.values[4].integer, 1000);
}

TEST_F(ActivityRows, EveryViolationInARowIsReported) {
  const auto row = parse({"abc", "1899", "13", "-1", "1e12", "x", "-5", "nan"});
  EXPECT_EQ(rules(row), (std::vector<std::string>{
                            "not_integer@0=abc", "out_of_range@1=1899", "out_of_range@2=13",
                            "negative_value@3=-1", "out_of_range@4=1e12", "not_number@5=x",
                            "negative_value@6=-5", "not_number@7=nan"}));
}

TEST_F(ActivityRows, FractionalFlightsAreNotIntegers) {
  EXPECT_EQ(rules(parse({"1", "2018", "1", "1.5", "0", "0", "0", "0"})),
            (std::vector<std::string>{"not_integer@3=1.5"}));
}

TEST_F(ActivityRows, RequiredValuesAndFieldCount) {
  EXPECT_EQ(rules(parse({"1", "", "1", "0", "0", "0", "0", "0"})),
            (std::vector<std::string>{"required@1="}));
  const auto short_row = parse({"1", "2018"});
  ASSERT_EQ(short_row.violations.size(), 1u);
  EXPECT_EQ(short_row.violations[0].rule, "field_count");
  EXPECT_EQ(short_row.violations[0].message, "expected 8 fields as in the header, found 2");
}

TEST_F(ActivityRows, InvalidUtf8IsALocatedFileError) {
  EXPECT_APP_ERROR(parse({"1", "2018", "1", "0", "0", "0", "0", "caf\xE9"}),
                   ErrorKind::InvalidInput,
                   "a.csv:7:8: column 'Dollar Cost Points Redeemed': [encoding] invalid UTF-8 "
                   "byte 0xE9; the file looks like Latin-1 or Windows-1252. Save it as UTF-8 "
                   "(for example: iconv -f LATIN1 -t UTF-8 in.csv > out.csv)");
}

class LoyaltyRows : public ::testing::Test {
 protected:
  LoyaltyRows()
      : validator_(loyalty_spec(), map_header(loyalty_spec(), header(), "l.csv"), "l.csv") {}
  static CsvRecord header() {
    CsvRecord r;
    r.line = 1;
    for (const auto& c : loyalty_spec().columns) {
      r.fields.emplace_back(c.source_name);
    }
    return r;
  }
  ParsedRow parse(std::string_view salary, std::string_view cancel_year,
                  std::string_view cancel_month, std::string_view enroll_year = "2016") {
    static std::vector<std::string> keep;
    CsvRecord r;
    r.line = 2;
    r.fields = {"480934", "Canada", "Ontario", "Toronto", "M2Z 4K1", "Female", "Bachelor",
                salary, "Married", "Star", "3839.14", "Standard", enroll_year, "2",
                cancel_year, cancel_month};
    ParsedRow row;
    validator_.validate(r, row);
    return row;
  }
  RowValidator validator_;
};

TEST_F(LoyaltyRows, NegativeSalaryBecomesNullAndIsFlagged) {
  const auto row = parse("-49830", "", "");
  EXPECT_TRUE(row.violations.empty());
  EXPECT_TRUE(row.salary_nulled);
  EXPECT_TRUE(row.values[loyalty_spec().index_of("salary")].null);
}

TEST_F(LoyaltyRows, MissingSalaryAndCancellationAreNull) {
  const auto row = parse("", "", "");
  EXPECT_TRUE(row.violations.empty());
  EXPECT_FALSE(row.salary_nulled);
  EXPECT_TRUE(row.values[loyalty_spec().index_of("cancellation_year")].null);
}

TEST_F(LoyaltyRows, CancellationBeforeEnrollment) {
  const auto row = parse("1", "2016", "1");
  ASSERT_EQ(row.violations.size(), 1u);
  EXPECT_EQ(row.violations[0].rule, "cancellation_before_enrollment");
  EXPECT_EQ(row.violations[0].message, "cancelled 2016-01 before enrolling 2016-02");
  EXPECT_TRUE(parse("1", "2016", "2").violations.empty());  // same month is allowed
}

TEST_F(LoyaltyRows, HalfACancellationIsAViolation) {
  const auto row = parse("1", "2017", "");
  ASSERT_EQ(row.violations.size(), 1u);
  EXPECT_EQ(row.violations[0].rule, "incomplete_cancellation");
}

}  // namespace
}  // namespace aa
