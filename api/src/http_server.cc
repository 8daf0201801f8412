#include "docket/api/http_server.h"

#include <spdlog/spdlog.h>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <condition_variable>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <vector>

namespace docket::api {

namespace beast = boost::beast;
namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace {

// A problem+json reply made by the edge itself (limits, parse errors, overload).
// The same shape as api::Problem's (problem.h); the texts here need no JSON escaping.
Response edge_problem(http::status status, std::string_view code, std::string_view detail,
                      unsigned version, const std::string& server_name) {
  Response res{status, version};
  res.set(http::field::server, server_name);
  res.set(http::field::content_type, "application/problem+json");
  std::string body = "{\"type\":\"urn:docket:problem:";
  body.append(code);
  body.append("\",\"title\":\"");
  body.append(http::obsolete_reason(status));
  body.append("\",\"status\":");
  body.append(std::to_string(static_cast<unsigned>(status)));
  body.append(",\"detail\":\"");
  body.append(detail);
  body.append("\",\"code\":\"");
  body.append(code);
  body.append("\",\"violations\":[]}");
  res.body() = std::move(body);
  res.keep_alive(false);
  res.prepare_payload();
  return res;
}

// Lower-case, without surrounding blanks.
std::string token_of(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
    text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t'))
    text.remove_suffix(1);
  std::string out(text);
  for (auto& c : out)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// A request's framing, checked once its header is in (RFC 9112 §6): nullopt when it is sound,
// else the status and the reason. The body of a refused request would be read as the next
// request, so the connection is closed after the reply.
std::optional<std::pair<http::status, std::string>> framing_problem(
    const http::request_parser<http::string_body>& parser) {
  const auto& req = parser.get();
  std::vector<std::string> codings;
  bool has_te = false;
  for (const auto& field : req) {
    if (field.name() != http::field::transfer_encoding)
      continue;
    has_te = true;
    std::string_view value = field.value();
    for (;;) {
      const auto comma = value.find(',');
      if (auto t = token_of(value.substr(0, comma)); !t.empty())
        codings.push_back(std::move(t));
      if (comma == std::string_view::npos)
        break;
      value.remove_prefix(comma + 1);
    }
  }
  if (has_te) {
    if (req.version() < 11)
      return std::pair{http::status::bad_request,
                       std::string("Expected no Transfer-Encoding in an HTTP/1.0 request, but it "
                                   "has one")};
    if (req.find(http::field::content_length) != req.end())
      return std::pair{http::status::bad_request,
                       std::string("Expected either Transfer-Encoding or Content-Length, but the "
                                   "request has both")};
    for (const auto& c : codings) {
      if (c != "chunked" && c != "gzip" && c != "deflate" && c != "compress" && c != "x-gzip" &&
          c != "x-compress")
        return std::pair{http::status::not_implemented,
                         "Expected the transfer coding chunked, but got \"" + c +
                             "\", which this server does not implement"};
    }
    if (codings.empty() || codings.back() != "chunked" ||
        std::count(codings.begin(), codings.end(), "chunked") != 1)
      return std::pair{http::status::bad_request,
                       std::string("Expected a Transfer-Encoding whose last and only chunked "
                                   "coding is chunked, but the body's length cannot be told")};
    if (codings.size() > 1)
      return std::pair{http::status::not_implemented,
                       std::string("Expected the transfer coding chunked alone, but the request "
                                   "adds a compression this server does not implement")};
  }
  if (req.version() >= 11) {
    const auto hosts = req.count(http::field::host);
    if (hosts != 1)
      return std::pair{
          http::status::bad_request,
          "Expected one Host header in an HTTP/1.1 request, but it has " + std::to_string(hosts)};
  }
  return std::nullopt;
}

// Set on every reply unless the reply chose its own.
void add_security_headers(http::response_header<>& res) {
  if (res.find("X-Content-Type-Options") == res.end())
    res.set("X-Content-Type-Options", "nosniff");
  if (res.find(http::field::x_frame_options) == res.end())
    res.set(http::field::x_frame_options, "DENY");
  if (res.find("Content-Security-Policy") == res.end())
    res.set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
  if (res.find("Referrer-Policy") == res.end())
    res.set("Referrer-Policy", "no-referrer");
  if (res.find(http::field::cache_control) == res.end())
    res.set(http::field::cache_control, "no-store");
}

}  // namespace

struct HttpServer::Impl {
  Impl(HttpServerOptions o, HttpHandler h)
      : options(std::move(o)),
        handler(std::move(h)),
        ioc(static_cast<int>(std::max<std::size_t>(1, options.threads))),
        work(net::make_work_guard(ioc)),
        acceptor(net::make_strand(ioc)) {}

  void do_accept();
  void on_accept(beast::error_code ec, tcp::socket socket);
  void add(HttpSession* session, std::weak_ptr<HttpSession> weak);
  void remove(HttpSession* session);
  void release_address(const std::string& address);

  // Declared before the io context so that they outlive it: a session destroyed together with a
  // handler still queued in the io context unregisters itself here.
  std::mutex sessions_mu;
  std::condition_variable sessions_cv;
  std::unordered_map<HttpSession*, std::weak_ptr<HttpSession>> sessions;
  // Open connections per client address (those counted in `sessions`). Both maps hold one entry
  // per open connection at most, so max_connections bounds them.
  std::unordered_map<std::string, std::size_t> per_address;

  HttpServerOptions options;
  HttpHandler handler;
  net::io_context ioc;
  // Keeps the io threads running while a request is handled elsewhere with no I/O pending (during
  // a drain, when the acceptor is closed, nothing else would).
  net::executor_work_guard<net::io_context::executor_type> work;
  tcp::acceptor acceptor;
  std::vector<std::thread> threads;
  std::atomic<bool> draining{false};
  std::atomic<bool> started{false};
  std::atomic<bool> stopped{false};
  std::uint16_t bound_port = 0;

  std::atomic<std::uint64_t> accepted{0};
  std::atomic<std::uint64_t> refused{0};
  std::atomic<std::uint64_t> too_large{0};
  std::atomic<std::uint64_t> read_timeouts{0};
  std::atomic<std::uint64_t> refused_draining{0};
  std::atomic<std::uint64_t> malformed{0};
};

class HttpSession : public std::enable_shared_from_this<HttpSession> {
 public:
  // `refusal` non-empty: the connection is over a limit and gets 503 with that detail.
  // `address`: the client's, counted in the server's per-address tally (released here).
  HttpSession(tcp::socket&& socket, HttpServer::Impl& server, std::string refusal,
              std::string address)
      : server_(server),
        stream_(std::move(socket)),
        timer_(stream_.get_executor()),
        refuse_(!refusal.empty()),
        refusal_(std::move(refusal)),
        address_(std::move(address)) {}

  // The peer's address (empty when the socket could not tell it).
  const std::string& client_address() const { return address_; }

  ~HttpSession() {
    if (registered_)
      server_.remove(this);
    if (!address_.empty())
      server_.release_address(address_);
  }

  void run() {
    if (!refuse_) {
      registered_ = true;
      server_.add(this, weak_from_this());
    }
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] {
      if (self->refuse_) {
        self->server_.refused.fetch_add(1);
        self->do_write(edge_problem(http::status::service_unavailable, "unavailable",
                                    self->refusal_, 11, self->server_.options.server_name));
        return;
      }
      self->do_read();
    });
  }

  // From any thread.
  void complete(Reply reply) {
    net::dispatch(stream_.get_executor(),
                  [self = shared_from_this(), reply = std::move(reply)]() mutable {
                    if (auto* res = std::get_if<Response>(&reply)) {
                      self->do_write(std::move(*res));
                    } else {
                      self->start_stream(std::get<StreamedResponse>(std::move(reply)));
                    }
                  });
  }

  void post(std::function<void()> f) { net::post(stream_.get_executor(), std::move(f)); }

  // From any thread: finish what is in flight, then close. A connection waiting for a request
  // stops waiting (a request already partly received is answered 503); a request being handled
  // finishes and its reply is written with "Connection: close"; an event stream ends.
  void drain() {
    net::post(stream_.get_executor(), [self = shared_from_this()] {
      if (self->phase_ == Phase::kReading) {
        self->stream_.cancel();  // on_read sees operation_aborted
      } else if (self->phase_ == Phase::kStreaming) {
        self->timer_.cancel();
      }
    });
  }

  // From any thread, after the drain timeout: closes the connection unless a request on it is
  // still being handled or its reply is being written (both bounded elsewhere).
  void abandon() {
    net::post(stream_.get_executor(), [self = shared_from_this()] {
      if (self->phase_ == Phase::kReading || self->phase_ == Phase::kStreaming)
        self->do_close();
    });
  }

 private:
  enum class Phase { kReading, kHandling, kWriting, kStreaming, kClosed };

  void do_read() {
    if (server_.draining.load()) {
      do_close();
      return;
    }
    phase_ = Phase::kReading;
    parser_.emplace();
    parser_->body_limit(server_.options.body_limit);
    parser_->header_limit(static_cast<std::uint32_t>(server_.options.header_limit));
    if (buffer_.size() > 0) {
      read_buffered();
      return;
    }
    // Silence before a request is bounded tightly: a connection that sends nothing is closed
    // after first_byte_timeout, so idle sockets cannot hold the connection slots.
    stream_.expires_after(server_.options.first_byte_timeout);
    stream_.async_read_some(buffer_.prepare(4096),
                            [self = shared_from_this()](beast::error_code ec, std::size_t n) {
                              self->buffer_.commit(n);
                              if (ec) {
                                self->on_read(ec, 0);
                                return;
                              }
                              self->read_buffered();
                            });
  }

  // Parses what has already arrived without another read: a request that came whole (the usual
  // case) is handled at once, with no further asynchronous operation and no further timer; the
  // rest of one that came in part is read as before.
  void read_buffered() {
    auto ec = feed([this] { return parser_->is_header_done(); });
    if (ec) {
      on_read(ec, 0);
      return;
    }
    if (!parser_->is_header_done()) {
      read_header();
      return;
    }
    if (refuse_framing())
      return;
    ec = feed([this] { return parser_->is_done(); });
    if (ec || parser_->is_done()) {
      on_read(ec, 0);
      return;
    }
    read_body();
  }

  // Gives the parser what is buffered until `done()` or it needs more bytes (no error then).
  template <class Done>
  beast::error_code feed(Done done) {
    beast::error_code ec;
    while (!done() && buffer_.size() > 0) {
      const auto used = parser_->put(buffer_.data(), ec);
      buffer_.consume(used);
      if (ec || used == 0)
        break;
    }
    if (ec == http::error::need_more)
      ec = {};
    return ec;
  }

  // Refuses a request whose header frames its body in a way Docket does not accept.
  bool refuse_framing() {
    auto bad = framing_problem(*parser_);
    if (!bad)
      return false;
    server_.malformed.fetch_add(1);
    request_keep_alive_ = false;
    do_write(edge_problem(
        bad->first, bad->first == http::status::bad_request ? "bad_request" : "not_implemented",
        bad->second, 11, server_.options.server_name));
    return true;
  }

  void read_body() {
    stream_.expires_after(server_.options.read_timeout);
    http::async_read(stream_, buffer_, *parser_,
                     beast::bind_front_handler(&HttpSession::on_read, shared_from_this()));
  }

  void read_header() {
    stream_.expires_after(server_.options.read_timeout);
    http::async_read_header(stream_, buffer_, *parser_,
                            [self = shared_from_this()](beast::error_code ec, std::size_t n) {
                              if (ec) {
                                self->on_read(ec, n);
                                return;
                              }
                              if (self->refuse_framing())
                                return;
                              self->read_body();
                            });
  }

  void on_read(beast::error_code ec, std::size_t) {
    if (server_.draining.load() && (!ec || ec == net::error::operation_aborted)) {
      // The drain began before this request was handled: it is refused whole, never run, so
      // nothing it asks for is done without the client hearing of it.
      if (!ec || buffer_.size() > 0 || parser_->got_some()) {
        server_.refused_draining.fetch_add(1);
        if (!ec)
          note_request(parser_->get());
        do_write(edge_problem(http::status::service_unavailable, "unavailable",
                              "Expected a server accepting requests, but it is shutting down; "
                              "the request was not run, retry it",
                              request_version_, server_.options.server_name));
        return;
      }
      do_close();
      return;
    }
    if (ec == http::error::end_of_stream || ec == net::error::operation_aborted ||
        ec == net::error::connection_reset || ec == net::error::eof) {
      do_close();
      return;
    }
    if (ec == beast::error::timeout) {
      server_.read_timeouts.fetch_add(1);
      do_close();
      return;
    }
    if (ec == http::error::body_limit) {
      server_.too_large.fetch_add(1);
      do_write(edge_problem(http::status::payload_too_large, "too_large",
                            "Expected a request body of at most " +
                                std::to_string(server_.options.body_limit) +
                                " bytes, but it is larger",
                            11, server_.options.server_name));
      return;
    }
    if (ec == http::error::header_limit) {
      server_.too_large.fetch_add(1);
      do_write(edge_problem(http::status::request_header_fields_too_large, "too_large",
                            "Expected request headers of at most " +
                                std::to_string(server_.options.header_limit) +
                                " bytes, but they are larger",
                            11, server_.options.server_name));
      return;
    }
    if (ec) {
      if (buffer_.size() == 0 && !parser_->got_some()) {
        do_close();
        return;
      }
      do_write(edge_problem(http::status::bad_request, "bad_request",
                            "Expected an HTTP/1.1 request, but it does not parse: " + ec.message(),
                            11, server_.options.server_name));
      return;
    }
    phase_ = Phase::kHandling;
    stream_.expires_never();
    Request request = parser_->release();
    note_request(request);
    server_.handler(std::move(request), Responder(shared_from_this()));
  }

  void note_request(const Request& request) {
    request_keep_alive_ = request.keep_alive();
    request_version_ = request.version();
  }

  void do_write(Response res) {
    if (phase_ == Phase::kClosed)
      return;
    phase_ = Phase::kWriting;
    res.version(request_version_);
    if (!request_keep_alive_ || server_.draining.load() || refuse_)
      res.keep_alive(false);
    if (res.find(http::field::server) == res.end())
      res.set(http::field::server, server_.options.server_name);
    add_security_headers(res.base());
    res.prepare_payload();
    response_ = std::make_shared<Response>(std::move(res));
    const bool close = !response_->keep_alive();
    stream_.expires_after(server_.options.write_timeout);
    http::async_write(stream_, *response_,
                      [self = shared_from_this(), close](beast::error_code ec, std::size_t) {
                        self->on_write(close, ec);
                      });
  }

  void on_write(bool close, beast::error_code ec) {
    response_.reset();
    if (ec) {
      do_close();
      return;
    }
    if (close) {
      linger();
      return;
    }
    do_read();
  }

  // A closing reply may leave part of the request unread (a body over the limit): closing at
  // once would reset the connection and could destroy the reply before the client reads it. So
  // the session stops sending, then reads and discards for a short while before it closes.
  void linger() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    if (ec) {
      do_close();
      return;
    }
    phase_ = Phase::kWriting;
    stream_.expires_after(std::chrono::milliseconds(500));
    discard(0);
  }

  void discard(std::size_t discarded) {
    stream_.async_read_some(net::buffer(probe_), [self = shared_from_this(), discarded](
                                                     beast::error_code ec, std::size_t n) {
      if (ec || discarded + n > (4u << 20)) {
        self->do_close();
        return;
      }
      self->discard(discarded + n);
    });
  }

  // --- event streams ---------------------------------------------------------------------------

  void start_stream(StreamedResponse reply) {
    if (phase_ == Phase::kClosed)
      return;
    phase_ = Phase::kStreaming;
    event_stream_ = std::move(reply.stream);
    stream_header_ =
        std::make_shared<http::response<http::empty_body>>(reply.header.result(), request_version_);
    for (const auto& field : reply.header)
      stream_header_->set(field.name_string(), field.value());
    stream_header_->set(http::field::server, server_.options.server_name);
    stream_header_->set(http::field::cache_control, "no-store");
    add_security_headers(*stream_header_);
    stream_header_->keep_alive(false);
    stream_header_->chunked(true);
    serializer_ = std::make_shared<http::response_serializer<http::empty_body>>(*stream_header_);
    stream_.expires_after(server_.options.write_timeout);
    http::async_write_header(stream_, *serializer_,
                             [self = shared_from_this()](beast::error_code ec, std::size_t) {
                               if (ec) {
                                 self->do_close();
                                 return;
                               }
                               self->last_piece_ = std::chrono::steady_clock::now();
                               self->watch_client();
                               self->stream_next();
                             });
  }

  // A pending read that notices the client going away while the stream is idle.
  void watch_client() {
    stream_.socket().async_read_some(
        net::buffer(probe_), [self = shared_from_this()](beast::error_code ec, std::size_t) {
          if (ec) {
            self->client_gone_ = true;
            self->timer_.cancel();
            return;
          }
          if (self->phase_ == Phase::kStreaming)
            self->watch_client();
        });
  }

  void stream_next() {
    if (phase_ != Phase::kStreaming)
      return;
    if (client_gone_) {
      do_close();
      return;
    }
    std::optional<std::string> piece;
    if (!server_.draining.load())
      piece = event_stream_->poll();
    if (!piece) {
      chunk_.clear();
      stream_.expires_after(server_.options.write_timeout);
      net::async_write(
          stream_, http::make_chunk_last(),
          [self = shared_from_this()](beast::error_code, std::size_t) { self->do_close(); });
      return;
    }
    const auto now = std::chrono::steady_clock::now();
    if (piece->empty()) {
      if (now - last_piece_ < server_.options.stream_heartbeat) {
        timer_.expires_after(server_.options.stream_poll_interval);
        timer_.async_wait([self = shared_from_this()](beast::error_code) { self->stream_next(); });
        return;
      }
      *piece = ": heartbeat\n\n";
    }
    last_piece_ = now;
    chunk_ = std::move(*piece);
    stream_.expires_after(server_.options.write_timeout);
    net::async_write(stream_, http::make_chunk(net::buffer(chunk_)),
                     [self = shared_from_this()](beast::error_code ec, std::size_t) {
                       if (ec) {
                         self->do_close();
                         return;
                       }
                       self->stream_next();
                     });
  }

  void do_close() {
    if (phase_ == Phase::kClosed)
      return;
    phase_ = Phase::kClosed;
    timer_.cancel();
    event_stream_.reset();
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    stream_.socket().close(ec);
  }

  HttpServer::Impl& server_;
  beast::tcp_stream stream_;
  net::steady_timer timer_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::shared_ptr<Response> response_;
  bool refuse_ = false;
  std::string refusal_;
  std::string address_;
  bool registered_ = false;
  Phase phase_ = Phase::kReading;
  bool request_keep_alive_ = true;
  unsigned request_version_ = 11;

  std::shared_ptr<EventStream> event_stream_;
  std::shared_ptr<http::response<http::empty_body>> stream_header_;
  std::shared_ptr<http::response_serializer<http::empty_body>> serializer_;
  std::string chunk_;
  std::array<char, 512> probe_{};
  bool client_gone_ = false;
  std::chrono::steady_clock::time_point last_piece_{};
};

void Responder::operator()(Reply reply) const {
  session_->complete(std::move(reply));
}

std::string Responder::client_address() const {
  return session_ ? session_->client_address() : std::string();
}

void Responder::post(std::function<void()> f) const {
  session_->post(std::move(f));
}

void HttpServer::Impl::add(HttpSession* session, std::weak_ptr<HttpSession> weak) {
  std::lock_guard lock(sessions_mu);
  sessions.emplace(session, std::move(weak));
}

void HttpServer::Impl::remove(HttpSession* session) {
  std::lock_guard lock(sessions_mu);
  sessions.erase(session);
  sessions_cv.notify_all();
}

void HttpServer::Impl::release_address(const std::string& address) {
  std::lock_guard lock(sessions_mu);
  if (auto it = per_address.find(address); it != per_address.end() && --it->second == 0)
    per_address.erase(it);
}

void HttpServer::Impl::do_accept() {
  acceptor.async_accept(net::make_strand(ioc), [this](beast::error_code ec, tcp::socket socket) {
    on_accept(ec, std::move(socket));
  });
}

void HttpServer::Impl::on_accept(beast::error_code ec, tcp::socket socket) {
  if (ec == net::error::operation_aborted || !acceptor.is_open())
    return;
  if (!ec) {
    accepted.fetch_add(1);
    beast::error_code endpoint_ec;
    const auto remote = socket.remote_endpoint(endpoint_ec);
    std::string address = endpoint_ec ? std::string() : remote.address().to_string();
    std::string refusal;
    {
      std::lock_guard lock(sessions_mu);
      if (sessions.size() >= options.max_connections) {
        refusal =
            "Expected fewer open connections, but the server is at its connection limit; retry "
            "later";
      } else if (auto it = per_address.find(address);
                 !address.empty() && it != per_address.end() &&
                 it->second >= options.max_connections_per_address) {
        refusal = "Expected at most " + std::to_string(options.max_connections_per_address) +
                  " open connections from one address, but this one has that many; close some "
                  "or retry later";
      }
      if (refusal.empty() && !address.empty())
        ++per_address[address];
      else
        address.clear();
    }
    beast::error_code nodelay_ec;
    socket.set_option(tcp::no_delay(true), nodelay_ec);
    std::make_shared<HttpSession>(std::move(socket), *this, std::move(refusal), std::move(address))
        ->run();
  } else {
    spdlog::warn("accept failed: {}", ec.message());
  }
  if (!draining.load())
    do_accept();
}

HttpServer::HttpServer(HttpServerOptions options, HttpHandler handler)
    : impl_(std::make_shared<Impl>(std::move(options), std::move(handler))) {}

HttpServer::~HttpServer() {
  stop();
}

Expected<void, std::string> HttpServer::start() {
  if (impl_->started.exchange(true))
    return unexpected(std::string("Expected a server not yet started, but it was started"));
  beast::error_code ec;
  auto address = net::ip::make_address(impl_->options.host, ec);
  if (ec)
    return unexpected("Expected an IP address to listen on, but got '" + impl_->options.host +
                      "': " + ec.message());
  tcp::endpoint endpoint{address, impl_->options.port};
  auto& acceptor = impl_->acceptor;
  acceptor.open(endpoint.protocol(), ec);
  if (!ec)
    acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec)
    acceptor.bind(endpoint, ec);
  if (!ec)
    acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (ec)
    return unexpected("Expected to listen on " + impl_->options.host + ":" +
                      std::to_string(impl_->options.port) + ", but " + ec.message());
  impl_->bound_port = acceptor.local_endpoint().port();
  net::dispatch(acceptor.get_executor(), [impl = impl_.get()] { impl->do_accept(); });
  const auto n = std::max<std::size_t>(1, impl_->options.threads);
  for (std::size_t i = 0; i < n; ++i)
    impl_->threads.emplace_back([impl = impl_.get()] { impl->ioc.run(); });
  return {};
}

void HttpServer::stop() {
  if (!impl_->started.load() || impl_->stopped.exchange(true))
    return;
  auto& impl = *impl_;
  impl.draining.store(true);
  net::post(impl.acceptor.get_executor(), [&impl] {
    beast::error_code ec;
    impl.acceptor.close(ec);
  });
  std::vector<std::shared_ptr<HttpSession>> live;
  {
    std::lock_guard lock(impl.sessions_mu);
    for (auto& [raw, weak] : impl.sessions) {
      if (auto s = weak.lock())
        live.push_back(std::move(s));
    }
  }
  for (auto& s : live)
    s->drain();
  live.clear();
  auto wait_for_sessions = [&impl](std::chrono::milliseconds bound) {
    std::unique_lock lock(impl.sessions_mu);
    return impl.sessions_cv.wait_for(lock, bound, [&impl] { return impl.sessions.empty(); });
  };
  if (!wait_for_sessions(impl.options.drain_timeout)) {
    // Slow clients and streams are cut now; a request still being handled keeps its connection
    // until its reply is written, so a command that commits is always answered.
    {
      std::lock_guard lock(impl.sessions_mu);
      spdlog::warn("drain: {} connections still open after {} ms; closing the idle ones",
                   impl.sessions.size(), impl.options.drain_timeout.count());
      for (auto& [raw, weak] : impl.sessions) {
        if (auto s = weak.lock())
          live.push_back(std::move(s));
      }
    }
    for (auto& s : live)
      s->abandon();
    live.clear();
    if (!wait_for_sessions(impl.options.reply_timeout)) {
      std::lock_guard lock(impl.sessions_mu);
      spdlog::error("drain: {} requests still unanswered after a further {} ms; abandoned",
                    impl.sessions.size(), impl.options.reply_timeout.count());
    }
  }
  impl.work.reset();
  impl.ioc.stop();
  for (auto& t : impl.threads) {
    if (t.joinable())
      t.join();
  }
}

std::uint16_t HttpServer::port() const {
  return impl_->bound_port;
}

HttpServerStats HttpServer::stats() const {
  HttpServerStats s;
  s.connections_accepted = impl_->accepted.load();
  s.connections_refused = impl_->refused.load();
  {
    std::lock_guard lock(impl_->sessions_mu);
    s.connections_open = impl_->sessions.size();
  }
  s.requests_too_large = impl_->too_large.load();
  s.read_timeouts = impl_->read_timeouts.load();
  s.requests_malformed = impl_->malformed.load();
  s.requests_refused_draining = impl_->refused_draining.load();
  return s;
}

const HttpServerOptions& HttpServer::options() const {
  return impl_->options;
}

}  // namespace docket::api
