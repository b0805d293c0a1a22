#pragma once
// Approximate (Saabas) feature contributions by walking each row's path through the trees of
// an XGBoost model, on every core: what XGBoost's approximate contributions compute, with the
// same float operations in the same order, so that the results are the same to the bit.
//
// Why not XGBoost's own: for every row and tree it clears and adds a buffer as wide as the
// feature list (57 columns) to attribute a path of about six splits; at 10M members and a
// 304-tree model that was about 45% of scoring's CPU time (perf). Here a path updates only the
// features it splits on.
//
// Supported: gbtree models with numerical splits and one output (binary:logistic,
// reg:logistic or reg:squarederror). from_model says why otherwise; callers then use
// XGBoost's. Callers also check a sample of rows against XGBoost (ChurnModel::contributions).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace aa::model {

class PathContributions {
 public:
  // Reads the trees from XGBoost's UBJSON model. nullopt (with *why_not set) when the model
  // has something the walk does not implement.
  static std::optional<PathContributions> from_model(const std::vector<std::uint8_t>& ubj,
                                                     std::string* why_not);

  std::size_t features() const { return features_; }
  std::size_t trees() const { return tree_start_.size(); }

  // rows x cols values (row-major, NaN missing) -> rows x (cols + 1) contributions, the last
  // column being the bias (base score included). cols must equal features().
  std::vector<float> compute(const std::vector<float>& x, std::size_t rows, std::size_t cols,
                             unsigned threads = 0) const;

 private:
  struct Node {
    std::int32_t left;  // -1 for a leaf
    std::int32_t right;
    std::uint32_t feature;
    float condition;    // split: go left when value < condition; leaf: its value
    float mean;         // the hessian-weighted mean of the leaves below (XGBoost's node mean)
    bool default_left;  // where a missing value goes
  };

  void compute_rows(const float* x, std::size_t begin, std::size_t end, float* out) const;

  std::vector<Node> nodes_;
  std::vector<std::size_t> tree_start_;
  std::size_t features_ = 0;
  float base_margin_ = 0;
};

}  // namespace aa::model
