// HttpServer: Docket's network edge, shaped like Beast's advanced server.
//
// A listener accepts connections up to a bounded count, in all and per client address (beyond
// either a connection gets 503 and is closed); each connection is a session that reads one request
// at a time (a first-byte timeout, header and body size limits, a read timeout, keep-alive),
// checks its framing (RFC 9112: a Transfer-Encoding other than a final "chunked" is refused, 400,
// or 501 for a coding it does not implement, and the connection closed; an HTTP/1.1 request
// without exactly one Host is 400), hands it to the handler and writes the reply before reading
// the next (a pipeline of one). Every reply carries the browser security headers
// (X-Content-Type-Options: nosniff, X-Frame-Options: DENY, a restrictive Content-Security-Policy
// and Referrer-Policy unless the reply set its own, and Cache-Control: no-store unless it set
// one). The handler is the whole application: a function from request to
// reply that may answer at once or later from another thread (Responder), so the io threads never
// wait on an fsync. A reply may also be an event stream (Server-Sent Events): the session writes
// the header, then the chunks an EventStream produces, until the client leaves or the server stops.
//
// stop() drains gracefully: it stops accepting, closes idle connections, lets each in-flight
// request finish and write its reply (with "Connection: close"), ends event streams, and then stops
// the io threads. A request that was not yet handed to the handler when the drain began is not
// run: it is answered 503 (problem+json, "Connection: close"), or the connection is closed before
// any of it was read. After the drain timeout the connections left waiting on a client (a stalled
// read, a stream) are closed; a request still being handled keeps its connection until its reply
// is written (a write is bounded by the write timeout), so a handler's reply is never cut off or
// dropped by the drain — up to a further reply_timeout, past which stop() gives up and logs it.
//
// Thread-safety: start() and stop() from one controlling thread; the handler runs on io threads,
// concurrently for different connections; Responder may be completed from any thread, once.
#pragma once

#include <boost/beast/http.hpp>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <variant>

#include "docket/common/expected.h"

namespace docket::api {

namespace http = boost::beast::http;

using Request = http::request<http::string_body>;
using Response = http::response<http::string_body>;

// The body of a streamed reply, produced piece by piece on the connection's io thread.
class EventStream {
 public:
  virtual ~EventStream() = default;
  // The next piece of body text, without blocking: "" when there is nothing new yet (the session
  // asks again shortly), nullopt when the stream has ended.
  virtual std::optional<std::string> poll() = 0;
};

// A streamed reply: the header (status, content type…) and the stream that produces the body.
struct StreamedResponse {
  Response header;  // its body is ignored
  std::shared_ptr<EventStream> stream;
};

using Reply = std::variant<Response, StreamedResponse>;

class HttpSession;

// Completes one request with its reply. Copyable; completing it more than once, or not at all,
// is a bug (a never-completed request holds its connection, and stop(), for the drain and reply
// timeouts). A Responder must not outlive the HttpServer.
class Responder {
 public:
  explicit Responder(std::shared_ptr<HttpSession> session) : session_(std::move(session)) {}
  void operator()(Reply reply) const;
  // The connection's peer address as the socket reports it ("" when unknown). Forwarding headers
  // are never consulted.
  std::string client_address() const;
  // Runs `f` on the connection's io thread (its strand), e.g. to make the reply there.
  void post(std::function<void()> f) const;

 private:
  std::shared_ptr<HttpSession> session_;
};

struct HttpServerOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;  // 0: an ephemeral port (see HttpServer::port())
  std::size_t threads = 2;
  std::size_t max_connections = 1024;
  // Open connections from one client address at most; beyond it a connection gets 503 and is
  // closed, so one client cannot hold every connection.
  std::size_t max_connections_per_address = 256;
  std::size_t body_limit = 16u << 20;    // bytes; beyond it: 413
  std::size_t header_limit = 16u << 10;  // bytes; beyond it: 431
  // The longest a connection may stay silent before the first byte of a request (a new
  // connection, or a keep-alive one after its previous reply); then it is closed.
  std::chrono::milliseconds first_byte_timeout{5'000};
  // The longest a connection may take to deliver a whole request, counted from its first byte.
  std::chrono::milliseconds read_timeout{60'000};
  std::chrono::milliseconds write_timeout{30'000};
  // stop(): the longest it waits for every connection to finish before closing those that wait on
  // a client; then the longest it waits further for requests still being handled.
  std::chrono::milliseconds drain_timeout{10'000};
  std::chrono::milliseconds reply_timeout{60'000};
  std::chrono::milliseconds stream_poll_interval{50};  // how often an idle event stream polls
  std::chrono::milliseconds stream_heartbeat{15'000};  // an SSE comment line when idle this long
  std::string server_name = "docketd";
};

// Called for every request with a connection's io executor current.
using HttpHandler = std::function<void(Request, Responder)>;

// What the edge itself observed (for /metrics).
struct HttpServerStats {
  std::uint64_t connections_accepted = 0;
  std::uint64_t connections_refused = 0;  // over max_connections or max_connections_per_address
  std::uint64_t connections_open = 0;
  std::uint64_t requests_too_large = 0;         // 413 / 431
  std::uint64_t read_timeouts = 0;              // first-byte and whole-request timeouts
  std::uint64_t requests_malformed = 0;         // 400 / 501 at the edge (framing, Host)
  std::uint64_t requests_refused_draining = 0;  // 503: arrived after the drain began
};

class HttpServer {
 public:
  HttpServer(HttpServerOptions options, HttpHandler handler);
  ~HttpServer();  // stop()
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds and listens, then runs the io threads. Error text when the address cannot be bound.
  Expected<void, std::string> start();
  // Graceful drain (see the class comment); returns when every io thread has stopped.
  void stop();

  std::uint16_t port() const;  // the bound port, after start()
  HttpServerStats stats() const;
  const HttpServerOptions& options() const;

 private:
  friend class HttpSession;
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace docket::api
