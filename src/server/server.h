#pragma once
// The dashboard server: a JSON API over the operations and the analyst, and the built web app.
//
//   GET  /api/health                      status, snapshot, members, analyst path
//   GET  /api/operations                  the catalogue: operations, parameters, filters
//   POST /api/operations/{name}           {params, filters} -> {op, params, filters, result}
//   POST /api/ask                         {question, filters} -> the analyst's answer
//   GET  /api/customers/{loyalty_number}  customer 360 (customer_profile)
//   POST /api/export/{name}               {params, filters, table} -> text/csv
//   GET  /...                             the web app's static files
//
// Rules: JSON in and out (errors are {"error": {"status", "message"}} with no internals);
// postal code, salary and raw quarantined records are removed unless show_pii; with an auth
// token every /api route needs "Authorization: Bearer <token>"; POST routes need a JSON
// content type and a same-origin request (CSRF); bodies are capped; requests per client per
// minute are capped; security headers on every response.
//
// server.cc holds the rules and the server's life; routes.cc the routes; responses.h the JSON
// and error responses; static_files.h the web app; csv_export.h the CSV export; gzip.h the
// compression.

#include <httplib.h>

#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>

#include "core/config.h"
#include "server/csv_export.h"  // table_csv, for POST /api/export
#include "server/snapshots.h"

namespace aa::server {

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;  // 0: any free port
  fs::path web_root;
  core::ServerConfig rules;
  std::size_t max_body_bytes = 64 * 1024;
};

class DashboardServer {
 public:
  DashboardServer(SnapshotSource& snapshots, ServerOptions options);
  // Binds the socket; returns the port (AppError when it cannot bind).
  int bind();
  // Serves until stop() (from any thread or a signal watcher). stop() may come before run()
  // has started listening, or without run() at all: it returns once serving has ended.
  void run();
  void stop();

 private:
  void routes();
  bool allowed(const httplib::Request& request, httplib::Response& response);
  bool rate_limited(const std::string& client);

  SnapshotSource& snapshots_;
  ServerOptions options_;
  httplib::Server http_;
  std::atomic<bool> started_{false};
  std::atomic<bool> stop_requested_{false};
  std::atomic<bool> finished_{false};
  std::mutex rate_mutex_;
  std::map<std::string, std::pair<std::chrono::steady_clock::time_point, int>> windows_;
};

// The built web app beside the sources (web/dist), the default for ServerOptions::web_root.
fs::path default_web_root();

// Removes personal fields from a response: the keys postal_code, salary and raw_record
// anywhere, and the value of a quarantine record whose column is one of those.
void redact_pii(nlohmann::json& value);
// The same for the catalogue (GET /api/operations): the declarations of those fields are left
// out of every operation's result schema, since the responses will not carry them.
void redact_pii_declarations(nlohmann::json& catalogue);

}  // namespace aa::server
