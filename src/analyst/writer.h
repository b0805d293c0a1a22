#pragma once
// The narrator's pen: reads figures out of the computed results and registers each one in the
// fact sheet as it is written, so that every figure an answer states is a fact with its source.

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "analyst/facts.h"

namespace aa::analyst {

// Operation name -> its result (as run_operation returns "result").
using Results = std::map<std::string, nlohmann::json>;

// What a missing figure is written as (the answer tests reject it).
inline constexpr const char* kMissing = "n/a";

class Writer {
 public:
  Writer(const Results& results, FactSheet& facts) : results_(results), facts_(facts) {}

  bool has(const std::string& op) const { return results_.count(op) > 0; }
  // The value at `path` in op's result; nullptr when absent or null.
  const nlohmann::json* at(const std::string& op, const std::string& path) const;
  double number(const std::string& op, const std::string& path) const;  // NaN when absent
  std::size_t size(const std::string& op, const std::string& path) const;
  std::string text(const std::string& op, const std::string& path) const;  // "" when absent
  // The index of the row of op's /rows whose `key` equals `value`.
  std::optional<std::size_t> row_where(const std::string& op, const std::string& key,
                                       const std::string& value) const;

  // Figures, formatted in the reference's units and registered.
  std::string cad(const std::string& op, const std::string& path, const std::string& label);
  std::string pct(const std::string& op, const std::string& path, const std::string& label);
  std::string count(const std::string& op, const std::string& path, const std::string& label);
  std::string dec(const std::string& op, const std::string& path, const std::string& label,
                  int digits, const std::string& unit);
  // A name or label from a result, registered with its kind.
  std::string name(const std::string& op, const std::string& path, const std::string& label,
                   NameKind kind);
  // A figure computed here from results (a share, a sum); `path` says how.
  std::string derived(const std::string& formatted, const std::string& op, const std::string& path,
                      const std::string& label);

 private:
  template <typename Format>
  std::string figure(const std::string& op, const std::string& path, const std::string& label,
                     const Format& format);
  const Results& results_;
  FactSheet& facts_;
};

// Between items of a list of `count`: nothing before the first, " and " before the last.
const char* separator(std::size_t i, std::size_t count);

}  // namespace aa::analyst
