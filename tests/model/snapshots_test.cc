// Snapshots on tiny fixtures: exact features, the population at T, labels, and proof that no
// data after T (nor before enrollment) reaches a feature.
#include "model/snapshots.h"

#include <gtest/gtest.h>

#include <cmath>

#include "core/app_error.h"
#include "core/member_catalogue.h"
#include "features/features.h"
#include "features/sql_runner.h"
#include "model/reasons.h"
#include "support/test_support.h"

namespace aa {
namespace {

constexpr int kT = 2017 * 12 + 5;  // 2017-06

class Snapshots : public ::testing::Test {
 protected:
  Snapshots() : db_(duck::Database::open(":memory:")), c_(db_) {
    c_.execute(
        "create table src_customer_loyalty_history (loyalty_number bigint, country varchar, "
        "province varchar, city varchar, postal_code varchar, gender varchar, education "
        "varchar, salary double, marital_status varchar, loyalty_card varchar, clv double, "
        "enrollment_type varchar, enrollment_year integer, enrollment_month integer, "
        "cancellation_year integer, cancellation_month integer)");
    c_.execute(
        "insert into src_customer_loyalty_history values "
        "(1, 'Canada', 'Ontario', 'Toronto', 'A1A', 'Female', 'Bachelor', 50000, 'Married', "
        "'Star', 5000, 'Standard', 2017, 1, 2017, 10),"
        "(2, 'Canada', 'Quebec', 'Montreal', 'B2B', 'Male', 'College', null, 'Single', "
        "'Aurora', 3000, 'Standard', 2017, 3, null, null),"
        "(3, 'Canada', 'Ontario', 'Ottawa', 'C3C', 'Male', 'Master', 90000, 'Single', "
        "'Nova', 7000, '2018 Promotion', 2017, 8, null, null),"
        "(4, 'Canada', 'Alberta', 'Calgary', 'D4D', 'Female', 'Doctor', 80000, 'Divorced', "
        "'Star', 9000, 'Standard', 2016, 5, 2017, 5)");
    c_.execute(
        "create table src_customer_flight_activity (loyalty_number bigint, year integer, month "
        "integer, total_flights integer, distance bigint, points_accumulated double, "
        "points_redeemed bigint, dollar_cost_points_redeemed double)");
    // Flights by month 2017-01 .. 2017-12.
    const std::vector<std::pair<int, std::vector<int>>> flights = {
        {1, {1, 0, 2, 0, 3, 1, 4, 0, 0, 0, 0, 0}},  // cancels 2017-10: zero rows after
        {2, {5, 5, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0}},  // enrolled 2017-03: Jan, Feb are before
        {3, {0, 0, 0, 0, 0, 0, 0, 2, 2, 2, 2, 2}},
        {4, {2, 2, 2, 2, 0, 0, 0, 0, 0, 0, 0, 0}}};
    for (const auto& [member, by_month] : flights) {
      for (int m = 0; m < 12; ++m) {
        const int f = by_month[static_cast<std::size_t>(m)];
        c_.execute(fmt::format(
            "insert into src_customer_flight_activity values ({}, 2017, {}, {}, {}, {}, {}, {})",
            member, m + 1, f, f * 100, f * 10.5, (m == 4 && member == 1) ? 700 : 0,
            (m == 4 && member == 1) ? 56.0 : 0.0));
      }
    }
    features::SqlRunner runner(c_);
    for (const auto& model : features::feature_models()) {
      if (model.find("/staging/") != std::string::npos) {
        runner.run(model, features::Materialization::View);
      }
    }
  }

  // One snapshot row as column -> value (numbers as double, text as NaN).
  std::map<std::string, double> row(std::int64_t member, int cutoff) {
    auto r = c_.query(fmt::format(
        "select * from churn_snapshots where loyalty_number = {} and cutoff_month_index = {}",
        member, cutoff));
    std::map<std::string, double> out;
    if (r.row_count() != 1) {
      return out;
    }
    for (std::size_t col = 0; col < r.column_count(); ++col) {
      const auto text = r.text(col, 0);
      double v = std::nan("");
      if (text && (*text == "true" || *text == "false")) {
        v = *text == "true" ? 1 : 0;
      } else if (text) {
        try {
          std::size_t used = 0;
          v = std::stod(*text, &used);
          if (used != text->size()) {
            v = std::nan("");
          }
        } catch (const std::exception&) {
        }
      }
      out[r.column_name(col)] = v;
    }
    return out;
  }

  duck::Database db_;
  duck::Connection c_;
};

TEST_F(Snapshots, PopulationIsEnrolledAndNotYetCancelled) {
  model::build_snapshots(c_, {kT, kT - 2});
  auto r = c_.query(
      "select cutoff_month_index, string_agg(cast(loyalty_number as varchar), ', ' "
      "order by loyalty_number) "
      "from churn_snapshots group by 1 order by 1");
  ASSERT_EQ(r.row_count(), 2u);
  EXPECT_EQ(*r.text(1, 0), "1, 2, 4");  // 2017-04: member 4 cancels in May, 3 not enrolled
  EXPECT_EQ(*r.text(1, 1), "1, 2");     // 2017-06: 4 has cancelled, 3 enrols in August
}

TEST_F(Snapshots, ExactFeaturesAtTheCutoff) {
  model::build_snapshots(c_, {kT});
  auto a = row(1, kT);
  EXPECT_EQ(a["tenure_months"], 5);
  EXPECT_EQ(a["history_months"], 6);
  EXPECT_EQ(a["months_since_last_flight"], 0);
  EXPECT_EQ(a["flights_1m"], 1);
  EXPECT_EQ(a["flights_3m"], 4);         // Apr 0 + May 3 + Jun 1
  EXPECT_EQ(a["flights_6m"], 7);         // + Jan 1, Mar 2
  EXPECT_EQ(a["flights_12m"], 7);        // nothing before the data starts
  EXPECT_EQ(a["flights_trend_3v3"], 1);  // 4 against Jan..Mar 3
  EXPECT_EQ(a["distance_3m"], 400);
  EXPECT_EQ(a["distance_trend_3v3"], 100);
  EXPECT_DOUBLE_EQ(a["points_accumulated_6m"], 73.5);
  EXPECT_EQ(a["points_redeemed_3m"], 700);
  EXPECT_EQ(a["points_redeemed_1m"], 0);
  EXPECT_DOUBLE_EQ(a["dollar_cost_redeemed_12m"], 56.0);
  EXPECT_EQ(a["active_months_3m"], 2);
  EXPECT_EQ(a["active_months_6m"], 4);
  EXPECT_EQ(a["salary"], 50000);
  EXPECT_EQ(a["salary_missing"], 0);

  auto b = row(2, kT);
  EXPECT_EQ(b["tenure_months"], 3);
  EXPECT_EQ(b["flights_12m"], 1);  // Jan and Feb were before enrollment
  EXPECT_EQ(b["flights_6m"], 1);
  EXPECT_EQ(b["months_since_last_flight"], 2);
  EXPECT_EQ(b["salary_missing"], 1);
  EXPECT_TRUE(std::isnan(b["salary"]));
}

TEST_F(Snapshots, LabelsLookOnlyAtTheSixMonthsAfterT) {
  model::build_snapshots(c_, {kT, kT - 3, kT - 2});
  auto a = row(1, kT);
  EXPECT_EQ(a["label_cancellation"], 1);  // cancels 2017-10, inside (2017-06, 2017-12]
  EXPECT_EQ(a["dormancy_eligible"], 1);
  EXPECT_EQ(a["label_dormancy"], 0);  // flies in July
  EXPECT_EQ(a["label_window_complete"], 1);
  EXPECT_EQ(row(1, kT - 3)["label_cancellation"], 0);  // 2017-10 is after 2017-03 + 6
  auto b = row(2, kT);
  EXPECT_EQ(b["label_cancellation"], 0);
  EXPECT_EQ(b["dormancy_eligible"], 1);                // flew in April
  EXPECT_EQ(b["label_dormancy"], 1);                   // no flight Jul..Dec
  EXPECT_EQ(row(4, kT - 2)["label_cancellation"], 1);  // cancels 2017-05
  EXPECT_EQ(row(2, kT - 3)["dormancy_eligible"], 0);   // no flight since enrolling in March
  model::build_snapshots(c_, {kT + 1});
  EXPECT_EQ(row(1, kT + 1)["label_window_complete"], 0);  // 2018-01 is past the data
}

TEST_F(Snapshots, ChangesAfterTOrBeforeEnrollmentDoNotAlterAnyFeature) {
  model::build_snapshots(c_, {kT});
  model::FeatureSpec spec = model::churn_feature_spec();
  model::learn_levels(c_, spec, model::SnapshotFilter{{kT}, model::Target::Cancellation, true});
  const model::Dataset before =
      model::load_dataset(c_, spec, {{kT}, model::Target::Cancellation, true});
  // Plant changes after T and before enrollment, and move a future cancellation.
  c_.execute(
      "update src_customer_flight_activity set total_flights = 99, distance = 9999, "
      "points_accumulated = 999, points_redeemed = 999, dollar_cost_points_redeemed = 99 "
      "where year * 12 + month - 1 > " +
      std::to_string(kT) + " or (loyalty_number = 2 and month < 3)");
  c_.execute(
      "update src_customer_loyalty_history set cancellation_month = 12 "
      "where loyalty_number = 1");
  model::build_snapshots(c_, {kT});
  const model::Dataset after =
      model::load_dataset(c_, spec, {{kT}, model::Target::Cancellation, true});
  ASSERT_EQ(before.rows(), 2u);
  EXPECT_EQ(after.member, before.member);
  ASSERT_EQ(after.x.size(), before.x.size());
  for (std::size_t i = 0; i < before.x.size(); ++i) {
    const bool same =
        before.x[i] == after.x[i] || (std::isnan(before.x[i]) && std::isnan(after.x[i]));
    EXPECT_TRUE(same) << before.columns[i % before.cols()] << " row " << i / before.cols();
  }
  // The labels do see the future, as they must.
  EXPECT_EQ(row(2, kT)["label_dormancy"], 0);
}

TEST_F(Snapshots, DatasetOneHotEncodesWithTrainingLevels) {
  model::build_snapshots(c_, {kT - 2});
  model::FeatureSpec spec = model::churn_feature_spec();
  model::learn_levels(c_, spec, model::SnapshotFilter{{kT - 2}, model::Target::Cancellation, true});
  const auto& card = spec.categorical[0];
  EXPECT_EQ(card.first, "loyalty_card");
  EXPECT_EQ(card.second, (std::vector<std::string>{"Aurora", "Star"}));
  const model::Dataset d =
      model::load_dataset(c_, spec, {{kT - 2}, model::Target::Cancellation, true});
  EXPECT_EQ(d.rows(), 3u);
  EXPECT_EQ(d.cols(), spec.columns().size());
  EXPECT_EQ(d.column("loyalty_card=Star"), (std::vector<double>{1, 0, 1}));
  EXPECT_EQ(d.y, (std::vector<float>{1, 0, 1}));  // 1 cancels 2017-10 = T + 6
  EXPECT_EQ(spec.sources().size(), spec.columns().size());
  EXPECT_EQ(model::FeatureSpec::from_json(spec.to_json()).columns(), spec.columns());
}

TEST(Months, LabelsRoundTrip) {
  EXPECT_EQ(model::month_label(model::month_index(2018, 6)), "2018-06");
  EXPECT_EQ(model::parse_month_label("2017-12"), model::month_index(2017, 12));
  EXPECT_APP_ERROR(model::parse_month_label("2017-13"), core::ErrorKind::InvalidInput,
                   "'2017-13' is not a month (expected YYYY-MM)");
  EXPECT_APP_ERROR(model::parse_month_label("201712"), core::ErrorKind::InvalidInput,
                   "'201712' is not a month (expected YYYY-MM)");
}

}  // namespace
}  // namespace aa

namespace aa {
namespace {

// The model's features come from the member catalogue; their order is the model's column
// order, so it is pinned here: a catalogue edit that reorders them fails this test instead of
// silently changing the model.
TEST(MemberCatalogue, GivesTheModelItsFeaturesInTheirOrder) {
  const model::FeatureSpec spec = model::churn_feature_spec();
  std::vector<std::string> numeric = {"months_since_last_flight", "tenure_months",
                                      "history_months"};
  for (const char* measure : {"flights", "distance", "points_accumulated", "points_redeemed",
                              "dollar_cost_redeemed", "active_months"}) {
    for (const char* window : {"1m", "3m", "6m", "12m"}) {
      numeric.push_back(std::string(measure) + "_" + window);
    }
  }
  numeric.insert(numeric.end(),
                 {"flights_trend_3v3", "distance_trend_3v3", "salary", "salary_missing"});
  EXPECT_EQ(spec.numeric, numeric);
  std::vector<std::string> categorical;
  for (const auto& [name, levels] : spec.categorical) {
    categorical.push_back(name);
    EXPECT_TRUE(levels.empty());
  }
  EXPECT_EQ(categorical, (std::vector<std::string>{"loyalty_card", "enrollment_type", "province",
                                                   "gender", "education", "marital_status"}));
}

TEST(MemberCatalogue, LabelsModelFeaturesAndLeavesOtherNamesAsTheyAre) {
  EXPECT_EQ(model::feature_label("tenure_months"), "Tenure");
  EXPECT_EQ(model::feature_label("flights_3m"), "Flights in the last 3 months");
  EXPECT_EQ(model::feature_label("active_months_1m"), "Months with a flight in the latest month");
  EXPECT_EQ(model::feature_label("dollar_cost_redeemed_12m"),
            "Rewards redeemed (CAD) in the last 12 months");
  EXPECT_EQ(model::feature_label("loyalty_card"), "Loyalty card");
  EXPECT_EQ(model::feature_label("clv"), "clv");  // not a churn-model feature
  EXPECT_EQ(model::feature_label("no_such_feature"), "no_such_feature");
  // Every model feature has a label and either a phrase or a rule (describe_feature).
  for (const auto& a : core::member_catalogue()) {
    EXPECT_FALSE(a.label.empty()) << a.name;
    if (a.filter == core::FilterKind::Range) {
      EXPECT_FALSE(a.range_key.empty()) << a.name;
      EXPECT_GT(a.range_max, 0) << a.name;
    }
  }
  EXPECT_EQ(core::filter_keys(),
            (std::vector<std::string>{"loyalty_card", "enrollment_type", "province", "gender",
                                      "rfm_segment", "risk_tier", "clv_min", "clv_max",
                                      "tenure_min", "tenure_max"}));
  bool is_max = false;
  EXPECT_EQ(core::find_filter("tenure_max", &is_max)->name, "tenure_months");
  EXPECT_TRUE(is_max);
  EXPECT_EQ(core::find_filter("city"), nullptr);
}

TEST(MemberCatalogue, PhrasesWordAMembersLevelOrValue) {
  model::FeatureSpec spec;
  spec.numeric = {"clv", "ref_frequency"};
  spec.categorical = {{"loyalty_card", {"Nova", "Star"}}, {"province", {"Ontario"}}};
  model::Dataset d;
  d.columns = spec.columns();
  d.x = {12345.4F, 3.0F, 0.0F, 1.0F, 1.0F};
  d.member = {1};
  d.cutoff = {0};
  EXPECT_EQ(model::describe_feature(d, spec, 0, "clv"), "Customer lifetime value $12,345");
  EXPECT_EQ(model::describe_feature(d, spec, 0, "ref_frequency"), "3 flights to date");
  EXPECT_EQ(model::describe_feature(d, spec, 0, "loyalty_card"), "Star card holder");
  EXPECT_EQ(model::describe_feature(d, spec, 0, "province"), "Lives in Ontario");
}

}  // namespace
}  // namespace aa
