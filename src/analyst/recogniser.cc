#include "analyst/recogniser.h"

#include <algorithm>
#include <cctype>
#include <set>

#include "analyst/cues.h"
#include "analyst/intents.h"
#include "analyst/lexicon.h"
#include "analyst/ranker.h"
#include "analyst/text.h"

namespace aa::analyst {

namespace {

constexpr double kKeywordWeight = 0.2;  // per keyword found, up to kKeywordCap of them
constexpr int kKeywordCap = 2;
constexpr double kSlotWeight = 0.3;  // what the slots say

struct Index {
  Lexicon lexicon;
  Ranker ranker;
};

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
    return Index{std::move(lexicon), std::move(ranker)};
  }();
  return built;
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
          "inaction",   "why",      "differ",     "compare",     "versus",   "vs"}) {
      for (const auto& t : lexicon.terms(w)) {
        out.insert(t);
      }
    }
    return out;
  }();
  return terms;
}

}  // namespace

bool Recognition::understood() const {
  return !ranked.empty() && ranked.front().score >= threshold &&
         (!gap || gap_score < ranked.front().score);
}

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
  const std::vector<std::string> terms = ix.lexicon.query_terms(ranking_text(question, slots));
  const std::vector<double> ranker = ix.ranker.scores(terms);
  // One word is thin evidence for keywords too ("thanks" is not a request for rewards).
  const double evidence = terms.size() <= 1 ? 0.5 : 1.0;
  Recognition out;
  const auto& rows = intent_table();
  for (std::size_t i = 0; i < rows.size(); ++i) {
    IntentScore s{rows[i].name, 0, ranker[i], keyword_hits(rows[i].keywords, mapped)};
    s.score = s.ranker + evidence * kKeywordWeight * s.keyword_hits +
              kSlotWeight * rule_signal(rows[i].name, slots, words, mapped);
    out.ranked.push_back(s);
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
    out.gap_score = std::max(out.gap_score, top.score + 0.01);
  }
  return out;
}

}  // namespace aa::analyst
