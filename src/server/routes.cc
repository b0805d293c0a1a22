// The dashboard server's routes (server.h lists them): the JSON API over the operations and the
// analyst, CSV export, and the web app's static files.

#include <iostream>
#include <mutex>

#include "core/app_error.h"
#include "ops/registry.h"
#include "server/csv_export.h"
#include "server/responses.h"
#include "server/server.h"
#include "server/static_files.h"

namespace aa::server {

using nlohmann::json;

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
        const auto snapshot = snapshots_.current();
        if (!snapshot) {
          // The first snapshot is still loading (or failed to): /api/health says which.
          response.set_header("Retry-After", "1");
          send_error(response, 503,
                     snapshots_.status() == "failed"
                         ? "the lake snapshot could not be loaded: " + snapshots_.last_error()
                         : "the lake snapshot is loading; try again in a moment");
          return;
        }
        body(*snapshot, request, response);
      } catch (const core::AppError& e) {
        std::string message = e.what();
        // Paths inside the lake are shown relative to it.
        const std::string root = snapshots_.lake().root().string() + "/";
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

  // Answers at once, before the first snapshot is in: "loading" (or "failed", with the
  // error) until then, "ok" with the snapshot's figures after.
  http_.Get("/api/health", [this](const httplib::Request& request, httplib::Response& response) {
    if (!allowed(request, response)) {
      return;
    }
    const auto s = snapshots_.current();
    json out = {{"status", snapshots_.status()},
                {"snapshot", nullptr},
                {"members", nullptr},
                {"reloads", snapshots_.reloads()},
                {"reload_error", snapshots_.last_error()},
                {"analyst",
                 {{"provider", snapshots_.llm().provider},
                  {"model", snapshots_.llm().provider == "none" ? "" : snapshots_.llm().model},
                  {"offline", snapshots_.llm().provider == "none"}}},
                {"auth", !options_.rules.auth_token.empty()},
                {"version", AA_VERSION}};
    if (s) {
      out["snapshot"] = {{"id", s->id},
                         {"loaded_at", s->loaded_at},
                         {"load_seconds", snapshots_.load_seconds()},
                         {"frame_bytes", s->context->frame().bytes()}};
      out["members"] = s->context->frame().size();
    } else {
      out["loading_seconds"] = snapshots_.loading_seconds();
    }
    send_json(response, 200, out);
  });
  http_.Get("/api/operations", handle([show_pii](Snapshot& s, const httplib::Request& request,
                                                 httplib::Response& response) {
              json catalogue = ops::list_operations(s.context->domains());
              if (!show_pii) {
                redact_pii_declarations(catalogue);
              }
              send_json(response, 200, catalogue, &request);
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
          core::fail(core::ErrorKind::InvalidInput, "'question' must be a string");
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
          core::fail(core::ErrorKind::InvalidInput, "'table' must be a string");
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
    serve_static(http_, options_.web_root);
  } else {
    http_.Get("/", [](const httplib::Request&, httplib::Response& response) {
      send_error(response, 404,
                 "the web app is not built; run `make web`, or use the API under /api/");
    });
  }
}

}  // namespace aa::server
