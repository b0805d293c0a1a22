#include "analyst/classifier.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string_view>

#include "analyst/text.h"

namespace aa::analyst {

namespace {

constexpr int kMinCharDocuments = 2;  // a character n-gram in fewer questions is noise
constexpr int kMaxEpochs = 200;
constexpr double kTolerance =
    0.1;  // the projected gradient's spread that ends training (LIBLINEAR's)

std::uint64_t fnv1a64(std::string_view text, std::uint64_t h = 0xcbf29ce484222325ull) {
  for (const unsigned char c : text) {
    h ^= c;
    h *= 0x100000001b3ull;
  }
  return h;
}

void unit(std::vector<std::pair<int, double>>& v) {
  double norm2 = 0;
  for (const auto& [id, x] : v) {
    norm2 += x * x;
  }
  if (norm2 > 0) {
    const double inv = 1 / std::sqrt(norm2);
    for (auto& [id, x] : v) {
      x *= inv;
    }
  }
}

}  // namespace

std::array<Classifier::Counts, 2> Classifier::counted(const std::string& text) {
  static const std::uint64_t word_seed = fnv1a64("w:");
  static const std::uint64_t gram_seed = fnv1a64("c:");
  std::array<std::vector<std::uint64_t>, 2> hashes;
  for (const auto& w : words_of(text)) {
    hashes[0].push_back(fnv1a64(w, word_seed));
    const std::string padded = " " + w + " ";
    for (std::size_t n = 3; n <= 4; ++n) {
      for (std::size_t i = 0; i + n <= padded.size(); ++i) {
        hashes[1].push_back(fnv1a64(std::string_view(padded).substr(i, n), gram_seed));
      }
    }
  }
  std::array<Counts, 2> out;
  for (std::size_t b = 0; b < 2; ++b) {
    std::sort(hashes[b].begin(), hashes[b].end());
    for (const std::uint64_t h : hashes[b]) {
      if (!out[b].empty() && out[b].back().first == h) {
        ++out[b].back().second;
      } else {
        out[b].emplace_back(h, 1);
      }
    }
  }
  return out;
}

Classifier::Vector Classifier::vectorise(const std::array<Counts, 2>& counts) const {
  Vector out;
  for (const Counts& c : counts) {  // each block of unit length
    Vector block;
    for (const auto& [hash, count] : c) {
      const auto it = ids_.find(hash);
      if (it != ids_.end()) {
        block.emplace_back(it->second, (1 + std::log(count)) * idf_[it->second]);
      }
    }
    unit(block);
    out.insert(out.end(), block.begin(), block.end());
  }
  std::sort(out.begin(), out.end());
  return out;
}

Classifier::Classifier(const std::vector<Example>& examples, std::size_t labels,
                       const std::vector<char>& skip, double C)
    : labels_(labels), covered_(labels, 0) {
  if (!skip.empty() && skip.size() != examples.size()) {
    throw std::invalid_argument("Classifier: one skip flag per example");
  }
  std::vector<const Example*> learnt;
  for (std::size_t i = 0; i < examples.size(); ++i) {
    if (skip.empty() || !skip[i]) {
      learnt.push_back(&examples[i]);
    }
  }
  // The features: every word, and every character n-gram in at least two questions, with
  // smoothed inverse document frequencies. Each question is counted once.
  std::vector<std::array<Counts, 2>> counts;
  counts.reserve(learnt.size());
  std::unordered_map<std::uint64_t, std::pair<int, bool>> documents;  // hash -> (df, word)
  for (const Example* e : learnt) {
    counts.push_back(counted(e->text));
    for (std::size_t b = 0; b < 2; ++b) {
      for (const auto& [hash, count] : counts.back()[b]) {
        auto& d = documents[hash];
        ++d.first;
        d.second = b == 0;
      }
    }
  }
  std::vector<std::pair<std::uint64_t, int>> kept;
  for (const auto& [hash, d] : documents) {
    if (d.second || d.first >= kMinCharDocuments) {
      kept.emplace_back(hash, d.first);
    }
  }
  std::sort(kept.begin(), kept.end());  // ids independent of the hash table's order
  const double n = static_cast<double>(learnt.size());
  for (const auto& [hash, df] : kept) {
    ids_.emplace(hash, static_cast<int>(idf_.size()));
    idf_.push_back(std::log((1 + n) / (1 + df)) + 1);
  }
  std::vector<Vector> x;
  x.reserve(learnt.size());
  for (const auto& c : counts) {
    x.push_back(vectorise(c));
  }
  // One scorer per label, each by dual coordinate descent on the squared hinge loss with a
  // bias feature of 1 (Hsieh et al. 2008, as in LIBLINEAR): alpha_i >= 0 per question,
  // w = sum alpha_i y_i x_i, visited in a fixed pseudo-random order.
  const std::size_t dims = idf_.size();
  const double diag = 0.5 / C;
  std::vector<double> qd(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) {
    qd[i] = 1 + diag;  // the bias feature, and the loss's diagonal
    for (const auto& [id, v] : x[i]) {
      qd[i] += v * v;
    }
  }
  std::vector<std::size_t> order(x.size());
  weights_.assign(labels, std::vector<double>(dims + 1, 0.0));
  for (std::size_t label = 0; label < labels; ++label) {
    std::vector<double> y(x.size(), -1);
    for (std::size_t i = 0; i < x.size(); ++i) {
      const auto& ls = learnt[i]->labels;
      if (std::find(ls.begin(), ls.end(), static_cast<int>(label)) != ls.end()) {
        y[i] = 1;
        covered_[label] = 1;
      }
    }
    std::vector<double>& w = weights_[label];
    std::vector<double> alpha(x.size(), 0);
    std::uint64_t state = 0x9e3779b97f4a7c15ull + label;
    for (std::size_t i = 0; i < order.size(); ++i) {
      order[i] = i;
    }
    // Shrinking (as LIBLINEAR does): a question whose alpha is 0 and whose gradient says it
    // stays 0 leaves the active set until the end, when every question is checked once more.
    std::size_t active = order.size();
    double max_old = std::numeric_limits<double>::infinity();
    for (int epoch = 0; epoch < kMaxEpochs; ++epoch) {
      for (std::size_t i = active; i > 1; --i) {  // Fisher-Yates with xorshift
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        std::swap(order[i - 1], order[state % i]);
      }
      double max_pg = -std::numeric_limits<double>::infinity();
      double min_pg = std::numeric_limits<double>::infinity();
      for (std::size_t k = 0; k < active;) {
        const std::size_t i = order[k];
        double margin = w[dims];
        for (const auto& [id, v] : x[i]) {
          margin += w[id] * v;
        }
        const double g = y[i] * margin - 1 + diag * alpha[i];
        double pg = g;
        if (alpha[i] == 0) {
          if (g > max_old) {
            std::swap(order[k], order[--active]);  // shrunk: visit the one swapped in
            continue;
          }
          pg = std::min(g, 0.0);
        }
        max_pg = std::max(max_pg, pg);
        min_pg = std::min(min_pg, pg);
        if (std::fabs(pg) > 1e-12) {
          const double old = alpha[i];
          alpha[i] = std::max(alpha[i] - g / qd[i], 0.0);
          const double step = (alpha[i] - old) * y[i];
          for (const auto& [id, v] : x[i]) {
            w[id] += step * v;
          }
          w[dims] += step;
        }
        ++k;
      }
      if (max_pg - min_pg <= kTolerance) {
        if (active == order.size()) {
          break;
        }
        active = order.size();  // converged on the active set: check every question again
        max_old = std::numeric_limits<double>::infinity();
        continue;
      }
      max_old = max_pg <= 0 ? std::numeric_limits<double>::infinity() : max_pg;
    }
  }
}

std::vector<double> Classifier::scores(const std::string& question) const {
  const Vector v = vectorise(counted(question));
  const std::size_t dims = idf_.size();
  std::vector<double> out(labels_, 0);
  for (std::size_t label = 0; label < labels_; ++label) {
    const auto& w = weights_[label];
    double s = w[dims];
    for (const auto& [id, x] : v) {
      s += w[id] * x;
    }
    out[label] = s;
  }
  return out;
}

}  // namespace aa::analyst
