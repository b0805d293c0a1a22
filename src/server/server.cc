#include "server/server.h"

#include <openssl/crypto.h>

#include <algorithm>
#include <cctype>
#include <thread>

#include "core/app_error.h"
#include "server/responses.h"

namespace aa::server {

namespace {

using nlohmann::json;

bool pii_key(const std::string& key) {
  std::string k;
  for (const char c : key) {
    k += c == ' ' ? '_' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return k == "postal_code" || k == "salary" || k == "raw_record";
}

}  // namespace

fs::path default_web_root() { return AA_DEFAULT_WEB_DIST; }

void redact_pii(json& value) {
  if (value.is_array()) {
    for (auto& v : value) {
      redact_pii(v);
    }
    return;
  }
  if (!value.is_object()) {
    return;
  }
  for (auto it = value.begin(); it != value.end();) {
    if (pii_key(it.key())) {
      it = value.erase(it);
    } else {
      redact_pii(it.value());
      ++it;
    }
  }
  const auto column = value.find("column_name");
  if (column != value.end() && column->is_string() && pii_key(column->get<std::string>()) &&
      value.contains("value")) {
    value["value"] = "(hidden)";
  }
}

namespace {

void redact_pii_fields(json& fields) {
  if (!fields.is_array()) {
    return;
  }
  for (auto it = fields.begin(); it != fields.end();) {
    if (it->is_object() && it->value("name", json()).is_string() &&
        pii_key(it->at("name").get<std::string>())) {
      it = fields.erase(it);
    } else {
      if (it->is_object() && it->contains("fields")) {
        redact_pii_fields(it->at("fields"));
      }
      ++it;
    }
  }
}

}  // namespace

void redact_pii_declarations(json& catalogue) {
  if (!catalogue.contains("operations")) {
    return;
  }
  for (auto& op : catalogue.at("operations")) {
    if (op.contains("result")) {
      redact_pii_fields(op.at("result"));
    }
  }
}

DashboardServer::DashboardServer(SnapshotSource& snapshots, ServerOptions options)
    : snapshots_(snapshots), options_(std::move(options)) {
  http_.set_payload_max_length(options_.max_body_bytes);
  http_.set_read_timeout(10, 0);
  http_.set_write_timeout(10, 0);
  http_.set_keep_alive_max_count(1000);
  // Headers and body go out in separate writes: without this, Nagle and the client's delayed
  // ACK add 40 ms to a response.
  http_.set_tcp_nodelay(true);
  http_.set_default_headers({
      {"Content-Security-Policy",
       "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
       "img-src 'self' data: blob:; connect-src 'self'; font-src 'self'; object-src 'none'; "
       "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"},
      {"X-Content-Type-Options", "nosniff"},
      {"X-Frame-Options", "DENY"},
      {"Referrer-Policy", "no-referrer"},
      {"Cross-Origin-Opener-Policy", "same-origin"},
      {"Cross-Origin-Resource-Policy", "same-origin"},
  });
  routes();
}

int DashboardServer::bind() {
  int port = 0;
  if (options_.port == 0) {
    port = http_.bind_to_any_port(options_.host);
  } else if (http_.bind_to_port(options_.host, options_.port)) {
    port = options_.port;
  } else {
    port = -1;
  }
  if (port <= 0) {
    core::fail(core::ErrorKind::Io,
               "cannot listen on {}:{} (in use, or not an address of this machine)", options_.host,
               options_.port);
  }
  return port;
}

void DashboardServer::run() {
  started_ = true;
  if (!stop_requested_) {
    http_.listen_after_bind();
  }
  finished_ = true;
}

// httplib's stop() does nothing until the listening loop runs, so a stop that races with the
// start is repeated until the loop has ended. (started_ and stop_requested_ are written before
// each side reads the other's: one of them sees the other.)
void DashboardServer::stop() {
  stop_requested_ = true;
  if (!started_) {
    return;
  }
  while (!finished_) {
    http_.stop();
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
}

bool DashboardServer::rate_limited(const std::string& client) {
  const auto now = std::chrono::steady_clock::now();
  const std::lock_guard<std::mutex> lock(rate_mutex_);
  // Forget clients whose window has closed, so that many clients cannot grow the table.
  if (windows_.size() > 4096) {
    std::erase_if(windows_, [&](const auto& entry) {
      return now - entry.second.first >= std::chrono::minutes(1);
    });
  }
  auto& [start, count] = windows_[client];
  if (now - start >= std::chrono::minutes(1)) {
    start = now;
    count = 0;
  }
  return ++count > options_.rules.rate_limit_per_minute;
}

// The rules every /api request passes before its handler: rate, token, CSRF.
bool DashboardServer::allowed(const httplib::Request& request, httplib::Response& response) {
  if (rate_limited(request.remote_addr)) {
    response.set_header("Retry-After", "60");
    send_error(response, 429,
               "too many requests: at most " +
                   std::to_string(options_.rules.rate_limit_per_minute) + " per minute");
    return false;
  }
  const std::string& token = options_.rules.auth_token;
  if (!token.empty()) {
    const std::string expected = "Bearer " + token;
    const std::string given = request.get_header_value("Authorization");
    if (given.size() != expected.size() ||
        CRYPTO_memcmp(given.data(), expected.data(), expected.size()) != 0) {
      response.set_header("WWW-Authenticate", "Bearer");
      send_error(response, 401, "authentication required: send Authorization: Bearer <token>");
      return false;
    }
  }
  if (request.method == "POST") {
    // A cross-site form cannot send application/json without a preflight we never grant,
    // and a browser names the requesting origin: both must be ours.
    const std::string type = request.get_header_value("Content-Type");
    if (type.rfind(kJson, 0) != 0) {
      send_error(response, 415, reason_of(415));
      return false;
    }
    const std::string site = request.get_header_value("Sec-Fetch-Site");
    const std::string origin = request.get_header_value("Origin");
    const std::string host = request.get_header_value("Host");
    if ((!site.empty() && site != "same-origin" && site != "none") ||
        (!origin.empty() && origin != "http://" + host && origin != "https://" + host)) {
      send_error(response, 403, "cross-site request refused");
      return false;
    }
  }
  response.set_header("Cache-Control", "no-store");
  return true;
}

}  // namespace aa::server
