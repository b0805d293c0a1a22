// The analyst's offline answer time on the real data set (target: < 50 ms per question): plan,
// operations, narration and facts, timed call by call on a warm context; p95 per question.
// Not a test: run it with `make bench-ask`. The lake is built once from
// ../shared/data/airline-loyalty (AA_BENCH_RAW_DIR) under AA_BENCH_DIR/real; AA_BENCH_LAKE
// times another lake that is already built.

#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include "analyst/analyst.h"
#include "bench_support.h"

namespace {

using namespace aa::bench;
using nlohmann::json;

fs::path prepare_real_lake(const fs::path& root, const fs::path& raw) {
  const fs::path dir = root / "real";
  const fs::path lake = dir / "lake";
  if (!fs::exists(dir / "READY")) {
    fs::create_directories(dir);
    cli(fmt::format("run -q --raw-dir {} --lake {} --bootstrap 20", q(raw), q(lake)));
    std::ofstream(dir / "READY") << raw.string() << "\n";
  }
  return lake;
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  const fs::path root = env_or("AA_BENCH_DIR", "build/bench-data");
  const fs::path raw = env_or("AA_BENCH_RAW_DIR", "../shared/data/airline-loyalty");
  const int repetitions = std::stoi(env_or("AA_BENCH_REPETITIONS", "50"));
  const std::string given = env_or("AA_BENCH_LAKE", "");  // another lake, already built
  if (given.empty() && !fs::exists(raw)) {
    std::cerr << "bench: no real data at " << raw << " (set AA_BENCH_RAW_DIR)" << std::endl;
    return 1;
  }
  static auto context = aa::ops::OpsContext::open(
      aa::core::Lake(given.empty() ? prepare_real_lake(root, raw) : fs::path(given)));
  static aa::analyst::Analyst analyst(*context);
  // The reference project's five executive questions, then one per further intent.
  std::vector<std::string> questions = {
      "Where should we focus retention efforts?",
      "Who should we reward?",
      "Why are customers churning?",
      "Compare Champions vs Dormant",
      "What's the financial impact if we do nothing?",
      "Which customers are most likely to leave?",
      "Which provinces carry the most risk?",
      "We have a budget of CAD 50,000 at CAD 20 per contact; who do we call?",
      "How do enrollment cohorts retain?",
      "How long do members stay? Show the survival curve",
      // Issue 26: the intent table's ranker, slots and answers that answer, a member's
      // profile, a question it is not sure of, and a follow-up with the previous answer.
      "Which kinds of members are most likely to quit?",
      "Are recent joiners more likely to cancel than veterans?",
      "Give me the list of people our phone team should ring first",
      "What changed since last month?",
      // The second helper's additions: the overview, and a figure no operation reports.
      "How many members do we have?",
      "What's the average salary of our members?",
  };
  // A member the lake holds, for a profile question.
  const json riskiest = analyst.ask("Which customers are most likely to leave?", json::object());
  const auto& rows = riskiest.at("results").at("top_risk_customers").at("rows");
  if (!rows.empty()) {
    questions.push_back(
        fmt::format("Is member {} likely to cancel?", rows.at(0).at("loyalty_number").dump()));
  }
  for (std::size_t i = 0; i < questions.size(); ++i) {
    const std::string question = questions[i];
    analyst.ask(question, json::object());  // warm
    p95_runs(benchmark::RegisterBenchmark(fmt::format("ask/q{:02}", i + 1).c_str(),
                                          [question](benchmark::State& state) {
                                            for (auto _ : state) {
                                              auto out = analyst.ask(question, json::object());
                                              benchmark::DoNotOptimize(out);
                                            }
                                            state.SetLabel(question);
                                          }),
             repetitions);
  }
  // A follow-up: "And in Quebec?" after the at-risk list, with that answer as the context.
  static const json previous = riskiest;
  p95_runs(benchmark::RegisterBenchmark("ask/follow_up",
                                        [](benchmark::State& state) {
                                          for (auto _ : state) {
                                            auto out = analyst.ask("And in Quebec?", json::object(),
                                                                   previous);
                                            benchmark::DoNotOptimize(out);
                                          }
                                          state.SetLabel("And in Quebec? (after the at-risk list)");
                                        }),
           repetitions);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
