#pragma once
// One member-month of the activity file: the draw of what the member did, the file's row, and
// the record ingest will make of it (an exact duplicate row counts once, different rows for
// the same month are summed).

#include <cstdint>

#include "sample/csv_out.h"
#include "sample/sample_rng.h"

namespace aa::sample {

struct MonthRow {
  int flights = 0;
  std::int64_t distance = 0;
  std::int64_t points_halves = 0;  // points accumulated, in halves
  std::int64_t redeemed = 0;
  std::int64_t dollar_cost = 0;
  bool empty() const { return flights == 0 && redeemed == 0; }
  bool operator==(const MonthRow& o) const {
    return flights == o.flights && distance == o.distance && points_halves == o.points_halves &&
           redeemed == o.redeemed && dollar_cost == o.dollar_cost;
  }
};

// The rows a member-month has in the file: one, or two for a member with duplicated months.
struct MonthRecord {
  MonthRow first;
  MonthRow second;
  bool has_second = false;
  // What ingest loads for the month.
  MonthRow merged() const;
};

// This month's chances for one member: of flying at all, and of redeeming points.
struct MonthChances {
  double fly = 0;
  double redeem = 0.062;  // the real data's share of member-months with a redemption
};

// A month of member activity. Redemptions happen in any month (even before enrollment, as in
// the real data); flights only from the enrollment month on.
MonthRow draw_month(Rng& rng, int month_index, int enroll_index, const MonthChances& chances);

// The month's rows: draws `first`, and for a member with duplicated months a second row, an
// exact copy when nothing happened, else a second, different draw.
MonthRecord draw_record(Rng& rng, int month_index, int enroll_index, const MonthChances& chances,
                        bool duplicated);
// A month after cancellation: all-zero rows.
MonthRecord zero_record(bool duplicated);

void write_month(CsvOut& out, std::int64_t number, int month_index, const MonthRow& row);
const char* activity_header();

}  // namespace aa::sample
