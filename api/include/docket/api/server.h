// DocketServer: the HTTP/JSON API over a Platform — routes, authentication, roles, the event
// feed, OpenAPI, metrics — served by an HttpServer. docketd builds one over its data directory;
// tests build one in-process over a store on a ManualClock.
//
// Composition: the caller owns the EventStore and the app::Platform (and its Secrets); the
// server owns the projections' Projector (standard_projections(), following the log on its own
// thread), the read models, the session store (family "api.sessions"), the record of who
// uploaded which blob (family "api.uploads"), a worker pool for blocking work (password hashing,
// uploads, multi-step commands) and the HttpServer. A plain command is decided on the io thread and
// handed to the store's group commit; the commit's completion answers it on the connection's io
// thread, so no thread waits for an fsync.
//
// Conventions of every route (see README "The HTTP API"): JSON bodies; `Authorization: Bearer
// <token>` for people, `Authorization: ApiKey <key>` or `X-Api-Key` for court systems;
// `Idempotency-Key` on every POST that writes (a repeat returns the first result and writes
// nothing); `If-Match: "<version>"` for optimistic concurrency and `ETag` on resources; the
// committed position in `Docket-Position` and in the body; `?after=P` (or `Docket-After: P`) on
// queries waits (bounded) until the read models reached P; errors as application/problem+json.
//
// Thread-safety: start()/stop()/settle() from one controlling thread; everything else is driven
// by the server's own threads.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "docket/api/http_server.h"
#include "docket/api/routes.h"
#include "docket/app/platform.h"
#include "docket/engine/event_store.h"

namespace docket::projections {
class Projector;
class ReadModels;
}  // namespace docket::projections

namespace docket::api {

struct ServerOptions {
  HttpServerOptions http;
  // Threads for blocking work: password hashing, uploads, multi-step commands, and routes whose
  // commands are still run synchronously (each waits for its group commit there).
  std::size_t workers = 64;
  // Threads for reads that may block (a wait for the read models, a file); never the commands'.
  std::size_t read_workers = 16;
  // Secret of the payment provider's callback signatures (HMAC-SHA-256 over the body, hex, in
  // the X-Payment-Signature header). Empty: the callback answers 503.
  std::string payment_secret;
  std::chrono::milliseconds max_wait{5'000};  // the longest ?after=P waits for the read models
  std::int64_t session_ttl_us = 12LL * 3600 * 1'000'000;
  // The bytes the cache of live sessions may take (least recently used out; the rest are read
  // from the store when used).
  std::size_t session_cache_bytes = 16u << 20;
  // Failed password checks (docket/api/login_throttle.h), inside the window below: of one
  // account from one source address (also of one session), and of any accounts from one source.
  std::uint32_t max_failed_logins = 5;
  std::uint32_t max_failed_logins_per_source = 20;
  std::int64_t failed_login_window_us = 15LL * 60 * 1'000'000;
  std::size_t failed_login_counter_bytes = 16u << 20;  // the counters' memory, at most
  std::uint64_t max_upload_bytes = 16u << 20;          // one blob (also bounded by the body limit)
  // Content types accepted for uploads.
  std::vector<std::string> upload_types = {"application/pdf", "image/jpeg",     "image/png",
                                           "image/gif",       "image/webp",     "image/tiff",
                                           "text/plain",      "application/ofd"};
  // Start the platform's reactor and timer threads (production). Off in tests on a manual clock,
  // which call settle() instead.
  bool run_platform = true;
  // Tests only: called on the thread that handles a request, just before its route's handler runs
  // (`parked` false), or when the request is a copy of a keyed write in flight and is parked to
  // get the first's reply instead (`parked` true). Empty in production.
  std::function<void(const Request&, bool parked)> on_dispatch;
};

class DocketServer {
 public:
  DocketServer(engine::EventStore& store, app::Platform& platform, ServerOptions options = {});
  ~DocketServer();  // stop()
  DocketServer(const DocketServer&) = delete;
  DocketServer& operator=(const DocketServer&) = delete;

  // Catches the read models up with the log, starts the projector (and the platform's
  // background work when run_platform), then listens. Error text when anything fails.
  Expected<void, std::string> start();
  // Graceful drain of the HTTP side (in-flight requests finish), then the worker pool, the
  // projector and the platform's background work stop.
  void stop();

  // Tests: runs the platform's reactions and due timers until quiet, then waits until the read
  // models reached the end of the log. Not with run_platform.
  engine::Result<std::size_t> settle();

  std::uint16_t port() const;
  const std::vector<RouteSpec>& routes() const;
  projections::Projector& projector();
  const projections::ReadModels& read_models() const;
  app::Platform& platform();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace docket::api
