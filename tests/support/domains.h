#pragma once
// The filter domains of the real data set (11 provinces, 3 cards, 2 enrollment types), for
// tests and fuzz targets that plan or check requests without a lake. Header-only, no gtest.

#include "ops/filters.h"

namespace aa::test {

inline ops::Domains real_data_domains() {
  ops::Domains d;
  d.province = {"Alberta",      "British Columbia", "Manitoba", "New Brunswick",
                "Newfoundland", "Nova Scotia",      "Ontario",  "Prince Edward Island",
                "Quebec",       "Saskatchewan",     "Yukon"};
  d.rfm_segment = ops::segment_vocabulary();
  d.gender = {"Female", "Male"};
  d.loyalty_card = {"Aurora", "Nova", "Star"};
  d.enrollment_type = {"2018 Promotion", "Standard"};
  d.risk_tier = ops::risk_tier_vocabulary();
  return d;
}

}  // namespace aa::test
