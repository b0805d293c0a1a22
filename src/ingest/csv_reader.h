#pragma once
// A streaming RFC 4180 CSV reader: quoted fields, doubled quotes, quoted newlines, CRLF.
// It keeps exact physical line numbers for every record, so that any error can be located.
// File-level problems (empty file, UTF-16, binary content, an unterminated quote) are
// AppErrors with a Location; a malformed single record is flagged for quarantine.

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace aa {
namespace fs = std::filesystem;
}  // namespace aa

namespace aa::ingest {

struct CsvRecord {
  std::int64_t line = 0;                 // physical line where the record starts (1-based)
  std::vector<std::string_view> fields;  // valid until the next call to next()
  std::string_view raw;                  // the record's bytes, without its line terminator
  std::string malformed;                 // non-empty: why the record is not well-formed CSV
};

// A file another thread is still writing (the lake's raw copy, while it is copied): a reader
// never reads past the bytes written so far and waits for more until the writer is done, so
// that parsing starts before the copy ends and still reads exactly the copied bytes.
class GrowingFile {
 public:
  explicit GrowingFile(std::uint64_t expected_bytes) : expected_(expected_bytes) {}
  // The writer's side: how many bytes are written; then done, or failed (readers stop).
  void advance(std::uint64_t written);
  void finish();
  void abandon();
  // The reader's side: waits until more than `offset` bytes are written or the writer ended;
  // returns the bytes written. Throws AppError when the writer failed.
  std::uint64_t wait_beyond(std::uint64_t offset) const;
  std::uint64_t expected_bytes() const { return expected_; }

 private:
  const std::uint64_t expected_;
  mutable std::mutex mutex_;
  mutable std::condition_variable changed_;
  std::uint64_t written_ = 0;
  bool finished_ = false;
  bool abandoned_ = false;
};

class CsvReader {
 public:
  // display_name is how errors name the file (the user's file name). `growing`, when given,
  // is the file's writer (see GrowingFile); it must outlive the reader.
  CsvReader(const fs::path& path, std::string display_name, char delimiter = ',',
            const GrowingFile* growing = nullptr);
  ~CsvReader();
  CsvReader(const CsvReader&) = delete;
  CsvReader& operator=(const CsvReader&) = delete;

  // Reads the next non-blank record; false at end of file.
  bool next(CsvRecord& record);

  std::uint64_t bytes_read() const { return consumed_; }
  std::uint64_t total_bytes() const { return total_bytes_; }
  std::int64_t blank_lines() const { return blank_lines_; }
  bool had_bom() const { return had_bom_; }
  const std::string& display_name() const { return name_; }

 private:
  void check_start();
  bool fill();  // reads more input; false at EOF
  // Parses one record starting at pos_; returns false if more input is needed.
  bool parse_record(CsvRecord& record, bool at_eof);
  // parse_record's parts (csv_reader.cc).
  static constexpr std::size_t kNeedMore = static_cast<std::size_t>(-1);
  bool parse_plain_line(CsvRecord& record);
  std::size_t parse_quoted_field(CsvRecord& record, std::size_t i, bool at_eof,
                                 std::int64_t& newlines_in_quotes);
  std::size_t skip_after_quote(CsvRecord& record, std::size_t i) const;
  std::size_t parse_unquoted_field(CsvRecord& record, std::size_t i, bool at_eof);
  void finish_record(CsvRecord& record, std::size_t start, std::size_t i,
                     std::int64_t newlines_in_quotes);

  int fd_ = -1;
  std::string name_;
  char delimiter_;
  const GrowingFile* growing_ = nullptr;
  std::uint64_t read_offset_ = 0;  // bytes read from the file so far
  std::vector<char> buffer_;
  std::size_t pos_ = 0;  // next unparsed byte in buffer_
  std::size_t end_ = 0;  // bytes valid in buffer_
  bool eof_ = false;
  std::uint64_t consumed_ = 0;
  std::uint64_t total_bytes_ = 0;
  std::int64_t line_ = 1;
  std::int64_t blank_lines_ = 0;
  bool had_bom_ = false;
  std::deque<std::string> unescaped_;  // storage for fields that held doubled quotes
};

}  // namespace aa::ingest
