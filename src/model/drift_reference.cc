#include "model/drift_reference.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "core/app_error.h"

namespace aa::model {

namespace {

// Distinct deciles of the non-missing values (the value at rank ceil(q x n) for q = 0.1 .. 0.9).
std::vector<double> decile_edges(std::vector<double> values) {
  values.erase(std::remove_if(values.begin(), values.end(), [](double v) { return std::isnan(v); }),
               values.end());
  std::vector<double> edges;
  if (values.empty()) {
    return edges;
  }
  std::sort(values.begin(), values.end());
  const auto n = static_cast<double>(values.size());
  for (int k = 1; k <= 9; ++k) {
    const auto rank = static_cast<std::size_t>(std::ceil(k / 10.0 * n));
    const double edge = values[std::max<std::size_t>(rank, 1) - 1];
    if (edges.empty() || edge > edges.back()) {
      edges.push_back(edge);
    }
  }
  return edges;
}

std::vector<double> shares(const std::vector<std::int64_t>& counts) {
  std::int64_t total = 0;
  for (auto c : counts) {
    total += c;
  }
  std::vector<double> out(counts.size(), 0.0);
  for (std::size_t i = 0; i < counts.size() && total > 0; ++i) {
    out[i] = static_cast<double>(counts[i]) / static_cast<double>(total);
  }
  return out;
}

VariableBins numeric_bins(const std::string& name, const std::vector<double>& values) {
  VariableBins bins;
  bins.name = name;
  bins.edges = decile_edges(values);
  std::vector<std::int64_t> counts(bins.bin_count(), 0);
  double sum = 0;
  double sum_squares = 0;
  for (double v : values) {
    ++counts[bins.numeric_bin(v)];
    if (!std::isnan(v)) {
      bins.reference_min = bins.reference_n == 0 ? v : std::min(bins.reference_min, v);
      ++bins.reference_n;
      sum += v;
      sum_squares += v * v;
    }
  }
  bins.reference_share = shares(counts);
  if (bins.reference_n > 0) {
    const auto n = static_cast<double>(bins.reference_n);
    bins.reference_mean = sum / n;
    bins.reference_sd =
        std::sqrt(std::max(0.0, sum_squares / n - bins.reference_mean * bins.reference_mean));
  }
  return bins;
}

VariableBins categorical_bins(const std::string& name, const std::vector<std::string>& levels,
                              const Dataset& data, std::size_t first_column) {
  VariableBins bins;
  bins.name = name;
  bins.categorical = true;
  bins.levels = levels;
  std::vector<std::int64_t> counts(bins.bin_count(), 0);
  for (std::size_t r = 0; r < data.rows(); ++r) {
    std::size_t bin = levels.size();
    for (std::size_t k = 0; k < levels.size(); ++k) {
      if (data.x[r * data.cols() + first_column + k] > 0.5f) {
        bin = k;
        break;
      }
    }
    ++counts[bin];
  }
  bins.reference_share = shares(counts);
  return bins;
}

nlohmann::json bins_json(const VariableBins& b) {
  nlohmann::json out = {{"name", b.name},
                        {"kind", b.categorical ? "categorical" : "numeric"},
                        {"importance_rank", b.importance_rank},
                        {"bins", b.bin_labels()},
                        {"reference_share", b.reference_share}};
  if (b.categorical) {
    out["levels"] = b.levels;
  } else {
    out["edges"] = b.edges;
    out["n"] = b.reference_n;
    out["mean"] = b.reference_mean;
    out["sd"] = b.reference_sd;
    out["min"] = b.reference_min;
  }
  return out;
}

VariableBins bins_from_json(const nlohmann::json& j) {
  VariableBins b;
  b.name = j.at("name").get<std::string>();
  b.categorical = j.at("kind").get<std::string>() == "categorical";
  b.importance_rank = j.at("importance_rank").get<int>();
  if (b.categorical) {
    b.levels = j.at("levels").get<std::vector<std::string>>();
  } else {
    b.edges = j.at("edges").get<std::vector<double>>();
    b.reference_n = j.value("n", std::int64_t{0});  // 0: a reference without moments
    b.reference_mean = j.value("mean", 0.0);
    b.reference_sd = j.value("sd", 0.0);
    b.reference_min = j.value("min", 0.0);
  }
  b.reference_share = j.at("reference_share").get<std::vector<double>>();
  if (b.reference_share.size() != b.bin_count()) {
    core::fail(core::ErrorKind::InvalidInput, "drift reference of '{}': {} shares for {} bins",
               b.name, b.reference_share.size(), b.bin_count());
  }
  return b;
}

}  // namespace

std::size_t VariableBins::bin_count() const {
  return categorical ? levels.size() + 1 : edges.size() + 2;
}

std::size_t VariableBins::numeric_bin(double value) const {
  if (std::isnan(value)) {
    return edges.size() + 1;
  }
  return static_cast<std::size_t>(std::lower_bound(edges.begin(), edges.end(), value) -
                                  edges.begin());
}

std::vector<std::string> VariableBins::bin_labels() const {
  std::vector<std::string> out;
  if (categorical) {
    out = levels;
    out.push_back("(none)");
    return out;
  }
  for (std::size_t i = 0; i < edges.size(); ++i) {
    out.push_back(i == 0 ? fmt::format("<= {:g}", edges[i])
                         : fmt::format("({:g}, {:g}]", edges[i - 1], edges[i]));
  }
  out.push_back(edges.empty() ? "any" : fmt::format("> {:g}", edges.back()));
  out.push_back("missing");
  return out;
}

double population_stability_index(const std::vector<double>& reference_share,
                                  const std::vector<std::int64_t>& counts) {
  const std::vector<double> actual = shares(counts);
  double psi = 0;
  for (std::size_t i = 0; i < reference_share.size() && i < actual.size(); ++i) {
    const double e = std::max(reference_share[i], kPsiFloor);
    const double a = std::max(actual[i], kPsiFloor);
    psi += (a - e) * std::log(a / e);
  }
  return psi;
}

DriftReference DriftReference::fit(const FeatureSpec& spec, const Dataset& reference,
                                   const std::vector<double>& probabilities,
                                   const std::vector<std::pair<std::string, double>>& importance,
                                   const std::string& snapshot_month) {
  DriftReference out;
  out.snapshot_month_ = snapshot_month;
  std::map<std::string, int> rank;
  for (std::size_t i = 0; i < importance.size(); ++i) {
    rank[importance[i].first] = static_cast<int>(i) + 1;
  }
  for (std::size_t j = 0; j < spec.numeric.size(); ++j) {
    std::vector<double> values(reference.rows());
    for (std::size_t r = 0; r < reference.rows(); ++r) {
      values[r] = reference.x[r * reference.cols() + j];
    }
    out.features_.push_back(numeric_bins(spec.numeric[j], values));
  }
  std::size_t column = spec.numeric.size();
  for (const auto& [source, levels] : spec.categorical) {
    out.features_.push_back(categorical_bins(source, levels, reference, column));
    column += levels.size();
  }
  for (auto& f : out.features_) {
    f.importance_rank = rank.count(f.name) ? rank[f.name] : static_cast<int>(rank.size()) + 1;
  }
  std::stable_sort(out.features_.begin(), out.features_.end(),
                   [](const VariableBins& a, const VariableBins& b) {
                     return a.importance_rank < b.importance_rank;
                   });
  out.score_ = numeric_bins(kScoreBins, probabilities);
  return out;
}

nlohmann::json DriftReference::to_json() const {
  nlohmann::json features = nlohmann::json::array();
  for (const auto& f : features_) {
    features.push_back(bins_json(f));
  }
  return {{"snapshot_month", snapshot_month_},
          {"rule",
           "bins fixed at training on the snapshot of the training data's last month: numeric "
           "features at their distinct deciles plus a missing bin (and their mean and standard "
           "deviation), categorical features by their training levels plus one bin for none, "
           "the score at its deciles"},
          {"features", features},
          {"score", bins_json(score_)}};
}

DriftReference DriftReference::from_json(const nlohmann::json& json) {
  DriftReference out;
  out.snapshot_month_ = json.at("snapshot_month").get<std::string>();
  for (const auto& f : json.at("features")) {
    out.features_.push_back(bins_from_json(f));
  }
  out.score_ = bins_from_json(json.at("score"));
  return out;
}

}  // namespace aa::model
