#include "cloud/aws_profile.h"

#include <fmt/format.h>

#include <filesystem>
#include <map>
#include <set>

#include "core/app_error.h"
#include "core/files.h"
#include "core/text.h"

namespace aa::aws {

namespace {

namespace fs = std::filesystem;

// section -> key -> value.
using Ini = std::map<std::string, std::map<std::string, std::string>>;

// An INI file of AWS's shape: [section], key = value, '#' and ';' comments. Absent: empty.
Ini read_ini(const fs::path& path) {
  Ini out;
  if (path.empty() || !fs::exists(path)) {
    return out;
  }
  const std::string text = core::read_file(path);
  std::string section;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const auto end = std::min(text.find('\n', pos), text.size());
    const std::string line = core::trim(text.substr(pos, end - pos));
    pos = end + 1;
    if (line.empty() || line[0] == '#' || line[0] == ';') {
      continue;
    }
    if (line.front() == '[' && line.back() == ']') {
      section = core::trim(line.substr(1, line.size() - 2));
      out[section];
      continue;
    }
    const auto eq = line.find('=');
    if (eq != std::string::npos && !section.empty()) {
      out[section][core::trim(line.substr(0, eq))] = core::trim(line.substr(eq + 1));
    }
  }
  return out;
}

std::string env_or(const core::Environment& env, const char* key) {
  const auto it = env.find(key);
  return it == env.end() ? "" : it->second;
}

fs::path file_of(const core::Environment& env, const char* key, const char* name) {
  if (const std::string set = env_or(env, key); !set.empty()) {
    return set;
  }
  const std::string home = env_or(env, "HOME");
  return home.empty() ? fs::path() : fs::path(home) / ".aws" / name;
}

// The config file names a profile "[profile x]", the default one "[default]".
const std::map<std::string, std::string>* config_section(const Ini& config,
                                                         const std::string& name) {
  auto it = config.find("profile " + name);
  if (it == config.end() && name == "default") {
    it = config.find("default");
  }
  return it == config.end() ? nullptr : &it->second;
}

std::string value_of(const std::map<std::string, std::string>* section, const char* key) {
  if (section == nullptr) {
    return "";
  }
  const auto it = section->find(key);
  return it == section->end() ? "" : it->second;
}

std::string profile_names(const Ini& credentials, const Ini& config) {
  std::set<std::string> names;
  for (const auto& [section, values] : credentials) {
    names.insert(section);
  }
  for (const auto& [section, values] : config) {
    names.insert(section.rfind("profile ", 0) == 0 ? core::trim(section.substr(8)) : section);
  }
  return names.empty() ? "none" : fmt::format("{}", fmt::join(names, ", "));
}

}  // namespace

std::optional<AwsProfile> read_aws_profile(const core::Environment& environment) {
  std::string name = env_or(environment, "AWS_PROFILE");
  const bool named = !name.empty() || !env_or(environment, "AWS_DEFAULT_PROFILE").empty();
  if (name.empty()) {
    name = env_or(environment, "AWS_DEFAULT_PROFILE");
  }
  if (name.empty()) {
    name = "default";
  }
  const fs::path credentials_file =
      file_of(environment, "AWS_SHARED_CREDENTIALS_FILE", "credentials");
  const fs::path config_file = file_of(environment, "AWS_CONFIG_FILE", "config");
  const Ini credentials = read_ini(credentials_file);
  const Ini config = read_ini(config_file);
  const auto own = credentials.find(name);
  const auto* from_credentials = own == credentials.end() ? nullptr : &own->second;
  const auto* from_config = config_section(config, name);
  if (from_credentials == nullptr && from_config == nullptr) {
    if (named) {
      core::fail(core::ErrorKind::InvalidInput,
                 "AWS profile '{}' is in neither '{}' nor '{}'; profiles there: {}", name,
                 credentials_file.string(), config_file.string(),
                 profile_names(credentials, config));
    }
    return std::nullopt;
  }
  // The credentials file wins over the config file for keys, as in AWS's tools.
  const auto key = [&](const char* k) {
    const std::string v = value_of(from_credentials, k);
    return v.empty() ? value_of(from_config, k) : v;
  };
  AwsProfile profile;
  profile.name = name;
  profile.credentials = {key("aws_access_key_id"), key("aws_secret_access_key"),
                         key("aws_session_token")};
  profile.region = value_of(from_config, "region");
  return profile;
}

}  // namespace aa::aws
