// The LLM path's parity with the offline one (issue 26), with the scripted provider (no
// network): plans always carry the two KPI operations, a parameter outside its bounds is set
// to the bound and noted instead of discarding the plan, and the narrator gets a placeholder
// for every figure of the computed results, not only the template's.

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "analyst/analyst_support.h"
#include "analyst/facts.h"
#include "ops/ops_fixture.h"

namespace aa::test {
namespace {

using LlmParityTest = FixtureContextTest;

std::vector<std::string> ops_of(const json& out) {
  std::vector<std::string> ops;
  for (const auto& s : out.at("plan")) {
    ops.push_back(s.at("op"));
  }
  return ops;
}

TEST_F(LlmParityTest, PlansAlwaysCarryTheTwoKpiOperations) {
  const auto run = ask_with(context(), {plan_reply(json::array({{{"op", "revenue_impact"}}})),
                                        text_reply("**Answer.** {F1}.")});
  EXPECT_EQ(run.out.at("planner"), "llm:scripted");
  EXPECT_EQ(ops_of(run.out),
            (std::vector<std::string>{"revenue_impact", "kpis_slice", "kpis_baseline"}));
  // The tool asks for the analysis steps only.
  const json& steps = run.provider->requests[0].tool->schema.at("properties").at("steps");
  EXPECT_EQ(steps.at("minItems"), 1);
  EXPECT_EQ(steps.at("maxItems"), 4);
}

TEST_F(LlmParityTest, AParameterOutOfBoundsIsClampedAndNoted) {
  const auto run = ask_with(
      context(),
      {plan_reply(json::array(
           {{{"op", "top_risk_customers"}, {"params", {{"top_n", 5000}}}},
            {{"op", "retention_plan"}, {"params", {{"save_rate", 3}, {"budget_cad", -5}}}}})),
       text_reply("**Answer.** {F1}.")},
      "Who are the 5000 members most likely to leave?");
  EXPECT_EQ(run.out.at("planner"), "llm:scripted");
  EXPECT_EQ(run.out.at("plan").at(0).at("params").at("top_n"), 100);
  EXPECT_EQ(run.out.at("plan").at(1).at("params").at("save_rate"), 1.0);
  EXPECT_EQ(run.out.at("plan").at(1).at("params").at("budget_cad"), 0.01);
  const json& notes = run.out.at("notes");
  EXPECT_EQ(notes.at(0), "top_risk_customers: top_n 5000 is above its maximum 100, so 100 is used");
  EXPECT_EQ(notes.at(1),
            "retention_plan: budget_cad -5 is below its minimum 0.01, so 0.01 is used");
  EXPECT_EQ(notes.at(2), "retention_plan: save_rate 3 is above its maximum 1.0, so 1.0 is used");
  EXPECT_EQ(run.out.at("results").at("top_risk_customers").at("rows").size(),
            static_cast<std::size_t>(std::count_if(
                fixture_members().begin(), fixture_members().end(),
                [](const FixtureMember& m) { return m.churn_probability.has_value(); })));
}

TEST_F(LlmParityTest, TheNarratorGetsAPlaceholderForEveryFigure) {
  auto run = ask_with(
      context(),
      {plan_reply(json::array({{{"op", "revenue_impact"}}, {{"op", "do_nothing_scenario"}}})),
       std::nullopt, std::nullopt});
  ASSERT_GE(run.provider->requests.size(), 2u);
  const json sheet = json::parse(run.provider->requests[1].user).at("facts");
  std::set<std::string> sources;
  for (const auto& f : sheet) {
    sources.insert(f.at("source").get<std::string>());
  }
  // Every numeric field of both results has a placeholder, whether the template used it or not.
  for (const char* op : {"revenue_impact", "do_nothing_scenario"}) {
    for (const auto& [key, value] : run.out.at("results").at(op).items()) {
      if (value.is_number()) {
        EXPECT_TRUE(sources.count(fmt::format("{} /{}", op, key))) << op << " /" << key;
      }
    }
  }
  // A figure the template does not state: the annual revenue per member.
  const double per_member =
      run.out.at("results").at("revenue_impact").at("annual_revenue_per_customer");
  std::string id;
  for (const auto& f : sheet) {
    if (f.at("label") == "revenue_impact /annual_revenue_per_customer (CAD)") {
      id = f.at("id");
      EXPECT_EQ(f.at("value"), analyst::format_cad(per_member));
    }
  }
  ASSERT_FALSE(id.empty()) << sheet.dump();
  run = ask_with(
      context(),
      {plan_reply(json::array({{{"op", "revenue_impact"}}, {{"op", "do_nothing_scenario"}}})),
       text_reply(fmt::format("**Answer.** Each member brings about {{{}}} a year.", id))});
  EXPECT_EQ(run.out.at("narrator"), "llm:scripted");
  EXPECT_EQ(run.out.at("answer"), fmt::format("**Answer.** Each member brings about {} a year.\n",
                                              analyst::format_cad(per_member)));
  const json& facts = run.out.at("facts");
  EXPECT_TRUE(std::any_of(facts.begin(), facts.end(), [&](const json& f) {
    return f.at("id") == id && f.at("path") == "/annual_revenue_per_customer";
  }));
  expect_numbers_are_facts(run.out);
}

// Names read from the data reach the narrator model by id and label only; labels of our own
// vocabularies (segments, bands) with their text.
TEST_F(LlmParityTest, DataNamesStayOutOfThePromptLabelsGoIn) {
  const auto run =
      ask_with(context(), {plan_reply(json::array({{{"op", "value_at_risk_by_province"}},
                                                   {{"op", "value_at_risk_by_segment"}}})),
                           std::nullopt, std::nullopt});
  ASSERT_GE(run.provider->requests.size(), 2u);
  const std::string user = run.provider->requests[1].user;
  EXPECT_EQ(user.find("Ontario"), std::string::npos);
  EXPECT_EQ(user.find("Quebec"), std::string::npos);
  EXPECT_NE(user.find("\"value\":\"Champions\""), std::string::npos) << user.substr(0, 400);
}

// A member's profile holds personal fields; none reaches the narrator model.
TEST_F(LlmParityTest, PersonalFieldsNeverReachTheNarrator) {
  const auto run = ask_with(context(),
                            {plan_reply(json::array({{{"op", "customer_profile"},
                                                      {"params", {{"loyalty_number", 101}}}}})),
                             std::nullopt, std::nullopt},
                            "Tell me about member 101");
  ASSERT_GE(run.provider->requests.size(), 2u);
  ASSERT_TRUE(run.out.at("results").at("customer_profile").at("attributes").contains("salary"));
  const json sheet = json::parse(run.provider->requests[1].user).at("facts");
  for (const auto& f : sheet) {
    const std::string source = f.at("source");
    EXPECT_EQ(source.find("salary"), std::string::npos) << source;
    EXPECT_EQ(source.find("postal_code"), std::string::npos) << source;
  }
}

}  // namespace
}  // namespace aa::test
