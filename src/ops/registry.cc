#include "ops/registry.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "core/app_error.h"

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
    ops.push_back({{"name", op.name},
                   {"description", op.description},
                   {"params", params},
                   {"result", schema_json(op.result)}});
  }
  return {{"operations", ops}, {"filters", filter_schema(domains)}};
}

namespace {

std::string cell(const nlohmann::json& v) {
  if (v.is_null()) {
    return "–";
  }
  if (v.is_number_float() && v.get<double>() == std::floor(v.get<double>()) &&
      std::abs(v.get<double>()) < 1e15) {
    return fmt::format("{}", static_cast<long long>(v.get<double>()));
  }
  return v.is_string() ? v.get<std::string>() : v.dump();
}

std::string choices_cell(const nlohmann::json& choices) {
  if (choices.empty()) {
    return "values present in the data";
  }
  std::vector<std::string> names;
  for (const auto& c : choices) {
    names.push_back(c.get<std::string>());
  }
  return fmt::format("{}", fmt::join(names, ", "));
}

}  // namespace

std::string operations_markdown() {
  // Segments and risk tiers are fixed vocabularies; the rest come from the data.
  Domains domains;
  domains.rfm_segment = segment_vocabulary();
  domains.risk_tier = risk_tier_vocabulary();
  std::string out;
  out +=
      "### Filters (every operation)\n\n| filter | type | values | meaning |\n|---|---|---|---|\n";
  // In the filter bar's order when the schema gives one.
  const nlohmann::json schema = filter_schema(domains);
  std::vector<std::pair<std::string, nlohmann::json>> filters;
  for (const auto& [key, f] : schema.items()) {
    filters.emplace_back(key, f);
  }
  std::stable_sort(filters.begin(), filters.end(), [](const auto& a, const auto& b) {
    return a.second.value("order", 0) < b.second.value("order", 0);
  });
  for (const auto& [key, f] : filters) {
    std::string values;
    if (f.contains("choices")) {
      values = choices_cell(f.at("choices"));
    } else {
      values = fmt::format("{} to {}{}", cell(f.value("min", nlohmann::json())),
                           cell(f.value("max", nlohmann::json())),
                           f.contains("unit") ? ", " + f.at("unit").get<std::string>() : "");
    }
    out +=
        fmt::format("| `{}` | {} | {} | {} |\n", key, f.at("type").get<std::string>(),
                    markdown_cell(values), markdown_cell(f.at("description").get<std::string>()));
  }
  for (const auto& op : operations()) {
    out += fmt::format("\n### `{}`\n\n{}\n\n", op.name, op.description);
    if (op.result.empty()) {
      out += "Result: not declared.\n";
      continue;
    }
    const auto params = op.params(domains);
    if (params.empty()) {
      out += "Parameters: none.\n\n";
    } else {
      out += "| parameter | type | values | default | meaning |\n|---|---|---|---|---|\n";
      for (const auto& spec : params) {
        const nlohmann::json p = spec.to_json();
        std::string values;
        if (p.contains("choices")) {
          values = choices_cell(p.at("choices"));
        } else if (p.contains("min")) {
          values = fmt::format("{} to {}", cell(p.at("min")), cell(p.at("max")));
        }
        if (p.contains("unit")) {
          values += (values.empty() ? "" : ", ") + p.at("unit").get<std::string>();
        }
        out += fmt::format(
            "| `{}` | {} | {} | {} | {} |\n", spec.name, p.at("type").get<std::string>(),
            values.empty() ? "–" : markdown_cell(values),
            spec.required ? "required" : cell(p.at("default")), markdown_cell(spec.description));
      }
      out += "\n";
    }
    out += schema_markdown(op.result);
  }
  return out;
}

std::vector<std::string> check_result(const Operation& op, const nlohmann::json& result) {
  return validate_result(op.result, result);
}

const Operation& find_operation(const std::string& name) {
  const auto& all = operations();
  const auto it =
      std::find_if(all.begin(), all.end(), [&](const Operation& op) { return op.name == name; });
  if (it == all.end()) {
    core::fail(core::ErrorKind::InvalidInput, "unknown operation '{}'; valid operations: {}", name,
               fmt::join(operation_names(), ", "));
  }
  return *it;
}

nlohmann::json run_operation(OpsContext& context, const std::string& name,
                             const nlohmann::json& params, const nlohmann::json& filters) {
  const Operation& op = find_operation(name);
  const ParamValues values = check_params(name, op.params(context.domains()), params);
  const Filters slice = Filters::from_json(filters, context.domains());
  nlohmann::json result = op.run(context, values, slice);
#ifndef NDEBUG
  if (const auto problems = check_result(op, result); !problems.empty()) {
    throw std::logic_error(fmt::format("operation {}'s result does not match its schema: {}", name,
                                       fmt::join(problems, "; ")));
  }
#endif
  result["units"] = units_of(op.result, result);
  return {
      {"op", name}, {"params", values.json()}, {"filters", slice.to_json()}, {"result", result}};
}

}  // namespace aa::ops
