#include "cloud/s3_lake.h"

#include <cstdlib>
#include <nlohmann/json.hpp>
#include <set>

#include "core/app_error.h"
#include "core/files.h"
#include "core/progress.h"

namespace aa::aws {

namespace {

constexpr const char* kStage = "s3";

bool starts_with(const std::string& text, const std::string& prefix) {
  return text.rfind(prefix, 0) == 0;
}

// The lake's own files at `local`: not the lock, not scratch, not temporaries.
std::vector<std::string> local_files(const fs::path& local) {
  std::vector<std::string> out;
  if (!fs::exists(local)) {
    return out;
  }
  for (auto it = fs::recursive_directory_iterator(local); it != fs::recursive_directory_iterator();
       ++it) {
    const std::string name = it->path().filename().string();
    if (it->is_directory() && (name == "_work" || name.front() == '.')) {
      it.disable_recursion_pending();
      continue;
    }
    if (it->is_regular_file() && name.front() != '.') {
      out.push_back(fs::relative(it->path(), local).generic_string());
    }
  }
  return out;
}

}  // namespace

bool is_s3_uri(const std::string& text) { return starts_with(text, "s3://"); }

std::string S3LakeLayout::key_for(const std::string& relative) const {
  const auto slash = relative.find('/');
  const std::string zone = relative.substr(0, slash);
  const std::string rest = slash == std::string::npos ? "" : relative.substr(slash + 1);
  if (zone == "raw") {
    return root + raw + rest;
  }
  if (zone == "processed") {
    // processed/<table>.parquet -> <table>/<table>.parquet: a folder per table.
    const fs::path file(rest);
    if (file.extension() == ".parquet" && file.parent_path().empty()) {
      return root + processed + file.stem().string() + "/" + rest;
    }
    return root + processed + rest;
  }
  if (zone == "curated") {
    return root + curated + rest;
  }
  return root + relative;
}

std::optional<std::string> S3LakeLayout::relative_for(const std::string& key) const {
  if (!starts_with(key, root) || key.back() == '/') {
    return std::nullopt;
  }
  // The longest zone prefix wins (a zone prefix may sit inside another).
  std::optional<std::string> best;
  std::size_t best_length = 0;
  const auto consider = [&](const std::string& prefix, const std::string& zone) {
    const std::string full = root + prefix;
    if (starts_with(key, full) && full.size() >= best_length) {
      std::string rest = key.substr(full.size());
      if (zone == "processed") {
        const auto slash = rest.find('/');
        if (slash != std::string::npos &&
            rest.substr(0, slash) + ".parquet" == rest.substr(slash + 1)) {
          rest = rest.substr(slash + 1);
        }
      }
      best = zone + "/" + rest;
      best_length = full.size();
    }
  };
  consider(raw, "raw");
  consider(processed, "processed");
  consider(curated, "curated");
  if (best) {
    return best;
  }
  const std::string relative = key.substr(root.size());
  static const std::set<std::string> kOwn = {"quarantine", "reports", "_state"};
  const auto slash = relative.find('/');
  if (relative == "warehouse.duckdb" ||
      (slash != std::string::npos && kOwn.count(relative.substr(0, slash)))) {
    return relative;
  }
  return std::nullopt;
}

std::string S3LakeLayout::uri_for(const std::string& relative) const {
  if (!relative.empty() && relative.back() == '/') {
    const std::string zone = relative.substr(0, relative.size() - 1);
    const std::string prefix = zone == "raw"         ? raw
                               : zone == "processed" ? processed
                               : zone == "curated"   ? curated
                                                     : "";
    if (!prefix.empty()) {
      return "s3://" + bucket + "/" + root + prefix;
    }
    // A folder inside a zone: the key of a file in it, without the file.
    const std::string key = key_for(relative + "x");
    return "s3://" + bucket + "/" + key.substr(0, key.size() - 1);
  }
  return "s3://" + bucket + "/" + key_for(relative);
}

S3LakeLayout s3_lake_layout(const std::string& uri, const core::CloudConfig& cloud) {
  S3Uri parsed = parse_s3_uri(uri);
  if (parsed.bucket.empty()) {
    if (cloud.s3_bucket.empty()) {
      core::fail(core::ErrorKind::InvalidInput,
                 "the lake '{}' names no bucket: use s3://bucket/prefix or set S3_BUCKET", uri);
    }
    parsed = parse_s3_uri("s3://" + cloud.s3_bucket + "/" + parsed.key);
  }
  S3LakeLayout layout;
  layout.bucket = parsed.bucket;
  layout.root = parsed.key;
  if (!layout.root.empty() && layout.root.back() != '/') {
    layout.root += '/';
  }
  layout.raw = cloud.raw_prefix;
  layout.processed = cloud.processed_prefix;
  layout.curated = cloud.curated_prefix;
  return layout;
}

fs::path s3_cache_base(const core::CloudConfig& cloud) {
  if (!cloud.lake_cache.empty()) {
    return cloud.lake_cache;
  }
  const char* home = std::getenv("HOME");
  return fs::path(home != nullptr && *home != '\0' ? home : ".") / ".cache" / "airline-analytics" /
         "s3";
}

fs::path s3_raw_cache(const S3Uri& folder, const core::CloudConfig& cloud) {
  return s3_cache_base(cloud) / "_raw-input" / folder.bucket / folder.key;
}

fs::path s3_lake_cache(const S3LakeLayout& layout, const core::CloudConfig& cloud) {
  fs::path out = s3_cache_base(cloud) / layout.bucket;
  if (!layout.root.empty()) {
    out /= layout.root.substr(0, layout.root.size() - 1);
  }
  return out;
}

SyncReport pull_lake(S3Client& client, const S3LakeLayout& layout, const fs::path& local) {
  const core::Stopwatch clock;
  SyncReport report;
  std::set<std::string> in_bucket;
  for (const auto& object : client.list(layout.bucket, layout.root)) {
    const auto relative = layout.relative_for(object.key);
    if (!relative) {
      continue;
    }
    in_bucket.insert(*relative);
    ++report.objects;
    const fs::path file = local / *relative;
    if (fs::exists(file) && fs::file_size(file) == object.size) {
      const auto head = client.head(layout.bucket, object.key);
      if (head && head->metadata.count("sha256") &&
          head->metadata.at("sha256") == core::sha256_file(file).sha256) {
        ++report.unchanged;
        continue;
      }
    }
    report.bytes += client.get_to_file(layout.bucket, object.key, file);
    ++report.transferred;
  }
  // The mirror holds what the bucket holds: files the bucket no longer has go.
  for (const auto& relative : local_files(local)) {
    if (!in_bucket.count(relative)) {
      fs::remove(local / relative);
      ++report.removed;
    }
  }
  core::say(kStage,
            "s3://{}/{} -> {}: {} objects, {} downloaded ({} bytes), {} unchanged ({:.2f} s)",
            layout.bucket, layout.root, local.string(), report.objects, report.transferred,
            core::with_commas(static_cast<std::int64_t>(report.bytes)), report.unchanged,
            clock.seconds());
  return report;
}

SyncReport push_lake(S3Client& client, const S3LakeLayout& layout, const fs::path& local) {
  const core::Stopwatch clock;
  SyncReport report;
  auto files = local_files(local);
  // Data first, the stage records last.
  std::stable_partition(files.begin(), files.end(),
                        [](const std::string& f) { return !starts_with(f, "_state/"); });
  for (const auto& relative : files) {
    ++report.objects;
    const auto put =
        client.put_file_if_changed(layout.bucket, layout.key_for(relative), local / relative);
    if (put.uploaded) {
      ++report.transferred;
      report.bytes += put.bytes;
    } else {
      ++report.unchanged;
    }
  }
  core::say(kStage, "{} -> s3://{}/{}: {} files, {} uploaded ({} bytes), {} unchanged ({:.2f} s)",
            local.string(), layout.bucket, layout.root, report.objects, report.transferred,
            core::with_commas(static_cast<std::int64_t>(report.bytes)), report.unchanged,
            clock.seconds());
  return report;
}

fs::path fetch_raw_folder(S3Client& client, const std::string& uri, const fs::path& local) {
  const S3Uri folder = parse_s3_uri(uri);
  std::string prefix = folder.key;
  if (!prefix.empty() && prefix.back() != '/') {
    prefix += '/';
  }
  // The ETags of the copies already here (an object's ETag changes with its content).
  const fs::path etags_file = local / ".s3-etags.json";
  nlohmann::json etags = nlohmann::json::object();
  if (fs::exists(etags_file)) {
    etags = nlohmann::json::parse(core::read_file(etags_file), nullptr, false);
    if (!etags.is_object()) {
      etags = nlohmann::json::object();
    }
  }
  int fetched = 0;
  for (const auto& object : client.list(folder.bucket, prefix)) {
    const std::string name = object.key.substr(prefix.size());
    if (name.find('/') != std::string::npos || fs::path(name).extension() != ".csv") {
      continue;
    }
    const fs::path file = local / name;
    if (!(fs::exists(file) && etags.value(name, "") == object.etag && !object.etag.empty())) {
      client.get_to_file(folder.bucket, object.key, file);
      etags[name] = object.etag;
    }
    ++fetched;
  }
  fs::create_directories(local);
  core::write_file_atomic(etags_file, etags.dump(2));
  if (fetched == 0) {
    core::fail(core::ErrorKind::NotFound, "no .csv files under '{}'", uri);
  }
  core::say(kStage, "{}: {} CSV files -> {}", uri, fetched, local.string());
  return local;
}

}  // namespace aa::aws
