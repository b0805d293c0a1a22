#pragma once
// A named profile of AWS's shared files, as its CLI and SDKs read them: credentials from the
// shared credentials file (AWS_SHARED_CREDENTIALS_FILE, default ~/.aws/credentials, sections
// [name]) and the config file (AWS_CONFIG_FILE, default ~/.aws/config, sections [profile name]
// and [default]), the region from the config file. The profile is AWS_PROFILE, else
// AWS_DEFAULT_PROFILE, else "default".

#include <optional>
#include <string>

#include "cloud/sigv4.h"
#include "core/config.h"

namespace aa::aws {

struct AwsProfile {
  std::string name;
  AwsCredentials credentials;  // empty keys when the files hold none for the profile
  std::string region;          // empty when the config file names none
};

// The profile `environment` names, from the files it points to (HOME comes from `environment`
// too). nullopt when neither file has the profile; a profile named by AWS_PROFILE that neither
// file has is an AppError listing the profiles they have.
std::optional<AwsProfile> read_aws_profile(const core::Environment& environment);

}  // namespace aa::aws
