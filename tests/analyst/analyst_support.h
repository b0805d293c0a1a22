#pragma once
// Shared by the analyst's tests: the check that every number in an answer is a fact with its
// source, and a scripted LLM provider that replays replies and records requests (no network).

#include <gtest/gtest.h>

#include <deque>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include "analyst/analyst.h"
#include "analyst/llm_agents.h"
#include "ops/ops_context.h"

namespace aa::test {

using nlohmann::json;

// Every number written in `text` (digits with separators), each of which must appear in a
// fact's value.
inline std::vector<std::string> numbers_in(const std::string& text) {
  static const std::regex number(R"([0-9](?:[0-9,.]*[0-9])?)");
  std::vector<std::string> out;
  for (auto it = std::sregex_iterator(text.begin(), text.end(), number);
       it != std::sregex_iterator(); ++it) {
    out.push_back(it->str());
  }
  return out;
}

inline void expect_numbers_are_facts(const json& out) {
  const std::string answer = out.at("answer");
  for (const auto& n : numbers_in(answer)) {
    bool found = false;
    for (const auto& f : out.at("facts")) {
      found = found || f.at("value").get<std::string>().find(n) != std::string::npos;
    }
    EXPECT_TRUE(found) << "'" << n << "' in the answer is not a fact: " << answer;
  }
  // Each fact points at the result it came from.
  for (const auto& f : out.at("facts")) {
    const std::string op = f.at("op");
    ASSERT_TRUE(out.at("results").contains(op)) << f.dump();
    const std::string path = f.at("path");
    if (path.find(' ') == std::string::npos) {  // derived figures say how, after a space
      EXPECT_TRUE(out.at("results").at(op).contains(json::json_pointer(path))) << f.dump();
    }
  }
}

// Replays scripted replies and records every request.
class ScriptedProvider : public analyst::LlmProvider {
 public:
  std::string name() const override { return "scripted"; }
  analyst::ChatResponse complete(const analyst::ChatRequest& request) override {
    requests.push_back(request);
    if (replies.empty()) {
      throw analyst::LlmError("timed out");
    }
    auto next = replies.front();
    replies.pop_front();
    if (!next) {
      throw analyst::LlmError("timed out");
    }
    return *next;
  }
  std::deque<std::optional<analyst::ChatResponse>> replies;
  std::vector<analyst::ChatRequest> requests;
};

inline analyst::ChatResponse plan_reply(const json& steps) {
  analyst::ChatResponse r;
  r.tool_input = json{{"intent", "impact"}, {"steps", steps}};
  return r;
}

inline analyst::ChatResponse text_reply(const std::string& text) {
  analyst::ChatResponse r;
  r.text = text;
  return r;
}

struct LlmRun {
  json out;
  std::shared_ptr<ScriptedProvider> provider;
};

inline LlmRun ask_with(
    ops::OpsContext& context, std::deque<std::optional<analyst::ChatResponse>> replies,
    const std::string& question = "What's the financial impact if we do nothing?") {
  auto provider = std::make_shared<ScriptedProvider>();
  provider->replies = std::move(replies);
  analyst::Analyst analyst(context,
                           std::make_unique<analyst::LlmPlanner>(provider, context.domains()),
                           std::make_unique<analyst::LlmNarrator>(provider));
  return {analyst.ask(question, json::object()), provider};
}

}  // namespace aa::test
