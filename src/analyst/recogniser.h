#pragma once
// Which intent a question is: two signals added up. The rules: keywords of each row found in
// the question (forms and typos tolerated), and what the slots say (two segments and "vs" is a
// segment comparison, a loyalty number a member's profile, a budget a retention plan, "which
// kinds of members" groups rather than individuals). The ranker: the question against every
// row's examples, description and keywords. The classifier (analyst/classifier.h): what the
// labelled question sets teach, which orders the intents and may say that no operation answers
// the question. Below a confidence threshold the question is not understood; a question nearest
// to a known gap (changes over time) is not either, nor one the classifier places among those
// no operation answers.

#include <optional>
#include <string>
#include <vector>

#include "analyst/slots.h"

namespace aa::analyst {

// Below this score no intent is understood. A question that speaks of the analyst's subject
// (churn, members, value, segments, the model, the data...) needs less: it is about something
// the analyst answers, and its nearest intent is a better answer than none. One that does not
// needs the full threshold, and chit-chat ("thanks", "hello") is never understood.
inline constexpr double kConfidenceThreshold = 0.25;
inline constexpr double kDomainThreshold = 0.13;

struct IntentScore {
  std::string intent;
  double score = 0;   // rules + ranker + classifier
  double ranker = 0;  // the ranker's part
  int keyword_hits = 0;
  double learnt = 0;  // the classifier's part (it orders intents, never admits one)
  // What the rules and the ranker say, without the classifier.
  double own() const { return score - learnt; }
};

struct Recognition {
  std::vector<IntentScore> ranked;  // every intent, best first
  std::optional<std::size_t> gap;   // the gap (index into gaps()) the question is nearest to
  bool gap_decisive = false;        // a decisive gap's keyword was said: never understood
  double gap_score = 0;
  bool in_domain = false;                   // it holds a word of the analyst's subject
  double threshold = kConfidenceThreshold;  // the score it needs to be understood
  // The classifier's "unsure" score less its best intent's: above kUnsureMargin, the labelled
  // questions say no operation answers it. None when the classifier has no opinion (weighed
  // out for evaluation, or no "unsure" question learnt from).
  std::optional<double> unsure_margin;
  bool understood() const;
  // The rules' and ranker's score of the intent they back most (0 at least): whether the
  // question is about something the analyst answers at all, the classifier aside.
  double own_best() const;
  const IntentScore& best() const { return ranked.front(); }
};

// The classifier's "unsure" score must exceed its best intent's by this much to say that no
// operation answers the question.
inline constexpr double kUnsureMargin = 0.0;

// Cross-validation (tests/analyst/planner_eval_test.cc): the classifier is learnt again without
// the labelled questions of `set` ("dev", "helper_a"; "" for none) and without every labelled
// question that is a near-copy (word Jaccard of 0.6 or more) of one of `questions`. Not for
// concurrent use with planning.
void exclude_from_training(const std::string& set, const std::vector<std::string>& questions = {});
// Evaluation: from then on the rules' (keywords' and slots') signal and the classifier's are
// multiplied by these (1 and 1 as built; rules 0 measures the statistical part alone,
// learnt 0 the planner without the classifier). Not for concurrent use with planning.
void weigh_for_evaluation(double rules, double learnt);
// How many labelled questions the classifier learns from (as built).
std::size_t labelled_questions();

class Recogniser {
 public:
  // The lexicon and ranker are built once from the intent table and shared.
  Recogniser();
  Recognition recognise(const std::string& question, const Slots& slots) const;
};

}  // namespace aa::analyst
