// The offline planner on questions of our own: every intent, paraphrases, typos, entities
// (segments, provinces, cards, top-N, budgets) and questions it cannot answer.

#include "analyst/planner.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "analyst/cues.h"
#include "analyst/intents.h"
#include "analyst/text.h"
#include "core/app_error.h"
#include "support/domains.h"
#include "support/test_support.h"

namespace aa::test {
namespace {

using analyst::Plan;
using analyst::RulePlanner;
using nlohmann::json;

ops::Domains domains() { return real_data_domains(); }

std::vector<std::string> ops_of(const Plan& plan) {
  std::vector<std::string> out;
  for (const auto& s : plan.steps) {
    out.push_back(s.op);
  }
  return out;
}

const analyst::PlanStep* step(const Plan& plan, const std::string& op) {
  for (const auto& s : plan.steps) {
    if (s.op == op) {
      return &s;
    }
  }
  return nullptr;
}

struct Case {
  const char* question;
  const char* intent;                     // the first intent expected
  std::vector<const char*> expected_ops;  // each must be in the plan
};

// 48 questions: each intent in several wordings, with typos and mixed case.
const std::vector<Case>& cases() {
  static const std::vector<Case> all = {
      // Priority / focus (the reference's first example question).
      {"Where should we focus retention efforts?",
       "priority",
       {"single_priority_initiative", "value_at_risk_by_segment", "value_at_risk_by_province"}},
      {"What is our number one retention priority?", "priority", {"single_priority_initiative"}},
      {"If we could run only one initiative, what should it be?",
       "priority",
       {"single_priority_initiative"}},
      {"where shoud we focuss first", "priority", {"single_priority_initiative"}},
      // Geography.
      {"Which provinces carry the most risk?",
       "geography",
       {"value_at_risk_by_province", "summary_by_province"}},
      {"Show me churn by region", "geography", {"value_at_risk_by_province"}},
      {"how does the geographic picture look", "geography", {"value_at_risk_by_province"}},
      {"provnices with high churn", "geography", {"value_at_risk_by_province"}},
      // Segments.
      {"How are the RFM segments doing?",
       "segments",
       {"value_at_risk_by_segment", "summary_by_segment"}},
      {"Break churn down by segment", "segments", {"value_at_risk_by_segment"}},
      {"segmnts overview please", "segments", {"value_at_risk_by_segment"}},
      // Comparison.
      {"Compare Champions vs Dormant", "comparison", {"segment_comparison"}},
      {"How do Loyal members differ from At Risk members?", "comparison", {"segment_comparison"}},
      {"champions versus potential", "comparison", {"segment_comparison"}},
      {"Compare Ontario against Quebec",
       "geography",
       {"value_at_risk_by_province", "summary_by_province"}},
      // Impact.
      {"What's the financial impact if we do nothing?",
       "impact",
       {"revenue_impact", "do_nothing_scenario"}},
      {"How much money are we losing to churn?",
       "impact",
       {"revenue_impact", "do_nothing_scenario"}},
      {"What does churn cost us per year?", "impact", {"revenue_impact"}},
      {"whats the revenu impact", "impact", {"revenue_impact"}},
      // Rewards.
      {"Who should we reward?", "rewards", {"top_value_customers"}},
      {"Which VIP members deserve a thank you?", "rewards", {"top_value_customers"}},
      {"List our most valuable members to recognise", "rewards", {"top_value_customers"}},
      {"who are our best customers", "rewards", {"top_value_customers"}},
      // Drivers.
      {"Why are customers churning?", "drivers", {"churn_signal", "churn_reasons_summary"}},
      {"What drives cancellations?", "drivers", {"churn_signal"}},
      {"Explain the main causes of churn", "drivers", {"churn_signal"}},
      {"what r the biggest driverz of churn??", "drivers", {"churn_reasons_summary"}},
      // Individuals.
      {"Which customers are most likely to leave?", "individuals", {"top_risk_customers"}},
      {"Give me the names of members at risk of churning", "individuals", {"top_risk_customers"}},
      {"who is about to cancel", "individuals", {"top_risk_customers"}},
      // Tenure.
      {"How does churn vary with tenure?", "tenure", {"tenure_analysis"}},
      {"Are new members leaving faster? lifecycle view", "tenure", {"tenure_analysis"}},
      // CLV bands.
      {"Churn by CLV band", "clv_bands", {"churn_by_clv_tier"}},
      {"Do high value members churn less than low value ones?", "clv_bands", {"churn_by_clv_tier"}},
      // Cards.
      {"How do the loyalty card tiers compare on risk?", "cards", {"summary_by_card"}},
      {"Are Aurora card holders at risk?", "cards", {"summary_by_card"}},
      // Gender.
      {"Is there a gender difference in churn?", "gender", {"summary_by_gender"}},
      {"do women churn more than men", "gender", {"summary_by_gender"}},
      // Budget.
      {"We have a budget of CAD 50,000 at CAD 20 per contact; who do we call?",
       "budget",
       {"retention_plan"}},
      {"Plan a retention campaign with $25k", "budget", {"retention_plan"}},
      {"what ROI would outreach give", "budget", {"retention_plan"}},
      // Survival, cohorts, model, data quality.
      {"How long do members stay? Show the survival curve", "survival", {"retention_curve"}},
      {"How do enrollment cohorts retain?", "cohorts", {"cohort_retention"}},
      {"How accurate is the churn model?", "model", {"model_performance"}},
      {"How good is the data quality? Anything quarantined?", "data_quality", {"data_quality"}},
      // Off-topic and unclear: not understood, said so (the KPIs for the portfolio line).
      {"What is the weather in Paris?", "unsure", {"kpis_slice", "kpis_baseline"}},
      {"asdf qwerty", "unsure", {"kpis_slice"}},
      {"Tell me a joke", "unsure", {"kpis_baseline"}},
  };
  return all;
}

TEST(RulePlanner, ChoosesTheExpectedOperationsForFortyEightQuestions) {
  RulePlanner planner(domains());
  ASSERT_GE(cases().size(), 40u);
  std::set<std::string> intents_seen;
  for (const auto& c : cases()) {
    const Plan plan = planner.plan(c.question, json::object());
    ASSERT_FALSE(plan.intents.empty()) << c.question;
    EXPECT_EQ(plan.intents.front(), c.intent) << c.question;
    intents_seen.insert(plan.intents.front());
    const auto ops = ops_of(plan);
    for (const char* op : c.expected_ops) {
      EXPECT_NE(std::find(ops.begin(), ops.end(), op), ops.end()) << c.question << " lacks " << op;
    }
    EXPECT_GE(plan.steps.size(), analyst::kMinSteps) << c.question;
    EXPECT_LE(plan.steps.size(), analyst::kMaxSteps) << c.question;
    EXPECT_NO_THROW(analyst::validate_plan(plan, domains())) << c.question;
    EXPECT_EQ(plan.planner, "rules");
    EXPECT_EQ(plan.understood, std::string(c.intent) != "unsure") << c.question;
  }
  EXPECT_GE(intents_seen.size(), 18u);  // every intent but the member's profile, and unsure
}

// A list of members narrowed by filters and put in an order is the member search, with the
// sort key, the direction, the rows and a named risk tier read from the question
// (customer_search); a list of groups in an order is still the groups' summary.
TEST(RulePlanner, AFilteredSortedListOfMembersIsTheMemberSearch) {
  RulePlanner planner(domains());
  struct Want {
    const char* question;
    const char* sort_by;
    bool ascending;
  };
  for (const Want& w : std::vector<Want>{
           {"Members in Alberta sorted by CLV", "clv", false},
           {"list the Champions in Manitoba ordered by recency, ascending", "recency", true},
           {"find everyone in Nova Scotia with the longest tenure", "tenure_months", false},
           {"show me the dormant people in quebec", "churn_score", false}}) {
    const Plan plan = planner.plan(w.question, json::object());
    ASSERT_EQ(plan.intents.front(), "search") << w.question;
    const auto* s = step(plan, "customer_search");
    ASSERT_NE(s, nullptr) << w.question;
    EXPECT_EQ(s->params.at("sort_by"), w.sort_by) << w.question;
    EXPECT_EQ(s->params.at("ascending"), w.ascending) << w.question;
    analyst::validate_plan(plan, domains());
  }
  const Plan tier = planner.plan("Everyone in the medium risk tier in Saskatchewan by frequency, 200 rows",
                                 json::object());
  ASSERT_EQ(tier.intents.front(), "search");
  EXPECT_EQ(tier.filters.at("risk_tier"), "medium");
  EXPECT_EQ(tier.filters.at("province"), json::array({"Saskatchewan"}));
  EXPECT_EQ(step(tier, "customer_search")->params.at("top_n"), 200);
  EXPECT_EQ(step(tier, "customer_search")->params.at("sort_by"), "frequency");
  analyst::validate_plan(tier, domains());
  EXPECT_NE(planner.plan("summary_by_province sorted by cancelled rate", json::object())
                .intents.front(),
            "search");
}

TEST(RulePlanner, ExtractsSegmentsForComparisons) {
  RulePlanner planner(domains());
  const Plan plan = planner.plan("Compare Champions vs Dormant", json::object());
  const auto* s = step(plan, "segment_comparison");
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->params.at("segment_a"), "Champions");
  EXPECT_EQ(s->params.at("segment_b"), "Dormant");
  // Everyday words are names only when written as names.
  const Plan loyal = planner.plan("How do Loyal members differ from At Risk members?", {});
  ASSERT_NE(step(loyal, "segment_comparison"), nullptr);
  EXPECT_EQ(step(loyal, "segment_comparison")->params.at("segment_a"), "Loyal");
  EXPECT_EQ(step(loyal, "segment_comparison")->params.at("segment_b"), "At Risk");
  // One segment named: the other side is a stated default, with a note.
  const Plan none = planner.plan("Compare Champions with the others", {});
  ASSERT_NE(step(none, "segment_comparison"), nullptr);
  EXPECT_EQ(step(none, "segment_comparison")->params.at("segment_a"), "Champions");
  EXPECT_FALSE(none.notes.empty());
  // Comparing across a dimension is that dimension's summary.
  const Plan segments = planner.plan("compare the segments", {});
  EXPECT_EQ(step(segments, "segment_comparison"), nullptr);
  EXPECT_NE(step(segments, "summary_by_segment"), nullptr);
}

TEST(RulePlanner, ANamedProvinceSegmentOrCardNarrowsTheFilters) {
  RulePlanner planner(domains());
  const Plan plan = planner.plan("Which customers in british columbia are likely to leave?", {});
  EXPECT_EQ(plan.filters.at("province"), json::array({"British Columbia"}));
  EXPECT_NE(step(plan, "top_risk_customers"), nullptr);
  // "at risk" in everyday use is not the At Risk segment.
  EXPECT_FALSE(plan.filters.contains("rfm_segment"));
  const Plan nova = planner.plan("Why do Nova card holders churn?", {});
  EXPECT_EQ(nova.filters.at("loyalty_card"), json::array({"Nova"}));
  // The user's own filters win.
  const Plan kept = planner.plan("churn drivers in Ontario", {{"province", {"Quebec"}}});
  EXPECT_EQ(kept.filters.at("province"), json::array({"Quebec"}));
  // A comparison of two provinces narrows nothing.
  EXPECT_FALSE(planner.plan("Compare Ontario against Quebec", {}).filters.contains("province"));
}

// A member's number alone is someone to look up; an order to act on a member, or their
// contact details, is no question the analyst answers; the same verbs and words asking for an
// answer are questions.
TEST(RulePlanner, LooksUpBareNumbersAndRefusesOrdersAndContactDetails) {
  RulePlanner planner(domains());
  for (const char* q : {"pull up #662341", "show 735891", "is 871234 likely to cancel?"}) {
    const Plan plan = planner.plan(q, {});
    ASSERT_TRUE(plan.understood) << q;
    EXPECT_EQ(plan.intents.front(), "member") << q;
    ASSERT_NE(step(plan, "customer_profile"), nullptr) << q;
  }
  EXPECT_EQ(step(planner.plan("show 735891", {}), "customer_profile")->params.at("loyalty_number"),
            735891);
  // Six digits beside an amount are the amount.
  EXPECT_FALSE(planner.plan("We have a budget of 250000 for calls", {}).slots.loyalty_number);
  for (const char* q :
       {"Change member 123456's card to Aurora", "please export the high-risk list to Salesforce",
        "mark 420380 as contacted", "what's the phone number for member 992168?",
        "churn rate among members aged 25 to 34", "What is the average age of our members?"}) {
    EXPECT_FALSE(planner.plan(q, {}).understood) << q;
  }
  for (const char* q : {"Change member 123456's card to Aurora", "Please export the list",
                        "could you mark 420380 as contacted"}) {
    EXPECT_TRUE(analyst::command(analyst::words_of(q))) << q;
  }
  for (const char* q : {"Could email campaigns reduce churn?", "Update on churn in Quebec?",
                        "send me the top risk list", "change in churn by province"}) {
    EXPECT_FALSE(analyst::command(analyst::words_of(q))) << q;
  }
  EXPECT_TRUE(planner.plan("do people who've been members for ages cancel less", {}).understood);
}

TEST(RulePlanner, ReadsTopNumbersAndBudgets) {
  RulePlanner planner(domains());
  EXPECT_EQ(
      step(planner.plan("top 5 members to reward", {}), "top_value_customers")->params.at("top_n"),
      5);
  EXPECT_EQ(step(planner.plan("list twenty customers likely to churn", {}), "top_risk_customers")
                ->params.at("top_n"),
            20);
  EXPECT_EQ(step(planner.plan("who will leave", {}), "top_risk_customers")->params.at("top_n"), 10);
  EXPECT_EQ(step(planner.plan("top 500 people at risk of leaving", {}), "top_risk_customers")
                ->params.at("top_n"),
            100);

  const auto plan_of = [&](const char* q) {
    return step(planner.plan(q, {}), "retention_plan")->params;
  };
  const json a = plan_of("We have a budget of CAD 50,000 at CAD 20 per contact");
  EXPECT_DOUBLE_EQ(a.at("budget_cad").get<double>(), 50000);
  EXPECT_DOUBLE_EQ(a.at("cost_per_contact_cad").get<double>(), 20);
  const json b = plan_of("plan a campaign with $25k, each contact costs 15 dollars, 30% save rate");
  EXPECT_DOUBLE_EQ(b.at("budget_cad").get<double>(), 25000);
  EXPECT_DOUBLE_EQ(b.at("cost_per_contact_cad").get<double>(), 15);
  EXPECT_DOUBLE_EQ(b.at("save_rate").get<double>(), 0.3);
  const json c = plan_of("campaign budget 1.5 million");
  EXPECT_DOUBLE_EQ(c.at("budget_cad").get<double>(), 1.5e6);
  const Plan d = planner.plan("plan a retention campaign", {});
  EXPECT_FALSE(step(d, "retention_plan")->params.contains("budget_cad"));
  EXPECT_FALSE(d.notes.empty());  // the default budget is said
}

TEST(RulePlanner, TimeWordsNarrowOrAreNoted) {
  RulePlanner planner(domains());
  const Plan newer = planner.plan("Which newer members are likely to leave?", {});
  EXPECT_EQ(newer.intents.front(), "individuals");
  EXPECT_EQ(newer.filters.at("tenure_max"), analyst::kNewerMaxMonths);
  EXPECT_EQ(newer.notes.back(),
            "the question asks about newer members, so the figures cover members with 0-12 "
            "months of tenure");
  const Plan quarter =
      planner.plan("What's the downside of doing nothing over the next quarter?", {});
  EXPECT_EQ(quarter.intents.front(), "impact");
  EXPECT_EQ(
      quarter.notes.back(),
      "'next quarter' spans 3 months; the churn model's figures cover its 6-month horizon and "
      "are not rescaled");
}

TEST(RulePlanner, AQuestionItCannotPlaceIsNotAnsweredWithConfidence) {
  RulePlanner planner(domains());
  const Plan time = planner.plan("What time is it?", {});
  EXPECT_FALSE(time.understood);
  EXPECT_EQ(time.intents, std::vector<std::string>{"unsure"});
  EXPECT_EQ(ops_of(time),
            (std::vector<std::string>{"kpis_slice", "kpis_baseline", "do_nothing_scenario"}));
  EXPECT_EQ(time.unsure_reason.rfind("it is not close enough to any kind of question I answer", 0),
            0u);
  // Questions about the world outside the data, and orders to act, are not questions it answers.
  const Plan weather = planner.plan("What is the weather in Paris?", {});
  EXPECT_FALSE(weather.understood);
  const auto& outside = *std::find_if(
      analyst::gaps().begin(), analyst::gaps().end(),
      [](const analyst::Gap& g) { return g.name == "something outside the loyalty analyses"; });
  EXPECT_EQ(weather.unsure_reason, outside.reason);
  // Nor are figures no operation reports: "the average salary" is not the overview.
  const Plan salary = planner.plan("What's the average salary of our members?", {});
  EXPECT_FALSE(salary.understood);
  EXPECT_NE(salary.notes.back().find("a figure no operation reports"), std::string::npos);
  const Plan drop = planner.plan("Delete all the quarantined rows", {});
  EXPECT_FALSE(drop.understood);
  EXPECT_EQ(drop.unsure_reason.rfind("it is not a question about the loyalty programme", 0), 0u);
  EXPECT_FALSE(planner.plan("thanks!", {}).understood);
  // A question about the subject needs less to be understood than one that is not.
  EXPECT_TRUE(planner.plan("is nova scotia bad for churn", {}).understood);
  const Plan changed = planner.plan("What changed since last month?", {});
  EXPECT_FALSE(changed.understood);
  EXPECT_EQ(changed.unsure_reason, analyst::gaps().front().reason);
  EXPECT_NE(changed.notes.back().find("changes over time"), std::string::npos);
}

TEST(RulePlanner, WordMatchingToleratesFormsAndTypos) {
  EXPECT_TRUE(analyst::word_matches("churning", "churn"));
  EXPECT_TRUE(analyst::word_matches("provinces", "province"));
  EXPECT_TRUE(analyst::word_matches("provnice", "province"));
  EXPECT_TRUE(analyst::word_matches("segmnts", "segment"));
  EXPECT_FALSE(analyst::word_matches("card", "cards_and_more"));
  EXPECT_FALSE(analyst::word_matches("men", "women"));
  EXPECT_FALSE(analyst::word_matches("cost", "most"));  // short words need an exact match
  EXPECT_EQ(analyst::words_of("At-Risk members, Ontario!"),
            (std::vector<std::string>{"at", "risk", "members", "ontario"}));
}

TEST(RulePlanner, ValidatePlanRejectsWhatIsNotInTheCatalogue) {
  Plan plan;
  plan.filters = json::object();
  plan.steps = {{"kpis_slice", {}}, {"kpis_baseline", {}}, {"drop_table", {}}};
  EXPECT_APP_ERROR_CONTAINS(analyst::validate_plan(plan, domains()), core::ErrorKind::InvalidInput,
                            "unknown operation 'drop_table'; valid operations: ");
  plan.steps = {
      {"kpis_slice", {}}, {"kpis_baseline", {}}, {"top_risk_customers", {{"top_n", 1000}}}};
  EXPECT_APP_ERROR_CONTAINS(analyst::validate_plan(plan, domains()), core::ErrorKind::InvalidInput,
                            "1000 is out of range");
  plan.steps = {{"kpis_slice", {}}, {"kpis_baseline", {}}};
  EXPECT_APP_ERROR_CONTAINS(analyst::validate_plan(plan, domains()), core::ErrorKind::InvalidInput,
                            "a plan has 2 steps; it needs ");  // fewer than three
  plan.steps = {{"kpis_slice", {}}, {"kpis_baseline", {}}, {"kpis_slice", {}}};
  EXPECT_APP_ERROR(analyst::validate_plan(plan, domains()), core::ErrorKind::InvalidInput,
                   "the plan calls kpis_slice twice");
  plan.steps = {{"kpis_slice", {}}, {"kpis_baseline", {}}, {"top_risk_customers", {{"top_n", 5}}}};
  EXPECT_NO_THROW(analyst::validate_plan(plan, domains()));
}

}  // namespace
}  // namespace aa::test
