#pragma once
// The local lake: one folder whose zones keep the reference project's S3 names.

#include <filesystem>
#include <string>

namespace aa {
namespace fs = std::filesystem;
}  // namespace aa

namespace aa::core {

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
  // The processed flight activity: one Parquet file per data month in a folder,
  // processed/customer_flight_activity/YYYY-MM.parquet, beside an index of the months and
  // their content fingerprints (_months.json; a leading underscore, which Spark and Athena
  // skip). An arrival rewrites only the months whose content changed and appends new months.
  // processed_activity() is the glob that reads every month (read_parquet, Spark, Athena's
  // folder); has_processed_activity() says whether it exists.
  fs::path processed_activity_dir() const { return root_ / "processed" / "customer_flight_activity"; }
  fs::path processed_activity() const { return processed_activity_dir() / "*.parquet"; }
  fs::path processed_activity_month(const std::string& month) const {
    return processed_activity_dir() / (month + ".parquet");
  }
  fs::path processed_activity_index() const { return processed_activity_dir() / "_months.json"; }
  bool has_processed_activity() const;
  // The single file lakes written before the monthly folder held; removed by the next ingest.
  fs::path legacy_processed_activity() const {
    return root_ / "processed" / "customer_flight_activity.parquet";
  }
  fs::path customer_features() const {
    return root_ / "curated" / "customer_features" / "customer_features.parquet";
  }
  fs::path churn_artifacts() const { return root_ / "curated" / "churn" / "artifacts"; }
  fs::path churn_predictions() const {
    return root_ / "curated" / "churn" / "predictions" / "predictions.parquet";
  }
  // Every scoring kept as a Hive-style partition: <dir>/scored_month=YYYY-MM/predictions.parquet.
  fs::path prediction_history() const { return root_ / "curated" / "churn" / "predictions"; }
  fs::path prediction_partition(const std::string& scored_month) const {
    return prediction_history() / ("scored_month=" + scored_month) / "predictions.parquet";
  }
  // Every trained model, in a folder named by its model_id.
  fs::path churn_models() const { return root_ / "curated" / "churn" / "models"; }
  // What each scoring's members looked like, binned as its model's drift reference says.
  fs::path scoring_profile(const std::string& scored_month) const {
    return root_ / "curated" / "churn" / "profiles" / ("scored_month=" + scored_month + ".json");
  }
  // The monitor's tables, a folder each (an external table reads a whole folder):
  // curated/churn/<name>/<name>.parquet for model_health and model_drift.
  fs::path monitor_table(const std::string& name) const {
    return root_ / "curated" / "churn" / name / (name + ".parquet");
  }
  // Every export the ingest stage received: <dir>/<arrival-id>/ with the files and a manifest.
  fs::path arrivals() const { return root_ / "raw" / "arrivals"; }
  fs::path monitor_report() const { return root_ / "reports" / "monitor.json"; }
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

// A table's Parquet source: one file, or the glob of a folder of monthly files (the processed
// activity). It exists when the file (or the folder's index) does; its content is vouched for by
// the file itself (or by the index, which holds every month's fingerprint).
bool parquet_source_exists(const fs::path& source);
fs::path parquet_source_digest_file(const fs::path& source);

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

}  // namespace aa::core
