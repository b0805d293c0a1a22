// Filters, parameter checking and SQL injection, on the fixture warehouse.

#include "core/duck.h"
#include "core/files.h"
#include "ops/ops_fixture.h"
#include "ops/registry.h"
#include "support/test_support.h"

namespace aa::test {
namespace {

using nlohmann::json;

class OpsFiltersTest : public FixtureContextTest {
 protected:
  static std::int64_t customers(const json& filters) {
    return run("kpis_slice", json::object(), filters).at("customers").get<std::int64_t>();
  }
};

std::int64_t count_members(const std::function<bool(const FixtureMember&)>& keep) {
  std::int64_t n = 0;
  for (const auto& m : fixture_members()) {
    n += keep(m) ? 1 : 0;
  }
  return n;
}

TEST_F(OpsFiltersTest, EachFilterSelectsItsMembers) {
  EXPECT_EQ(customers({{"province", "Ontario"}}), 4);
  EXPECT_EQ(customers({{"province", {"Ontario", "Alberta"}}}), 6);  // a list is OR
  EXPECT_EQ(customers({{"rfm_segment", {"Dormant", "Loyal"}}}), 5);
  EXPECT_EQ(customers({{"gender", "Female"}}), 6);
  EXPECT_EQ(customers({{"loyalty_card", {"Star"}}}), 4);
  EXPECT_EQ(customers({{"enrollment_type", "2018 Promotion"}}), 2);
  EXPECT_EQ(customers({{"risk_tier", "high"}}), 3);
  EXPECT_EQ(customers({{"clv_min", 5000}}),
            count_members([](const auto& m) { return m.clv >= 5000; }));
  EXPECT_EQ(customers({{"clv_min", 3000}, {"clv_max", 6000}}),
            count_members([](const auto& m) { return m.clv >= 3000 && m.clv <= 6000; }));
  EXPECT_EQ(customers({{"tenure_min", 24}, {"tenure_max", 60}}), count_members([](const auto& m) {
              return m.tenure_months() >= 24 && m.tenure_months() <= 60;
            }));
}

TEST_F(OpsFiltersTest, FiltersCombineWithAnd) {
  const json filters = {{"province", {"Ontario", "Quebec"}},
                        {"gender", "Female"},
                        {"loyalty_card", {"Star", "Aurora"}},
                        {"clv_max", 9000}};
  EXPECT_EQ(customers(filters), count_members([](const auto& m) {
              return (m.province == "Ontario" || m.province == "Quebec") && m.gender == "Female" &&
                     (m.loyalty_card == "Star" || m.loyalty_card == "Aurora") && m.clv <= 9000;
            }));
  EXPECT_EQ(customers(filters), 2);  // 103 and 109
}

TEST_F(OpsFiltersTest, AFilterMatchingNobodyGivesAnEmptyResultNotAnError) {
  const json nobody = {{"province", "Yukon"}, {"risk_tier", "high"}};
  const json kpis = run("kpis_slice", json::object(), nobody);
  EXPECT_EQ(kpis.at("customers"), 0);
  EXPECT_TRUE(kpis.at("avg_clv").is_null());
  EXPECT_TRUE(kpis.at("high_value_share").is_null());
  for (const char* op : {"summary_by_segment", "value_at_risk_by_province", "churn_by_clv_tier",
                         "tenure_analysis", "top_risk_customers", "top_value_customers",
                         "churn_reasons_summary", "cohort_retention", "tenure_hazard"}) {
    EXPECT_TRUE(run(op, json::object(), nobody).at("rows").empty()) << op;
  }
  EXPECT_EQ(run("do_nothing_scenario", json::object(), nobody).at("total_value_at_risk"), 0);
  EXPECT_EQ(run("retention_plan", json::object(), nobody).at("contacts"), 0);
  EXPECT_EQ(run("single_priority_initiative", json::object(), nobody).at("top_segment"),
            json::object());
  EXPECT_EQ(run("correlation_drivers", json::object(), nobody).at("churned_count"), 0);
  EXPECT_TRUE(run("retention_curve", json::object(), nobody).at("curves").empty());
  const json hazard = run("tenure_hazard", json::object(), nobody);
  EXPECT_TRUE(hazard.at("spikes").empty());
  EXPECT_EQ(hazard.at("cancellations"), 0);
  EXPECT_TRUE(hazard.at("spike_rule").at("p_threshold").is_null());
  EXPECT_EQ(customers({{"clv_min", 1e8}}), 0);
}

TEST_F(OpsFiltersTest, BadOperationNamesParametersAndFiltersAreRejected) {
  const auto expect = [](const std::string& op, const json& params, const json& filters,
                         const std::string& message) {
    EXPECT_APP_ERROR(ops::run_operation(context(), op, params, filters),
                     core::ErrorKind::InvalidInput, message);
  };
  const json none = json::object();
  EXPECT_APP_ERROR(
      ops::find_operation("kpis"), core::ErrorKind::InvalidInput,
      "unknown operation 'kpis'; valid operations: " + [] {
        std::string all;
        for (const auto& n : ops::operation_names()) {
          all += (all.empty() ? "" : ", ") + n;
        }
        return all;
      }());
  expect("summary_by_card", {{"top_n", 0}}, none,
         "summary_by_card parameter top_n: 0 is out of range (expected 1 to 50)");
  expect("summary_by_card", {{"top_n", 51}}, none,
         "summary_by_card parameter top_n: 51 is out of range (expected 1 to 50)");
  expect("top_risk_customers", {{"top_n", 101}}, none,
         "top_risk_customers parameter top_n: 101 is out of range (expected 1 to 100)");
  expect("top_risk_customers", {{"top_n", "ten"}}, none,
         "top_risk_customers parameter top_n: 'ten' is not an integer (expected 1 to 100)");
  expect("top_risk_customers", {{"top_n", 2.5}}, none,
         "top_risk_customers parameter top_n: 2.5 is not an integer (expected 1 to 100)");
  expect("summary_by_segment", {{"sort_by", "avg_recency_days"}}, none,
         "summary_by_segment parameter sort_by: 'avg_recency_days' is not one of: customers, "
         "avg_clv, median_clv, avg_churn_score, avg_recency_months, avg_frequency, avg_monetary, "
         "avg_tenure_months, cancelled_rate, retention_rate");
  expect("value_at_risk_by_segment", {{"sort_by", "avg_frequency"}}, none,
         "value_at_risk_by_segment parameter sort_by: 'avg_frequency' is not one of: "
         "total_value_at_risk, total_clv, customers, avg_churn_score, avg_clv, median_clv, "
         "cancelled_rate, retention_rate");
  expect("summary_by_gender", {{"ascending", "maybe"}}, none,
         "summary_by_gender parameter ascending: 'maybe' is not a boolean (expected true or "
         "false)");
  expect("segment_comparison", {{"segment_a", "VIP"}}, none,
         "segment_comparison parameter segment_a: 'VIP' is not one of: Champions, Loyal, "
         "Potential, At Risk, Dormant");
  expect("top_value_customers", {{"segment_filter", "VIP"}}, none,
         "top_value_customers parameter segment_filter: 'VIP' is not one of: Champions, Loyal, "
         "Potential, At Risk, Dormant");
  expect("retention_curve", {{"group_by", "city"}}, none,
         "retention_curve parameter group_by: 'city' is not one of: none, rfm_segment, "
         "loyalty_card, enrollment_type");
  expect("tenure_hazard", {{"max_tenure_months", 0}}, none,
         "tenure_hazard parameter max_tenure_months: 0 is out of range (expected 1 to 1200)");
  expect("retention_plan", {{"budget_cad", 0}}, none,
         "retention_plan parameter budget_cad: 0 is out of range (expected 0.01 to 1000000000)");
  expect("retention_plan", {{"save_rate", 1.5}}, none,
         "retention_plan parameter save_rate: 1.5 is out of range (expected 0.001 to 1)");
  expect("retention_plan", {{"province", "Atlantis"}}, none,
         "retention_plan parameter province: 'Atlantis' is not one of: Alberta, British "
         "Columbia, " +
             kPayloadProvince + ", Ontario, Quebec, Yukon");
  expect("customer_profile", none, none,
         "customer_profile parameter loyalty_number is required (the member's loyalty number)");
  expect("customer_profile", {{"loyalty_number", "abc"}}, none,
         "customer_profile parameter loyalty_number: 'abc' is not an integer (expected 0 to "
         "9000000000000000)");
  expect("kpis_slice", {{"top_n", 5}}, none,
         "kpis_slice: unknown parameter 'top_n'; valid parameters: (none)");
  expect("kpis_slice", json::array(), none, "kpis_slice: parameters must be a JSON object");
  expect("kpis_slice", none, {{"city", "Toronto"}},
         "unknown filter 'city'; valid filters: loyalty_card, enrollment_type, province, gender, "
         "rfm_segment, risk_tier, clv_min, clv_max, tenure_min, tenure_max");
  expect("kpis_slice", none, {{"province", {"Ontario", "Atlantis"}}},
         "filter province: 'Atlantis' is not one of: Alberta, British Columbia, " +
             kPayloadProvince + ", Ontario, Quebec, Yukon");
  expect("kpis_slice", none, {{"gender", "Other"}},
         "filter gender: 'Other' is not one of: Female, Male");
  expect("kpis_slice", none, {{"loyalty_card", 3}},
         "filter loyalty_card: 3 is not one of: Aurora, Nova, Star");
  expect("kpis_slice", none, {{"enrollment_type", "Gold"}},
         "filter enrollment_type: 'Gold' is not one of: 2018 Promotion, Standard");
  expect("kpis_slice", none, {{"risk_tier", "critical"}},
         "filter risk_tier: 'critical' is not one of: high, medium, low");
  expect("kpis_slice", none, {{"rfm_segment", "Whales"}},
         "filter rfm_segment: 'Whales' is not one of: Champions, Loyal, Potential, At Risk, "
         "Dormant");
  expect("kpis_slice", none, {{"clv_min", -1}},
         "filter clv_min: -1 is out of range (expected 0 to 1000000000)");
  expect("kpis_slice", none, {{"clv_max", "lots"}},
         "filter clv_max: 'lots' is not a number (expected 0 to 1000000000)");
  expect("kpis_slice", none, {{"clv_min", 5000}, {"clv_max", 100}},
         "filter clv_min (5000) is above clv_max (100)");
  expect("kpis_slice", none, {{"tenure_min", 1201}},
         "filter tenure_min: 1201 is out of range (expected 0 to 1200)");
  expect("kpis_slice", none, {{"tenure_min", 30}, {"tenure_max", 10}},
         "filter tenure_min (30) is above tenure_max (10)");
  expect("kpis_slice", none, json::array({"Ontario"}),
         "filters must be a JSON object with keys: loyalty_card, enrollment_type, province, "
         "gender, rfm_segment, risk_tier, clv_min, clv_max, tenure_min, tenure_max");
}

TEST_F(OpsFiltersTest, ValuesGivenAsStringsAreParsedStrictly) {
  const json r = run("summary_by_card", {{"top_n", "2"}, {"ascending", "true"}},
                     {{"clv_min", "1000"}, {"tenure_max", "1200"}});
  EXPECT_EQ(r.at("rows").size(), 2u);
  EXPECT_EQ(ops::run_operation(context(), "summary_by_card", {{"top_n", "2"}}, json::object())
                .at("params"),
            json({{"top_n", 2}, {"sort_by", "avg_churn_score"}, {"ascending", false}}));
}

// Injection payloads never reach SQL as text: a payload outside the domain is refused before
// any query, a payload that is a real value matches exactly that value, and payloads bound
// below the validation layer match nothing. The data is unchanged afterwards.
TEST_F(OpsFiltersTest, InjectionPayloadsReturnNoRowsAndChangeNothing) {
  const auto before = core::sha256_file(lake().warehouse()).sha256;
  const std::vector<std::string> payloads = {
      "Ontario' OR '1'='1",     "Ontario'; DROP TABLE members; --",
      "') OR 1=1 --",           "Ontario\" OR \"1\"=\"1",
      "%' OR province LIKE '%", "x'); CREATE TABLE pwned AS SELECT 1; --"};
  for (const auto& payload : payloads) {
    EXPECT_APP_ERROR_CONTAINS(run("kpis_slice", json::object(), {{"province", payload}}),
                              core::ErrorKind::InvalidInput,
                              "filter province: '" + payload + "' is not one of: ");
    EXPECT_APP_ERROR(run("kpis_slice", json::object(), {{"gender", payload}}),
                     core::ErrorKind::InvalidInput,
                     "filter gender: '" + payload + "' is not one of: Female, Male");
    // Below validation, straight into the SQL as bound values: nothing matches.
    ops::Filters filters;
    filters.values["province"] = {payload};
    filters.values["rfm_segment"] = {payload};
    filters.values["gender"] = {payload};
    filters.values["loyalty_card"] = {payload};
    filters.values["enrollment_type"] = {payload};
    filters.values["risk_tier"] = {payload};
    for (const char* op : {"kpis_slice", "summary_by_province", "top_risk_customers"}) {
      const json result = ops::find_operation(op).run(
          context(), ops::check_params(op, ops::find_operation(op).params(context().domains()), {}),
          filters);
      if (result.contains("rows")) {
        EXPECT_TRUE(result.at("rows").empty()) << op << " " << payload;
      } else {
        EXPECT_EQ(result.at("customers"), 0) << payload;
      }
    }
    ops::Filters one;
    one.values["province"] = {payload};
    EXPECT_EQ(ops::find_operation("kpis_slice")
                  .run(context(), ops::check_params("kpis_slice", {}, {}), one)
                  .at("customers"),
              0);
  }
  // A real province spelled like an injection matches its one member, not everyone.
  EXPECT_EQ(customers({{"province", kPayloadProvince}}), 1);
  const json top = run("top_risk_customers", json::object(), {{"province", kPayloadProvince}});
  ASSERT_EQ(top.at("rows").size(), 1u);
  EXPECT_EQ(top.at("rows").at(0).at("loyalty_number"), 112);
  // Nothing changed: every member still there, the warehouse file byte for byte the same.
  EXPECT_EQ(run("kpis_baseline", json::object(), json::object()).at("customers"), 12);
  EXPECT_EQ(customers(json::object()), 12);
  EXPECT_EQ(core::sha256_file(lake().warehouse()).sha256, before);
}

// The same payloads, with unicode quotes, in every filter and in every parameter of every
// operation: each is refused with a message (no parameter takes free text), nothing runs, and
// the warehouse is unchanged.
TEST_F(OpsFiltersTest, InjectionPayloadsInEveryFilterAndParameterAreRefused) {
  const auto before = core::sha256_file(lake().warehouse()).sha256;
  const std::vector<std::string> payloads = {
      "' OR 1=1 --", "'; DROP TABLE customer_features; --", "\u2019 OR \u20181\u2019=\u20181",
      "Ontario\u2019; DROP TABLE customer_features; --", "\uff07 OR 1=1 --", "1; DROP TABLE x"};
  int refused = 0;
  for (const auto& payload : payloads) {
    for (const char* filter : {"province", "rfm_segment", "gender", "loyalty_card",
                               "enrollment_type", "risk_tier", "clv_min", "clv_max",
                               "tenure_min", "tenure_max"}) {
      SCOPED_TRACE(filter);
      EXPECT_APP_ERROR_CONTAINS(run("kpis_slice", json::object(), {{filter, payload}}),
                                core::ErrorKind::InvalidInput,
                                "filter " + std::string(filter) + ": '" + payload + "' is not ");
      ++refused;
    }
    for (const auto& op : ops::operations()) {
      for (const auto& spec : op.params(context().domains())) {
        SCOPED_TRACE(op.name + "." + spec.name + " took " + payload);
        EXPECT_APP_ERROR_CONTAINS(
            ops::run_operation(context(), op.name, {{spec.name, payload}}, {}),
            core::ErrorKind::InvalidInput,
            op.name + " parameter " + spec.name + ": '" + payload + "' is not ");
        ++refused;
      }
    }
  }
  EXPECT_GE(refused, 280);  // 6 payloads x (10 filters + 37 parameters)
  EXPECT_EQ(run("kpis_baseline", json::object(), json::object()).at("customers"), 12);
  EXPECT_EQ(core::sha256_file(lake().warehouse()).sha256, before);
}

TEST_F(OpsFiltersTest, EveryOperationReportsUnitsForEveryFigure) {
  for (const auto& op : ops::operations()) {
    const json params =
        op.name == "customer_profile" ? json{{"loyalty_number", 101}} : json::object();
    const json out = ops::run_operation(context(), op.name, params, json::object());
    EXPECT_EQ(out.at("op"), op.name);
    EXPECT_TRUE(out.contains("params") && out.contains("filters"));
    EXPECT_TRUE(out.at("result").at("units").is_object()) << op.name;
  }
}

TEST_F(OpsFiltersTest, MissingWarehouseOrPredictionsIsAClearError) {
  TempDir empty;
  EXPECT_APP_ERROR(ops::OpsContext::open(core::Lake(empty.path())), core::ErrorKind::NotFound,
                   "'" + (empty.path() / "warehouse.duckdb").string() +
                       "' does not exist; run `airline-analytics run` first");
  {
    auto db = duck::Database::open((empty.path() / "warehouse.duckdb").string());
    duck::Connection c(db);
    c.execute("create table customer_features (loyalty_number bigint)");
  }
  EXPECT_APP_ERROR(ops::OpsContext::open(core::Lake(empty.path())), core::ErrorKind::NotFound,
                   "the warehouse '" + (empty.path() / "warehouse.duckdb").string() +
                       "' has no churn predictions (view customer_scored); run "
                       "`airline-analytics run` first");
}

}  // namespace
}  // namespace aa::test
