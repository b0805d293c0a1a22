// The generator's scenarios and their planted truth: deterministic, the truth covering exactly
// the members a snapshot would hold, its probabilities matching what happens, and each
// scenario's mechanism where it should be.
#include <gtest/gtest.h>

#include <map>

#include "core/duck.h"
#include "core/files.h"
#include "sample/sample_generator.h"
#include "sample/scenario.h"
#include "support/test_support.h"

namespace aa {
namespace {

sample::SampleResult generate(const fs::path& dir, sample::Scenario scenario, std::int64_t members,
                              std::uint64_t seed = 42) {
  sample::SampleOptions o;
  o.out_dir = dir;
  o.members = members;
  o.seed = seed;
  o.scenario = scenario;
  return sample::generate_sample(o);
}

// A DuckDB session with views l (loyalty, month indexes), a (activity) and t (truth).
class Files {
 public:
  explicit Files(const sample::SampleResult& r) : db_(duck::Database::open(":memory:")), c_(db_) {
    c_.execute("create view l as select \"Loyalty Number\" as n, \"Enrollment Year\" * 12 + "
               "\"Enrollment Month\" - 1 as e, \"Cancellation Year\" * 12 + "
               "\"Cancellation Month\" - 1 as c from read_csv(" +
               duck::quote_literal(r.loyalty_file.string()) + ", header = true)");
    c_.execute("create view a as select \"Loyalty Number\" as n, \"Year\" * 12 + \"Month\" - 1 "
               "as m, \"Total Flights\" as flights from read_csv(" +
               duck::quote_literal(r.activity_file.string()) + ", header = true)");
    c_.execute("create view t as select * from read_parquet(" +
               duck::quote_literal(r.truth_file.string()) + ")");
  }
  std::int64_t count(const std::string& sql) { return c_.query(sql).scalar_int64(); }
  double number(const std::string& sql) { return c_.query(sql).float64(0, 0); }

 private:
  duck::Database db_;
  duck::Connection c_;
};

TEST(Scenario, UnknownNamesListTheChoices) {
  EXPECT_APP_ERROR(sample::parse_scenario("churny"), core::ErrorKind::InvalidInput,
                   "unknown scenario 'churny'; valid scenarios: reference-like, behaviour, "
                   "tenure-cliff, drift");
  EXPECT_EQ(sample::parse_scenario("tenure-cliff"), sample::Scenario::TenureCliff);
}

TEST(Scenario, EveryScenarioIsTheSameForASeedTruthIncluded) {
  test::TempDir dir;
  for (const auto& s : sample::scenarios()) {
    const auto a = generate(dir / (std::string(s.name) + "-a"), s.id, 1500, 7);
    const auto b = generate(dir / (std::string(s.name) + "-b"), s.id, 1500, 7);
    const auto c = generate(dir / (std::string(s.name) + "-c"), s.id, 1500, 8);
    EXPECT_EQ(core::sha256_file(a.activity_file).sha256, core::sha256_file(b.activity_file).sha256)
        << s.name;
    EXPECT_EQ(core::sha256_file(a.loyalty_file).sha256, core::sha256_file(b.loyalty_file).sha256)
        << s.name;
    EXPECT_EQ(core::sha256_file(a.truth_file).sha256, core::sha256_file(b.truth_file).sha256)
        << s.name;
    EXPECT_NE(core::sha256_file(a.activity_file).sha256, core::sha256_file(c.activity_file).sha256)
        << s.name;
    EXPECT_EQ(a.truth_file.filename(), "truth.parquet");
    EXPECT_GT(a.truth_rows, 1500);
  }
}

TEST(Scenario, NoTruthMeansNoTruthFile) {
  test::TempDir dir;
  generate(dir.path(), sample::Scenario::Behaviour, 200);
  ASSERT_TRUE(fs::exists(dir / "truth.parquet"));
  sample::SampleOptions o;
  o.out_dir = dir.path();
  o.members = 200;
  o.truth = false;
  const auto r = sample::generate_sample(o);
  EXPECT_TRUE(r.truth_file.empty());
  EXPECT_FALSE(fs::exists(dir / "truth.parquet"));  // not a stale truth of other files
}

// Leaving the truth out (it is then not computed) draws the same members: the same files.
TEST(Scenario, TheFilesAreTheSameWithOrWithoutTruth) {
  test::TempDir dir;
  for (const auto& s : sample::scenarios()) {
    const auto with = generate(dir / (std::string(s.name) + "-with"), s.id, 1500, 11);
    sample::SampleOptions o;
    o.out_dir = dir / (std::string(s.name) + "-without");
    o.members = 1500;
    o.seed = 11;
    o.scenario = s.id;
    o.truth = false;
    const auto without = sample::generate_sample(o);
    EXPECT_EQ(core::sha256_file(with.activity_file).sha256,
              core::sha256_file(without.activity_file).sha256)
        << s.name;
    EXPECT_EQ(core::sha256_file(with.loyalty_file).sha256,
              core::sha256_file(without.loyalty_file).sha256)
        << s.name;
    EXPECT_EQ(with.cancelled, without.cancelled) << s.name;
  }
}

// Per scenario: the truth has one row per member and month in which a snapshot holds the
// member (enrolled by the month, not cancelled by it, inside the data window), and its
// six-month probability matches the cancellations that follow.
TEST(Scenario, TruthCoversThePopulationAndMatchesWhatHappens) {
  test::TempDir dir;
  for (const auto& s : sample::scenarios()) {
    SCOPED_TRACE(s.name);
    const auto r = generate(dir / s.name, s.id, 20000);
    Files f(r);
    const int first = s.window_first;
    EXPECT_EQ(f.count("select min(m) from a"), first);
    EXPECT_EQ(f.count("select max(m) from a"), 2018 * 12 + 11);
    // The population, from the loyalty file, against the truth's rows: the same set.
    const std::string population = fmt::format(
        "select n, m from l, range({}, {}) r(m) where e <= m and (c is null or c > m)", first,
        2018 * 12 + 12);
    EXPECT_EQ(f.count("select count(*) from (" + population +
                      " except all select loyalty_number, month_index from t)"),
              0);
    EXPECT_EQ(f.count("select count(*) from (select loyalty_number, month_index from t except "
                      "all " + population + ")"),
              0);
    EXPECT_EQ(f.count("select count(*) from t where hazard < 0 or hazard > p_cancel_6m or "
                      "p_cancel_6m > 1 or year * 12 + month - 1 <> month_index"),
              0);
    // At 2018-06 (labels known to 2018-12): mean truth against the observed rate, within
    // four standard errors, and the truth ranks who cancels.
    const std::string at = "select t.*, (l.c > t.month_index and l.c <= t.month_index + 6) is "
                           "true as y from t join l on l.n = t.loyalty_number where "
                           "t.month_index = 2018 * 12 + 5";
    const double mean = f.number("select avg(p_cancel_6m) from (" + at + ")");
    const double observed = f.number("select avg(y::int) from (" + at + ")");
    const double n = static_cast<double>(f.count("select count(*) from (" + at + ")"));
    EXPECT_NEAR(observed, mean, 4 * std::sqrt(mean * (1 - mean) / n));
    EXPECT_GT(f.number("select avg(y::int) filter (where p_cancel_6m >= q) / avg(y::int) from ("
                       "select *, quantile_cont(p_cancel_6m, 0.9) over () as q from (" +
                       at + "))"),
              2.0);  // the top decile by truth cancels at over twice the average rate
  }
}

double cliff_share(Files& f) {
  return f.number("select avg((c - e = 8)::int) from l where c is not null");
}

TEST(Scenario, EachScenarioPlantsItsMechanism) {
  test::TempDir dir;
  Files reference(generate(dir / "r", sample::Scenario::ReferenceLike, 20000));
  Files cliff(generate(dir / "c", sample::Scenario::TenureCliff, 20000));
  Files behaviour(generate(dir / "b", sample::Scenario::Behaviour, 20000));
  // reference-like: a month-8 cliff, its share rising by cohort as in the real data.
  EXPECT_GT(cliff_share(reference), 0.3);
  EXPECT_LT(cliff_share(reference), 0.65);
  EXPECT_GT(reference.number("select avg((c - e = 8)::int) filter (where e // 12 = 2017) - "
                             "avg((c - e = 8)::int) filter (where e // 12 = 2013) from l where c "
                             "is not null"),
            0.4);
  // tenure-cliff: most cancellations at month 8, and the truth is a function of tenure alone.
  EXPECT_GT(cliff_share(cliff), 0.5);
  EXPECT_EQ(cliff.count("select count(*) from (select month_index - e, count(distinct "
                        "p_cancel_6m) as k from t join l on l.n = t.loyalty_number group by 1) "
                        "where k > 1"),
            0);
  EXPECT_EQ(cliff.count("select count(distinct top_mechanism) from t"), 2);  // cliff, baseline
  // behaviour: no cliff, and every behaviour mechanism is somebody's top one.
  EXPECT_LT(cliff_share(behaviour), 0.05);
  for (const char* m : {"flight_trend", "recency", "redemption_stop", "card_tier", "promotion"}) {
    EXPECT_GT(behaviour.count(fmt::format("select count(*) from t where top_mechanism = '{}'", m)),
              100)
        << m;
  }
}

TEST(Scenario, DriftChangesTheMechanismAtItsMonthAndNotBefore) {
  test::TempDir dir;
  const auto b = generate(dir / "b", sample::Scenario::Behaviour, 10000);
  const auto d = generate(dir / "d", sample::Scenario::Drift, 10000);  // drift month 2018-06
  auto db = duck::Database::open(":memory:");
  duck::Connection c(db);
  const auto view = [&](const char* name, const sample::SampleResult& r) {
    c.execute(fmt::format("create view {} as select * from read_parquet({})", name,
                          duck::quote_literal(r.truth_file.string())));
  };
  view("tb", b);
  view("td", d);
  const int drift = 2018 * 12 + 5;
  // Before the drift month the two are the same people with the same truth.
  EXPECT_EQ(c.query(fmt::format("select count(*) from (select * from tb where month_index < {0} "
                                "except all select * from td where month_index < {0})",
                                drift))
                .scalar_int64(),
            0);
  // From it on, card tier leads for many more members, and members fly less.
  const auto card_share = [&](const char* t) {
    return c.query(fmt::format("select avg((top_mechanism = 'card_tier')::int) from {} where "
                               "month_index = {}",
                               t, drift + 3))
        .float64(0, 0);
  };
  EXPECT_GT(card_share("td"), card_share("tb") + 0.2);
  c.execute(fmt::format(
      "create view fb as select avg((\"Total Flights\" > 0)::int) as flying from read_csv({}) "
      "where \"Year\" * 12 + \"Month\" - 1 >= {}",
      duck::quote_literal(b.activity_file.string()), drift));
  c.execute(fmt::format(
      "create view fd as select avg((\"Total Flights\" > 0)::int) as flying from read_csv({}) "
      "where \"Year\" * 12 + \"Month\" - 1 >= {}",
      duck::quote_literal(d.activity_file.string()), drift));
  EXPECT_LT(c.query("select (select flying from fd) / (select flying from fb)").float64(0, 0),
            0.85);
}

}  // namespace
}  // namespace aa
