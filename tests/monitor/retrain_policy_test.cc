// When `run` retrains: each rule of retrain_policy.h on a hand-made lake.
#include "monitor/retrain_policy.h"

#include <gtest/gtest.h>

#include "core/duck.h"
#include "support/test_support.h"

namespace aa {
namespace {

using nlohmann::json;

class RetrainPolicy : public ::testing::Test {
 protected:
  void SetUp() override { data_until(2018, 5); }
  // Processed activity from 2017-01 to the given month (one member).
  void data_until(int year, int month) {
    fs::create_directories(lake_.processed_activity_dir());
    auto db = duck::Database::open(":memory:");
    duck::Connection c(db);
    c.execute(fmt::format(
        "copy (select 1::bigint as loyalty_number, (m // 12)::integer as year, "
        "(m % 12 + 1)::integer as month from range({}, {}) t(m)) to {} (format parquet)",
        2017 * 12, year * 12 + month,
        duck::quote_literal((lake_.processed_activity_dir() / "months.parquet").string())));
  }
  void model(const std::string& first, const std::string& last,
             const std::string& settings = "s1") {
    test::write_text(lake_.churn_artifacts() / "model_meta.json",
                     json{{"model_id", last + "-abcd1234"},
                          {"settings", settings},
                          {"data_window", {{"first_month", first}, {"last_month", last}}}}
                         .dump());
  }
  monitor::RetrainDecision decide(int months = 3, bool retrain = false, bool force = false) {
    return monitor::retrain_decision(lake_, {months, retrain, force, "s1"});
  }
  test::TempDir dir_;
  core::Lake lake_{dir_ / "lake"};
};

TEST_F(RetrainPolicy, EachRuleInOrder) {
  EXPECT_EQ(decide().reason, "no model yet");
  EXPECT_TRUE(decide().retrain);
  model("2017-01", "2018-03");
  auto d = decide();
  EXPECT_FALSE(d.retrain);
  EXPECT_EQ(d.model_age_months, 2);
  EXPECT_EQ(d.reason,
            "model 2018-03-abcd1234 is 2 months old (retrain every 3 months) and no alert "
            "calls for retraining: scoring with it");
  EXPECT_EQ(decide(3, true).reason, "asked for (--retrain)");
  EXPECT_EQ(decide(3, false, true).reason, "--force rebuilds every stage");
  EXPECT_EQ(decide(2).reason, "model 2018-03-abcd1234 is 2 months old (retrain every 2 months)");
  EXPECT_TRUE(decide(0).retrain);

  data_until(2018, 6);
  EXPECT_EQ(decide().reason, "model 2018-03-abcd1234 is 3 months old (retrain every 3 months)");

  model("2017-02", "2018-03");
  EXPECT_EQ(decide().reason,
            "the data (2017-01 .. 2018-06) is not a later export of the model's (2017-02 .. "
            "2018-03)");
  model("2017-01", "2018-07");
  EXPECT_TRUE(decide().retrain);
  model("2017-01", "2018-05", "s2");
  EXPECT_EQ(decide().reason, "the training settings differ from the model's");
}

TEST_F(RetrainPolicy, AnAlertOnTheCurrentModelRetrainsAndOneOnAnOlderModelDoesNot) {
  model("2017-01", "2018-04");
  const auto report = [&](const std::string& model_id, bool retrain) {
    test::write_text(lake_.monitor_report(), json{{"alerts",
                                                   {{{"kind", "drift"},
                                                     {"message", "tenure_months moved"},
                                                     {"model_id", model_id},
                                                     {"retrain", retrain}}}}}
                                                 .dump());
  };
  report("2018-01-00000000", true);
  EXPECT_FALSE(decide().retrain);
  report("2018-04-abcd1234", false);
  EXPECT_FALSE(decide().retrain);
  report("2018-04-abcd1234", true);
  EXPECT_EQ(decide().reason, "monitor alert: tenure_months moved");
}

TEST_F(RetrainPolicy, AnExportThatDropsRowsRetrains) {
  model("2017-01", "2018-05");
  test::write_text(
      lake_.arrivals() / "2018-05_x" / "manifest.json",
      json{{"arrival_id", "2018-05_x"},
           {"sequence", 1},
           {"changes",
            {{"members", {{"removed_members", 2}}}, {"member_months", {{"removed", 30}}}}}}
          .dump());
  EXPECT_EQ(decide().reason,
            "the latest export dropped 2 members and 30 member-months that the previous one held");
}

}  // namespace
}  // namespace aa
