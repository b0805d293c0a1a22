#pragma once
// The declared result field of each figure a GroupStats gives (ops/member_frame.h), by its
// result key: one declaration for every operation that reports it (KPIs, group summaries,
// segment comparison, CLV tiers, tenure buckets).

#include <initializer_list>
#include <string>

#include "ops/result_schema.h"

namespace aa::ops {

// The fields for `names`, in that order; "customers" counts the members of `counted` ("group"
// or "slice"). A name that is no GroupStats figure is a logic error.
ResultSchema group_figures(std::initializer_list<const char*> names,
                           const std::string& counted = "group");

// The parts one after the other: a schema that lists group figures among its own fields.
ResultSchema joined(std::initializer_list<ResultSchema> parts);

}  // namespace aa::ops
