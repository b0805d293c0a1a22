#include "core/stage_state.h"

#include "core/files.h"
#include "core/progress.h"

namespace aa::core {

StageState::StageState(const Lake& lake, std::string stage)
    : lake_(lake), stage_(std::move(stage)) {
  inputs_["product_version"] = AA_VERSION;
}

void StageState::add_input(const std::string& key, const std::string& value) {
  inputs_[key] = value;
}

std::string StageState::fingerprint() const { return sha256_text(nlohmann::json(inputs_).dump()); }

fs::path StageState::state_file() const { return lake_.state_dir() / (stage_ + ".json"); }

nlohmann::json StageState::load() const {
  if (!fs::exists(state_file())) {
    return nlohmann::json::object();
  }
  try {
    return nlohmann::json::parse(read_file(state_file()));
  } catch (const nlohmann::json::exception&) {
    return nlohmann::json::object();  // A damaged state file only means "rebuild".
  }
}

std::map<std::string, std::string> StageState::recorded_outputs() const {
  const auto state = load();
  if (!state.contains("outputs") || !state["outputs"].is_object()) {
    return {};
  }
  return state["outputs"].get<std::map<std::string, std::string>>();
}

std::optional<StageResult> StageState::skip_if_unchanged(bool force, double seconds,
                                                         const std::string& message) const {
  if (force || !up_to_date()) {
    return std::nullopt;
  }
  StageResult result;
  result.skipped = true;
  result.summary = last_summary();
  result.seconds = seconds;
  say(stage_, "{}", message);
  return result;
}

bool StageState::up_to_date() const {
  const auto state = load();
  if (state.value("fingerprint", "") != fingerprint()) {
    return false;
  }
  const auto outputs = recorded_outputs();
  if (outputs.empty()) {
    return false;
  }
  for (const auto& [relative, sha] : outputs) {
    const fs::path path = lake_.root() / relative;
    if (!fs::exists(path) || sha256_file(path).sha256 != sha) {
      return false;
    }
  }
  return true;
}

bool StageState::has_record() const { return load().contains("fingerprint"); }

void StageState::record(const std::vector<fs::path>& outputs, const nlohmann::json& summary,
                        const std::map<fs::path, std::string>& known) const {
  nlohmann::json state;
  state["stage"] = stage_;
  state["fingerprint"] = fingerprint();
  state["inputs"] = inputs_;
  state["summary"] = summary;
  nlohmann::json hashes = nlohmann::json::object();
  for (const auto& path : outputs) {
    const auto it = known.find(path);
    hashes[fs::relative(path, lake_.root()).string()] =
        it != known.end() ? it->second : sha256_file(path).sha256;
  }
  state["outputs"] = hashes;
  write_file_atomic(state_file(), state.dump(2) + "\n");
}

nlohmann::json StageState::last_summary() const {
  const auto state = load();
  return state.contains("summary") ? state["summary"] : nlohmann::json::object();
}

}  // namespace aa::core
