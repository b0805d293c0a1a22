#pragma once
// The drafts: one function per intent that writes an answer from the computed results. The
// answer's first sentence answers the question as asked (yes or no to a yes/no question, the
// members to "which customers", the two sides to "compare X and Y", the amount to "how much"),
// with its key figure; every figure goes through the Writer, so it is a registered fact.

#include <string>
#include <vector>

#include "analyst/slots.h"
#include "analyst/writer.h"

namespace aa::analyst {

struct Draft {
  std::string answer;
  std::vector<std::string> evidence;
  std::string recommendation;
  bool verbatim = false;  // `answer` is the whole text (an LLM's, checked)
  // Plain markdown: bold headings, bullets; no HTML, images or links.
  std::string markdown() const;
};

// The question as a draft sees it: its text, its lower-case words and its slots.
struct Ask {
  std::string question;
  std::vector<std::string> words;
  Slots slots;
  // Whether the question says the phrase (forms and typos tolerated, as the rules read it).
  bool says(const std::string& phrase) const;
  bool says_any(std::initializer_list<const char*> phrases) const;
};

using DraftFn = Draft (*)(Writer&, const Ask&);

// "Yes: <text>" or "No: <text>" when the question is a yes/no question; `text` with a capital
// first letter otherwise.
std::string verdict(const Ask& ask, bool yes, const std::string& text);
std::string capitalised(std::string text);

// Portfolio drafts (drafts_portfolio.cc).
Draft draft_overview(Writer& w, const Ask& ask);
Draft draft_priority(Writer& w, const Ask& ask);
Draft draft_impact(Writer& w, const Ask& ask);
Draft draft_budget(Writer& w, const Ask& ask);
// Groups (drafts_groups.cc, drafts_bands.cc).
Draft draft_geography(Writer& w, const Ask& ask);
Draft draft_segments(Writer& w, const Ask& ask);
Draft draft_comparison(Writer& w, const Ask& ask);
Draft draft_cards(Writer& w, const Ask& ask);
Draft draft_gender(Writer& w, const Ask& ask);
Draft draft_tenure(Writer& w, const Ask& ask);
Draft draft_clv_bands(Writer& w, const Ask& ask);
// Members (drafts_members.cc).
Draft draft_rewards(Writer& w, const Ask& ask);
Draft draft_individuals(Writer& w, const Ask& ask);
Draft draft_member(Writer& w, const Ask& ask);
Draft draft_search(Writer& w, const Ask& ask);
// Reports and time (drafts_reports.cc, drafts_drivers.cc).
Draft draft_drivers(Writer& w, const Ask& ask);
Draft draft_model(Writer& w, const Ask& ask);
Draft draft_data_quality(Writer& w, const Ask& ask);
Draft draft_survival(Writer& w, const Ask& ask);
Draft draft_cohorts(Writer& w, const Ask& ask);

// Shared lines (drafts_common.cc).
// "Across the portfolio ..." or "The slice has ... against ...", from the two KPI operations.
std::string slice_vs_portfolio(Writer& w);

}  // namespace aa::analyst
