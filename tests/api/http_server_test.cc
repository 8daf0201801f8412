// The network edge on its own: keep-alive, the connection limit, read timeouts, a graceful
// drain that lets an in-flight request finish, and event streams that end on stop().
#include <atomic>
#include <future>
#include <thread>

#include "api_fixture.h"
#include "docket/api/http_server.h"

namespace docket::api::testing {
namespace {

Response text_response(const std::string& text) {
  Response res{beast::http::status::ok, 11};
  res.set(beast::http::field::content_type, "text/plain");
  res.body() = text;
  res.prepare_payload();
  return res;
}

HttpServerOptions options() {
  HttpServerOptions o;
  o.host = "127.0.0.1";
  o.port = 0;
  o.threads = 2;
  return o;
}

TEST(HttpServerTest, AKeepAliveConnectionServesManyRequests) {
  std::atomic<int> calls{0};
  HttpServer server(options(), [&](Request req, Responder respond) {
    ++calls;
    respond(text_response(std::string(req.target())));
  });
  ASSERT_TRUE(server.start());
  Client client(server.port());
  for (int i = 0; i < 20; ++i) {
    auto r = client.get("/n/" + std::to_string(i));
    ASSERT_EQ(r.status, 200u);
    EXPECT_EQ(r.body, "/n/" + std::to_string(i));
    EXPECT_TRUE(client.connected()) << "the connection stays open";
  }
  EXPECT_EQ(calls.load(), 20);
  EXPECT_EQ(server.stats().connections_accepted, 1u);
  server.stop();
}

TEST(HttpServerTest, ARequestAnsweredFromAnotherThreadArrives) {
  std::vector<std::thread> workers;
  std::mutex mu;
  HttpServer server(options(), [&](Request, Responder respond) {
    std::lock_guard lock(mu);
    workers.emplace_back([respond] {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      respond(text_response("later"));
    });
  });
  ASSERT_TRUE(server.start());
  Client client(server.port());
  EXPECT_EQ(client.get("/").body, "later");
  EXPECT_EQ(client.get("/").body, "later");
  server.stop();
  for (auto& t : workers)
    t.join();
}

TEST(HttpServerTest, ConnectionsBeyondTheLimitGet503) {
  auto o = options();
  o.max_connections = 2;
  HttpServer server(o, [](Request, Responder respond) { respond(text_response("ok")); });
  ASSERT_TRUE(server.start());
  Client a(server.port());
  Client b(server.port());
  ASSERT_EQ(a.get("/").status, 200u);
  ASSERT_EQ(b.get("/").status, 200u);
  Client c(server.port());
  auto refused = c.get("/");
  EXPECT_EQ(refused.status, 503u) << refused;
  EXPECT_EQ(refused.header("content-type"), "application/problem+json");
  EXPECT_EQ(server.stats().connections_refused, 1u);
  a.close();
  // Once a slot is free, a new connection is served.
  bool served = false;
  for (int i = 0; i < 100 && !served; ++i) {
    Client d(server.port());
    served = d.get("/").status == 200u;
    if (!served)
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_TRUE(served);
  server.stop();
}

TEST(HttpServerTest, AConnectionThatStallsMidRequestIsClosedAfterTheReadTimeout) {
  auto o = options();
  o.read_timeout = std::chrono::milliseconds(300);
  HttpServer server(o, [](Request, Responder respond) { respond(text_response("ok")); });
  ASSERT_TRUE(server.start());
  net::io_context ioc;
  tcp::socket socket(ioc);
  socket.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), server.port()));
  net::write(socket, net::buffer(std::string("GET / HTTP/1.1\r\nHost: x\r\n")));  // unfinished
  char byte = 0;
  beast::error_code ec;
  const auto started = std::chrono::steady_clock::now();
  socket.read_some(net::buffer(&byte, 1), ec);  // returns when the server closes
  EXPECT_TRUE(ec == net::error::eof || ec == net::error::connection_reset) << ec.message();
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(20));
  for (int i = 0; i < 200 && server.stats().read_timeouts == 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));  // counted just after the close
  EXPECT_EQ(server.stats().read_timeouts, 1u);
  server.stop();
}

TEST(HttpServerTest, StopLetsAnInFlightRequestFinishThenClosesTheConnection) {
  std::promise<void> arrived;
  std::thread worker;
  HttpServer server(options(), [&](Request, Responder respond) {
    worker = std::thread([respond] {
      std::this_thread::sleep_for(std::chrono::milliseconds(300));
      respond(text_response("finished"));
    });
    arrived.set_value();
  });
  ASSERT_TRUE(server.start());
  Client client(server.port());
  auto reply = std::async(std::launch::async, [&] { return client.get("/slow"); });
  arrived.get_future().wait();
  server.stop();  // the request is in flight
  auto r = reply.get();
  EXPECT_EQ(r.status, 200u);
  EXPECT_EQ(r.body, "finished");
  EXPECT_EQ(r.header("connection"), "close") << "drained connections close";
  worker.join();
}

// A request whose bytes were only partly in when the drain began is refused whole: 503
// problem+json with "Connection: close", and the handler never sees it.
TEST(HttpServerTest, ARequestHalfSentWhenTheDrainBeginsGets503AndIsNotRun) {
  std::atomic<int> calls{0};
  HttpServer server(options(), [&](Request, Responder respond) {
    ++calls;
    respond(text_response("ran"));
  });
  ASSERT_TRUE(server.start());
  net::io_context ioc;
  beast::tcp_stream stream(ioc);
  stream.expires_after(std::chrono::seconds(30));
  stream.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), server.port()));
  net::write(stream.socket(), net::buffer(std::string("POST /command HTTP/1.1\r\nHost: x\r\n"
                                                      "Content-Length: 10\r\n\r\n01234")));
  std::this_thread::sleep_for(std::chrono::milliseconds(500));  // the server has read it
  std::thread stopper([&] { server.stop(); });
  beast::flat_buffer buffer;
  beast::http::response<beast::http::string_body> res;
  beast::error_code ec;
  beast::http::read(stream, buffer, res, ec);
  stopper.join();
  ASSERT_FALSE(ec) << "the client hears why: " << ec.message();
  EXPECT_EQ(res.result_int(), 503u) << res.body();
  EXPECT_EQ(res[beast::http::field::content_type], "application/problem+json");
  EXPECT_FALSE(res.keep_alive());
  EXPECT_EQ(calls.load(), 0) << "a request refused by the drain never runs";
  EXPECT_EQ(server.stats().requests_refused_draining, 1u);
}

// A request still being handled when the drain timeout passes keeps its connection: its reply is
// written before stop() returns, never dropped with the io threads.
TEST(HttpServerTest, AReplyStillBeingHandledAfterTheDrainTimeoutIsWrittenBeforeStopReturns) {
  auto o = options();
  o.drain_timeout = std::chrono::milliseconds(100);
  std::promise<void> arrived;
  std::thread worker;
  auto server = std::make_unique<HttpServer>(o, [&](Request, Responder respond) {
    worker = std::thread([respond] {
      std::this_thread::sleep_for(std::chrono::milliseconds(600));
      respond(text_response("committed"));
    });
    arrived.set_value();
  });
  ASSERT_TRUE(server->start());
  Client client(server->port());
  auto reply = std::async(std::launch::async, [&] { return client.get("/slow"); });
  arrived.get_future().wait();
  server->stop();
  const bool answered = reply.wait_for(std::chrono::seconds(5)) == std::future_status::ready;
  EXPECT_TRUE(answered) << "the reply is written before stop() returns";
  worker.join();
  server.reset();  // closes whatever is left, so the client returns either way
  auto r = reply.get();
  EXPECT_EQ(r.status, 200u);
  EXPECT_EQ(r.body, "committed");
  EXPECT_EQ(r.header("connection"), "close");
}

// Writes `bytes` on a new connection and returns everything the server sends until it closes
// the connection (bounded by `bound`).
std::string exchange(std::uint16_t port, const std::string& bytes,
                     std::chrono::milliseconds bound = std::chrono::milliseconds(5'000)) {
  net::io_context ioc;
  beast::tcp_stream stream(ioc);
  stream.expires_after(bound);
  stream.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
  net::write(stream.socket(), net::buffer(bytes));
  std::string out;
  std::array<char, 4096> chunk{};
  for (;;) {
    beast::error_code ec;
    stream.expires_after(bound);
    const auto n = stream.read_some(net::buffer(chunk), ec);
    out.append(chunk.data(), n);
    if (ec)
      break;
  }
  return out;
}

std::size_t count_of(const std::string& text, std::string_view what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1))
    ++n;
  return n;
}

// A Transfer-Encoding other than a final "chunked" would leave the body to be read as the next
// request: the request is refused and the connection closed, so nothing smuggled in it runs.
TEST(HttpServerTest, ATransferEncodingOtherThanChunkedIsRefusedAndTheConnectionClosed) {
  std::atomic<int> calls{0};
  HttpServer server(options(), [&](Request, Responder respond) {
    ++calls;
    respond(text_response("ran"));
  });
  ASSERT_TRUE(server.start());
  const std::string smuggled = "GET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n";
  for (const auto& [coding, status] :
       std::vector<std::pair<std::string, std::string>>{{"xchunked", "501"},
                                                        {"identity", "501"},
                                                        {"chunked, identity", "501"},
                                                        {"chunked, chunked", "400"},
                                                        {"gzip", "400"},
                                                        {"gzip, chunked", "501"}}) {
    const auto reply = exchange(
        server.port(), "POST /command HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: " + coding +
                           "\r\n\r\n" + smuggled);
    EXPECT_EQ(reply.rfind("HTTP/1.1 " + status, 0), 0u) << coding << ": " << reply;
    EXPECT_EQ(count_of(reply, "HTTP/1.1 "), 1u) << coding << ": one reply, then closed";
    EXPECT_NE(reply.find("Connection: close"), std::string::npos) << reply;
    EXPECT_NE(reply.find("application/problem+json"), std::string::npos) << reply;
  }
  const auto both = exchange(server.port(),
                             "POST /command HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n"
                             "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n" +
                                 smuggled);
  EXPECT_EQ(both.rfind("HTTP/1.1 400", 0), 0u) << both;
  EXPECT_EQ(calls.load(), 0) << "no refused request, nor what followed it, ran";
  const auto chunked = exchange(server.port(),
                                "POST /command HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: "
                                "chunked\r\nConnection: close\r\n\r\n3\r\nabc\r\n0\r\n\r\n");
  EXPECT_EQ(chunked.rfind("HTTP/1.1 200", 0), 0u) << "plain chunked still works: " << chunked;
  EXPECT_EQ(calls.load(), 1);
  EXPECT_GE(server.stats().requests_malformed, 6u);
  server.stop();
}

// A request that arrived whole is parsed from what was read, without another read; requests
// pipelined in one segment, and one that arrives a few bytes at a time (header and body split
// anywhere), are each answered once, in order, with their bodies intact.
TEST(HttpServerTest, RequestsAreAnsweredHoweverTheirBytesArrive) {
  HttpServer server(options(), [&](Request req, Responder respond) {
    respond(text_response(std::string(req.target()) + ":" + req.body()));
  });
  ASSERT_TRUE(server.start());
  const std::string pipelined =
      "POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\none"
      "GET /b HTTP/1.1\r\nHost: x\r\n\r\n"
      "POST /c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\ntwo\r\n0\r\n\r\n"
      "GET /d HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
  const auto replies = exchange(server.port(), pipelined);
  EXPECT_EQ(count_of(replies, "HTTP/1.1 200"), 4u) << replies;
  const auto a = replies.find("/a:one");
  const auto b = replies.find("/b:");
  const auto c = replies.find("/c:two");
  const auto d = replies.find("/d:");
  ASSERT_NE(d, std::string::npos) << replies;
  EXPECT_TRUE(a < b && b < c && c < d) << replies;

  // The same bytes, a few at a time.
  net::io_context ioc;
  beast::tcp_stream stream(ioc);
  stream.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), server.port()));
  for (std::size_t at = 0; at < pipelined.size(); at += 7) {
    net::write(stream.socket(), net::buffer(pipelined.substr(at, 7)));
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  std::string out;
  std::array<char, 4096> chunk{};
  for (;;) {
    beast::error_code ec;
    stream.expires_after(std::chrono::seconds(5));
    const auto n = stream.read_some(net::buffer(chunk), ec);
    out.append(chunk.data(), n);
    if (ec)
      break;
  }
  EXPECT_EQ(count_of(out, "HTTP/1.1 200"), 4u) << out;
  EXPECT_NE(out.find("/a:one"), std::string::npos) << out;
  EXPECT_NE(out.find("/c:two"), std::string::npos) << out;
  server.stop();
}

TEST(HttpServerTest, AnHttp11RequestWithoutOneHostIsA400) {
  std::atomic<int> calls{0};
  HttpServer server(options(), [&](Request, Responder respond) {
    ++calls;
    respond(text_response("ran"));
  });
  ASSERT_TRUE(server.start());
  const auto none = exchange(server.port(), "GET / HTTP/1.1\r\n\r\n");
  EXPECT_EQ(none.rfind("HTTP/1.1 400", 0), 0u) << none;
  const auto two = exchange(server.port(), "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n");
  EXPECT_EQ(two.rfind("HTTP/1.1 400", 0), 0u) << two;
  EXPECT_EQ(calls.load(), 0);
  const auto old = exchange(server.port(), "GET / HTTP/1.0\r\n\r\n");
  EXPECT_EQ(old.rfind("HTTP/1.0 200", 0), 0u) << "HTTP/1.0 needs no Host: " << old;
  server.stop();
}

// A connection that sends nothing is closed after the first-byte timeout, well before the
// whole-request read timeout.
TEST(HttpServerTest, ASilentConnectionIsClosedAfterTheFirstByteTimeout) {
  auto o = options();
  o.first_byte_timeout = std::chrono::milliseconds(200);
  o.read_timeout = std::chrono::milliseconds(60'000);
  HttpServer server(o, [](Request, Responder respond) { respond(text_response("ok")); });
  ASSERT_TRUE(server.start());
  const auto started = std::chrono::steady_clock::now();
  const auto reply = exchange(server.port(), "", std::chrono::milliseconds(10'000));
  const auto waited = std::chrono::steady_clock::now() - started;
  EXPECT_TRUE(reply.empty()) << reply;
  EXPECT_LT(waited, std::chrono::seconds(5));
  // A keep-alive connection idle after its reply is closed the same way.
  Client client(server.port());
  ASSERT_EQ(client.get("/").status, 200u);
  EXPECT_TRUE(client.connected());
  for (int i = 0; i < 300 && server.stats().connections_open > 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_EQ(server.stats().connections_open, 0u);
  EXPECT_GE(server.stats().read_timeouts, 2u);
  server.stop();
}

// One address holds at most max_connections_per_address connections; beyond it a connection
// gets 503 and is closed, and a slot freed is served again.
TEST(HttpServerTest, ConnectionsFromOneAddressBeyondItsCapGet503) {
  constexpr std::size_t kCap = 4;
  auto o = options();
  o.max_connections_per_address = kCap;
  HttpServer server(o, [](Request, Responder respond) { respond(text_response("ok")); });
  ASSERT_TRUE(server.start());
  net::io_context ioc;
  std::vector<std::unique_ptr<tcp::socket>> idle;
  for (std::size_t i = 0; i < kCap; ++i) {
    idle.push_back(std::make_unique<tcp::socket>(ioc));
    idle.back()->connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), server.port()));
  }
  for (int i = 0; i < 300 && server.stats().connections_open < kCap; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  ASSERT_EQ(server.stats().connections_open, kCap);
  Client over(server.port());
  auto refused = over.get("/");
  EXPECT_EQ(refused.status, 503u) << refused;
  EXPECT_EQ(refused.header("content-type"), "application/problem+json");
  idle.front()->close();
  bool served = false;
  for (int i = 0; i < 100 && !served; ++i) {
    Client next(server.port());
    served = next.get("/").status == 200u;
    if (!served)
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_TRUE(served);
  idle.clear();
  server.stop();
}

TEST(HttpServerTest, EveryReplyCarriesTheBrowserSecurityHeaders) {
  HttpServer server(options(), [](Request, Responder respond) { respond(text_response("ok")); });
  ASSERT_TRUE(server.start());
  Client client(server.port());
  auto r = client.get("/");
  EXPECT_EQ(r.header("x-content-type-options"), "nosniff");
  EXPECT_EQ(r.header("x-frame-options"), "DENY");
  EXPECT_EQ(r.header("cache-control"), "no-store");
  EXPECT_EQ(r.header("referrer-policy"), "no-referrer");
  EXPECT_NE(r.header("content-security-policy").find("default-src 'none'"), std::string::npos);
  server.stop();
}

class Ticker final : public EventStream {
 public:
  std::optional<std::string> poll() override {
    if (n_ >= 3)
      return std::string();
    return "id: " + std::to_string(++n_) + "\ndata: tick\n\n";
  }

 private:
  int n_ = 0;
};

TEST(HttpServerTest, AnEventStreamEndsWhenTheServerStops) {
  HttpServer server(options(), [](Request, Responder respond) {
    StreamedResponse s;
    s.header.result(beast::http::status::ok);
    s.header.set(beast::http::field::content_type, "text/event-stream");
    s.stream = std::make_shared<Ticker>();
    respond(std::move(s));
  });
  ASSERT_TRUE(server.start());
  net::io_context ioc;
  beast::tcp_stream stream(ioc);
  stream.expires_after(std::chrono::seconds(30));
  stream.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), server.port()));
  beast::http::request<beast::http::empty_body> req{beast::http::verb::get, "/", 11};
  req.set(beast::http::field::host, "127.0.0.1");
  beast::http::write(stream, req);
  beast::flat_buffer buffer;
  beast::http::response_parser<beast::http::string_body> parser;
  beast::error_code ec;
  while (parser.get().body().find("id: 3") == std::string::npos && !ec)
    beast::http::read_some(stream, buffer, parser, ec);
  ASSERT_FALSE(ec) << ec.message();
  std::thread stopper([&] { server.stop(); });
  while (!parser.is_done() && !ec)
    beast::http::read_some(stream, buffer, parser, ec);
  EXPECT_TRUE(parser.is_done()) << "the stream ends with its last chunk: " << ec.message();
  stopper.join();
}

}  // namespace
}  // namespace docket::api::testing
