#include "model/reasons.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "core/app_error.h"
#include "core/member_catalogue.h"
#include "core/progress.h"

namespace aa::model {

namespace {

double value_of(const Dataset& data, std::size_t row, const std::string& column) {
  const auto it = std::find(data.columns.begin(), data.columns.end(), column);
  if (it == data.columns.end()) {
    core::fail(core::ErrorKind::InvalidInput, "no feature column '{}'", column);
  }
  return data.x[row * data.cols() + static_cast<std::size_t>(it - data.columns.begin())];
}

std::string count_text(double v) {
  return core::with_commas(static_cast<std::int64_t>(std::llround(v)));
}

std::string plural(double v, const char* one, const char* many) {
  return std::llround(v) == 1 ? one : many;
}

// "in the last 3 months" / "this month".
std::string window_text(const std::string& window) {
  if (window == "1m") {
    return "in the latest month";
  }
  return "in the last " + window.substr(0, window.size() - 1) + " months";
}

std::string level_of(const Dataset& data, const FeatureSpec& spec, std::size_t row,
                     const std::string& feature) {
  for (const auto& [source, levels] : spec.categorical) {
    if (source != feature) {
      continue;
    }
    for (const auto& level : levels) {
      if (value_of(data, row, source + "=" + level) > 0.5) {
        return level;
      }
    }
  }
  return "Unknown";
}

std::string describe_window(const std::string& measure, const std::string& window, double v) {
  const std::string when = window_text(window);
  if (measure == "flights") {
    return v == 0 ? "No flights " + when
                  : fmt::format("{} {} {}", count_text(v), plural(v, "flight", "flights"), when);
  }
  if (measure == "distance") {
    return fmt::format("{} km flown {}", count_text(v), when);
  }
  if (measure == "points_accumulated") {
    return fmt::format("{} points earned {}", count_text(v), when);
  }
  if (measure == "points_redeemed") {
    return v == 0 ? "No points redeemed " + when
                  : fmt::format("{} points redeemed {}", count_text(v), when);
  }
  if (measure == "dollar_cost_redeemed") {
    return v == 0 ? "No rewards redeemed " + when
                  : fmt::format("${} of rewards redeemed {}", count_text(v), when);
  }
  // active_months
  if (v == 0) {
    return "No flights " + when;
  }
  return fmt::format("Flew in {} of the {} months", count_text(v),
                     window == "1m" ? "latest 1" : "last " + window.substr(0, window.size() - 1));
}

std::string describe_trend(const char* what, const char* unit, double change) {
  if (change == 0) {
    return fmt::format("{} flat over the last 3 months against the 3 before", what);
  }
  return fmt::format("{} {} by {}{} over the last 3 months against the 3 before", what,
                     change < 0 ? "down" : "up", count_text(std::abs(change)), unit);
}

}  // namespace

ReasonContext ReasonContext::from_model(const nlohmann::json& extra) {
  ReasonContext context;
  if (extra.is_object() && extra.contains("tenure_peaks")) {
    context.tenure_peaks = extra.at("tenure_peaks").get<std::vector<int>>();
  }
  return context;
}

namespace {

// A tenure reason says what the tenure means: how near the member is to a month in which
// cancellations spike (the label looks six months ahead), or that the model finds more risk
// at this tenure than on average.
std::string describe_tenure(double months, const ReasonContext& context) {
  const auto t = static_cast<int>(std::llround(months));
  for (const int peak : context.tenure_peaks) {
    if (t >= peak - 6 && t < peak) {
      return fmt::format(
          "In months {}-{} of membership, the six months before cancellations here peak (month "
          "{})",
          std::max(0, peak - 6), peak - 1, peak);
    }
  }
  return fmt::format("{} {} of membership, a tenure at which more members cancel than on average",
                     count_text(months), plural(months, "month", "months"));
}

}  // namespace

std::string describe_feature(const Dataset& data, const FeatureSpec& spec, std::size_t row,
                             const std::string& feature, const ReasonContext& context) {
  // A catalogue phrase words the member's level or value; the rest are worded by rules below.
  const core::MemberAttribute* entry = core::find_member_attribute(feature);
  if (entry && !entry->phrase.empty()) {
    return fmt::format(fmt::runtime(entry->phrase), entry->type == core::AttributeType::Category
                                                        ? level_of(data, spec, row, feature)
                                                        : count_text(value_of(data, row, feature)));
  }
  const double v = value_of(data, row, feature);
  if (feature == "months_since_last_flight") {
    return v == 0 ? "Flew in the latest month"
                  : fmt::format("No flights in the last {} {}", count_text(v),
                                plural(v, "month", "months"));
  }
  if (feature == "tenure_months") {
    return describe_tenure(v, context);
  }
  if (feature == "history_months") {
    return fmt::format("Only {} {} of flight history on record", count_text(v),
                       plural(v, "month", "months"));
  }
  if (feature == "flights_trend_3v3") {
    return describe_trend("Flights", "", v);
  }
  if (feature == "distance_trend_3v3") {
    return describe_trend("Distance", " km", v);
  }
  if (feature == "salary") {
    return std::isnan(v) ? "No salary on file" : fmt::format("Salary of ${}", count_text(v));
  }
  if (feature == "salary_missing") {
    return v > 0.5 ? "No salary on file" : "Salary on file";
  }
  const auto underscore = feature.rfind('_');
  if (underscore != std::string::npos) {
    return describe_window(feature.substr(0, underscore), feature.substr(underscore + 1), v);
  }
  return feature;
}

std::string feature_label(const std::string& feature) {
  // The catalogue's label for a model feature (core/member_catalogue.cc); anything else by name.
  const core::MemberAttribute* entry = core::find_member_attribute(feature);
  return entry && entry->model_feature ? entry->label : feature;
}

std::vector<std::string> source_features(const FeatureSpec& spec) {
  return SourceIndex(spec).names();
}

SourceIndex::SourceIndex(const FeatureSpec& spec, ReasonContext context)
    : context_(std::move(context)) {
  for (const auto& source : spec.sources()) {
    auto it = std::find(names_.begin(), names_.end(), source);
    if (it == names_.end()) {
      names_.push_back(source);
      it = names_.end() - 1;
    }
    source_of_column_.push_back(static_cast<std::size_t>(it - names_.begin()));
  }
  const auto history = std::find(names_.begin(), names_.end(), "history_months");
  if (history != names_.end()) {
    history_months_ = static_cast<std::size_t>(history - names_.begin());
  }
}

void SourceIndex::contributions(const std::vector<float>& contributions, std::size_t rows,
                                std::size_t row, std::vector<double>& out) const {
  const std::size_t width = source_of_column_.size() + 1;  // + bias
  if (contributions.size() != rows * width || row >= rows) {
    core::fail(core::ErrorKind::Model, "{} contributions for {} rows of {} columns",
               contributions.size(), rows, source_of_column_.size());
  }
  out.assign(names_.size(), 0.0);
  const float* values = contributions.data() + row * width;
  for (std::size_t j = 0; j < source_of_column_.size(); ++j) {
    out[source_of_column_[j]] += values[j];
  }
}

std::vector<Reason> SourceIndex::top_reasons(const Dataset& data, const FeatureSpec& spec,
                                             const std::vector<double>& by_source, std::size_t row,
                                             std::size_t count) const {
  // Largest contribution first; ties keep the spec's order.
  std::vector<std::size_t> order(by_source.size());
  for (std::size_t k = 0; k < order.size(); ++k) {
    order[k] = k;
  }
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return by_source[a] > by_source[b]; });
  std::vector<Reason> out;
  for (const std::size_t k : order) {
    if (out.size() == count || by_source[k] < kMaterialContribution) {
      break;
    }
    // history_months is the same for every member at a cutoff (how much data the windows
    // see): context for the trees, never a reason about the member.
    if (k == history_months_) {
      continue;
    }
    out.push_back(
        {names_[k], by_source[k], describe_feature(data, spec, row, names_[k], context_)});
  }
  return out;
}

std::vector<double> source_contributions(const FeatureSpec& spec,
                                         const std::vector<float>& contributions, std::size_t rows,
                                         std::size_t row) {
  std::vector<double> out;
  SourceIndex(spec).contributions(contributions, rows, row, out);
  return out;
}

std::vector<Reason> top_reasons(const Dataset& data, const FeatureSpec& spec,
                                const std::vector<float>& contributions, std::size_t row,
                                std::size_t count) {
  const SourceIndex index(spec);
  std::vector<double> by_source;
  index.contributions(contributions, data.rows(), row, by_source);
  return index.top_reasons(data, spec, by_source, row, count);
}

}  // namespace aa::model
