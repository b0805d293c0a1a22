#pragma once
// The local lake: one folder whose zones keep the reference project's S3 names.

#include <filesystem>
#include <string>

namespace aa {

namespace fs = std::filesystem;

// The two raw inputs under the names the data set ships with.
inline constexpr const char* kLoyaltyCsvName = "Customer Loyalty History.csv";
inline constexpr const char* kActivityCsvName = "Customer Flight Activity.csv";

class Lake {
 public:
  explicit Lake(fs::path root) : root_(std::move(root)) {}

  const fs::path& root() const { return root_; }
  fs::path raw_loyalty() const { return root_ / "raw" / "customer_loyalty_history.csv"; }
  fs::path raw_activity() const { return root_ / "raw" / "customer_flight_activity.csv"; }
  fs::path raw_manifest() const { return root_ / "raw" / "manifest.json"; }
  fs::path processed_loyalty() const {
    return root_ / "processed" / "customer_loyalty_history.parquet";
  }
  fs::path processed_activity() const {
    return root_ / "processed" / "customer_flight_activity.parquet";
  }
  fs::path customer_features() const {
    return root_ / "curated" / "customer_features" / "customer_features.parquet";
  }
  fs::path churn_artifacts() const { return root_ / "curated" / "churn" / "artifacts"; }
  fs::path churn_predictions() const {
    return root_ / "curated" / "churn" / "predictions" / "predictions.parquet";
  }
  fs::path quarantine() const { return root_ / "quarantine" / "rejected_rows.parquet"; }
  fs::path ingest_report() const { return root_ / "reports" / "ingest.json"; }
  fs::path warehouse() const { return root_ / "warehouse.duckdb"; }
  fs::path state_dir() const { return root_ / "_state"; }
  // Scratch space (DuckDB spill files, staging databases); never read as output.
  fs::path work_dir() const { return root_ / "_work"; }

  // Creates the zone folders.
  void create() const;
  // Removes what a crashed run left behind: ".<name>.tmp-<pid>" files beside published paths
  // and scratch files in _work/, after completing any interrupted PublishGroup (journals in
  // _state/). Call only while holding the LakeLock. Returns the count removed.
  std::size_t remove_stale_temp_files() const;
  // The journal of a stage's PublishGroup (core/files.h).
  fs::path publish_journal(const std::string& stage) const {
    return state_dir() / ("publishing-" + stage + ".json");
  }

 private:
  fs::path root_;
};

// An exclusive advisory lock on the lake for the life of the object, so that two pipeline
// runs never write the same lake at once. Fails at once, with a clear error, when held.
class LakeLock {
 public:
  explicit LakeLock(const Lake& lake);
  ~LakeLock();
  LakeLock(const LakeLock&) = delete;
  LakeLock& operator=(const LakeLock&) = delete;

 private:
  int fd_ = -1;
};

}  // namespace aa
