#pragma once
// The server's responses: JSON bodies and errors, bodies gzip-compressed by us when the client
// takes it, HTTP statuses for AppError kinds, and request bodies read as JSON objects.

#include <httplib.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "core/app_error.h"

namespace aa::server {

inline constexpr const char* kJson = "application/json";

bool accepts_gzip(const httplib::Request& request);

// A body sent as it is or gzip-compressed by us. httplib would otherwise compress bodies
// itself, with Brotli at its slowest setting when the browser offers "br" (1.8 s for the
// web app's script); a fixed-length content provider is sent untouched.
void send_bytes(httplib::Response& response, std::shared_ptr<const std::string> bytes,
                const std::string& type, bool gzipped);
// `body`, gzip-compressed when it is worth it and the client accepts it.
void send_body(const httplib::Request& request, httplib::Response& response, std::string body,
               const std::string& type);
// `body` as JSON; compressed as send_body when `request` is given.
void send_json(httplib::Response& response, int status, const nlohmann::json& body,
               const httplib::Request* request = nullptr);
// {"error": {"status", "message"}}.
void send_error(httplib::Response& response, int status, const std::string& message);

int status_of(core::ErrorKind kind);
// The message of an error status the server raises itself.
const char* reason_of(int status);

// A request body as a JSON object (empty: {}); AppError when it is not one.
nlohmann::json body_object(const httplib::Request& request);
// body[key] as an object (absent or null: {}); AppError when it is something else.
nlohmann::json member_or_object(const nlohmann::json& body, const char* key);

}  // namespace aa::server
