#include "monitor/monitor_tables.h"

#include <string>
#include <vector>

namespace aa::monitor {

namespace {

// Binds a JSON value: a number, a string, a boolean (as 0/1) or null.
void bind_value(duck::PreparedStatement& insert, std::size_t index, const nlohmann::json& v) {
  if (v.is_number_integer()) {
    insert.bind(index, v.get<std::int64_t>());
  } else if (v.is_number()) {
    insert.bind(index, v.get<double>());
  } else if (v.is_string()) {
    insert.bind(index, v.get<std::string>());
  } else if (v.is_boolean()) {
    insert.bind(index, std::int64_t{v.get<bool>() ? 1 : 0});
  } else {
    insert.bind_null(index);
  }
}

nlohmann::json at(const nlohmann::json& ci, std::size_t i) {
  return ci.is_array() && ci.size() == 2 ? ci[i] : nlohmann::json();
}

void insert_rows(duck::Connection& connection, const std::string& table,
                 const std::vector<std::vector<nlohmann::json>>& rows, std::size_t width) {
  std::string marks;
  for (std::size_t i = 0; i < width; ++i) {
    marks += i == 0 ? "?" : ", ?";
  }
  auto insert = connection.prepare("insert into " + table + " values (" + marks + ")");
  for (const auto& row : rows) {
    for (std::size_t i = 0; i < width; ++i) {
      bind_value(insert, i + 1, row[i]);
    }
    insert.execute();
  }
}

void copy_to(duck::Connection& connection, const std::string& table,
             const std::filesystem::path& path) {
  connection.execute("copy (select * from " + table + ") to " + duck::quote_literal(path.string()) +
                     " (format parquet, compression zstd)");
}

}  // namespace

void write_monitor_tables(duck::Connection& connection, const nlohmann::json& realized,
                          const nlohmann::json& drift, const std::filesystem::path& health,
                          const std::filesystem::path& drift_file) {
  connection.execute(
      "create or replace temp table model_health (scored_month varchar, model_id varchar, "
      "members bigint, cancellations bigint, matured_months integer, matured_share double, "
      "roc_auc double, roc_auc_low double, roc_auc_high double, pr_auc double, lift_top10 "
      "double, lift_top10_low double, lift_top10_high double, precision_top10 double, "
      "observed_rate double, observed_rate_low double, observed_rate_high double, "
      "mean_predicted double, calibration_ratio double, brier double, expected_source varchar, "
      "expected_cutoff varchar, expected_roc_auc double, expected_roc_auc_low double, "
      "expected_roc_auc_high double, expected_lift_top10 double, status varchar, "
      "status_reason varchar)");
  std::vector<std::vector<nlohmann::json>> rows;
  for (const auto& r : realized) {
    const auto& e = r.at("expected");
    rows.push_back({r["scored_month"],
                    r["model_id"],
                    r["members"],
                    r["cancellations"],
                    r["matured_months"],
                    r["matured_share"],
                    r["roc_auc"],
                    at(r["roc_auc_ci"], 0),
                    at(r["roc_auc_ci"], 1),
                    r["pr_auc"],
                    r["lift_top10"],
                    at(r["lift_top10_ci"], 0),
                    at(r["lift_top10_ci"], 1),
                    r["precision_top10"],
                    r["observed_rate"],
                    at(r["observed_rate_ci"], 0),
                    at(r["observed_rate_ci"], 1),
                    r["mean_predicted"],
                    r["calibration_ratio"],
                    r["brier"],
                    e.value("source", nlohmann::json()),
                    e.value("cutoff", nlohmann::json()),
                    e.value("roc_auc", nlohmann::json()),
                    at(e.value("roc_auc_ci", nlohmann::json()), 0),
                    at(e.value("roc_auc_ci", nlohmann::json()), 1),
                    e.value("lift_top10", nlohmann::json()),
                    r["status"],
                    r["status_reason"]});
  }
  insert_rows(connection, "model_health", rows, 28);
  copy_to(connection, "model_health", health);

  connection.execute(
      "create or replace temp table model_drift (scored_month varchar, model_id varchar, "
      "reference_month varchar, variable varchar, kind varchar, importance_rank integer, "
      "top5 boolean, psi double, shift varchar, mean_reference double, mean_scoring double, "
      "mean_change double, mean_z double)");
  rows.clear();
  if (drift.is_object()) {
    for (const auto& f : drift.at("features")) {
      rows.push_back(
          {drift["scored_month"], drift["model_id"], drift["reference_month"], f["feature"],
           "feature", f["importance_rank"], f["top5"], f["psi"], f["shift"],
           f.value("mean_reference", nlohmann::json()), f.value("mean_scoring", nlohmann::json()),
           f.value("mean_change", nlohmann::json()), f.value("mean_z", nlohmann::json())});
    }
    const auto& s = drift.at("score");
    rows.push_back({drift["scored_month"], drift["model_id"], drift["reference_month"],
                    s["feature"], "score", nullptr, false, s["psi"], s["shift"], nullptr, nullptr,
                    nullptr, nullptr});
  }
  insert_rows(connection, "model_drift", rows, 13);
  copy_to(connection, "model_drift", drift_file);
}

}  // namespace aa::monitor
