#pragma once
// LLM providers behind one small interface: a system prompt, a user message and at most one
// tool the model must call. Bedrock Converse (SigV4), OpenAI-compatible chat completions (also
// Ollama, vLLM, llama.cpp servers) and the Anthropic Messages API, over HTTP(S) with
// cpp-httplib. Temperature 0, a timeout, capped output tokens. Any failure is an LlmError,
// which the analyst answers by falling back to its offline path.

#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>

#include "core/config.h"

namespace aa::analyst {

class LlmError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct ToolSpec {
  std::string name;
  std::string description;
  nlohmann::json schema;  // JSON Schema of the tool's input
};

struct ChatRequest {
  std::string system;
  std::string user;
  std::optional<ToolSpec> tool;  // when set, the model must call it
};

struct ChatResponse {
  std::optional<nlohmann::json> tool_input;  // the forced tool call's arguments
  std::string text;
};

class LlmProvider {
 public:
  virtual ~LlmProvider() = default;
  virtual std::string name() const = 0;
  virtual ChatResponse complete(const ChatRequest& request) = 0;
};

// The configured provider, or nullptr for "none". Bedrock takes its credentials and region
// from `environment` as the AWS calls do (cloud/aws.h: keys, profile, container endpoint) and
// AWS_ENDPOINT_URL_BEDROCK_RUNTIME when AIRLINE_LLM_BASE_URL is unset; openai and anthropic take
// AIRLINE_LLM_API_KEY (or OPENAI_API_KEY / ANTHROPIC_API_KEY). A missing model or key is an
// AppError naming the setting.
std::unique_ptr<LlmProvider> make_provider(const core::LlmConfig& config,
                                           const core::Environment& environment);

}  // namespace aa::analyst
