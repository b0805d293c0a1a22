#pragma once
// The reference project's column names that we keep as aliases of ours, so that its users'
// saved queries run unchanged: in the warehouse (features/warehouse.cc: a generated column)
// and in Athena (cloud/athena.cc: a view over the external table). Each alias always equals
// its column; docs/OPERATIONS.md lists them.

#include <cstddef>

namespace aa::core {

struct ColumnAlias {
  const char* table;
  const char* alias;   // the reference's name
  const char* column;  // ours
  const char* type;    // the column's SQL type
};

// The reference's churn_predictions called the CAD-weighted score (probability x CLV)
// priority_score; its customer_scored view exposed it as churn_score, as ours does.
inline constexpr ColumnAlias kReferenceAliases[] = {
    {"churn_predictions", "priority_score", "churn_score", "double"},
};

}  // namespace aa::core
