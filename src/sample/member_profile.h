#pragma once
// A synthetic member's fixed attributes (where they live, card, CLV, enrollment, how much they
// fly) drawn with the real data's distributions, and the loyalty file's row for them. What
// happens to the member month by month is the scenario's (member_history.h).

#include <cstdint>
#include <optional>

#include "sample/csv_out.h"
#include "sample/sample_rng.h"

namespace aa::sample {

// The data window ends in 2018-12, as the real data's. It starts in 2017-01 as the real data's
// (reference-like, tenure-cliff), or a year earlier (the behaviour scenarios, so that the
// behaviour driving cancellations is in view from the first test cutoff's training on).
inline constexpr int kWindowFirst = 2017 * 12;  // month index (year * 12 + month - 1)
inline constexpr int kWindowLast = 2018 * 12 + 11;
inline constexpr int kEarliestWindowFirst = 2016 * 12;
inline constexpr int kMaxWindowMonths = kWindowLast - kEarliestWindowFirst + 1;

// Loyalty card tiers, lowest first (the real data's order of CLV).
enum class CardTier : std::uint8_t { Star, Nova, Aurora };

struct MemberProfile {
  std::int64_t number = 0;
  std::uint8_t city = 0;
  char postal[8] = {};
  bool female = false;
  std::uint8_t education = 0;
  std::optional<std::int64_t> salary;  // none: not on file (College, as in the real data)
  std::uint8_t marital = 0;
  CardTier card = CardTier::Star;
  std::int64_t clv_cents = 0;
  bool promotion = false;  // enrollment type "2018 Promotion"
  int enroll_index = 0;    // year * 12 + month - 1
  double activity = 0.45;  // chance of flying in a month, before seasonality
  int window_first = kWindowFirst;  // the scenario's first month of data
  // The first month the activity file has a row for (promotion members from 2018-02).
  int first_row_month() const { return promotion ? 2018 * 12 + 1 : window_first; }
};

// Draws every attribute from the member's stream, in a fixed order.
MemberProfile draw_profile(Rng& rng, std::int64_t number, int window_first);

// The loyalty file's row; cancel_index < 0 leaves the cancellation blank.
void write_loyalty_row(const MemberProfile& m, int cancel_index, CsvOut& out);
// The loyalty file's header (after the BOM).
const char* loyalty_header();

// Relative share of members flying in calendar month 0-11 (real data).
double season(int month_index);

}  // namespace aa::sample
