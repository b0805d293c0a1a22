#pragma once
// An in-memory DuckDB session over the lake's processed tables, with the staging models as
// views: where snapshots are built for training and scoring.

#include "core/duck.h"
#include "core/lake.h"

namespace aa {

class ModelWorkspace {
 public:
  ModelWorkspace(const Lake& lake, const duck::Options& options);
  duck::Connection& connection() { return connection_; }
  // Also binds curated customer_features (the leaky reference protocol reads it).
  void bind_customer_features(const Lake& lake);

 private:
  duck::Database db_;
  duck::Connection connection_;
};

// Fails with NotFound unless the processed tables exist.
void require_processed(const Lake& lake);

}  // namespace aa
