#include "server/server.h"

#include <fmt/core.h>
#include <fmt/format.h>
#include <openssl/crypto.h>
#include <zlib.h>

#include <algorithm>
#include <fstream>
#include <iostream>
#include <iterator>
#include <set>
#include <thread>

#include "core/app_error.h"
#include "ops/registry.h"

namespace aa::server {

namespace {

using nlohmann::json;

constexpr const char* kJson = "application/json";

// gzip of `data` at `level` (1 fast .. 9 small).
std::string gzip(const std::string& data, int level) {
  z_stream z{};
  if (deflateInit2(&z, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    throw std::runtime_error("deflateInit2 failed");
  }
  std::string out(deflateBound(&z, data.size()), '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  const int rc = deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  if (rc != Z_STREAM_END) {
    throw std::runtime_error("deflate failed");
  }
  return out;
}

bool accepts_gzip(const httplib::Request& request) {
  return request.get_header_value("Accept-Encoding").find("gzip") != std::string::npos;
}

// A body sent as it is or gzip-compressed by us. httplib would otherwise compress bodies
// itself, with Brotli at its slowest setting when the browser offers "br" (1.8 s for the
// web app's script); a fixed-length content provider is sent untouched.
void send_bytes(httplib::Response& response, std::shared_ptr<const std::string> bytes,
                const std::string& type, bool gzipped) {
  if (gzipped) {
    response.set_header("Content-Encoding", "gzip");
  }
  response.set_header("Vary", "Accept-Encoding");
  const std::size_t size = bytes->size();
  response.set_content_provider(
      size, type, [bytes](std::size_t offset, std::size_t length, httplib::DataSink& sink) {
        return sink.write(bytes->data() + offset, length);
      });
}

void send_body(const httplib::Request& request, httplib::Response& response, std::string body,
               const std::string& type) {
  constexpr std::size_t kCompressFrom = 1024;
  if (body.empty()) {
    response.set_content(body, type);
  } else if (body.size() >= kCompressFrom && accepts_gzip(request)) {
    send_bytes(response, std::make_shared<const std::string>(gzip(body, 1)), type, true);
  } else {
    send_bytes(response, std::make_shared<const std::string>(std::move(body)), type, false);
  }
}

void send_json(httplib::Response& response, int status, const json& body,
               const httplib::Request* request = nullptr) {
  response.status = status;
  std::string text = body.dump(-1, ' ', false, json::error_handler_t::replace);
  if (request != nullptr) {
    send_body(*request, response, std::move(text), kJson);
  } else {
    response.set_content(text, kJson);
  }
}

void send_error(httplib::Response& response, int status, const std::string& message) {
  send_json(response, status, {{"error", {{"status", status}, {"message", message}}}});
}

int status_of(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::InvalidInput:
      return 400;
    case ErrorKind::NotFound:
      return 404;
    case ErrorKind::Conflict:
      return 409;
    default:
      return 500;
  }
}

const char* reason_of(int status) {
  switch (status) {
    case 400:
      return "bad request";
    case 401:
      return "authentication required";
    case 403:
      return "forbidden";
    case 404:
      return "not found";
    case 405:
      return "method not allowed";
    case 413:
      return "request body too large";
    case 414:
      return "request URI too long";
    case 415:
      return "unsupported media type: send application/json";
    case 429:
      return "too many requests";
    default:
      return "internal error";
  }
}

// A request body as a JSON object; AppError when it is not one.
json body_object(const httplib::Request& request) {
  if (request.body.empty()) {
    return json::object();
  }
  json body = json::parse(request.body, nullptr, false);
  if (body.is_discarded() || !body.is_object()) {
    fail(ErrorKind::InvalidInput, "the request body must be a JSON object");
  }
  return body;
}

json member_or_object(const json& body, const char* key) {
  const json value = body.value(key, json::object());
  if (value.is_null()) {
    return json::object();
  }
  if (!value.is_object()) {
    fail(ErrorKind::InvalidInput, "'{}' must be a JSON object", key);
  }
  return value;
}

bool pii_key(const std::string& key) {
  std::string k;
  for (const char c : key) {
    k += c == ' ' ? '_' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return k == "postal_code" || k == "salary" || k == "raw_record";
}

std::string csv_cell(const json& value) {
  if (value.is_null()) {
    return "";
  }
  std::string text;
  if (value.is_string()) {
    text = value.get<std::string>();
    // A cell a spreadsheet would evaluate ("=cmd|..."): shown as text instead.
    if (!text.empty() && (text[0] == '=' || text[0] == '+' || text[0] == '-' || text[0] == '@' ||
                          text[0] == '\t' || text[0] == '\r')) {
      text.insert(text.begin(), '\'');
    }
  } else if (value.is_boolean()) {
    text = value.get<bool>() ? "true" : "false";
  } else {
    text = value.dump();
  }
  if (text.find_first_of(",\"\r\n") == std::string::npos) {
    return text;
  }
  std::string quoted = "\"";
  for (const char c : text) {
    quoted += c;
    if (c == '"') {
      quoted += '"';
    }
  }
  return quoted + "\"";
}

bool is_table(const json& value) {
  return value.is_array() && !value.empty() &&
         std::all_of(value.begin(), value.end(), [](const json& row) { return row.is_object(); });
}

struct StaticFile {
  std::string type;
  std::shared_ptr<const std::string> raw;
  std::shared_ptr<const std::string> gzipped;  // null when not worth it
};

std::string mime_type(const fs::path& file) {
  static const std::map<std::string, std::string> types = {
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".map", "application/json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".ico", "image/x-icon"},
      {".woff2", "font/woff2"},
      {".txt", "text/plain; charset=utf-8"}};
  const auto it = types.find(file.extension().string());
  return it == types.end() ? "application/octet-stream" : it->second;
}

std::map<std::string, StaticFile> load_static(const fs::path& root) {
  std::map<std::string, StaticFile> files;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (!entry.is_regular_file()) {
      continue;
    }
    std::ifstream in(entry.path(), std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    StaticFile file;
    file.type = mime_type(entry.path());
    const bool text = file.type.rfind("text/", 0) == 0 || file.type == "application/json" ||
                      file.type == "image/svg+xml";
    if (text && bytes.size() >= 1024) {
      file.gzipped = std::make_shared<const std::string>(gzip(bytes, 9));
    }
    file.raw = std::make_shared<const std::string>(std::move(bytes));
    files["/" + fs::relative(entry.path(), root).generic_string()] = std::move(file);
  }
  return files;
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

std::string table_csv(const json& result, const std::string& table) {
  const json* rows = nullptr;
  if (!table.empty()) {
    const auto it = result.find(table);
    if (it != result.end() && is_table(*it)) {
      rows = &*it;
    } else if (it != result.end() && it->is_array() && it->empty()) {
      rows = &*it;
    }
  } else {
    for (const auto& [key, value] : result.items()) {
      if (is_table(value)) {
        rows = &value;
        break;
      }
    }
  }
  if (rows == nullptr) {
    std::vector<std::string> tables;
    for (const auto& [key, value] : result.items()) {
      if (value.is_array()) {
        tables.push_back(key);
      }
    }
    fail(ErrorKind::InvalidInput, "the result has no table '{}'; its tables: {}", table,
         tables.empty() ? "none" : fmt::format("{}", fmt::join(tables, ", ")));
  }
  std::vector<std::string> columns;
  std::set<std::string> seen;
  for (const char* first : {"rank", "loyalty_number"}) {
    for (const auto& row : *rows) {
      if (row.contains(first) && seen.insert(first).second) {
        columns.emplace_back(first);
      }
    }
  }
  for (const auto& row : *rows) {
    for (const auto& [key, value] : row.items()) {
      if (seen.insert(key).second) {
        columns.push_back(key);
      }
    }
  }
  std::string out;
  for (std::size_t c = 0; c < columns.size(); ++c) {
    out += (c ? "," : "") + csv_cell(columns[c]);
  }
  out += "\r\n";
  for (const auto& row : *rows) {
    for (std::size_t c = 0; c < columns.size(); ++c) {
      const auto it = row.find(columns[c]);
      out += (c ? "," : "") + (it == row.end() ? std::string() : csv_cell(*it));
    }
    out += "\r\n";
  }
  return out;
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
    fail(ErrorKind::Io, "cannot listen on {}:{} (in use, or not an address of this machine)",
         options_.host, options_.port);
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

void DashboardServer::routes() {
  const bool show_pii = options_.rules.show_pii;
  // Runs a handler with the current snapshot; AppError becomes its status and message, any
  // other failure a 500 without internals (the detail goes to the server's log).
  auto handle = [this](auto body) {
    return [this, body](const httplib::Request& request, httplib::Response& response) {
      try {
        if (!allowed(request, response)) {
          return;
        }
        body(*snapshots_.current(), request, response);
      } catch (const AppError& e) {
        std::string message = e.what();
        // Paths inside the lake are shown relative to it.
        const std::string root = snapshots_.current()->context->lake().root().string() + "/";
        for (auto at = message.find(root); at != std::string::npos; at = message.find(root)) {
          message.erase(at, root.size());
        }
        send_error(response, status_of(e.kind()), message);
      } catch (const std::exception& e) {
        std::cerr << "serve: " << request.method << " " << request.path << ": " << e.what() << "\n";
        send_error(response, 500, "internal error");
      }
    };
  };
  auto finish = [show_pii](const httplib::Request& request, httplib::Response& response, json out) {
    if (!show_pii) {
      redact_pii(out);
    }
    send_json(response, 200, out, &request);
  };

  http_.Get("/api/health",
            handle([this](Snapshot& s, const httplib::Request&, httplib::Response& response) {
              send_json(
                  response, 200,
                  {{"status", "ok"},
                   {"snapshot", {{"id", s.id}, {"loaded_at", s.loaded_at}}},
                   {"reloads", snapshots_.reloads()},
                   {"reload_error", snapshots_.last_error()},
                   {"members", s.context->frame().size()},
                   {"analyst",
                    {{"provider", snapshots_.llm().provider},
                     {"model", snapshots_.llm().provider == "none" ? "" : snapshots_.llm().model},
                     {"offline", snapshots_.llm().provider == "none"}}},
                   {"auth", !options_.rules.auth_token.empty()},
                   {"version", AA_VERSION}});
            }));
  http_.Get("/api/operations",
            handle([](Snapshot& s, const httplib::Request& request, httplib::Response& response) {
              send_json(response, 200, ops::list_operations(s.context->domains()), &request);
            }));
  http_.Post(
      R"(/api/operations/([a-z_0-9]{1,64}))",
      handle([finish](Snapshot& s, const httplib::Request& request, httplib::Response& response) {
        const json body = body_object(request);
        finish(request, response,
               ops::run_operation(*s.context, request.matches[1], member_or_object(body, "params"),
                                  member_or_object(body, "filters")));
      }));
  http_.Post(
      "/api/ask",
      handle([finish](Snapshot& s, const httplib::Request& request, httplib::Response& response) {
        const json body = body_object(request);
        const json question = body.value("question", json());
        if (!question.is_string()) {
          fail(ErrorKind::InvalidInput, "'question' must be a string");
        }
        const json filters = member_or_object(body, "filters");
        // The previous turn of the chat (its answer, or its question, intents and
        // slots), for follow-ups such as "And in Quebec?".
        const json context = body.value("context", json());
        const std::lock_guard<std::mutex> lock(s.ask_mutex);
        finish(request, response, s.analyst->ask(question.get<std::string>(), filters, context));
      }));
  http_.Get(
      R"(/api/customers/([0-9]{1,12}))",
      handle([finish](Snapshot& s, const httplib::Request& request, httplib::Response& response) {
        const json out =
            ops::run_operation(*s.context, "customer_profile",
                               {{"loyalty_number", std::stoll(request.matches[1])}}, {});
        if (!out.at("result").value("found", false)) {
          send_error(response, 404,
                     out.at("result").value("message", std::string("no such member")));
          return;
        }
        finish(request, response, out);
      }));
  http_.Post(
      R"(/api/export/([a-z_0-9]{1,64}))",
      handle([show_pii](Snapshot& s, const httplib::Request& request, httplib::Response& response) {
        const json body = body_object(request);
        const std::string name = request.matches[1];
        json out = ops::run_operation(*s.context, name, member_or_object(body, "params"),
                                      member_or_object(body, "filters"));
        if (!show_pii) {
          redact_pii(out);
        }
        const json table = body.value("table", json(""));
        if (!table.is_string()) {
          fail(ErrorKind::InvalidInput, "'table' must be a string");
        }
        const std::string csv = table_csv(out.at("result"), table.get<std::string>());
        const std::string file =
            name + (table.get<std::string>().empty() ? "" : "-" + table.get<std::string>());
        response.set_header("Content-Disposition", "attachment; filename=\"" + file + ".csv\"");
        response.set_content(csv, "text/csv; charset=utf-8");
      }));
  // Other methods are not allowed anywhere; GET on a POST route neither.
  const auto not_allowed = [](const httplib::Request&, httplib::Response& response) {
    send_error(response, 405, reason_of(405));
  };
  http_.Put(".*", not_allowed);
  http_.Patch(".*", not_allowed);
  http_.Delete(".*", not_allowed);
  http_.Options(".*", not_allowed);
  http_.Get(R"(/api/(ask|operations/[a-z_0-9]{1,64}|export/[a-z_0-9]{1,64}))", not_allowed);
  // Unknown API paths, and errors httplib raises itself (body too large), as JSON.
  http_.set_error_handler([](const httplib::Request& request, httplib::Response& response) {
    if (!response.body.empty()) {
      return;
    }
    if (response.status == 404 && request.path.rfind("/api/", 0) != 0 && request.method == "GET") {
      send_error(response, 404, "not found: " + request.path);
      return;
    }
    send_error(response, response.status, reason_of(response.status));
  });
  http_.set_exception_handler(
      [](const httplib::Request& request, httplib::Response& response, std::exception_ptr) {
        std::cerr << "serve: " << request.method << " " << request.path << " failed\n";
        send_error(response, 500, "internal error");
      });
  if (!options_.web_root.empty() && fs::is_directory(options_.web_root)) {
    // The built web app, read once into memory with a gzip copy of each text file; a request
    // never touches the file system, so no path can escape the folder.
    auto files =
        std::make_shared<std::map<std::string, StaticFile>>(load_static(options_.web_root));
    http_.Get(".*", [files](const httplib::Request& request, httplib::Response& response) {
      const std::string path = request.path == "/" ? "/index.html" : request.path;
      const auto it = files->find(path);
      if (it == files->end()) {
        send_error(response, 404, "not found: " + request.path);
        return;
      }
      const StaticFile& file = it->second;
      // Vite names assets by their content hash: they never change under the same name.
      response.set_header("Cache-Control", path.rfind("/assets/", 0) == 0
                                               ? "public, max-age=31536000, immutable"
                                               : "no-cache");
      const bool gz = file.gzipped && accepts_gzip(request);
      send_bytes(response, gz ? file.gzipped : file.raw, file.type, gz);
    });
  } else {
    http_.Get("/", [](const httplib::Request&, httplib::Response& response) {
      send_error(response, 404,
                 "the web app is not built; run `make web`, or use the API under /api/");
    });
  }
}

}  // namespace aa::server
