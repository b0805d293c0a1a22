#include "analyst/follow_up.h"

#include <algorithm>
#include <type_traits>

#include "analyst/intents.h"
#include "analyst/text.h"
#include "core/app_error.h"

namespace aa::analyst {

namespace {

bool opens_with(const std::vector<std::string>& words, const std::string& phrase) {
  const auto p = words_of(phrase);
  return words.size() >= p.size() && std::equal(p.begin(), p.end(), words.begin());
}

template <typename T>
bool set(const T& v) {
  if constexpr (std::is_same_v<T, std::string>) {
    return !v.empty();
  } else if constexpr (requires { v.empty(); }) {
    return !v.empty();
  } else {
    return v.has_value();
  }
}

// The new value when the question gives one (changed), else the previous one (inherited,
// when there was one).
template <typename T>
void take(const char* key, T& into, const T& now, nlohmann::json& record) {
  if (set(now)) {
    record["changed"].push_back(key);
    into = now;
  } else if (set(into)) {
    record["inherited"].push_back(key);
  }
}

}  // namespace

std::optional<Turn> Turn::from_json(const nlohmann::json& previous) {
  if (previous.is_null()) {
    return std::nullopt;
  }
  if (!previous.is_object()) {
    core::fail(core::ErrorKind::InvalidInput,
               "the context must be a previous answer (a JSON object with question, intents and "
               "slots)");
  }
  Turn t;
  const auto question = previous.find("question");
  t.question =
      question != previous.end() && question->is_string() ? question->get<std::string>() : "";
  const auto intents = previous.find("intents");
  if (intents != previous.end() && intents->is_array() && !intents->empty() &&
      intents->front().is_string()) {
    t.intent = intents->front().get<std::string>();
  }
  const auto names = intent_names();
  if (std::find(names.begin(), names.end(), t.intent) == names.end()) {
    return std::nullopt;  // nothing understood before: nothing to follow
  }
  t.slots = Slots::from_json(previous.value("slots", nlohmann::json::object()));
  return t;
}

bool reads_as_follow_up(const std::string& question, const Slots& slots,
                        const Recognition& recognition) {
  const auto words = words_of(question);
  static const std::vector<std::string> cues = {"and",
                                                "what about",
                                                "how about",
                                                "same for",
                                                "same but",
                                                "same thing",
                                                "now",
                                                "only",
                                                "just",
                                                "also",
                                                "then",
                                                "ok and",
                                                "show me the top",
                                                "the top",
                                                "top",
                                                "but",
                                                "what if",
                                                "instead",
                                                "how about the top"};
  const bool cue = std::any_of(cues.begin(), cues.end(),
                               [&](const std::string& c) { return opens_with(words, c); });
  const bool short_naming = words.size() <= 5 && slots.names_something();
  const bool own_intent = recognition.understood() && recognition.best().keyword_hits > 0 &&
                          recognition.best().score >= 2 * kConfidenceThreshold;
  return (cue || short_naming) && (slots.names_something() || !own_intent);
}

Slots overlay(const Turn& previous, const Slots& now, nlohmann::json& record) {
  record["inherited"] = nlohmann::json::array();
  record["changed"] = nlohmann::json::array();
  Slots s = previous.slots;
  if (previous.intent == "comparison" && now.segments.size() == 1 && !s.segments.empty()) {
    s.segments = {s.segments.front(), now.segments.front()};  // the second side changes
    record["changed"].push_back("segments");
  } else {
    take("segments", s.segments, now.segments, record);
  }
  take("provinces", s.provinces, now.provinces, record);
  take("cards", s.cards, now.cards, record);
  take("genders", s.genders, now.genders, record);
  take("clv_tiers", s.clv_tiers, now.clv_tiers, record);
  take("tenure_groups", s.tenure_groups, now.tenure_groups, record);
  take("top_n", s.top_n, now.top_n, record);
  take("budget_cad", s.budget_cad, now.budget_cad, record);
  take("cost_per_contact_cad", s.cost_per_contact_cad, now.cost_per_contact_cad, record);
  take("save_rate", s.save_rate, now.save_rate, record);
  take("loyalty_number", s.loyalty_number, now.loyalty_number, record);
  if (!now.horizon.empty()) {
    s.horizon = now.horizon;
    s.horizon_months = now.horizon_months;
  }
  if (now.yes_no || now.how_much || now.direction != 0) {
    s.yes_no = now.yes_no;
    s.how_much = now.how_much;
    s.direction = now.direction;
    s.compare = now.compare;
  }
  if (!now.audience.empty()) {
    s.audience = now.audience;
  }
  return s;
}

}  // namespace aa::analyst
