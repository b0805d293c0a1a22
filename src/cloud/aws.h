#pragma once
// What every AWS call needs: credentials and region from the standard variables, the endpoint
// of a service (AWS's own, or an override for S3-compatible stores and local test servers), and
// one signed HTTP request with retries. Used by the S3 client, Athena and SageMaker.

#include <cstdint>
#include <functional>
#include <map>
#include <string>

#include "cloud/sigv4.h"
#include "core/config.h"

namespace aa::aws {

struct AwsContext {
  AwsCredentials credentials;
  std::string region = "us-east-1";
  core::CloudConfig cloud;
  std::string ca_bundle;  // AWS_CA_BUNDLE: a PEM file of CA certificates (default: the system's)
  int max_attempts = 3;   // AWS_MAX_ATTEMPTS
};

// Credentials, first found: AWS_ACCESS_KEY_ID + AWS_SECRET_ACCESS_KEY (+ AWS_SESSION_TOKEN),
// the profile of AWS's shared files (cloud/aws_profile.h), the container credentials endpoint.
// `what` names the command in the error raised when there are none.
AwsCredentials aws_credentials(const core::Environment& environment, const std::string& what);

// The region: `configured` (AWS_REGION, else AWS_DEFAULT_REGION), else the profile's, else
// us-east-1.
std::string aws_region(const std::string& configured, const core::Environment& environment);

// Everything an AWS call needs, from the configuration and `environment` (aws_environment():
// the process environment with the .env's AWS variables).
AwsContext aws_context(const core::Config& config, const core::Environment& environment,
                       const std::string& what);

// An endpoint split into what the HTTP client connects to and what is signed.
struct Endpoint {
  std::string origin;  // scheme://host[:port]
  std::string host;    // host[:port]
  std::string prefix;  // path prefix without a trailing slash ("" for AWS)
};
Endpoint parse_endpoint(const std::string& url);

// The service's endpoint: the service's own override, else AWS_ENDPOINT_URL, else AWS's public
// https://<service>.<region>.amazonaws.com ("s3" gives https://s3.<region>.amazonaws.com).
Endpoint service_endpoint(const AwsContext& context, const std::string& service);

struct HttpRequest {
  std::string method;
  std::string path;   // encoded, as sent (without the endpoint's prefix)
  std::string query;  // "a=b&c" raw (unencoded) pairs; encoded for the wire here
  std::map<std::string, std::string> headers;
  std::string body;
  bool unsigned_payload = false;  // S3 streaming: x-amz-content-sha256 UNSIGNED-PAYLOAD
};

struct HttpResponse {
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
};

// Signs and sends a request; transport errors and 5xx answers are retried (3 attempts, backoff).
// `sink`, when given, receives the body of a 2xx answer in pieces instead of `body`.
// Transport failures are AppError(Io) naming the endpoint; HTTP statuses are returned as is.
HttpResponse send(const AwsContext& context, const std::string& service, const Endpoint& endpoint,
                  const HttpRequest& request,
                  const std::function<void(const char*, std::size_t)>& sink = {});

// A JSON 1.1 API call (Athena, SageMaker): POST / with X-Amz-Target; the reply's JSON. A non-2xx
// answer is AppError naming the action, the error's __type and message.
std::string json_call(const AwsContext& context, const std::string& service,
                      const std::string& target, const std::string& body);

}  // namespace aa::aws
