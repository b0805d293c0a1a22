// The intent table (issue 26): every row complete, its operations in the registry, every fact
// its draft cites produced by its own operations, and the lists derived from it (docs, `ask
// --help`) in step with it.

#include "analyst/intents.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "analyst/analyst.h"
#include "analyst/analyst_support.h"
#include "analyst/slots.h"
#include "core/app_error.h"
#include "ops/ops_fixture.h"
#include "ops/registry.h"
#include "support/domains.h"

namespace aa::test {
namespace {

TEST(IntentTable, EveryRowIsComplete) {
  std::set<std::string> names;
  for (const auto& row : analyst::intent_table()) {
    EXPECT_TRUE(names.insert(row.name).second) << row.name;
    EXPECT_FALSE(row.description.empty()) << row.name;
    EXPECT_GE(row.examples.size(), 8u) << row.name;
    EXPECT_EQ(std::set<std::string>(row.examples.begin(), row.examples.end()).size(),
              row.examples.size())
        << row.name;
    EXPECT_FALSE(row.keywords.empty()) << row.name;
    EXPECT_NE(row.draft, nullptr) << row.name;
    ASSERT_FALSE(row.ops.empty()) << row.name;
    for (const auto& op : row.ops) {
      EXPECT_NO_THROW(ops::find_operation(op)) << row.name << ": " << op;
    }
    for (const auto& slot : row.slots) {
      const auto& known = analyst::slot_names();
      EXPECT_NE(std::find(known.begin(), known.end(), slot), known.end())
          << row.name << ": " << slot;
    }
  }
  for (const auto& gap : analyst::gaps()) {
    EXPECT_GE(gap.examples.size(), 8u) << gap.name;
    EXPECT_FALSE(gap.keywords.empty()) << gap.name;
  }
}

// A plan an LLM made is narrated by the intent of its first analysis step; the KPI operations
// every plan carries say the overview only when nothing else does.
TEST(IntentTable, APlansIntentComesFromItsAnalysisSteps) {
  EXPECT_EQ(analyst::intent_of_operations({"kpis_slice", "top_risk_customers", "kpis_baseline"}),
            "individuals");
  // The reference's comparison of cancelled and retained members is one of the "why" steps.
  EXPECT_EQ(analyst::intent_of_operations({"correlation_drivers", "kpis_slice", "kpis_baseline"}),
            "drivers");
  EXPECT_EQ(analyst::intent_of_operations({"kpis_slice", "kpis_baseline"}), "overview");
}

TEST(IntentTable, AnUnknownIntentNamesTheValidOnes) {
  EXPECT_APP_ERROR(analyst::find_intent("weather"), core::ErrorKind::InvalidInput,
                   fmt::format("unknown intent 'weather'; valid intents: {}",
                               fmt::join(analyst::intent_names(), ", ")));
  EXPECT_EQ(analyst::intent_names().front(), "priority");
}

TEST(IntentTable, NoWordStandsForTwoThings) {
  std::map<std::string, std::string> seen;
  for (const auto& [word, canonical] : analyst::all_synonyms()) {
    const auto [it, fresh] = seen.emplace(word, canonical);
    EXPECT_TRUE(fresh || it->second == canonical)
        << word << " stands for " << it->second << " and " << canonical;
  }
}

// The rows' own examples are recognised as their rows (the table is consistent with itself).
TEST(IntentTable, ExamplesAreRecognisedAsTheirIntent) {
  analyst::RulePlanner planner(real_data_domains());
  std::size_t right = 0;
  std::size_t total = 0;
  for (const auto& row : analyst::intent_table()) {
    for (const auto& e : row.examples) {
      const auto plan = planner.plan(e, json::object());
      ++total;
      right += plan.intents.front() == row.name ? 1 : 0;
      EXPECT_EQ(plan.intents.front(), row.name) << e;
    }
  }
  EXPECT_EQ(right, total);
}

// Plans the rules make, with the intents cut to the first (so only its draft narrates).
class FirstIntentPlanner : public analyst::Planner {
 public:
  explicit FirstIntentPlanner(ops::Domains domains) : rules_(std::move(domains)) {}
  using analyst::Planner::plan;
  analyst::Plan plan(const std::string& q, const json& f,
                     const std::optional<analyst::Turn>& previous) override {
    analyst::Plan p = rules_.plan(q, f, previous);
    p.intents.resize(1);
    std::erase_if(p.steps, [&](const analyst::PlanStep& s) {
      const auto& own = analyst::find_intent(p.intents.front()).ops;
      return std::find(own.begin(), own.end(), s.op) == own.end() && s.op != "kpis_slice" &&
             s.op != "kpis_baseline";
    });
    analyst::add_context_steps(p);  // the KPI operations, and padding up to three steps
    return p;
  }

 private:
  analyst::RulePlanner rules_;
};

using IntentDraftTest = FixtureContextTest;

TEST_F(IntentDraftTest, EveryFactADraftCitesComesFromItsOwnOperations) {
  analyst::Analyst analyst(context(), std::make_unique<FirstIntentPlanner>(context().domains()),
                           std::make_unique<analyst::TemplateNarrator>());
  for (const auto& row : analyst::intent_table()) {
    const json out = analyst.ask(row.examples.front(), json::object());
    ASSERT_EQ(out.at("intents").at(0), row.name) << row.examples.front();
    std::set<std::string> allowed(row.ops.begin(), row.ops.end());
    allowed.insert({"kpis_slice", "kpis_baseline"});
    for (const auto& f : out.at("facts")) {
      EXPECT_TRUE(allowed.count(f.at("op"))) << row.name << " cites " << f.dump();
    }
    const std::string answer = out.at("answer");
    EXPECT_EQ(answer.find("n/a"), std::string::npos) << row.name << ": " << answer;
    EXPECT_FALSE(out.at("facts").empty()) << row.name;
    expect_numbers_are_facts(out);
  }
}

std::string doc_block(const std::string& doc, const std::string& name) {
  const std::string begin = "<!-- " + name + ":begin -->\n";
  const std::string end = "<!-- " + name + ":end -->";
  const auto from = doc.find(begin);
  const auto to = doc.find(end);
  if (from == std::string::npos || to == std::string::npos) {
    return "(no block " + name + ")";
  }
  return doc.substr(from + begin.size(), to - from - begin.size());
}

TEST(IntentDocs, TheAnalystDocListsTheIntentTable) {
  std::ifstream in(source_dir() / "docs" / "ANALYST.md");
  std::stringstream doc;
  doc << in.rdbuf();
  EXPECT_EQ(doc_block(doc.str(), "intent-table"), analyst::intents_markdown())
      << "docs/ANALYST.md's intent list differs from src/analyst/intent_table.cc; paste this "
         "between its intent-table markers:\n"
      << analyst::intents_markdown();
}

TEST(IntentDocs, AskHelpListsTheIntentTable) {
  const auto help = run_cli({"ask", "--help"});
  ASSERT_EQ(help.exit_code, 0) << help.err;
  for (const auto& row : analyst::intent_table()) {
    EXPECT_NE(help.out.find(fmt::format("  {:<13} {}, e.g. \"{}\"", row.name, row.description,
                                        row.examples.front())),
              std::string::npos)
        << row.name << "\n"
        << help.out;
  }
  EXPECT_NE(help.out.find("--context"), std::string::npos);
}

}  // namespace
}  // namespace aa::test
