#pragma once
// The slots of a question: what it names (segments, provinces, cards, genders, CLV tiers,
// tenure groups, a member), its numbers (top N, budget, cost per contact, save rate), its time
// words, whom it asks about (members or groups), and its shape (yes/no, how much, which way a
// comparison points). SlotFiller reads them; the planner turns them into parameters and
// filters, the narrator into the answer's first sentence, and follow-ups carry them over.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "ops/filters.h"

namespace aa::analyst {

inline constexpr const char* kNewer = "newer";                 // tenure of 12 months or less
inline constexpr const char* kLongStanding = "long-standing";  // tenure of 37 months or more
inline constexpr int kNewerMaxMonths = 12;
inline constexpr int kLongStandingMinMonths = 37;

struct Slots {
  // Names from the question, in order of first mention, spelled as in the data.
  std::vector<std::string> segments;
  std::vector<std::string> provinces;
  std::vector<std::string> cards;
  std::vector<std::string> genders;
  std::vector<std::string> clv_tiers;      // "High", "Medium", "Low"
  std::vector<std::string> tenure_groups;  // kNewer, kLongStanding
  std::vector<int> years;                  // enrollment years named ("the 2016 joiners")
  bool compare = false;                    // "X vs Y", "compare X and Y", "X or Y", "than"
  std::optional<int> top_n;
  std::optional<double> budget_cad;
  std::optional<double> cost_per_contact_cad;
  std::optional<double> save_rate;
  std::optional<std::int64_t> loyalty_number;
  std::string horizon;                   // the time words as written: "this week", "next quarter"
  std::optional<double> horizon_months;  // what they span
  std::string audience;                  // "members" (who, which customers), "groups", or ""
  bool yes_no = false;                   // "Are ...?", "Do ...?", "Is there ...?"
  bool how_much = false;                 // "how much", "how many"
  bool about_leaving = false;            // it speaks of leaving: churn, cancel, quit, at risk...
  int direction = 0;  // +1: the claim is "more churn" (worse), -1: "less churn", 0: none

  nlohmann::json to_json() const;
  static Slots from_json(const nlohmann::json& j);
  // Whether the question named anything a follow-up could change.
  bool names_something() const;
};

class SlotFiller {
 public:
  explicit SlotFiller(ops::Domains domains) : domains_(std::move(domains)) {}
  Slots fill(const std::string& question) const;

 private:
  ops::Domains domains_;
};

// Money amounts, percentages and counts read from question text.
std::optional<double> budget_in(const std::string& question);
std::optional<double> cost_per_contact_in(const std::string& question);
std::optional<double> percent_in(const std::string& question);
std::optional<int> top_n_in(const std::vector<std::string>& words);

}  // namespace aa::analyst
