#include "model/path_contributions.h"

#include <cmath>
#include <cstdlib>
#include <functional>
#include <nlohmann/json.hpp>
#include <utility>

#include "core/app_error.h"
#include "core/parallel.h"

namespace aa::model {

namespace {

// XGBoost writes its small model parameters as strings ("5E-1", "57").
std::string text_of(const nlohmann::json& value) {
  return value.is_string() ? value.get<std::string>() : value.dump();
}

}  // namespace

std::optional<PathContributions> PathContributions::from_model(const std::vector<std::uint8_t>& ubj,
                                                               std::string* why_not) {
  const auto unsupported = [&](std::string why) -> std::optional<PathContributions> {
    if (why_not != nullptr) {
      *why_not = std::move(why);
    }
    return std::nullopt;
  };
  nlohmann::json model;
  try {
    model = nlohmann::json::from_ubjson(ubj);
  } catch (const nlohmann::json::exception& e) {
    return unsupported(std::string("the model's UBJSON does not parse: ") + e.what());
  }
  try {
    const auto& learner = model.at("learner");
    const auto& params = learner.at("learner_model_param");
    const std::string objective = learner.at("objective").at("name").get<std::string>();
    const auto& booster = learner.at("gradient_booster");
    if (booster.at("name").get<std::string>() != "gbtree") {
      return unsupported("booster " + booster.at("name").get<std::string>() + " (gbtree only)");
    }
    if (params.contains("num_target") && std::stoi(text_of(params.at("num_target"))) > 1) {
      return unsupported("more than one target");
    }
    if (std::stoi(text_of(params.at("num_class"))) > 1) {
      return unsupported("more than one class");
    }
    // The base score in margin space, as XGBoost 1.7's objectives convert it (in float).
    const float base = std::strtof(text_of(params.at("base_score")).c_str(), nullptr);
    PathContributions out;
    if (objective == "binary:logistic" || objective == "reg:logistic") {
      out.base_margin_ = -std::log(1.0f / base - 1.0f);
    } else if (objective == "reg:squarederror") {
      out.base_margin_ = base;
    } else {
      return unsupported("objective " + objective);
    }
    out.features_ = static_cast<std::size_t>(std::stoul(text_of(params.at("num_feature"))));
    const auto& gbtree = booster.at("model");
    for (const auto& group : gbtree.at("tree_info")) {
      if (group.get<int>() != 0) {
        return unsupported("trees for more than one output group");
      }
    }
    for (const auto& tree : gbtree.at("trees")) {
      const auto& left = tree.at("left_children");
      const auto& right = tree.at("right_children");
      const auto& index = tree.at("split_indices");
      const auto& condition = tree.at("split_conditions");
      const auto& default_left = tree.at("default_left");
      const auto& hessian = tree.at("sum_hessian");
      const std::size_t n = left.size();
      if (n == 0 || right.size() != n || index.size() != n || condition.size() != n ||
          default_left.size() != n || hessian.size() != n) {
        return unsupported("a tree whose node arrays differ in length");
      }
      if (tree.contains("split_type")) {
        for (const auto& type : tree.at("split_type")) {
          if (type.get<int>() != 0) {
            return unsupported("categorical splits");
          }
        }
      }
      const std::size_t start = out.nodes_.size();
      out.tree_start_.push_back(start);
      std::vector<float> sum_hess(n);
      for (std::size_t i = 0; i < n; ++i) {
        const auto l = left[i].get<std::int64_t>();
        const auto r = right[i].get<std::int64_t>();
        const bool leaf = l == -1;
        if (!leaf && (l <= 0 || r <= 0 || static_cast<std::size_t>(l) >= n ||
                      static_cast<std::size_t>(r) >= n)) {
          return unsupported("a node whose children are out of range");
        }
        const auto feature = index[i].get<std::int64_t>();
        if (!leaf && (feature < 0 || static_cast<std::size_t>(feature) >= out.features_)) {
          return unsupported("a split on a feature out of range");
        }
        out.nodes_.push_back(Node{static_cast<std::int32_t>(l), static_cast<std::int32_t>(r),
                                  static_cast<std::uint32_t>(leaf ? 0 : feature),
                                  static_cast<float>(condition[i].get<double>()), 0.0f,
                                  default_left[i].get<int>() != 0});
        sum_hess[i] = static_cast<float>(hessian[i].get<double>());
      }
      // XGBoost's FillNodeMeanValues, the same float operations in the same order.
      Node* nodes = out.nodes_.data() + start;
      std::vector<char> seen(n, 0);
      bool ok = true;
      std::function<float(std::size_t, int)> fill = [&](std::size_t id, int depth) -> float {
        if (!ok || seen[id] || depth > 1000) {
          ok = false;
          return 0.0f;
        }
        seen[id] = 1;
        float result;
        if (nodes[id].left < 0) {
          result = nodes[id].condition;
        } else {
          const auto l = static_cast<std::size_t>(nodes[id].left);
          const auto r = static_cast<std::size_t>(nodes[id].right);
          result = fill(l, depth + 1) * sum_hess[l];
          result += fill(r, depth + 1) * sum_hess[r];
          result /= sum_hess[id];
        }
        nodes[id].mean = result;
        return result;
      };
      fill(0, 0);
      if (!ok) {
        return unsupported("a tree that is not a tree (a cycle or a shared node)");
      }
    }
    return out;
  } catch (const std::exception& e) {
    return unsupported(std::string("the model does not have the expected fields: ") + e.what());
  }
}

void PathContributions::compute_rows(const float* x, std::size_t begin, std::size_t end,
                                     float* out) const {
  const std::size_t cols = features_;
  const std::size_t width = cols + 1;
  // One tree's attributions by feature, in path order (XGBoost sums them in a per-tree buffer
  // and adds the buffer to the row; summing per feature here first keeps its rounding).
  std::vector<std::pair<std::uint32_t, float>> path;
  path.reserve(64);
  const auto add = [&path](std::uint32_t feature, float value) {
    for (auto& entry : path) {
      if (entry.first == feature) {
        entry.second += value;
        return;
      }
    }
    path.emplace_back(feature, 0.0f + value);
  };
  for (std::size_t r = begin; r < end; ++r) {
    const float* row = x + r * cols;
    float* p = out + r * width;
    for (const std::size_t start : tree_start_) {
      const Node* nodes = nodes_.data() + start;
      float node_value = nodes[0].mean;
      p[cols] += node_value;
      if (nodes[0].left < 0) {
        continue;
      }
      path.clear();
      std::int32_t id = 0;
      std::uint32_t split = 0;
      while (nodes[id].left >= 0) {
        const Node& node = nodes[id];
        split = node.feature;
        const float value = row[split];
        id = std::isnan(value) ? (node.default_left ? node.left : node.right)
                               : (value < node.condition ? node.left : node.right);
        const float new_value = nodes[id].mean;
        add(split, new_value - node_value);
        node_value = new_value;
      }
      add(split, nodes[id].condition - node_value);
      for (const auto& [feature, value] : path) {
        p[feature] += value;
      }
    }
    p[cols] += base_margin_;
  }
}

std::vector<float> PathContributions::compute(const std::vector<float>& x, std::size_t rows,
                                              std::size_t cols, unsigned threads) const {
  if (cols != features_ || x.size() != rows * cols) {
    core::fail(core::ErrorKind::Model, "contributions: the matrix has {} columns, the model {}",
               cols, features_);
  }
  std::vector<float> out(rows * (cols + 1), 0.0f);
  core::for_each_range(
      rows, 4096,
      [&](std::size_t begin, std::size_t end) { compute_rows(x.data(), begin, end, out.data()); },
      threads);
  return out;
}

}  // namespace aa::model
