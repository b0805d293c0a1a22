#pragma once
// The closed set of analytic operations the dashboard, the analyst and the CLI answer
// questions with. One entry point: run_operation(context, name, params, filters), all JSON.

#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "ops/filters.h"
#include "ops/ops_context.h"
#include "ops/params.h"
#include "ops/result_schema.h"

namespace aa::ops {

struct Operation {
  std::string name;
  std::string description;  // one line; the analyst's planner reads it
  std::function<std::vector<ParamSpec>(const Domains&)> params;
  std::function<nlohmann::json(OpsContext&, const ParamValues&, const Filters&)> run;
  // The result's fields with type, unit and meaning (ops/result_schema.h); result.units comes
  // from it.
  ResultSchema result;
};

// Every operation, in a stable order.
const std::vector<Operation>& operations();
std::vector<std::string> operation_names();
// The operation called `name`; AppError(InvalidInput) listing the valid names otherwise.
const Operation& find_operation(const std::string& name);

// [{name, description, params: [...], result: [...]}] plus the filters every operation takes.
nlohmann::json list_operations(const Domains& domains);

// The reference section of docs/OPERATIONS.md: every operation with its parameters and result
// fields, and the filters. Choices that come from the data are described, not listed, so the
// text does not depend on a lake.
std::string operations_markdown();

// What in `result` the operation's schema does not allow (ops/result_schema.h); empty when it
// conforms. Tests run it on every operation; debug builds check every run.
std::vector<std::string> check_result(const Operation& op, const nlohmann::json& result);

// {op, params, filters, result}: params with defaults filled in, result with its "units" (from
// the operation's result schema).
// An unknown name, parameter or filter throws AppError(InvalidInput) naming the valid choices.
nlohmann::json run_operation(OpsContext& context, const std::string& name,
                             const nlohmann::json& params, const nlohmann::json& filters);

// The families, one file each.
void add_portfolio_operations(std::vector<Operation>& out);
void add_group_operations(std::vector<Operation>& out);
void add_customer_operations(std::vector<Operation>& out);
void add_driver_operations(std::vector<Operation>& out);
void add_survival_operations(std::vector<Operation>& out);
void add_plan_operations(std::vector<Operation>& out);
void add_report_operations(std::vector<Operation>& out);
// Members of the group and customer families kept in files of their own.
Operation segment_comparison_operation();
Operation customer_search_operation();
// The monitor's report (issue 25), in a file of its own.
Operation model_health_operation();

// sort_by choices of the summary_by_* operations: the group metrics (customers, avg/median
// CLV, avg churn_score, avg recency, frequency, monetary and tenure, cancelled and retention
// rate).
const std::vector<std::string>& group_metric_names();

// Parameter declarations used by several operations.
std::vector<ParamSpec> no_params(const Domains&);
ParamSpec top_n_param(std::int64_t default_value, std::int64_t max);
ParamSpec ascending_param();

}  // namespace aa::ops
