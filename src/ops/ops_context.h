#pragma once
// What operations run against: the lake's warehouse attached read-only, its customer_scored
// view loaded into an in-memory table once (a warm connection), the domains of the filters,
// and the churn metrics and ingest report. One context serves many operations; its queries
// are serialised by a mutex, so that a server may share it between threads.

#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/duck.h"
#include "core/lake.h"
#include "ops/filters.h"
#include "ops/member_frame.h"

namespace aa::ops {

class OpsContext {
 public:
  // Fails with AppError(NotFound) when the lake has no warehouse or no churn predictions.
  static std::unique_ptr<OpsContext> open(const core::Lake& lake,
                                          const duck::Options& options = {});

  const core::Lake& lake() const { return lake_; }
  const Domains& domains() const { return domains_; }
  // The model's source features, in the predictions' contribution_<feature> columns.
  const std::vector<std::string>& contribution_features() const { return contribution_features_; }
  int first_month_index() const { return first_month_index_; }
  int last_month_index() const { return last_month_index_; }
  int mask_first_month_index() const { return mask_first_month_index_; }
  // curated/churn/artifacts/metrics.json and reports/ingest.json (null when absent).
  const nlohmann::json& metrics() const { return metrics_; }
  const nlohmann::json& ingest_report() const { return ingest_report_; }
  // reports/monitor.json (null when the monitor has not run).
  const nlohmann::json& monitor_report() const { return monitor_report_; }
  // curated/churn/artifacts/model_card.md (empty when absent).
  const std::string& model_card() const { return model_card_; }

  // The members as columns, for operations that aggregate the slice in C++.
  const MemberFrame& frame() const { return *frame_; }

  // Runs `sql` with its values bound, and returns the rows as JSON objects (column -> value).
  // Statements are prepared once per text and reused.
  nlohmann::json rows(const SqlPart& sql);
  // The single row of an aggregate query.
  nlohmann::json row(const SqlPart& sql);

 private:
  OpsContext(core::Lake lake, duck::Database db);
  void load();
  void release_buffers(const std::string& limit);

  core::Lake lake_;
  duck::Database db_;
  duck::Connection connection_;
  std::mutex mutex_;
  std::map<std::string, duck::PreparedStatement> statements_;
  Domains domains_;
  std::unique_ptr<MemberFrame> frame_;
  std::vector<std::string> contribution_features_;
  int first_month_index_ = 0;
  int last_month_index_ = 0;
  int mask_first_month_index_ = 0;
  nlohmann::json metrics_;
  nlohmann::json ingest_report_;
  nlohmann::json monitor_report_;
  std::string model_card_;
};

// A result's rows as JSON objects; numbers stay numbers, NaN becomes null.
nlohmann::json to_json_rows(duck::Result& result);

}  // namespace aa::ops
