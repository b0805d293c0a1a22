#pragma once
// Member snapshots at cutoff months, and the feature matrices the models read from them.

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/duck.h"

namespace aa::model {

// Months are counted as year * 12 + month - 1 everywhere in the model.
int month_index(int year, int month);
std::string month_label(int month_index);  // "2018-06"
int parse_month_label(const std::string& text);

// Builds the table churn_snapshots (src/model/sql/churn_snapshots.sql) for these cutoffs on a
// connection where stg_customer_loyalty_history and stg_customer_flight_activity exist. The
// data window (first and last month of activity) is the activity view's own unless given: a
// caller whose activity view holds only some members' rows passes the whole data set's.
void build_snapshots(duck::Connection& connection, const std::vector<int>& cutoffs,
                     std::optional<std::pair<int, int>> window = std::nullopt);

// First and last month present in the activity data.
std::pair<int, int> activity_month_range(duck::Connection& connection);

enum class Target { Cancellation, Dormancy };
const char* to_string(Target target);

// Which columns a model reads: numeric ones as they are, categorical ones one-hot encoded with
// the levels seen in training (a level unseen in training encodes as all zeros).
struct FeatureSpec {
  std::vector<std::string> numeric;
  std::vector<std::pair<std::string, std::vector<std::string>>> categorical;

  // Matrix column names: the numeric features, then "source=level" per level.
  std::vector<std::string> columns() const;
  // For each matrix column, the feature it comes from (one-hot levels share their source).
  std::vector<std::string> sources() const;
  nlohmann::json to_json() const;
  static FeatureSpec from_json(const nlohmann::json& json);
};

// The model's features (issue #3): activity windows, recency, trend, tenure, card, enrollment
// and demographics. Categorical levels are still empty; learn_levels fills them.
FeatureSpec churn_feature_spec();
// The reference project's feature set: frequency, monetary, tenure and CLV, and five
// categorical attributes including city.
FeatureSpec reference_feature_spec();

// Which snapshot rows to read.
struct SnapshotFilter {
  std::vector<int> cutoffs;
  Target target = Target::Cancellation;
  bool labelled = true;  // only rows whose label window lies inside the data
};

// Fills the categorical levels from the rows `filter` selects (sorted, distinct).
void learn_levels(duck::Connection& connection, FeatureSpec& spec, const SnapshotFilter& filter);

// A dense matrix of features plus the row keys and labels, in (cutoff, member) order.
struct Dataset {
  std::vector<std::string> columns;
  std::vector<float> x;  // rows x columns, row-major; NaN is missing
  std::vector<float> y;  // the target's label (0/1); NaN when unlabelled
  std::vector<std::int64_t> member;
  std::vector<int> cutoff;
  std::size_t rows() const { return member.size(); }
  std::size_t cols() const { return columns.size(); }
  // The rows at `index`, as a new dataset.
  Dataset subset(const std::vector<std::size_t>& index) const;
  // One column's values.
  std::vector<double> column(const std::string& name) const;
};

Dataset load_dataset(duck::Connection& connection, const FeatureSpec& spec,
                     const SnapshotFilter& filter);

// The general form: rows of `relation` passing `where`, with loyalty_number and
// cutoff_month_index as keys and `label` (an SQL expression) as the label.
Dataset load_matrix(duck::Connection& connection, const FeatureSpec& spec,
                    const std::string& relation, const std::string& label,
                    const std::string& where);
// Fills the categorical levels from the rows of `relation` passing `where`.
void learn_levels(duck::Connection& connection, FeatureSpec& spec, const std::string& relation,
                  const std::string& where);

}  // namespace aa::model
