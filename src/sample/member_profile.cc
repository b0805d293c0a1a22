#include "sample/member_profile.h"

#include <array>

namespace aa::sample {

namespace {

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
// In CardTier's order.
constexpr std::array<Card, 3> kCards = {{{"Star", 7637, 1898, 2889, 1.1},
                                         {"Nova", 5671, 2738, 3061, 1.05},
                                         {"Aurora", 3429, 4937, 3203, 1.0}}};

constexpr std::array<const char*, 3> kMarital = {"Married", "Single", "Divorced"};
constexpr std::array<double, 3> kMaritalWeights = {9735, 4484, 2518};
// Share of members flying in each calendar month, relative to the mean (real data).
constexpr std::array<double, 12> kSeason = {0.91, 0.91, 0.98, 0.94, 1.01, 1.01,
                                            1.09, 1.04, 1.00, 1.00, 1.02, 1.09};

}  // namespace

double season(int month_index) { return kSeason[static_cast<std::size_t>(month_index % 12)]; }

MemberProfile draw_profile(Rng& rng, std::int64_t number, int window_first) {
  MemberProfile m;
  m.number = number;
  m.window_first = window_first;
  m.city = static_cast<std::uint8_t>(rng.pick(city_weights()));
  m.education = static_cast<std::uint8_t>(rng.pick(std::array<double, 5>{
      kEducation[0].weight, kEducation[1].weight, kEducation[2].weight, kEducation[3].weight,
      kEducation[4].weight}));
  m.card = static_cast<CardTier>(
      rng.pick(std::array<double, 3>{kCards[0].weight, kCards[1].weight, kCards[2].weight}));
  m.promotion = rng.chance(971.0 / 16737.0);
  const int enroll_year = m.promotion ? 2018 : static_cast<int>(rng.between(2012, 2018));
  const int enroll_month = m.promotion ? static_cast<int>(rng.between(2, 4))
                                       : static_cast<int>(rng.between(1, 12));
  m.enroll_index = enroll_year * 12 + enroll_month - 1;
  // At most 0.9, so that a month's chance of flying stays below 1 in every season.
  m.activity = std::clamp(0.47 + 0.22 * rng.normal(), 0.03, 0.90);
  const City& city = kCities[m.city];
  const char postal[8] = {city.postal_letter,
                          static_cast<char>('0' + rng.between(0, 9)),
                          static_cast<char>('A' + rng.between(0, 25)),
                          ' ',
                          static_cast<char>('0' + rng.between(0, 9)),
                          static_cast<char>('A' + rng.between(0, 25)),
                          static_cast<char>('0' + rng.between(0, 9)),
                          0};
  std::copy(postal, postal + 8, m.postal);
  m.female = rng.chance(0.5025);
  const Education& edu = kEducation[m.education];
  if (edu.salary_mean > 0) {
    auto salary = static_cast<std::int64_t>(
        std::max(15000.0, edu.salary_mean + edu.salary_sd * rng.normal()));
    if (rng.chance(20.0 / 12499.0)) {
      salary = -salary;  // the real data's negative salaries
    }
    m.salary = salary;
  }
  m.marital = static_cast<std::uint8_t>(rng.pick(kMaritalWeights));
  const Card& card = kCards[static_cast<std::size_t>(m.card)];
  const double clv = card.clv_min + card.clv_median_excess * std::exp(card.clv_sigma * rng.normal());
  m.clv_cents = static_cast<std::int64_t>(std::llround(std::min(clv, 90000.0) * 100));
  return m;
}

const char* loyalty_header() {
  return "Loyalty Number,Country,Province,City,Postal Code,Gender,Education,Salary,Marital "
         "Status,Loyalty Card,CLV,Enrollment Type,Enrollment Year,Enrollment Month,Cancellation "
         "Year,Cancellation Month";
}

void write_loyalty_row(const MemberProfile& m, int cancel_index, CsvOut& out) {
  const City& city = kCities[m.city];
  out.num(m.number).sep().text("Canada").sep().text(city.province).sep();
  out.text(city.city).sep().text(m.postal).sep().text(m.female ? "Female" : "Male").sep();
  out.text(kEducation[m.education].name).sep();
  if (m.salary) {
    out.num(*m.salary);
  }
  out.sep().text(kMarital[m.marital]).sep().text(kCards[static_cast<std::size_t>(m.card)].name);
  out.sep().cents(m.clv_cents).sep().text(m.promotion ? "2018 Promotion" : "Standard").sep();
  out.num(m.enroll_index / 12).sep().num(m.enroll_index % 12 + 1).sep();
  if (cancel_index >= 0) {
    out.num(cancel_index / 12).sep().num(cancel_index % 12 + 1);
  } else {
    out.sep();
  }
  out.end_row();
}

}  // namespace aa::sample
