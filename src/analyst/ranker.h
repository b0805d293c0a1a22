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

// Nearest neighbours among labelled questions (dev.tsv and the helper sets, embedded at build
// time): the question against every labelled question as TF-IDF vectors of the same features,
// and each label's score from its nearest questions. A question may carry several labels (the
// intents whose operations its label accepts).
class Neighbours {
 public:
  struct Entry {
    std::string set;          // the file it came from ("dev", "helper_a")
    std::vector<int> labels;  // label ids (intents, and one id for "unsure")
    std::vector<std::string> terms;
    std::string text;  // the question as written
  };
  Neighbours(std::vector<Entry> entries, std::size_t labels);
  // One score per label, in [0, 1]: the similarity-weighted share of the label among the
  // question's nearest entries, blended with the label's nearest similarity. Entries whose
  // `skip` flag is set (cross-validation; empty: none) are left out.
  std::vector<double> scores(const std::vector<std::string>& query_terms,
                             const std::vector<char>& skip) const;
  const std::vector<Entry>& entries() const { return entries_; }
  // Whether an entry not skipped carries the label.
  bool covers(int label, const std::vector<char>& skip) const;
  std::size_t size() const { return entries_.size(); }

 private:
  using Vector = std::vector<std::pair<int, double>>;
  Vector vectorise(const std::vector<std::string>& terms) const;
  std::unordered_map<std::string, int> ids_;
  std::vector<double> idf_;
  double max_idf_ = 1;
  std::size_t labels_ = 0;
  std::vector<Entry> entries_;
  std::vector<Vector> vectors_;
  // Inverted index: feature id -> (entry, weight), for sparse dot products with every entry.
  std::vector<std::vector<std::pair<int, double>>> postings_;
};

}  // namespace aa::analyst
