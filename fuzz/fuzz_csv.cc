// Fuzz target: the CSV reader and the row validator. Any input must end in records (each
// valid or with violations) or in a typed AppError; nothing else may escape, crash or hang.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>

#include "core/app_error.h"
#include "ingest/csv_reader.h"
#include "ingest/row_validator.h"
#include "ingest/schema.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // The reader reads files: one temporary file per process, rewritten for each input.
  static const std::string path = "/tmp/aa-fuzz-csv-" + std::to_string(::getpid()) + ".csv";
  if (size == 0) {
    return 0;
  }
  // The first byte picks the file's contract; the rest is the file.
  const aa::ingest::TableSpec& spec =
      (data[0] & 1) ? aa::ingest::loyalty_spec() : aa::ingest::activity_spec();
  if (std::FILE* f = std::fopen(path.c_str(), "wb")) {
    std::fwrite(data + 1, 1, size - 1, f);
    std::fclose(f);
  } else {
    return 0;
  }
  try {
    aa::ingest::CsvReader reader(path, spec.source_file);
    aa::ingest::CsvRecord record;
    if (!reader.next(record)) {
      return 0;
    }
    const aa::ingest::RowValidator validator(
        spec, aa::ingest::map_header(spec, record, spec.source_file), spec.source_file);
    aa::ingest::ParsedRow row;
    while (reader.next(record)) {
      validator.validate(record, row);
    }
  } catch (const aa::core::AppError&) {
    // A located, typed error: an expected ending.
  }
  return 0;
}
