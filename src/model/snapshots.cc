#include "model/snapshots.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "core/app_error.h"
#include "core/member_catalogue.h"
#include "core/sql_files.h"

namespace aa::model {

int month_index(int year, int month) { return year * 12 + month - 1; }

std::string month_label(int index) {
  return fmt::format("{:04d}-{:02d}", index / 12, index % 12 + 1);
}

int parse_month_label(const std::string& text) {
  int year = 0;
  int month = 0;
  char dash = 0;
  if (std::sscanf(text.c_str(), "%4d%c%2d", &year, &dash, &month) != 3 || dash != '-' ||
      month < 1 || month > 12 || text.size() != 7) {
    core::fail(core::ErrorKind::InvalidInput, "'{}' is not a month (expected YYYY-MM)", text);
  }
  return month_index(year, month);
}

void build_snapshots(duck::Connection& connection, const std::vector<int>& cutoffs,
                     std::optional<std::pair<int, int>> window) {
  const auto [first, last] = window ? *window : activity_month_range(connection);
  connection.execute(
      fmt::format("create or replace temp table churn_data_window as select {}::integer as "
                  "first_month_index, {}::integer as last_month_index",
                  first, last));
  connection.execute("create or replace temp table churn_cutoffs (cutoff_month_index integer)");
  auto insert = connection.prepare("insert into churn_cutoffs values ($1)");
  for (int c : cutoffs) {
    insert.bind(1, std::int64_t{c}).execute();
  }
  connection.execute("create or replace temp table churn_snapshots as " +
                     core::sql_file("model/sql/churn_snapshots.sql"));
}

std::pair<int, int> activity_month_range(duck::Connection& connection) {
  auto r = connection.query(
      "select min(activity_month_index), max(activity_month_index) "
      "from stg_customer_flight_activity");
  if (r.row_count() == 0 || r.is_null(0, 0)) {
    core::fail(core::ErrorKind::InvalidInput, "the flight activity has no rows: nothing to model");
  }
  return {static_cast<int>(r.int64(0, 0)), static_cast<int>(r.int64(1, 0))};
}

const char* to_string(Target target) {
  return target == Target::Cancellation ? "cancellation" : "dormancy";
}

std::vector<std::string> FeatureSpec::columns() const {
  std::vector<std::string> out = numeric;
  for (const auto& [source, levels] : categorical) {
    for (const auto& level : levels) {
      out.push_back(source + "=" + level);
    }
  }
  return out;
}

std::vector<std::string> FeatureSpec::sources() const {
  std::vector<std::string> out = numeric;
  for (const auto& [source, levels] : categorical) {
    out.insert(out.end(), levels.size(), source);
  }
  return out;
}

nlohmann::json FeatureSpec::to_json() const {
  nlohmann::json cats = nlohmann::json::array();
  for (const auto& [source, levels] : categorical) {
    cats.push_back({{"name", source}, {"levels", levels}});
  }
  return {{"numeric", numeric}, {"categorical", cats}};
}

FeatureSpec FeatureSpec::from_json(const nlohmann::json& json) {
  FeatureSpec spec;
  spec.numeric = json.at("numeric").get<std::vector<std::string>>();
  for (const auto& c : json.at("categorical")) {
    spec.categorical.emplace_back(c.at("name").get<std::string>(),
                                  c.at("levels").get<std::vector<std::string>>());
  }
  return spec;
}

FeatureSpec churn_feature_spec() {
  // The catalogue's model features (core/member_catalogue.cc), in its order.
  FeatureSpec spec;
  spec.numeric = core::model_numeric_features();
  for (const auto& name : core::model_categorical_features()) {
    spec.categorical.emplace_back(name, std::vector<std::string>{});
  }
  return spec;
}

FeatureSpec reference_feature_spec() {
  FeatureSpec spec;
  spec.numeric = {"ref_frequency", "ref_monetary", "tenure_months", "clv"};
  for (const char* cat : {"province", "city", "gender", "education", "loyalty_card"}) {
    spec.categorical.emplace_back(cat, std::vector<std::string>{});
  }
  return spec;
}

namespace {

std::string where_clause(const SnapshotFilter& filter) {
  if (filter.cutoffs.empty()) {
    core::fail(core::ErrorKind::InvalidInput, "no cutoff months to read");
  }
  std::string in;
  for (int c : filter.cutoffs) {
    in += (in.empty() ? "" : ", ") + std::to_string(c);
  }
  std::string where = "cutoff_month_index in (" + in + ")";
  if (filter.target == Target::Dormancy) {
    where += " and dormancy_eligible";
  }
  if (filter.labelled) {
    where += " and label_window_complete";
  }
  return where;
}

const char* label_column(Target target) {
  return target == Target::Cancellation ? "label_cancellation" : "label_dormancy";
}

}  // namespace

void learn_levels(duck::Connection& connection, FeatureSpec& spec, const SnapshotFilter& filter) {
  learn_levels(connection, spec, "churn_snapshots", where_clause(filter));
}

void learn_levels(duck::Connection& connection, FeatureSpec& spec, const std::string& relation,
                  const std::string& where) {
  for (auto& [source, levels] : spec.categorical) {
    auto r = connection.query("select distinct coalesce(cast(" + duck::quote_ident(source) +
                              " as varchar), 'Unknown') from " + duck::quote_ident(relation) +
                              " where " + where + " order by 1");
    levels.clear();
    for (std::size_t i = 0; i < r.row_count(); ++i) {
      levels.push_back(r.text(0, i).value_or("Unknown"));
    }
  }
}

Dataset Dataset::subset(const std::vector<std::size_t>& index) const {
  Dataset out;
  out.columns = columns;
  const std::size_t c = cols();
  out.x.reserve(index.size() * c);
  for (std::size_t i : index) {
    out.x.insert(out.x.end(), x.begin() + static_cast<std::ptrdiff_t>(i * c),
                 x.begin() + static_cast<std::ptrdiff_t>((i + 1) * c));
    out.y.push_back(y[i]);
    out.member.push_back(member[i]);
    out.cutoff.push_back(cutoff[i]);
  }
  return out;
}

std::vector<double> Dataset::column(const std::string& name) const {
  const auto it = std::find(columns.begin(), columns.end(), name);
  if (it == columns.end()) {
    core::fail(core::ErrorKind::InvalidInput, "no feature column '{}'", name);
  }
  const auto j = static_cast<std::size_t>(it - columns.begin());
  std::vector<double> out(rows());
  for (std::size_t i = 0; i < rows(); ++i) {
    out[i] = x[i * cols() + j];
  }
  return out;
}

Dataset load_dataset(duck::Connection& connection, const FeatureSpec& spec,
                     const SnapshotFilter& filter) {
  return load_matrix(connection, spec, "churn_snapshots",
                     filter.labelled ? label_column(filter.target) : "null", where_clause(filter));
}

Dataset load_matrix(duck::Connection& connection, const FeatureSpec& spec,
                    const std::string& relation, const std::string& label,
                    const std::string& where) {
  std::string select = "select cast(loyalty_number as double), cast(cutoff_month_index as double)";
  select += ", cast(" + label + " as double)";
  for (const auto& name : spec.numeric) {
    select += ", cast(" + duck::quote_ident(name) + " as double)";
  }
  for (const auto& [source, levels] : spec.categorical) {
    for (const auto& level : levels) {
      select += ", cast(coalesce(cast(" + duck::quote_ident(source) +
                " as varchar), 'Unknown') = " + duck::quote_literal(level) + " as double)";
    }
  }
  select += " from " + duck::quote_ident(relation) + " where " + where +
            " order by cutoff_month_index, loyalty_number";
  const auto cols = connection.query(select).double_columns();
  Dataset data;
  data.columns = spec.columns();
  const std::size_t rows = cols.empty() ? 0 : cols[0].size();
  const std::size_t width = data.columns.size();
  data.x.resize(rows * width);
  data.y.resize(rows);
  data.member.resize(rows);
  data.cutoff.resize(rows);
  for (std::size_t i = 0; i < rows; ++i) {
    data.member[i] = static_cast<std::int64_t>(cols[0][i]);
    data.cutoff[i] = static_cast<int>(cols[1][i]);
    data.y[i] = static_cast<float>(cols[2][i]);
    for (std::size_t j = 0; j < width; ++j) {
      data.x[i * width + j] = static_cast<float>(cols[3 + j][i]);
    }
  }
  return data;
}

}  // namespace aa::model
