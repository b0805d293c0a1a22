#pragma once
// Arrivals: every export the ingest stage receives is kept in the raw zone,
// raw/arrivals/<arrival-id>/, with its two files (hard links to the raw copies, so no second
// copy is written) and a manifest: the files' hashes, bytes and rows, the data's first and
// last month, the arrival's quality (quarantine rate, missing member-months) and how it
// differs from the previous arrival, by kind (arrival_*_changes.sql). The id is the data's
// last month and the start of a hash of both files ("2018-06_1a2b3c4d"); arrivals are ordered
// by their sequence number. Ingesting a known export again reuses its arrival as it was.

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/duck.h"
#include "core/files.h"
#include "core/lake.h"
#include "ingest/activity_months.h"

namespace aa::ingest {

// The manifests of every kept arrival, oldest first (by sequence).
std::vector<nlohmann::json> arrival_manifests(const core::Lake& lake);

std::string arrival_id(const std::string& data_last_month, const std::string& loyalty_sha256,
                       const std::string& activity_sha256);

// What the ingest stage knows of the export it just validated.
struct ArrivalInput {
  fs::path loyalty_copy;  // the staged raw copies
  fs::path activity_copy;
  fs::path processed_loyalty;                // the staged processed file
  const ActivityMonths* activity = nullptr;  // the activity's months, compared with the lake's
  core::FileDigest loyalty_digest;
  core::FileDigest activity_digest;
  nlohmann::json files;    // the raw manifest's "files"
  nlohmann::json quality;  // {rows_read, rows_quarantined, quarantine_rate, member_months,
                           //  missing_member_months, missing_month_rate}
  nlohmann::json processed_activity;  // the months appended, rewritten, removed and unchanged
};

// Stages the arrival's files and manifest into `outputs` (published with the ingest's set)
// and returns the report's "arrival" section: {arrival_id, sequence, previous_arrival,
// data_first_month, data_last_month, changes, processed_activity} (a known export's as it was
// recorded, so that a rerun reports the same). The changes compare the staged processed files
// with the published ones (the previous arrival's).
nlohmann::json stage_arrival(const core::Lake& lake, duck::Connection& connection,
                             core::PublishGroup& outputs, const ArrivalInput& input,
                             std::vector<fs::path>& published);

}  // namespace aa::ingest
