#include "analyst/facts.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>

namespace aa::analyst {

namespace {

constexpr const char* kWithheld = "(a name withheld)";

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

// Words that have no place in a province, card, segment or reason, and often in injections.
bool reads_like_instruction(const std::string& text) {
  static const char* const words[] = {
      "ignore",   "instruction", "system",   "prompt", "assistant", "disregard", "forget",
      "override", "execute",     "http",     "www",    "script",    "select ",   "drop ",
      "delete ",  "insert ",     "password", "secret", "token",     "api key",   "jailbreak",
      "previous", "developer",   "respond",  "reply",  "say ",      "print",     "output"};
  const std::string l = lower(text);
  return std::any_of(std::begin(words), std::end(words),
                     [&](const char* w) { return l.find(w) != std::string::npos; });
}

bool only(const std::string& text, const std::string& extra, bool digits) {
  return std::all_of(text.begin(), text.end(), [&](char c) {
    const auto u = static_cast<unsigned char>(c);
    return std::isalpha(u) || c == ' ' || (digits && std::isdigit(u)) ||
           extra.find(c) != std::string::npos;
  });
}

}  // namespace

bool safe_name(const std::string& text) {
  return !text.empty() && text.size() <= 40 && std::isalpha(static_cast<unsigned char>(text[0])) &&
         only(text, ".'-", false) && std::count(text.begin(), text.end(), ' ') <= 3 &&
         !reads_like_instruction(text);
}

bool safe_reason(const std::string& text) {
  return !text.empty() && text.size() <= 100 && only(text, ".,'-%$()_", true) &&
         !reads_like_instruction(text);
}

bool safe_label(const std::string& text) {
  return !text.empty() && text.size() <= 60 && only(text, "+-./%()'", true) &&
         !reads_like_instruction(text);
}

const char* to_string(NameKind kind) {
  switch (kind) {
    case NameKind::Label:
      return "label";
    case NameKind::DataName:
      return "name";
    case NameKind::Reason:
      return "reason";
    case NameKind::Identifier:
      return "identifier";
  }
  return "name";
}

namespace {

bool admitted(const std::string& value, NameKind kind) {
  switch (kind) {
    case NameKind::Label:
      return safe_label(value);
    case NameKind::DataName:
      return safe_name(value);
    case NameKind::Reason:
      return safe_reason(value);
    case NameKind::Identifier:
      return !value.empty() && value.size() <= 20 &&
             std::all_of(value.begin(), value.end(),
                         [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
  }
  return false;
}

}  // namespace

std::string format_cad(double value) {
  const double a = std::abs(value);
  const char* sign = value < 0 ? "-" : "";
  if (a >= 1e9) {
    return fmt::format("CAD {}{:.2f}B", sign, a / 1e9);
  }
  if (a >= 1e6) {
    return fmt::format("CAD {}{:.2f}M", sign, a / 1e6);
  }
  if (a >= 1e4) {
    return fmt::format("CAD {}{:.0f}K", sign, a / 1e3);
  }
  return fmt::format("CAD {}{}", sign, format_count(a));
}

std::string format_percent(double fraction) { return fmt::format("{:.1f}%", fraction * 100); }

std::string format_count(double value) {
  const auto n = static_cast<long long>(std::llround(std::abs(value)));
  std::string digits = std::to_string(n);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) {
      out += ',';
    }
    out += digits[i];
  }
  return (value < 0 && n != 0 ? "-" : "") + out;
}

std::string format_decimal(double value, int digits) {
  return fmt::format("{:.{}f}", value, digits);
}

const std::string& FactSheet::add(char prefix, const std::string& value, const std::string& op,
                                  const std::string& path, const std::string& label,
                                  const std::string& kind) {
  for (const auto& f : facts_) {
    if (f.op == op && f.path == path && f.value == value) {
      return f.value;
    }
  }
  const int n = prefix == 'F' ? ++numbers_ : ++entities_;
  facts_.push_back({fmt::format("{}{}", prefix, n), value, op, path, label, kind});
  return facts_.back().value;
}

const std::string& FactSheet::number(const std::string& value, const std::string& op,
                                     const std::string& path, const std::string& label) {
  return add('F', value, op, path, label, "number");
}

const std::string& FactSheet::entity(const std::string& value, const std::string& op,
                                     const std::string& path, const std::string& label,
                                     NameKind kind) {
  return add('E', admitted(value, kind) ? value : kWithheld, op, path, label, to_string(kind));
}

void FactSheet::keep_only(const std::vector<std::string>& ids) {
  std::erase_if(
      facts_, [&](const Fact& f) { return std::find(ids.begin(), ids.end(), f.id) == ids.end(); });
}

std::optional<std::string> FactSheet::id_of(const std::string& op, const std::string& path) const {
  for (const auto& f : facts_) {
    if (f.op == op && f.path == path) {
      return f.id;
    }
  }
  return std::nullopt;
}

nlohmann::json FactSheet::to_json() const {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& f : facts_) {
    out.push_back({{"id", f.id},
                   {"value", f.value},
                   {"op", f.op},
                   {"path", f.path},
                   {"label", f.label},
                   {"kind", f.kind}});
  }
  return out;
}

}  // namespace aa::analyst
