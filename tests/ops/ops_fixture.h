#pragma once
// A small hand-made lake for the operations' tests: twelve members written straight into a
// warehouse (customer_features, churn_predictions, customer_flight_activity and the real
// customer_scored view), plus metrics.json and the ingest report. Tests compute what each
// operation should return from `members()` with plain C++.

#include <gtest/gtest.h>

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/lake.h"
#include "ops/ops_context.h"
#include "support/test_support.h"

namespace aa::test {

// A province value that is also an injection attempt; one member really lives there.
inline const std::string kPayloadProvince = "Nunavut' OR '1'='1";

struct FixtureMember {
  std::int64_t loyalty_number;
  std::string province;
  std::string gender;
  std::string loyalty_card;
  double clv;
  std::string enrollment_type;
  int enrollment_year;
  int enrollment_month;
  std::optional<int> cancellation_year;
  std::optional<int> cancellation_month;
  int recency;
  std::int64_t frequency;
  std::int64_t monetary;
  std::string rfm_segment;
  std::optional<double> churn_probability;  // scored members only
  std::string risk_tier;
  std::vector<std::string> reason_features;  // up to three
  std::vector<int> months_flown;             // month indices (year * 12 + month - 1)

  bool is_cancelled() const { return cancellation_year.has_value(); }
  int enrollment_index() const { return enrollment_year * 12 + enrollment_month - 1; }
  std::optional<int> cancellation_index() const;
  int tenure_months() const;
  std::optional<double> churn_score() const;
  double contribution_tenure() const;  // planted contributions, by formula
  double contribution_recency() const;
};

inline constexpr int kFirstMonth = 2017 * 12;      // 2017-01
inline constexpr int kLastMonth = 2018 * 12 + 11;  // 2018-12

const std::vector<FixtureMember>& fixture_members();

// Writes the fixture lake under `root` (warehouse.duckdb, metrics.json, ingest.json).
// reports/monitor.json of the fixture lake (hand-made, in the monitor's shape).
nlohmann::json fixture_monitor_report();
core::Lake write_fixture_lake(const std::filesystem::path& root);

// The q-quantile of `v` by linear interpolation between closest ranks (pandas' quantile,
// DuckDB's quantile_cont), computed the plain way: sort, then interpolate.
double linear_quantile(std::vector<double> v, double q);

// A test suite sharing one context opened on the fixture lake.
class FixtureContextTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite();
  static void TearDownTestSuite();
  static ops::OpsContext& context() { return *context_; }
  static const core::Lake& lake() { return *lake_; }
  // The "result" of run_operation.
  static nlohmann::json run(const std::string& op,
                            const nlohmann::json& params = nlohmann::json::object(),
                            const nlohmann::json& filters = nlohmann::json::object());

 private:
  static inline TempDir* dir_ = nullptr;
  static inline core::Lake* lake_ = nullptr;
  static inline ops::OpsContext* context_ = nullptr;
};

}  // namespace aa::test
