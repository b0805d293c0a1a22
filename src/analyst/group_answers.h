#pragma once
// Answers over the rows of a grouped operation (provinces, segments, cards, genders): the top
// group, one named group against the portfolio, or two named groups against each other, with
// yes or no to a yes/no question. Shared by the drafts of those intents.

#include <string>

#include "analyst/drafts.h"

namespace aa::analyst {

// Two cancellation rates "differ" when they are at least this far apart (2 percentage points).
inline constexpr double kMaterialGap = 0.02;

// Which rows and key a grouped answer reads, and how it names them.
struct GroupTable {
  std::string op;    // e.g. value_at_risk_by_province
  std::string key;   // e.g. province
  std::string what;  // "province"
  NameKind kind;     // DataName for provinces, cards, genders; Label for segments
};

// The group with the most value at risk (rows sorted by total_value_at_risk).
Draft top_by_value_at_risk(Writer& w, const Ask& ask, const GroupTable& t);
// The group with the highest average churn score (summary rows, sorted by it).
Draft top_by_churn_score(Writer& w, const Ask& ask, const GroupTable& t);
// "Ontario carries ... against the portfolio": one named group; nullopt when it has no row.
std::optional<Draft> one_group(Writer& w, const Ask& ask, const GroupTable& t,
                               const std::string& name);
// "Ontario cancels at ..., against ... for Quebec": two named groups; nullopt when either has
// no row.
std::optional<Draft> two_groups(Writer& w, const Ask& ask, const GroupTable& t,
                                const std::string& a, const std::string& b);
// The draft for a grouped intent: two named groups compared, one named against the portfolio,
// yes or no to whether the groups differ, or the ranking: by the chance of leaving when the
// question asks who is likely to leave (the summary's average churn probability), else by
// value at risk (`by_value`, when the intent runs it; its op may be empty) or by average churn
// score.
Draft grouped_answer(Writer& w, const Ask& ask, const GroupTable& by_value,
                     const GroupTable& summary, const std::vector<std::string>& named);

}  // namespace aa::analyst
