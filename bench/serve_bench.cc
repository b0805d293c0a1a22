// The dashboard API's latency at 1M members (target: p95 < 50 ms for any page's data). A server
// runs in this process on 127.0.0.1 over the same synthetic lake as ops_bench; clients ask for
// each page's data exactly as the web app does: the same routes, parameters and filters, in
// the same waves (the overview sends its two KPI requests together, then its five charts and
// tables together; keep-alive connections, as a browser holds). A page's time runs from its
// first request to its last response. Reported per page, with no filter and with a slice (two
// provinces, CLV >= 2000). Not a test: run it with `make bench-serve`.

#include <benchmark/benchmark.h>
#include <fmt/format.h>
#include <httplib.h>

#include <future>
#include <thread>

#include "bench_support.h"
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

fs::path prepare_lake(const fs::path& root, long members) {
  const fs::path dir = root / fmt::format("ops-{}", members);
  if (!fs::exists(dir / "READY")) {
    std::cerr << "bench: no lake at " << dir << "; run `make bench-ops` first (it builds it)\n";
    std::exit(1);
  }
  return dir / "lake";
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  const long members = std::stol(env_or("AA_BENCH_MEMBERS", "1000000"));
  const fs::path root = env_or("AA_BENCH_DIR", "build/bench-data");
  const int repetitions = std::stoi(env_or("AA_BENCH_REPETITIONS", "50"));
  const std::string given = env_or("AA_BENCH_LAKE", "");  // another lake, already built
  const aa::core::Lake lake(given.empty() ? prepare_lake(root, members) : fs::path(given));

  static aa::server::SnapshotSource snapshots(lake, aa::core::LlmConfig{});
  snapshots.start();
  aa::server::ServerOptions options;
  options.host = "127.0.0.1";
  options.port = 0;
  options.rules.rate_limit_per_minute = 100000;
  static aa::server::DashboardServer server(snapshots, options);
  const int port = server.bind();
  static std::thread serving([] { server.run(); });
  // One keep-alive connection per request of a wave, as a browser's connection pool.
  static std::vector<std::unique_ptr<httplib::Client>> clients;
  for (int i = 0; i < 8; ++i) {
    auto c = std::make_unique<httplib::Client>("127.0.0.1", port);
    c->set_keep_alive(true);
    c->set_tcp_nodelay(true);
    c->set_read_timeout(60, 0);
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
  const std::int64_t member = snapshots.current()->context->frame().loyalty_number.at(0);
  const json slice = {{"province", {"Ontario", "Quebec"}}, {"clv_min", 2000}};
  const auto p95_of = [](const std::vector<double>& v) { return p95(v); };
  for (const auto& [label, filters] :
       {std::pair{"all", json::object()}, std::pair{"slice", slice}}) {
    for (const auto& [page, waves] : pages(filters, member)) {
      std::size_t n = 0;
      for (const auto& wave : waves) {
        n += wave.size();
      }
      const auto send = [waves = waves, send_waves] { return send_waves(waves); };
      send();  // warm
      benchmark::RegisterBenchmark(
          fmt::format("page/{}/{}", page, label).c_str(),
          [send, n](benchmark::State& state) {
            std::size_t bytes = 0;
            for (auto _ : state) {
              bytes = send();
            }
            state.SetLabel(fmt::format("{} requests, {} KB", n, bytes / 1024));
          })
          ->Iterations(1)
          ->Repetitions(repetitions)
          ->ComputeStatistics("p95", p95_of)
          ->ReportAggregatesOnly(true)
          ->UseRealTime()
          ->Unit(benchmark::kMillisecond);
    }
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
  benchmark::RegisterBenchmark("page/overview/filter_changed", changed)
      ->Iterations(1)
      ->Repetitions(repetitions)
      ->ComputeStatistics("p95", p95_of)
      ->ReportAggregatesOnly(true)
      ->UseRealTime()
      ->Unit(benchmark::kMillisecond);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  server.stop();
  serving.join();
  snapshots.stop();
  return 0;
}
