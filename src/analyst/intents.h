#pragma once
// The analyst's intent table: one row per kind of question it answers. A row holds the name,
// a description, example questions in varied voices, keywords and synonyms, the slots it
// reads, the operations it runs (lead first) and the draft that narrates it. The planner (its
// rules and its ranker), the narrator, the LLM planner's tool, `ask --help` and
// docs/ANALYST.md's intent list all derive from this table.

#include <string>
#include <utility>
#include <vector>

#include "analyst/drafts.h"

namespace aa::analyst {

struct IntentRow {
  std::string name;
  std::string description;  // what it answers, as a phrase ("where to focus retention first")
  std::vector<std::string> examples;
  std::vector<std::string> keywords;  // words or phrases; any of them is the rules' signal
  std::vector<std::pair<std::string, std::string>> synonyms;  // word -> the word it stands for
  std::vector<std::string> slots;  // the slots its operations read (see slot_names())
  std::vector<std::string> ops;    // the operations it runs, lead first
  DraftFn draft = nullptr;
};

// A kind of question no operation answers yet, recognised so that the analyst can say why.
struct Gap {
  std::string name;
  std::vector<std::string> examples;
  std::vector<std::string> keywords;  // one of them must be in the question
  std::string reason;                 // why it cannot be answered, in a sentence
  double keyword_weight = 0.2;        // what each keyword found adds (as a row's keywords do)
  // One of its keywords said decides it, whatever an intent scores ("the phone number of
  // member 992168": a member named, a detail the data does not hold).
  bool decisive = false;
};

const std::vector<IntentRow>& intent_table();
const std::vector<Gap>& gaps();
// The row called `name`; AppError(InvalidInput) naming the valid intents otherwise.
const IntentRow& find_intent(const std::string& name);
std::vector<std::string> intent_names();
// The slots a row may list: segments, provinces, cards, genders, clv_tiers, segment_pair,
// top_n, budget, loyalty_number, tenure_groups, years, horizon.
const std::vector<std::string>& slot_names();
// Synonyms that hold across intents (quit, leave, cancel -> churn), then every row's own.
std::vector<std::pair<std::string, std::string>> all_synonyms();
// "where to focus retention first, which provinces carry the most risk, ... and whether the
// data loaded cleanly": every description, as one sentence part.
std::string intents_sentence();
// The intent whose lead operation the plan runs first (for plans an LLM made without one).
std::string intent_of_operations(const std::vector<std::string>& ops);
// docs/ANALYST.md's intent list and `ask --help`'s, from the table.
std::string intents_markdown();
std::string intents_help();

}  // namespace aa::analyst
