#include "analyst/writer.h"

#include <cmath>

namespace aa::analyst {

using nlohmann::json;

const json* Writer::at(const std::string& op, const std::string& path) const {
  const auto it = results_.find(op);
  if (it == results_.end()) {
    return nullptr;
  }
  const json::json_pointer pointer(path);
  if (!it->second.contains(pointer)) {
    return nullptr;
  }
  const json& v = it->second.at(pointer);
  return v.is_null() ? nullptr : &v;
}

double Writer::number(const std::string& op, const std::string& path) const {
  const json* v = at(op, path);
  return v && v->is_number() ? v->get<double>() : std::nan("");
}

std::size_t Writer::size(const std::string& op, const std::string& path) const {
  const json* v = at(op, path);
  return v && v->is_array() ? v->size() : 0;
}

std::string Writer::text(const std::string& op, const std::string& path) const {
  const json* v = at(op, path);
  return v && v->is_string() ? v->get<std::string>() : "";
}

std::optional<std::size_t> Writer::row_where(const std::string& op, const std::string& key,
                                             const std::string& value) const {
  const json* rows = at(op, "/rows");
  if (rows == nullptr || !rows->is_array()) {
    return std::nullopt;
  }
  for (std::size_t i = 0; i < rows->size(); ++i) {
    const json& v = rows->at(i).value(key, json());
    if (v.is_string() && v.get<std::string>() == value) {
      return i;
    }
  }
  return std::nullopt;
}

template <typename Format>
std::string Writer::figure(const std::string& op, const std::string& path, const std::string& label,
                           const Format& format) {
  const double v = number(op, path);
  if (std::isnan(v)) {
    return kMissing;
  }
  return facts_.number(format(v), op, path, label);
}

std::string Writer::cad(const std::string& op, const std::string& path, const std::string& label) {
  return figure(op, path, label, [](double v) { return format_cad(v); });
}

std::string Writer::pct(const std::string& op, const std::string& path, const std::string& label) {
  return figure(op, path, label, [](double v) { return format_percent(v); });
}

std::string Writer::count(const std::string& op, const std::string& path,
                          const std::string& label) {
  return figure(op, path, label, [](double v) { return format_count(v); });
}

std::string Writer::dec(const std::string& op, const std::string& path, const std::string& label,
                        int digits, const std::string& unit) {
  return figure(op, path, label, [&](double v) {
    return format_decimal(v, digits) + (unit.empty() ? "" : " " + unit);
  });
}

std::string Writer::name(const std::string& op, const std::string& path, const std::string& label,
                         NameKind kind) {
  const json* v = at(op, path);
  if (v == nullptr) {
    return kMissing;
  }
  const std::string text = v->is_string() ? v->get<std::string>() : v->dump();
  return facts_.entity(text, op, path, label, kind);
}

std::string Writer::derived(const std::string& formatted, const std::string& op,
                            const std::string& path, const std::string& label) {
  return facts_.number(formatted, op, path, label);
}

const char* separator(std::size_t i, std::size_t count) {
  return i == 0 ? "" : i + 1 == count ? " and " : ", ";
}

}  // namespace aa::analyst
