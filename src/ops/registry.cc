#include "ops/registry.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "core/app_error.h"
#include "ops/units.h"

namespace aa::ops {

const std::vector<std::string>& group_metric_names() {
  static const std::vector<std::string> names = {
      "customers",     "avg_clv",      "median_clv",        "avg_churn_score", "avg_recency_months",
      "avg_frequency", "avg_monetary", "avg_tenure_months", "cancelled_rate",  "retention_rate"};
  return names;
}

std::vector<ParamSpec> no_params(const Domains&) { return {}; }

ParamSpec top_n_param(std::int64_t default_value, std::int64_t max) {
  ParamSpec p;
  p.name = "top_n";
  p.type = ParamType::Integer;
  p.description = "how many rows to return";
  p.default_value = default_value;
  p.min = 1;
  p.max = static_cast<double>(max);
  p.unit = "rows";
  return p;
}

ParamSpec ascending_param() {
  ParamSpec p;
  p.name = "ascending";
  p.type = ParamType::Boolean;
  p.description = "sort smallest first";
  p.default_value = false;
  return p;
}

const std::vector<Operation>& operations() {
  static const std::vector<Operation> all = [] {
    std::vector<Operation> out;
    add_portfolio_operations(out);
    add_group_operations(out);
    add_customer_operations(out);
    add_driver_operations(out);
    add_survival_operations(out);
    add_plan_operations(out);
    add_report_operations(out);
    return out;
  }();
  return all;
}

std::vector<std::string> operation_names() {
  std::vector<std::string> names;
  for (const auto& op : operations()) {
    names.push_back(op.name);
  }
  return names;
}

nlohmann::json list_operations(const Domains& domains) {
  nlohmann::json ops = nlohmann::json::array();
  for (const auto& op : operations()) {
    nlohmann::json params = nlohmann::json::array();
    for (const auto& spec : op.params(domains)) {
      params.push_back(spec.to_json());
    }
    ops.push_back({{"name", op.name}, {"description", op.description}, {"params", params}});
  }
  return {{"operations", ops}, {"filters", filter_schema(domains)}};
}

const Operation& find_operation(const std::string& name) {
  const auto& all = operations();
  const auto it =
      std::find_if(all.begin(), all.end(), [&](const Operation& op) { return op.name == name; });
  if (it == all.end()) {
    fail(ErrorKind::InvalidInput, "unknown operation '{}'; valid operations: {}", name,
         fmt::join(operation_names(), ", "));
  }
  return *it;
}

nlohmann::json run_operation(OpsContext& context, const std::string& name,
                             const nlohmann::json& params, const nlohmann::json& filters) {
  const Operation& op = find_operation(name);
  const ParamValues values = check_params(name, op.params(context.domains()), params);
  const Filters slice = Filters::from_json(filters, context.domains());
  nlohmann::json result = with_units(op.run(context, values, slice));
  return {
      {"op", name}, {"params", values.json()}, {"filters", slice.to_json()}, {"result", result}};
}

}  // namespace aa::ops
