#pragma once
// Shared by the fuzz targets: the domains a real lake has (provinces, cards, ...), so that
// inputs can hit valid and invalid values alike.

#include "ops/filters.h"

namespace aa::fuzz {

inline ops::Domains domains() {
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

}  // namespace aa::fuzz
