#pragma once
// The ingest stage: raw CSVs -> raw/ copies + manifest -> validated, typed Parquet in
// processed/ -> quarantine/ and reports/ingest.json. Skipped when inputs are unchanged.

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/duck.h"
#include "core/lake.h"
#include "core/stage_state.h"
#include "ingest/ingest_report.h"

namespace aa {

struct IngestOptions {
  fs::path raw_dir;
  duck::Options db_options;  // threads, memory_limit
  bool force = false;        // rebuild even when inputs are unchanged
};

// Finds the data set's file in raw_dir: its published name ("Customer Loyalty History.csv")
// or the lake's name ("customer_loyalty_history.csv"). AppError(NotFound) otherwise.
fs::path find_source(const fs::path& raw_dir, const std::string& source_file,
                     const std::string& table);

// The result's summary is the content of reports/ingest.json.
StageResult ingest(const Lake& lake, const IngestOptions& options);

}  // namespace aa
