// API benchmark: durable commands/s and query requests/s over HTTP with 64 keep-alive
// connections, each beside a minimal Boost.Beast hello-world server run in this process on the
// same machine, driven by the same client with the same connection count; p50/p99 latency.
//
//   api_bench [--seconds S] [--connections N]
//
// Commands: each connection is one lawyer adding schedule entries (POST /v1/me/schedule, a fresh
// Idempotency-Key each), durable (the store syncs its WAL once per group commit). Queries: each
// connection reads its lawyer's home (GET /v1/me/home: profile, schedule, upcoming hearings).
// Prints one JSON object per figure (see bench_util.h). DOCKET_BENCH_DIR picks the disk.
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>

#include <atomic>
#include <cstring>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "bench_util.h"
#include "docket/api/server.h"
#include "docket/app/demo.h"
#include "docket/app/platform.h"
#include "docket/app/secrets.h"
#include "docket/domain/lawyer.h"
#include "docket/engine/event_store.h"

namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
namespace json = boost::json;
using tcp = net::ip::tcp;
using docket::bench::figure;
using SteadyClock = std::chrono::steady_clock;

// --- the baseline: Beast's hello world, asynchronous, keep-alive ---------------------------------

class HelloSession : public std::enable_shared_from_this<HelloSession> {
 public:
  explicit HelloSession(tcp::socket socket) : stream_(std::move(socket)) {}
  void run() { read(); }

 private:
  void read() {
    request_ = {};
    http::async_read(stream_, buffer_, request_,
                     [self = shared_from_this()](beast::error_code ec, std::size_t) {
                       if (ec)
                         return;
                       self->write();
                     });
  }
  void write() {
    response_ = {};
    response_.result(http::status::ok);
    response_.version(request_.version());
    response_.keep_alive(request_.keep_alive());
    response_.set(http::field::content_type, "text/plain");
    response_.body() = "Hello, world!";
    response_.prepare_payload();
    http::async_write(stream_, response_,
                      [self = shared_from_this()](beast::error_code ec, std::size_t) {
                        if (ec)
                          return;
                        self->read();
                      });
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  http::request<http::string_body> request_;
  http::response<http::string_body> response_;
};

class HelloServer {
 public:
  explicit HelloServer(std::size_t threads) : ioc_(static_cast<int>(threads)), acceptor_(ioc_) {
    tcp::endpoint endpoint(net::ip::make_address("127.0.0.1"), 0);
    acceptor_.open(endpoint.protocol());
    acceptor_.set_option(net::socket_base::reuse_address(true));
    acceptor_.bind(endpoint);
    acceptor_.listen();
    accept();
    for (std::size_t i = 0; i < threads; ++i)
      threads_.emplace_back([this] { ioc_.run(); });
  }
  ~HelloServer() {
    ioc_.stop();
    for (auto& t : threads_)
      t.join();
  }
  std::uint16_t port() const { return acceptor_.local_endpoint().port(); }

 private:
  void accept() {
    acceptor_.async_accept(net::make_strand(ioc_), [this](beast::error_code ec, tcp::socket s) {
      if (!ec) {
        s.set_option(tcp::no_delay(true));
        std::make_shared<HelloSession>(std::move(s))->run();
      }
      accept();
    });
  }

  net::io_context ioc_;
  tcp::acceptor acceptor_;
  std::vector<std::thread> threads_;
};

// --- the client: N keep-alive connections, each sending its next request when the last reply
// --- arrived, for a fixed time
// --------------------------------------------------------------------

struct Load {
  double requests_per_second = 0;
  double p50_ms = 0;
  double p99_ms = 0;
  std::uint64_t errors = 0;
};

// Builds connection i's next request (n counts its requests).
using MakeRequest = std::function<http::request<http::string_body>(std::size_t i, std::uint64_t n)>;

class LoadConnection : public std::enable_shared_from_this<LoadConnection> {
 public:
  struct Shared {
    MakeRequest make;
    SteadyClock::time_point measure_from;
    SteadyClock::time_point until;
    std::atomic<std::uint64_t> done{0};
    std::atomic<std::uint64_t> errors{0};
    unsigned expect_status = 200;
  };

  LoadConnection(net::io_context& ioc, std::size_t index, Shared& shared)
      : stream_(ioc), index_(index), shared_(shared) {}

  void start(std::uint16_t port) {
    stream_.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
    stream_.socket().set_option(tcp::no_delay(true));
    next();
  }

  std::vector<double> latencies_ms;

 private:
  void next() {
    const auto now = SteadyClock::now();
    if (now >= shared_.until)
      return;
    request_ = shared_.make(index_, n_++);
    request_.keep_alive(true);
    request_.prepare_payload();
    sent_ = now;
    http::async_write(stream_, request_,
                      [self = shared_from_this()](beast::error_code ec, std::size_t) {
                        if (ec) {
                          self->shared_.errors.fetch_add(1);
                          return;
                        }
                        self->read();
                      });
  }
  void read() {
    response_ = {};
    http::async_read(
        stream_, buffer_, response_,
        [self = shared_from_this()](beast::error_code ec, std::size_t) {
          if (ec) {
            self->shared_.errors.fetch_add(1);
            return;
          }
          const auto now = SteadyClock::now();
          if (self->response_.result_int() != self->shared_.expect_status)
            self->shared_.errors.fetch_add(1);
          if (self->sent_ >= self->shared_.measure_from && now <= self->shared_.until) {
            self->latencies_ms.push_back(
                std::chrono::duration<double, std::milli>(now - self->sent_).count());
            self->shared_.done.fetch_add(1);
          }
          self->next();
        });
  }

  beast::tcp_stream stream_;
  std::size_t index_;
  Shared& shared_;
  std::uint64_t n_ = 0;
  SteadyClock::time_point sent_;
  beast::flat_buffer buffer_;
  http::request<http::string_body> request_;
  http::response<http::string_body> response_;
};

Load drive(std::uint16_t port, std::size_t connections, double seconds, MakeRequest make,
           unsigned expect_status) {
  net::io_context ioc(1);
  LoadConnection::Shared shared;
  shared.make = std::move(make);
  shared.expect_status = expect_status;
  const auto warmup = std::chrono::milliseconds(500);
  shared.measure_from = SteadyClock::now() + warmup;
  shared.until = shared.measure_from + std::chrono::duration_cast<SteadyClock::duration>(
                                           std::chrono::duration<double>(seconds));
  std::vector<std::shared_ptr<LoadConnection>> conns;
  for (std::size_t i = 0; i < connections; ++i) {
    conns.push_back(std::make_shared<LoadConnection>(ioc, i, shared));
    conns.back()->start(port);
  }
  ioc.run();
  std::vector<double> all;
  for (auto& c : conns)
    all.insert(all.end(), c->latencies_ms.begin(), c->latencies_ms.end());
  Load load;
  load.requests_per_second = static_cast<double>(shared.done.load()) / seconds;
  load.p50_ms = docket::bench::percentile(all, 0.50);
  load.p99_ms = docket::bench::percentile(all, 0.99);
  load.errors = shared.errors.load();
  return load;
}

http::request<http::string_body> hello_request(std::size_t, std::uint64_t) {
  http::request<http::string_body> req{http::verb::get, "/", 11};
  req.set(http::field::host, "127.0.0.1");
  return req;
}

}  // namespace

int main(int argc, char** argv) {
  double seconds = 3;
  std::size_t connections = 64;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--seconds")
      seconds = std::stod(argv[i + 1]);
    else if (flag == "--connections")
      connections = std::stoul(argv[i + 1]);
  }
  const std::size_t io_threads = std::max(1u, std::thread::hardware_concurrency());

  // The server under test: a durable store (sync on), the platform, the HTTP API.
  docket::bench::ScratchDir dir("api");
  docket::engine::StoreOptions store_options;
  store_options.path = dir.path() + "/store";
  auto opened = docket::engine::EventStore::open(store_options);
  if (!opened) {
    std::fprintf(stderr, "open: %s\n", opened.error().message.c_str());
    return 1;
  }
  auto store = std::move(*opened);
  docket::app::SodiumSecrets secrets(std::string(32, 'b'), docket::app::PasswordHashing::minimal());
  docket::app::Platform platform(*store, secrets);
  if (auto demo = docket::app::bootstrap_demo(platform); !demo) {
    std::fprintf(stderr, "demo: %s\n", docket::app::failure_message(demo.error()).c_str());
    return 1;
  }
  // One lawyer per connection, first password already changed.
  std::vector<std::string> licences;
  const docket::domain::Principal admin{"admin", docket::domain::Role::kAdmin, ""};
  for (std::size_t i = 0; i < connections; ++i) {
    char licence[32];
    std::snprintf(licence, sizeof licence, "1500120189%07zu", i);
    docket::domain::RegisterFromRoster r{"重庆基准律师事务所",
                                         "律师" + std::to_string(i),
                                         licence,
                                         "50010319800101" + std::to_string(1000 + i),
                                         "1380000" + std::to_string(1000 + i),
                                         "l" + std::to_string(i) + "@example.com"};
    docket::app::Request as_admin;
    as_admin.actor = admin;
    auto done = platform.execute<docket::domain::LawyerAggregate>(std::string("lawyer-") + licence,
                                                                  r, as_admin);
    docket::app::Request as_lawyer;
    as_lawyer.actor = {licence, docket::domain::Role::kLawyer, ""};
    auto changed = platform.change_password(licence, "bench-password", as_lawyer);
    if (!done || !changed) {
      std::fprintf(stderr, "lawyer %s could not be set up\n", licence);
      return 1;
    }
    licences.push_back(licence);
  }
  docket::api::ServerOptions options;
  options.http.threads = io_threads;
  options.workers = std::max<std::size_t>(64, connections);
  docket::api::DocketServer server(*store, platform, options);
  if (auto started = server.start(); !started) {
    std::fprintf(stderr, "start: %s\n", started.error().c_str());
    return 1;
  }
  std::vector<std::string> tokens;
  {
    net::io_context ioc;
    beast::tcp_stream stream(ioc);
    stream.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), server.port()));
    beast::flat_buffer buffer;
    for (const auto& licence : licences) {
      http::request<http::string_body> req{http::verb::post, "/v1/sessions", 11};
      req.set(http::field::host, "127.0.0.1");
      req.body() =
          json::serialize(json::object{{"login", licence}, {"password", "bench-password"}});
      req.prepare_payload();
      http::write(stream, req);
      http::response<http::string_body> res;
      http::read(stream, buffer, res);
      tokens.push_back(std::string(json::parse(res.body()).as_object()["token"].as_string()));
    }
  }

  HelloServer hello(io_threads);
  auto hello_run = [&] { return drive(hello.port(), connections, seconds, hello_request, 200); };

  // Queries first (small homes), then commands.
  const auto hello_q = hello_run();
  const auto query = drive(
      server.port(), connections, seconds,
      [&](std::size_t i, std::uint64_t) {
        http::request<http::string_body> req{http::verb::get, "/v1/me/home", 11};
        req.set(http::field::host, "127.0.0.1");
        req.set(http::field::authorization, "Bearer " + tokens[i]);
        return req;
      },
      200);
  const auto hello_c = hello_run();
  const auto start_us = std::int64_t{1'900'000'000'000'000};
  const auto before = store->stats();
  const auto command = drive(
      server.port(), connections, seconds,
      [&](std::size_t i, std::uint64_t n) {
        http::request<http::string_body> req{http::verb::post, "/v1/me/schedule", 11};
        req.set(http::field::host, "127.0.0.1");
        req.set(http::field::authorization, "Bearer " + tokens[i]);
        req.set(http::field::content_type, "application/json");
        req.set("Idempotency-Key", "bench-" + std::to_string(i) + "-" + std::to_string(n));
        const auto at = start_us + static_cast<std::int64_t>(n) * 3'600'000'000LL;
        req.body() = json::serialize(json::object{{"starts_at_us", at},
                                                  {"ends_at_us", at + 1'800'000'000LL},
                                                  {"can_appear_in_court", (n % 2) == 0},
                                                  {"text", "开庭 " + std::to_string(n)}});
        return req;
      },
      201);
  const auto after = store->stats();
  server.stop();

  const double hello_rps = (hello_q.requests_per_second + hello_c.requests_per_second) / 2;
  figure("hello_world_requests_per_s", hello_rps, "req/s");
  figure("hello_world_p99_ms", (hello_q.p99_ms + hello_c.p99_ms) / 2, "ms");
  figure("api_durable_commands_per_s", command.requests_per_second, "req/s",
         hello_c.requests_per_second);
  figure("api_command_p50_ms", command.p50_ms, "ms");
  figure("api_command_p99_ms", command.p99_ms, "ms");
  figure("api_command_mean_batch_requests",
         after.batches == before.batches ? 0.0
                                         : static_cast<double>(after.requests - before.requests) /
                                               static_cast<double>(after.batches - before.batches),
         "requests/batch");
  figure("api_query_requests_per_s", query.requests_per_second, "req/s",
         hello_q.requests_per_second);
  figure("api_query_p50_ms", query.p50_ms, "ms");
  figure("api_query_p99_ms", query.p99_ms, "ms");
  if (command.errors + query.errors + hello_q.errors + hello_c.errors > 0)
    std::fprintf(stderr, "errors: commands %llu, queries %llu, hello %llu\n",
                 static_cast<unsigned long long>(command.errors),
                 static_cast<unsigned long long>(query.errors),
                 static_cast<unsigned long long>(hello_q.errors + hello_c.errors));
  return 0;
}
