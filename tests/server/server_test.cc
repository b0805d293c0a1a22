// The dashboard's API against a server started on a free port of 127.0.0.1, over the fixture
// lake: every route, the error codes, the PII and token rules, CSRF, caps, security headers,
// static files, and a republished snapshot picked up without a failed request.
#include "server/server.h"

#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <functional>
#include <future>
#include <map>
#include <memory>
#include <thread>

#include "ops/ops_fixture.h"
#include "ops/registry.h"
#include "support/test_support.h"

namespace aa::test {
namespace {

using nlohmann::json;

// A server over `lake` on 127.0.0.1, port chosen by the system, stopped by the destructor.
class RunningServer {
 public:
  // `wait`: return once the first snapshot is in (else at once, while it loads);
  // `on_load_start`: the snapshots' hook, run as each load begins.
  RunningServer(const core::Lake& lake, server::ServerOptions options,
                std::chrono::milliseconds poll = std::chrono::milliseconds(1000), bool wait = true,
                std::function<void()> on_load_start = {})
      : snapshots_(lake, core::LlmConfig{}) {
    snapshots_.on_load_start = std::move(on_load_start);
    snapshots_.start(poll);
    if (wait) {
      snapshots_.wait();
    }
    options.host = "127.0.0.1";
    options.port = 0;
    server_ = std::make_unique<server::DashboardServer>(snapshots_, options);
    port_ = server_->bind();
    thread_ = std::thread([this] { server_->run(); });
  }
  ~RunningServer() {
    server_->stop();
    thread_.join();
    snapshots_.stop();
  }
  httplib::Client client() const {
    httplib::Client c("127.0.0.1", port_);
    c.set_read_timeout(30, 0);
    return c;
  }
  int port() const { return port_; }
  server::SnapshotSource& snapshots() { return snapshots_; }

 private:
  server::SnapshotSource snapshots_;
  std::unique_ptr<server::DashboardServer> server_;
  int port_ = 0;
  std::thread thread_;
};

class ServerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    lake_ = new core::Lake(write_fixture_lake(dir_->path() / "lake"));
    server_ = new RunningServer(*lake_, {});
  }
  static void TearDownTestSuite() {
    delete server_;
    delete lake_;
    delete dir_;
  }
  static httplib::Result post(httplib::Client& c, const std::string& path, const json& body) {
    return c.Post(path, body.dump(), "application/json");
  }
  static json body(const httplib::Result& r) { return json::parse(r->body); }
  static void expect_error(const httplib::Result& r, int status, const std::string& contains) {
    ASSERT_TRUE(r) << "no response";
    EXPECT_EQ(r->status, status) << r->body;
    EXPECT_EQ(r->get_header_value("Content-Type"), "application/json");
    const json b = json::parse(r->body);
    EXPECT_EQ(b.at("error").at("status"), status);
    EXPECT_NE(b.at("error").at("message").get<std::string>().find(contains), std::string::npos)
        << b.dump();
    // No internals: no stack, no server paths, no SQL.
    EXPECT_EQ(r->body.find(dir_->path().string()), std::string::npos) << r->body;
    EXPECT_EQ(r->body.find("select "), std::string::npos) << r->body;
  }

  static inline TempDir* dir_ = nullptr;
  static inline core::Lake* lake_ = nullptr;
  static inline RunningServer* server_ = nullptr;
};

TEST_F(ServerTest, HealthNamesTheSnapshotAndEveryResponseCarriesSecurityHeaders) {
  auto c = server_->client();
  const auto r = c.Get("/api/health");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  const json h = body(r);
  EXPECT_EQ(h.at("status"), "ok");
  EXPECT_EQ(h.at("members"), fixture_members().size());
  EXPECT_EQ(h.at("snapshot").at("id"), server::SnapshotSource::identity_of(lake_->warehouse()));
  EXPECT_EQ(h.at("analyst").at("provider"), "none");
  EXPECT_TRUE(h.at("analyst").at("offline").get<bool>());
  const std::string csp = r->get_header_value("Content-Security-Policy");
  EXPECT_NE(csp.find("script-src 'self';"), std::string::npos) << csp;
  EXPECT_EQ(csp.find("unsafe-eval"), std::string::npos);
  EXPECT_NE(csp.find("frame-ancestors 'none'"), std::string::npos);
  EXPECT_EQ(r->get_header_value("X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(r->get_header_value("X-Frame-Options"), "DENY");
  EXPECT_EQ(r->get_header_value("Cache-Control"), "no-store");
  // Errors carry them too.
  const auto missing = c.Get("/api/nothing-here");
  expect_error(missing, 404, "not found");
  EXPECT_EQ(missing->get_header_value("X-Frame-Options"), "DENY");
}

TEST_F(ServerTest, OperationsListAndRunMatchTheLibrary) {
  auto c = server_->client();
  const json list = body(c.Get("/api/operations"));
  EXPECT_EQ(list.at("operations").size(), ops::operations().size());
  EXPECT_TRUE(list.at("filters").contains("province"));
  // Each operation's result schema beside its parameters; personal fields' declarations are
  // left out with the fields themselves.
  for (const auto& op : list.at("operations")) {
    EXPECT_FALSE(op.at("result").empty()) << op.at("name");
  }
  const json& kpis = list.at("operations").at(0);
  EXPECT_EQ(kpis.at("name"), "kpis_baseline");
  const auto avg_clv = std::find_if(kpis.at("result").begin(), kpis.at("result").end(),
                                    [](const json& f) { return f.at("name") == "avg_clv"; });
  ASSERT_NE(avg_clv, kpis.at("result").end());
  EXPECT_EQ(avg_clv->at("unit"), "CAD");
  EXPECT_EQ(avg_clv->at("type"), "number");
  json with_pii = ops::list_operations(ops::OpsContext::open(*lake_)->domains());
  EXPECT_NE(with_pii.dump().find("\"postal_code\""), std::string::npos);
  server::redact_pii_declarations(with_pii);
  EXPECT_EQ(with_pii.dump().find("\"postal_code\""), std::string::npos);

  const json filters = {{"province", {"Ontario"}}, {"clv_min", 2000}};
  const auto r = post(c, "/api/operations/kpis_slice", {{"filters", filters}});
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  auto context = ops::OpsContext::open(*lake_);
  const json direct = ops::run_operation(*context, "kpis_slice", json::object(), filters);
  EXPECT_EQ(body(r).at("result"), direct.at("result"));
  EXPECT_EQ(body(r).at("filters"), filters);

  const json top =
      body(post(c, "/api/operations/top_risk_customers", {{"params", {{"top_n", 2}}}}));
  EXPECT_EQ(top.at("result").at("rows").size(), 2u);
  // A combination that matches nobody is an answer, not an error.
  const auto none = post(c, "/api/operations/kpis_slice",
                         {{"filters", {{"province", {"Ontario"}}, {"clv_min", 1e8}}}});
  ASSERT_EQ(none->status, 200) << none->body;
  EXPECT_EQ(body(none).at("result").at("customers"), 0);
}

TEST_F(ServerTest, BadRequestsGetTheirStatusAndAMessage) {
  auto c = server_->client();
  expect_error(post(c, "/api/operations/no_such_op", json::object()), 400, "unknown operation");
  expect_error(post(c, "/api/operations/summary_by_segment", {{"params", {{"top_n", 500}}}}), 400,
               "top_n");
  expect_error(post(c, "/api/operations/kpis_slice", {{"filters", {{"province", {"Atlantis"}}}}}),
               400, "Atlantis");
  expect_error(post(c, "/api/operations/kpis_slice", {{"filters", "Ontario"}}), 400,
               "'filters' must be a JSON object");
  expect_error(c.Post("/api/operations/kpis_slice", "{not json", "application/json"), 400,
               "must be a JSON object");
  expect_error(c.Post("/api/operations/kpis_slice", "[]", "application/json"), 400,
               "must be a JSON object");
  expect_error(c.Post("/api/ask", "question=hi", "application/x-www-form-urlencoded"), 415,
               "application/json");
  expect_error(c.Get("/api/customers/abc"), 404, "not found");
  expect_error(c.Delete("/api/health"), 405, "method not allowed");
  expect_error(c.Get("/api/ask"), 405, "method not allowed");
  const std::string huge(200 * 1024, 'x');
  expect_error(c.Post("/api/ask", json({{"question", huge}}).dump(), "application/json"), 413,
               "too large");
  expect_error(post(c, "/api/ask", {{"question", 42}}), 400, "'question' must be a string");
  expect_error(post(c, "/api/ask", {{"question", "   "}}), 400, "ask needs a question");
}

TEST_F(ServerTest, CrossSiteRequestsAreRefused) {
  auto c = server_->client();
  const std::string path = "/api/operations/kpis_slice";
  expect_error(c.Post(path, {{"Origin", "http://evil.example"}}, "{}", "application/json"), 403,
               "cross-site");
  expect_error(c.Post(path, {{"Sec-Fetch-Site", "cross-site"}}, "{}", "application/json"), 403,
               "cross-site");
  expect_error(c.Post(path, "{}", "text/plain"), 415, "application/json");
  const std::string own = "http://127.0.0.1:" + std::to_string(server_->port());
  const auto same =
      c.Post(path, {{"Origin", own}, {"Sec-Fetch-Site", "same-origin"}}, "{}", "application/json");
  ASSERT_TRUE(same);
  EXPECT_EQ(same->status, 200) << same->body;
}

TEST_F(ServerTest, AskAnswersWithThePathAndTheFilters) {
  auto c = server_->client();
  const json filters = {{"rfm_segment", {"Loyal", "Champions"}}};
  const auto r =
      post(c, "/api/ask",
           {{"question", "Where should we focus retention efforts?"}, {"filters", filters}});
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  const json a = body(r);
  EXPECT_EQ(a.at("planner"), "rules");
  EXPECT_EQ(a.at("narrator"), "template");
  EXPECT_EQ(a.at("filters"), filters);
  EXPECT_GE(a.at("plan").size(), 3u);
  EXPECT_FALSE(a.at("answer").get<std::string>().empty());
  EXPECT_FALSE(a.at("facts").empty());
}

// A follow-up sends the previous answer as the context: the intent is kept, the province
// changes, and the answer says what it inherited.
TEST_F(ServerTest, AskFollowsUpOnThePreviousAnswer) {
  auto c = server_->client();
  const auto first = post(c, "/api/ask", {{"question", "Who is most likely to leave in Ontario?"}});
  ASSERT_TRUE(first);
  ASSERT_EQ(first->status, 200) << first->body;
  const json previous = body(first);
  const auto next = post(c, "/api/ask", {{"question", "And in Quebec?"}, {"context", previous}});
  ASSERT_TRUE(next);
  ASSERT_EQ(next->status, 200) << next->body;
  const json a = body(next);
  EXPECT_EQ(a.at("intents").at(0), "individuals");
  EXPECT_EQ(a.at("filters").at("province"), json::array({"Quebec"}));
  EXPECT_EQ(a.at("follow_up").at("of"), "Who is most likely to leave in Ontario?");
  EXPECT_EQ(a.at("follow_up").at("changed"), json::array({"provinces"}));
  expect_error(post(c, "/api/ask", {{"question", "And in Quebec?"}, {"context", "previous"}}), 400,
               "the context must be a previous answer (a JSON object with question, intents and "
               "slots)");
}

TEST_F(ServerTest, CustomerByLoyaltyNumberWithoutPersonalFields) {
  auto c = server_->client();
  const auto r = c.Get("/api/customers/108");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  const json p = body(r).at("result");
  EXPECT_EQ(p.at("loyalty_number"), 108);
  EXPECT_EQ(p.at("attributes").at("province"), "British Columbia");
  EXPECT_FALSE(p.at("attributes").contains("postal_code"));
  EXPECT_FALSE(p.at("attributes").contains("salary"));
  EXPECT_EQ(r->body.find("T9G"), std::string::npos);
  expect_error(c.Get("/api/customers/999999"), 404, "no member with loyalty number 999999");
}

TEST_F(ServerTest, PersonalFieldsLeaveOnlyWhenAllowed) {
  server::ServerOptions options;
  options.rules.show_pii = true;
  RunningServer open(*lake_, options);
  auto c = open.client();
  const json p = body(c.Get("/api/customers/108")).at("result");
  EXPECT_EQ(p.at("attributes").at("postal_code"), "T9G 8W3");
  EXPECT_DOUBLE_EQ(p.at("attributes").at("salary").get<double>(), 58000.0);
  // Quarantined rows: raw records only with the flag.
  const json dq = body(post(c, "/api/operations/data_quality", json::object()));
  EXPECT_TRUE(
      dq.at("result").at("files").at(1).at("quarantine_sample").at(0).contains("raw_record"));
  auto hidden = server_->client();
  const json dq_hidden = body(post(hidden, "/api/operations/data_quality", json::object()));
  const json sample = dq_hidden.at("result").at("files").at(1).at("quarantine_sample").at(0);
  EXPECT_FALSE(sample.contains("raw_record"));
  EXPECT_EQ(sample.at("line"), 17);
}

// Every route, every operation, every exportable table, every member: without
// AIRLINE_SHOW_PII no postal code or salary leaves the server, and every response carries the
// security headers.
TEST_F(ServerTest, PersonalDataLeavesByNoRouteAndEveryResponseHasTheHeaders) {
  auto c = server_->client();
  int responses = 0;
  auto check = [&](const httplib::Result& r, const std::string& what) {
    ASSERT_TRUE(r) << what;
    ++responses;
    EXPECT_EQ(r->status, 200) << what << ": " << r->body.substr(0, 300);
    // The fixture's postal codes all start "T9G"; the fields by name, as JSON keys or CSV
    // columns ("salary" alone may name a model feature, which is not personal data).
    for (const char* leak : {"T9G", "\"postal_code\"", "\"salary\"", "\"Salary\""}) {
      EXPECT_EQ(r->body.find(leak), std::string::npos) << what << " leaks " << leak;
    }
    std::string first_line = r->body.substr(0, r->body.find('\n'));
    if (!first_line.empty() && first_line.back() == '\r') {
      first_line.pop_back();
    }
    if (r->get_header_value("Content-Type").rfind("text/csv", 0) == 0) {
      for (const char* column : {"postal_code", "salary"}) {
        EXPECT_EQ(("," + first_line + ",").find("," + std::string(column) + ","), std::string::npos)
            << what;
      }
    }
    EXPECT_FALSE(r->get_header_value("Content-Security-Policy").empty()) << what;
    EXPECT_EQ(r->get_header_value("X-Content-Type-Options"), "nosniff") << what;
    EXPECT_EQ(r->get_header_value("X-Frame-Options"), "DENY") << what;
  };
  check(c.Get("/api/health"), "health");
  const json catalogue = body(c.Get("/api/operations"));
  check(c.Get("/api/operations"), "operations");
  const std::map<std::string, json> params = {
      {"customer_profile", {{"loyalty_number", 108}}},
      {"segment_comparison", {{"segment_a", "Champions"}, {"segment_b", "Dormant"}}}};
  int operations = 0;
  for (const auto& op : catalogue.at("operations")) {
    const std::string name = op.at("name");
    const json p = params.count(name) ? params.at(name) : json::object();
    const auto r = post(c, "/api/operations/" + name, {{"params", p}, {"filters", json::object()}});
    check(r, name);
    ++operations;
    // Every table of the result, as CSV.
    const json result = body(r).at("result");
    for (const auto& [key, value] : result.items()) {
      if (value.is_array() && !value.empty() && value.at(0).is_object()) {
        check(post(c, "/api/export/" + name,
                   {{"params", p}, {"filters", json::object()}, {"table", key}}),
              name + " CSV " + key);
      }
    }
  }
  EXPECT_EQ(operations, 28);
  for (const auto& m : fixture_members()) {
    check(c.Get("/api/customers/" + std::to_string(m.loyalty_number)), "customer");
  }
  for (const char* q : {"What is the postal code and salary of member 108?",
                        "Tell me everything about customer 108", "Who should we reward?"}) {
    check(post(c, "/api/ask", {{"question", q}}), q);
  }
  EXPECT_GE(responses, 60);
}

TEST_F(ServerTest, RedactionCoversKeysAndQuarantinedValues) {
  json j = {{"rows",
             {{{"postal_code", "T9G 1W3"}, {"Salary", 1}, {"city", "Edmonton"}},
              {{"column_name", "Salary"}, {"value", "-5"}, {"raw_record", "1,2"}, {"line", 3}},
              {{"column_name", "Total Flights"}, {"value", "-5"}}}}};
  server::redact_pii(j);
  EXPECT_EQ(j.at("rows").at(0), json({{"city", "Edmonton"}}));
  EXPECT_EQ(j.at("rows").at(1),
            json({{"column_name", "Salary"}, {"value", "(hidden)"}, {"line", 3}}));
  EXPECT_EQ(j.at("rows").at(2).at("value"), "-5");
}

TEST_F(ServerTest, CsvExportOfAnyTable) {
  auto c = server_->client();
  const auto r = post(c, "/api/export/top_risk_customers",
                      {{"params", {{"top_n", 3}}}, {"filters", json::object()}, {"table", "rows"}});
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(r->get_header_value("Content-Type"), "text/csv; charset=utf-8");
  EXPECT_EQ(r->get_header_value("Content-Disposition"),
            "attachment; filename=\"top_risk_customers-rows.csv\"");
  const std::string& csv = r->body;
  EXPECT_EQ(csv.rfind("loyalty_number,", 0), 0u) << csv;
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 4);  // header + 3 rows
  auto context = ops::OpsContext::open(*lake_);
  const json top = ops::run_operation(*context, "top_risk_customers", {{"top_n", 3}}, {});
  const std::string first =
      std::to_string(top.at("result").at("rows").at(0).at("loyalty_number").get<std::int64_t>());
  EXPECT_NE(csv.find("\r\n" + first + ","), std::string::npos) << csv;
  expect_error(post(c, "/api/export/kpis_slice", json::object()), 400, "no table");
  expect_error(post(c, "/api/export/top_risk_customers", {{"table", "nope"}}), 400,
               "its tables: rows");
}

TEST_F(ServerTest, CsvCellsAreQuotedAndFormulasDisarmed) {
  const json result = {
      {"rows",
       {{{"name", "=HYPERLINK(\"x\")"}, {"n", 1}}, {{"name", "a,b"}, {"n", -2}, {"extra", true}}}}};
  const std::string csv = server::table_csv(result, "rows");
  // Columns in the rows' key order, then keys first seen later; a negative number stays one.
  EXPECT_EQ(csv, "n,name,extra\r\n1,\"'=HYPERLINK(\"\"x\"\")\",\r\n-2,\"a,b\",true\r\n");
}

TEST_F(ServerTest, TokenGuardsEveryApiRoute) {
  server::ServerOptions options;
  options.rules.auth_token = "0123456789abcdef0123";
  RunningServer guarded(*lake_, options);
  auto c = guarded.client();
  expect_error(c.Get("/api/health"), 401, "authentication required");
  expect_error(c.Get("/api/operations"), 401, "authentication required");
  expect_error(c.Get("/api/customers/108"), 401, "authentication required");
  expect_error(post(c, "/api/ask", {{"question", "hi"}}), 401, "authentication required");
  expect_error(post(c, "/api/export/top_risk_customers", json::object()), 401,
               "authentication required");
  expect_error(c.Get("/api/health", {{"Authorization", "Bearer wrong"}}), 401, "");
  expect_error(c.Get("/api/health", {{"Authorization", "Bearer 0123456789abcdef012"}}), 401, "");
  const auto ok = c.Get("/api/health", {{"Authorization", "Bearer 0123456789abcdef0123"}});
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 200);
  EXPECT_TRUE(body(ok).at("auth").get<bool>());
}

TEST_F(ServerTest, RequestRateIsCapped) {
  server::ServerOptions options;
  options.rules.rate_limit_per_minute = 10;
  RunningServer capped(*lake_, options);
  auto c = capped.client();
  for (int i = 0; i < 10; ++i) {
    ASSERT_EQ(c.Get("/api/health")->status, 200) << i;
  }
  const auto r = c.Get("/api/health");
  expect_error(r, 429, "too many requests");
  EXPECT_EQ(r->get_header_value("Retry-After"), "60");
}

TEST_F(ServerTest, ServesTheBuiltWebAppWithTheSameHeaders) {
  TempDir web;
  write_text(web / "index.html", "<!doctype html><title>Airline</title>");
  fs::create_directories(web / "assets");
  std::string script;
  for (int i = 0; i < 400; ++i) {
    script += "console.log('line " + std::to_string(i) + "');\n";
  }
  write_text(web / "assets" / "app.js", script);
  server::ServerOptions options;
  options.web_root = web.path();
  RunningServer with_web(*lake_, options);
  auto c = with_web.client();
  const auto index = c.Get("/");
  ASSERT_TRUE(index);
  EXPECT_EQ(index->status, 200);
  EXPECT_NE(index->body.find("<title>Airline</title>"), std::string::npos);
  EXPECT_EQ(index->get_header_value("X-Frame-Options"), "DENY");
  const auto js = c.Get("/assets/app.js", {{"Accept-Encoding", "gzip, deflate, br"}});
  ASSERT_TRUE(js);
  EXPECT_EQ(js->status, 200);
  EXPECT_NE(js->get_header_value("Content-Type").find("javascript"), std::string::npos);
  // Sent gzip-compressed by the server itself (never Brotli at its slowest), cached for good.
  EXPECT_EQ(js->get_header_value("Content-Encoding"), "gzip");
  EXPECT_EQ(js->body, script);
  EXPECT_EQ(js->get_header_value("Cache-Control"), "public, max-age=31536000, immutable");
  EXPECT_EQ(index->get_header_value("Cache-Control"), "no-cache");
  httplib::Client plain("127.0.0.1", with_web.port());
  plain.set_decompress(false);
  const auto raw = plain.Get("/assets/app.js", {{"Accept-Encoding", "identity"}});
  ASSERT_TRUE(raw);
  EXPECT_EQ(raw->get_header_value("Content-Encoding"), "");
  EXPECT_EQ(raw->body, script);
  const auto escape = c.Get("/assets/../../etc/passwd");
  ASSERT_TRUE(escape);
  EXPECT_NE(escape->status, 200);
  EXPECT_EQ(escape->body.find("root:"), std::string::npos);
  // Without a built app the root says what to run.
  expect_error(server_->client().Get("/"), 404, "make web");
}

TEST_F(ServerTest, ARepublishedSnapshotIsPickedUpWithoutAFailedRequest) {
  TempDir dir;
  core::Lake lake = write_fixture_lake(dir / "lake");
  server::ServerOptions options;
  options.rules.rate_limit_per_minute = 100000000;  // the load below is not what is tested
  RunningServer live(lake, options, std::chrono::milliseconds(50));
  const std::string before = body(live.client().Get("/api/health")).at("snapshot").at("id");
  const std::weak_ptr<server::Snapshot> old = live.snapshots().current();

  std::atomic<bool> done{false};
  std::atomic<int> ok{0};
  std::atomic<int> failed{0};
  std::thread load([&] {
    auto c = live.client();
    while (!done) {
      const auto r = c.Post("/api/operations/summary_by_segment", "{}", "application/json");
      (r && r->status == 200 ? ok : failed)++;
    }
  });
  struct Join {
    std::atomic<bool>& done;
    std::thread& thread;
    ~Join() {
      done = true;
      if (thread.joinable()) {
        thread.join();
      }
    }
  } join_on_exit{done, load};
  // The pipeline publishes a new warehouse by rename, as `run` does.
  core::Lake next = write_fixture_lake(dir / "next");
  fs::rename(next.warehouse(), lake.warehouse());
  const std::string expected = server::SnapshotSource::identity_of(lake.warehouse());
  std::string now = before;
  for (int i = 0; i < 200 && now != expected; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    now = body(live.client().Get("/api/health")).at("snapshot").at("id");
  }
  done = true;
  load.join();
  EXPECT_EQ(now, expected);
  EXPECT_NE(now, before);
  EXPECT_EQ(live.snapshots().reloads(), 1);
  EXPECT_GT(ok.load(), 0);
  EXPECT_EQ(failed.load(), 0);
  // Loaded, swapped, and the old one released once its last request ended: two snapshots
  // are held only while the new one loads.
  EXPECT_TRUE(old.expired());
}

json body_of(const httplib::Result& r) { return json::parse(r->body); }

// The server listens before the snapshot is in: /api/health answers "loading" at once, the
// operations 503 with Retry-After, and both answer normally once it is in.
TEST(ServerLoading, HealthSaysLoadingUntilTheSnapshotIsIn) {
  TempDir dir;
  core::Lake lake = write_fixture_lake(dir / "lake");
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  RunningServer live(lake, {}, std::chrono::milliseconds(50), false,
                     [released] { released.wait(); });
  // Let the load go on however the test ends, or stopping the server would wait on it.
  struct Release {
    std::promise<void>& promise;
    bool done = false;
    void operator()() {
      if (!done) {
        done = true;
        promise.set_value();
      }
    }
    ~Release() { (*this)(); }
  } let_go{release};
  auto c = live.client();
  const json loading = body_of(c.Get("/api/health"));
  EXPECT_EQ(loading.at("status"), "loading");
  EXPECT_TRUE(loading.at("members").is_null());
  EXPECT_TRUE(loading.at("snapshot").is_null());
  EXPECT_GE(loading.at("loading_seconds").get<double>(), 0);
  const auto early = c.Post("/api/operations/kpis_slice", "{}", "application/json");
  ASSERT_TRUE(early);
  EXPECT_EQ(early->status, 503);
  EXPECT_EQ(early->get_header_value("Retry-After"), "1");
  EXPECT_NE(early->body.find("loading"), std::string::npos) << early->body;
  let_go();
  live.snapshots().wait();
  const json ready = body_of(c.Get("/api/health"));
  EXPECT_EQ(ready.at("status"), "ok");
  EXPECT_EQ(ready.at("members"), fixture_members().size());
  EXPECT_GE(ready.at("snapshot").at("load_seconds").get<double>(), 0);
  const auto later = c.Post("/api/operations/kpis_slice", "{}", "application/json");
  ASSERT_TRUE(later);
  EXPECT_EQ(later->status, 200);
}

TEST_F(ServerTest, ABrokenNewSnapshotKeepsTheLastGoodOne) {
  TempDir dir;
  core::Lake lake = write_fixture_lake(dir / "lake");
  RunningServer live(lake, {}, std::chrono::milliseconds(50));
  const std::string before = body(live.client().Get("/api/health")).at("snapshot").at("id");
  write_text(dir / "broken.duckdb", "not a database");
  fs::rename(dir / "broken.duckdb", lake.warehouse());
  json h;
  for (int i = 0; i < 200; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    h = body(live.client().Get("/api/health"));
    if (!h.at("reload_error").get<std::string>().empty()) {
      break;
    }
  }
  EXPECT_FALSE(h.at("reload_error").get<std::string>().empty());
  EXPECT_EQ(h.at("snapshot").at("id"), before);
  const auto r = live.client().Post("/api/operations/kpis_slice", "{}", "application/json");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(body(r).at("result").at("customers"), fixture_members().size());
}

// A snapshot that cannot be loaded at start: the server still answers, says why, and picks up
// the next publication.
TEST(ServerLoading, AFirstSnapshotThatFailsIsReportedAndTheNextOneIsLoaded) {
  TempDir dir;
  core::Lake lake = write_fixture_lake(dir / "lake");
  const fs::path good = dir / "good.duckdb";
  fs::rename(lake.warehouse(), good);
  write_text(lake.warehouse(), "not a database");
  RunningServer live(lake, {}, std::chrono::milliseconds(50), false);
  EXPECT_THROW(live.snapshots().wait(), core::AppError);
  EXPECT_EQ(live.snapshots().status(), "failed");
  EXPECT_FALSE(live.snapshots().last_error().empty());
  auto c = live.client();
  EXPECT_EQ(body_of(c.Get("/api/health")).at("status"), "failed");
  const auto refused = c.Post("/api/operations/kpis_slice", "{}", "application/json");
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 503);
  EXPECT_NE(refused->body.find("could not be loaded"), std::string::npos) << refused->body;
  fs::rename(good, lake.warehouse());  // the pipeline publishes a good one
  json h;
  for (int i = 0; i < 200; ++i) {
    h = body_of(c.Get("/api/health"));
    if (h.at("status") == "ok") {
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_EQ(h.at("status"), "ok");
  EXPECT_EQ(h.at("members"), fixture_members().size());
}

TEST(ServeCli, PrintsItsUrlAndStopsByItself) {
  TempDir dir;
  write_fixture_lake(dir / "lake");
  const auto r = run_cli({"serve", "--lake", (dir / "lake").string(), "--port", "0", "--stop-after",
                          "1", "--web", (dir / "no-web").string()});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("Dashboard: http://127.0.0.1:"), std::string::npos) << r.out;
  EXPECT_NE(r.err.find("no web app"), std::string::npos) << r.err;
  const auto missing = run_cli({"serve", "--lake", (dir / "none").string(), "--port", "0"});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("run `airline-analytics run` first"), std::string::npos)
      << missing.err;
}

}  // namespace
}  // namespace aa::test
