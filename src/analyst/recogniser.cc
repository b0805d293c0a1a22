#include "analyst/recogniser.h"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <memory>
#include <mutex>
#include <set>
#include <sstream>

#include "analyst/classifier.h"
#include "analyst/cues.h"
#include "analyst/intents.h"
#include "analyst/lexicon.h"
#include "analyst/question_shape.h"
#include "analyst/ranker.h"
#include "analyst/text.h"

namespace aa::analyst {

namespace {

constexpr double kKeywordWeight = 0.2;  // per keyword found, up to kKeywordCap of them
constexpr int kKeywordCap = 2;
constexpr double kSlotWeight = 0.3;  // what the slots say
// The question's shape (question_shape.h): when it is clear, the intent it maps to gains this
// much (the rules' part).
constexpr double kShapeWeight = 0.7;
constexpr double kShapeAgainst = 0.3;  // and an intent it rules out loses this much
// The classifier's decision value (about -1 to 1 per intent) weighs this much
// (docs/ANALYST.md, "Which intent": chosen on the leave-one-set-out estimate and holdout 7).
constexpr double kLearntWeight = 1.5;
// A known gap ("what changed since last month" said in its own words) stands against the
// intents only while the classifier does not place the question firmly in one: its "unsure"
// score within this much of its best intent's.
constexpr double kFirmlyPlaced = -0.7;
// How much surer the classifier must be that no operation answers a question naming a member's
// number (on the labelled sets: 3 of 255 lookups refused, 11 of 20 requests it cannot serve).
constexpr double kNamedMemberAllowance = 0.5;

// The labelled questions (src/CMakeLists.txt embeds them).
constexpr const char* kCorpus =
#include "analyst_corpus.inc"
    ;

struct Index {
  Lexicon lexicon;
  Ranker ranker;
  std::vector<Classifier::Example> labelled;
};

// Each intent's examples (set "intent_table"), then each labelled question with the intents
// whose operations its label accepts ("unsure" is the label after the last intent).
std::vector<Classifier::Example> corpus_entries() {
  const auto& rows = intent_table();
  std::vector<Classifier::Example> out;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    for (const auto& e : rows[i].examples) {
      out.push_back({"intent_table", {static_cast<int>(i)}, e});
    }
  }
  std::istringstream lines(kCorpus);
  std::string set;
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("@set ", 0) == 0) {
      set = line.substr(5);
      continue;
    }
    const auto tab1 = line.find('\t');
    const auto tab2 = tab1 == std::string::npos ? tab1 : line.find('\t', tab1 + 1);
    if (line.empty() || line[0] == '#' || tab2 == std::string::npos) {
      continue;
    }
    std::set<std::string> acceptable;
    std::istringstream ops(line.substr(tab1 + 1, tab2 - tab1 - 1));
    for (std::string op; std::getline(ops, op, ',');) {
      acceptable.insert(op);
    }
    Classifier::Example e{set, {}, {}};
    for (std::size_t i = 0; i < rows.size(); ++i) {
      if (std::any_of(rows[i].ops.begin(), rows[i].ops.end(),
                      [&](const std::string& op) { return acceptable.count(op) > 0; })) {
        e.labels.push_back(static_cast<int>(i));
      }
    }
    if (acceptable.count("unsure")) {
      e.labels.push_back(static_cast<int>(rows.size()));
    }
    if (e.labels.empty()) {
      continue;
    }
    e.text = line.substr(tab2 + 1);
    out.push_back(std::move(e));
  }
  return out;
}

std::atomic<double> rules_weight{1.0};  // evaluation: 0 weighs the statistical part alone
std::atomic<double> learnt_share{1.0};  // evaluation: 0 leaves the classifier out

std::set<std::string> word_set(const std::string& text) {
  const auto w = words_of(text);
  return {w.begin(), w.end()};
}

// Word Jaccard of 0.6 or more: a near-copy (the measure of PlannerEval's near-copy test).
bool near_copy(const std::set<std::string>& a, const std::set<std::string>& b) {
  std::size_t both = 0;
  for (const auto& x : a) {
    both += b.count(x);
  }
  const std::size_t either = a.size() + b.size() - both;
  return either > 0 && static_cast<double>(both) / static_cast<double>(either) >= 0.6;
}

// Every intent's texts, then every gap's, as terms.
std::vector<std::vector<std::vector<std::string>>> texts_of(const Lexicon& lexicon) {
  std::vector<std::vector<std::vector<std::string>>> out;
  for (const auto& row : intent_table()) {
    std::vector<std::vector<std::string>> texts;
    for (const auto& e : row.examples) {
      texts.push_back(lexicon.terms(e));
    }
    texts.push_back(lexicon.terms(row.description));
    std::string keywords;
    for (const auto& k : row.keywords) {
      keywords += k + " ";
    }
    texts.push_back(lexicon.terms(keywords));
    out.push_back(std::move(texts));
  }
  for (const auto& gap : gaps()) {
    std::vector<std::vector<std::string>> texts;
    for (const auto& e : gap.examples) {
      texts.push_back(lexicon.terms(e));
    }
    out.push_back(std::move(texts));
  }
  return out;
}

Lexicon build_lexicon() {
  Lexicon lexicon(all_synonyms());
  for (const auto& row : intent_table()) {
    for (const auto& e : row.examples) {
      lexicon.learn(e);
    }
    lexicon.learn(row.description);
    for (const auto& k : row.keywords) {
      lexicon.learn(k);
    }
  }
  for (const auto& gap : gaps()) {
    for (const auto& e : gap.examples) {
      lexicon.learn(e);
    }
    for (const auto& k : gap.keywords) {
      lexicon.learn(k);
    }
  }
  return lexicon;
}

const Index& index() {
  static const Index built = [] {
    Lexicon lexicon = build_lexicon();
    Ranker ranker(texts_of(lexicon));
    return Index{std::move(lexicon), std::move(ranker), corpus_entries()};
  }();
  return built;
}

// The classifier as built (learnt from every labelled question), or as cross-validation last
// learnt it again.
std::mutex classifier_mutex;
std::shared_ptr<const Classifier>& classifier_slot() {
  static std::shared_ptr<const Classifier> slot;
  return slot;
}

std::shared_ptr<const Classifier> classifier() {
  std::lock_guard<std::mutex> lock(classifier_mutex);
  auto& slot = classifier_slot();
  if (!slot) {
    slot = std::make_shared<const Classifier>(index().labelled, intent_table().size() + 1);
  }
  return slot;
}

// The question without the names and numbers the slots hold: they say which slice, not which
// kind of question.
std::string ranking_text(const std::string& question, const Slots& slots) {
  std::set<std::string> drop;
  for (const auto* names : {&slots.provinces, &slots.segments, &slots.cards}) {
    for (const auto& n : *names) {
      for (const auto& w : words_of(n)) {
        drop.insert(w);
      }
    }
  }
  std::string out;
  for (const auto& w : words_of(question)) {
    const bool number = std::all_of(w.begin(), w.end(), [](char c) { return std::isdigit(c); });
    if (!number && !drop.count(w)) {
      out += w + " ";
    }
  }
  return out;
}

// Whether the words hold the keyword phrase, each word as written, a longer form, a typo away
// (word_matches) or with the same stem ("signal" and "signals").
bool says(const std::vector<std::string>& words, const std::string& keyword) {
  const std::vector<std::string> k = words_of(keyword);
  for (std::size_t i = 0; !k.empty() && i + k.size() <= words.size(); ++i) {
    bool all = true;
    for (std::size_t j = 0; j < k.size() && all; ++j) {
      all = word_matches(words[i + j], k[j]) || stem(words[i + j]) == stem(k[j]);
    }
    if (all) {
      return true;
    }
  }
  return false;
}

// Keywords are matched on the words with synonym phrases mapped: "highest-impact" read as
// priority is not the impact intent's "impact".
int keyword_hits(const std::vector<std::string>& keywords, const std::vector<std::string>& mapped) {
  int hits = 0;
  for (const auto& k : keywords) {
    hits += says(mapped, k) ? 1 : 0;
  }
  return std::min(hits, kKeywordCap);
}

// A gap is said in its own words, exactly: "how does churn change with tenure" is not a
// question about changes since last month.
int exact_hits(const std::vector<std::string>& keywords, const std::vector<std::string>& words) {
  int hits = 0;
  for (const auto& k : keywords) {
    const std::vector<std::string> phrase = words_of(k);
    hits += std::search(words.begin(), words.end(), phrase.begin(), phrase.end()) != words.end()
                ? 1
                : 0;
  }
  return std::min(hits, kKeywordCap);
}

// Words of the analyst's subject, as the lexicon's terms (so their synonyms count too).
const std::set<std::string>& domain_terms(const Lexicon& lexicon) {
  static const std::set<std::string> terms = [&] {
    std::set<std::string> out;
    for (const char* w :
         {"churn",      "member",   "retention",  "retain",      "risk",     "value",    "clv",
          "segment",    "province", "card",       "tier",        "tenure",   "cohort",   "model",
          "prediction", "score",    "quarantine", "ingest",      "budget",   "campaign", "reward",
          "vip",        "survival", "gender",     "loyalty",     "priority", "focus",    "driver",
          "reason",     "phone",    "dollars",    "cost",        "impact",   "loss",     "accurate",
          "auc",        "rfm",      "enrollment", "joiners",     "stay",     "outreach", "roi",
          "save",       "rows",     "records",    "calibration", "spend",    "spenders", "valuable",
          "inaction",   "why",      "differ",     "compare",     "versus",   "vs",
          "monitor",    "alerts",   "matured",    "scorings"}) {
      for (const auto& t : lexicon.terms(w)) {
        out.insert(t);
      }
    }
    return out;
  }();
  return terms;
}

}  // namespace

void exclude_from_training(const std::string& set, const std::vector<std::string>& questions) {
  const auto& entries = index().labelled;
  std::vector<std::set<std::string>> held;
  for (const auto& q : questions) {
    held.push_back(word_set(q));
  }
  std::vector<char> skip;
  if (!set.empty() || !questions.empty()) {
    skip.assign(entries.size(), 0);
    for (std::size_t e = 0; e < entries.size(); ++e) {
      const auto words = word_set(entries[e].text);
      skip[e] = entries[e].set == set ||
                std::any_of(held.begin(), held.end(),
                            [&](const std::set<std::string>& h) { return near_copy(words, h); });
    }
  }
  auto learnt = std::make_shared<const Classifier>(entries, intent_table().size() + 1, skip);
  std::lock_guard<std::mutex> lock(classifier_mutex);
  classifier_slot() = std::move(learnt);
}

void weigh_for_evaluation(double rules, double learnt) {
  rules_weight = rules;
  learnt_share = learnt;
}

std::size_t labelled_questions() { return index().labelled.size(); }

bool Recognition::understood() const {
  // The classifier orders the intents but never admits a question the rules and the ranker
  // do not ("Who won the hockey game?" is near "Who is likely to leave?" in form only); it may
  // say that no operation answers one they admit.
  if (ranked.empty() || (unsure_margin && *unsure_margin > kUnsureMargin)) {
    return false;
  }
  // The classifier then says which intent.
  const double own = own_best();
  return own >= threshold &&
         (!gap || (!gap_decisive &&
                   (gap_score < own || (unsure_margin && *unsure_margin < kFirmlyPlaced))));
}

double Recognition::own_best() const {
  double own = 0;
  for (const auto& s : ranked) {
    own = std::max(own, s.own());
  }
  return own;
}

// The lexicon and the ranker now; the classifier when the first question comes.
Recogniser::Recogniser() { index(); }

Recognition Recogniser::recognise(const std::string& question, const Slots& slots) const {
  const Index& ix = index();
  // The rules read the words as the ranker does, typos corrected ("cancellaations"), and then
  // the words as written where the corrector changed them ("predictive" is not a typo).
  const std::vector<std::string> written = words_of(question);
  std::vector<std::string> words;
  for (const auto& w : written) {
    words.push_back(ix.lexicon.corrected(w));
  }
  for (std::size_t i = 0; i < written.size(); ++i) {
    if (written[i] != words[i]) {
      words.push_back(written[i]);
    }
  }
  if (question.find('$') != std::string::npos) {
    words.push_back("dollars");  // "$ lost to cancellations"
  }
  const std::vector<std::string> mapped = ix.lexicon.phrases_mapped(words);
  const std::string question_text = ranking_text(question, slots);
  const std::vector<std::string> terms = ix.lexicon.query_terms(question_text);
  const std::vector<double> ranker = ix.ranker.scores(terms);
  const std::shared_ptr<const Classifier> learnt = classifier();
  const std::vector<double> decision = learnt->scores(question);
  // One word is thin evidence for keywords too ("thanks" is not a request for rewards).
  const double evidence = terms.size() <= 1 ? 0.5 : 1.0;
  Recognition out;
  const auto& rows = intent_table();
  const std::vector<std::string> in_order(words.begin(),
                                          words.begin() + static_cast<long>(written.size()));
  const QuestionShape shape = shape_of(slots, in_order, written);
  const std::string by_shape = shape_intent(shape, slots);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    IntentScore s{rows[i].name, 0, ranker[i], keyword_hits(rows[i].keywords, mapped)};
    const double rules = evidence * kKeywordWeight * s.keyword_hits +
                         kSlotWeight * rule_signal(rows[i].name, slots, words, mapped) +
                         (rows[i].name == by_shape ? kShapeWeight : 0) -
                         (shape_contradicts(shape, by_shape, rows[i].name) ? kShapeAgainst : 0);
    // A member's profile needs their number: without one the classifier cannot lift it.
    const bool runnable = rows[i].name != "member" || slots.loyalty_number;
    s.learnt = learnt->covers(static_cast<int>(i)) && runnable
                   ? learnt_share * kLearntWeight * decision[i]
                   : 0;
    s.score = s.ranker + rules_weight * rules + s.learnt;
    out.ranked.push_back(s);
  }
  // A member named by number is most likely someone to look up: the classifier must be surer
  // that no operation answers it ("schedule a callback for 291847", "refund the fee for 587160").
  if (learnt_share > 0 && learnt->covers(static_cast<int>(rows.size()))) {
    out.unsure_margin = decision[rows.size()] -
                        *std::max_element(decision.begin(), decision.end() - 1) -
                        (slots.loyalty_number ? kNamedMemberAllowance : 0);
  }
  const auto& domain = domain_terms(ix.lexicon);
  const std::vector<std::string> all_terms = ix.lexicon.query_terms(question);
  out.in_domain = slots.names_something() ||
                  std::any_of(all_terms.begin(), all_terms.end(),
                              [&](const std::string& t) { return domain.count(t) > 0; });
  const std::vector<std::string> as_corrected(words.begin(),
                                              words.begin() + static_cast<long>(written.size()));
  out.threshold = chit_chat(as_corrected) || command(as_corrected) ? 1e9
                  : out.in_domain                                  ? kDomainThreshold
                                                                   : kConfidenceThreshold;
  std::stable_sort(out.ranked.begin(), out.ranked.end(),
                   [](const IntentScore& a, const IntentScore& b) { return a.score > b.score; });
  for (std::size_t g = 0; g < gaps().size(); ++g) {
    const int hits = exact_hits(gaps()[g].keywords, words);
    if (hits == 0) {
      continue;  // a gap is said in its own words, or not at all
    }
    const double score = ranker[rows.size() + g] + evidence * gaps()[g].keyword_weight * hits;
    if (gaps()[g].decisive) {
      out.gap = g;
      out.gap_score = std::max(score, out.gap_score);
      out.gap_decisive = true;
      break;
    }
    if (score > out.gap_score) {
      out.gap = g;
      out.gap_score = score;
    }
  }
  // A name alone ("What's the capital of Alberta?") is no question about it: when only the
  // slots speak for the best intent (no words of its own) and the question says a gap in its
  // own words, the gap is the answer.
  const IntentScore& top = out.ranked.front();
  if (out.gap && top.ranker < 0.05 && top.keyword_hits == 0) {
    out.gap_score = std::max(out.gap_score, out.own_best() + 0.01);
  }
  return out;
}

}  // namespace aa::analyst
