#include "analyst/llm.h"

#include <fmt/format.h>
#include <httplib.h>

#include <filesystem>

#include "cloud/aws.h"
#include "cloud/sigv4.h"
#include "core/app_error.h"

namespace aa::analyst {

namespace {

using aws::amz_date_now;
using aws::AwsCredentials;
using aws::Endpoint;
using aws::parse_endpoint;
using aws::sigv4_sign;
using aws::SigV4Request;
using aws::SigV4Result;
using aws::uri_encode;
using nlohmann::json;

// Posts JSON and returns the parsed JSON reply; transport errors, non-2xx statuses and
// non-JSON bodies are LlmErrors (the body is never echoed: it may hold anything).
json post_json(const Endpoint& endpoint, const std::string& path, const httplib::Headers& headers,
               const std::string& body, int timeout_s) {
  httplib::Client client(endpoint.origin);
  client.set_connection_timeout(std::min(timeout_s, 10), 0);
  client.set_read_timeout(timeout_s, 0);
  client.set_write_timeout(timeout_s, 0);
  for (const char* bundle : {"/etc/ssl/certs/ca-certificates.crt"}) {
    if (std::filesystem::exists(bundle)) {
      client.set_ca_cert_path(bundle);
    }
  }
  client.enable_server_certificate_verification(true);
  const auto result = client.Post(path, headers, body, "application/json");
  if (!result) {
    throw LlmError(fmt::format("request to {} failed: {}", endpoint.origin,
                               httplib::to_string(result.error())));
  }
  if (result->status < 200 || result->status >= 300) {
    throw LlmError(fmt::format("{} answered HTTP {}", endpoint.origin, result->status));
  }
  try {
    return json::parse(result->body);
  } catch (const json::parse_error&) {
    throw LlmError(fmt::format("{} answered with something that is not JSON", endpoint.origin));
  }
}

// The tool call's arguments as JSON (OpenAI sends them as a string).
json arguments_of(const json& value) {
  if (value.is_string()) {
    try {
      return json::parse(value.get<std::string>());
    } catch (const json::parse_error&) {
      throw LlmError("the model's tool call arguments are not valid JSON");
    }
  }
  if (!value.is_object()) {
    throw LlmError("the model's tool call arguments are not an object");
  }
  return value;
}

class OpenAiProvider : public LlmProvider {
 public:
  OpenAiProvider(core::LlmConfig config, std::string key)
      : config_(std::move(config)),
        key_(std::move(key)),
        endpoint_(parse_endpoint(config_.base_url.empty() ? "https://api.openai.com/v1"
                                                          : config_.base_url)) {}
  std::string name() const override { return "openai"; }
  ChatResponse complete(const ChatRequest& request) override {
    json body = {{"model", config_.model},
                 {"temperature", 0},
                 {"max_tokens", config_.max_tokens},
                 {"messages",
                  {{{"role", "system"}, {"content", request.system}},
                   {{"role", "user"}, {"content", request.user}}}}};
    if (request.tool) {
      body["tools"] = {{{"type", "function"},
                        {"function",
                         {{"name", request.tool->name},
                          {"description", request.tool->description},
                          {"parameters", request.tool->schema}}}}};
      body["tool_choice"] = {{"type", "function"}, {"function", {{"name", request.tool->name}}}};
    }
    httplib::Headers headers;
    if (!key_.empty()) {
      headers.emplace("Authorization", "Bearer " + key_);
    }
    const json reply = post_json(endpoint_, endpoint_.prefix + "/chat/completions", headers,
                                 body.dump(), config_.timeout_s);
    ChatResponse out;
    try {
      const json& message = reply.at("choices").at(0).at("message");
      if (message.contains("tool_calls") && !message.at("tool_calls").empty()) {
        out.tool_input =
            arguments_of(message.at("tool_calls").at(0).at("function").at("arguments"));
      }
      if (message.contains("content") && message.at("content").is_string()) {
        out.text = message.at("content").get<std::string>();
      }
    } catch (const json::exception&) {
      throw LlmError("the chat completion reply has an unexpected shape");
    }
    return out;
  }

 private:
  core::LlmConfig config_;
  std::string key_;
  Endpoint endpoint_;
};

class AnthropicProvider : public LlmProvider {
 public:
  AnthropicProvider(core::LlmConfig config, std::string key)
      : config_(std::move(config)),
        key_(std::move(key)),
        endpoint_(parse_endpoint(config_.base_url.empty() ? "https://api.anthropic.com"
                                                          : config_.base_url)) {}
  std::string name() const override { return "anthropic"; }
  ChatResponse complete(const ChatRequest& request) override {
    json body = {{"model", config_.model},
                 {"max_tokens", config_.max_tokens},
                 {"temperature", 0},
                 {"system", request.system},
                 {"messages", {{{"role", "user"}, {"content", request.user}}}}};
    if (request.tool) {
      body["tools"] = {{{"name", request.tool->name},
                        {"description", request.tool->description},
                        {"input_schema", request.tool->schema}}};
      body["tool_choice"] = {{"type", "tool"}, {"name", request.tool->name}};
    }
    const httplib::Headers headers = {{"x-api-key", key_}, {"anthropic-version", "2023-06-01"}};
    const json reply = post_json(endpoint_, endpoint_.prefix + "/v1/messages", headers, body.dump(),
                                 config_.timeout_s);
    ChatResponse out;
    try {
      for (const auto& block : reply.at("content")) {
        const std::string type = block.value("type", "");
        if (type == "tool_use") {
          out.tool_input = arguments_of(block.at("input"));
        } else if (type == "text") {
          out.text += block.at("text").get<std::string>();
        }
      }
    } catch (const json::exception&) {
      throw LlmError("the Messages API reply has an unexpected shape");
    }
    return out;
  }

 private:
  core::LlmConfig config_;
  std::string key_;
  Endpoint endpoint_;
};

class BedrockProvider : public LlmProvider {
 public:
  BedrockProvider(core::LlmConfig config, AwsCredentials credentials)
      : config_(std::move(config)),
        credentials_(std::move(credentials)),
        region_(config_.aws_region.empty() ? "us-east-1" : config_.aws_region),
        endpoint_(parse_endpoint(config_.base_url.empty()
                                     ? "https://bedrock-runtime." + region_ + ".amazonaws.com"
                                     : config_.base_url)) {}
  std::string name() const override { return "bedrock"; }
  ChatResponse complete(const ChatRequest& request) override {
    json body = {{"messages", {{{"role", "user"}, {"content", {{{"text", request.user}}}}}}},
                 {"system", {{{"text", request.system}}}},
                 {"inferenceConfig", {{"maxTokens", config_.max_tokens}, {"temperature", 0}}}};
    if (request.tool) {
      body["toolConfig"] = {{"tools",
                             {{{"toolSpec",
                                {{"name", request.tool->name},
                                 {"description", request.tool->description},
                                 {"inputSchema", {{"json", request.tool->schema}}}}}}}},
                            {"toolChoice", {{"tool", {{"name", request.tool->name}}}}}};
    }
    const std::string payload = body.dump();
    // The model id goes into the path percent-encoded once (ids hold ':'); SigV4 encodes the
    // path again for its canonical form.
    const std::string path =
        endpoint_.prefix + "/model/" + uri_encode(config_.model, false) + "/converse";
    SigV4Request signing;
    signing.method = "POST";
    signing.path = path;
    signing.body = payload;
    signing.headers = {{"host", endpoint_.host},
                       {"x-amz-date", amz_date_now()},
                       {"content-type", "application/json"}};
    if (!credentials_.session_token.empty()) {
      signing.headers["x-amz-security-token"] = credentials_.session_token;
    }
    const SigV4Result signature =
        sigv4_sign(signing, credentials_, region_, "bedrock", signing.headers.at("x-amz-date"));
    httplib::Headers headers = {{"Authorization", signature.authorization},
                                {"X-Amz-Date", signing.headers.at("x-amz-date")}};
    if (!credentials_.session_token.empty()) {
      headers.emplace("X-Amz-Security-Token", credentials_.session_token);
    }
    const json reply = post_json(endpoint_, path, headers, payload, config_.timeout_s);
    ChatResponse out;
    try {
      for (const auto& block : reply.at("output").at("message").at("content")) {
        if (block.contains("toolUse")) {
          out.tool_input = arguments_of(block.at("toolUse").at("input"));
        } else if (block.contains("text")) {
          out.text += block.at("text").get<std::string>();
        }
      }
    } catch (const json::exception&) {
      throw LlmError("the Converse reply has an unexpected shape");
    }
    return out;
  }

 private:
  core::LlmConfig config_;
  AwsCredentials credentials_;
  std::string region_;
  Endpoint endpoint_;
};

std::string env_or(const core::Environment& env, const char* key,
                   const std::string& fallback = "") {
  const auto it = env.find(key);
  return it == env.end() || it->second.empty() ? fallback : it->second;
}

}  // namespace

std::unique_ptr<LlmProvider> make_provider(const core::LlmConfig& config,
                                           const core::Environment& environment) {
  if (config.provider == "none") {
    return nullptr;
  }
  if (config.model.empty()) {
    core::fail(core::ErrorKind::InvalidInput,
               "AIRLINE_LLM_PROVIDER={} needs a model: set AIRLINE_LLM_MODEL{}", config.provider,
               config.provider == "bedrock" ? " or BEDROCK_MODEL_ID" : "");
  }
  if (!config.base_url.empty()) {
    parse_endpoint(config.base_url);
  }
  if (config.provider == "openai") {
    // Local servers (Ollama, vLLM, llama.cpp) need no key.
    return std::make_unique<OpenAiProvider>(
        config, config.api_key.empty() ? env_or(environment, "OPENAI_API_KEY") : config.api_key);
  }
  if (config.provider == "anthropic") {
    const std::string key =
        config.api_key.empty() ? env_or(environment, "ANTHROPIC_API_KEY") : config.api_key;
    if (key.empty()) {
      core::fail(core::ErrorKind::InvalidInput,
                 "AIRLINE_LLM_PROVIDER=anthropic needs AIRLINE_LLM_API_KEY or ANTHROPIC_API_KEY");
    }
    return std::make_unique<AnthropicProvider>(config, key);
  }
  const AwsCredentials credentials =
      aws::aws_credentials(environment, "AIRLINE_LLM_PROVIDER=bedrock");
  core::LlmConfig bedrock = config;
  bedrock.aws_region = aws::aws_region(config.aws_region, environment);
  if (bedrock.base_url.empty()) {
    bedrock.base_url = env_or(environment, "AWS_ENDPOINT_URL_BEDROCK_RUNTIME");
  }
  return std::make_unique<BedrockProvider>(bedrock, credentials);
}

}  // namespace aa::analyst
