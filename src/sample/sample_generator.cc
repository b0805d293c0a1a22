#include "sample/sample_generator.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <string>
#include <vector>

#include "core/app_error.h"
#include "core/files.h"
#include "core/lake.h"
#include "core/progress.h"

namespace aa {

namespace {

// splitmix64: small, fast, and the same on every platform (std distributions are not).
class Rng {
 public:
  Rng(std::uint64_t seed, std::uint64_t stream) : state_(seed * 0x9E3779B97F4A7C15ULL ^ stream) {
    next();
  }
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  std::int64_t between(std::int64_t lo, std::int64_t hi) {  // inclusive
    return lo + static_cast<std::int64_t>(next() % static_cast<std::uint64_t>(hi - lo + 1));
  }
  bool chance(double p) { return uniform() < p; }
  double normal() {
    const double u1 = std::max(uniform(), 1e-300);
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * uniform());
  }
  template <std::size_t N>
  std::size_t pick(const std::array<double, N>& weights) {
    double total = 0;
    for (double w : weights) {
      total += w;
    }
    double x = uniform() * total;
    for (std::size_t i = 0; i < N; ++i) {
      if ((x -= weights[i]) < 0) {
        return i;
      }
    }
    return N - 1;
  }

 private:
  std::uint64_t state_;
};

struct City {
  const char* province;
  const char* city;
  char postal_letter;
  double weight;  // members in the real data
};

constexpr std::array<City, 29> kCities = {{
    {"Alberta", "Edmonton", 'T', 486},         {"Alberta", "Calgary", 'T', 191},
    {"Alberta", "Banff", 'T', 179},            {"Alberta", "Peace River", 'T', 113},
    {"British Columbia", "Vancouver", 'V', 2582}, {"British Columbia", "Whistler", 'V', 582},
    {"British Columbia", "Dawson Creek", 'V', 444}, {"British Columbia", "Victoria", 'V', 389},
    {"British Columbia", "West Vancouver", 'V', 324}, {"British Columbia", "Kelowna", 'V', 88},
    {"Manitoba", "Winnipeg", 'R', 658},        {"New Brunswick", "Fredericton", 'E', 425},
    {"New Brunswick", "Moncton", 'E', 211},    {"Newfoundland", "St. John's", 'A', 258},
    {"Nova Scotia", "Halifax", 'B', 518},      {"Ontario", "Toronto", 'M', 3351},
    {"Ontario", "Ottawa", 'K', 509},           {"Ontario", "Trenton", 'K', 486},
    {"Ontario", "Kingston", 'K', 401},         {"Ontario", "Thunder Bay", 'P', 256},
    {"Ontario", "Sudbury", 'P', 227},          {"Ontario", "London", 'N', 174},
    {"Prince Edward Island", "Charlottetown", 'C', 66}, {"Quebec", "Montreal", 'H', 2059},
    {"Quebec", "Quebec City", 'G', 485},       {"Quebec", "Tremblant", 'J', 398},
    {"Quebec", "Hull", 'J', 358},              {"Saskatchewan", "Regina", 'S', 409},
    {"Yukon", "Whitehorse", 'Y', 110},
}};

std::array<double, 29> city_weights() {
  std::array<double, 29> w{};
  for (std::size_t i = 0; i < kCities.size(); ++i) {
    w[i] = kCities[i].weight;
  }
  return w;
}

struct Education {
  const char* name;
  double weight;
  double salary_mean;  // 0: salary missing (College in the real data)
  double salary_sd;
};
constexpr std::array<Education, 5> kEducation = {{{"Bachelor", 10475, 72500, 16000},
                                                  {"College", 4238, 0, 0},
                                                  {"Master", 508, 103800, 17000},
                                                  {"High School or Below", 782, 61000, 15000},
                                                  {"Doctor", 734, 178600, 70000}}};

struct Card {
  const char* name;
  double weight;
  double clv_min, clv_median_excess, clv_sigma;
};
constexpr std::array<Card, 3> kCards = {{{"Star", 7637, 1898, 2889, 1.1},
                                         {"Nova", 5671, 2738, 3061, 1.05},
                                         {"Aurora", 3429, 4937, 3203, 1.0}}};

constexpr std::array<const char*, 3> kMarital = {"Married", "Single", "Divorced"};
constexpr std::array<double, 3> kMaritalWeights = {9735, 4484, 2518};
// Cancellations by year in the real data, 2013..2018.
constexpr std::array<double, 6> kCancelYearWeights = {43, 181, 265, 427, 506, 645};
// Share of members flying in each calendar month, relative to the mean (real data).
constexpr std::array<double, 12> kSeason = {0.91, 0.91, 0.98, 0.94, 1.01, 1.01,
                                            1.09, 1.04, 1.00, 1.00, 1.02, 1.09};
// Flights in an active month: 1..6 (group bookings are added separately).
constexpr std::array<double, 6> kFlightWeights = {44515, 41650, 41734, 27867, 14137, 5849};

constexpr int kFirstYear = 2017;
constexpr int kMonths = 24;
constexpr int kWindowStart = kFirstYear * 12;  // month index of 2017-01

// Buffered CSV output with fast number formatting.
class CsvOut {
 public:
  explicit CsvOut(const fs::path& path) : path_(path), file_(std::fopen(path.c_str(), "wb")) {
    if (!file_) {
      fail(ErrorKind::Io, "cannot write '{}'", path.string());
    }
    buffer_.reserve(kFlushAt + 4096);
  }
  ~CsvOut() {
    if (file_) {
      std::fclose(file_);
    }
  }
  CsvOut(const CsvOut&) = delete;
  CsvOut& operator=(const CsvOut&) = delete;
  CsvOut& text(std::string_view s) {
    buffer_.append(s);
    return *this;
  }
  CsvOut& num(std::int64_t v) {
    char tmp[24];
    auto [end, ec] = std::to_chars(tmp, tmp + sizeof tmp, v);
    buffer_.append(tmp, end);
    return *this;
  }
  CsvOut& cents(std::int64_t v) {  // 12345 -> "123.45"
    num(v / 100);
    const int c = static_cast<int>(v % 100);
    buffer_ += '.';
    buffer_ += static_cast<char>('0' + c / 10);
    buffer_ += static_cast<char>('0' + c % 10);
    return *this;
  }
  CsvOut& sep() {
    buffer_ += ',';
    return *this;
  }
  void end_row() {
    buffer_ += '\n';
    if (buffer_.size() >= kFlushAt) {
      flush();
    }
  }
  void close() {
    flush();
    if (std::fclose(file_) != 0) {
      file_ = nullptr;
      fail(ErrorKind::Io, "cannot write '{}'", path_.string());
    }
    file_ = nullptr;
  }

 private:
  static constexpr std::size_t kFlushAt = 1 << 20;
  void flush() {
    if (!buffer_.empty() && std::fwrite(buffer_.data(), 1, buffer_.size(), file_) != buffer_.size()) {
      fail(ErrorKind::Io, "cannot write '{}' (disk full?)", path_.string());
    }
    buffer_.clear();
  }
  fs::path path_;
  std::FILE* file_;
  std::string buffer_;
};

struct Member {
  std::int64_t number = 0;
  int enroll_index = 0;      // year * 12 + month - 1
  int cancel_index = -1;     // -1: not cancelled
  bool promotion = false;
  double activity = 0.45;    // chance of flying in a month
};

struct MonthRow {
  int flights = 0;
  std::int64_t distance = 0;
  std::int64_t points_halves = 0;  // points accumulated, in halves
  std::int64_t redeemed = 0;
  std::int64_t dollar_cost = 0;
};

// Loyalty numbers: an affine permutation of [0, range), so numbers are unique and shuffled.
class NumberPermutation {
 public:
  explicit NumberPermutation(std::int64_t members)
      : range_(std::max<std::int64_t>(900000, members)), mult_(1000003) {
    while (std::gcd(mult_, range_) != 1) {
      mult_ += 2;
    }
  }
  std::int64_t at(std::int64_t i) const {
    // mult_ * i stays below 2^63 for i < 1e8 and mult_ near 1e6.
    return 100000 + (mult_ * i + 7919) % range_;
  }

 private:
  std::int64_t range_;
  std::int64_t mult_;
};

Member write_member(Rng& rng, std::int64_t number, CsvOut& out) {
  Member m;
  m.number = number;
  const City& city = kCities[rng.pick(city_weights())];
  const Education& edu = kEducation[rng.pick(std::array<double, 5>{
      kEducation[0].weight, kEducation[1].weight, kEducation[2].weight, kEducation[3].weight,
      kEducation[4].weight})];
  const Card& card = kCards[rng.pick(std::array<double, 3>{kCards[0].weight, kCards[1].weight,
                                                           kCards[2].weight})];
  m.promotion = rng.chance(971.0 / 16737.0);
  const int enroll_year = m.promotion ? 2018 : static_cast<int>(rng.between(2012, 2018));
  const int enroll_month = m.promotion ? static_cast<int>(rng.between(2, 4))
                                       : static_cast<int>(rng.between(1, 12));
  m.enroll_index = enroll_year * 12 + enroll_month - 1;
  if (rng.chance(2067.0 / 16737.0)) {
    const int year = 2013 + static_cast<int>(rng.pick(kCancelYearWeights));
    int index = year * 12 + static_cast<int>(rng.between(0, 11));
    if (index <= m.enroll_index) {
      index = std::min<int>(m.enroll_index + static_cast<int>(rng.between(1, 12)), 2018 * 12 + 11);
    }
    if (index > m.enroll_index) {
      m.cancel_index = index;
    }
  }
  m.activity = std::clamp(0.47 + 0.22 * rng.normal(), 0.03, 0.97);

  out.num(m.number).sep().text("Canada").sep().text(city.province).sep();
  out.text(city.city).sep();
  const char postal[8] = {city.postal_letter,
                          static_cast<char>('0' + rng.between(0, 9)),
                          static_cast<char>('A' + rng.between(0, 25)),
                          ' ',
                          static_cast<char>('0' + rng.between(0, 9)),
                          static_cast<char>('A' + rng.between(0, 25)),
                          static_cast<char>('0' + rng.between(0, 9)),
                          0};
  out.text(postal).sep().text(rng.chance(0.5025) ? "Female" : "Male").sep();
  out.text(edu.name).sep();
  if (edu.salary_mean > 0) {
    auto salary = static_cast<std::int64_t>(
        std::max(15000.0, edu.salary_mean + edu.salary_sd * rng.normal()));
    if (rng.chance(20.0 / 12499.0)) {
      salary = -salary;  // the real data's negative salaries
    }
    out.num(salary);
  }
  out.sep().text(kMarital[rng.pick(kMaritalWeights)]).sep().text(card.name).sep();
  const double clv = card.clv_min + card.clv_median_excess * std::exp(card.clv_sigma * rng.normal());
  out.cents(static_cast<std::int64_t>(std::llround(std::min(clv, 90000.0) * 100)));
  out.sep().text(m.promotion ? "2018 Promotion" : "Standard").sep();
  out.num(enroll_year).sep().num(enroll_month).sep();
  if (m.cancel_index >= 0) {
    out.num(m.cancel_index / 12).sep().num(m.cancel_index % 12 + 1);
  } else {
    out.sep();
  }
  out.end_row();
  return m;
}

MonthRow draw_month(Rng& rng, const Member& m, int index) {
  MonthRow row;
  if (rng.chance(0.062)) {  // redemptions happen in any month
    row.redeemed = rng.between(364, 876);
    row.dollar_cost = std::llround(static_cast<double>(row.redeemed) * 0.18);
  }
  if (index < m.enroll_index) {
    return row;
  }
  double p = m.activity * kSeason[static_cast<std::size_t>(index % 12)];
  if (m.cancel_index >= 0 && m.cancel_index - index < 6) {
    p *= 0.15 + 0.12 * (m.cancel_index - index);  // activity thins before cancelling
  }
  if (!rng.chance(p)) {
    return row;
  }
  row.flights = static_cast<int>(1 + rng.pick(kFlightWeights));
  if (rng.chance(0.01)) {
    row.flights = static_cast<int>(4 * rng.between(2, 6));  // group bookings: 8..24
  }
  const int month = index % 12 + 1;
  if ((month >= 6 && month <= 8) || month == 12) {
    row.flights += rng.chance(0.35) ? 1 : 0;
  }
  row.distance = row.flights * rng.between(500, 2500);
  const bool bonus = index >= 2018 * 12 + 4 && month <= 8 && rng.chance(0.12);
  row.points_halves = bonus ? (row.distance * 3) : row.distance * 2;
  if (bonus && !rng.chance(0.05)) {
    row.points_halves -= row.points_halves % 2;  // most bonus points are whole
  }
  return row;
}

void write_month(CsvOut& out, std::int64_t number, int index, const MonthRow& r) {
  out.num(number).sep().num(index / 12).sep().num(index % 12 + 1).sep().num(r.flights).sep();
  out.num(r.distance).sep().num(r.points_halves / 2);
  if (r.points_halves % 2 != 0) {
    out.text(".5");
  }
  out.sep().num(r.redeemed).sep().num(r.dollar_cost).end_row();
}

std::int64_t write_activity(Rng& rng, const Member& m, CsvOut& out) {
  // "2018 Promotion" members appear from 2018-02 on, as in the real data.
  const int first = m.promotion ? 2018 * 12 + 1 : kWindowStart;
  const bool duplicated = rng.chance(163.0 / 16737.0);
  std::int64_t rows = 0;
  for (int index = first; index < kWindowStart + kMonths; ++index) {
    const bool cancelled = m.cancel_index >= 0 && index > m.cancel_index;
    const MonthRow row = cancelled ? MonthRow{} : draw_month(rng, m, index);
    write_month(out, m.number, index, row);
    ++rows;
    if (duplicated) {
      // A second record of the month: identical when nothing happened, else different.
      const bool empty = row.flights == 0 && row.redeemed == 0;
      write_month(out, m.number, index, empty ? row : draw_month(rng, m, index));
      ++rows;
    }
  }
  return rows;
}

}  // namespace

SampleResult generate_sample(const SampleOptions& options) {
  if (options.members < 1 || options.members > 100'000'000) {
    fail(ErrorKind::InvalidInput, "--members must be between 1 and 100,000,000, got {}",
         options.members);
  }
  fs::create_directories(options.out_dir);
  SampleResult result;
  result.loyalty_file = options.out_dir / kLoyaltyCsvName;
  result.activity_file = options.out_dir / kActivityCsvName;
  const fs::path loyalty_tmp = temp_path_for(result.loyalty_file);
  const fs::path activity_tmp = temp_path_for(result.activity_file);
  {
    CsvOut loyalty(loyalty_tmp);
    CsvOut activity(activity_tmp);
    loyalty.text("\xEF\xBB\xBF");  // the real loyalty file starts with a UTF-8 BOM
    loyalty.text(
        "Loyalty Number,Country,Province,City,Postal Code,Gender,Education,Salary,Marital "
        "Status,Loyalty Card,CLV,Enrollment Type,Enrollment Year,Enrollment Month,Cancellation "
        "Year,Cancellation Month");
    loyalty.end_row();
    activity.text(
        "Loyalty Number,Year,Month,Total Flights,Distance,Points Accumulated,Points "
        "Redeemed,Dollar Cost Points Redeemed");
    activity.end_row();
    const NumberPermutation numbers(options.members);
    ProgressBar bar("generating members", static_cast<std::uint64_t>(options.members));
    for (std::int64_t i = 0; i < options.members; ++i) {
      Rng rng(options.seed, static_cast<std::uint64_t>(i));
      const Member m = write_member(rng, numbers.at(i), loyalty);
      result.cancelled += m.cancel_index >= 0 ? 1 : 0;
      result.activity_rows += write_activity(rng, m, activity);
      if ((i & 0x3FFF) == 0) {
        bar.update(static_cast<std::uint64_t>(i));
      }
    }
    bar.finish();
    loyalty.close();
    activity.close();
  }
  publish(loyalty_tmp, result.loyalty_file);
  publish(activity_tmp, result.activity_file);
  result.members = options.members;
  return result;
}

}  // namespace aa
