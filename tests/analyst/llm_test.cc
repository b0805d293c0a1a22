// SigV4 against AWS's published examples; each provider end to end against a small HTTP
// server on 127.0.0.1 that answers with the provider's documented response shapes, errors and
// slow replies; and a scan of the analyst's sources for SQL and process execution.

#include "analyst/llm.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <chrono>
#include <fstream>
#include <regex>
#include <thread>

#include "cloud/sigv4.h"
#include "core/app_error.h"
#include "support/test_support.h"

namespace aa::test {
namespace {

using aws::AwsCredentials;
using aws::SigV4Request;
using nlohmann::json;

const AwsCredentials kExample{"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", ""};

// aws-sig-v4-test-suite: get-vanilla and post-vanilla.
TEST(SigV4, MatchesTheTestSuiteVanillaRequests) {
  SigV4Request get{
      "GET", "/", "", {{"Host", "example.amazonaws.com"}, {"X-Amz-Date", "20150830T123600Z"}}, ""};
  const auto g = aws::sigv4_sign(get, kExample, "us-east-1", "service", "20150830T123600Z");
  EXPECT_EQ(g.canonical_request,
            "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n"
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(g.string_to_sign,
            "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n"
            "bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63");
  EXPECT_EQ(g.authorization,
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
            "SignedHeaders=host;x-amz-date, "
            "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
  SigV4Request post = get;
  post.method = "POST";
  EXPECT_EQ(aws::sigv4_sign(post, kExample, "us-east-1", "service", "20150830T123600Z").signature,
            "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b");
}

// The General Reference's IAM ListUsers example.
TEST(SigV4, MatchesTheDocumentedIamExample) {
  SigV4Request request{"GET",
                       "/",
                       "Action=ListUsers&Version=2010-05-08",
                       {{"Host", "iam.amazonaws.com"},
                        {"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"},
                        {"X-Amz-Date", "20150830T123600Z"}},
                       ""};
  const auto s = aws::sigv4_sign(request, kExample, "us-east-1", "iam", "20150830T123600Z");
  EXPECT_EQ(aws::sha256_hex(s.canonical_request),
            "f536975d06c0309214f805bb90ccff089219ecd68b2577efef23edd43b7e1a59");
  EXPECT_EQ(s.signature, "5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7");
  EXPECT_EQ(s.authorization,
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, "
            "SignedHeaders=content-type;host;x-amz-date, "
            "Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7");
}

TEST(SigV4, EncodesBedrockModelIdsTwiceInTheCanonicalPath) {
  SigV4Request request{
      "POST",
      "/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse",
      "",
      {{"host", "bedrock-runtime.us-east-1.amazonaws.com"}, {"x-amz-date", "20240101T000000Z"}},
      "{}"};
  const auto s = aws::sigv4_sign(request, kExample, "us-east-1", "bedrock", "20240101T000000Z");
  EXPECT_EQ(s.canonical_request.substr(0, s.canonical_request.find('\n', 5)),
            "POST\n/model/anthropic.claude-3-haiku-20240307-v1%253A0/converse");
  EXPECT_EQ(aws::uri_encode("a b:c/d", true), "a%20b%3Ac/d");
}

// A fake provider endpoint: answers like OpenAI, Anthropic and Bedrock, per path; the model
// name picks a failure ("error" -> HTTP 500, "slow" -> a late reply, "garbage" -> not JSON).
class FakeLlmServer {
 public:
  FakeLlmServer() {
    const auto handle = [this](const httplib::Request& req, httplib::Response& res,
                               const std::function<json(const json&)>& shape) {
      json body;
      try {
        body = json::parse(req.body);
      } catch (...) {
        res.status = 400;
        return;
      }
      last_request = body;
      last_headers = req.headers;
      last_path = req.target;  // as sent, before the server decodes it
      const std::string model = body.value("model", model_in_path(req.path));
      if (model == "error") {
        res.status = 500;
        res.set_content(R"({"error":{"message":"overloaded"}})", "application/json");
      } else if (model == "slow") {
        std::this_thread::sleep_for(std::chrono::milliseconds(2500));
        res.set_content(shape(body).dump(), "application/json");
      } else if (model == "garbage") {
        res.set_content("<html>gateway</html>", "text/html");
      } else {
        res.set_content(shape(body).dump(), "application/json");
      }
    };
    server_.Post("/v1/chat/completions", [=](const auto& req, auto& res) {
      handle(req, res, [](const json&) {
        return json{{"choices",
                     {{{"message",
                        {{"role", "assistant"},
                         {"content", nullptr},
                         {"tool_calls",
                          {{{"id", "call_1"},
                            {"type", "function"},
                            {"function",
                             {{"name", "submit_plan"},
                              {"arguments", R"({"steps":[{"op":"kpis_slice"}]})"}}}}}}}},
                       {"finish_reason", "tool_calls"}}}}};
      });
    });
    server_.Post("/v1/messages", [=](const auto& req, auto& res) {
      handle(req, res, [](const json&) {
        return json{{"type", "message"},
                    {"role", "assistant"},
                    {"content",
                     {{{"type", "text"}, {"text", "Planning."}},
                      {{"type", "tool_use"},
                       {"id", "toolu_1"},
                       {"name", "submit_plan"},
                       {"input", {{"steps", {{{"op", "kpis_baseline"}}}}}}}}},
                    {"stop_reason", "tool_use"}};
      });
    });
    server_.Post(R"(/model/([^/]+)/converse)", [=](const auto& req, auto& res) {
      handle(req, res, [](const json&) {
        return json{{"output",
                     {{"message",
                       {{"role", "assistant"},
                        {"content",
                         {{{"toolUse",
                            {{"toolUseId", "t1"},
                             {"name", "submit_plan"},
                             {"input", {{"steps", {{{"op", "do_nothing_scenario"}}}}}}}}}}}}}}},
                    {"stopReason", "tool_use"}};
      });
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    for (int i = 0; i < 5000 && !server_.is_running(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  }
  ~FakeLlmServer() {
    server_.stop();
    thread_.join();
  }
  std::string url(const std::string& suffix = "") const {
    return "http://127.0.0.1:" + std::to_string(port_) + suffix;
  }

  json last_request;
  httplib::Headers last_headers;
  std::string last_path;

 private:
  static std::string model_in_path(const std::string& path) {
    static const std::regex model(R"(/model/([^/]+)/converse)");
    std::smatch m;
    return std::regex_search(path, m, model) ? httplib::detail::decode_url(m[1].str(), false) : "";
  }
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
};

analyst::ChatRequest plan_request() {
  analyst::ChatRequest r;
  r.system = "plan";
  r.user = R"({"question":"q"})";
  r.tool = analyst::ToolSpec{"submit_plan", "submit", json{{"type", "object"}}};
  return r;
}

core::LlmConfig config_for(const std::string& provider, const std::string& url,
                           const std::string& model) {
  core::LlmConfig c;
  c.provider = provider;
  c.base_url = url;
  c.model = model;
  c.api_key = "test-key";
  c.timeout_s = 1;
  c.aws_region = "us-east-1";
  return c;
}

const core::Environment kAws = {
    {"AWS_ACCESS_KEY_ID", "AKIDEXAMPLE"},
    {"AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"}};

TEST(LlmProviders, OpenAiCompatibleSendsAForcedToolCallAndReadsItsArguments) {
  FakeLlmServer server;
  auto provider = analyst::make_provider(config_for("openai", server.url("/v1"), "gpt-test"), {});
  const auto reply = provider->complete(plan_request());
  ASSERT_TRUE(reply.tool_input.has_value());
  EXPECT_EQ(reply.tool_input->at("steps").at(0).at("op"), "kpis_slice");
  EXPECT_EQ(server.last_request.at("temperature"), 0);
  EXPECT_EQ(server.last_request.at("max_tokens"), 1024);  // the per-call token cap
  EXPECT_EQ(server.last_request.at("tool_choice").at("function").at("name"), "submit_plan");
  EXPECT_EQ(server.last_request.at("tools").at(0).at("function").at("name"), "submit_plan");
  EXPECT_EQ(server.last_headers.find("Authorization")->second, "Bearer test-key");
}

TEST(LlmProviders, AnthropicSendsToolChoiceAndReadsToolUse) {
  FakeLlmServer server;
  auto provider = analyst::make_provider(config_for("anthropic", server.url(), "claude-test"), {});
  const auto reply = provider->complete(plan_request());
  ASSERT_TRUE(reply.tool_input.has_value());
  EXPECT_EQ(reply.tool_input->at("steps").at(0).at("op"), "kpis_baseline");
  EXPECT_EQ(reply.text, "Planning.");
  EXPECT_EQ(server.last_request.at("tool_choice"),
            json({{"type", "tool"}, {"name", "submit_plan"}}));
  EXPECT_EQ(server.last_request.at("max_tokens"), 1024);
  EXPECT_EQ(server.last_headers.find("x-api-key")->second, "test-key");
  EXPECT_EQ(server.last_headers.find("anthropic-version")->second, "2023-06-01");
}

TEST(LlmProviders, BedrockConverseIsSignedWithSigV4) {
  FakeLlmServer server;
  auto provider = analyst::make_provider(
      config_for("bedrock", server.url(), "anthropic.claude-3-haiku-20240307-v1:0"), kAws);
  const auto reply = provider->complete(plan_request());
  ASSERT_TRUE(reply.tool_input.has_value());
  EXPECT_EQ(reply.tool_input->at("steps").at(0).at("op"), "do_nothing_scenario");
  EXPECT_EQ(server.last_path, "/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse");
  EXPECT_EQ(server.last_request.at("toolConfig").at("toolChoice").at("tool").at("name"),
            "submit_plan");
  EXPECT_EQ(server.last_request.at("inferenceConfig"),
            json({{"maxTokens", 1024}, {"temperature", 0}}));
  // The server recomputes the signature from what it received.
  const std::string authorization = server.last_headers.find("Authorization")->second;
  const std::string date = server.last_headers.find("X-Amz-Date")->second;
  SigV4Request received{"POST",
                        server.last_path,
                        "",
                        {{"host", server.url().substr(7)},
                         {"x-amz-date", date},
                         {"content-type", "application/json"}},
                        server.last_request.dump()};
  EXPECT_EQ(authorization,
            aws::sigv4_sign(received,
                            {kAws.at("AWS_ACCESS_KEY_ID"), kAws.at("AWS_SECRET_ACCESS_KEY"), ""},
                            "us-east-1", "bedrock", date)
                .authorization);
  EXPECT_NE(authorization.find("/us-east-1/bedrock/aws4_request"), std::string::npos);
}

TEST(LlmProviders, ErrorsTimeoutsAndGarbageAreLlmErrors) {
  FakeLlmServer server;
  for (const auto& [provider, url] :
       {std::pair{"openai", server.url("/v1")}, {"anthropic", server.url()}}) {
    for (const char* model : {"error", "slow", "garbage"}) {
      auto p = analyst::make_provider(config_for(provider, url, model), {});
      const auto start = std::chrono::steady_clock::now();
      EXPECT_THROW(p->complete(plan_request()), analyst::LlmError) << provider << " " << model;
      EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
    }
  }
  auto bedrock = analyst::make_provider(config_for("bedrock", server.url(), "error"), kAws);
  EXPECT_THROW(bedrock->complete(plan_request()), analyst::LlmError);
  // Nothing listening.
  auto nowhere = analyst::make_provider(config_for("openai", "http://127.0.0.1:1/v1", "m"), {});
  EXPECT_THROW(nowhere->complete(plan_request()), analyst::LlmError);
}

TEST(LlmProviders, ConfigurationProblemsAreClearErrors) {
  EXPECT_EQ(analyst::make_provider(core::LlmConfig{}, {}), nullptr);  // none: offline
  EXPECT_APP_ERROR(analyst::make_provider(config_for("openai", "", ""), {}),
                   core::ErrorKind::InvalidInput,
                   "AIRLINE_LLM_PROVIDER=openai needs a model: set AIRLINE_LLM_MODEL");
  core::LlmConfig anthropic = config_for("anthropic", "", "m");
  anthropic.api_key.clear();
  EXPECT_APP_ERROR(analyst::make_provider(anthropic, {}), core::ErrorKind::InvalidInput,
                   "AIRLINE_LLM_PROVIDER=anthropic needs AIRLINE_LLM_API_KEY or ANTHROPIC_API_KEY");
  EXPECT_APP_ERROR(analyst::make_provider(config_for("bedrock", "", "m"), {}),
                   core::ErrorKind::InvalidInput,
                   "AIRLINE_LLM_PROVIDER=bedrock needs AWS credentials: set AWS_ACCESS_KEY_ID and "
                   "AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN for temporary ones) in the "
                   "environment or .env, name a profile of ~/.aws/credentials with AWS_PROFILE, or "
                   "run where the container credentials endpoint is set "
                   "(AWS_CONTAINER_CREDENTIALS_RELATIVE_URI)");
}

// No SQL and no process execution on the analyst's path: its sources (and the SigV4 signer it
// uses for Bedrock) neither include the database layer nor call anything that starts a process.
TEST(AnalystSafety, SourcesHoldNoSqlAndNoProcessExecution) {
  const std::vector<std::pair<std::string, std::regex>> forbidden = {
      {"the database layer", std::regex(R"(#include\s*["<](core/duck\.h|duckdb\.h)[">])")},
      {"a database call", std::regex(R"([.>]\s*(query|prepare|execute)\s*\()")},
      {"a process call",
       std::regex(
           R"(\b(system|popen|fork|vfork|execl|execlp|execle|execv|execvp|execve|posix_spawnp?|dlopen)\s*\()")},
      {"the C library's process header",
       std::regex(R"(#include\s*<(cstdlib|stdlib\.h|unistd\.h|spawn\.h)>)")}};
  int files = 0;
  // Bedrock's signer, and its credentials and region (keys, profile files, container endpoint).
  std::vector<std::filesystem::path> paths;
  for (const char* name :
       {"sigv4.h", "sigv4.cc", "aws.h", "aws.cc", "aws_profile.h", "aws_profile.cc"}) {
    paths.push_back(source_dir() / "src" / "cloud" / name);
  }
  for (const auto& entry : std::filesystem::directory_iterator(source_dir() / "src" / "analyst")) {
    paths.push_back(entry.path());
  }
  for (const auto& path : paths) {
    std::ifstream in(path);
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    ++files;
    for (const auto& [what, pattern] : forbidden) {
      EXPECT_FALSE(std::regex_search(text, pattern)) << path << " contains " << what;
    }
  }
  EXPECT_GE(files, 18);
  // The scan finds what it looks for.
  EXPECT_TRUE(std::regex_search(std::string("x = popen (cmd, \"r\");"), forbidden[2].second));
  EXPECT_TRUE(std::regex_search(std::string("conn.query(sql)"), forbidden[1].second));
}

}  // namespace
}  // namespace aa::test
