#pragma once
// An in-memory DuckDB session over the lake's processed tables, with the staging models as
// views: where snapshots are built for training and scoring.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <vector>

#include "core/duck.h"
#include "core/lake.h"

namespace aa::model {

class ModelWorkspace {
 public:
  ModelWorkspace(const core::Lake& lake, const duck::Options& options);
  duck::Connection& connection() { return connection_; }
  // Also binds curated customer_features (the leaky reference protocol reads it).
  void bind_customer_features(const core::Lake& lake);
  // Training on a sample: with more than max_members members (0: no limit), every view of
  // this workspace (processed tables, staging models, customer_features) keeps only a
  // stratified sample of max_members of them. Strata: cancelled or not x loyalty card x
  // enrollment type, each kept in proportion (rounded), members drawn in the order of
  // hash(loyalty_number, seed): the same data and seed give the same sample. Returns what was
  // done, for metrics.json. The sample's activity rows are read once into a temp table, so
  // take the data window (activity_month_range) before sampling.
  nlohmann::json sample_members(const core::Lake& lake, std::int64_t max_members,
                                std::uint64_t seed);
  // Batches of at most `per_batch` members in loyalty-number order: the bounds b0 < b1 < ...
  // < bn, batch i holding the numbers in [b_i, b_(i+1)). Also sets member_count().
  std::vector<std::int64_t> member_batches(std::int64_t per_batch);
  std::int64_t member_count() const { return member_count_; }
  // With more than one batch: splits the processed activity, in one pass, into one Parquet
  // folder per batch under the lake's _work folder (removed with the workspace), so that each
  // batch reads its own members' rows and not the whole file again. Without it, every batch
  // scans every activity row: the file lists members in the order the input did, so its row
  // groups do not follow loyalty numbers.
  void partition_activity(const core::Lake& lake, const std::vector<std::int64_t>& bounds);
  // Keeps the members with loyalty numbers in [bounds[b], bounds[b + 1]) in the loyalty view,
  // and, once the activity is partitioned, only their activity rows in the activity view: the
  // staging models and the snapshots see only them. (The snapshots take the data window from
  // the caller, see build_snapshots.)
  void restrict_members(const core::Lake& lake, const std::vector<std::int64_t>& bounds,
                        std::size_t b);

  ModelWorkspace(const ModelWorkspace&) = delete;
  ModelWorkspace& operator=(const ModelWorkspace&) = delete;
  ~ModelWorkspace();

 private:
  duck::Database db_;
  duck::Connection connection_;
  std::int64_t member_count_ = 0;
  fs::path partitions_;  // empty unless partition_activity split the activity
};

// Fails with NotFound unless the processed tables exist.
void require_processed(const core::Lake& lake);

}  // namespace aa::model
