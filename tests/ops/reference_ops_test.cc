// What a reference user meets in the operations (issue 29): segment_comparison on a slice
// without the requested segments (the nearest segment the slice holds stands in, flagged and
// said), and customer_search, Customer 360's sorted list of a slice's members. Expected values
// are worked out by hand from the fixture's twelve members (tests/ops/ops_fixture.cc).

#include <vector>

#include "ops/ops_fixture.h"
#include "ops/registry.h"
#include "support/test_support.h"

namespace aa::test {
namespace {

using nlohmann::json;
using ReferenceOpsTest = FixtureContextTest;

std::vector<std::int64_t> numbers(const json& rows) {
  std::vector<std::int64_t> out;
  for (const auto& row : rows) {
    out.push_back(row.at("loyalty_number").get<std::int64_t>());
  }
  return out;
}

TEST_F(ReferenceOpsTest, SegmentComparisonKeepsSegmentsTheSliceHolds) {
  const json r = run("segment_comparison");  // Champions against At Risk, everyone
  EXPECT_EQ(r.at("segments_in_slice"),
            json::array({"Champions", "Loyal", "Potential", "At Risk", "Dormant"}));
  EXPECT_EQ(r.at("segment_a").at("segment"), "Champions");
  EXPECT_EQ(r.at("segment_a").at("requested"), "Champions");
  EXPECT_EQ(r.at("segment_a").at("substituted"), false);
  EXPECT_EQ(r.at("segment_a").at("customers"), 2);  // 101, 110
  EXPECT_EQ(r.at("segment_b").at("customers"), 2);  // 106, 107
  EXPECT_FALSE(r.contains("note"));
}

TEST_F(ReferenceOpsTest, SegmentComparisonOnASliceWithNeitherSegmentShowsTheNearestOnes) {
  // Loyal (105, 108) and Potential (103, 109, 112): Champions' nearest is Loyal, At Risk's
  // Potential.
  const json r = run("segment_comparison", json::object(),
                     {{"rfm_segment", json::array({"Loyal", "Potential"})}});
  EXPECT_EQ(r.at("segments_in_slice"), json::array({"Loyal", "Potential"}));
  const json& a = r.at("segment_a");
  EXPECT_EQ(a.at("segment"), "Loyal");
  EXPECT_EQ(a.at("requested"), "Champions");
  EXPECT_EQ(a.at("substituted"), true);
  EXPECT_EQ(a.at("customers"), 2);
  EXPECT_DOUBLE_EQ(a.at("avg_clv").get<double>(), (3000.0 + 4000.0) / 2);
  EXPECT_DOUBLE_EQ(a.at("total_value_at_risk").get<double>(), 3000 * 0.02 + 4000 * 0.01);
  const json& b = r.at("segment_b");
  EXPECT_EQ(b.at("segment"), "Potential");
  EXPECT_EQ(b.at("requested"), "At Risk");
  EXPECT_EQ(b.at("customers"), 3);
  EXPECT_DOUBLE_EQ(b.at("total_clv").get<double>(), 2000.0 + 6000.0 + 4500.0);
  EXPECT_EQ(r.at("note"),
            "Champions has no members in this slice, so Loyal (the nearest segment it holds) "
            "stands in; At Risk has no members in this slice, so Potential (the nearest segment "
            "it holds) stands in; segments in the slice: Loyal, Potential");
}

TEST_F(ReferenceOpsTest, SegmentComparisonNeverShowsOneSegmentOnBothSides) {
  // Quebec: Potential (103) and Dormant (104). Potential is nearest to both Champions and At
  // Risk; side a takes it, side b the next nearest.
  json r = run("segment_comparison", json::object(), {{"province", json::array({"Quebec"})}});
  EXPECT_EQ(r.at("segment_a").at("segment"), "Potential");
  EXPECT_EQ(r.at("segment_b").at("segment"), "Dormant");
  EXPECT_DOUBLE_EQ(r.at("segment_b").at("cancelled_rate").get<double>(), 1.0);
  // Alberta: Loyal (105) and At Risk (106). At Risk is kept; Champions' stand-in is Loyal.
  r = run("segment_comparison", json::object(), {{"province", json::array({"Alberta"})}});
  EXPECT_EQ(r.at("segment_a").at("segment"), "Loyal");
  EXPECT_EQ(r.at("segment_b").at("segment"), "At Risk");
  EXPECT_EQ(r.at("segment_b").at("substituted"), false);
  EXPECT_EQ(r.at("note"),
            "Champions has no members in this slice, so Loyal (the nearest segment it holds) "
            "stands in; segments in the slice: Loyal, At Risk");
}

TEST_F(ReferenceOpsTest, SegmentComparisonSaysWhenNoSegmentIsLeftToStandIn) {
  // Yukon holds one Dormant member (111): it stands in for Champions; At Risk has nobody.
  json r = run("segment_comparison", json::object(), {{"province", json::array({"Yukon"})}});
  EXPECT_EQ(r.at("segment_a").at("segment"), "Dormant");
  EXPECT_EQ(r.at("segment_b").at("segment"), "At Risk");
  EXPECT_EQ(r.at("segment_b").at("substituted"), false);
  EXPECT_EQ(r.at("segment_b").at("customers"), 0);
  EXPECT_TRUE(r.at("segment_b").at("avg_clv").is_null());
  EXPECT_EQ(r.at("note"),
            "Champions has no members in this slice, so Dormant (the nearest segment it holds) "
            "stands in; At Risk has no members in this slice and no other segment is left to "
            "stand in; segments in the slice: Dormant");
  r = run("segment_comparison", json::object(), {{"clv_min", 1e8}});
  EXPECT_EQ(r.at("segments_in_slice"), json::array());
  EXPECT_EQ(r.at("note"),
            "Champions has no members in this slice and no other segment is left to stand in; "
            "At Risk has no members in this slice and no other segment is left to stand in; "
            "segments in the slice: none");
}

TEST_F(ReferenceOpsTest, CustomerSearchSortsTheSliceNullsLast) {
  // Ontario: 101 (score 10000 x 0.10), 109 (6000 x 0.08), 110 (9000 x 0.03), 102 (cancelled,
  // not scored).
  const json ontario = {{"province", json::array({"Ontario"})}};
  json r = run("customer_search", json::object(), ontario);
  EXPECT_EQ(r.at("matched_members"), 4);
  EXPECT_EQ(r.at("sort_by"), "churn_score");
  EXPECT_EQ(numbers(r.at("rows")), (std::vector<std::int64_t>{101, 109, 110, 102}));
  r = run("customer_search", {{"ascending", true}}, ontario);
  EXPECT_EQ(numbers(r.at("rows")), (std::vector<std::int64_t>{110, 109, 101, 102}));
  const json first = run("customer_search", json::object(), ontario).at("rows").at(0);
  const FixtureMember& m = fixture_members().at(0);
  EXPECT_EQ(first, (json{{"loyalty_number", 101},
                         {"province", "Ontario"},
                         {"rfm_segment", "Champions"},
                         {"loyalty_card", "Star"},
                         {"risk_tier", "high"},
                         {"clv", 10000.0},
                         {"churn_probability", 0.1},
                         {"churn_score", 10000.0 * 0.1},
                         {"tenure_months", m.tenure_months()},
                         {"recency", 0},
                         {"frequency", 48},
                         {"monetary", 72000},
                         {"is_cancelled", false}}));
}

TEST_F(ReferenceOpsTest, CustomerSearchBySegmentCardAndRiskTier) {
  // High risk: 101 (CLV 10000), 103 (2000), 109 (6000).
  json r = run("customer_search", {{"sort_by", "clv"}, {"top_n", 2}}, {{"risk_tier", "high"}});
  EXPECT_EQ(r.at("matched_members"), 3);
  EXPECT_EQ(numbers(r.at("rows")), (std::vector<std::int64_t>{101, 109}));
  r = run("customer_search", {{"sort_by", "loyalty_number"}, {"ascending", true}},
          {{"rfm_segment", json::array({"Potential"})}, {"loyalty_card", json::array({"Aurora"})}});
  EXPECT_EQ(numbers(r.at("rows")), (std::vector<std::int64_t>{103, 109, 112}));
  // Ties (recency 0: 101, 109, 110) by loyalty number.
  r = run("customer_search", {{"sort_by", "recency"}, {"ascending", true}, {"top_n", 3}});
  EXPECT_EQ(numbers(r.at("rows")), (std::vector<std::int64_t>{101, 109, 110}));
  EXPECT_EQ(run("customer_search", json::object(), {{"clv_min", 1e8}}).at("rows"), json::array());
  EXPECT_APP_ERROR(
      ops::run_operation(context(), "customer_search", {{"sort_by", "city"}}, json::object()),
      core::ErrorKind::InvalidInput,
      "customer_search parameter sort_by: 'city' is not one of: churn_score, "
      "churn_probability, clv, tenure_months, recency, frequency, monetary, "
      "loyalty_number");
}

}  // namespace
}  // namespace aa::test
