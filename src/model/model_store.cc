#include "model/model_store.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

#include "core/app_error.h"
#include "core/files.h"

namespace aa::model {

fs::path kept_model_dir(const core::Lake& lake, const std::string& model_id) {
  const bool valid = !model_id.empty() && model_id.size() <= 64 &&
                     std::all_of(model_id.begin(), model_id.end(), [](char c) {
                       return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-';
                     });
  if (!valid) {
    core::fail(core::ErrorKind::InvalidInput, "'{}' is not a model_id (letters, digits and '-')",
               model_id);
  }
  return lake.churn_models() / model_id;
}

std::vector<std::string> kept_model_ids(const core::Lake& lake) {
  std::vector<std::string> ids;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(lake.churn_models(), ec)) {
    if (e.is_directory() && fs::exists(e.path() / "model_meta.json")) {
      ids.push_back(e.path().filename().string());
    }
  }
  std::sort(ids.begin(), ids.end());
  return ids;
}

nlohmann::json kept_model_json(const core::Lake& lake, const std::string& model_id,
                               const std::string& file) {
  const fs::path path = kept_model_dir(lake, model_id) / file;
  if (!fs::exists(path)) {
    core::fail(core::ErrorKind::NotFound, "'{}' does not exist; kept models: {}", path.string(),
               fmt::join(kept_model_ids(lake), ", "));
  }
  return nlohmann::json::parse(core::read_file(path));
}

nlohmann::json current_model_meta(const core::Lake& lake) {
  const fs::path path = lake.churn_artifacts() / "model_meta.json";
  return fs::exists(path) ? nlohmann::json::parse(core::read_file(path)) : nlohmann::json();
}

}  // namespace aa::model
