#pragma once
// An in-memory DuckDB session over the lake's processed tables, with the staging models as
// views: where snapshots are built for training and scoring.

#include <nlohmann/json.hpp>

#include "core/duck.h"
#include "core/lake.h"

namespace aa {

class ModelWorkspace {
 public:
  ModelWorkspace(const Lake& lake, const duck::Options& options);
  duck::Connection& connection() { return connection_; }
  // Also binds curated customer_features (the leaky reference protocol reads it).
  void bind_customer_features(const Lake& lake);
  // Training on a sample: with more than max_members members (0: no limit), every view of
  // this workspace (processed tables, staging models, customer_features) keeps only a
  // stratified sample of max_members of them. Strata: cancelled or not x loyalty card x
  // enrollment type, each kept in proportion (rounded), members drawn in the order of
  // hash(loyalty_number, seed): the same data and seed give the same sample. Returns what was
  // done, for metrics.json.
  nlohmann::json sample_members(const Lake& lake, std::int64_t max_members, std::uint64_t seed);

 private:
  duck::Database db_;
  duck::Connection connection_;
};

// Fails with NotFound unless the processed tables exist.
void require_processed(const Lake& lake);

}  // namespace aa
