#include "core/aws_variables.h"

#include <algorithm>

namespace aa::core {

const std::vector<AwsVariable>& aws_variables() {
  static const std::vector<AwsVariable> variables = {
      {"AWS_ACCESS_KEY_ID", "credentials for S3, Athena, SageMaker and Bedrock"},
      {"AWS_SECRET_ACCESS_KEY", "credentials for S3, Athena, SageMaker and Bedrock"},
      {"AWS_SESSION_TOKEN", "the session token of temporary credentials"},
      {"AWS_SECURITY_TOKEN", "the session token's older name, when AWS_SESSION_TOKEN is unset"},
      {"AWS_DEFAULT_REGION", "the region when AWS_REGION is unset"},
      {"AWS_PROFILE", "the profile read from the shared credentials and config files"},
      {"AWS_DEFAULT_PROFILE", "the profile's older name, when AWS_PROFILE is unset"},
      {"AWS_SHARED_CREDENTIALS_FILE", "the shared credentials file (default ~/.aws/credentials)"},
      {"AWS_CONFIG_FILE", "the shared config file (default ~/.aws/config): the profile's region"},
      {"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "credentials from an ECS task or SageMaker job"},
      {"AWS_CONTAINER_CREDENTIALS_FULL_URI", "credentials from a container credentials endpoint"},
      {"AWS_CONTAINER_AUTHORIZATION_TOKEN", "the container credentials endpoint's token"},
      {"AWS_CA_BUNDLE", "the CA certificates for HTTPS to AWS (a PEM file)"},
      {"AWS_MAX_ATTEMPTS", "attempts per S3, Athena or SageMaker request (default 3)"},
      {"AWS_ENDPOINT_URL_BEDROCK_RUNTIME",
       "the Bedrock endpoint, when AIRLINE_LLM_BASE_URL is unset"},
      {"AWS_RETRY_MODE", "not used: requests are retried as AWS_MAX_ATTEMPTS says"},
      {"AWS_DEFAULT_OUTPUT", "not used: the AWS CLI's output format"},
      {"AWS_PAGER", "not used: the AWS CLI's pager"},
      {"AWS_CLI_AUTO_PROMPT", "not used: the AWS CLI's prompt"},
      {"AWS_CLI_FILE_ENCODING", "not used: the AWS CLI's file encoding"},
      {"AWS_SDK_LOAD_CONFIG", "not used: the config file is always read"},
      {"AWS_STS_REGIONAL_ENDPOINTS", "not used: no STS calls"},
      {"AWS_ROLE_ARN", "not used: web identity federation is not supported"},
      {"AWS_ROLE_SESSION_NAME", "not used: web identity federation is not supported"},
      {"AWS_WEB_IDENTITY_TOKEN_FILE", "not used: web identity federation is not supported"},
      {"AWS_EC2_METADATA_DISABLED", "not used: the instance metadata service is never asked"},
      {"AWS_METADATA_SERVICE_TIMEOUT", "not used: the instance metadata service is never asked"},
      {"AWS_METADATA_SERVICE_NUM_ATTEMPTS",
       "not used: the instance metadata service is never asked"},
      {"AWS_USE_FIPS_ENDPOINT", "not used: set AWS_ENDPOINT_URL_<SERVICE> instead"},
      {"AWS_USE_DUALSTACK_ENDPOINT", "not used: set AWS_ENDPOINT_URL_<SERVICE> instead"},
      {"AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "not used"},
      {"AWS_REQUEST_CHECKSUM_CALCULATION", "not used: payloads are always signed by hash"},
      {"AWS_RESPONSE_CHECKSUM_VALIDATION", "not used"},
      {"AWS_ACCOUNT_ID", "not used"},
      {"AWS_EXECUTION_ENV", "not used"},
  };
  return variables;
}

bool is_aws_variable(const std::string& key) {
  if (key.rfind("AWS_ENDPOINT_URL_", 0) == 0 && key.size() > 17) {
    return true;
  }
  const auto& all = aws_variables();
  return std::any_of(all.begin(), all.end(), [&](const AwsVariable& v) { return key == v.key; });
}

}  // namespace aa::core
