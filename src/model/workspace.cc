#include "model/workspace.h"

#include "core/app_error.h"
#include "features/features.h"
#include "features/sql_runner.h"

namespace aa {

void require_processed(const Lake& lake) {
  for (const auto& input : {lake.processed_loyalty(), lake.processed_activity()}) {
    if (!fs::exists(input)) {
      fail(ErrorKind::NotFound, "'{}' does not exist; run `airline-analytics ingest` first",
           input.string());
    }
  }
}

ModelWorkspace::ModelWorkspace(const Lake& lake, const duck::Options& options)
    : db_(duck::Database::open(":memory:", options)), connection_(db_) {
  require_processed(lake);
  bind_feature_sources(connection_, lake);
  SqlRunner runner(connection_);
  for (const auto& model : feature_models()) {
    if (model.find("/staging/") != std::string::npos) {
      runner.run(model, Materialization::View);
    }
  }
}

void ModelWorkspace::bind_customer_features(const Lake& lake) {
  if (!fs::exists(lake.customer_features())) {
    fail(ErrorKind::NotFound, "'{}' does not exist; run `airline-analytics features` first",
         lake.customer_features().string());
  }
  SqlRunner(connection_).bind_parquet("customer_features", lake.customer_features());
}

}  // namespace aa
