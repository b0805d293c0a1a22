#include "cloud/aws.h"

#include <fmt/format.h>
#include <httplib.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <thread>

#include "cloud/aws_profile.h"
#include "core/app_error.h"

namespace aa::aws {

namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

std::string env_or(const core::Environment& env, const char* key) {
  const auto it = env.find(key);
  return it == env.end() ? "" : it->second;
}

// "a=b&c" -> "a=b&c" with each name and value percent-encoded for the wire.
std::string wire_query(const std::string& query) {
  std::string out;
  std::size_t start = 0;
  while (start < query.size()) {
    const auto amp = std::min(query.find('&', start), query.size());
    const std::string pair = query.substr(start, amp - start);
    const auto eq = pair.find('=');
    out += out.empty() ? "" : "&";
    out += uri_encode(pair.substr(0, eq), false);
    if (eq != std::string::npos) {
      out += "=" + uri_encode(pair.substr(eq + 1), false);
    }
    start = amp + 1;
  }
  return out;
}

// Credentials from the container credentials endpoint (ECS tasks, SageMaker jobs):
// AWS_CONTAINER_CREDENTIALS_FULL_URI, or AWS_CONTAINER_CREDENTIALS_RELATIVE_URI on
// 169.254.170.2, with AWS_CONTAINER_AUTHORIZATION_TOKEN when set.
std::optional<AwsCredentials> container_credentials(const core::Environment& env) {
  std::string url = env_or(env, "AWS_CONTAINER_CREDENTIALS_FULL_URI");
  if (url.empty() && !env_or(env, "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI").empty()) {
    url = "http://169.254.170.2" + env_or(env, "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
  }
  if (url.empty()) {
    return std::nullopt;
  }
  const Endpoint endpoint = parse_endpoint(url);
  httplib::Client client(endpoint.origin);
  client.set_connection_timeout(5, 0);
  client.set_read_timeout(10, 0);
  httplib::Headers headers;
  if (const std::string token = env_or(env, "AWS_CONTAINER_AUTHORIZATION_TOKEN"); !token.empty()) {
    headers.emplace("Authorization", token);
  }
  const auto result = client.Get(endpoint.prefix.empty() ? "/" : endpoint.prefix, headers);
  if (!result || result->status != 200) {
    core::fail(
        core::ErrorKind::Io, "the container credentials endpoint {} did not answer: {}",
        endpoint.origin,
        result ? fmt::format("HTTP {}", result->status) : httplib::to_string(result.error()));
  }
  const auto j = nlohmann::json::parse(result->body, nullptr, false);
  if (!j.is_object() || !j.contains("AccessKeyId") || !j.contains("SecretAccessKey")) {
    core::fail(core::ErrorKind::Io,
               "the container credentials endpoint {} answered without AccessKeyId",
               endpoint.origin);
  }
  return AwsCredentials{j["AccessKeyId"].get<std::string>(),
                        j["SecretAccessKey"].get<std::string>(), j.value("Token", "")};
}

}  // namespace

AwsCredentials aws_credentials(const core::Environment& environment, const std::string& what) {
  std::string token = env_or(environment, "AWS_SESSION_TOKEN");
  if (token.empty()) {
    token = env_or(environment, "AWS_SECURITY_TOKEN");
  }
  AwsCredentials credentials{env_or(environment, "AWS_ACCESS_KEY_ID"),
                             env_or(environment, "AWS_SECRET_ACCESS_KEY"), token};
  const auto complete = [](const AwsCredentials& c) {
    return !c.access_key_id.empty() && !c.secret_access_key.empty();
  };
  if (complete(credentials)) {
    return credentials;
  }
  if (const auto profile = read_aws_profile(environment);
      profile && complete(profile->credentials)) {
    return profile->credentials;
  }
  if (auto from_container = container_credentials(environment)) {
    return *from_container;
  }
  core::fail(core::ErrorKind::InvalidInput,
             "{} needs AWS credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and "
             "AWS_SESSION_TOKEN for temporary ones) in the environment or .env, name a profile of "
             "~/.aws/credentials with AWS_PROFILE, or run where the container credentials endpoint "
             "is set (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI)",
             what);
}

std::string aws_region(const std::string& configured, const core::Environment& environment) {
  if (!configured.empty()) {
    return configured;
  }
  const auto profile = read_aws_profile(environment);
  return profile && !profile->region.empty() ? profile->region : "us-east-1";
}

AwsContext aws_context(const core::Config& config, const core::Environment& environment,
                       const std::string& what) {
  AwsContext context;
  context.credentials = aws_credentials(environment, what);
  context.region = aws_region(config.llm.aws_region, environment);
  context.cloud = config.cloud;
  context.ca_bundle = env_or(environment, "AWS_CA_BUNDLE");
  if (!context.ca_bundle.empty() && !std::filesystem::exists(context.ca_bundle)) {
    core::fail(core::ErrorKind::NotFound, "AWS_CA_BUNDLE '{}' does not exist", context.ca_bundle);
  }
  if (const std::string attempts = env_or(environment, "AWS_MAX_ATTEMPTS"); !attempts.empty()) {
    int n = 0;
    const auto [end, ec] = std::from_chars(attempts.data(), attempts.data() + attempts.size(), n);
    if (ec != std::errc() || end != attempts.data() + attempts.size() || n < 1 || n > 10) {
      core::fail(core::ErrorKind::InvalidInput,
                 "AWS_MAX_ATTEMPTS='{}' is not valid: expected a whole number from 1 to 10",
                 attempts);
    }
    context.max_attempts = n;
  }
  return context;
}

Endpoint parse_endpoint(const std::string& url) {
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string::npos) {
    core::fail(core::ErrorKind::InvalidInput, "'{}' is not a URL", url);
  }
  const auto path_start = url.find('/', scheme_end + 3);
  Endpoint e;
  e.origin = url.substr(0, path_start);
  e.host =
      url.substr(scheme_end + 3,
                 path_start == std::string::npos ? std::string::npos : path_start - scheme_end - 3);
  e.prefix = path_start == std::string::npos ? "" : url.substr(path_start);
  while (!e.prefix.empty() && e.prefix.back() == '/') {
    e.prefix.pop_back();
  }
  return e;
}

Endpoint service_endpoint(const AwsContext& context, const std::string& service) {
  const auto& c = context.cloud;
  const std::string& own = service == "s3"       ? c.s3_endpoint
                           : service == "athena" ? c.athena_endpoint
                                                 : c.sagemaker_endpoint;
  if (!own.empty()) {
    return parse_endpoint(own);
  }
  if (!c.endpoint.empty()) {
    return parse_endpoint(c.endpoint);
  }
  const std::string host = service == "sagemaker" ? "api.sagemaker" : service;
  return parse_endpoint(fmt::format("https://{}.{}.amazonaws.com", host, context.region));
}

HttpResponse send(const AwsContext& context, const std::string& service, const Endpoint& endpoint,
                  const HttpRequest& request,
                  const std::function<void(const char*, std::size_t)>& sink) {
  const std::string path = endpoint.prefix + (request.path.empty() ? "/" : request.path);
  HttpResponse response;
  // A streamed body cannot be taken back from the sink, so its caller retries (from scratch).
  const int max_attempts = sink ? 1 : context.max_attempts;
  for (int attempt = 1;; ++attempt) {
    SigV4Request signing;
    signing.method = request.method;
    signing.path = path;
    signing.query = request.query;
    signing.headers = request.headers;
    signing.headers["host"] = endpoint.host;
    signing.headers["x-amz-date"] = amz_date_now();
    if (!context.credentials.session_token.empty()) {
      signing.headers["x-amz-security-token"] = context.credentials.session_token;
    }
    if (service == "s3") {
      signing.payload_hash =
          request.unsigned_payload ? "UNSIGNED-PAYLOAD" : sha256_hex(request.body);
      signing.headers["x-amz-content-sha256"] = signing.payload_hash;
    } else {
      signing.body = request.body;
    }
    const auto signature = sigv4_sign(signing, context.credentials, context.region, service,
                                      signing.headers.at("x-amz-date"));
    httplib::Headers headers;
    for (const auto& [name, value] : signing.headers) {
      if (name != "host") {
        headers.emplace(name, value);
      }
    }
    headers.emplace("Authorization", signature.authorization);

    httplib::Client client(endpoint.origin);
    client.set_connection_timeout(10, 0);
    client.set_read_timeout(300, 0);
    client.set_write_timeout(300, 0);
    if (!context.ca_bundle.empty()) {
      client.set_ca_cert_path(context.ca_bundle);
    } else if (std::filesystem::exists("/etc/ssl/certs/ca-certificates.crt")) {
      client.set_ca_cert_path("/etc/ssl/certs/ca-certificates.crt");
    }
    client.enable_server_certificate_verification(true);
    const std::string query = wire_query(request.query);
    const std::string target = query.empty() ? path : path + "?" + query;
    const auto content_type = request.headers.count("content-type")
                                  ? request.headers.at("content-type")
                                  : std::string("application/octet-stream");
    response = {};
    httplib::Result result{nullptr, httplib::Error::Unknown};
    if (request.method == "GET" && sink) {
      result = client.Get(
          target, headers,
          [&](const httplib::Response& r) {
            response.status = r.status;
            return true;
          },
          [&](const char* data, std::size_t n) {
            if (response.status >= 200 && response.status < 300) {
              sink(data, n);
            } else {
              response.body.append(data, n);
            }
            return true;
          });
    } else if (request.method == "GET") {
      result = client.Get(target, headers);
    } else if (request.method == "HEAD") {
      result = client.Head(target, headers);
    } else if (request.method == "PUT") {
      result = client.Put(target, headers, request.body, content_type);
    } else if (request.method == "POST") {
      result = client.Post(target, headers, request.body, content_type);
    } else if (request.method == "DELETE") {
      result = client.Delete(target, headers);
    } else {
      core::fail(core::ErrorKind::InvalidInput, "unsupported HTTP method {}", request.method);
    }
    const bool transport_error = !result;
    if (!transport_error) {
      response.status = result->status;
      for (const auto& [name, value] : result->headers) {
        response.headers[lower(name)] = value;
      }
      if (!(request.method == "GET" && sink)) {
        response.body = result->body;
      }
    }
    const bool retry = transport_error || response.status >= 500;
    if (!retry) {
      return response;
    }
    if (attempt == max_attempts) {
      if (transport_error) {
        core::fail(core::ErrorKind::Io, "{} {} at {}: {} (after {} attempts)", request.method, path,
                   endpoint.origin, httplib::to_string(result.error()), attempt);
      }
      return response;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200 * attempt * attempt));
  }
}

std::string json_call(const AwsContext& context, const std::string& service,
                      const std::string& target, const std::string& body) {
  const Endpoint endpoint = service_endpoint(context, service);
  HttpRequest request;
  request.method = "POST";
  request.path = "/";
  request.headers = {{"content-type", "application/x-amz-json-1.1"}, {"x-amz-target", target}};
  request.body = body;
  const auto response = send(context, service, endpoint, request);
  if (response.status < 200 || response.status >= 300) {
    std::string type = "unknown error";
    std::string message;
    const auto j = nlohmann::json::parse(response.body, nullptr, false);
    if (j.is_object()) {
      type = j.value("__type", type);
      message = j.value("message", j.value("Message", ""));
    }
    core::fail(core::ErrorKind::Io, "{} at {} answered HTTP {}: {}{}{}", target, endpoint.origin,
               response.status, type, message.empty() ? "" : ": ", message.substr(0, 500));
  }
  return response.body;
}

}  // namespace aa::aws
