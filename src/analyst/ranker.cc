#include "analyst/ranker.h"

#include <algorithm>
#include <cmath>
#include <map>

namespace aa::analyst {

namespace {

constexpr double kTermWeight = 1.0;
constexpr double kPairWeight = 0.6;
constexpr double kGramWeight = 0.25;
constexpr double kNearestShare = 0.6;  // the rest is the centroid's

void normalise(std::vector<std::pair<int, double>>& v, double extra_norm2 = 0) {
  double n2 = extra_norm2;
  for (const auto& [id, w] : v) {
    n2 += w * w;
  }
  if (n2 <= 0) {
    return;
  }
  const double n = std::sqrt(n2);
  for (auto& [id, w] : v) {
    w /= n;
  }
}

std::vector<std::pair<std::string, double>> features_of(
    const std::vector<std::string>& terms) {
  std::vector<std::pair<std::string, double>> out;
  for (std::size_t i = 0; i < terms.size(); ++i) {
    out.emplace_back("w:" + terms[i], kTermWeight);
    if (i + 1 < terms.size()) {
      out.emplace_back("p:" + terms[i] + "_" + terms[i + 1], kPairWeight);
    }
    const std::string padded = "^" + terms[i] + "$";
    for (std::size_t k = 0; k + 4 <= padded.size(); ++k) {
      out.emplace_back("c:" + padded.substr(k, 4), kGramWeight);
    }
  }
  return out;
}

}  // namespace

std::vector<std::pair<std::string, double>> Ranker::features(
    const std::vector<std::string>& terms) const {
  return features_of(terms);
}

Ranker::Ranker(const std::vector<std::vector<std::vector<std::string>>>& texts) {
  // Document frequencies over every text.
  std::map<std::string, int> df;
  std::size_t documents = 0;
  for (const auto& intent : texts) {
    for (const auto& text : intent) {
      ++documents;
      std::map<std::string, bool> seen;
      for (const auto& [f, w] : features(text)) {
        seen[f] = true;
      }
      for (const auto& [f, _] : seen) {
        ++df[f];
      }
    }
  }
  for (const auto& [f, n] : df) {
    ids_[f] = static_cast<int>(idf_.size());
    idf_.push_back(std::log(1.0 + static_cast<double>(documents) / n));
  }
  max_idf_ = std::log(1.0 + static_cast<double>(documents));
  for (const auto& intent : texts) {
    std::vector<Vector> vectors;
    std::map<int, double> sum;
    for (const auto& text : intent) {
      vectors.push_back(vectorise(text, nullptr));
      for (const auto& [id, w] : vectors.back()) {
        sum[id] += w;
      }
    }
    Vector centroid(sum.begin(), sum.end());
    normalise(centroid);
    texts_.push_back(std::move(vectors));
    centroids_.push_back(std::move(centroid));
  }
}

Ranker::Vector Ranker::vectorise(const std::vector<std::string>& terms,
                                 double* unknown_norm2) const {
  std::map<int, double> weights;
  std::map<std::string, double> unknown;
  for (const auto& [f, w] : features(terms)) {
    const auto it = ids_.find(f);
    if (it == ids_.end()) {
      unknown[f] += w * max_idf_;
    } else {
      weights[it->second] += w * idf_[static_cast<std::size_t>(it->second)];
    }
  }
  double extra = 0;
  for (const auto& [f, w] : unknown) {
    extra += w * w;
  }
  if (unknown_norm2 != nullptr) {
    *unknown_norm2 = extra;
  }
  Vector v(weights.begin(), weights.end());
  normalise(v, unknown_norm2 != nullptr ? extra : 0);
  return v;
}

double Ranker::dot(const Vector& a, const Vector& b) {
  double s = 0;
  std::size_t i = 0;
  std::size_t j = 0;
  while (i < a.size() && j < b.size()) {
    if (a[i].first == b[j].first) {
      s += a[i++].second * b[j++].second;
    } else if (a[i].first < b[j].first) {
      ++i;
    } else {
      ++j;
    }
  }
  return s;
}

std::vector<double> Ranker::scores(const std::vector<std::string>& query_terms) const {
  double unknown = 0;
  const Vector q = vectorise(query_terms, &unknown);
  std::size_t known = 0;
  for (const auto& t : query_terms) {
    known += ids_.count("w:" + t);
  }
  const double evidence = std::min(1.0, 0.5 * static_cast<double>(known));
  std::vector<double> out;
  for (std::size_t i = 0; i < texts_.size(); ++i) {
    double nearest = 0;
    for (const auto& t : texts_[i]) {
      nearest = std::max(nearest, dot(q, t));
    }
    out.push_back(evidence *
                  (kNearestShare * nearest + (1 - kNearestShare) * dot(q, centroids_[i])));
  }
  return out;
}

}  // namespace aa::analyst
