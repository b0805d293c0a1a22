#pragma once
// The ingest stage: raw CSVs -> raw/ copies + manifest -> validated, typed Parquet in
// processed/ (the activity a file per month, only the changed months written: activity_months.h)
// -> quarantine/ and reports/ingest.json. Skipped when inputs are unchanged.

#include <filesystem>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/duck.h"
#include "core/lake.h"
#include "core/stage_state.h"
#include "ingest/ingest_report.h"

namespace aa::ingest {

struct IngestOptions {
  fs::path raw_dir;
  duck::Options db_options;  // threads, memory_limit
  bool force = false;        // rebuild even when inputs are unchanged
  // Called on the copying thread after each block of a raw file is copied (bytes so far): a
  // seam for tests that change a source while it is copied. Unset in the product.
  std::function<void(const fs::path& source, std::uint64_t copied)> after_copy_block = {};
};

// Finds the data set's file in raw_dir: its published name ("Customer Loyalty History.csv")
// or the lake's name ("customer_loyalty_history.csv"). AppError(NotFound) otherwise.
fs::path find_source(const fs::path& raw_dir, const std::string& source_file,
                     const std::string& table);

// The result's summary is the content of reports/ingest.json.
core::StageResult ingest(const core::Lake& lake, const IngestOptions& options);

}  // namespace aa::ingest
