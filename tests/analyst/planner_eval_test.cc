// The offline planner measured on questions it was not tuned on (issue 26): the question set
// under tests/analyst/questions/, split into dev and holdout before any tuning. A question is
// routed right when the plan's main intent runs one of its acceptable operations, or, for a
// question no operation answers ("unsure"), when the analyst says it is not sure. The holdout
// must reach 95%; both figures are printed (docs/ANALYST.md reports them).

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <optional>
#include <regex>
#include <set>
#include <sstream>

#include "analyst/intents.h"
#include "analyst/planner.h"
#include "analyst/recogniser.h"
#include "analyst/text.h"
#include "cloud/sigv4.h"
#include "support/domains.h"
#include "support/test_support.h"

namespace aa::test {
namespace {

struct Question {
  std::string voice;
  std::vector<std::string> acceptable;  // operations, or {"unsure"}
  std::string text;
};

fs::path questions_dir() { return source_dir() / "tests" / "analyst" / "questions"; }

std::string read_all(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// Question lines ("voice<TAB>acceptable<TAB>question"); a line without its two tabs is a
// failure of the file, reported with its source and skipped.
std::vector<Question> parse_questions(const std::string& text, const std::string& source) {
  std::vector<Question> out;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    if (line.empty() || line[0] == '#') {
      continue;
    }
    const auto tab1 = line.find('\t');
    const auto tab2 = tab1 == std::string::npos ? tab1 : line.find('\t', tab1 + 1);
    if (tab2 == std::string::npos) {
      ADD_FAILURE() << source << ": not voice<TAB>acceptable<TAB>question: " << line;
      continue;
    }
    Question q{line.substr(0, tab1), {}, line.substr(tab2 + 1)};
    std::istringstream ops(line.substr(tab1 + 1, tab2 - tab1 - 1));
    for (std::string op; std::getline(ops, op, ',');) {
      q.acceptable.push_back(op);
    }
    out.push_back(q);
  }
  return out;
}

std::vector<Question> load(const std::string& name) {
  return parse_questions(read_all(questions_dir() / name), name);
}

// FNV-1a, 32 bits, over the question's bytes: split.py's rule.
std::uint32_t fnv1a(const std::string& text) {
  std::uint32_t h = 0x811C9DC5u;
  for (const unsigned char c : text) {
    h ^= c;
    h *= 0x01000193u;
  }
  return h;
}

bool routed_right(const analyst::Plan& plan, const Question& q) {
  const bool unsure_fits =
      std::find(q.acceptable.begin(), q.acceptable.end(), "unsure") != q.acceptable.end();
  if (!plan.understood) {
    return unsure_fits;
  }
  const auto& ops = analyst::find_intent(plan.intents.front()).ops;
  return std::any_of(ops.begin(), ops.end(), [&](const std::string& op) {
    return std::find(q.acceptable.begin(), q.acceptable.end(), op) != q.acceptable.end();
  });
}

struct Score {
  std::size_t right = 0;
  std::size_t total = 0;
  std::vector<std::string> misses;
  double accuracy() const { return total == 0 ? 0 : static_cast<double>(right) / total; }
};

Score score(const std::vector<Question>& questions) {
  analyst::RulePlanner planner(real_data_domains());
  Score s;
  for (const auto& q : questions) {
    const analyst::Plan plan = planner.plan(q.text, nlohmann::json::object());
    ++s.total;
    if (routed_right(plan, q)) {
      ++s.right;
    } else {
      s.misses.push_back(fmt::format("{} -> {} (wanted {})", q.text, plan.intents.front(),
                                     fmt::join(q.acceptable, "|")));
    }
  }
  return s;
}

void report(const char* name, const Score& s) {
  std::cout << fmt::format("{}: {:.1f}% ({} of {})\n", name, 100 * s.accuracy(), s.right, s.total);
  for (const auto& m : s.misses) {
    std::cout << "  miss: " << m << "\n";
  }
}

TEST(PlannerEval, TheSetHasTwoHundredQuestionsSplitByTheHashRule) {
  const auto dev = load("dev.tsv");
  const auto holdout = load("holdout.tsv");
  EXPECT_GE(dev.size() + holdout.size(), 200u);
  std::set<std::string> voices;
  for (const auto& q : dev) {
    EXPECT_GE(fnv1a(q.text) % 5, 2u) << q.text;
    voices.insert(q.voice);
  }
  for (const auto& q : holdout) {
    EXPECT_LT(fnv1a(q.text) % 5, 2u) << q.text;
    voices.insert(q.voice);
  }
  EXPECT_GE(voices.size(), 4u);
}

// The holdouts are never edited after they were written (tests/analyst/questions/README.md).
TEST(PlannerEval, TheHoldoutsAreAsWritten) {
  struct Written {
    const char* file;
    const char* sha256;
    std::size_t questions;
  };
  const Written holdouts[] = {
      {"holdout.tsv", "562ca5a9b660d83d8012caeec40082c82864f853c4e1655f3984e33c61092921", 107},
      {"holdout2.tsv", "874a370348c1a2bcb428654663ebbd60cf10dc3ccd677d11332a5fa604c2f54d", 87},
      {"holdout3.tsv", "b43c12eb956735844ba450776e9093197713f9490c8195bc540749200bb73fa7", 72},
      {"holdout4.tsv", "7b92dfb88838747a8a99e6e80279f162715c702e01572c062351aebf3ecc0124", 155},
      {"holdout5.tsv", "24832f99a10920c271a387134ea0a9602648ff574bd8bdeb828a747b87817e02", 255},
      {"holdout6.tsv", "290c5069f352613021da992ce31d9fb6312d44a0acc517557a92ff8057468580", 247},
      {"holdout7.tsv", "95b94aacaf90812505921c56ce77827dc4a4a25f559c99300fe2921ba61cacf1", 250},
      {"holdout8.tsv", "70ef5cdc6b214462b06561e70f35a752facd7bde7e17f6ae4ebcff647bfbd6b9", 250},
      {"holdout9.tsv", "59432f5250eefb9fb82a098b81f3b1d2f06efc0741f952725ba513bddcd32908", 250},
      {"holdout10.tsv", "d253a18030b0a779ee16fde3021a03002d708457590a0d7681561dd3aec2df6b", 250},
      {"holdout11.tsv", "1e4839391d692b46ffb43bafa035e971a5c2ea4cff9274d9e7cee93ed5353355", 250},
      {"holdout12.tsv", "d26081974351de4f8500bb1df84326024dc8a3333dade6d3023cc2ecddb25857", 250},
      {"holdout13.tsv", "1e2ce1ef131007035fa6a84fd02afebfeb487366ce80bec4dfac8af46066a5b0", 250},
  };
  for (const auto& h : holdouts) {
    EXPECT_EQ(aws::sha256_hex(read_all(questions_dir() / h.file)), h.sha256) << h.file;
    EXPECT_EQ(load(h.file).size(), h.questions) << h.file;
  }
}

// Words of a text as a set, for near-copy detection.
std::set<std::string> word_set(const std::string& text) {
  const auto w = analyst::words_of(text);
  return {w.begin(), w.end()};
}

double jaccard(const std::set<std::string>& a, const std::set<std::string>& b) {
  std::size_t both = 0;
  for (const auto& x : a) {
    both += b.count(x);
  }
  const std::size_t either = a.size() + b.size() - both;
  return either == 0 ? 0 : static_cast<double>(both) / either;
}

TEST(PlannerEval, NoIntentExampleCopiesAHoldoutQuestion) {
  auto held = load("holdout.tsv");
  for (const char* more : {"holdout2.tsv", "holdout3.tsv", "holdout4.tsv", "holdout5.tsv",
                           "holdout6.tsv", "holdout7.tsv", "holdout8.tsv", "holdout9.tsv",
                           "holdout10.tsv", "holdout11.tsv", "holdout12.tsv", "holdout13.tsv"}) {
    if (!fs::exists(questions_dir() / more)) {
      continue;
    }
    const auto extra = load(more);
    held.insert(held.end(), extra.begin(), extra.end());
  }
  for (const auto& q : held) {
    const auto words = word_set(q.text);
    for (const auto& row : analyst::intent_table()) {
      for (const auto& e : row.examples) {
        EXPECT_LT(jaccard(words, word_set(e)), 0.6) << q.text << " ~ " << e;
      }
    }
    for (const auto& gap : analyst::gaps()) {
      for (const auto& e : gap.examples) {
        EXPECT_LT(jaccard(words, word_set(e)), 0.6) << q.text << " ~ " << e;
      }
    }
  }
}

TEST(PlannerEval, HoldoutAccuracyIsAtLeastNinetyFivePercent) {
  const Score s = score(load("holdout.tsv"));
  report("holdout", s);
  EXPECT_GE(s.accuracy(), 0.95);
}

// The sets the classifier learns from (src/CMakeLists.txt embeds them): dev, every helper set and
// holdouts 2-6; never the holdout or holdouts 7-13.
const std::vector<std::string>& labelled_sets() {
  static const std::vector<std::string> sets = [] {
    std::vector<std::string> out;
    for (const auto& entry : fs::directory_iterator(questions_dir())) {
      const std::string name = entry.path().stem().string();
      if (entry.path().extension() == ".tsv" &&
          (name == "dev" || name.rfind("helper_", 0) == 0 ||
           (name.size() == 8 && name.rfind("holdout", 0) == 0 && name[7] >= '2' &&
            name[7] <= '6'))) {
        out.push_back(name);
      }
    }
    std::sort(out.begin(), out.end());
    return out;
  }();
  return sets;
}

// The blind sets: never learnt from, never tuned on (holdout 7 chose the classifier's weights).
const std::vector<std::string>& blind_sets() {
  static const std::vector<std::string> sets = {"holdout",   "holdout7",  "holdout8",  "holdout9",
                                                "holdout10", "holdout11", "holdout12", "holdout13"};
  return sets;
}

// The question with one typo: two letters of one word of five letters or more swapped, the
// word and the place chosen by the question's hash (nullopt when it has no such word).
std::optional<Question> with_typo(Question q) {
  std::vector<std::size_t> starts;  // where each long word starts
  for (std::size_t i = 0; i < q.text.size(); ++i) {
    std::size_t n = 0;
    while (i + n < q.text.size() && std::isalpha(static_cast<unsigned char>(q.text[i + n]))) {
      ++n;
    }
    if (n >= 5 && (i == 0 || !std::isalnum(static_cast<unsigned char>(q.text[i - 1])))) {
      starts.push_back(i);
    }
    i += n;
  }
  if (starts.empty()) {
    return std::nullopt;
  }
  const std::uint32_t h = fnv1a(q.text);
  const std::size_t at = starts[h % starts.size()] + 1 + (h / 7) % 3;
  std::swap(q.text[at], q.text[at + 1]);
  return q;
}

// The floors of the measured figures (docs/ANALYST.md, measured 2026-12-05).
constexpr double kCvAsBuilt = 0.935;      // 94.6% (8,375 of 8,851)
constexpr double kCvWithTypo = 0.905;     // 91.9% (8,032 of 8,742)
constexpr double kCvWithoutRules = 0.85;  // 86.6% (7,667 of 8,851); the ranker alone 60.8%
constexpr double kSeventhFloor = 0.95;    // 97.2% (243 of 250)
// Holdouts 8-13, each and together.
constexpr std::pair<const char*, double> kBlindFloors[] = {
    {"holdout8", 0.94},   // 95.6% (239 of 250)
    {"holdout9", 0.95},   // 99.2% (248 of 250)
    {"holdout10", 0.95},  // 97.2% (243 of 250)
    {"holdout11", 0.95},  // 97.6% (244 of 250)
    {"holdout12", 0.95},  // 96.0% (240 of 250)
    {"holdout13", 0.95},  // 98.0% (245 of 250)
};
constexpr double kBlindFloor = 0.96;  // 97.3% (1,459 of 1,500)

struct CrossValidation {
  Score all;        // every set, each scored with the classifier learnt without it
  Score with_typo;  // the same questions with one typo each
  std::vector<std::pair<std::string, Score>> sets;
};

// The classifier learnt again without the set and without every near-copy of its questions.
void train_without(const std::string& set, const std::vector<Question>& questions) {
  std::vector<std::string> texts;
  for (const auto& q : questions) {
    texts.push_back(q.text);
  }
  analyst::exclude_from_training(set, texts);
}

// How the signals are weighed for a measurement (weigh_for_evaluation).
struct Weighting {
  double rules = 1;
  double learnt = 1;
};

// Leave one set out: each labelled set is scored with the classifier learnt again without it,
// and without every labelled question of another set that is a near-copy of one of its
// questions (word Jaccard of 0.6 or more), under each weighting. What the planner learns from
// labelled questions is thereby measured on questions it did not learn from; the hand-written
// rules and examples were written with the earlier sets in view (not helper_m to helper_zb,
// written on 2026-12-05 by writers who never read the planner), so the figure still flatters
// those.
std::vector<CrossValidation> cross_validate(const std::vector<Weighting>& weightings) {
  std::vector<CrossValidation> out(weightings.size());
  for (const auto& name : labelled_sets()) {
    const auto questions = load(name + ".tsv");
    std::vector<Question> typos;
    for (const auto& q : questions) {
      if (auto t = with_typo(q)) {
        typos.push_back(*t);
      }
    }
    train_without(name, questions);
    for (std::size_t w = 0; w < weightings.size(); ++w) {
      analyst::weigh_for_evaluation(weightings[w].rules, weightings[w].learnt);
      const Score s = score(questions);
      const Score t = w == 0 ? score(typos) : Score{};  // with a typo: the planner as built
      out[w].all.right += s.right;
      out[w].all.total += s.total;
      out[w].with_typo.right += t.right;
      out[w].with_typo.total += t.total;
      out[w].sets.emplace_back(name, s);
    }
  }
  analyst::weigh_for_evaluation(1, 1);
  analyst::exclude_from_training("");
  return out;
}

// The estimate of accuracy on questions never seen (docs/ANALYST.md): leave-one-set-out
// cross-validation over every labelled set, for the planner as it runs, without the
// classifier, for its statistical part alone (the ranker and the classifier, without the
// rules) and for the ranker alone. Measured on 2026-12-05 (docs/ANALYST.md); the floors are
// those figures less a small margin.
TEST(PlannerEval, LeaveOneSetOutCrossValidation) {
  std::size_t labelled = 0;
  for (const auto& name : labelled_sets()) {
    labelled += load(name + ".tsv").size();
  }
  std::size_t examples = 0;
  for (const auto& row : analyst::intent_table()) {
    examples += row.examples.size();
  }
  // Every labelled set and every intent example is learnt from (an "unsure" question counts
  // too): the embedded corpus is the files as they are.
  EXPECT_EQ(analyst::labelled_questions(), labelled + examples);
  const auto cv = cross_validate({{1, 1}, {1, 0}, {0, 1}, {0, 0}});
  const char* names[] = {"as built", "without the classifier", "without the rules",
                         "the ranker alone"};
  std::cout << "leave one set out: as built | without the classifier | without the rules | the "
               "ranker alone\n";
  for (std::size_t i = 0; i < cv[0].sets.size(); ++i) {
    std::string line = fmt::format("cv {} ({}):", cv[0].sets[i].first, cv[0].sets[i].second.total);
    for (std::size_t w = 0; w < cv.size(); ++w) {
      const Score& s = cv[w].sets[i].second;
      line += fmt::format("{} {:.1f}% ({})", w == 0 ? "" : " |", 100 * s.accuracy(), s.right);
    }
    std::cout << line << "\n";
    for (const auto& m : cv[0].sets[i].second.misses) {
      std::cout << "  miss: " << m << "\n";
    }
  }
  for (std::size_t w = 0; w < cv.size(); ++w) {
    std::cout << fmt::format("cv every set, {}: {:.1f}% ({} of {})\n", names[w],
                             100 * cv[w].all.accuracy(), cv[w].all.right, cv[w].all.total);
  }
  EXPECT_GE(cv[0].all.accuracy(), kCvAsBuilt);
  std::cout << fmt::format("cv every set, as built, with a typo: {:.1f}% ({} of {})\n",
                           100 * cv[0].with_typo.accuracy(), cv[0].with_typo.right,
                           cv[0].with_typo.total);
  EXPECT_GE(cv[0].with_typo.accuracy(), kCvWithTypo);
  EXPECT_GE(cv[2].all.accuracy(), kCvWithoutRules);
  // What the classifier adds: to the planner (86.0% without it), and to the ranker alone.
  EXPECT_GE(cv[0].all.accuracy(), cv[1].all.accuracy() + 0.03);
  EXPECT_GE(cv[2].all.accuracy(), cv[3].all.accuracy() + 0.05);
}

// The planner stays in the low milliseconds with the classifier: every
// question of every set planned once more, timed one by one.
TEST(PlannerEval, PlanningStaysFast) {
  analyst::RulePlanner planner(real_data_domains());
  std::vector<double> ms;
  std::vector<std::string> names = labelled_sets();
  names.insert(names.end(), blind_sets().begin(), blind_sets().end());
  for (const auto& name : names) {
    for (const auto& q : load(name + ".tsv")) {
      const auto start = std::chrono::steady_clock::now();
      const analyst::Plan plan = planner.plan(q.text, nlohmann::json::object());
      ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() -
                                                             start)
                       .count());
      EXPECT_FALSE(plan.intents.empty());
    }
  }
  std::sort(ms.begin(), ms.end());
  const double p50 = ms[ms.size() / 2];
  const double p95 = ms[ms.size() * 95 / 100];
  std::cout << fmt::format("planning: {} questions, p50 {:.2f} ms, p95 {:.2f} ms, max {:.2f} ms\n",
                           ms.size(), p50, p95, ms.back());
  EXPECT_LT(p95, 20.0);  // about 1-2 ms on the shared 2-core machine
}

// Typo tolerance: every question of every set with one typo (two letters of one word of five
// letters or more swapped, the word and the place chosen by the question's hash) is routed as
// well as 95% of the time.
TEST(PlannerEval, QuestionsWithATypoAreStillRouted) {
  std::vector<Question> typos;
  for (const char* name :
       {"dev.tsv", "holdout.tsv", "holdout2.tsv", "holdout3.tsv", "helper_a.tsv", "helper_b.tsv",
        "helper_c.tsv", "helper_d.tsv", "helper_e.tsv", "helper_f.tsv", "helper_g.tsv",
        "helper_h.tsv", "helper_i.tsv", "helper_j.tsv", "helper_k.tsv", "helper_l.tsv"}) {
    for (const Question& q : load(name)) {
      if (auto t = with_typo(q)) {
        typos.push_back(*t);
      }
    }
  }
  const Score s = score(typos);
  report("with a typo", s);
  EXPECT_GE(s.accuracy(), 0.95);
}

// Other words for the same thing: every question of every set with its first word that has
// a common synonym replaced by one (chosen by the question's hash) is routed as well as 95%
// of the time.
TEST(PlannerEval, QuestionsInOtherWordsAreStillRouted) {
  static const std::vector<std::pair<std::string, std::vector<std::string>>> synonyms = {
      {"members", {"customers", "flyers", "passengers", "clients"}},
      {"customers", {"members", "flyers", "clients"}},
      {"cancel", {"quit", "leave", "drop out"}},
      {"leave", {"quit", "cancel", "walk away"}},
      {"churn", {"attrition", "cancellations", "defection"}},
      {"provinces", {"regions"}},
      {"province", {"region"}},
      {"valuable", {"profitable"}},
      {"Which", {"What"}}};
  std::vector<Question> reworded;
  for (const char* name :
       {"dev.tsv", "holdout.tsv", "holdout2.tsv", "holdout3.tsv", "helper_a.tsv", "helper_b.tsv",
        "helper_c.tsv", "helper_d.tsv", "helper_e.tsv", "helper_f.tsv", "helper_h.tsv",
        "helper_i.tsv", "helper_j.tsv", "helper_k.tsv", "helper_l.tsv"}) {
    for (Question q : load(name)) {
      for (const auto& [word, others] : synonyms) {
        const std::regex whole("\\b" + word + "\\b");
        if (std::regex_search(q.text, whole)) {
          const std::string other = others[fnv1a(q.text) % others.size()];
          q.text =
              std::regex_replace(q.text, whole, other, std::regex_constants::format_first_only);
          reworded.push_back(q);
          break;
        }
      }
    }
  }
  const Score s = score(reworded);
  report("in other words", s);
  EXPECT_GE(s.accuracy(), 0.95);
}

// Every labelled set as built (the classifier learnt from it, the rules written with most of
// them in view): what the planner learnt, it routes.
TEST(PlannerEval, EveryLabelledSetIsRoutedAsBuilt) {
  for (const auto& name : labelled_sets()) {
    const Score s = score(load(name + ".tsv"));
    report(name.c_str(), s);
    EXPECT_GE(s.accuracy(), 0.95) << name;
  }
}

// The blind sets of 2026-12-05 (README.md): written by writers who never read the planner, never
// learnt from, their misses never read. Holdout 7 was measured before the classifier (86.4%) and
// then chose the classifier's weights, so its figure is tuned. The others' first figures:
// holdout 8 80.8% before the classifier, 93.6% right after it, 94.4% at the first commit of
// the classifier (46eff7d); holdout 9 97.6% at that commit; holdouts 10 and 11 96.4% and 96.8%
// at that commit; holdouts 12 and 13 96.0% and 97.6% at 546019e. Their figures now are in
// kBlindFloors' comments.
TEST(PlannerEval, SeventhHoldoutAccuracy) {
  const Score s = score(load("holdout7.tsv"));
  report("holdout7", s);
  EXPECT_GE(s.accuracy(), kSeventhFloor);
}

TEST(PlannerEval, BlindHoldoutsAccuracy) {
  Score all;
  for (const auto& [name, floor] : kBlindFloors) {
    const Score s = score(load(std::string(name) + ".tsv"));
    // The figure alone: their misses stay unread, so that they stay blind.
    std::cout << fmt::format("{}: {:.1f}% ({} of {})\n", name, 100 * s.accuracy(), s.right,
                             s.total);
    EXPECT_GE(s.accuracy(), floor) << name;
    all.right += s.right;
    all.total += s.total;
  }
  std::cout << fmt::format("holdouts 8-13: {:.1f}% ({} of {})\n", 100 * all.accuracy(), all.right,
                           all.total);
  EXPECT_GE(all.accuracy(), kBlindFloor);
}

// Scores any question file given in AA_QUESTIONS (a path, in the same format), for measuring
// a new set once: build/<preset>/tests/analyst_test --gtest_also_run_disabled_tests
// --gtest_filter='*ScoreFile*'.
TEST(PlannerEval, DISABLED_ScoreFile) {
  const char* env = std::getenv("AA_QUESTIONS");
  ASSERT_NE(env, nullptr) << "set AA_QUESTIONS to a question file";
  const std::vector<Question> questions = parse_questions(read_all(env), env);
  report(env, score(questions));
}

}  // namespace
}  // namespace aa::test

namespace aa::test {
namespace {

// Prints the ranking of each question in AA_RANK_QUESTIONS (separated by '|'), for tuning on
// dev: build/<preset>/analyst_test --gtest_also_run_disabled_tests --gtest_filter='*Rank*'.
TEST(PlannerEval, DISABLED_RankQuestions) {
  const char* env = std::getenv("AA_RANK_QUESTIONS");
  analyst::RulePlanner planner(real_data_domains());
  std::istringstream all(env == nullptr ? "" : env);
  for (std::string q; std::getline(all, q, '|');) {
    const auto r = planner.recognise(q);
    std::cout << q << "\n";
    for (std::size_t i = 0; i < 4; ++i) {
      const auto& s = r.ranked[i];
      std::cout << fmt::format("  {:<13} {:.3f} (ranker {:.3f}, keywords {}, classifier {:.3f})\n",
                               s.intent, s.score, s.ranker, s.keyword_hits, s.learnt);
    }
    std::cout << fmt::format("  gap {:.3f}, unsure margin {:.3f}\n", r.gap_score,
                             r.unsure_margin.value_or(-99));
  }
}

}  // namespace
}  // namespace aa::test

namespace aa::test {
namespace {

// Prints, for each question of the files named in AA_DUMP_SETS (comma-separated, without
// .tsv), one JSON line: the set, the question, its acceptable operations and the recognition
// (every intent's score and parts), with the classifier learnt without the set (and the near-copies
// of its questions).
TEST(PlannerEval, DISABLED_DumpScores) {
  const char* env = std::getenv("AA_DUMP_SETS");
  ASSERT_NE(env, nullptr);
  analyst::RulePlanner planner(real_data_domains());
  std::istringstream all(env);
  for (std::string name; std::getline(all, name, ',');) {
    const fs::path path =
        name.find('/') == std::string::npos ? questions_dir() / (name + ".tsv") : fs::path(name);
    const auto questions = parse_questions(read_all(path), name);
    train_without(path.stem().string(), questions);
    for (const auto& q : questions) {
      const analyst::Plan plan = planner.plan(q.text, nlohmann::json::object());
      const auto r = planner.recognise(q.text);
      nlohmann::json line = {{"set", path.stem().string()},
                             {"q", q.text},
                             {"acceptable", q.acceptable},
                             {"understood", plan.understood},
                             {"intent", plan.intents.front()},
                             {"right", routed_right(plan, q)},
                             {"threshold", r.threshold},
                             {"gap", r.gap ? r.gap_score : -1.0},
                             {"unsure_margin", r.unsure_margin.value_or(-99)}};
      for (const auto& s : r.ranked) {
        line["scores"][s.intent] = {s.score, s.learnt, s.ranker};
      }
      std::cout << "DUMP " << line.dump() << "\n";
    }
  }
  analyst::exclude_from_training("");
}

}  // namespace
}  // namespace aa::test
