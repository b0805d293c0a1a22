#pragma once
// A lake in S3 (`--lake s3://bucket/prefix` or AIRLINE_LAKE). Every zone lives in the bucket;
// commands work on a local mirror of it (AIRLINE_LAKE_CACHE) with the same code as a local lake:
// a command first brings the mirror up to date (objects whose content differs are downloaded),
// and a pipeline command that succeeds uploads what changed, by content hash (x-amz-meta-sha256),
// data before the stage records, so an interrupted upload leaves the records of the previous
// complete run and the next run uploads the rest.
//
// Keys: <prefix><RAW_PREFIX>..., <prefix><PROCESSED_PREFIX><table>/<table>.parquet (a folder per
// table, as Athena's LOCATION needs), <prefix><CURATED_PREFIX>..., and <prefix>quarantine/,
// reports/, _state/, warehouse.duckdb. The zone prefixes are the reference project's keys.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "cloud/s3.h"
#include "core/config.h"

namespace aa::aws {

struct S3LakeLayout {
  std::string bucket;
  std::string root;  // "team/lake/" or "" (the bucket's root)
  std::string raw = "raw/";
  std::string processed = "processed/";
  std::string curated = "curated/";

  // The key of a lake file given by its path relative to the lake ("processed/x.parquet").
  std::string key_for(const std::string& relative) const;
  // The lake-relative path of a key; nullopt for keys that are not lake files.
  std::optional<std::string> relative_for(const std::string& key) const;
  // s3://bucket/<key_for(relative)>, for a folder when `relative` ends with '/'.
  std::string uri_for(const std::string& relative) const;
};

bool is_s3_uri(const std::string& text);

// The layout of an s3:// lake URI; an empty bucket takes S3_BUCKET.
S3LakeLayout s3_lake_layout(const std::string& uri, const core::CloudConfig& cloud);

// The cache's base: AIRLINE_LAKE_CACHE, or ~/.cache/airline-analytics/s3.
fs::path s3_cache_base(const core::CloudConfig& cloud);
// Where a raw s3:// folder is downloaded: <base>/_raw-input/<bucket>/<key> (no bucket name has
// '_', so it never meets a mirror).
fs::path s3_raw_cache(const S3Uri& folder, const core::CloudConfig& cloud);

// Where the mirror lives: AIRLINE_LAKE_CACHE/<bucket>/<prefix>, or
// ~/.cache/airline-analytics/s3/<bucket>/<prefix>.
fs::path s3_lake_cache(const S3LakeLayout& layout, const core::CloudConfig& cloud);

struct SyncReport {
  int objects = 0;      // lake files considered
  int transferred = 0;  // downloaded or uploaded
  int unchanged = 0;    // same content on both sides
  int removed = 0;      // mirror files no longer in the bucket
  std::uint64_t bytes = 0;
};

// Brings the mirror at `local` up to date with the bucket.
SyncReport pull_lake(S3Client& client, const S3LakeLayout& layout, const fs::path& local);
// Uploads the mirror's files whose content differs from the bucket's.
SyncReport push_lake(S3Client& client, const S3LakeLayout& layout, const fs::path& local);

// Downloads the CSV files under an s3:// folder (the raw data set) into `local`; returns it.
fs::path fetch_raw_folder(S3Client& client, const std::string& uri, const fs::path& local);

}  // namespace aa::aws
