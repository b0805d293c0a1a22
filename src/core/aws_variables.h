#pragma once
// The standard AWS variables (AWS's own names, as its CLI and SDKs read them), which a `.env`
// or the environment may hold beside our settings: credentials, profile, regions, endpoints.
// Each is accepted; those that apply to what we call (S3, Athena, SageMaker, Bedrock) are used.

#include <string>
#include <vector>

namespace aa::core {

struct AwsVariable {
  const char* key;
  const char* use;  // what we do with it ("not used: ..." when nothing of ours applies)
};

// Every standard AWS variable we know, in the order the docs list them.
const std::vector<AwsVariable>& aws_variables();

// Whether `key` is one of them, or a per-service endpoint AWS_ENDPOINT_URL_<SERVICE>.
bool is_aws_variable(const std::string& key);

}  // namespace aa::core
