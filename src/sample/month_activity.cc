#include "sample/month_activity.h"

#include <array>
#include <cmath>

namespace aa::sample {

namespace {

// Flights in an active month: 1..6 (group bookings are added separately).
constexpr std::array<double, 6> kFlightWeights = {44515, 41650, 41734, 27867, 14137, 5849};

}  // namespace

MonthRow MonthRecord::merged() const {
  if (!has_second || second == first) {
    return first;
  }
  return {first.flights + second.flights, first.distance + second.distance,
          first.points_halves + second.points_halves, first.redeemed + second.redeemed,
          first.dollar_cost + second.dollar_cost};
}

MonthRow draw_month(Rng& rng, int month_index, int enroll_index, const MonthChances& chances) {
  MonthRow row;
  if (rng.chance(chances.redeem)) {
    row.redeemed = rng.between(364, 876);
    row.dollar_cost = std::llround(static_cast<double>(row.redeemed) * 0.18);
  }
  if (month_index < enroll_index || !rng.chance(chances.fly)) {
    return row;
  }
  row.flights = static_cast<int>(1 + rng.pick(kFlightWeights));
  if (rng.chance(0.01)) {
    row.flights = static_cast<int>(4 * rng.between(2, 6));  // group bookings: 8..24
  }
  const int month = month_index % 12 + 1;
  if ((month >= 6 && month <= 8) || month == 12) {
    row.flights += rng.chance(0.35) ? 1 : 0;
  }
  row.distance = row.flights * rng.between(500, 2500);
  const bool bonus = month_index >= 2018 * 12 + 4 && month <= 8 && rng.chance(0.12);
  row.points_halves = bonus ? (row.distance * 3) : row.distance * 2;
  if (bonus && !rng.chance(0.05)) {
    row.points_halves -= row.points_halves % 2;  // most bonus points are whole
  }
  return row;
}

MonthRecord draw_record(Rng& rng, int month_index, int enroll_index, const MonthChances& chances,
                        bool duplicated) {
  MonthRecord record;
  record.first = draw_month(rng, month_index, enroll_index, chances);
  if (duplicated) {
    record.has_second = true;
    record.second = record.first.empty() ? record.first
                                         : draw_month(rng, month_index, enroll_index, chances);
  }
  return record;
}

MonthRecord zero_record(bool duplicated) {
  MonthRecord record;
  record.has_second = duplicated;
  return record;
}

void write_month(CsvOut& out, std::int64_t number, int month_index, const MonthRow& r) {
  out.num(number).sep().num(month_index / 12).sep().num(month_index % 12 + 1).sep();
  out.num(r.flights).sep().num(r.distance).sep().num(r.points_halves / 2);
  if (r.points_halves % 2 != 0) {
    out.text(".5");
  }
  out.sep().num(r.redeemed).sep().num(r.dollar_cost).end_row();
}

const char* activity_header() {
  return "Loyalty Number,Year,Month,Total Flights,Distance,Points Accumulated,Points "
         "Redeemed,Dollar Cost Points Redeemed";
}

}  // namespace aa::sample
