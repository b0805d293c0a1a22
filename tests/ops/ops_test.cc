// Every operation on the fixture warehouse, compared with values computed here from the
// fixture's members with plain C++ (no SQL).

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <numeric>
#include <set>

#include "ops/ops_fixture.h"
#include "ops/registry.h"
#include "support/test_support.h"

namespace aa::test {
namespace {

using nlohmann::json;
using Members = std::vector<const FixtureMember*>;

Members select(const std::function<bool(const FixtureMember&)>& keep) {
  Members out;
  for (const auto& m : fixture_members()) {
    if (keep(m)) {
      out.push_back(&m);
    }
  }
  return out;
}

Members all_members() {
  return select([](const FixtureMember&) { return true; });
}

double mean(const std::vector<double>& v) {
  return std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
}

std::vector<double> values(const Members& ms,
                           const std::function<double(const FixtureMember&)>& f) {
  std::vector<double> out;
  for (const auto* m : ms) {
    out.push_back(f(*m));
  }
  return out;
}

std::vector<double> scores(const Members& ms) {
  std::vector<double> out;
  for (const auto* m : ms) {
    if (m->churn_score()) {
      out.push_back(*m->churn_score());
    }
  }
  return out;
}

double clv(const FixtureMember& m) { return m.clv; }

// Highest churn_score first, ties by loyalty number (as the operations order them).
bool by_risk(const FixtureMember* a, const FixtureMember* b) {
  if (*a->churn_score() != *b->churn_score()) {
    return *a->churn_score() > *b->churn_score();
  }
  return a->loyalty_number < b->loyalty_number;
}
double cancelled(const FixtureMember& m) { return m.is_cancelled() ? 1.0 : 0.0; }

using OpsTest = FixtureContextTest;

// Group metrics computed here, for one group of members.
void expect_group_metrics(const json& row, const Members& ms) {
  ASSERT_FALSE(ms.empty());
  EXPECT_EQ(row.at("customers").get<std::size_t>(), ms.size());
  EXPECT_NEAR(row.at("avg_clv").get<double>(), mean(values(ms, clv)), 1e-9);
  EXPECT_NEAR(row.at("median_clv").get<double>(), linear_quantile(values(ms, clv), 0.5), 1e-9);
  const auto s = scores(ms);
  if (s.empty()) {
    EXPECT_TRUE(row.at("avg_churn_score").is_null());
  } else {
    EXPECT_NEAR(row.at("avg_churn_score").get<double>(), mean(s), 1e-9);
  }
  std::vector<double> probabilities;
  for (const auto* m : ms) {
    if (m->churn_probability) {
      probabilities.push_back(*m->churn_probability);
    }
  }
  if (probabilities.empty()) {
    EXPECT_TRUE(row.at("avg_churn_probability").is_null());
  } else {
    EXPECT_NEAR(row.at("avg_churn_probability").get<double>(), mean(probabilities), 1e-9);
  }
  const auto recency = [](const FixtureMember& m) { return double(m.recency); };
  const auto frequency = [](const FixtureMember& m) { return double(m.frequency); };
  const auto monetary = [](const FixtureMember& m) { return double(m.monetary); };
  const auto tenure = [](const FixtureMember& m) { return double(m.tenure_months()); };
  EXPECT_NEAR(row.at("avg_recency_months").get<double>(), mean(values(ms, recency)), 1e-9);
  EXPECT_NEAR(row.at("avg_frequency").get<double>(), mean(values(ms, frequency)), 1e-9);
  EXPECT_NEAR(row.at("avg_monetary").get<double>(), mean(values(ms, monetary)), 1e-9);
  EXPECT_NEAR(row.at("avg_tenure_months").get<double>(), mean(values(ms, tenure)), 1e-9);
  EXPECT_NEAR(row.at("cancelled_rate").get<double>(), mean(values(ms, cancelled)), 1e-9);
  EXPECT_NEAR(row.at("retention_rate").get<double>(), 1 - mean(values(ms, cancelled)), 1e-9);
}

std::map<std::string, Members> group_by(
    const Members& ms, const std::function<std::string(const FixtureMember&)>& key) {
  std::map<std::string, Members> out;
  for (const auto* m : ms) {
    out[key(*m)].push_back(m);
  }
  return out;
}

TEST_F(OpsTest, RegistryHoldsTheReferenceOperationsAndTheNewOnes) {
  const auto listed = ops::operation_names();
  const std::set<std::string> names(listed.begin(), listed.end());
  EXPECT_EQ(names.size(), ops::operations().size());
  for (const char* name : {"kpis_baseline",
                           "kpis_slice",
                           "summary_by_segment",
                           "summary_by_province",
                           "summary_by_card",
                           "summary_by_gender",
                           "top_risk_customers",
                           "top_value_customers",
                           "value_at_risk_by_segment",
                           "value_at_risk_by_province",
                           "churn_by_clv_tier",
                           "do_nothing_scenario",
                           "single_priority_initiative",
                           "segment_comparison",
                           "tenure_analysis",
                           "revenue_impact",
                           "correlation_drivers",
                           "retention_plan",
                           "retention_curve",
                           "cohort_retention",
                           "tenure_hazard",
                           "customer_profile",
                           "churn_reasons_summary",
                           "model_performance",
                           "churn_signal",
                           "data_quality",
                           "customer_search",
                           "model_health"}) {
    EXPECT_EQ(names.count(name), 1u) << name;
  }
  EXPECT_EQ(names.size(), 28u);
  const json listing = ops::list_operations(context().domains());
  for (const auto& op : listing.at("operations")) {
    EXPECT_FALSE(op.at("description").get<std::string>().empty());
  }
  const json summary = listing.at("operations").at(5);
  EXPECT_EQ(summary.at("name"), "summary_by_segment");
  EXPECT_EQ(summary.at("params").at(0).at("name"), "top_n");
  EXPECT_EQ(summary.at("params").at(0).at("max"), 50);
  // Enums built from the data: the fixture's provinces, the payload one included.
  const auto provinces = listing.at("filters").at("province").at("choices");
  EXPECT_EQ(provinces,
            json({"Alberta", "British Columbia", kPayloadProvince, "Ontario", "Quebec", "Yukon"}));
}

TEST_F(OpsTest, KpisBaselineCoversAllMembersWhateverTheFilters) {
  const json r = run("kpis_baseline", {}, {{"province", {"Ontario"}}});
  const Members ms = all_members();
  EXPECT_EQ(r.at("customers"), 12);
  EXPECT_NEAR(r.at("avg_clv").get<double>(), mean(values(ms, clv)), 1e-9);
  EXPECT_NEAR(r.at("cancelled_rate").get<double>(), 4.0 / 12, 1e-12);
  EXPECT_NEAR(r.at("avg_churn_score").get<double>(), mean(scores(ms)), 1e-9);
  EXPECT_EQ(r.at("units").at("avg_clv"), "CAD");
  EXPECT_EQ(r.at("units").at("avg_monetary"), "km");
  EXPECT_EQ(r.at("units").at("avg_recency_months"), "months");
  EXPECT_EQ(r.at("units").at("cancelled_rate"), "fraction");
}

TEST_F(OpsTest, KpisSliceAddsMedianRetentionAndHighValueMembers) {
  const json r = run("kpis_slice", {}, {{"province", {"Ontario", "Quebec"}}});
  const Members ms =
      select([](const auto& m) { return m.province == "Ontario" || m.province == "Quebec"; });
  ASSERT_EQ(ms.size(), 6u);
  EXPECT_EQ(r.at("customers"), 6);
  EXPECT_NEAR(r.at("median_clv").get<double>(), linear_quantile(values(ms, clv), 0.5), 1e-9);
  const double p75 = linear_quantile(values(ms, clv), 0.75);
  const auto high = std::count_if(ms.begin(), ms.end(), [&](auto* m) { return m->clv > p75; });
  EXPECT_NEAR(r.at("high_value_clv_threshold").get<double>(), p75, 1e-9);
  EXPECT_EQ(r.at("high_value_customers"), high);
  EXPECT_NEAR(r.at("high_value_share").get<double>(), double(high) / 6, 1e-12);
  EXPECT_NEAR(r.at("retention_rate").get<double>(), 1 - mean(values(ms, cancelled)), 1e-12);
}

TEST_F(OpsTest, SummariesMatchRowForRowInTheirOrder) {
  const std::map<std::string, std::function<std::string(const FixtureMember&)>> keys = {
      {"summary_by_segment", [](const auto& m) { return m.rfm_segment; }},
      {"summary_by_province", [](const auto& m) { return m.province; }},
      {"summary_by_card", [](const auto& m) { return m.loyalty_card; }},
      {"summary_by_gender", [](const auto& m) { return m.gender; }}};
  const std::map<std::string, std::string> columns = {{"summary_by_segment", "rfm_segment"},
                                                      {"summary_by_province", "province"},
                                                      {"summary_by_card", "loyalty_card"},
                                                      {"summary_by_gender", "gender"}};
  for (const auto& [op, key] : keys) {
    const json r = run(op, {{"sort_by", "customers"}, {"ascending", true}});
    const auto groups = group_by(all_members(), key);
    ASSERT_EQ(r.at("rows").size(), groups.size()) << op;
    std::size_t previous = 0;
    for (const auto& row : r.at("rows")) {
      const std::string name = row.at(columns.at(op)).get<std::string>();
      SCOPED_TRACE(op + " " + name);
      expect_group_metrics(row, groups.at(name));
      EXPECT_GE(row.at("customers").get<std::size_t>(), previous);
      previous = row.at("customers").get<std::size_t>();
    }
  }
}

TEST_F(OpsTest, SummaryDefaultsToAvgChurnScoreDescendingAndHonoursTopN) {
  const json r = run("summary_by_province", {{"top_n", 2}});
  ASSERT_EQ(r.at("rows").size(), 2u);
  const auto groups = group_by(all_members(), [](const auto& m) { return m.province; });
  std::vector<std::pair<double, std::string>> ranked;
  for (const auto& [name, ms] : groups) {
    const auto s = scores(ms);
    if (!s.empty()) {
      ranked.emplace_back(mean(s), name);
    }
  }
  std::sort(ranked.rbegin(), ranked.rend());
  EXPECT_EQ(r.at("rows").at(0).at("province"), ranked.at(0).second);
  EXPECT_EQ(r.at("rows").at(1).at("province"), ranked.at(1).second);
}

TEST_F(OpsTest, ValueAtRiskBySegmentAndProvince) {
  for (const auto& [op, column] : std::vector<std::pair<std::string, std::string>>{
           {"value_at_risk_by_segment", "rfm_segment"},
           {"value_at_risk_by_province", "province"}}) {
    const json r = run(op, {{"top_n", 50}});
    const auto groups = group_by(all_members(), [&](const FixtureMember& m) {
      return column == "province" ? m.province : m.rfm_segment;
    });
    ASSERT_EQ(r.at("rows").size(), groups.size());
    double previous = 1e18;
    for (const auto& row : r.at("rows")) {
      const Members& ms = groups.at(row.at(column).get<std::string>());
      const auto s = scores(ms);
      const double total = std::accumulate(s.begin(), s.end(), 0.0);
      EXPECT_NEAR(row.at("total_value_at_risk").get<double>(), total, 1e-9);
      EXPECT_NEAR(
          row.at("total_clv").get<double>(),
          std::accumulate(ms.begin(), ms.end(), 0.0, [](double a, auto* m) { return a + m->clv; }),
          1e-9);
      EXPECT_NEAR(row.at("median_clv").get<double>(), linear_quantile(values(ms, clv), 0.5), 1e-9);
      EXPECT_LE(total, previous + 1e-9);
      previous = total;
    }
  }
}

TEST_F(OpsTest, ChurnByClvTierSplitsAtTertiles) {
  const json r = run("churn_by_clv_tier");
  const auto v = values(all_members(), clv);
  const double low = linear_quantile(v, 1.0 / 3);
  const double high = linear_quantile(v, 2.0 / 3);
  std::map<std::string, Members> tiers;
  for (const auto* m : all_members()) {
    tiers[m->clv <= low ? "Low" : m->clv <= high ? "Medium" : "High"].push_back(m);
  }
  ASSERT_EQ(r.at("rows").size(), 3u);
  EXPECT_EQ(r.at("rows").at(0).at("clv_tier"), "Low");
  for (const auto& row : r.at("rows")) {
    const Members& ms = tiers.at(row.at("clv_tier").get<std::string>());
    EXPECT_EQ(row.at("customers").get<std::size_t>(), ms.size());
    EXPECT_NEAR(row.at("cancelled_rate").get<double>(), mean(values(ms, cancelled)), 1e-12);
    EXPECT_NEAR(row.at("avg_clv").get<double>(), mean(values(ms, clv)), 1e-9);
  }
}

TEST_F(OpsTest, TenureAnalysisBucketsLikePandasCut) {
  const json r = run("tenure_analysis");
  const auto bucket = [](int t) {
    return t <= 6    ? "0-6 months"
           : t <= 12 ? "7-12 months"
           : t <= 24 ? "13-24 months"
           : t <= 36 ? "25-36 months"
           : t <= 60 ? "37-60 months"
                     : "60+ months";
  };
  const auto groups =
      group_by(all_members(), [&](const FixtureMember& m) { return bucket(m.tenure_months()); });
  ASSERT_EQ(r.at("rows").size(), groups.size());
  double previous = 2;
  for (const auto& row : r.at("rows")) {
    const Members& ms = groups.at(row.at("tenure_bucket").get<std::string>());
    EXPECT_EQ(row.at("customers").get<std::size_t>(), ms.size());
    const double rate = mean(values(ms, cancelled));
    EXPECT_NEAR(row.at("cancelled_rate").get<double>(), rate, 1e-12);
    EXPECT_LE(rate, previous);  // the reference sorts by cancellation rate, highest first
    previous = rate;
    const auto s = scores(ms);
    EXPECT_NEAR(row.at("total_value_at_risk").get<double>(),
                std::accumulate(s.begin(), s.end(), 0.0), 1e-9);
  }
}

TEST_F(OpsTest, SegmentComparisonSideBySide) {
  const json r = run("segment_comparison", {{"segment_a", "Loyal"}, {"segment_b", "Dormant"}});
  const Members loyal = select([](const auto& m) { return m.rfm_segment == "Loyal"; });
  const Members dormant = select([](const auto& m) { return m.rfm_segment == "Dormant"; });
  EXPECT_EQ(r.at("segment_a").at("segment"), "Loyal");
  EXPECT_EQ(r.at("segment_a").at("customers").get<std::size_t>(), loyal.size());
  EXPECT_NEAR(r.at("segment_a").at("avg_churn_score").get<double>(), mean(scores(loyal)), 1e-9);
  EXPECT_EQ(r.at("segment_b").at("customers").get<std::size_t>(), dormant.size());
  EXPECT_NEAR(r.at("segment_b").at("cancelled_rate").get<double>(), 1.0, 1e-12);
  EXPECT_TRUE(r.at("segment_b").at("avg_churn_score").is_null());  // none of them scored
}

TEST_F(OpsTest, DoNothingRevenueImpactAndSinglePriority) {
  const Members ms = all_members();
  const auto s = scores(ms);
  const double var = std::accumulate(s.begin(), s.end(), 0.0);
  const json d = run("do_nothing_scenario");
  EXPECT_EQ(d.at("customers"), 12);
  EXPECT_NEAR(d.at("total_value_at_risk").get<double>(), var, 1e-9);
  EXPECT_NEAR(d.at("projected_customers_at_risk").get<double>(), 4.0, 1e-12);
  double expected_churners = 0;
  for (const auto* m : ms) {
    expected_churners += m->churn_probability.value_or(0);
  }
  EXPECT_NEAR(d.at("expected_churners").get<double>(), expected_churners, 1e-12);
  EXPECT_EQ(d.at("scored_customers"), 8);

  const json r = run("revenue_impact");
  const double avg_clv = mean(values(ms, clv));
  const double tenure_years =
      std::max(1.0, mean(values(ms, [](const auto& m) { return double(m.tenure_months()); })) / 12);
  EXPECT_NEAR(r.at("projected_clv_loss").get<double>(), 4.0 * avg_clv, 1e-6);
  EXPECT_NEAR(r.at("projected_annual_loss").get<double>(), 4.0 * avg_clv / tenure_years, 1e-6);
  const double p75 = linear_quantile(s, 0.75);
  const auto high = std::count_if(s.begin(), s.end(), [&](double x) { return x > p75; });
  EXPECT_EQ(r.at("high_risk_customers"), high);

  const json p = run("single_priority_initiative");
  const auto by_segment = group_by(ms, [](const auto& m) { return m.rfm_segment; });
  std::string best;
  double best_value = -1;
  for (const auto& [name, group] : by_segment) {
    const auto gs = scores(group);
    const double v = std::accumulate(gs.begin(), gs.end(), 0.0);
    if (v > best_value) {
      best_value = v;
      best = name;
    }
  }
  EXPECT_EQ(p.at("top_segment").at("rfm_segment"), best);
  EXPECT_NEAR(p.at("top_segment").at("total_value_at_risk").get<double>(), best_value, 1e-9);
}

TEST_F(OpsTest, TopRiskAndTopValueCustomers) {
  const json r = run("top_risk_customers", {{"top_n", 3}});
  Members scored = select([](const auto& m) { return m.churn_probability.has_value(); });
  std::sort(scored.begin(), scored.end(), by_risk);
  ASSERT_EQ(r.at("rows").size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(r.at("rows").at(i).at("loyalty_number"), scored[i]->loyalty_number);
    EXPECT_NEAR(r.at("rows").at(i).at("churn_score").get<double>(), *scored[i]->churn_score(),
                1e-9);
  }
  EXPECT_EQ(r.at("rows").at(0).at("reason_1"), "Reason about " + scored[0]->reason_features.at(0));

  const json v = run("top_value_customers", {{"top_n", 2}, {"segment_filter", "Champions"}});
  ASSERT_EQ(v.at("rows").size(), 2u);
  EXPECT_EQ(v.at("rows").at(0).at("loyalty_number"), 101);  // 10,000 CAD
  EXPECT_EQ(v.at("rows").at(1).at("loyalty_number"), 110);  // 9,000 CAD
  EXPECT_EQ(v.at("rows").at(1).at("tenure_months"), fixture_members().at(9).tenure_months());
  EXPECT_EQ(v.at("rows").at(1).at("is_cancelled"), false);
  const json all = run("top_value_customers", {{"top_n", 1}});
  EXPECT_EQ(all.at("rows").at(0).at("loyalty_number"), 106);  // 12,000 CAD
}

TEST_F(OpsTest, CustomerProfileHasEverythingAboutOneMember) {
  const json r = run("customer_profile", {{"loyalty_number", 108}});
  ASSERT_TRUE(r.at("found").get<bool>());
  EXPECT_EQ(r.at("attributes").at("province"), "British Columbia");
  EXPECT_EQ(r.at("attributes").at("tenure_months"), fixture_members().at(7).tenure_months());
  EXPECT_EQ(r.at("rfm").at("rfm_segment"), "Loyal");
  EXPECT_NEAR(r.at("churn").at("churn_probability").get<double>(), 0.01, 1e-12);
  EXPECT_EQ(r.at("churn").at("risk_tier"), "low");
  EXPECT_EQ(r.at("churn").at("scoring_status"), "scored");
  EXPECT_EQ(r.at("churn").at("scored_at"), "2018-12-01");
  EXPECT_EQ(r.at("attributes").at("city"), "City");
  EXPECT_EQ(r.at("attributes").at("education"), "Bachelor");
  // Personal fields are in the operation's result (the server removes them by default).
  EXPECT_EQ(r.at("attributes").at("postal_code"), "T9G 8W3");
  EXPECT_DOUBLE_EQ(r.at("attributes").at("salary").get<double>(), 58000.0);
  EXPECT_EQ(r.at("churn").at("reasons"), json({"Reason about loyalty_card"}));
  const json activity = r.at("activity");
  ASSERT_EQ(activity.size(), 24u);
  EXPECT_EQ(activity.at(0).at("year"), 2017);
  EXPECT_EQ(activity.at(0).at("month"), 1);
  EXPECT_EQ(activity.at(0).at("total_flights"), 2);
  EXPECT_EQ(activity.at(16).at("month"), 5);  // 2018-05: no row in the data
  EXPECT_FALSE(activity.at(16).at("has_record").get<bool>());
  EXPECT_EQ(activity.at(16).at("total_flights"), 0);
  EXPECT_EQ(activity.at(23).at("total_flights"), 0);  // 2018-12: not flown
  const json contributions = r.at("churn").at("contributions");
  ASSERT_EQ(contributions.size(), 2u);
  EXPECT_NEAR(contributions.at(0).at("contribution").get<double>() +
                  contributions.at(1).at("contribution").get<double>(),
              fixture_members().at(7).contribution_tenure() +
                  fixture_members().at(7).contribution_recency(),
              1e-6);

  const json cancelled_member = run("customer_profile", {{"loyalty_number", 102}});
  EXPECT_EQ(cancelled_member.at("churn").at("scoring_status"), "cancelled");
  EXPECT_TRUE(cancelled_member.at("churn").at("churn_probability").is_null());

  const json unknown = run("customer_profile", {{"loyalty_number", 999999}});
  EXPECT_FALSE(unknown.at("found").get<bool>());
  EXPECT_EQ(unknown.at("message"), "no member with loyalty number 999999");
  const json outside = run("customer_profile", {{"loyalty_number", 108}}, {{"gender", "Female"}});
  EXPECT_FALSE(outside.at("found").get<bool>());
  EXPECT_EQ(outside.at("message"), "member 108 is outside the filtered slice");
}

TEST_F(OpsTest, CorrelationDriversComparesChurnedWithRetained) {
  const json r = run("correlation_drivers");
  const Members churned = select([](const auto& m) { return m.is_cancelled(); });
  const Members retained = select([](const auto& m) { return !m.is_cancelled(); });
  EXPECT_EQ(r.at("churned_count").get<std::size_t>(), churned.size());
  EXPECT_EQ(r.at("retained_count").get<std::size_t>(), retained.size());
  const auto recency = [](const FixtureMember& m) { return double(m.recency); };
  const double c = mean(values(churned, recency));
  const double k = mean(values(retained, recency));
  const json rec = r.at("metrics_comparison").at("recency");
  EXPECT_NEAR(rec.at("churned_avg").get<double>(), c, 1e-9);
  EXPECT_NEAR(rec.at("retained_avg").get<double>(), k, 1e-9);
  EXPECT_NEAR(rec.at("difference_pct").get<double>(), std::round((c - k) / k * 1000) / 10, 1e-9);
  EXPECT_EQ(r.at("units").at("recency.churned_avg"), "months");
  EXPECT_EQ(r.at("churned_segment_distribution"),
            json::parse(R"([{"customers":3,"rfm_segment":"Dormant"},
                            {"customers":1,"rfm_segment":"At Risk"}])"));
  // Model drivers: mean contributions over scored members, largest mean |contribution| first.
  const Members scored = select([](const auto& m) { return m.churn_probability.has_value(); });
  const json drivers = r.at("model_drivers");
  ASSERT_EQ(drivers.size(), 2u);
  for (const auto& d : drivers) {
    const bool tenure = d.at("feature") == "tenure_months";
    const double expected = mean(values(scored, [&](const FixtureMember& m) {
      return tenure ? m.contribution_tenure() : m.contribution_recency();
    }));
    EXPECT_NEAR(d.at("mean_contribution").get<double>(), expected, 1e-6);
  }
  EXPECT_GE(drivers.at(0).at("mean_abs_contribution").get<double>(),
            drivers.at(1).at("mean_abs_contribution").get<double>());
  EXPECT_EQ(drivers.at(0).at("label").get<std::string>().empty(), false);
}

TEST_F(OpsTest, ChurnReasonsSummaryWeighsReasonsByValueAtRisk) {
  const json r = run("churn_reasons_summary");
  std::map<std::string, std::pair<int, double>> expected;  // feature -> members, value
  double total = 0;
  for (const auto& m : fixture_members()) {
    if (!m.churn_probability) {
      continue;
    }
    total += *m.churn_score();
    for (const auto& f : m.reason_features) {
      expected[f].first += 1;
      expected[f].second += *m.churn_score();
    }
  }
  EXPECT_NEAR(r.at("total_value_at_risk").get<double>(), total, 1e-9);
  ASSERT_EQ(r.at("rows").size(), expected.size());
  for (const auto& row : r.at("rows")) {
    const auto& [members, value] = expected.at(row.at("feature").get<std::string>());
    EXPECT_EQ(row.at("members"), members);
    EXPECT_NEAR(row.at("value_at_risk").get<double>(), value, 1e-9);
    EXPECT_NEAR(row.at("value_at_risk_share").get<double>(), value / total, 1e-12);
    // The fixture words every reason "Reason about <feature>".
    EXPECT_EQ(row.at("example_reason"), "Reason about " + row.at("feature").get<std::string>());
  }
  EXPECT_EQ(r.at("rows").at(0).at("feature"), "tenure_months");
  EXPECT_EQ(r.at("rows").at(0).at("label"), "Tenure");
}

TEST_F(OpsTest, RetentionPlanRespectsItsBudgetExactly) {
  // Expected saving per member: churn_score x 0.5. Worth contacting at 30 CAD: score > 60.
  Members worth =
      select([](const auto& m) { return m.churn_probability && *m.churn_score() * 0.5 > 30; });
  std::sort(worth.begin(), worth.end(), by_risk);
  const json r = run("retention_plan",
                     {{"budget_cad", 100}, {"cost_per_contact_cad", 30}, {"save_rate", 0.5}});
  EXPECT_EQ(r.at("worth_contacting_members").get<std::size_t>(), worth.size());
  EXPECT_EQ(r.at("contacts"), 3);  // 100 buys three contacts at 30, not four
  EXPECT_DOUBLE_EQ(r.at("total_cost_cad").get<double>(), 90.0);
  EXPECT_DOUBLE_EQ(r.at("unspent_budget_cad").get<double>(), 10.0);
  const double saved =
      (*worth[0]->churn_score() + *worth[1]->churn_score() + *worth[2]->churn_score()) * 0.5;
  EXPECT_NEAR(r.at("expected_saved_cad").get<double>(), saved, 1e-9);
  EXPECT_NEAR(r.at("roi").get<double>(), (saved - 90) / 90, 1e-12);
  EXPECT_NEAR(r.at("break_even_save_rate").get<double>(), 90 / (saved / 0.5), 1e-12);
  ASSERT_EQ(r.at("rows").size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(r.at("rows").at(i).at("rank"), i + 1);
    EXPECT_EQ(r.at("rows").at(i).at("loyalty_number"), worth[i]->loyalty_number);
    EXPECT_NEAR(r.at("rows").at(i).at("expected_net_cad").get<double>(),
                *worth[i]->churn_score() * 0.5 - 30, 1e-9);
  }
  // The ROI curve walks the worth-contacting members past the budget (all of them here, fewer
  // than 40): point k is the first k members' cumulative saving, cost and ROI.
  const json& curve = r.at("roi_curve");
  ASSERT_EQ(curve.size(), worth.size());
  double cumulative = 0;
  for (std::size_t k = 0; k < worth.size(); ++k) {
    cumulative += *worth[k]->churn_score() * 0.5;
    const json& point = curve.at(k);
    EXPECT_EQ(point.at("contacts"), k + 1);
    EXPECT_DOUBLE_EQ(point.at("cost_cad").get<double>(), 30.0 * static_cast<double>(k + 1));
    EXPECT_NEAR(point.at("expected_saved_cad").get<double>(), cumulative, 1e-9);
    EXPECT_NEAR(
        point.at("roi").get<double>(),
        (cumulative - 30.0 * static_cast<double>(k + 1)) / (30.0 * static_cast<double>(k + 1)),
        1e-9);
    EXPECT_EQ(point.at("within_budget"), k < 3);
  }
  EXPECT_NEAR(curve.at(2).at("expected_saved_cad").get<double>(), saved, 1e-9);
  // A budget that is not binding stops at the break-even rank; cents never overspend.
  const json wide = run("retention_plan",
                        {{"budget_cad", 1e6}, {"cost_per_contact_cad", 30}, {"save_rate", 0.5}});
  EXPECT_EQ(wide.at("contacts").get<std::size_t>(), worth.size());
  const json cents = run("retention_plan",
                         {{"budget_cad", 0.3}, {"cost_per_contact_cad", 0.1}, {"save_rate", 0.5}});
  EXPECT_EQ(cents.at("contacts"), 3);
  EXPECT_LE(cents.at("total_cost_cad").get<double>(), 0.3);
  const json ontario =
      run("retention_plan", {{"province", "Ontario"}, {"cost_per_contact_cad", 1}});
  for (const auto& row : ontario.at("rows")) {
    EXPECT_EQ(row.at("province"), "Ontario");
  }
  EXPECT_EQ(ontario.at("contacts"), 3);  // 101, 109, 110
}

TEST_F(OpsTest, RetentionCurveUsesLateEntry) {
  const json r = run("retention_curve");
  ASSERT_EQ(r.at("curves").size(), 1u);
  const json curve = r.at("curves").at(0);
  // 104 cancelled in 2014, before the window opened: left out under late entry.
  EXPECT_EQ(curve.at("excluded_cancelled_before_window"), 1);
  EXPECT_EQ(curve.at("members"), 11);
  EXPECT_EQ(curve.at("events"), 3);
  // Tenure 0: only members who enrolled inside the window are observed from enrollment
  // (105, 103, 109 and 111, who enrolled in the window's first month).
  const json first = curve.at("points").at(0);
  EXPECT_EQ(first.at("tenure_months"), 0);
  EXPECT_EQ(first.at("at_risk"), 4);
  const json full = run("retention_curve", {{"late_entry", false}, {"group_by", "loyalty_card"}});
  ASSERT_EQ(full.at("curves").size(), 3u);
  EXPECT_EQ(full.at("curves").at(0).at("group"), "Aurora");
  EXPECT_EQ(full.at("curves").at(2).at("group"), "Star");
  EXPECT_EQ(full.at("curves").at(2).at("events"), 2);  // 104 and 107
  EXPECT_EQ(full.at("curves").at(2).at("points").at(0).at("at_risk"), 4);
}

// Months of membership each fixture member is followed (to cancelling or to the data's last
// month), and whether the follow-up ends in a cancellation.
struct FollowUp {
  int months;
  bool cancelled;
};
std::vector<FollowUp> follow_ups(const Members& ms) {
  std::vector<FollowUp> out;
  for (const auto* m : ms) {
    out.push_back(
        {m->cancellation_index().value_or(kLastMonth) - m->enrollment_index(), m->is_cancelled()});
  }
  return out;
}

void expect_hazard_rows(const json& r, const Members& ms) {
  const auto follow = follow_ups(ms);
  for (const auto& row : r.at("rows")) {
    const int k = row.at("tenure_months");
    std::int64_t at_risk = 0;
    std::int64_t events = 0;
    for (const auto& f : follow) {
      at_risk += f.months >= k ? 1 : 0;
      events += f.months == k && f.cancelled ? 1 : 0;
    }
    SCOPED_TRACE(k);
    EXPECT_EQ(row.at("at_risk"), at_risk);
    EXPECT_EQ(row.at("events"), events);
    EXPECT_DOUBLE_EQ(row.at("hazard").get<double>(), double(events) / double(at_risk));
    EXPECT_LE(row.at("ci_low").get<double>(), row.at("hazard").get<double>());
    EXPECT_GE(row.at("ci_high").get<double>(), row.at("hazard").get<double>());
    EXPECT_EQ(row.at("is_spike"), false);
  }
}

TEST_F(OpsTest, TenureHazardFollowsMembersFromEnrollmentToTheDataEnd) {
  const json r = run("tenure_hazard");
  // Months followed: 101 33, 102 33 (cancelled), 103 10, 104 28 (cancelled), 105 17,
  // 106 61, 107 43 (cancelled), 108 28, 109 8, 110 79, 111 21 (cancelled), 112 35.
  EXPECT_EQ(r.at("members"), 12);
  EXPECT_EQ(r.at("cancellations"), 4);
  EXPECT_EQ(r.at("max_follow_up_months"), 79);
  EXPECT_EQ(r.at("data_end"), "2018-12");
  ASSERT_EQ(r.at("rows").size(), 41u);  // months 0-40 by default
  expect_hazard_rows(r, all_members());
  const json& m21 = r.at("rows").at(21);  // 111 cancels; 9 members followed 21 months or more
  EXPECT_EQ(m21.at("at_risk"), 9);
  EXPECT_EQ(m21.at("events"), 1);
  const json& m28 = r.at("rows").at(28);  // 104 cancels; 8 followed that long
  EXPECT_EQ(m28.at("at_risk"), 8);
  EXPECT_EQ(m28.at("events"), 1);
  // Month 21's neighbours 18-24: 9 + 9 + 9 + 8 + 8 + 8 member-months at risk, no cancellation.
  EXPECT_DOUBLE_EQ(m21.at("neighbour_hazard").get<double>(), 0.0);
  EXPECT_TRUE(m21.at("ratio").is_null());
  // Four cancellations in four months: nothing stands out.
  EXPECT_TRUE(r.at("spikes").empty());
  EXPECT_EQ(r.at("spike_rule").at("months_tested"), 80);  // months 0-79
  EXPECT_NE(r.at("rule").get<std::string>().find("/ 80 months tested"), std::string::npos);
  EXPECT_EQ(r.at("units").at("hazard"), "fraction per month");
  EXPECT_EQ(r.at("units").at("p_value"), "probability");
  EXPECT_EQ(r.at("units").at("tenure_months"), "months");
  EXPECT_EQ(r.at("units").at("at_risk"), "members");
  // Longer rows on request; 107's cancellation in month 43 among 106, 107 and 110.
  const json longer = run("tenure_hazard", {{"max_tenure_months", 79}});
  ASSERT_EQ(longer.at("rows").size(), 80u);
  EXPECT_EQ(longer.at("rows").at(43).at("at_risk"), 3);
  EXPECT_EQ(longer.at("rows").at(43).at("events"), 1);
  expect_hazard_rows(longer, all_members());
}

TEST_F(OpsTest, TenureHazardAppliesTheFilters) {
  const json filters = {{"province", {"Ontario"}}};
  const json r = run("tenure_hazard", {{"max_tenure_months", 79}}, filters);
  const Members ontario = select([](const auto& m) { return m.province == "Ontario"; });
  ASSERT_EQ(ontario.size(), 4u);  // 101, 102, 109, 110
  EXPECT_EQ(r.at("members"), 4);
  EXPECT_EQ(r.at("cancellations"), 1);  // 102, in month 33
  ASSERT_EQ(r.at("rows").size(), 80u);
  expect_hazard_rows(r, ontario);
  const json& m33 = r.at("rows").at(33);  // 101, 102 and 110 followed 33 months or more
  EXPECT_EQ(m33.at("at_risk"), 3);
  EXPECT_EQ(m33.at("events"), 1);
  EXPECT_DOUBLE_EQ(m33.at("hazard").get<double>(), 1.0 / 3);
  const json cancelled_star =
      run("tenure_hazard", json::object(), {{"loyalty_card", {"Star"}}, {"tenure_max", 40}});
  // Star members with tenure <= 40: 101 (33), 104 (28, cancelled); 107 (43) and 110 (79) out.
  EXPECT_EQ(cancelled_star.at("members"), 2);
  EXPECT_EQ(cancelled_star.at("cancellations"), 1);
  EXPECT_EQ(cancelled_star.at("max_follow_up_months"), 33);
  EXPECT_EQ(cancelled_star.at("rows").size(), 34u);
}

TEST_F(OpsTest, CohortRetentionCountsMembersAndFlyersByMonth) {
  const json r = run("cohort_retention");
  const auto find = [&](int cohort, int year, int month) {
    for (const auto& row : r.at("rows")) {
      if (row.at("cohort") == cohort && row.at("year") == year && row.at("month") == month) {
        return row;
      }
    }
    return json();
  };
  // Cohort 2017 (105 from 2017-07, 111 from 2017-01 until cancelling 2018-10).
  const json jan = find(2017, 2017, 1);
  EXPECT_EQ(jan.at("cohort_size"), 1);
  EXPECT_EQ(jan.at("members"), 1);
  EXPECT_EQ(jan.at("flying_members"), 1);  // 111 flew in 2017-01
  const json nov = find(2017, 2018, 11);
  EXPECT_EQ(nov.at("cohort_size"), 2);
  EXPECT_EQ(nov.at("members"), 1);  // 111 cancelled in 2018-10
  EXPECT_NEAR(nov.at("member_share").get<double>(), 0.5, 1e-12);
  EXPECT_EQ(find(2017, 2018, 8).at("flying_members"), 1);  // 105: every third month from 2017-08
  EXPECT_EQ(find(2017, 2018, 10).at("flying_members"), 0);
  // Cohort 2018 does not appear before its first enrollment (103 in 2018-02).
  EXPECT_TRUE(find(2018, 2018, 1).is_null());
  EXPECT_EQ(find(2018, 2018, 4).at("cohort_size"), 2);
}

TEST_F(OpsTest, ModelPerformanceAndDataQualityReadTheReports) {
  const json m = run("model_performance");
  EXPECT_EQ(m.at("target"), "cancellation");
  EXPECT_DOUBLE_EQ(m.at("out_of_time").at("roc_auc").get<double>(), 0.76);
  EXPECT_DOUBLE_EQ(m.at("baselines").at("reference_recipe").at("roc_auc").get<double>(), 0.75);
  EXPECT_DOUBLE_EQ(m.at("leaky_reference_protocol").at("roc_auc").get<double>(), 0.87);
  EXPECT_EQ(m.at("units").at("roc_auc"), "AUC 0-1");
  // The model page's charts come from the out-of-time evaluation, with units.
  const json& charts = m.at("charts");
  EXPECT_EQ(charts.at("reliability").size(), 2u);
  EXPECT_DOUBLE_EQ(charts.at("roc").at(1).at("true_positive_rate").get<double>(), 1.0);
  EXPECT_DOUBLE_EQ(charts.at("pr").at(0).at("precision").get<double>(), 0.2);
  EXPECT_EQ(charts.at("lift_by_decile").at(0).at("positives"), 3);
  EXPECT_EQ(charts.at("feature_importance").at(0).at("feature"), "tenure_months");
  EXPECT_EQ(m.at("units").at("true_positive_rate"), "fraction");
  EXPECT_EQ(m.at("units").at("lift"), "ratio");
  EXPECT_EQ(m.at("units").at("mean_abs_contribution"), "log-odds");
  EXPECT_EQ(m.at("model_card"), "# Churn model card\n\nFixture.\n");
  const json q = run("data_quality");
  ASSERT_EQ(q.at("files").size(), 2u);
  EXPECT_EQ(q.at("files").at(1).at("rows_quarantined"), 6);
  EXPECT_EQ(q.at("files").at(1).at("main_rejection_reasons").at(0),
            json({{"rule", "range"}, {"rows_count", 5}}));
  const json& sample = q.at("files").at(1).at("quarantine_sample");
  ASSERT_EQ(sample.size(), 1u);
  EXPECT_EQ(sample.at(0).at("line"), 17);
  EXPECT_EQ(sample.at(0).at("rule"), "range");
  EXPECT_EQ(q.at("files").at(0).at("quarantine_sample"), json::array());
}

// model_health: the monitor's report as the page reads it, every figure with its unit; a
// lake the monitor has not judged yet is a NotFound naming the command to run.
TEST_F(OpsTest, ModelHealthReportsTheMonitorsFiguresWithUnits) {
  const json out = ops::run_operation(context(), "model_health", json::object(), json::object());
  const json& r = out.at("result");
  EXPECT_EQ(r.at("current_model_id"), "2018-01-abcd1234");
  EXPECT_EQ(r.at("statuses"), json({{"ok", 1}, {"watch", 0}, {"degraded", 1}}));
  ASSERT_EQ(r.at("realized").size(), 2u);
  const json& degraded = r.at("realized").at(1);
  EXPECT_EQ(degraded.at("scored_month"), "2018-06");
  EXPECT_EQ(degraded.at("status"), "degraded");
  EXPECT_DOUBLE_EQ(degraded.at("roc_auc").get<double>(), 0.6);
  EXPECT_EQ(degraded.at("roc_auc_ci"), json({0.52, 0.68}));
  EXPECT_DOUBLE_EQ(degraded.at("expected_roc_auc").get<double>(), 0.76);
  EXPECT_EQ(degraded.at("expected_roc_auc_ci"), json({0.74, 0.79}));
  EXPECT_EQ(degraded.at("expected_source"), "backtest");
  EXPECT_EQ(degraded.count("inputs_sha256"), 0u);  // bookkeeping stays in the report
  EXPECT_EQ(r.at("pending").at(0).at("scored_month"), "2018-12");
  EXPECT_EQ(r.at("drift").at("features").at(0).at("feature"), "tenure_months");
  EXPECT_DOUBLE_EQ(r.at("drift").at("score_psi").get<double>(), 0.12);
  EXPECT_EQ(r.at("alerts").size(), 2u);
  EXPECT_TRUE(r.at("retrain").at("due").get<bool>());
  EXPECT_EQ(r.at("units").at("roc_auc"), "AUC 0-1");
  EXPECT_EQ(r.at("units").at("psi"), "PSI");
  EXPECT_EQ(r.at("units").at("matured_share"), "fraction");
  // Filters do not change it: it describes the model and the data, not a slice.
  EXPECT_EQ(run("model_health", json::object(), {{"province", {"Ontario"}}}), r);

  test::TempDir empty;
  core::Lake lake(write_fixture_lake(empty.path() / "lake"));
  fs::remove(lake.monitor_report());
  auto unmonitored = ops::OpsContext::open(lake);
  EXPECT_APP_ERROR(ops::run_operation(*unmonitored, "model_health", json::object(), json::object()),
                   core::ErrorKind::NotFound,
                   "'" + lake.monitor_report().string() +
                       "' does not exist; run `airline-analytics monitor` (or `run`) first");
}

TEST_F(OpsTest, ChurnSignalReportsWhatTheDiagnosticsSupportWithUnits) {
  const json out = ops::run_operation(context(), "churn_signal", json::object(), json::object());
  const json r = run("churn_signal");
  EXPECT_TRUE(r.at("one_feature_model").get<bool>());
  EXPECT_EQ(r.at("behaviour_signal"), "empty");  // the tenure-only interval includes 0
  EXPECT_EQ(r.at("dominant_feature"), "tenure_months");
  EXPECT_EQ(r.at("dominant_feature_label"), "Tenure");
  EXPECT_DOUBLE_EQ(r.at("dominant_single_auc").get<double>(), 0.74);
  EXPECT_DOUBLE_EQ(r.at("tenure_only_auc").get<double>(), 0.764);
  EXPECT_EQ(r.at("tenure_peak").at("tenure_months"), 8);
  EXPECT_EQ(r.at("cancellations"), 40);
  EXPECT_EQ(r.at("test_cutoff"), "2018-06");
  EXPECT_EQ(r.at("snapshot_comparison").at("rows").size(), 2u);
  EXPECT_NE(r.at("headline").get<std::string>().find("mostly one rule: tenure"),
            std::string::npos);
  EXPECT_EQ(out.at("result").at("units").at("added_over_tenure_auc"), "AUC difference");
  EXPECT_EQ(out.at("result").at("units").at("cancelled_avg"), "the feature's own unit");
  // Filters do not change it: it describes the model, not a slice.
  EXPECT_EQ(run("churn_signal", json::object(), {{"province", {"Ontario"}}}), r);
}

}  // namespace
}  // namespace aa::test
