// segment_comparison: two RFM segments side by side over the slice. The reference falls back
// silently to segments the slice holds; here a side whose segment has no members in the slice
// shows the slice's nearest segment instead, flagged, and the note says so (docs/OPERATIONS.md).

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <optional>

#include "ops/group_figures.h"
#include "ops/member_frame.h"
#include "ops/registry.h"

namespace aa::ops {

namespace {

// The segment's figures in the slice (`groups`: the slice's by rfm_segment group; `medians`:
// its median CLV by group), none when it has no members there.
nlohmann::json segment_stats(const MemberFrame& f, const std::vector<GroupStats>& groups,
                             const std::vector<double>& medians, const std::string& segment) {
  GroupStats s;
  if (const auto code = f.rfm_segment.code_of(segment)) {
    const auto g = static_cast<std::size_t>(*code + 1);
    s = groups[g];
    s.median_clv = medians[g];
  }
  return {{"segment", segment},
          {"customers", s.customers},
          {"avg_clv", s.clv.json()},
          {"median_clv", number_or_null(s.median_clv)},
          {"total_clv", s.total_clv()},
          {"avg_churn_score", s.churn_score.json()},
          {"total_value_at_risk", s.total_value_at_risk()},
          {"cancelled_rate", s.cancelled_rate()},
          {"avg_recency_months", s.recency.json()},
          {"avg_frequency", s.frequency.json()},
          {"avg_monetary", s.monetary.json()},
          {"avg_tenure_months", s.tenure_months.json()}};
}

std::vector<ParamSpec> segment_comparison_params(const Domains& domains) {
  ParamSpec a;
  a.name = "segment_a";
  a.type = ParamType::Enum;
  a.description = "the first RFM segment";
  a.choices = domains.rfm_segment;
  a.default_value = "Champions";
  ParamSpec b = a;
  b.name = "segment_b";
  b.description = "the second RFM segment";
  b.default_value = "At Risk";
  return {a, b};
}

// One side of a comparison: the segment asked for and the one whose figures are shown.
struct ComparedSide {
  std::string requested;
  std::string shown;
  bool substituted = false;
};

// The segments with members in the slice (`groups`: its by rfm_segment group), in the fixed
// order (Champions ... Dormant).
std::vector<std::string> segments_in(const MemberFrame& f, const std::vector<GroupStats>& groups) {
  std::vector<std::string> out;
  for (const auto& segment : segment_vocabulary()) {
    const auto code = f.rfm_segment.code_of(segment);
    if (code && groups[static_cast<std::size_t>(*code + 1)].customers > 0) {
      out.push_back(segment);
    }
  }
  return out;
}

// A side whose segment has no members in the slice shows the slice's segment nearest to it in
// the fixed order (ties to the better one), never the other side's; with none left, it keeps
// its own (zero members).
std::array<ComparedSide, 2> choose_sides(const std::string& a, const std::string& b,
                                         const std::vector<std::string>& present) {
  const auto& order = segment_vocabulary();
  const auto rank = [&](const std::string& s) {
    return static_cast<long>(std::find(order.begin(), order.end(), s) - order.begin());
  };
  const auto has = [&](const std::string& s) {
    return std::find(present.begin(), present.end(), s) != present.end();
  };
  std::array<ComparedSide, 2> sides = {ComparedSide{a, a}, ComparedSide{b, b}};
  std::vector<std::string> taken;
  for (const auto& side : sides) {
    if (has(side.requested)) {
      taken.push_back(side.requested);
    }
  }
  for (auto& side : sides) {
    if (has(side.requested)) {
      continue;
    }
    std::optional<std::string> best;
    for (const auto& candidate : present) {
      const bool free = std::find(taken.begin(), taken.end(), candidate) == taken.end();
      if (free && (!best || std::abs(rank(candidate) - rank(side.requested)) <
                                std::abs(rank(*best) - rank(side.requested)))) {
        best = candidate;
      }
    }
    if (best) {
      side.shown = *best;
      side.substituted = true;
      taken.push_back(*best);
    }
  }
  return sides;
}

std::string comparison_note(const std::array<ComparedSide, 2>& sides,
                            const std::vector<std::string>& present) {
  std::vector<std::string> parts;
  for (const auto& side : sides) {
    if (side.substituted) {
      parts.push_back(
          fmt::format("{} has no members in this slice, so {} (the nearest segment "
                      "it holds) stands in",
                      side.requested, side.shown));
    } else if (std::find(present.begin(), present.end(), side.requested) == present.end()) {
      parts.push_back(
          fmt::format("{} has no members in this slice and no other segment is left "
                      "to stand in",
                      side.requested));
    }
  }
  if (parts.empty()) {
    return "";
  }
  return fmt::format("{}; segments in the slice: {}", fmt::join(parts, "; "),
                     present.empty() ? "none" : fmt::format("{}", fmt::join(present, ", ")));
}

nlohmann::json segment_comparison(OpsContext& context, const ParamValues& params,
                                  const Filters& filters) {
  const MemberFrame& f = context.frame();
  // Both segments' figures from the slice's figures by segment, and their medians from its
  // medians by segment (both shared with its other operations).
  const Slice slice = f.select(filters);
  const Category& segment = f.rfm_segment;
  const std::vector<GroupStats>& groups = summary_groups(f, slice, segment);
  const std::vector<double>& medians = f.slice_medians(slice, segment);
  const auto present = segments_in(f, groups);
  const auto sides = choose_sides(params.text("segment_a"), params.text("segment_b"), present);
  nlohmann::json out = {{"segments_in_slice", present}};
  const char* const keys[] = {"segment_a", "segment_b"};
  for (std::size_t i = 0; i < sides.size(); ++i) {
    nlohmann::json side = segment_stats(f, groups, medians, sides[i].shown);
    side["requested"] = sides[i].requested;
    side["substituted"] = sides[i].substituted;
    out[keys[i]] = std::move(side);
  }
  if (const std::string note = comparison_note(sides, present); !note.empty()) {
    out["note"] = note;
  }
  return out;
}

ResultSchema segment_comparison_result() {
  const auto side = [](const std::string& name, const std::string& description) {
    return object(
        name, description,
        joined({group_figures({"avg_churn_score", "avg_clv", "avg_frequency", "avg_monetary",
                               "avg_recency_months", "avg_tenure_months", "cancelled_rate",
                               "customers", "median_clv"}),
                {text("requested", "the segment asked for"), text("segment", "the segment shown"),
                 flag("substituted", "whether a nearest segment stands in for the requested one")},
                group_figures({"total_clv", "total_value_at_risk"})}));
  };
  return {side("segment_a", "the first segment"), side("segment_b", "the second segment"),
          list("segments_in_slice", ResultType::String, "", "the slice's segments"),
          text("note", "how to read the figures")};
}

}  // namespace

Operation segment_comparison_operation() {
  return {"segment_comparison",
          "Two RFM segments side by side: customers, CLV, churn_score, cancellation rate, "
          "recency, frequency and tenure (segment_a, segment_b; a segment the slice does not "
          "hold is replaced by its nearest one there, and the note says so)",
          segment_comparison_params, segment_comparison, segment_comparison_result()};
}

}  // namespace aa::ops
