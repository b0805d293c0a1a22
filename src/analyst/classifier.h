#pragma once
// A linear classifier of questions, learnt from the labelled question sets (embedded at build
// time, docs/ANALYST.md) when the analyst first plans: one linear support-vector machine per
// label (each intent, and "unsure" for questions no operation answers), over TF-IDF features of
// the question's words and of its words' character 3- and 4-grams (spellings and forms no
// lexicon lists). Trained by dual coordinate descent (the L2-regularised squared hinge loss),
// deterministic, in memory, offline.

#include <array>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace aa::analyst {

class Classifier {
 public:
  struct Example {
    std::string set;          // the file it came from ("dev", "helper_a")
    std::vector<int> labels;  // label ids: a question may fit several
    std::string text;         // the question as written
  };
  // Learns one scorer per label from the examples whose `skip` flag is not set (empty: all).
  // C is the cost of a margin error (the inverse of the regularisation).
  Classifier(const std::vector<Example>& examples, std::size_t labels,
             const std::vector<char>& skip = {}, double C = 0.5);
  // One decision value per label: positive when the scorer places the question in the label.
  std::vector<double> scores(const std::string& question) const;
  // Whether any example learnt from carries the label.
  bool covers(int label) const { return label >= 0 && covered_.at(label) != 0; }
  std::size_t labels() const { return labels_; }

 private:
  using Vector = std::vector<std::pair<int, double>>;  // feature id -> weight, by id
  using Counts = std::vector<std::pair<std::uint64_t, int>>;  // hashed feature -> count, by hash
  // Each feature of the text with its count: [0] the words, [1] the character n-grams.
  static std::array<Counts, 2> counted(const std::string& text);
  Vector vectorise(const std::array<Counts, 2>& counts) const;

  std::size_t labels_ = 0;
  std::unordered_map<std::uint64_t, int> ids_;  // hashed feature -> id
  std::vector<double> idf_;
  std::vector<std::vector<double>> weights_;  // per label: per feature id, then the bias
  std::vector<char> covered_;
};

}  // namespace aa::analyst
