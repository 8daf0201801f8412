// The event feed (SSE resumable by Last-Event-ID, filterable by category; the paged JSON
// variant; scoped to what each caller may read; payloads as JSON with what a verifier needs),
// /v1/openapi.json listing every route, /metrics in Prometheus text, /healthz.
#include <functional>
#include <regex>
#include <set>

#include "api_fixture.h"
#include "docket/domain/case.h"
#include "docket/domain/service.h"
#include "docket/engine/sha256.h"

namespace docket::api::testing {
namespace {

struct SseEvent {
  std::uint64_t id = 0;
  std::string type;
  json::value data;
};

// Opens the SSE feed and reads until `count` events arrived (or 30 s passed), then, when `quiet`
// is not zero, goes on reading for that long to catch any event beyond those; then disconnects.
std::vector<SseEvent> read_feed(std::uint16_t port, const std::string& target,
                                const Headers& headers, std::size_t count,
                                std::chrono::milliseconds quiet = std::chrono::milliseconds(0)) {
  net::io_context ioc;
  beast::tcp_stream stream(ioc);
  stream.expires_after(std::chrono::seconds(30));
  stream.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
  beast::http::request<beast::http::empty_body> req{beast::http::verb::get, target, 11};
  req.set(beast::http::field::host, "127.0.0.1");
  req.set(beast::http::field::accept, "text/event-stream");
  for (const auto& [k, v] : headers)
    req.set(k, v);
  beast::http::write(stream, req);
  beast::flat_buffer buffer;
  beast::http::response_parser<beast::http::string_body> parser;
  parser.body_limit(64u << 20);
  std::vector<SseEvent> events;
  std::size_t parsed_to = 0;
  bool quiet_started = false;
  while (events.size() < count || quiet.count() > 0) {
    if (events.size() >= count && !quiet_started) {
      quiet_started = true;
      stream.expires_after(quiet);
    }
    beast::error_code ec;
    beast::http::read_some(stream, buffer, parser, ec);
    if (ec) {
      if (!quiet_started)
        ADD_FAILURE() << "feed read failed after " << events.size() << " events: " << ec.message();
      break;
    }
    EXPECT_EQ(parser.get().result_int(), 200u);
    EXPECT_EQ(parser.get()[beast::http::field::content_type], "text/event-stream");
    const auto& body = parser.get().body();
    for (;;) {
      const auto end = body.find("\n\n", parsed_to);
      if (end == std::string::npos)
        break;
      const auto block = body.substr(parsed_to, end - parsed_to);
      parsed_to = end + 2;
      SseEvent e;
      std::size_t line_start = 0;
      while (line_start < block.size()) {
        auto line_end = block.find('\n', line_start);
        if (line_end == std::string::npos)
          line_end = block.size();
        const auto line = block.substr(line_start, line_end - line_start);
        if (line.rfind("id: ", 0) == 0)
          e.id = std::stoull(line.substr(4));
        else if (line.rfind("event: ", 0) == 0)
          e.type = line.substr(7);
        else if (line.rfind("data: ", 0) == 0)
          e.data = json::parse(line.substr(6));
        line_start = line_end + 1;
      }
      if (e.id != 0)
        events.push_back(std::move(e));
    }
  }
  beast::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
  return events;
}

class FeedTest : public ApiTest {
 protected:
  Headers key() const { return {{"X-Api-Key", "cms0103." + std::string(kCourtSystemKey)}}; }
  // The auditor reads every event.
  Headers auditor_key() {
    if (auditor_token_.empty())
      auditor_token_ = person("auditor01")->bearer;
    return {{"Authorization", "Bearer " + auditor_token_}};
  }
  std::unique_ptr<Client> auditor() {
    auto c = std::make_unique<Client>(port());
    auditor_key();
    c->bearer = auditor_token_;
    return c;
  }
  std::string auditor_token_;
};

TEST_F(FeedTest, TheEventFeedResumesAfterTheLastEventId) {
  const auto headers_of_auditor = auditor_key();
  const auto total = last();
  ASSERT_GE(total, 6u) << "the demo bootstrap wrote events";
  auto first = read_feed(port(), "/v1/events/stream", headers_of_auditor, 3);
  ASSERT_EQ(first.size(), 3u);
  EXPECT_EQ(first[0].id, 1u);
  EXPECT_EQ(first[2].id, 3u);
  EXPECT_EQ(first[1].data.as_object()["position"].to_number<std::uint64_t>(), 2u);
  EXPECT_FALSE(first[1].type.empty());

  auto headers = headers_of_auditor;
  headers.emplace_back("Last-Event-ID", std::to_string(first.back().id));
  auto resumed = read_feed(port(), "/v1/events/stream", headers, 2);
  ASSERT_EQ(resumed.size(), 2u);
  EXPECT_EQ(resumed[0].id, 4u) << "no event is lost or repeated";
  EXPECT_EQ(resumed[1].id, 5u);
}

TEST_F(FeedTest, TheFeedDeliversEventsCommittedWhileItIsOpen) {
  auto headers = auditor_key();
  const auto before = last();
  std::vector<SseEvent> live;
  std::thread reader([&] {
    headers.emplace_back("Last-Event-ID", std::to_string(before));
    live = read_feed(port(), "/v1/events/stream?category=lawyer", headers, 1);
  });
  auto lawyer = person(std::string(kFiler));  // changes the password: a lawyer event
  reader.join();
  ASSERT_EQ(live.size(), 1u);
  EXPECT_GT(live[0].id, before);
  EXPECT_EQ(live[0].data.as_object()["stream"].as_string(), "lawyer-" + std::string(kFiler));
}

TEST_F(FeedTest, TheFeedFiltersByCategory) {
  auto events = read_feed(port(), "/v1/events/stream?category=staff", auditor_key(), 3);
  ASSERT_EQ(events.size(), 3u);
  for (const auto& e : events)
    EXPECT_EQ(e.data.as_object().at("stream").as_string().subview().substr(0, 6), "staff-");
}

TEST_F(FeedTest, ThePagedFeedResumesFromNextAfter) {
  auto cms = auditor();
  const auto total = last();
  auto page = cms->get("/v1/events?limit=2");
  ASSERT_EQ(page.status, 200u) << page;
  const auto body = page.json();
  const auto& events = body.as_object().at("events").as_array();
  ASSERT_EQ(events.size(), 2u);
  const auto next = page.number("next_after");
  EXPECT_EQ(next, 2u);
  auto rest = cms->get("/v1/events?after=" + std::to_string(next) + "&limit=1000");
  ASSERT_EQ(rest.status, 200u) << rest;
  EXPECT_EQ(rest.json().as_object()["events"].as_array().size(), total - 2);
  EXPECT_EQ(rest.json()
                .as_object()["events"]
                .as_array()[0]
                .as_object()["position"]
                .to_number<std::uint64_t>(),
            3u);
  auto lawyers = cms->get("/v1/events?category=lawyer,court&limit=1000");
  const auto listed = lawyers.json();
  for (const auto& e : listed.as_object().at("events").as_array()) {
    const std::string stream(e.as_object().at("stream").as_string());
    EXPECT_TRUE(stream.rfind("lawyer-", 0) == 0 || stream.rfind("court-", 0) == 0) << stream;
  }
}

TEST_F(FeedTest, OpenApiListsEveryRouteOfTheTable) {
  auto r = anonymous()->get("/v1/openapi.json");
  ASSERT_EQ(r.status, 200u);
  auto doc = r.json();
  EXPECT_EQ(doc.as_object()["openapi"].as_string().subview().substr(0, 2), "3.");
  const auto& paths = doc.as_object()["paths"].as_object();
  std::set<std::string> operations;
  std::size_t count = 0;
  for (const auto& [path, item] : paths) {
    for (const auto& [method, op] : item.as_object()) {
      operations.insert(std::string(op.as_object().at("operationId").as_string()));
      ++count;
    }
  }
  EXPECT_EQ(count, server().routes().size());
  for (const auto& route : server().routes()) {
    EXPECT_TRUE(operations.count(route.operation)) << route.operation;
    std::string method(beast::http::to_string(route.method));
    for (auto& c : method)
      c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const auto* item = paths.if_contains(route.path);
    ASSERT_NE(item, nullptr) << route.path;
    EXPECT_TRUE(item->as_object().contains(method)) << route.path << " " << method;
  }
  for (const char* ecf :
       {"RecordDocketing", "ScheduleHearing", "ServeFiling", "GetCase", "GetCaseList",
        "GetDocument", "GetFeesCalculation", "GetPolicy", "GetFilingStatus", "CancelFiling",
        "PushEvidenceExchange", "PushFileReviewMaterial"})
    EXPECT_TRUE(operations.count(ecf)) << ecf;
}

TEST_F(FeedTest, MetricsAreParseablePrometheusText) {
  auto lawyer = person(std::string(kFiler));
  EXPECT_EQ(lawyer->get("/v1/me/home").status, 200u);
  auto r = anonymous()->get("/metrics");
  ASSERT_EQ(r.status, 200u);
  EXPECT_EQ(r.header("content-type").rfind("text/plain", 0), 0u);
  const std::regex sample(R"(^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})? (-?[0-9.eE+-]+|\+Inf|NaN)$)");
  const std::regex comment(R"(^# (HELP|TYPE) [a-zA-Z_:][a-zA-Z0-9_:]* .+$)");
  std::set<std::string> names;
  std::size_t start = 0;
  const auto& body = r.body;
  while (start < body.size()) {
    auto end = body.find('\n', start);
    if (end == std::string::npos)
      end = body.size();
    const auto line = body.substr(start, end - start);
    start = end + 1;
    if (line.empty())
      continue;
    std::smatch m;
    if (line[0] == '#') {
      EXPECT_TRUE(std::regex_match(line, comment)) << line;
      continue;
    }
    ASSERT_TRUE(std::regex_match(line, m, sample)) << line;
    names.insert(m[1]);
  }
  for (const char* name :
       {"docket_http_requests_total", "docket_http_request_duration_seconds_bucket",
        "docket_store_batches_total", "docket_store_events_total", "docket_store_batch_size_mean",
        "docket_projection_lag_events", "docket_http_connections_open"})
    EXPECT_TRUE(names.count(name)) << name;
  EXPECT_NE(body.find("operation=\"GetLawyerHome\",status=\"2xx\"} 1"), std::string::npos);
}

TEST_F(FeedTest, HealthReportsTheReadModelsLag) {
  settle();
  auto r = anonymous()->get("/healthz");
  ASSERT_EQ(r.status, 200u);
  EXPECT_EQ(r.text("status"), "ok");
  EXPECT_EQ(r.number("last_position"), last());
  EXPECT_EQ(r.number("projection_lag"), 0u);
}

// Two courts, each with a filing accepted into a case, a payment notice, a judge and a served
// document; the lawyers kFiler and kCoAgent are agents in both, kOutsider in neither.
class FeedScopeTest : public FeedTest {
 protected:
  static constexpr std::string_view kOtherCourt = "渝0105";

  void SetUp() override {
    FeedTest::SetUp();
    auto admin = person("admin");
    auto court = admin->post(
        "/v1/courts",
        json::object{
            {"code", kOtherCourt},
            {"name", "重庆市江北区人民法院"},
            {"code_lists",
             json::object{
                 {"case_categories", json::array{json::object{{"code", "civil_first_instance"},
                                                              {"name", "民事一审"},
                                                              {"case_number_code", "民初"}}}},
                 {"application_types",
                  json::array{json::object{{"code", "complaint"}, {"name", "起诉"}}}},
                 {"material_types",
                  json::array{json::object{{"code", "complaint"}, {"name", "起诉状"}}}},
                 {"document_types",
                  json::array{json::object{{"code", "summons"}, {"name", "传票"}}}}}},
            {"policy", json::object{{"fee_schedule",
                                     json::object{{"civil_first_instance",
                                                   json::object{{"fixed_fee_fen", 5'000}}}}}}}});
    ASSERT_EQ(court.status, 201u) << court;
    auto cms = admin->post("/v1/staff", json::object{{"staff_id", "cms0105"},
                                                     {"name", "江北区法院案件管理系统"},
                                                     {"role", "court_system"},
                                                     {"court", kOtherCourt}});
    ASSERT_EQ(cms.status, 201u) << cms;
    other_key_ = cms.text("api_key");
    ASSERT_FALSE(other_key_.empty()) << cms;
    for (const char* id : {"clerk05", "judge05"}) {
      auto staff = admin->post(
          "/v1/staff",
          json::object{{"staff_id", id},
                       {"name", id},
                       {"role", std::string_view(id).substr(0, 5) == "clerk" ? "clerk" : "judge"},
                       {"court", kOtherCourt},
                       {"initial_password", std::string("initial-") + id}});
      ASSERT_EQ(staff.status, 201u) << staff;
    }

    lawyer_ = person(std::string(kFiler));
    here_ = handled(*lawyer_, std::string(kCourt), "filing-here", *person("clerk01"),
                    *court_system(), "judge01", *person("judge01"));
    there_ = handled(*lawyer_, std::string(kOtherCourt), "filing-there", *staff("clerk05"),
                     *other_court_system(), "judge05", *staff("judge05"));
    settle();
  }

  // What one court's filing became.
  struct Handled {
    std::string court;
    std::string filing;
    std::string case_number;
    std::string service;
    // The streams of that court's filing, case, payment notice and served document.
    std::set<std::string> streams() const {
      return {"court-" + court, "filing-" + filing, "payment-" + filing,
              domain::case_stream(case_number), domain::service_stream(service)};
    }
  };

  Handled handled(Client& filer, const std::string& court, const std::string& key, Client& clerk,
                  Client& court_system, const std::string& judge_id, Client& judge) {
    Handled h;
    h.court = court;
    h.filing = submitted_filing(filer, key, court);
    auto accepted = clerk.post("/v1/filings/" + h.filing + "/accept");
    EXPECT_EQ(accepted.status, 200u) << accepted;
    h.case_number = accepted.text("case_number");
    settle();
    const std::string c = "/v1/cases/" + url_encode(h.case_number);
    auto assigned = court_system.post(c + "/judge", json::object{{"judge", judge_id}});
    EXPECT_EQ(assigned.status, 200u) << assigned;
    const auto blob = judge.upload(pdf("a summons of " + key));
    auto served = judge.post(c + "/services", json::object{{"document_type", "summons"},
                                                           {"title", "开庭传票"},
                                                           {"blob_hash", blob},
                                                           {"recipient_licence_number", kFiler}});
    EXPECT_EQ(served.status, 201u) << served;
    h.service = served.text("created_id");
    return h;
  }

  // A staff member of the other court, logged in with the first password changed.
  std::unique_ptr<Client> staff(const std::string& id) {
    auto c = std::make_unique<Client>(port());
    auto r = c->post("/v1/sessions", json::object{{"login", id}, {"password", "changed-" + id}});
    if (r.status == 401) {  // the first login
      r = c->post("/v1/sessions", json::object{{"login", id}, {"password", "initial-" + id}});
      EXPECT_EQ(r.status, 201u) << r;
      c->bearer = r.text("token");
      auto changed = c->post("/v1/me/password", json::object{{"old_password", "initial-" + id},
                                                             {"new_password", "changed-" + id}});
      EXPECT_EQ(changed.status, 200u) << changed;
      return c;
    }
    EXPECT_EQ(r.status, 201u) << r;
    c->bearer = r.text("token");
    return c;
  }
  std::unique_ptr<Client> other_court_system() {
    auto c = std::make_unique<Client>(port());
    c->api_key = other_key_;
    return c;
  }

  // Every event the client's feed gives, page by page.
  std::vector<json::object> all_events(Client& client, const std::string& query = {}) {
    std::vector<json::object> out;
    std::uint64_t after = 0;
    for (int page = 0; page < 100; ++page) {
      auto r = client.get("/v1/events?limit=1000&after=" + std::to_string(after) + query);
      EXPECT_EQ(r.status, 200u) << r;
      if (r.status != 200u)
        break;
      auto body = r.json();
      for (const auto& e : body.as_object().at("events").as_array())
        out.push_back(e.as_object());
      after = body.as_object().at("next_after").to_number<std::uint64_t>();
      if (after >= body.as_object().at("last_position").to_number<std::uint64_t>())
        break;
    }
    return out;
  }

  static std::string stream_of(const json::object& e) {
    return std::string(e.at("stream").as_string());
  }
  static std::uint64_t position_of(const json::object& e) {
    return e.at("position").to_number<std::uint64_t>();
  }

  // A new event on a court's stream (its policy changed by the admin); its position.
  std::uint64_t court_event(std::string_view court) {
    if (!admin_)
      admin_ = person("admin");  // one client: its Idempotency-Keys never repeat
    auto r = admin_->post("/v1/courts/" + url_encode(court) + "/policy",
                          json::object{{"review_period_us", (10 + ++changes_) * kDayUs}});
    EXPECT_EQ(r.status, 200u) << r;
    return std::stoull(r.header("docket-position"));
  }
  // A new event on a lawyer's own stream (their profile edited); its position.
  std::uint64_t profile_event(Client& lawyer) {
    auto r = lawyer.post("/v1/me/profile",
                         json::object{{"phone", "1380000" + std::to_string(1000 + ++changes_)},
                                      {"email", "lawyer@example.cn"}});
    EXPECT_EQ(r.status, 200u) << r;
    return std::stoull(r.header("docket-position"));
  }

  // Reads the feed as `client` through both routes; checks that every event's stream passes
  // `allowed`, that each stream of `expected` shows up, and that the SSE stream gives exactly the
  // events of the pages. The stream is read past the end of the log as the pages saw it:
  // `readable` then appends an event the caller may read (after every event it may not) and
  // returns its position, and the stream must give it next, with nothing hidden before it.
  void expect_scope(const std::string& who, Client& client, const Headers& sse_headers,
                    const std::function<bool(const std::string&)>& allowed,
                    const std::set<std::string>& expected,
                    const std::function<std::uint64_t()>& readable) {
    SCOPED_TRACE(who);
    const auto events = all_events(client);
    ASSERT_FALSE(events.empty());
    const auto marker = readable();
    ASSERT_GT(marker, 0u);
    std::set<std::string> seen;
    for (const auto& e : events) {
      const auto stream = stream_of(e);
      EXPECT_TRUE(allowed(stream)) << who << " got " << stream << " " << e.at("type");
      seen.insert(stream);
    }
    for (const auto& stream : expected)
      EXPECT_TRUE(seen.count(stream)) << who << " did not get " << stream;
    auto streamed = read_feed(port(), "/v1/events/stream", sse_headers, events.size() + 1);
    ASSERT_EQ(streamed.size(), events.size() + 1) << who;
    for (std::size_t i = 0; i < events.size(); ++i) {
      EXPECT_EQ(streamed[i].id, position_of(events[i])) << who;
      EXPECT_TRUE(allowed(std::string(streamed[i].data.as_object().at("stream").as_string())));
    }
    EXPECT_EQ(streamed.back().id, marker) << who << ": nothing hidden came before it";
    EXPECT_TRUE(allowed(std::string(streamed.back().data.as_object().at("stream").as_string())));
  }

  static Headers bearer(const Client& c) { return {{"Authorization", "Bearer " + c.bearer}}; }

  std::unique_ptr<Client> lawyer_;
  std::string other_key_;
  Handled here_;
  Handled there_;
  int changes_ = 0;
  std::unique_ptr<Client> admin_;
};

bool starts_with(const std::string& text, std::string_view prefix) {
  return text.rfind(prefix, 0) == 0;
}

TEST_F(FeedScopeTest, ACourtSystemReadsOnlyItsOwnCourtsEventsThroughBothRoutes) {
  const auto here = here_.streams();
  const auto there = there_.streams();
  auto cms = court_system();
  expect_scope(
      "court system of 渝0103", *cms, key(),
      [&](const std::string& s) {
        return here.count(s) > 0 || starts_with(s, "case_number-" + std::string(kCourt));
      },
      here, [&] { return court_event(kCourt); });
  auto other = other_court_system();
  expect_scope(
      "court system of 渝0105", *other, {{"X-Api-Key", other_key_}},
      [&](const std::string& s) {
        return there.count(s) > 0 || starts_with(s, "case_number-" + std::string(kOtherCourt));
      },
      there, [&] { return court_event(kOtherCourt); });
}

TEST_F(FeedScopeTest, ClerksAndJudgesReadTheirCourtAsTheResourceRoutesShowIt) {
  const auto here = here_.streams();
  auto clerk = person("clerk01");
  expect_scope(
      "clerk of 渝0103", *clerk, bearer(*clerk),
      [&](const std::string& s) {
        return here.count(s) > 0 || starts_with(s, "case_number-" + std::string(kCourt));
      },
      here, [&] { return court_event(kCourt); });
  // A judge reads the court's settings and payment notices and the cases they are in charge of
  // with their served documents; not filings, not case-number allocations.
  const std::set<std::string> judged{"court-" + std::string(kCourt), "payment-" + here_.filing,
                                     domain::case_stream(here_.case_number),
                                     domain::service_stream(here_.service)};
  auto judge = person("judge01");
  expect_scope(
      "judge of 渝0103", *judge, bearer(*judge),
      [&](const std::string& s) { return judged.count(s) > 0; }, judged,
      [&] { return court_event(kCourt); });
  auto other_judge = staff("judge05");
  const std::set<std::string> judged_there{
      "court-" + std::string(kOtherCourt), "payment-" + there_.filing,
      domain::case_stream(there_.case_number), domain::service_stream(there_.service)};
  expect_scope(
      "judge of 渝0105", *other_judge, bearer(*other_judge),
      [&](const std::string& s) { return judged_there.count(s) > 0; }, judged_there,
      [&] { return court_event(kOtherCourt); });
}

TEST_F(FeedScopeTest, ALawyerReadsTheirOwnAccountFilingsCasesNoticesAndDocuments) {
  std::set<std::string> mine{"lawyer-" + std::string(kFiler)};
  for (const auto* h : {&here_, &there_}) {
    for (const auto& s : h->streams()) {
      if (!starts_with(s, "court-"))
        mine.insert(s);
    }
  }
  expect_scope(
      "the filer", *lawyer_, bearer(*lawyer_),
      [&](const std::string& s) { return mine.count(s) > 0; }, mine,
      [&] { return profile_event(*lawyer_); });
  auto outsider = person(std::string(kOutsider));
  const std::set<std::string> own{"lawyer-" + std::string(kOutsider)};
  expect_scope(
      "a lawyer of neither", *outsider, bearer(*outsider),
      [&](const std::string& s) { return own.count(s) > 0; }, own,
      [&] { return profile_event(*outsider); });
}

// Regression (a sibling of GetCase showing every case-file material's title to its lawyers): the
// feed gave an agent of the case every CaseFileMaterialAdded event, title and file included.
TEST_F(FeedScopeTest, ALawyersFeedLeavesOutTheCaseFilesMaterials) {
  auto judge = person("judge01");
  const std::string c = "/v1/cases/" + url_encode(here_.case_number);
  auto pushed = judge->post(
      c + "/file-materials",
      json::object{{"title", "合议庭评议笔录"}, {"blob_hash", judge->upload(pdf("评议"))}});
  ASSERT_EQ(pushed.status, 201u) << pushed;
  auto types_seen = [&](Client& reader) {
    std::multiset<std::string> types;
    auto page = reader.get("/v1/events?after=0&limit=1000");
    EXPECT_EQ(page.status, 200u) << page;
    const auto body = page.json();
    for (const auto& e : body.at("events").as_array())
      types.insert(std::string(e.as_object().at("type").as_string()));
    return types;
  };
  const auto lawyer_types = types_seen(*lawyer_);
  EXPECT_EQ(lawyer_types.count("CaseFileMaterialAdded"), 0u);
  EXPECT_GT(lawyer_types.count("CaseRegistered"), 0u) << "the case's other events still are";
  EXPECT_EQ(types_seen(*judge).count("CaseFileMaterialAdded"), 1u);
  auto category = lawyer_->get("/v1/events?category=case&after=0&limit=1000");
  ASSERT_EQ(category.status, 200u) << category;
  EXPECT_EQ(category.body.find("CaseFileMaterialAdded"), std::string::npos);
}

TEST_F(FeedScopeTest, AnAdminReadsAccountsAndCourtsAndAnAuditorEverything) {
  auto admin = person("admin");
  expect_scope(
      "admin", *admin, bearer(*admin),
      [&](const std::string& s) {
        return starts_with(s, "lawyer-") || starts_with(s, "staff-") || starts_with(s, "court-");
      },
      {"court-" + std::string(kCourt), "court-" + std::string(kOtherCourt), "staff-cms0105",
       "lawyer-" + std::string(kOutsider)},
      [&] { return court_event(kCourt); });
  auto all = auditor();
  std::set<std::string> everything;
  for (const auto* h : {&here_, &there_}) {
    for (const auto& s : h->streams())
      everything.insert(s);
  }
  everything.insert("staff-admin");
  expect_scope(
      "auditor", *all, auditor_key(), [](const std::string&) { return true; }, everything,
      [&] { return court_event(kCourt); });
  EXPECT_EQ(all_events(*all).size(), last()) << "the auditor reads every event";
}

TEST_F(FeedScopeTest, ACategoryFilterNeverWidensTheScope) {
  auto cms = court_system();
  for (const char* category : {"filing", "lawyer", "staff", "case,payment,service"}) {
    for (const auto& e : all_events(*cms, std::string("&category=") + category)) {
      const auto stream = stream_of(e);
      EXPECT_TRUE(here_.streams().count(stream)) << category << ": " << stream;
    }
  }
  EXPECT_TRUE(all_events(*cms, "&category=lawyer").empty());
  EXPECT_TRUE(all_events(*cms, "&category=staff").empty());
  EXPECT_FALSE(all_events(*cms, "&category=filing").empty());
}

TEST_F(FeedScopeTest, ACourtSystemReadsAFilingEventAsJsonWithNamedFields) {
  auto cms = court_system();
  const auto events = all_events(*cms, "&category=filing");
  const json::object* parties = nullptr;
  const json::object* court = nullptr;
  for (const auto& e : events) {
    EXPECT_EQ(stream_of(e), "filing-" + here_.filing);
    EXPECT_FALSE(e.contains("payload_base64"));
    EXPECT_GE(e.at("schema_version").to_number<std::uint32_t>(), 1u) << e;
    if (e.at("type") == "PartiesSaved")
      parties = &e;
    if (e.at("type") == "CourtChosen")
      court = &e;
  }
  ASSERT_NE(parties, nullptr);
  ASSERT_NE(court, nullptr);
  const auto& list = parties->at("payload").at("parties").as_array();
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0].at("party_id"), "p1");
  EXPECT_EQ(list[0].at("name"), "李四");
  EXPECT_EQ(list[1].at("name"), "重庆某某有限公司");
  EXPECT_EQ(court->at("payload").at("court").as_string(), kCourt);
}

std::string from_base64(std::string_view text) {
  static const std::string kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::uint32_t bits = 0;
  int count = 0;
  for (char c : text) {
    if (c == '=')
      break;
    const auto at = kAlphabet.find(c);
    if (at == std::string::npos)
      return {};
    bits = (bits << 6) | static_cast<std::uint32_t>(at);
    count += 6;
    if (count >= 8) {
      count -= 8;
      out.push_back(static_cast<char>((bits >> count) & 0xff));
    }
  }
  return out;
}

// Checks one feed event against the hash rule of doc/format.md, from the event alone.
void expect_verifies(const json::object& e) {
  const auto position = e.at("position").to_number<std::uint64_t>();
  ASSERT_TRUE(e.contains("envelope_base64")) << e;
  const auto envelope = from_base64(e.at("envelope_base64").as_string());
  const auto previous = engine::hash_from_hex(e.at("previous_hash").as_string());
  ASSERT_TRUE(previous.has_value()) << e;
  EXPECT_EQ(engine::to_hex(engine::chain_hash(*previous, envelope)),
            std::string(e.at("hash").as_string()))
      << "position " << position;
  // The bytes hashed are the event the feed shows.
  std::string record(32, '\0');
  record += envelope;
  auto decoded = engine::decode_record(position, record);
  ASSERT_TRUE(decoded) << decoded.error().message;
  EXPECT_EQ(decoded->position, position);
  EXPECT_EQ(decoded->stream, std::string(e.at("stream").as_string()));
  EXPECT_EQ(decoded->type, std::string(e.at("type").as_string()));
  EXPECT_EQ(decoded->version, e.at("version").to_number<std::uint64_t>());
  EXPECT_EQ(decoded->schema_version, e.at("schema_version").to_number<std::uint32_t>());
}

TEST_F(FeedScopeTest, TheChainRecomputesFromTheFeedAlone) {
  auto all = auditor();
  const auto events = all_events(*all);
  ASSERT_EQ(events.size(), last());
  EXPECT_EQ(events.front().at("previous_hash").as_string(), std::string(64, '0'));
  std::map<std::uint64_t, std::string> hash_at;
  std::size_t verified = 0;
  for (std::size_t i = 0; i < events.size(); ++i) {
    const auto& e = events[i];
    hash_at[position_of(e)] = std::string(e.at("hash").as_string());
    if (i > 0) {
      EXPECT_EQ(e.at("previous_hash"), events[i - 1].at("hash")) << "the chain links";
    }
    if (e.contains("envelope_base64")) {
      expect_verifies(e);
      ++verified;
    } else {
      EXPECT_EQ(e.at("envelope_withheld"), true) << e;
    }
  }
  EXPECT_GT(verified, events.size() / 2);
  const auto report = store_->verify_chain();
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(std::string(events.back().at("hash").as_string()), engine::to_hex(report.tip))
      << "the feed ends at the chain's tip";

  // A scoped feed has gaps: each event still verifies alone and links to the chain.
  auto cms = court_system();
  const auto scoped = all_events(*cms);
  ASSERT_GT(scoped.size(), 5u);
  for (const auto& e : scoped) {
    if (e.contains("envelope_base64"))
      expect_verifies(e);
    else
      EXPECT_EQ(e.at("envelope_withheld"), true) << "a credential of an earlier version";
    const auto p = position_of(e);
    EXPECT_EQ(e.at("hash").as_string(), hash_at[p]);
    if (p > 1) {
      EXPECT_EQ(e.at("previous_hash").as_string(), hash_at[p - 1]);
    }
  }
}

// Whether a member's name says it holds a credential (a password's hash, a key's digest, …).
bool names_credential(std::string_view name) {
  for (std::string_view word : {"password", "secret", "token", "api_key", "digest"}) {
    if (name.find(word) != std::string_view::npos)
      return true;
  }
  return false;
}

// Walks a rendered payload for a member that names a credential.
void expect_no_credential(const json::value& v, const std::string& where) {
  if (const auto* o = v.if_object()) {
    for (const auto& [k, member] : *o) {
      EXPECT_FALSE(names_credential(k)) << where << ": " << k;
      expect_no_credential(member, where);
    }
  } else if (const auto* a = v.if_array()) {
    for (const auto& item : *a)
      expect_no_credential(item, where);
  }
}

TEST_F(FeedScopeTest, NoCredentialFieldIsEverRendered) {
  auto all = auditor();
  for (const auto& e : all_events(*all)) {
    ASSERT_TRUE(e.contains("payload")) << e;
    EXPECT_FALSE(e.at("payload").is_null()) << e;
    expect_no_credential(e.at("payload"), std::string(e.at("type").as_string()));
  }
}

}  // namespace
}  // namespace docket::api::testing
