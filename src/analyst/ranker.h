#pragma once
// Ranks a question against every intent's texts (examples, description, keywords): TF-IDF
// vectors of the lexicon's terms, adjacent term pairs and character 4-grams of the terms (for
// spellings the corrector missed), compared by cosine. An intent's score blends its nearest
// text with its centroid. Offline, in memory, built once.

#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace aa::analyst {

class Ranker {
 public:
  // texts[i]: the texts of intent i, each already reduced to terms by the lexicon.
  explicit Ranker(const std::vector<std::vector<std::vector<std::string>>>& texts);
  // One score per intent, in [0, 1]. A question with a single known term scores at most half:
  // one word is thin evidence ("What time is it?").
  std::vector<double> scores(const std::vector<std::string>& query_terms) const;

 private:
  using Vector = std::vector<std::pair<int, double>>;  // feature id -> weight, sorted by id
  // Features of terms with their weights; unknown features get id -1.
  std::vector<std::pair<std::string, double>> features(const std::vector<std::string>& terms) const;
  Vector vectorise(const std::vector<std::string>& terms, double* unknown_norm2) const;
  static double dot(const Vector& a, const Vector& b);

  std::unordered_map<std::string, int> ids_;
  std::vector<double> idf_;
  double max_idf_ = 1;
  std::vector<std::vector<Vector>> texts_;  // per intent, per text: unit vectors
  std::vector<Vector> centroids_;           // per intent: unit vector
};

}  // namespace aa::analyst
