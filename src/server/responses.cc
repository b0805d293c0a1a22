#include "server/responses.h"

#include "server/gzip.h"

namespace aa::server {

using nlohmann::json;

bool accepts_gzip(const httplib::Request& request) {
  return request.get_header_value("Accept-Encoding").find("gzip") != std::string::npos;
}

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
               const httplib::Request* request) {
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

int status_of(core::ErrorKind kind) {
  switch (kind) {
    case core::ErrorKind::InvalidInput:
      return 400;
    case core::ErrorKind::NotFound:
      return 404;
    case core::ErrorKind::Conflict:
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

json body_object(const httplib::Request& request) {
  if (request.body.empty()) {
    return json::object();
  }
  json body = json::parse(request.body, nullptr, false);
  if (body.is_discarded() || !body.is_object()) {
    core::fail(core::ErrorKind::InvalidInput, "the request body must be a JSON object");
  }
  return body;
}

json member_or_object(const json& body, const char* key) {
  const json value = body.value(key, json::object());
  if (value.is_null()) {
    return json::object();
  }
  if (!value.is_object()) {
    core::fail(core::ErrorKind::InvalidInput, "'{}' must be a JSON object", key);
  }
  return value;
}

}  // namespace aa::server
