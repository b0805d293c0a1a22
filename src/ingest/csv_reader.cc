#include "ingest/csv_reader.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "core/app_error.h"

namespace aa::ingest {

namespace {
constexpr std::size_t kInitialBuffer = 1 << 22;  // 4 MiB

core::Location at(const std::string& file, std::int64_t line, std::int64_t column,
                  const std::string& rule) {
  core::Location where;
  where.file = file;
  where.line = line;
  where.column = column;
  where.rule = rule;
  return where;
}
}  // namespace

void GrowingFile::advance(std::uint64_t written) {
  {
    const std::lock_guard lock(mutex_);
    written_ = written;
  }
  changed_.notify_all();
}

void GrowingFile::finish() {
  {
    const std::lock_guard lock(mutex_);
    finished_ = true;
  }
  changed_.notify_all();
}

void GrowingFile::abandon() {
  {
    const std::lock_guard lock(mutex_);
    abandoned_ = true;
  }
  changed_.notify_all();
}

std::uint64_t GrowingFile::wait_beyond(std::uint64_t offset) const {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [&] { return written_ > offset || finished_ || abandoned_; });
  if (abandoned_) {
    core::fail(core::ErrorKind::Io, "the copy being read stopped before its end");
  }
  return written_;
}

CsvReader::CsvReader(const fs::path& path, std::string display_name, char delimiter,
                     const GrowingFile* growing)
    : name_(std::move(display_name)),
      delimiter_(delimiter),
      growing_(growing),
      buffer_(kInitialBuffer) {
  fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd_ < 0) {
    core::fail(core::ErrorKind::NotFound, "cannot open '{}': {}", name_, std::strerror(errno));
  }
  struct stat st {};
  if (::fstat(fd_, &st) == 0) {
    total_bytes_ = static_cast<std::uint64_t>(st.st_size);
    if (S_ISDIR(st.st_mode)) {
      core::fail(core::ErrorKind::InvalidInput, "'{}' is a folder, not a CSV file", name_);
    }
  }
  if (growing_) {
    total_bytes_ = growing_->expected_bytes();
  }
  check_start();
}

CsvReader::~CsvReader() {
  if (fd_ >= 0) {
    ::close(fd_);
  }
}

bool CsvReader::fill() {
  if (eof_) {
    return false;
  }
  if (pos_ > 0) {  // keep the unparsed tail at the front
    std::memmove(buffer_.data(), buffer_.data() + pos_, end_ - pos_);
    end_ -= pos_;
    pos_ = 0;
  }
  if (end_ == buffer_.size()) {
    buffer_.resize(buffer_.size() * 2);  // a record larger than the buffer
  }
  std::size_t room = buffer_.size() - end_;
  if (growing_) {  // no further than the writer has written
    const std::uint64_t written = growing_->wait_beyond(read_offset_);
    room = static_cast<std::size_t>(std::min<std::uint64_t>(room, written - read_offset_));
    if (room == 0) {  // the writer finished: this is the end
      eof_ = true;
      return false;
    }
  }
  for (;;) {
    const ssize_t n = ::read(fd_, buffer_.data() + end_, room);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n < 0) {
      core::fail(core::ErrorKind::Io, "cannot read '{}': {}", name_, std::strerror(errno));
    }
    if (n == 0) {
      eof_ = true;
      return false;
    }
    end_ += static_cast<std::size_t>(n);
    read_offset_ += static_cast<std::uint64_t>(n);
    return true;
  }
}

void CsvReader::check_start() {
  while (end_ < 4 && fill()) {
  }
  if (end_ == 0) {
    core::fail_at(at(name_, 1, 1, "empty_file"), "the file is empty (0 bytes)");
  }
  const auto* b = reinterpret_cast<const unsigned char*>(buffer_.data());
  if (end_ >= 2 && ((b[0] == 0xFF && b[1] == 0xFE) || (b[0] == 0xFE && b[1] == 0xFF))) {
    core::fail_at(at(name_, 1, 1, "encoding"),
                  "the file is UTF-16; save it as UTF-8 (for example: iconv -f UTF-16 -t UTF-8)");
  }
  if (end_ >= 4 && std::memcmp(b, "PAR1", 4) == 0) {
    core::fail_at(at(name_, 1, 1, "not_csv"), "this is a Parquet file, not a CSV file");
  }
  if (end_ >= 4 && b[0] == 'P' && b[1] == 'K' && b[2] == 3 && b[3] == 4) {
    core::fail_at(at(name_, 1, 1, "not_csv"),
                  "this is a zip archive, not a CSV file; unzip it first");
  }
  if (end_ >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF) {
    had_bom_ = true;
    pos_ = 3;
    consumed_ = 3;
  }
}

bool CsvReader::next(CsvRecord& record) {
  for (;;) {
    if (pos_ >= end_ && !fill()) {
      return false;
    }
    // parse_record restarts from pos_ after each fill, so no view outlives a memmove.
    while (!parse_record(record, eof_)) {
      fill();
    }
    if (record.raw.empty() && record.fields.size() == 1 && record.malformed.empty()) {
      ++blank_lines_;  // a blank line holds no values: counted, not a record
      continue;
    }
    return true;
  }
}

// The common case, the same result faster: a whole line in the buffer and no quote in it.
// False (nothing consumed) otherwise.
bool CsvReader::parse_plain_line(CsvRecord& record) {
  const char* data = buffer_.data();
  const std::size_t start = pos_;
  const void* newline = std::memchr(data + start, '\n', end_ - start);
  if (newline == nullptr) {
    return false;
  }
  const std::size_t line_end = static_cast<const char*>(newline) - data;
  const std::size_t stop =
      (line_end > start && data[line_end - 1] == '\r') ? line_end - 1 : line_end;
  std::size_t field = start;
  for (std::size_t k = start; k < stop; ++k) {
    const char c = data[k];
    if (c == delimiter_) {
      record.fields.emplace_back(data + field, k - field);
      field = k + 1;
    } else if (c == '"') {
      record.fields.clear();
      return false;
    }
  }
  record.fields.emplace_back(data + field, stop - field);
  record.raw = std::string_view(data + start, stop - start);
  record.line = line_;
  consumed_ += line_end + 1 - start;
  pos_ = line_end + 1;
  ++line_;
  return true;
}

// The quoted field opening at `i`: returns the position after its closing quote, or kNeedMore
// when the buffer ends first and more input may come.
std::size_t CsvReader::parse_quoted_field(CsvRecord& record, std::size_t i, bool at_eof,
                                          std::int64_t& newlines_in_quotes) {
  const char* data = buffer_.data();
  const std::size_t field_start = i + 1;
  std::size_t j = field_start;
  bool escaped = false;
  for (;;) {
    if (j >= end_) {
      if (!at_eof) {
        return kNeedMore;
      }
      core::fail_at(at(name_, line_, static_cast<std::int64_t>(record.fields.size() + 1),
                       "unterminated_quote"),
                    "a quoted field is never closed (opening quote on this line)");
    }
    if (data[j] == '"') {
      if (j + 1 < end_ && data[j + 1] == '"') {
        escaped = true;
        j += 2;
        continue;
      }
      if (j + 1 >= end_ && !at_eof) {
        return kNeedMore;
      }
      break;
    }
    if (data[j] == '\n') {
      ++newlines_in_quotes;
    }
    ++j;
  }
  std::string_view content(data + field_start, j - field_start);
  if (escaped) {
    std::string& out = unescaped_.emplace_back();
    for (std::size_t k = 0; k < content.size(); ++k) {
      out += content[k];
      if (content[k] == '"') {
        ++k;
      }
    }
    content = out;
  }
  record.fields.push_back(content);
  return j + 1;
}

// After a closing quote at `i`: a delimiter, the end of the line or of the file; other text is
// skipped and marks the record malformed. Returns where the field ends.
std::size_t CsvReader::skip_after_quote(CsvRecord& record, std::size_t i) const {
  const char* data = buffer_.data();
  if (i < end_ && data[i] != delimiter_ && data[i] != '\n' && data[i] != '\r') {
    if (record.malformed.empty()) {
      record.malformed = "unexpected text after a closing quote";
    }
    while (i < end_ && data[i] != delimiter_ && data[i] != '\n') {
      ++i;
    }
  }
  return i;
}

// The unquoted field starting at `i`: returns where it ends (a delimiter, '\n' or the end).
std::size_t CsvReader::parse_unquoted_field(CsvRecord& record, std::size_t i, bool at_eof) {
  const char* data = buffer_.data();
  std::size_t j = i;
  while (j < end_ && data[j] != delimiter_ && data[j] != '\n') {
    if (data[j] == '"' && record.malformed.empty()) {
      record.malformed = "a quote inside an unquoted field";
    }
    ++j;
  }
  std::size_t field_end = j;
  if (j < end_ && data[j] == '\n' && field_end > i && data[field_end - 1] == '\r') {
    --field_end;
  } else if (j >= end_ && at_eof && field_end > i && data[field_end - 1] == '\r') {
    --field_end;
  }
  record.fields.emplace_back(data + i, field_end - i);
  return j;
}

// Parses one record at pos_. When the buffer ends before the record does and more input
// may come, returns false without consuming anything.
bool CsvReader::parse_record(CsvRecord& record, bool at_eof) {
  record.fields.clear();
  record.malformed.clear();
  unescaped_.clear();
  if (parse_plain_line(record)) {
    return true;
  }
  const char* data = buffer_.data();
  const std::size_t start = pos_;
  std::size_t i = pos_;
  std::int64_t newlines_in_quotes = 0;
  for (;;) {
    // One field.
    if (i < end_ && data[i] == '"') {
      i = parse_quoted_field(record, i, at_eof, newlines_in_quotes);
      if (i == kNeedMore) {
        return false;
      }
      i = skip_after_quote(record, i);
    } else {
      i = parse_unquoted_field(record, i, at_eof);
    }
    if (i < end_ && data[i] == delimiter_) {
      ++i;
      if (i >= end_ && !at_eof) {
        return false;
      }
      if (i >= end_) {
        record.fields.emplace_back();  // trailing delimiter at end of file: one empty field
        break;
      }
      continue;
    }
    if (i < end_ && data[i] == '\r' && i + 1 < end_ && data[i + 1] == '\n') {
      ++i;
    }
    if (i < end_ && data[i] == '\n') {
      break;
    }
    if (i >= end_) {
      if (!at_eof) {
        return false;
      }
      break;
    }
  }
  finish_record(record, start, i, newlines_in_quotes);
  return true;
}

// The record spans [start, i); i points at '\n' or the end.
void CsvReader::finish_record(CsvRecord& record, std::size_t start, std::size_t i,
                              std::int64_t newlines_in_quotes) {
  const char* data = buffer_.data();
  std::size_t raw_end = i;
  if (raw_end > start && raw_end <= end_ && raw_end > 0 && data[raw_end - 1] == '\r') {
    --raw_end;
  }
  record.raw = std::string_view(data + start, raw_end - start);
  record.line = line_;
  const std::size_t next = (i < end_) ? i + 1 : i;
  consumed_ += next - start;
  pos_ = next;
  line_ += 1 + newlines_in_quotes;
}

}  // namespace aa::ingest
