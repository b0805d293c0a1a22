#pragma once
// Idempotency by content: a stage records the fingerprint of its inputs (content hashes of
// files, SQL text, settings, the product version) and the sha256 of each output it published.
// A rerun skips the stage only when the fingerprint matches AND every output still has the
// recorded content; anything else rebuilds.

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/lake.h"

namespace aa::core {

// What a stage reports back: whether it ran, its JSON summary, what it published.
struct StageResult {
  bool skipped = false;
  nlohmann::json summary = nlohmann::json::object();
  std::vector<fs::path> outputs;
  double seconds = 0;
};

class StageState {
 public:
  StageState(const Lake& lake, std::string stage);

  // Adds an input to the fingerprint; key names it, value is its content hash or setting.
  void add_input(const std::string& key, const std::string& value);
  std::string fingerprint() const;

  // True when the last run of this stage had the same fingerprint and its outputs are intact.
  bool up_to_date() const;
  // The result of skipping this stage when it is up to date and not forced (the last run's
  // summary, `seconds` as given); nullopt when the stage must run. Says `message` on skipping.
  std::optional<StageResult> skip_if_unchanged(bool force, double seconds,
                                               const std::string& message) const;
  // Records a successful run: outputs are hashed now, except those whose sha256 the caller
  // already knows (`known`, by path: a file hashed while it was written). Written atomically.
  void record(const std::vector<fs::path>& outputs, const nlohmann::json& summary,
              const std::map<fs::path, std::string>& known = {}) const;
  // Whether an earlier run left a record: without one, nothing can be skipped.
  bool has_record() const;
  // The summary recorded by the last successful run (empty object if none).
  nlohmann::json last_summary() const;
  // Output hash recorded by the last run, by path relative to the lake root.
  std::map<std::string, std::string> recorded_outputs() const;

 private:
  fs::path state_file() const;
  nlohmann::json load() const;

  const Lake& lake_;
  std::string stage_;
  std::map<std::string, std::string> inputs_;
};

}  // namespace aa::core
