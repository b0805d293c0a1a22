// Fuzz target: the API's request bodies as the server reads them (a JSON object with "params"
// and "filters"), checked against every operation's parameter declarations and the filters;
// then the server's PII redaction and CSV export over the same JSON as a result. Any input must
// end in values or a typed AppError.
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "core/app_error.h"
#include "ops/params.h"
#include "ops/registry.h"
#include "server/server.h"
#include "support/domains.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const aa::ops::Domains domains = aa::test::real_data_domains();
  const std::string text(reinterpret_cast<const char*>(data), size);
  nlohmann::json body = nlohmann::json::parse(text, nullptr, false);
  if (body.is_discarded() || !body.is_object()) {
    return 0;  // the server answers 400 here
  }
  const nlohmann::json params = body.value("params", nlohmann::json::object());
  const nlohmann::json filters = body.value("filters", nlohmann::json::object());
  for (const auto& op : aa::ops::operations()) {
    try {
      (void)aa::ops::check_params(op.name, op.params(domains), params);
    } catch (const aa::core::AppError&) {
    }
  }
  try {
    (void)aa::ops::Filters::from_json(filters, domains).to_json();
  } catch (const aa::core::AppError&) {
  }
  try {
    if (body.contains("table") && body["table"].is_string()) {
      (void)aa::server::table_csv(body, body["table"].get<std::string>());
    }
  } catch (const aa::core::AppError&) {
  }
  aa::server::redact_pii(body);
  return 0;
}
