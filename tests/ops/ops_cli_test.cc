// `airline-analytics ops list` and `ops run` on the fixture lake, as a user runs them.

#include <nlohmann/json.hpp>

#include "ops/ops_fixture.h"
#include "support/test_support.h"

namespace aa::test {
namespace {

using nlohmann::json;

class OpsCliTest : public ::testing::Test {
 protected:
  void SetUp() override { write_fixture_lake(dir_.path()); }
  ProcessResult ops(std::vector<std::string> args) {
    args.insert(args.begin(), "ops");
    args.push_back("--lake");
    args.push_back(dir_.path().string());
    return run_cli(args);
  }
  TempDir dir_;
};

TEST_F(OpsCliTest, ListsEveryOperationWithItsSchema) {
  const auto r = ops({"list", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json listing = json::parse(r.out);
  EXPECT_EQ(listing.at("operations").size(), 28u);
  EXPECT_EQ(listing.at("operations").at(0).at("name"), "kpis_baseline");
  EXPECT_TRUE(listing.at("filters").contains("clv_min"));
  const auto text = ops({"list"});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("retention_plan"), std::string::npos);
}

TEST_F(OpsCliTest, RunPrintsOpParamsFiltersAndResult) {
  const auto r = ops({"run", "summary_by_card", "--param", "top_n=2", "--filter",
                      "province=Ontario,Quebec", "--filter", "gender=Female", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json out = json::parse(r.out);
  EXPECT_EQ(out.at("op"), "summary_by_card");
  EXPECT_EQ(out.at("params").at("top_n"), 2);
  EXPECT_EQ(out.at("filters"), json({{"province", {"Ontario", "Quebec"}}, {"gender", "Female"}}));
  EXPECT_EQ(out.at("result").at("rows").size(), 2u);  // 101 Star, 103 and 109 Aurora
  const auto repeated =
      ops({"run", "kpis_slice", "--filter", "province=Ontario", "--filter", "province=Yukon"});
  ASSERT_EQ(repeated.exit_code, 0) << repeated.err;
  EXPECT_EQ(json::parse(repeated.out).at("result").at("customers"), 5);
  const auto as_json =
      ops({"run", "retention_plan", "--params-json",
           R"({"budget_cad": 100, "cost_per_contact_cad": 30, "save_rate": 0.5})"});
  ASSERT_EQ(as_json.exit_code, 0) << as_json.err;
  EXPECT_EQ(json::parse(as_json.out).at("result").at("contacts"), 3);
}

TEST_F(OpsCliTest, BadNamesParametersAndFiltersExitTwoWithOneLine) {
  const auto name = ops({"run", "kpi"});
  EXPECT_EQ(name.exit_code, 2);
  EXPECT_EQ(name.err.rfind("error: unknown operation 'kpi'; valid operations: kpis_baseline, ", 0),
            0u)
      << name.err;
  const auto param = ops({"run", "top_risk_customers", "--param", "top_n=500"});
  EXPECT_EQ(param.exit_code, 2);
  EXPECT_EQ(param.err,
            "error: top_risk_customers parameter top_n: 500 is out of range (expected 1 to "
            "100)\n");
  const auto filter = ops({"run", "kpis_slice", "--filter", "gender=Unknown"});
  EXPECT_EQ(filter.exit_code, 2);
  EXPECT_EQ(filter.err, "error: filter gender: 'Unknown' is not one of: Female, Male\n");
  const auto shape = ops({"run", "kpis_slice", "--filter", "gender"});
  EXPECT_EQ(shape.exit_code, 2);
  EXPECT_EQ(shape.err, "error: --filter 'gender' is not of the form key=value\n");
  EXPECT_EQ(name.out, "");
}

TEST_F(OpsCliTest, ALakeWithoutAWarehouseSaysWhatToRun) {
  TempDir empty;
  const auto r = run_cli({"ops", "run", "kpis_baseline", "--lake", empty.path().string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "error: '" + (empty.path() / "warehouse.duckdb").string() +
                       "' does not exist; run `airline-analytics run` first\n");
}

}  // namespace
}  // namespace aa::test
