#pragma once
// The facts an answer may state: every figure shown to the user is registered here first,
// formatted once, with the operation and the result path it came from. Numbers get ids F1,
// F2, ...; names taken from the data (a province, a reason) get E1, E2, ... and are shown
// only when they look like names (see safe_text).

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace aa::analyst {

struct Fact {
  std::string id;     // F3 or E2
  std::string value;  // as shown: "CAD 2.4M", "12.3%", "Ontario"
  std::string op;     // the operation whose result holds it
  std::string path;   // JSON pointer into that result, e.g. /rows/0/total_value_at_risk
  std::string label;  // what it is, in words (what an LLM narrator is told)
};

class FactSheet {
 public:
  // Registers a formatted figure and returns its value (the same fact twice keeps one id).
  const std::string& number(const std::string& value, const std::string& op,
                            const std::string& path, const std::string& label);
  // Registers a name from the data; a value that does not look like a name is shown as
  // "(a name withheld)" instead.
  const std::string& entity(const std::string& value, const std::string& op,
                            const std::string& path, const std::string& label);
  // The id of the fact registered with this value and path.
  std::optional<std::string> id_of(const std::string& op, const std::string& path) const;
  const std::vector<Fact>& facts() const { return facts_; }
  nlohmann::json to_json() const;

 private:
  const std::string& add(char prefix, const std::string& value, const std::string& op,
                         const std::string& path, const std::string& label);
  std::vector<Fact> facts_;
  int numbers_ = 0;
  int entities_ = 0;
};

// Formats, in the reference narrator's units. CAD without "$": "CAD 2.4M", "CAD 812K",
// "CAD 950". Rates as percentages with one decimal. Counts with thousands separators.
std::string format_cad(double value);
std::string format_percent(double fraction);
std::string format_count(double value);
std::string format_decimal(double value, int digits);

// Whether a data value may be shown: a short name of letters, spaces and simple punctuation
// with nothing that reads like an instruction, markup or a link.
bool safe_name(const std::string& text);
// Whether a generated reason may be shown: as safe_name, but digits, commas, % and $ allowed.
bool safe_reason(const std::string& text);

}  // namespace aa::analyst
