// `serve`: the dashboard. Binds 127.0.0.1 by default, prints the URL, loads the lake's current
// snapshot meanwhile (/api/health says "loading" until it is in), and serves the JSON API and the
// built web app until Ctrl+C, SIGTERM or --stop-after.

#include <fmt/core.h>
#include <signal.h>

#include <atomic>
#include <chrono>
#include <iostream>
#include <thread>

#include "cli/cli_common.h"
#include "core/app_error.h"
#include "server/server.h"

namespace aa::cli {

namespace {

struct ServeArgs {
  CommonOptions common;
  std::string host = "127.0.0.1";
  int port = 8080;
  std::optional<std::string> web;
  int stop_after_s = 0;
  int poll_ms = 1000;
};

bool loopback(const std::string& host) {
  return host == "127.0.0.1" || host == "localhost" || host == "::1";
}

void serve(const ServeArgs& args) {
  const core::Config config = resolve_config(args.common);
  // SIGINT and SIGTERM go to the stopper thread only: block them before any thread starts.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  server::SnapshotSource snapshots(core::Lake(config.lake), config.llm, ops_db_options(config),
                                   core::aws_environment(config));
  snapshots.start(std::chrono::milliseconds(args.poll_ms));
  server::ServerOptions options;
  options.host = args.host;
  options.port = args.port;
  options.web_root = args.web ? fs::path(*args.web) : server::default_web_root();
  options.rules = config.server;
  if (!loopback(args.host) && config.server.auth_token.empty()) {
    std::cerr << "warning: serving on " << args.host
              << " without AIRLINE_AUTH_TOKEN: anyone who can reach this machine can read the "
                 "dashboard\n";
  }
  server::DashboardServer server(snapshots, options);
  const int port = server.bind();
  const std::string shown_host =
      args.host.find(':') != std::string::npos ? "[" + args.host + "]" : args.host;
  // Listening already: the page and /api/health answer while the snapshot loads.
  std::cout << fmt::format("Dashboard: http://{}:{}/  (Ctrl+C stops)", shown_host, port)
            << std::endl;
  if (!fs::is_directory(options.web_root)) {
    std::cerr << "warning: no web app at '" << options.web_root.string()
              << "' (run `make web`); serving the API only\n";
  }

  std::atomic<bool> done{false};
  std::thread stopper([&] {
    const auto deadline =
        std::chrono::steady_clock::now() + std::chrono::seconds(args.stop_after_s);
    const timespec tick{0, 200'000'000};
    while (!done.load()) {
      if (sigtimedwait(&signals, nullptr, &tick) > 0) {
        std::cerr << "serve: stopping\n";
        break;
      }
      if (args.stop_after_s > 0 && std::chrono::steady_clock::now() >= deadline) {
        std::cerr << "serve: --stop-after reached, stopping\n";
        break;
      }
    }
    server.stop();
  });
  server.run();
  done = true;
  stopper.join();
  snapshots.stop();
}

}  // namespace

void register_serve(CLI::App& app) {
  auto args = std::make_shared<ServeArgs>();
  auto* cmd = app.add_subcommand(
      "serve", "Serve the dashboard (JSON API and web app) on the lake; 127.0.0.1 by default");
  add_common_options(*cmd, args->common, false);
  cmd->add_option("--host", args->host, "Address to listen on (default 127.0.0.1)");
  cmd->add_option("--port", args->port, "Port to listen on; 0 picks a free one (default 8080)")
      ->check(CLI::Range(0, 65535));
  cmd->add_option("--web", args->web, "Folder of the built web app (default: web/dist)");
  cmd->add_option("--stop-after", args->stop_after_s,
                  "Stop by itself after this many seconds (0: run until stopped)")
      ->check(CLI::Range(0, 7 * 24 * 3600));
  cmd->add_option("--poll-ms", args->poll_ms,
                  "How often to look for a newly published lake snapshot (default 1000)")
      ->check(CLI::Range(50, 600000));
  cmd->callback([args] { serve(*args); });
}

}  // namespace aa::cli
