// The dashboard server at scale (issue 28; AA_BENCH_MEMBERS, 1M by default): a server runs in
// this process on 127.0.0.1 over the same synthetic lake as ops_bench (built when missing) and
// this reports, in one sitting:
// - the open: /api/health's answer while the snapshot loads, the seconds until it is in, the
//   peak resident memory while it loads and the resident memory after;
// - every operation's latency over HTTP, unfiltered and on a slice (two provinces, CLV >=
//   2000); each page's data fetched as the web app fetches it (the same routes, parameters and
//   filters, in the same waves, keep-alive connections; from the first request to the last
//   response); the Overview right after a filter change; analyst questions;
// - a republish: the warehouse published anew (its modification time moved, so the server
//   sees a new snapshot): the seconds until the new one serves, the peak resident memory while
//   it loads beside the old one, and the resident memory once the old one is released.
// The open and republish figures go to stdout and AA_BENCH_DIR/serve_summary-<members>.json,
// the latencies to Google Benchmark's output. `make bench-serve`; a small run is a test
// (bench/serve_small).

#include <benchmark/benchmark.h>
#include <fmt/format.h>
#include <httplib.h>

#include <chrono>
#include <functional>
#include <future>
#include <thread>

#include "bench_support.h"
#include "ops/registry.h"
#include "server/server.h"

namespace {

using namespace aa::bench;
using nlohmann::json;

struct Request {
  std::string path;  // POST when body is not null
  json body;
};

using Wave = std::vector<Request>;

std::vector<std::pair<std::string, std::vector<Wave>>> pages(const json& filters,
                                                             std::int64_t member) {
  const auto op = [&](const std::string& name, json params = json::object()) {
    return Request{"/api/operations/" + name, {{"params", params}, {"filters", filters}}};
  };
  const json groups = {{"top_n", 50}, {"sort_by", "customers"}};
  return {
      {"boot", {{{"/api/health", nullptr}, {"/api/operations", nullptr}}}},
      {"overview",
       {{op("kpis_slice"), {"/api/operations/kpis_baseline", {{"params", json::object()}}}},
        {op("summary_by_segment", groups), op("summary_by_province", groups),
         op("summary_by_gender", groups), op("summary_by_card", groups),
         op("top_risk_customers", {{"top_n", 50}})}}},
      {"model", {{{"/api/operations/model_performance", json::object()}}}},
      {"customer", {{{fmt::format("/api/customers/{}", member), nullptr}}}},
      {"planner",
       {{op("retention_plan", {{"budget_cad", 10000},
                               {"cost_per_contact_cad", 25},
                               {"save_rate", 0.2},
                               {"list_limit", 100}})}}},
      {"survival",
       {{op("retention_curve", {{"group_by", "rfm_segment"}}), op("cohort_retention")}}},
      {"quality", {{{"/api/operations/data_quality", json::object()}}}},
      {"analyst",
       {{{"/api/ask",
          {{"question", "Where should we focus retention efforts?"}, {"filters", filters}}}}}},
  };
}

// Questions of the analyst benchmark's kinds, asked over HTTP.
const std::vector<std::string> kQuestions = {
    "Where should we focus retention efforts?",
    "Which members are most likely to cancel?",
    "How many members do we have in Quebec?",
    "Compare Champions vs Dormant",
    "What's the financial impact if we do nothing?",
    "We have a budget of CAD 50,000 at CAD 20 per contact; who do we call?",
};

double seconds_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

void register_repeated(const std::string& name, std::function<std::string()> send,
                       int repetitions) {
  send();  // warm
  p95_runs(benchmark::RegisterBenchmark(name.c_str(),
                                        [send](benchmark::State& state) {
                                          std::string label;
                                          for (auto _ : state) {
                                            label = send();
                                          }
                                          state.SetLabel(label);
                                        }),
           repetitions);
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  const long members = std::stol(env_or("AA_BENCH_MEMBERS", "1000000"));
  const fs::path root = env_or("AA_BENCH_DIR", "build/bench-data");
  const int repetitions = std::stoi(env_or("AA_BENCH_REPETITIONS", "50"));
  const std::string given = env_or("AA_BENCH_LAKE", "");  // another lake, already built
  if (env_or("AA_BENCH_FRESH", "") == "1") {              // build the lake anew (the test does)
    fs::remove_all(root / fmt::format("ops-{}", members));
  }
  const aa::core::Lake lake(given.empty() ? prepare_lake(root, members) : fs::path(given));

  json summary = {{"members", members}, {"lake", lake.root().string()}};

  // The open: the server listens at once and says "loading" until the snapshot is in.
  reset_peak_rss();
  summary["rss_mb_before_open"] = status_mb("VmRSS");
  static aa::server::SnapshotSource snapshots(lake, aa::core::LlmConfig{});
  const auto opening = std::chrono::steady_clock::now();
  snapshots.start(std::chrono::milliseconds(200));
  aa::server::ServerOptions options;
  options.host = "127.0.0.1";
  options.port = 0;
  options.rules.rate_limit_per_minute = 100000000;
  static aa::server::DashboardServer server(snapshots, options);
  const int port = server.bind();
  static std::thread serving([] { server.run(); });
  {
    httplib::Client c("127.0.0.1", port);
    const auto asked = std::chrono::steady_clock::now();
    const auto health = c.Get("/api/health");
    summary["open"]["health_ms_while_loading"] = seconds_since(asked) * 1000;
    summary["open"]["health_status_while_loading"] =
        health ? json::parse(health->body).at("status") : json("no answer");
  }
  snapshots.wait();
  summary["open"]["seconds"] = seconds_since(opening);
  summary["open"]["load_seconds"] = snapshots.load_seconds();
  summary["open"]["peak_rss_mb"] = status_mb("VmHWM");
  summary["open"]["rss_mb"] = status_mb("VmRSS");
  summary["open"]["frame_mb"] =
      static_cast<double>(snapshots.current()->context->frame().bytes()) / (1024.0 * 1024.0);
  std::cout << "open: " << summary["open"].dump() << std::endl;
  // One keep-alive connection per request of a wave, as a browser's connection pool.
  static std::vector<std::unique_ptr<httplib::Client>> clients;
  for (int i = 0; i < 8; ++i) {
    auto c = std::make_unique<httplib::Client>("127.0.0.1", port);
    c->set_keep_alive(true);
    c->set_tcp_nodelay(true);
    c->set_read_timeout(120, 0);
    clients.push_back(std::move(c));
  }
  const auto fetch = [](httplib::Client& client, const Request& r) {
    auto res = r.body.is_null() ? client.Get(r.path)
                                : client.Post(r.path, r.body.dump(), "application/json");
    if (!res || res->status != 200) {
      std::cerr << "bench: " << r.path
                << " failed: " << (res ? res->body : httplib::to_string(res.error())) << "\n";
      std::exit(1);
    }
    return res->body.size();
  };

  // A page's requests, wave after wave; the requests of a wave at once. Returns the bytes.
  const auto send_waves = [fetch](const std::vector<Wave>& waves) {
    std::size_t bytes = 0;
    for (const auto& wave : waves) {
      std::vector<std::future<std::size_t>> replies;
      for (std::size_t i = 0; i < wave.size(); ++i) {
        replies.push_back(
            std::async(std::launch::async, [&, i] { return fetch(*clients[i], wave[i]); }));
      }
      for (auto& reply : replies) {
        bytes += reply.get();
      }
    }
    return bytes;
  };
  // A member from the middle of the loyalty numbers: the lowest one is below nearly every row
  // group's range in the activity table, so its point query would skip them all and look faster
  // than a typical member's.
  const auto& numbers = snapshots.current()->context->frame().loyalty_number;
  const std::int64_t member = numbers.at(numbers.size() / 2);
  const json slice = {{"province", {"Ontario", "Quebec"}}, {"clv_min", 2000}};
  for (const auto& [label, filters] :
       {std::pair{"all", json::object()}, std::pair{"slice", slice}}) {
    // Every operation on its own (customer_profile is the Customer 360 page below).
    for (const auto& name : aa::ops::operation_names()) {
      if (name == "customer_profile") {
        continue;
      }
      const Request r{"/api/operations/" + name,
                      {{"params", json::object()}, {"filters", filters}}};
      register_repeated(
          fmt::format("op/{}/{}", name, label),
          [fetch, r] { return fmt::format("{} KB", fetch(*clients[0], r) / 1024); }, repetitions);
    }
    for (const auto& [page, waves] : pages(filters, member)) {
      std::size_t n = 0;
      for (const auto& wave : waves) {
        n += wave.size();
      }
      register_repeated(
          fmt::format("page/{}/{}", page, label),
          [waves = waves, send_waves, n] {
            return fmt::format("{} requests, {} KB", n, send_waves(waves) / 1024);
          },
          repetitions);
    }
  }
  for (std::size_t i = 0; i < kQuestions.size(); ++i) {
    const Request r{"/api/ask", {{"question", kQuestions[i]}}};
    register_repeated(
        fmt::format("ask/{}", i + 1),
        [fetch, r, i] {
          return fmt::format("{} ({} KB)", kQuestions[i], fetch(*clients[0], r) / 1024);
        },
        repetitions);
  }
  // The Overview right after the user changes a filter: every repetition asks for a slice
  // never asked before (CLV floor 2,000 + n), so no cached slice helps.
  static int changes = 0;
  const auto changed = [member, send_waves](benchmark::State& state) {
    for (auto _ : state) {
      const json filters = {{"province", {"Ontario", "Quebec"}}, {"clv_min", 2000 + ++changes}};
      for (const auto& [page, waves] : pages(filters, member)) {
        if (page == "overview") {
          send_waves(waves);
        }
      }
    }
  };
  p95_runs(benchmark::RegisterBenchmark("page/overview/filter_changed", changed), repetitions);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();

  // A republish: the pipeline publishes the warehouse anew (here its modification time moves,
  // which the server takes for a new snapshot). The new snapshot loads beside the old one,
  // replaces it, and the old one is released once no request holds it.
  {
    std::weak_ptr<aa::server::Snapshot> old = snapshots.current();
    reset_peak_rss();
    summary["republish"]["rss_mb_before"] = status_mb("VmRSS");
    const auto publishing = std::chrono::steady_clock::now();
    fs::last_write_time(lake.warehouse(), fs::file_time_type::clock::now());
    while (snapshots.reloads() == 0 && seconds_since(publishing) < 600) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    summary["republish"]["seconds"] = seconds_since(publishing);
    summary["republish"]["reloaded"] = snapshots.reloads() == 1;
    for (int i = 0; i < 500 && !old.expired(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    summary["republish"]["old_released"] = old.expired();
    // expired() turns true when the last holder lets go, before the snapshot's memory is
    // freed: give the release a moment before reading the resident memory.
    std::this_thread::sleep_for(std::chrono::seconds(2));
    summary["republish"]["peak_rss_mb"] = status_mb("VmHWM");
    summary["republish"]["rss_mb_after"] = status_mb("VmRSS");
    const Request r{"/api/operations/kpis_slice", {{"params", json::object()}}};
    fetch(*clients[0], r);  // the new snapshot answers
    std::cout << "republish: " << summary["republish"].dump() << std::endl;
  }
  const fs::path out = root / fmt::format("serve_summary-{}.json", members);
  fs::create_directories(root);
  std::ofstream(out) << summary.dump(2) << "\n";
  std::cout << "summary: " << out.string() << std::endl;
  clients.clear();
  server.stop();
  serving.join();
  snapshots.stop();
  // What the server must do, whatever the figures: answer while loading, take the republished
  // snapshot, release the old one.
  const bool ok = summary["open"]["health_status_while_loading"].is_string() &&
                  summary["republish"]["reloaded"].get<bool>() &&
                  summary["republish"]["old_released"].get<bool>();
  if (!ok) {
    std::cerr << "bench: the server did not open, republish or release as it must\n";
  }
  return ok ? 0 : 1;
}
