#include "docket/api/server.h"

#include <spdlog/spdlog.h>

#include "docket/projections/projector.h"
#include "docket/projections/read_models.h"
#include "metrics.h"
#include "service.h"
#include "sessions.h"

namespace docket::api {

struct DocketServer::Impl {
  Impl(engine::EventStore& s, app::Platform& p, ServerOptions o)
      : store(s),
        platform(p),
        options(std::move(o)),
        projector(s, projections::standard_projections()),
        read_models(s) {}

  engine::EventStore& store;
  app::Platform& platform;
  ServerOptions options;
  projections::Projector projector;
  projections::ReadModels read_models;
  std::unique_ptr<SessionStore> sessions;
  std::unique_ptr<Service> service;
  std::unique_ptr<HttpServer> http;
  bool started = false;
  bool stopped = false;
};

DocketServer::DocketServer(engine::EventStore& store, app::Platform& platform,
                           ServerOptions options)
    : impl_(std::make_unique<Impl>(store, platform, std::move(options))) {
  SessionOptions session_options;
  session_options.ttl_us = impl_->options.session_ttl_us;
  session_options.throttle.max_per_account = impl_->options.max_failed_logins;
  session_options.throttle.max_per_holder = impl_->options.max_failed_logins;
  session_options.throttle.max_per_source = impl_->options.max_failed_logins_per_source;
  session_options.throttle.window_us = impl_->options.failed_login_window_us;
  session_options.throttle.max_bytes = impl_->options.failed_login_counter_bytes;
  session_options.secrets = &platform.secrets();
  session_options.cache_bytes = impl_->options.session_cache_bytes;
  auto sessions = SessionStore::open(store, session_options);
  if (sessions)
    impl_->sessions = std::move(*sessions);
  else
    spdlog::error("{}", sessions.error().message);
  if (impl_->sessions) {
    impl_->service = std::make_unique<Service>(
        store, platform, impl_->projector, impl_->read_models, *impl_->sessions, impl_->options);
  }
}

DocketServer::~DocketServer() {
  stop();
}

Expected<void, std::string> DocketServer::start() {
  auto& impl = *impl_;
  if (!impl.service)
    return unexpected(std::string("Expected the session store to open, but it did not"));
  if (impl.started)
    return unexpected(std::string("Expected a server not yet started, but it was started"));
  impl.started = true;
  if (auto caught = impl.projector.catch_up(); !caught)
    return unexpected("Expected the read models to catch up with the log, but " +
                      caught.error().message);
  impl.projector.start();
  if (impl.options.run_platform)
    impl.platform.start();
  impl.http = std::make_unique<HttpServer>(
      impl.options.http, [service = impl.service.get()](Request request, Responder respond) {
        service->handle(std::move(request), std::move(respond));
      });
  auto* http = impl.http.get();
  impl.service->extra_metrics = [http, service = impl.service.get()](std::string& out) {
    const auto s = http->stats();
    Metrics::sample(out, "docket_http_connections_open", "gauge", "Open connections.",
                    static_cast<double>(s.connections_open));
    Metrics::sample(out, "docket_http_connections_accepted_total", "counter",
                    "Connections accepted.", static_cast<double>(s.connections_accepted));
    Metrics::sample(out, "docket_http_connections_refused_total", "counter",
                    "Connections refused at the connection limit, in all or per address.",
                    static_cast<double>(s.connections_refused));
    Metrics::sample(out, "docket_http_requests_too_large_total", "counter",
                    "Requests over the body or header limit.",
                    static_cast<double>(s.requests_too_large));
    Metrics::sample(out, "docket_http_read_timeouts_total", "counter",
                    "Connections closed for a read timeout.", static_cast<double>(s.read_timeouts));
    Metrics::sample(out, "docket_http_requests_malformed_total", "counter",
                    "Requests refused at the edge for their framing (Transfer-Encoding, Host).",
                    static_cast<double>(s.requests_malformed));
    Metrics::sample(out, "docket_http_requests_refused_draining_total", "counter",
                    "Requests answered 503 because the server was shutting down.",
                    static_cast<double>(s.requests_refused_draining));
    Metrics::sample(out, "docket_api_idempotent_copies_total", "counter",
                    "Copies of a keyed write answered with the reply of the first, in flight.",
                    static_cast<double>(service->copies_answered()));
  };
  if (auto listening = impl.http->start(); !listening)
    return unexpected(listening.error());
  spdlog::info("docketd listening on {}:{} ({} io threads, {} workers)", impl.options.http.host,
               impl.http->port(), impl.options.http.threads, impl.options.workers);
  return {};
}

void DocketServer::stop() {
  auto& impl = *impl_;
  if (!impl.started || impl.stopped)
    return;
  impl.stopped = true;
  if (impl.http)
    impl.http->stop();  // drain: in-flight requests finish and reply
  if (impl.service)
    impl.service->stop();  // the worker pool has nothing left
  if (impl.options.run_platform)
    impl.platform.stop();
  impl.projector.stop();
  spdlog::info("docketd stopped");
}

engine::Result<std::size_t> DocketServer::settle() {
  std::size_t total = 0;
  for (int round = 0; round < 100; ++round) {
    auto handled = impl_->platform.settle();
    if (!handled)
      return unexpected(handled.error());
    total += *handled;
    const auto last = impl_->store.last_position();
    if (!impl_->projector.wait_for(last, std::chrono::seconds(30)))
      return unexpected(engine::Error{engine::ErrorCode::kIo,
                                      "Expected the read models to reach position " +
                                          std::to_string(last) + ", but they did not",
                                      std::nullopt, std::nullopt});
    if (*handled == 0)
      break;
  }
  return total;
}

std::uint16_t DocketServer::port() const {
  return impl_->http ? impl_->http->port() : 0;
}

const std::vector<RouteSpec>& DocketServer::routes() const {
  return impl_->service->specs();
}

projections::Projector& DocketServer::projector() {
  return impl_->projector;
}

const projections::ReadModels& DocketServer::read_models() const {
  return impl_->read_models;
}

app::Platform& DocketServer::platform() {
  return impl_->platform;
}

}  // namespace docket::api
