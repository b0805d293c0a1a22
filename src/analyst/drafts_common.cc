// What every draft shares: the question's words, yes/no verdicts, the slice against the
// portfolio, and the markdown of a draft.

#include <fmt/format.h>

#include <cctype>

#include "analyst/drafts.h"
#include "analyst/text.h"

namespace aa::analyst {

bool Ask::says(const std::string& phrase) const { return has_phrase(words, phrase); }

bool Ask::says_any(std::initializer_list<const char*> phrases) const {
  for (const char* p : phrases) {
    if (says(p)) {
      return true;
    }
  }
  return false;
}

std::string capitalised(std::string text) {
  if (!text.empty()) {
    text[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(text[0])));
  }
  return text;
}

std::string verdict(const Ask& ask, bool yes, const std::string& text) {
  if (!ask.slots.yes_no) {
    return capitalised(text);
  }
  return (yes ? "Yes: " : "No: ") + text;
}

std::string slice_vs_portfolio(Writer& w) {
  if (!w.has("kpis_slice") || !w.has("kpis_baseline")) {
    return "";
  }
  if (w.number("kpis_slice", "/customers") == w.number("kpis_baseline", "/customers")) {
    return fmt::format(
        "Across the portfolio: {} members, an average CLV of {} and a cancellation rate of {}.",
        w.count("kpis_baseline", "/customers", "members in the portfolio"),
        w.cad("kpis_baseline", "/avg_clv", "average CLV in the portfolio"),
        w.pct("kpis_baseline", "/cancelled_rate", "cancellation rate in the portfolio"));
  }
  return fmt::format(
      "The slice has {} members with an average CLV of {} and a cancellation rate of {}, against "
      "{}, {} and {} across the whole portfolio.",
      w.count("kpis_slice", "/customers", "members in the slice"),
      w.cad("kpis_slice", "/avg_clv", "average CLV in the slice"),
      w.pct("kpis_slice", "/cancelled_rate", "cancellation rate in the slice"),
      w.count("kpis_baseline", "/customers", "members in the portfolio"),
      w.cad("kpis_baseline", "/avg_clv", "average CLV in the portfolio"),
      w.pct("kpis_baseline", "/cancelled_rate", "cancellation rate in the portfolio"));
}

std::string Draft::markdown() const {
  if (verbatim) {
    return answer.back() == '\n' ? answer : answer + "\n";
  }
  std::string out = "**Answer.** " + answer + "\n";
  if (!evidence.empty()) {
    out += "\n**Evidence.**\n";
    for (const auto& e : evidence) {
      out += "- " + e + "\n";
    }
  }
  if (!recommendation.empty()) {
    out += "\n**Recommendation.** " + recommendation + "\n";
  }
  return out;
}

}  // namespace aa::analyst
