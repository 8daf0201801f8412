// The event feed (SSE resumable by Last-Event-ID, filterable by category; the paged JSON
// variant), /v1/openapi.json listing every route, /metrics in Prometheus text, /healthz.
#include <regex>
#include <set>

#include "api_fixture.h"

namespace docket::api::testing {
namespace {

struct SseEvent {
  std::uint64_t id = 0;
  std::string type;
  json::value data;
};

// Opens the SSE feed and reads until `count` events arrived (or 30 s passed), then disconnects.
std::vector<SseEvent> read_feed(std::uint16_t port, const std::string& target,
                                const Headers& headers, std::size_t count) {
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
  while (events.size() < count) {
    beast::error_code ec;
    beast::http::read_some(stream, buffer, parser, ec);
    if (ec) {
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
};

TEST_F(FeedTest, TheEventFeedResumesAfterTheLastEventId) {
  const auto total = last();
  ASSERT_GE(total, 6u) << "the demo bootstrap wrote events";
  auto first = read_feed(port(), "/v1/events/stream", key(), 3);
  ASSERT_EQ(first.size(), 3u);
  EXPECT_EQ(first[0].id, 1u);
  EXPECT_EQ(first[2].id, 3u);
  EXPECT_EQ(first[1].data.as_object()["position"].to_number<std::uint64_t>(), 2u);
  EXPECT_FALSE(first[1].type.empty());

  auto headers = key();
  headers.emplace_back("Last-Event-ID", std::to_string(first.back().id));
  auto resumed = read_feed(port(), "/v1/events/stream", headers, 2);
  ASSERT_EQ(resumed.size(), 2u);
  EXPECT_EQ(resumed[0].id, 4u) << "no event is lost or repeated";
  EXPECT_EQ(resumed[1].id, 5u);
}

TEST_F(FeedTest, TheFeedDeliversEventsCommittedWhileItIsOpen) {
  const auto before = last();
  std::vector<SseEvent> live;
  std::thread reader([&] {
    auto headers = key();
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
  auto events = read_feed(port(), "/v1/events/stream?category=staff", key(), 3);
  ASSERT_EQ(events.size(), 3u);
  for (const auto& e : events)
    EXPECT_EQ(e.data.as_object().at("stream").as_string().subview().substr(0, 6), "staff-");
}

TEST_F(FeedTest, ThePagedFeedResumesFromNextAfter) {
  auto cms = court_system();
  auto page = cms->get("/v1/events?limit=2");
  ASSERT_EQ(page.status, 200u) << page;
  const auto body = page.json();
  const auto& events = body.as_object().at("events").as_array();
  ASSERT_EQ(events.size(), 2u);
  const auto next = page.number("next_after");
  EXPECT_EQ(next, 2u);
  auto rest = cms->get("/v1/events?after=" + std::to_string(next) + "&limit=1000");
  ASSERT_EQ(rest.status, 200u) << rest;
  EXPECT_EQ(rest.json().as_object()["events"].as_array().size(), last() - 2);
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

}  // namespace
}  // namespace docket::api::testing
