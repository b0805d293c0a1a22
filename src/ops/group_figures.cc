#include "ops/group_figures.h"

#include <stdexcept>

namespace aa::ops {

ResultSchema group_figures(std::initializer_list<const char*> names, const std::string& counted) {
  ResultSchema out;
  for (const std::string name : names) {
    if (name == "customers") {
      out.push_back(integer(name, "members", "members in the " + counted));
    } else if (name == "avg_clv") {
      out.push_back(number(name, "CAD", "average customer lifetime value"));
    } else if (name == "median_clv") {
      out.push_back(number(name, "CAD", "median CLV"));
    } else if (name == "total_clv") {
      out.push_back(number(name, "CAD", "sum of CLV"));
    } else if (name == "avg_churn_score") {
      out.push_back(
          number(name, "CAD", "average churn_score (probability x CLV) of the scored members"));
    } else if (name == "avg_churn_probability") {
      out.push_back(
          number(name, "fraction", "average 6-month churn probability of the scored members"));
    } else if (name == "total_value_at_risk") {
      out.push_back(number(name, "CAD", "sum of churn_score"));
    } else if (name == "avg_recency_months") {
      out.push_back(number(name, "months", "average months since the last flight"));
    } else if (name == "avg_frequency") {
      out.push_back(number(name, "flights", "average number of flights"));
    } else if (name == "avg_monetary") {
      out.push_back(number(name, "km", "average distance flown"));
    } else if (name == "avg_tenure_months") {
      out.push_back(number(name, "months", "average tenure"));
    } else if (name == "cancelled_rate") {
      out.push_back(number(name, "fraction", "share of members who cancelled"));
    } else if (name == "retention_rate") {
      out.push_back(number(name, "fraction", "share of members who did not cancel"));
    } else {
      throw std::logic_error("not a group figure: " + name);
    }
  }
  return out;
}

ResultSchema joined(std::initializer_list<ResultSchema> parts) {
  ResultSchema out;
  for (const ResultSchema& part : parts) {
    out.insert(out.end(), part.begin(), part.end());
  }
  return out;
}

}  // namespace aa::ops
