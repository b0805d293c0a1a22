// Follow-ups (issue 26): "And in Quebec?", "what about Champions?", "show me the top 20" reuse
// the previous turn's intent with the slots they change, from a previous answer given as the
// context (Analyst::ask, `ask --context FILE`); a question of its own starts a new thread.

#include <gtest/gtest.h>

#include <fstream>

#include "analyst/analyst.h"
#include "analyst/analyst_support.h"
#include "core/app_error.h"
#include "ops/ops_fixture.h"

namespace aa::test {
namespace {

using FollowUpTest = FixtureContextTest;

std::vector<std::string> ops_of(const json& out) {
  std::vector<std::string> ops;
  for (const auto& s : out.at("plan")) {
    ops.push_back(s.at("op"));
  }
  return ops;
}

TEST_F(FollowUpTest, AndInQuebecKeepsTheIntentAndChangesTheProvince) {
  analyst::Analyst analyst(context());
  const json first = analyst.ask("Who is most likely to leave in Ontario?", json::object());
  EXPECT_EQ(first.at("intents").at(0), "individuals");
  EXPECT_EQ(first.at("filters").at("province"), json::array({"Ontario"}));
  const json next = analyst.ask("And in Quebec?", json::object(), first);
  EXPECT_EQ(next.at("intents").at(0), "individuals");
  EXPECT_EQ(next.at("filters").at("province"), json::array({"Quebec"}));
  const json& f = next.at("follow_up");
  EXPECT_EQ(f.at("of"), "Who is most likely to leave in Ontario?");
  EXPECT_EQ(f.at("intent"), "individuals");
  EXPECT_TRUE(f.at("kept_intent").get<bool>());
  EXPECT_EQ(f.at("changed"), json::array({"provinces"}));
  EXPECT_EQ(f.at("inherited"), json::array());
  // The answer names Quebec's members at risk: the fixture's Quebec members, highest
  // churn score first.
  std::vector<std::pair<double, std::int64_t>> quebec;
  for (const auto& m : fixture_members()) {
    if (m.province == "Quebec" && m.churn_score()) {
      quebec.emplace_back(*m.churn_score(), m.loyalty_number);
    }
  }
  ASSERT_FALSE(quebec.empty());
  std::sort(quebec.rbegin(), quebec.rend());
  const std::string answer = next.at("answer");
  EXPECT_NE(answer.find(fmt::format("member {}", quebec.front().second)), std::string::npos)
      << answer;
  for (const auto& row : next.at("results").at("top_risk_customers").at("rows")) {
    EXPECT_EQ(row.at("province"), "Quebec");
  }
  expect_numbers_are_facts(next);
}

TEST_F(FollowUpTest, WhatAboutASegmentChangesTheSecondSideOfAComparison) {
  analyst::Analyst analyst(context());
  const json first = analyst.ask("Compare Champions vs Dormant", json::object());
  const json next = analyst.ask("what about Loyal?", json::object(), first);
  EXPECT_EQ(next.at("intents").at(0), "comparison");
  EXPECT_EQ(next.at("plan").at(0).at("op"), "segment_comparison");
  EXPECT_EQ(next.at("plan").at(0).at("params").at("segment_a"), "Champions");
  EXPECT_EQ(next.at("plan").at(0).at("params").at("segment_b"), "Loyal");
  EXPECT_EQ(next.at("follow_up").at("changed"), json::array({"segments"}));
  const std::string answer = next.at("answer");
  EXPECT_EQ(answer.rfind("**Answer.** Champions has ", 0), 0u) << answer;
  EXPECT_NE(answer.find("; Loyal has "), std::string::npos) << answer;
}

TEST_F(FollowUpTest, WhatAboutChampionsNarrowsAnotherIntentToTheSegment) {
  analyst::Analyst analyst(context());
  const json first = analyst.ask("Which customers are most likely to leave?", json::object());
  const json next = analyst.ask("what about Champions?", json::object(), first);
  EXPECT_EQ(next.at("intents").at(0), "individuals");
  EXPECT_EQ(next.at("filters").at("rfm_segment"), json::array({"Champions"}));
  for (const auto& row : next.at("results").at("top_risk_customers").at("rows")) {
    EXPECT_EQ(row.at("rfm_segment"), "Champions");
  }
}

TEST_F(FollowUpTest, ShowMeTheTopTwentyChangesTopNAndKeepsTheProvince) {
  analyst::Analyst analyst(context());
  const json first = analyst.ask("Which customers in Ontario are likely to leave?", json::object());
  EXPECT_EQ(first.at("plan").at(0).at("params").at("top_n"), 10);
  const json next = analyst.ask("show me the top 20", json::object(), first);
  EXPECT_EQ(next.at("intents").at(0), "individuals");
  EXPECT_EQ(next.at("plan").at(0).at("params").at("top_n"), 20);
  EXPECT_EQ(next.at("filters").at("province"), json::array({"Ontario"}));
  EXPECT_EQ(next.at("follow_up").at("changed"), json::array({"top_n"}));
  EXPECT_EQ(next.at("follow_up").at("inherited"), json::array({"provinces"}));
}

TEST_F(FollowUpTest, AQuestionOfItsOwnStartsANewThread) {
  analyst::Analyst analyst(context());
  const json first = analyst.ask("Which customers are most likely to leave?", json::object());
  const json next = analyst.ask("Why are customers churning?", json::object(), first);
  EXPECT_EQ(next.at("intents").at(0), "drivers");
  EXPECT_TRUE(next.at("follow_up").is_null());
  EXPECT_EQ(ops_of(next).at(0), "churn_signal");
}

TEST_F(FollowUpTest, AContextThatIsNotAnAnswerIsRefusedOrIgnored) {
  analyst::Analyst analyst(context());
  EXPECT_APP_ERROR(analyst.ask("And in Quebec?", json::object(), json("previous")),
                   core::ErrorKind::InvalidInput,
                   "the context must be a previous answer (a JSON object with question, intents "
                   "and slots)");
  // Nothing understood before: nothing to follow, so the question stands alone.
  const json unsure = analyst.ask("What is the weather in Paris?", json::object());
  const json next = analyst.ask("And in Quebec?", json::object(), unsure);
  EXPECT_TRUE(next.at("follow_up").is_null());
  // Names from a tampered context that the data does not hold are not used.
  json tampered = analyst.ask("Which customers are most likely to leave?", json::object());
  tampered["slots"]["provinces"] = json::array({"Atlantis"});
  const json after = analyst.ask("show me the top 5", json::object(), tampered);
  EXPECT_FALSE(after.at("filters").contains("province")) << after.at("filters");
  EXPECT_EQ(after.at("plan").at(0).at("params").at("top_n"), 5);
}

TEST_F(FollowUpTest, AskTakesTheContextFromAFile) {
  const std::string lake = FixtureContextTest::lake().root().string();
  const auto first =
      run_cli({"ask", "Who is most likely to leave in Ontario?", "--lake", lake, "--json"});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  TempDir dir;
  const auto file = dir.path() / "turn.json";
  std::ofstream(file) << first.out;
  const auto next =
      run_cli({"ask", "And in Quebec?", "--lake", lake, "--context", file.string(), "--json"});
  ASSERT_EQ(next.exit_code, 0) << next.err;
  const json out = json::parse(next.out);
  EXPECT_EQ(out.at("intents").at(0), "individuals");
  EXPECT_EQ(out.at("filters").at("province"), json::array({"Quebec"}));
  const auto text = run_cli({"ask", "And in Quebec?", "--lake", lake, "--context", file.string()});
  EXPECT_NE(text.out.find("- follow-up of \"Who is most likely to leave in Ontario?\": intent "
                          "individuals (kept); changed [\"provinces\"]; inherited nothing"),
            std::string::npos)
      << text.out;
  const auto missing = run_cli(
      {"ask", "And in Quebec?", "--lake", lake, "--context", (dir.path() / "none.json").string()});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_EQ(missing.err,
            fmt::format("error: --context: '{}' does not exist; give the file an earlier `ask "
                        "--json` wrote\n",
                        (dir.path() / "none.json").string()));
}

}  // namespace
}  // namespace aa::test
