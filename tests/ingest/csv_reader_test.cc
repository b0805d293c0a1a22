#include "ingest/csv_reader.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <thread>

#include "support/test_support.h"

namespace aa {
namespace {

using test::TempDir;

struct Row {
  std::int64_t line;
  std::vector<std::string> fields;
  std::string raw;
  std::string malformed;
};

std::vector<Row> read_all(const std::string& text) {
  TempDir dir;
  test::write_text(dir / "f.csv", text);
  ingest::CsvReader reader(dir / "f.csv", "f.csv");
  std::vector<Row> rows;
  ingest::CsvRecord r;
  while (reader.next(r)) {
    rows.push_back({r.line, {r.fields.begin(), r.fields.end()}, std::string(r.raw), r.malformed});
  }
  return rows;
}

TEST(CsvReader, PlainRecordsWithLineNumbers) {
  const auto rows = read_all("a,b\n1,2\n3,4\n");
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[1].line, 2);
  EXPECT_EQ(rows[2].fields, (std::vector<std::string>{"3", "4"}));
  EXPECT_EQ(rows[2].raw, "3,4");
}

TEST(CsvReader, CrlfAndMissingFinalNewline) {
  const auto rows = read_all("a,b\r\n1,2\r\n3,4");
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[1].fields, (std::vector<std::string>{"1", "2"}));
  EXPECT_EQ(rows[2].fields, (std::vector<std::string>{"3", "4"}));
  EXPECT_EQ(rows[1].raw, "1,2");
}

TEST(CsvReader, QuotedFieldsEscapesAndNewlinesKeepLineNumbers) {
  const auto rows = read_all("a,b\n\"x, y\",\"say \"\"hi\"\"\"\n\"two\nlines\",z\nlast,1\n");
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[1].fields, (std::vector<std::string>{"x, y", "say \"hi\""}));
  EXPECT_EQ(rows[2].line, 3);
  EXPECT_EQ(rows[2].fields, (std::vector<std::string>{"two\nlines", "z"}));
  EXPECT_EQ(rows[3].line, 5);  // the quoted newline moved it down one line
}

TEST(CsvReader, EmptyFieldsAndTrailingDelimiter) {
  const auto rows = read_all("a,b,c\n,,\n1,,3\n");
  EXPECT_EQ(rows[1].fields, (std::vector<std::string>{"", "", ""}));
  EXPECT_EQ(rows[2].fields, (std::vector<std::string>{"1", "", "3"}));
}

TEST(CsvReader, BlankLinesAreCountedNotReturned) {
  TempDir dir;
  test::write_text(dir / "f.csv", "a\n\n1\n\r\n2\n");
  ingest::CsvReader reader(dir / "f.csv", "f.csv");
  ingest::CsvRecord r;
  std::vector<std::int64_t> lines;
  while (reader.next(r)) {
    lines.push_back(r.line);
  }
  EXPECT_EQ(lines, (std::vector<std::int64_t>{1, 3, 5}));
  EXPECT_EQ(reader.blank_lines(), 2);
}

TEST(CsvReader, BomIsSkipped) {
  TempDir dir;
  test::write_text(dir / "f.csv", "\xEF\xBB\xBFLoyalty Number,b\n1,2\n");
  ingest::CsvReader reader(dir / "f.csv", "f.csv");
  ingest::CsvRecord r;
  ASSERT_TRUE(reader.next(r));
  EXPECT_EQ(r.fields[0], "Loyalty Number");
  EXPECT_TRUE(reader.had_bom());
}

TEST(CsvReader, MalformedQuotingIsFlaggedOnTheRecord) {
  const auto rows = read_all("a,b\n\"x\"y,1\nab\"c,2\nok,3\n");
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[1].malformed, "unexpected text after a closing quote");
  EXPECT_EQ(rows[2].malformed, "a quote inside an unquoted field");
  EXPECT_EQ(rows[3].malformed, "");
}

TEST(CsvReader, UnterminatedQuoteIsALocatedError) {
  EXPECT_APP_ERROR(read_all("a,b\n1,2\n3,\"open\n4,5\n"), core::ErrorKind::InvalidInput,
                   "f.csv:3:2: [unterminated_quote] a quoted field is never closed (opening "
                   "quote on this line)");
}

TEST(CsvReader, FileLevelProblems) {
  EXPECT_APP_ERROR(read_all(""), core::ErrorKind::InvalidInput,
                   "f.csv:1:1: [empty_file] the file is empty (0 bytes)");
  EXPECT_APP_ERROR(read_all(std::string("\xFF\xFE"
                                        "a\0,\0",
                                        6)),
                   core::ErrorKind::InvalidInput,
                   "f.csv:1:1: [encoding] the file is UTF-16; save it as UTF-8 (for example: "
                   "iconv -f UTF-16 -t UTF-8)");
  EXPECT_APP_ERROR(read_all("PAR1\x15\x04"), core::ErrorKind::InvalidInput,
                   "f.csv:1:1: [not_csv] this is a Parquet file, not a CSV file");
  EXPECT_APP_ERROR(read_all(std::string("PK\x03\x04", 4) + "zipdata"),
                   core::ErrorKind::InvalidInput,
                   "f.csv:1:1: [not_csv] this is a zip archive, not a CSV file; unzip it first");
}

TEST(CsvReader, RecordsLargerThanTheBufferAndAcrossBlockBoundaries) {
  std::string text = "a,b\n";
  const std::string huge(5 << 20, 'q');  // larger than the 4 MiB buffer
  text += "\"" + huge + "\",1\n";
  for (int i = 0; i < 200000; ++i) {
    text += std::to_string(i) + ",\"v" + std::to_string(i) + "\"\n";
  }
  const auto rows = read_all(text);
  ASSERT_EQ(rows.size(), 200002u);
  EXPECT_EQ(rows[1].fields[0].size(), huge.size());
  EXPECT_EQ(rows[200001].line, 200002);
  EXPECT_EQ(rows[200001].fields, (std::vector<std::string>{"199999", "v199999"}));
  for (std::size_t i = 2; i < rows.size(); ++i) {
    ASSERT_EQ(rows[i].fields[1], "v" + std::to_string(i - 2)) << "line " << rows[i].line;
  }
}

// A file still being copied: the reader waits for each byte to be written, reads no byte
// the writer has not declared, and stops with an error when the writer gives up.
TEST(CsvReader, GrowingFileIsReadOnlyAsFarAsWritten) {
  TempDir dir;
  std::string text = "a,b\n";
  for (int i = 0; i < 50000; ++i) {
    text += std::to_string(i) + ",\"x" + std::to_string(i) + "\"\n";  // quoted: the slow path too
  }
  {
    // The writer declares the bytes in uneven steps, some splitting records, while the reader
    // reads on another thread.
    test::write_text(dir / "g.csv", "");
    ingest::GrowingFile growing(text.size());
    std::vector<Row> rows;
    std::thread reader([&] {
      ingest::CsvReader csv(dir / "g.csv", "g.csv", ',', &growing);
      EXPECT_EQ(csv.total_bytes(), text.size());
      ingest::CsvRecord r;
      while (csv.next(r)) {
        rows.push_back({r.line, {r.fields.begin(), r.fields.end()}, std::string(r.raw), ""});
      }
    });
    {
      std::ofstream out(dir / "g.csv", std::ios::binary);
      std::size_t written = 0;
      for (std::size_t step = 1; written < text.size(); step = step * 3 + 7) {
        const std::size_t n = std::min(step, text.size() - written);
        out.write(text.data() + written, static_cast<std::streamsize>(n));
        out.flush();
        written += n;
        growing.advance(written);
      }
    }
    growing.finish();
    reader.join();
    ASSERT_EQ(rows.size(), 50001u);
    EXPECT_EQ(rows[50000].fields, (std::vector<std::string>{"49999", "x49999"}));
    EXPECT_EQ(rows[50000].line, 50001);
  }
  {
    // Every byte is in the file, but only the first two lines are declared written.
    test::write_text(dir / "h.csv", "a,b\n1,2\n3,4\n");
    ingest::GrowingFile growing(12);
    growing.advance(8);
    growing.finish();
    ingest::CsvReader csv(dir / "h.csv", "h.csv", ',', &growing);
    ingest::CsvRecord r;
    std::vector<std::string> raws;
    while (csv.next(r)) {
      raws.emplace_back(r.raw);
    }
    EXPECT_EQ(raws, (std::vector<std::string>{"a,b", "1,2"}));
  }
  {
    test::write_text(dir / "i.csv", "a,b\n1,2\n");
    ingest::GrowingFile growing(100);
    growing.advance(4);
    ingest::CsvReader csv(dir / "i.csv", "i.csv", ',', &growing);
    ingest::CsvRecord r;
    ASSERT_TRUE(csv.next(r));  // the header
    growing.abandon();
    EXPECT_APP_ERROR(csv.next(r), core::ErrorKind::Io,
                     "the copy being read stopped before its end");
  }
}

TEST(CsvReader, MissingFileIsNotFound) {
  EXPECT_APP_ERROR(ingest::CsvReader("/nonexistent.csv", "x.csv"), core::ErrorKind::NotFound,
                   "cannot open 'x.csv': No such file or directory");
}

}  // namespace
}  // namespace aa
