#pragma once
// The facts an answer may state: every figure shown to the user is registered here first,
// formatted once, with the operation and the result path it came from. Numbers get ids F1,
// F2, ...; names and labels get E1, E2, ... Each name knows what kind of name it holds, and
// that kind decides whether it may be shown: a label of our own vocabularies (a tenure band,
// a segment, a CLV tier) always is; a name read from the input files (a province, a card) or
// a member's reason only when it looks like one.

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace aa::analyst {

// What kind of text a name fact holds.
enum class NameKind {
  Label,       // our own vocabulary: tenure bands, RFM segments, CLV and risk tiers, feature
               // phrases, cutoff months, cohort years; shown as it is (see safe_label)
  DataName,    // read from the input files: province, card, gender, file names (safe_name)
  Reason,      // a member's churn reason, worded from the data (safe_reason)
  Identifier,  // a loyalty number: digits only
};
const char* to_string(NameKind kind);

struct Fact {
  std::string id;     // F3 or E2
  std::string value;  // as shown: "CAD 2.4M", "12.3%", "Ontario"
  std::string op;     // the operation whose result holds it
  std::string path;   // JSON pointer into that result, e.g. /rows/0/total_value_at_risk
  std::string label;  // what it is, in words (what an LLM narrator is told)
  std::string kind;   // "number", or the NameKind of a name: "label", "name", ...
};

class FactSheet {
 public:
  // Registers a formatted figure and returns its value (the same fact twice keeps one id).
  const std::string& number(const std::string& value, const std::string& op,
                            const std::string& path, const std::string& label);
  // Registers a name; a value its kind does not admit is shown as "(a name withheld)".
  const std::string& entity(const std::string& value, const std::string& op,
                            const std::string& path, const std::string& label, NameKind kind);
  // The id of the fact registered with this value and path.
  std::optional<std::string> id_of(const std::string& op, const std::string& path) const;
  const std::vector<Fact>& facts() const { return facts_; }
  // Keeps only the facts whose ids are listed (the ones an answer cites), ids unchanged.
  void keep_only(const std::vector<std::string>& ids);
  nlohmann::json to_json() const;

 private:
  const std::string& add(char prefix, const std::string& value, const std::string& op,
                         const std::string& path, const std::string& label,
                         const std::string& kind);
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
// Whether a generated reason may be shown: as safe_name, but digits, commas, %, $ and _ allowed.
bool safe_reason(const std::string& text);
// Whether a label of our own vocabularies may be shown: up to 60 characters of letters,
// digits, spaces and "+-./%()'", nothing that reads like an instruction. Every label the
// operations produce passes (a test checks each vocabulary), so none is ever withheld.
bool safe_label(const std::string& text);

}  // namespace aa::analyst
