#include "ops/ops_fixture.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>

#include "core/duck.h"
#include "core/sql_files.h"
#include "features/warehouse.h"
#include "model/signal_words.h"
#include "ops/registry.h"

namespace aa::test {

namespace {

std::vector<int> months(int from, int to, int step = 1) {
  std::vector<int> out;
  for (int m = from; m <= to; m += step) {
    out.push_back(m);
  }
  return out;
}

constexpr int ym(int year, int month) { return year * 12 + month - 1; }

std::string literal(const std::string& s) { return duck::quote_literal(s); }

std::string nullable(const std::optional<int>& v) { return v ? std::to_string(*v) : "null"; }

}  // namespace

std::optional<int> FixtureMember::cancellation_index() const {
  if (!cancellation_year) {
    return std::nullopt;
  }
  return *cancellation_year * 12 + *cancellation_month - 1;
}

int FixtureMember::tenure_months() const {
  return std::max(0, cancellation_index().value_or(kLastMonth) - enrollment_index());
}

std::optional<double> FixtureMember::churn_score() const {
  if (!churn_probability) {
    return std::nullopt;
  }
  return *churn_probability * clv;
}

double FixtureMember::contribution_tenure() const { return 0.5 - 0.01 * tenure_months(); }
double FixtureMember::contribution_recency() const { return 0.1 * recency - 0.2; }

const std::vector<FixtureMember>& fixture_members() {
  static const std::vector<FixtureMember> members = {
      {101,
       "Ontario",
       "Female",
       "Star",
       10000,
       "Standard",
       2016,
       3,
       {},
       {},
       0,
       48,
       72000,
       "Champions",
       0.10,
       "high",
       {"tenure_months", "months_since_last_flight"},
       months(ym(2017, 1), ym(2018, 12))},
      {102,
       "Ontario",
       "Male",
       "Nova",
       5000,
       "Standard",
       2015,
       6,
       2018,
       3,
       20,
       6,
       9000,
       "Dormant",
       {},
       "",
       {},
       months(ym(2017, 1), ym(2017, 4))},
      {103,
       "Quebec",
       "Female",
       "Aurora",
       2000,
       "2018 Promotion",
       2018,
       2,
       {},
       {},
       1,
       10,
       15000,
       "Potential",
       0.30,
       "high",
       {"tenure_months", "flights_3m", "loyalty_card"},
       months(ym(2018, 3), ym(2018, 11), 2)},
      {104,
       "Quebec",
       "Male",
       "Star",
       8000,
       "Standard",
       2012,
       1,
       2014,
       5,
       25,
       0,
       0,
       "Dormant",
       {},
       "",
       {},
       {}},
      {105,
       "Alberta",
       "Female",
       "Nova",
       3000,
       "Standard",
       2017,
       7,
       {},
       {},
       2,
       12,
       18000,
       "Loyal",
       0.02,
       "low",
       {"flights_3m"},
       months(ym(2017, 8), ym(2018, 10), 3)},
      {106,
       "Alberta",
       "Male",
       "Aurora",
       12000,
       "Standard",
       2013,
       11,
       {},
       {},
       8,
       14,
       21000,
       "At Risk",
       0.05,
       "medium",
       {"months_since_last_flight", "flights_3m"},
       months(ym(2017, 1), ym(2018, 4), 2)},
      {107,
       "British Columbia",
       "Female",
       "Star",
       7000,
       "Standard",
       2014,
       2,
       2017,
       9,
       14,
       4,
       6000,
       "At Risk",
       {},
       "",
       {},
       months(ym(2017, 2), ym(2017, 5))},
      {108,
       "British Columbia",
       "Male",
       "Nova",
       4000,
       "Standard",
       2016,
       8,
       {},
       {},
       1,
       30,
       45000,
       "Loyal",
       0.01,
       "low",
       {"loyalty_card"},
       months(ym(2017, 1), ym(2018, 11))},
      {109,
       "Ontario",
       "Female",
       "Aurora",
       6000,
       "2018 Promotion",
       2018,
       4,
       {},
       {},
       0,
       8,
       12000,
       "Potential",
       0.08,
       "high",
       {"tenure_months", "loyalty_card"},
       months(ym(2018, 5), ym(2018, 12))},
      {110,
       "Ontario",
       "Male",
       "Star",
       9000,
       "Standard",
       2012,
       5,
       {},
       {},
       0,
       40,
       60000,
       "Champions",
       0.03,
       "medium",
       {"months_since_last_flight"},
       months(ym(2017, 1), ym(2018, 12))},
      {111,
       "Yukon",
       "Female",
       "Nova",
       2500,
       "Standard",
       2017,
       1,
       2018,
       10,
       9,
       5,
       7500,
       "Dormant",
       {},
       "",
       {},
       months(ym(2017, 1), ym(2018, 1), 4)},
      {112,
       kPayloadProvince,
       "Male",
       "Aurora",
       4500,
       "Standard",
       2016,
       1,
       {},
       {},
       3,
       16,
       24000,
       "Potential",
       0.04,
       "medium",
       {"flights_3m", "tenure_months"},
       months(ym(2017, 1), ym(2018, 9), 2)},
  };
  return members;
}

namespace {

std::string features_insert(const FixtureMember& m) {
  const auto cancel = m.cancellation_year ? fmt::format("make_date({}, {}, 1)",
                                                        *m.cancellation_year, *m.cancellation_month)
                                          : "null";
  return fmt::format(
      "insert into customer_features values ({}, 'Canada', {}, 'City', {}, 'Bachelor', "
      "'Married', {}, {}, {}, {}, {}, make_date({}, {}, 1), {}, {}, {}, {}, {}, {}, {}, {}, 3, 3, "
      "3, {});",
      m.loyalty_number, literal(m.province), literal(m.gender), literal(m.loyalty_card), m.clv,
      literal(m.enrollment_type), m.enrollment_year, m.enrollment_month, m.enrollment_year,
      m.enrollment_month, nullable(m.cancellation_year), nullable(m.cancellation_month), cancel,
      m.is_cancelled() ? "true" : "false", m.tenure_months(), m.recency, m.frequency, m.monetary,
      literal(m.rfm_segment));
}

std::string predictions_insert(const FixtureMember& m) {
  std::vector<std::string> reasons(3, "null");
  std::vector<std::string> features(3, "null");
  for (std::size_t k = 0; k < m.reason_features.size(); ++k) {
    features[k] = literal(m.reason_features[k]);
    reasons[k] = literal("Reason about " + m.reason_features[k]);
  }
  return fmt::format(
      "insert into churn_predictions values ({}, {}, {}, {}, {}, {}, {}, {}, {}, {}, "
      "date '2018-12-01', {}, {});",
      m.loyalty_number, *m.churn_probability, *m.churn_score(), literal(m.risk_tier), reasons[0],
      reasons[1], reasons[2], features[0], features[1], features[2], m.contribution_tenure(),
      m.contribution_recency());
}

void write_activity(duck::Connection& c, const FixtureMember& m) {
  for (int month = kFirstMonth; month <= kLastMonth; ++month) {
    // 105 enrolled in 2017-07 and has no rows before; 108 misses its 2018-05 row.
    if ((m.loyalty_number == 105 && month < ym(2017, 7)) ||
        (m.loyalty_number == 108 && month == ym(2018, 5))) {
      continue;
    }
    const bool flew = std::count(m.months_flown.begin(), m.months_flown.end(), month) > 0;
    const int flights = flew ? 2 : 0;
    c.execute(fmt::format(
        "insert into customer_flight_activity values ({}, {}, {}, {}, {}, {}, 0, 0);",
        m.loyalty_number, month / 12, month % 12 + 1, flights, flights * 1000, flights * 100.0));
  }
}

// Diagnostics of a one-feature model, as train writes them (figures made up, in the real data's
// shape): tenure carries the model, and flight activity adds nothing to tenure alone.
nlohmann::json fixture_diagnostics() {
  return {{"model_auc", 0.77},
          {"single_feature_auc",
           {{{"feature", "tenure_months"},
             {"mean_abs_contribution", 1.08},
             {"auc", 0.74},
             {"direction", "lower values riskier"}}}},
          {"dominant_feature",
           {{"name", "tenure_months"},
            {"importance_share", 0.72},
            {"single_auc", 0.74},
            {"added_auc", 0.03},
            {"added_auc_ci", {0.01, 0.04}}}},
          {"stratified_auc",
           {{"feature", "tenure_months"}, {"auc", 0.54}, {"auc_ci", {0.49, 0.58}}}},
          {"comparisons",
           {{"tenure_only",
             {{"baseline_auc", 0.764},
              {"auc_difference", 0.003},
              {"auc_difference_ci", {-0.012, 0.016}}}}}},
          {"calibration",
           {{"base_rate", 0.026},
            {"brier", 0.024},
            {"brier_skill_score", 0.05},
            {"slope", 0.86},
            {"slope_ci", {0.7, 1.0}},
            {"intercept", -0.3},
            {"ece", 0.004},
            {"ece_over_base_rate", 0.17}}},
          {"one_feature_model", true},
          {"one_feature_rule", "importance_share >= 0.5 or added_auc's interval includes 0"}};
}

void write_json(const fs::path& path, const nlohmann::json& value) {
  fs::create_directories(path.parent_path());
  std::ofstream(path) << value.dump(2);
}

}  // namespace

// reports/monitor.json as the monitor writes it (monitor/monitor_stage.cc), hand-made: two
// judged scorings (one ok, one degraded), one pending, the latest scoring's drift with one
// major shift on a top-5 feature, and the latest arrival's quality against the previous one.
nlohmann::json fixture_monitor_report() {
  const nlohmann::json expected = {{"source", "backtest"},    {"cutoff", "2017-12"},
                                   {"roc_auc", 0.76},         {"roc_auc_ci", {0.74, 0.79}},
                                   {"pr_auc", 0.1},           {"lift_top10", 4.8},
                                   {"lift_top10_ci", {4.1, 5.5}}, {"precision_top10", 0.12},
                                   {"base_rate", 0.026},      {"n", 200}};
  auto scoring = [&](const std::string& month, double auc, nlohmann::json ci, double lift,
                     const std::string& status, const std::string& reason) {
    return nlohmann::json{{"scored_month", month},
                          {"model_id", "2018-01-abcd1234"},
                          {"members", 180},
                          {"cancellations", 12},
                          {"matured_months", 6},
                          {"matured_share", 1.0},
                          {"roc_auc", auc},
                          {"roc_auc_ci", ci},
                          {"pr_auc", 0.2},
                          {"pr_auc_ci", {0.1, 0.3}},
                          {"lift_top10", lift},
                          {"lift_top10_ci", {lift - 1, lift + 1}},
                          {"precision_top10", 0.2},
                          {"precision_top10_ci", {0.1, 0.3}},
                          {"observed_rate", 12.0 / 180},
                          {"observed_rate_ci", {0.038, 0.113}},
                          {"mean_predicted", 0.05},
                          {"calibration_ratio", 12.0 / 180 / 0.05},
                          {"brier", 0.06},
                          {"brier_ci", {0.04, 0.08}},
                          {"bootstrap_resamples", 200},
                          {"cancelled_at_or_before_scoring", 0},
                          {"expected", expected},
                          {"status", status},
                          {"status_reason", reason},
                          {"inputs_sha256", "0"}};
  };
  return {
      {"data_last_month", "2018-12"},
      {"current_model_id", "2018-01-abcd1234"},
      {"realized",
       {scoring("2018-05", 0.77, {0.7, 0.84}, 4.5, "ok", "ROC AUC 0.770 within expectations"),
        scoring("2018-06", 0.6, {0.52, 0.68}, 2.0, "degraded",
                "ROC AUC 0.600 [0.520, 0.680] lies below the expected 0.760 [0.740, 0.790]")}},
      {"pending",
       {{{"scored_month", "2018-12"},
         {"model_id", "2018-01-abcd1234"},
         {"members", 190},
         {"matured_share", 0.0}}}},
      {"statuses", {{"ok", 1}, {"watch", 0}, {"degraded", 1}}},
      {"drift",
       {{"scored_month", "2018-12"},
        {"model_id", "2018-01-abcd1234"},
        {"reference_month", "2018-01"},
        {"members", 190},
        {"features",
         {{{"feature", "tenure_months"},
           {"importance_rank", 1},
           {"top5", true},
           {"psi", 0.31},
           {"shift", "major"},
           {"mean_change", 0.08},
           {"level_shift", false}},
          {{"feature", "distance_12m"},
           {"importance_rank", 2},
           {"top5", true},
           {"psi", 0.02},
           {"shift", "stable"}}}},
        {"score", {{"feature", "churn_probability"}, {"psi", 0.12}, {"shift", "moderate"}}},
        {"by_month",
         {{{"scored_month", "2018-12"},
           {"model_id", "2018-01-abcd1234"},
           {"score_psi", 0.12},
           {"max_feature_psi", 0.31},
           {"max_feature", "tenure_months"}}}}}},
      {"data_quality",
       {{"arrival", "2018-12_0badf00d"},
        {"data_last_month", "2018-12"},
        {"quarantine_rate", 0.025},
        {"rows_quarantined", 8},
        {"missing_month_rate", 0.01},
        {"missing_member_months", 3},
        {"previous_arrival", "2018-11_0ddba11s"},
        {"previous_quarantine_rate", 0.02},
        {"previous_rows_quarantined", 6},
        {"previous_missing_month_rate", 0.01},
        {"previous_missing_member_months", 3}}},
      {"alerts",
       {{{"kind", "degraded"},
         {"severity", "alert"},
         {"subject", "scoring 2018-06"},
         {"message", "scoring 2018-06 (100% matured), model 2018-01-abcd1234: ROC AUC 0.600 "
                     "[0.520, 0.680] lies below the expected 0.760 [0.740, 0.790]"},
         {"figure", 0.6},
         {"threshold", 0.76},
         {"model_id", "2018-01-abcd1234"},
         {"retrain", true}},
        {{"kind", "drift"},
         {"severity", "alert"},
         {"subject", "tenure_months"},
         {"message", "tenure_months (a top-5 feature) moved since the model's reference "
                     "(2018-01): PSI 0.310 at 2018-12 (major shift)"},
         {"figure", 0.31},
         {"threshold", 0.25},
         {"model_id", "2018-01-abcd1234"},
         {"retrain", true}}}},
      {"retrain",
       {{"due", true},
        {"reasons", {"scoring 2018-06 is degraded", "tenure_months moved: PSI 0.310"}}}},
      {"rules", {{"status", "degraded: ...; watch: ...; ok: otherwise"}}}};
}

core::Lake write_fixture_lake(const std::filesystem::path& root) {
  core::Lake lake(root);
  lake.create();
  {
    auto db = duck::Database::open(lake.warehouse().string());
    duck::Connection c(db);
    c.execute(
        "create table customer_features (loyalty_number bigint, country varchar, province "
        "varchar, city varchar, gender varchar, education varchar, marital_status varchar, "
        "loyalty_card varchar, clv double, enrollment_type varchar, enrollment_year integer, "
        "enrollment_month integer, enrollment_date date, cancellation_year integer, "
        "cancellation_month integer, cancellation_date date, is_cancelled boolean, "
        "tenure_months integer, recency integer, frequency bigint, monetary bigint, r_score "
        "integer, f_score integer, m_score integer, rfm_segment varchar)");
    c.execute(
        "create table churn_predictions (loyalty_number bigint, churn_probability double, "
        "churn_score double, risk_tier varchar, reason_1 varchar, reason_2 varchar, reason_3 "
        "varchar, reason_feature_1 varchar, reason_feature_2 varchar, reason_feature_3 varchar, "
        "scored_at date, contribution_tenure_months float, "
        "contribution_months_since_last_flight float)");
    c.execute(
        "create table customer_flight_activity (loyalty_number bigint, year integer, month "
        "integer, total_flights integer, distance bigint, points_accumulated double, "
        "points_redeemed bigint, dollar_cost_points_redeemed double)");
    // The loyalty history's personal fields (customer_profile reads them; the server hides them).
    c.execute(
        "create table customer_loyalty_history (loyalty_number bigint, postal_code varchar, "
        "salary double)");
    for (const auto& m : fixture_members()) {
      c.execute(fmt::format("insert into customer_loyalty_history values ({}, 'T9G {}W3', {})",
                            m.loyalty_number, m.loyalty_number % 10,
                            50000 + (m.loyalty_number % 100) * 1000));
    }
    for (const auto& m : fixture_members()) {
      c.execute(features_insert(m));
      if (m.churn_probability) {
        c.execute(predictions_insert(m));
      }
      write_activity(c, m);
    }
    // The whole loyalty history, as ingest publishes it: the staged model over it gives the
    // operations their month indexes (ops_members.sql).
    c.execute(
        "create table loyalty_full as select f.loyalty_number, f.country, f.province, f.city, "
        "p.postal_code, f.gender, f.education, p.salary, f.marital_status, f.loyalty_card, f.clv, "
        "f.enrollment_type, f.enrollment_year, f.enrollment_month, f.cancellation_year, "
        "f.cancellation_month from customer_loyalty_history p join customer_features f "
        "using (loyalty_number) order by loyalty_number");
    c.execute("drop table customer_loyalty_history");
    c.execute("alter table loyalty_full rename to customer_loyalty_history");
    c.execute(core::sql_file("features/sql/warehouse/customer_scored.sql"));
    // The operations' tables, as the warehouse stage builds them.
    const auto views =
        features::create_staging_views(c, "customer_loyalty_history", "customer_flight_activity");
    features::create_ops_tables(c);
    for (auto it = views.rbegin(); it != views.rend(); ++it) {
      c.execute("drop view " + *it);
    }
    c.execute("checkpoint");
  }
  write_json(lake.churn_artifacts() / "metrics.json",
             {{"target", "cancellation"},
              {"label", "the member cancels in (T, T+6 months]"},
              {"cutoffs", {{"train", {"2017-03", "2017-12"}}, {"test", {"2018-06"}}}},
              {"n_train", 1000},
              {"n_test", 200},
              {"out_of_time",
               {{"roc_auc", 0.76},
                {"roc_auc_ci", {0.74, 0.79}},
                {"pr_auc", 0.1},
                {"base_rate", 0.026},
                {"brier", 0.024},
                {"ece", 0.004},
                {"top_10pct", {{"precision", 0.12}, {"recall", 0.48}, {"lift", 4.8}}},
                {"reliability",
                 {{{"mean_probability", 0.01}, {"fraction_positive", 0.012}, {"count", 100}},
                  {{"mean_probability", 0.05}, {"fraction_positive", 0.04}, {"count", 100}}}},
                {"feature_importance",
                 {{{"feature", "tenure_months"}, {"mean_abs_contribution", 1.08}},
                  {{"feature", "distance_12m"}, {"mean_abs_contribution", 0.4}}}},
                {"curves",
                 {{"roc",
                   {{{"false_positive_rate", 0}, {"true_positive_rate", 0}, {"threshold", nullptr}},
                    {{"false_positive_rate", 1}, {"true_positive_rate", 1}, {"threshold", 0.01}}}},
                  {"pr", {{{"recall", 0.5}, {"precision", 0.2}, {"threshold", 0.3}}}},
                  {"lift_by_decile",
                   {{{"decile", 1},
                     {"members", 20},
                     {"positives", 3},
                     {"churn_rate", 0.15},
                     {"lift", 5.77},
                     {"cumulative_recall", 0.6}}}}}}}},
              {"baselines",
               {{"recency_rule", {{"roc_auc", 0.5}}},
                {"logistic_regression", {{"roc_auc", 0.74}}},
                {"reference_recipe", {{"roc_auc", 0.75}}}}},
              {"leaky_reference_protocol", {{"roc_auc", 0.87}, {"why_leaky", "label leak"}}},
              {"diagnostics", fixture_diagnostics()},
              {"snapshot_comparison",
               {{"cutoff", "2018-06"},
                {"cancelled_members", 5},
                {"stayed_members", 195},
                {"strata_feature", "tenure_months"},
                {"rows",
                 {{{"feature", "months_since_last_flight"},
                   {"cancelled_avg", 1.2},
                   {"stayed_avg", 1.3},
                   {"auc", 0.49},
                   {"auc_within_strata", 0.48}},
                  {{"feature", "flights_12m"},
                   {"cancelled_avg", 9.5},
                   {"stayed_avg", 9.8},
                   {"auc", 0.51},
                   {"auc_within_strata", 0.47}}}}}},
              {"tenure_hazard",
               {{"cancellations", 40},
                {"peak",
                 {{"tenure_months", 8},
                  {"events", 21},
                  {"share_of_cancellations", 0.525},
                  {"hazard", 0.1},
                  {"neighbour_hazard", 0.004},
                  {"ratio", 25.0},
                  {"p_value", 1e-20}}}}}});
  {  // The words as train writes them, from the figures above.
    auto metrics = nlohmann::json::parse(read_text(lake.churn_artifacts() / "metrics.json"));
    metrics["signal"] = model::signal_words(metrics);
    write_json(lake.churn_artifacts() / "metrics.json", metrics);
  }
  write_text(lake.churn_artifacts() / "model_card.md", "# Churn model card\n\nFixture.\n");
  write_json(lake.ingest_report(),
             {{"balanced", true},
              {"files",
               {{{"file", "Customer Loyalty History.csv"},
                 {"rows_read", 14},
                 {"rows_loaded", 12},
                 {"rows_quarantined", 2},
                 {"rows_merged", 0},
                 {"balanced", true},
                 {"violations_by_rule", {{"not_null", 1}, {"enum", 1}}}},
                {{"file", "Customer Flight Activity.csv"},
                 {"rows_read", 300},
                 {"rows_loaded", 284},
                 {"rows_quarantined", 6},
                 {"rows_merged", 10},
                 {"balanced", true},
                 {"violations_by_rule", {{"range", 5}, {"type", 1}}},
                 {"quarantine_sample",
                  {{{"file", "Customer Flight Activity.csv"},
                    {"line", 17},
                    {"column", 4},
                    {"column_name", "Total Flights"},
                    {"value", "-3"},
                    {"rule", "range"},
                    {"message", "Total Flights must be >= 0"},
                    {"raw_record", "100018,2017,1,-3,0,0,0,0,0"}}}}}}},
              {"quarantine", {{"path", "quarantine/rejected_rows.parquet"}, {"records", 8}}}});
  write_json(lake.monitor_report(), fixture_monitor_report());
  return lake;
}

double linear_quantile(std::vector<double> v, double q) {
  std::sort(v.begin(), v.end());
  const double pos = q * static_cast<double>(v.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(pos));
  const auto hi = static_cast<std::size_t>(std::ceil(pos));
  return v[lo] + (v[hi] - v[lo]) * (pos - static_cast<double>(lo));
}

void FixtureContextTest::SetUpTestSuite() {
  dir_ = new TempDir();
  lake_ = new core::Lake(write_fixture_lake(dir_->path()));
  context_ = ops::OpsContext::open(*lake_).release();
}

void FixtureContextTest::TearDownTestSuite() {
  delete context_;
  delete lake_;
  delete dir_;
  context_ = nullptr;
  lake_ = nullptr;
  dir_ = nullptr;
}

nlohmann::json FixtureContextTest::run(const std::string& op, const nlohmann::json& params,
                                       const nlohmann::json& filters) {
  return ops::run_operation(*context_, op, params, filters).at("result");
}

}  // namespace aa::test
