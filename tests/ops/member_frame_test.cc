// The member frame on the fixture warehouse: columns read back as the fixture wrote them,
// filters as row tests, quantile walks and contribution sums (with and without the second
// thread), each against plain C++ over the fixture's members.

#include "ops/member_frame.h"

#include <algorithm>
#include <cmath>
#include <memory>

#include "ops/ops_context.h"
#include "ops/ops_fixture.h"
#include "support/test_support.h"

namespace aa::test {
namespace {

using ops::MemberFrame;

class MemberFrameTest : public FixtureContextTest {
 protected:
  static const MemberFrame& frame() { return context().frame(); }
  static const FixtureMember& member(std::uint32_t row) {
    const auto& all = fixture_members();
    const auto it = std::find_if(all.begin(), all.end(), [&](const FixtureMember& m) {
      return m.loyalty_number == frame().loyalty_number[row];
    });
    EXPECT_NE(it, all.end());
    return *it;
  }
};

TEST_F(MemberFrameTest, ColumnsMatchTheFixtureRowByRow) {
  const MemberFrame& f = frame();
  ASSERT_EQ(f.size(), fixture_members().size());
  EXPECT_TRUE(std::is_sorted(f.loyalty_number.begin(), f.loyalty_number.end()));
  for (std::uint32_t r = 0; r < f.size(); ++r) {
    const FixtureMember& m = member(r);
    EXPECT_EQ(f.province.json(r), m.province);
    EXPECT_EQ(f.rfm_segment.json(r), m.rfm_segment);
    EXPECT_EQ(f.loyalty_card.json(r), m.loyalty_card);
    EXPECT_DOUBLE_EQ(f.clv[r], m.clv);
    EXPECT_EQ(f.clv_cents[r], std::llround(m.clv * 100));
    EXPECT_EQ(f.tenure_months[r], m.tenure_months());
    EXPECT_EQ(f.recency[r], m.recency);
    EXPECT_EQ(f.cancelled[r] != 0, m.is_cancelled());
    EXPECT_EQ(f.enrollment_month_index[r], m.enrollment_index());
    EXPECT_EQ(f.cancellation_month_index[r],
              m.cancellation_index().value_or(MemberFrame::kNoMonth));
    EXPECT_EQ(std::isnan(f.churn_probability[r]), !m.churn_probability.has_value());
    for (std::size_t k = 0; k < 3; ++k) {
      if (k < m.reason_features.size()) {
        EXPECT_EQ(f.reason(r, k), "Reason about " + m.reason_features[k]);
        EXPECT_EQ(f.reason_features.at(static_cast<std::size_t>(f.reason_feature[k][r])),
                  m.reason_features[k]);
      } else {
        EXPECT_TRUE(f.reason(r, k).is_null());
        EXPECT_EQ(f.reason_feature[k][r], MemberFrame::kNoFeature);
      }
    }
    EXPECT_EQ(f.row_of(m.loyalty_number), r);
  }
  EXPECT_FALSE(f.row_of(999999).has_value());
}

TEST_F(MemberFrameTest, SelectAndMatchesAgreeWithTheFilters) {
  const MemberFrame& f = frame();
  ops::Filters filters;
  filters.values["province"] = {"Ontario", "British Columbia"};
  filters.at_least["clv"] = 3000;
  const ops::Slice slice = f.select(filters);
  EXPECT_FALSE(slice.is_all());
  std::size_t expected = 0;
  for (std::uint32_t r = 0; r < f.size(); ++r) {
    const FixtureMember& m = member(r);
    const bool in = (m.province == "Ontario" || m.province == "British Columbia") && m.clv >= 3000;
    expected += in ? 1 : 0;
    EXPECT_EQ(slice.contains(r), in) << m.loyalty_number;
    EXPECT_EQ(f.matches(filters, r), in) << m.loyalty_number;
  }
  EXPECT_EQ(slice.size(), expected);
  EXPECT_GT(expected, 0u);
  EXPECT_TRUE(f.select(ops::Filters{}).is_all());
}

TEST_F(MemberFrameTest, ASliceIsBuiltOncePerFiltersAndEvictedOldestFirst) {
  const MemberFrame& f = frame();
  ops::Filters ontario;
  ontario.values["province"] = {"Ontario"};
  const ops::Slice first = f.select(ontario);
  const ops::Slice again = f.select(ontario);
  EXPECT_EQ(&first.rows(), &again.rows());  // the same selection, not a rebuilt one
  // Nine other filter sets push it out of the eight-entry cache; then it is rebuilt, equal.
  for (int clv = 1; clv <= 9; ++clv) {
    ops::Filters other;
    other.at_least["clv"] = clv * 1000.0;
    const ops::Slice s = f.select(other);
    EXPECT_EQ(&f.select(other).rows(), &s.rows());
  }
  const ops::Slice rebuilt = f.select(ontario);
  EXPECT_NE(&rebuilt.rows(), &first.rows());
  EXPECT_EQ(rebuilt.rows(), first.rows());
}

TEST_F(MemberFrameTest, QuantileWalksMatchSortedValues) {
  const MemberFrame& f = frame();
  const auto cents = [&](std::size_t i) { return static_cast<double>(f.sorted_clv_cents[i]); };
  std::vector<double> all;
  for (const auto& m : fixture_members()) {
    all.push_back(static_cast<double>(std::llround(m.clv * 100)));
  }
  const ops::Slice everyone = f.select(ops::Filters{});
  const auto qs = ops::slice_quantiles(f.by_clv, everyone, static_cast<std::int64_t>(all.size()),
                                       {0.0, 0.25, 0.5, 2.0 / 3, 1.0}, cents);
  EXPECT_DOUBLE_EQ(qs[0], linear_quantile(all, 0.0));
  EXPECT_DOUBLE_EQ(qs[1], linear_quantile(all, 0.25));
  EXPECT_DOUBLE_EQ(qs[2], linear_quantile(all, 0.5));
  EXPECT_DOUBLE_EQ(qs[3], linear_quantile(all, 2.0 / 3));
  EXPECT_DOUBLE_EQ(qs[4], linear_quantile(all, 1.0));

  // A slice walks the order; groups (by card) each get their own median in the same walk.
  ops::Filters filters;
  filters.values["gender"] = {"Female"};
  const ops::Slice women = f.select(filters);
  std::vector<double> values;
  std::vector<std::vector<double>> by_card(f.loyalty_card.group_count());
  std::vector<std::int64_t> counts(f.loyalty_card.group_count(), 0);
  for (const std::uint32_t r : women.rows()) {
    values.push_back(static_cast<double>(f.clv_cents[r]));
    by_card[f.loyalty_card.group_of(r)].push_back(static_cast<double>(f.clv_cents[r]));
    ++counts[f.loyalty_card.group_of(r)];
  }
  ASSERT_GE(values.size(), 3u);
  const auto q = ops::slice_quantiles(f.by_clv, women, static_cast<std::int64_t>(values.size()),
                                      {0.75}, cents);
  EXPECT_DOUBLE_EQ(q[0], linear_quantile(values, 0.75));
  const auto medians = ops::grouped_quantile(
      f.by_clv, women, f.loyalty_card.group_count(), 0.5,
      [&](std::size_t i) { return f.loyalty_card.group_of(f.by_clv[i]); }, cents);
  for (std::size_t g = 0; g < by_card.size(); ++g) {
    if (by_card[g].empty()) {
      EXPECT_TRUE(std::isnan(medians[g]));
    } else {
      EXPECT_DOUBLE_EQ(medians[g], linear_quantile(by_card[g], 0.5));
    }
  }
  EXPECT_TRUE(std::isnan(ops::slice_quantiles(f.by_clv, women, 0, {0.5}, cents)[0]));

  // Ranks found through chunk counts, with chunks far smaller than the order (a 10M frame's
  // are 65,536 long): every rank of every group lands on the member a walk in order finds.
  for (const std::size_t chunk : {std::size_t{1}, std::size_t{7}, std::size_t{64}}) {
    const auto card_at = [&](std::size_t i) { return f.loyalty_card.group_of(f.by_clv[i]); };
    const ops::RankIndex<decltype(card_at)> index(f.by_clv, women, f.loyalty_card.group_count(),
                                                  card_at, chunk);
    std::vector<std::int64_t> seen(f.loyalty_card.group_count(), 0);
    for (std::size_t i = 0; i < f.by_clv.size(); ++i) {
      if (women.contains(f.by_clv[i])) {
        const std::size_t g = card_at(i);
        EXPECT_EQ(index.find(g, seen[g]++), i) << "chunk " << chunk;
      }
    }
    for (std::size_t g = 0; g < seen.size(); ++g) {
      EXPECT_EQ(index.total(g), counts[g]) << "chunk " << chunk;
    }
  }
}

// The slice's shared count in the CLV order: every rank, overall and in every group of each
// summary column, lands on the member a walk of the order finds, with chunks far shorter than
// the order (as at 10M members), for every member and for a slice.
TEST_F(MemberFrameTest, ClvRanksFindTheMembersAWalkFinds) {
  const MemberFrame& f = frame();
  ops::Filters filters;
  filters.values["gender"] = {"Female"};
  const ops::Category* columns[] = {&f.province, &f.rfm_segment, &f.loyalty_card, &f.gender};
  for (const ops::Slice& slice : {f.select(ops::Filters{}), f.select(filters)}) {
    for (const std::size_t chunk :
         {std::size_t{1}, std::size_t{5}, std::size_t{64}, std::size_t{0}}) {
      const ops::ClvRanks ranks(f, slice, chunk);
      std::int64_t rank = 0;
      std::vector<std::vector<std::int64_t>> seen;
      for (const auto* c : columns) {
        seen.emplace_back(c->group_count(), 0);
      }
      for (std::size_t i = 0; i < f.by_clv.size(); ++i) {
        if (!slice.contains(f.by_clv[i])) {
          continue;
        }
        ASSERT_EQ(ranks.find(f, slice, rank++), i) << "chunk " << chunk;
        for (std::size_t c = 0; c < 4; ++c) {
          const std::size_t g = columns[c]->group_of(f.by_clv[i]);
          ASSERT_EQ(ranks.find(f, slice, c, g, seen[c][g]++), i) << "chunk " << chunk;
        }
      }
      EXPECT_EQ(ranks.total(), rank);
      for (std::size_t c = 0; c < 4; ++c) {
        EXPECT_EQ(ops::ClvRanks::column_of(f, *columns[c]), c);
        for (std::size_t g = 0; g < seen[c].size(); ++g) {
          EXPECT_EQ(ranks.total(c, g), seen[c][g]);
        }
      }
    }
  }
  EXPECT_FALSE(ops::ClvRanks::column_of(f, f.risk_tier).has_value());
}

// The summary columns' group figures (one shared pass per slice, every member's at load) are
// those of a pass by the column alone, and the slice's figures are their sum.
TEST_F(MemberFrameTest, SummaryGroupsMatchAPassByEachColumn) {
  const MemberFrame& f = frame();
  ops::Filters filters;
  filters.values["gender"] = {"Female"};
  for (const ops::Slice& slice : {f.select(ops::Filters{}), f.select(filters)}) {
    for (const ops::Category* c : {&f.province, &f.rfm_segment, &f.loyalty_card, &f.gender}) {
      const auto expected = ops::group_stats(f, slice, c->group_count(),
                                             [&](std::uint32_t r) { return c->group_of(r); });
      const auto& got = ops::summary_groups(f, slice, *c);
      ASSERT_EQ(got.size(), expected.size());
      for (std::size_t g = 0; g < got.size(); ++g) {
        EXPECT_EQ(got[g].customers, expected[g].customers);
        EXPECT_EQ(got[g].cancelled, expected[g].cancelled);
        EXPECT_EQ(got[g].clv.count, expected[g].clv.count);
        EXPECT_NEAR(got[g].clv.sum, expected[g].clv.sum, 1e-6);
        EXPECT_NEAR(got[g].churn_score.sum, expected[g].churn_score.sum, 1e-6);
        EXPECT_EQ(got[g].tenure_months.sum, expected[g].tenure_months.sum);
        EXPECT_EQ(got[g].monetary.count, expected[g].monetary.count);
      }
    }
    const auto& sides = ops::segment_by_cancelled(f, slice);
    const std::size_t segments = f.rfm_segment.group_count();
    const auto expected = ops::group_stats(f, slice, 2 * segments, [&](std::uint32_t r) {
      return f.cancelled[r] * segments + f.rfm_segment.group_of(r);
    });
    for (std::size_t side = 0; side < 2; ++side) {
      ASSERT_EQ(sides[side].size(), segments);
      for (std::size_t g = 0; g < segments; ++g) {
        const ops::GroupStats& e = expected[side * segments + g];
        EXPECT_EQ(sides[side][g].customers, e.customers);
        EXPECT_EQ(sides[side][g].cancelled, side == 1 ? e.customers : 0);
        EXPECT_NEAR(sides[side][g].clv.sum, e.clv.sum, 1e-6);
        EXPECT_EQ(sides[side][g].recency.sum, e.recency.sum);
      }
    }
    const ops::GroupStats all = ops::slice_stats(f, slice, false);
    EXPECT_EQ(all.customers, static_cast<std::int64_t>(slice.size()));
    std::int64_t cancelled = 0;
    slice.for_each([&](std::uint32_t r) { cancelled += f.cancelled[r]; });
    EXPECT_EQ(all.cancelled, cancelled);
  }
  EXPECT_THROW(ops::summary_groups(f, f.select(ops::Filters{}), f.risk_tier), std::logic_error);
}

// The median CLV by every categorical column's groups: precomputed for every member, and in
// one shared walk for a slice; each against the members' own values.
TEST_F(MemberFrameTest, GroupMediansOfEveryColumnMatchTheMembersValues) {
  const MemberFrame& f = frame();
  ops::Filters filters;
  filters.values["gender"] = {"Female"};
  for (const ops::Slice& slice : {f.select(ops::Filters{}), f.select(filters)}) {
    for (const auto* name : {"province", "rfm_segment", "gender", "loyalty_card", "enrollment_type",
                             "risk_tier", "scored_at"}) {
      const ops::Category& c = *f.category(name);
      std::vector<std::vector<double>> values(c.group_count());
      for (const std::uint32_t r : slice.rows()) {
        if (!std::isnan(f.clv[r])) {
          values[c.group_of(r)].push_back(f.clv[r]);
        }
      }
      const std::vector<double>& medians = f.slice_medians(slice, c);
      ASSERT_EQ(medians.size(), c.group_count()) << name;
      for (std::size_t g = 0; g < values.size(); ++g) {
        if (values[g].empty()) {
          EXPECT_TRUE(std::isnan(medians[g])) << name << " " << g;
        } else {
          EXPECT_NEAR(medians[g], linear_quantile(values[g], 0.5), 1e-9) << name << " " << g;
        }
      }
    }
  }
}

TEST_F(MemberFrameTest, ContributionSumsAreTheSameWithOneThreadOrTwo) {
  const MemberFrame& f = frame();
  ops::Filters filters;
  filters.at_least["tenure_months"] = 1;
  for (const ops::Slice& slice : {f.select(ops::Filters{}), f.select(filters)}) {
    std::vector<double> sum(f.features.size(), 0);
    std::vector<double> abs_sum(f.features.size(), 0);
    std::int64_t scored = 0;
    for (const std::uint32_t r : slice.rows()) {
      const FixtureMember& m = member(r);
      if (!m.churn_probability) {
        continue;
      }
      ++scored;
      for (std::size_t i = 0; i < f.features.size(); ++i) {
        const double c =
            f.features[i] == "tenure_months" ? m.contribution_tenure() : m.contribution_recency();
        sum[i] += c;
        abs_sum[i] += std::abs(c);
      }
    }
    const ops::ContributionSums one = ops::contribution_sums(f, slice, 1U << 30);
    const ops::ContributionSums two = ops::contribution_sums(f, slice, 1);  // always split
    for (const auto* got : {&one, &two}) {
      EXPECT_EQ(got->scored, scored);
      for (std::size_t i = 0; i < f.features.size(); ++i) {
        EXPECT_NEAR(got->sum[i], sum[i], 1e-5) << f.features[i];
        EXPECT_NEAR(got->abs_sum[i], abs_sum[i], 1e-5) << f.features[i];
      }
    }
  }
}

// The warehouse stage builds the operations' tables; a warehouse without them (from an older
// version, or written by hand) gets them in memory from the same models, to the same frame.
TEST_F(MemberFrameTest, AWarehouseWithoutTheOpsTablesOpensToTheSameFrame) {
  TempDir dir;
  fs::copy(lake().root(), dir / "lake", fs::copy_options::recursive);
  const core::Lake older(dir / "lake");
  {
    auto db = duck::Database::open(older.warehouse().string());
    duck::Connection c(db);
    EXPECT_EQ(c.query("select count(*) from ops_members").scalar_int64(),
              static_cast<std::int64_t>(fixture_members().size()));
    c.execute("drop table ops_members");
    c.execute("drop table ops_activity_window");
    c.execute("checkpoint");
  }
  const auto opened = ops::OpsContext::open(older);
  const MemberFrame& a = frame();
  const MemberFrame& b = opened->frame();
  ASSERT_EQ(a.size(), b.size());
  EXPECT_EQ(a.loyalty_number, b.loyalty_number);
  for (const auto* name : {"province", "rfm_segment", "gender", "loyalty_card", "enrollment_type",
                           "risk_tier", "scored_at"}) {
    EXPECT_EQ(a.category(name)->codes, b.category(name)->codes) << name;
    EXPECT_EQ(a.category(name)->names, b.category(name)->names) << name;
  }
  EXPECT_EQ(a.clv_cents, b.clv_cents);
  EXPECT_EQ(a.cancelled, b.cancelled);
  EXPECT_EQ(a.enrollment_month_index, b.enrollment_month_index);
  EXPECT_EQ(a.cancellation_month_index, b.cancellation_month_index);
  EXPECT_EQ(a.flight_mask, b.flight_mask);
  EXPECT_EQ(a.recency, b.recency);
  EXPECT_EQ(a.tenure_months, b.tenure_months);
  EXPECT_EQ(a.by_clv, b.by_clv);
  EXPECT_EQ(a.by_churn_score, b.by_churn_score);
  EXPECT_EQ(a.features, b.features);
  EXPECT_EQ(a.reason_features, b.reason_features);
  for (std::uint32_t r = 0; r < a.size(); ++r) {
    for (std::size_t k = 0; k < 3; ++k) {
      EXPECT_EQ(a.reason(r, k), b.reason(r, k));
    }
    ASSERT_EQ(a.contributions_of(r) == nullptr, b.contributions_of(r) == nullptr);
    ASSERT_EQ(a.contributions_of(r) == nullptr, std::isnan(a.churn_probability[r]));
    for (std::size_t i = 0; a.contributions_of(r) != nullptr && i < a.features.size(); ++i) {
      const float x = a.contributions_of(r)[i];
      const float y = b.contributions_of(r)[i];
      EXPECT_TRUE(x == y || (std::isnan(x) && std::isnan(y)));
    }
  }
  EXPECT_EQ(opened->first_month_index(), context().first_month_index());
  EXPECT_EQ(opened->last_month_index(), context().last_month_index());
  EXPECT_EQ(opened->mask_first_month_index(), context().mask_first_month_index());
}

}  // namespace
}  // namespace aa::test
