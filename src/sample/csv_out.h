#pragma once
// Buffered CSV output with fast number formatting, for the generator's two files.

#include <charconv>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <string>
#include <string_view>

#include "core/app_error.h"

namespace aa::sample {

class CsvOut {
 public:
  explicit CsvOut(const std::filesystem::path& path)
      : path_(path), file_(std::fopen(path.c_str(), "wb")) {
    if (!file_) {
      core::fail(core::ErrorKind::Io, "cannot write '{}'", path.string());
    }
    buffer_.reserve(kFlushAt + 4096);
  }
  ~CsvOut() {
    if (file_) {
      std::fclose(file_);
    }
  }
  CsvOut(const CsvOut&) = delete;
  CsvOut& operator=(const CsvOut&) = delete;
  CsvOut& text(std::string_view s) {
    buffer_.append(s);
    return *this;
  }
  CsvOut& num(std::int64_t v) {
    char tmp[24];
    auto [end, ec] = std::to_chars(tmp, tmp + sizeof tmp, v);
    buffer_.append(tmp, end);
    return *this;
  }
  CsvOut& cents(std::int64_t v) {  // 12345 -> "123.45"
    num(v / 100);
    const int c = static_cast<int>(v % 100);
    buffer_ += '.';
    buffer_ += static_cast<char>('0' + c / 10);
    buffer_ += static_cast<char>('0' + c % 10);
    return *this;
  }
  CsvOut& sep() {
    buffer_ += ',';
    return *this;
  }
  void end_row() {
    buffer_ += '\n';
    if (buffer_.size() >= kFlushAt) {
      flush();
    }
  }
  void close() {
    flush();
    if (std::fclose(file_) != 0) {
      file_ = nullptr;
      core::fail(core::ErrorKind::Io, "cannot write '{}'", path_.string());
    }
    file_ = nullptr;
  }

 private:
  static constexpr std::size_t kFlushAt = 1 << 20;
  void flush() {
    if (!buffer_.empty() &&
        std::fwrite(buffer_.data(), 1, buffer_.size(), file_) != buffer_.size()) {
      core::fail(core::ErrorKind::Io, "cannot write '{}' (disk full?)", path_.string());
    }
    buffer_.clear();
  }
  std::filesystem::path path_;
  std::FILE* file_;
  std::string buffer_;
};

}  // namespace aa::sample
