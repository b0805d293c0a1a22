// The monitor on the generator's drift scenario (docs/CHURN_MODEL.md: from the drift month on,
// members fly 30% less and other mechanisms drive cancellation). Monthly arrivals replayed
// through the change with the default retraining rule: the monitor raises an alert (severity
// "alert": a feature's PSI above 0.25, or a degraded scoring) within 3 arrivals of the change,
// and none in the arrivals before it.
#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "support/test_support.h"

namespace aa {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// The alerts (severity "alert") the monitor raised at the month's arrival.
std::vector<json> raised(const json& month) {
  std::vector<json> out;
  for (const auto& a : month.at("alerts")) {
    if (a.at("severity") == "alert") {
      out.push_back(a);
    }
  }
  return out;
}

TEST(DriftDetection, AnAlertWithinThreeArrivalsOfTheChangeAndNoneBefore) {
  test::TempDir dir;
  const fs::path raw = dir.path() / "raw";
  auto r = test::run_cli({"generate-sample", "--out", raw.string(), "--members", "4000", "--seed",
                          "7", "--scenario", "drift", "--drift-month", "2018-07", "--quiet"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const fs::path lake = dir.path() / "lake";
  // 2018-05 trains the first model; 2018-06 is scored with it, before the change; 2018-07,
  // 08 and 09 are the three arrivals after it (the default rule retrains at 2018-08, when the
  // model is 3 months old).
  r = test::run_cli({"replay", "--raw-dir", raw.string(), "--lake", lake.string(), "--from",
                     "2018-05", "--to", "2018-09", "--bootstrap", "20", "--json", "--progress",
                     "never"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json replay = json::parse(test::read_text(lake / "reports" / "replay.json"));
  ASSERT_EQ(replay.at("months").size(), 5u);
  std::string first_alert;
  for (const auto& month : replay.at("months")) {
    const std::string m = month.at("month");
    const auto alerts = raised(month);
    if (m < "2018-07") {
      EXPECT_TRUE(alerts.empty()) << m << " raised before the change: " << json(alerts).dump();
    } else if (!alerts.empty() && first_alert.empty()) {
      first_alert = m;
      bool drift = false;  // a feature's distribution (PSI) or level moved
      for (const auto& a : alerts) {
        drift = drift || a.at("kind") == "drift" || a.at("kind") == "level";
      }
      EXPECT_TRUE(drift) << json(alerts).dump();
    }
  }
  EXPECT_FALSE(first_alert.empty()) << "no alert from 2018-07 to 2018-09: " << replay.dump();
  // The alerts name the feature and carry its figure beyond the threshold: PSI above 0.25,
  // or a mean moved by 20% or more. The planted change is fewer flights: the first alert
  // names an activity feature whose mean fell.
  bool fewer_flights = false;
  for (const auto& month : replay.at("months")) {
    for (const auto& a : raised(month)) {
      const std::string subject = a.at("subject");
      if (a.at("kind") == "drift") {
        EXPECT_GT(a.at("figure").get<double>(), 0.25) << a.dump();
      } else if (a.at("kind") == "level") {
        EXPECT_GE(std::abs(a.at("figure").get<double>()), 0.2) << a.dump();
        fewer_flights = fewer_flights ||
                        (month.at("month") == first_alert && subject.rfind("flights_", 0) == 0 &&
                         a.at("figure").get<double>() < 0);
      }
    }
  }
  EXPECT_TRUE(fewer_flights) << replay.dump();
}

}  // namespace
}  // namespace aa
