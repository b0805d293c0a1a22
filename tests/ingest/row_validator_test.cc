#include "ingest/row_validator.h"

#include <gtest/gtest.h>

#include <charconv>
#include <string>

#include "support/test_support.h"

namespace aa {
namespace {

constexpr const char* kActivityHeader[] = {"Loyalty Number",  "Year",
                                           "Month",           "Total Flights",
                                           "Distance",        "Points Accumulated",
                                           "Points Redeemed", "Dollar Cost Points Redeemed"};

class ActivityRows : public ::testing::Test {
 protected:
  ActivityRows()
      : validator_(ingest::activity_spec(),
                   ingest::map_header(ingest::activity_spec(), header(), "a.csv"), "a.csv") {}
  static ingest::CsvRecord header() {
    ingest::CsvRecord r;
    r.line = 1;
    for (const char* f : kActivityHeader) {
      r.fields.emplace_back(f);
    }
    return r;
  }
  ingest::ParsedRow parse(std::vector<std::string_view> fields) {
    ingest::CsvRecord r;
    r.line = 7;
    r.fields = std::move(fields);
    ingest::ParsedRow row;
    validator_.validate(r, row);
    return row;
  }
  static std::vector<std::string> rules(const ingest::ParsedRow& row) {
    std::vector<std::string> out;
    for (const auto& v : row.violations) {
      out.push_back(v.rule + "@" + std::to_string(v.column) + "=" + v.value);
    }
    return out;
  }
  ingest::RowValidator validator_;
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
  EXPECT_EQ(rules(row), (std::vector<std::string>{"not_integer@0=abc", "out_of_range@1=1899",
                                                  "out_of_range@2=13", "negative_value@3=-1",
                                                  "out_of_range@4=1e12", "not_number@5=x",
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
                   core::ErrorKind::InvalidInput,
                   "a.csv:7:8: column 'Dollar Cost Points Redeemed': [encoding] invalid UTF-8 "
                   "byte 0xE9; the file looks like Latin-1 or Windows-1252. Save it as UTF-8 "
                   "(for example: iconv -f LATIN1 -t UTF-8 in.csv > out.csv)");
}

// Plain digits take a short way (no trimming, UTF-8 check or from_chars); every value it
// accepts must be the very double or integer that from_chars gives, and everything else must
// still reach the general rules.
TEST_F(ActivityRows, PlainNumbersParseExactlyAsFromChars) {
  std::vector<std::string> texts = {"0",
                                    "7",
                                    "0.1",
                                    "0.3",
                                    "22914.5",
                                    "1.005",
                                    "999999.999999",
                                    "123456789012345",
                                    "0000.5",
                                    "10.10",
                                    "4503599627370497",
                                    "1.00000000000001",
                                    "99999999.9",
                                    "0.000000000000001"};
  std::uint64_t state = 42;
  const auto next = [&] {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return state >> 11;
  };
  for (int i = 0; i < 20000; ++i) {
    const std::uint64_t whole = next() % 100000000;  // within the columns' bounds
    const int places = static_cast<int>(next() % 9);
    std::uint64_t frac = next();
    std::string text = std::to_string(whole);
    if (places > 0) {
      std::string f = std::to_string(frac % 1000000000);
      f.insert(0, 9 - f.size(), '0');
      text += "." + f.substr(0, static_cast<std::size_t>(places));
    }
    texts.push_back(text);
  }
  for (const auto& text : texts) {
    SCOPED_TRACE(text);
    const auto row = parse({"1", "2018", "1", "0", "0", text, "0", text});
    double expected = 0;
    std::from_chars(text.data(), text.data() + text.size(), expected);
    // Bit for bit, not "nearly"; the columns' bounds (1e8 and 1e7) still apply.
    std::vector<std::string> expected_rules;
    if (expected > 1.0e8) {
      expected_rules.push_back("out_of_range@5=" + text);
    }
    if (expected > 1.0e7) {
      expected_rules.push_back("out_of_range@7=" + text);
    }
    ASSERT_EQ(rules(row), expected_rules);
    EXPECT_EQ(row.values[5].decimal, expected);
    EXPECT_EQ(row.values[7].decimal, expected);
  }
  for (const std::string text : {"1", "42", "000123", "5000000", "9000000000000000"}) {
    std::int64_t expected = 0;
    std::from_chars(text.data(), text.data() + text.size(), expected);
    const auto row = parse({text, "2018", "1", "0", "0", "0", "0", "0"});
    ASSERT_TRUE(row.violations.empty()) << text;
    EXPECT_EQ(row.values[0].integer, expected);
  }
  // Not plain: these still meet the general parse and its rules.
  const auto general = parse({" 12 ", "2018", "1", "+3", "1e3", ".5", "7", "1.50e1"});
  EXPECT_EQ(rules(general), std::vector<std::string>{});
  EXPECT_EQ(general.values[0].integer, 12);
  EXPECT_EQ(general.values[3].integer, 3);
  EXPECT_EQ(general.values[5].decimal, 0.5);
  EXPECT_EQ(general.values[7].decimal, 15.0);
  EXPECT_EQ(rules(parse({"1", "2018", "1", "0", "0", "1.2.3", "12345678901234567890", "-0.5"})),
            (std::vector<std::string>{"not_number@5=1.2.3", "not_integer@6=12345678901234567890",
                                      "negative_value@7=-0.5"}));
}

class LoyaltyRows : public ::testing::Test {
 protected:
  LoyaltyRows()
      : validator_(ingest::loyalty_spec(),
                   ingest::map_header(ingest::loyalty_spec(), header(), "l.csv"), "l.csv") {}
  static ingest::CsvRecord header() {
    ingest::CsvRecord r;
    r.line = 1;
    for (const auto& c : ingest::loyalty_spec().columns) {
      r.fields.emplace_back(c.source_name);
    }
    return r;
  }
  ingest::ParsedRow parse(std::string_view salary, std::string_view cancel_year,
                          std::string_view cancel_month, std::string_view enroll_year = "2016") {
    static std::vector<std::string> keep;
    ingest::CsvRecord r;
    r.line = 2;
    r.fields = {"480934",    "Canada", "Ontario",   "Toronto",   "M2Z 4K1", "Female",
                "Bachelor",  salary,   "Married",   "Star",      "3839.14", "Standard",
                enroll_year, "2",      cancel_year, cancel_month};
    ingest::ParsedRow row;
    validator_.validate(r, row);
    return row;
  }
  ingest::RowValidator validator_;
};

TEST_F(LoyaltyRows, NegativeSalaryBecomesNullAndIsFlagged) {
  const auto row = parse("-49830", "", "");
  EXPECT_TRUE(row.violations.empty());
  EXPECT_TRUE(row.salary_nulled);
  EXPECT_TRUE(row.values[ingest::loyalty_spec().index_of("salary")].null);
}

TEST_F(LoyaltyRows, MissingSalaryAndCancellationAreNull) {
  const auto row = parse("", "", "");
  EXPECT_TRUE(row.violations.empty());
  EXPECT_FALSE(row.salary_nulled);
  EXPECT_TRUE(row.values[ingest::loyalty_spec().index_of("cancellation_year")].null);
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
