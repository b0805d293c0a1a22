// The slot filler (issue 26): names (segments, provinces, cards, genders, CLV tiers, tenure
// groups, years, a member), "X vs Y" and "compare X and Y", top-N, budgets and save rates, time
// words, members against groups, and the question's shape.

#include "analyst/slots.h"

#include <gtest/gtest.h>

#include "support/domains.h"

namespace aa::test {
namespace {

using analyst::Slots;
using Names = std::vector<std::string>;

Slots fill(const std::string& question) {
  return analyst::SlotFiller(real_data_domains()).fill(question);
}

TEST(SlotFiller, ReadsNamesAndComparisons) {
  const Slots vs = fill("Champions vs Dormant on value");
  EXPECT_EQ(vs.segments, (Names{"Champions", "Dormant"}));
  EXPECT_TRUE(vs.compare);
  const Slots compare = fill("compare ontario and british columbia");
  EXPECT_EQ(compare.provinces, (Names{"Ontario", "British Columbia"}));
  EXPECT_TRUE(compare.compare);
  // Two of a kind named are compared, whatever joins them.
  EXPECT_TRUE(fill("What distinguishes Champions from Dormant members?").compare);
  EXPECT_FALSE(fill("Which customers in Ontario are likely to leave?").compare);
  // "Nova Scotia" is a province, not the Nova card; "star" is a card only as a name.
  const Slots nova = fill("churn in Nova Scotia for Aurora card holders");
  EXPECT_EQ(nova.provinces, (Names{"Nova Scotia"}));
  EXPECT_EQ(nova.cards, (Names{"Aurora"}));
  EXPECT_TRUE(fill("Where should we start?").cards.empty());
  EXPECT_EQ(fill("Do women churn more than men?").genders, (Names{"Female", "Male"}));
  EXPECT_EQ(fill("Do high-value members churn less than low value ones?").clv_tiers,
            (Names{"High", "Low"}));
  EXPECT_EQ(fill("the bc and qc regions").provinces, (Names{"British Columbia", "Quebec"}));
}

TEST(SlotFiller, ReadsNumbers) {
  EXPECT_EQ(fill("show me the top 20").top_n, 20);
  EXPECT_EQ(fill("Name the ten most valuable customers").top_n, 10);
  EXPECT_EQ(fill("members by churn score, 30 of them").top_n, 30);
  EXPECT_EQ(fill("top 500 at risk").top_n, 100);
  const Slots budget = fill("If each call costs 12 dollars and we have a 30,000 budget, what ROI?");
  EXPECT_EQ(budget.budget_cad, 30000);
  EXPECT_EQ(budget.cost_per_contact_cad, 12);
  const Slots spend = fill("We have 20k to spend on retention calls at a 25% save rate");
  EXPECT_EQ(spend.budget_cad, 20000);
  EXPECT_DOUBLE_EQ(*spend.save_rate, 0.25);
  EXPECT_EQ(fill("got 2 grand for retention").budget_cad, 2000);
  // A typo in the scale word, a singular "dollar", and an amount to work with in a question of
  // calls.
  EXPECT_EQ(fill("How far would 25 tohusand dollars go in a save campaign?").budget_cad, 25000);
  const Slots calls = fill("Is a 20 dollar call worth it, and how many should we make with 40000?");
  EXPECT_EQ(calls.cost_per_contact_cad, 20);
  EXPECT_EQ(calls.budget_cad, 40000);
  EXPECT_FALSE(fill("How many members with 40000 CLV are there?").budget_cad.has_value());
  EXPECT_EQ(fill("Tell me about member #654321").loyalty_number, 654321);
  EXPECT_FALSE(fill("our number 1 priority").loyalty_number.has_value());
  EXPECT_EQ(fill("How are the 2016 joiners doing compared to 2018?").years,
            (std::vector<int>{2016, 2018}));
}

TEST(SlotFiller, ReadsTimeWords) {
  const Slots week = fill("Names of members at risk this week please");
  EXPECT_EQ(week.horizon, "this week");
  EXPECT_DOUBLE_EQ(*week.horizon_months, 0.25);
  EXPECT_EQ(fill("What's the downside of doing nothing over the next quarter?").horizon_months, 3);
  EXPECT_EQ(fill("Are newer members leaving faster?").tenure_groups, (Names{analyst::kNewer}));
  EXPECT_EQ(fill("Are recent joiners more likely to cancel than veterans?").tenure_groups,
            (Names{analyst::kNewer, analyst::kLongStanding}));
  EXPECT_EQ(fill("Are long-standing members safer than new ones?").tenure_groups,
            (Names{analyst::kLongStanding, analyst::kNewer}));
}

TEST(SlotFiller, TellsMembersFromGroups) {
  EXPECT_EQ(fill("Which customers are likely to leave?").audience, "members");
  EXPECT_EQ(fill("Who should we reward?").audience, "members");
  EXPECT_EQ(fill("Give me the list of people our phone team should ring first").audience,
            "members");
  EXPECT_EQ(fill("We have CAD 500; who do we call?").audience, "members");
  EXPECT_EQ(fill("Which kinds of members are most likely to quit?").audience, "groups");
  EXPECT_EQ(fill("Which member categories have the highest cancellation rate?").audience, "groups");
  EXPECT_EQ(fill("Which regions are we bleeding members in?").audience, "groups");
  // "members who stop flying" is not a question about which members.
  EXPECT_EQ(fill("Do members who stop flying go on to cancel?").audience, "");
}

TEST(SlotFiller, ReadsTheQuestionsShape) {
  const Slots joiners = fill("Are recent joiners more likely to cancel than veterans?");
  EXPECT_TRUE(joiners.yes_no);
  EXPECT_EQ(joiners.direction, 1);  // more churn
  EXPECT_EQ(fill("Are Aurora members more loyal than Star members?").direction, -1);
  EXPECT_EQ(fill("Do veterans churn less than newcomers?").direction, -1);
  EXPECT_EQ(fill("Is Quebec doing worse than Alberta?").direction, 1);
  EXPECT_FALSE(fill("Can you list the riskiest members?").yes_no);  // a request
  EXPECT_TRUE(fill("Can I trust the data we loaded?").yes_no);
  EXPECT_TRUE(fill("How much money are we gonna lose?").how_much);
  EXPECT_TRUE(fill("Who is about to cancel?").about_leaving);
  EXPECT_FALSE(fill("Who should we reward?").about_leaving);
}

TEST(SlotFiller, SlotsRoundTripThroughJson) {
  const Slots s = fill(
      "Are the top 5 Champions in Ontario likelier to cancel this week than in "
      "2016, with a budget of CAD 900 at 15 per contact and a 30% save rate?");
  const Slots back = Slots::from_json(s.to_json());
  EXPECT_EQ(back.to_json(), s.to_json());
  EXPECT_EQ(back.top_n, 5);
  EXPECT_EQ(back.provinces, (Names{"Ontario"}));
  EXPECT_EQ(back.years, (std::vector<int>{2016}));
  // A context from a request is untrusted: wrong types and absurd numbers are dropped.
  const Slots odd = Slots::from_json(
      {{"top_n", 1e300}, {"provinces", {1, "Ontario"}}, {"compare", "yes"}, {"direction", 7}});
  EXPECT_FALSE(odd.top_n.has_value());
  EXPECT_EQ(odd.provinces, (Names{"Ontario"}));
  EXPECT_FALSE(odd.compare);
  EXPECT_EQ(odd.direction, 1);
}

}  // namespace
}  // namespace aa::test
