// The application behind the HTTP edge: the router (a pure function from request to reply),
// authentication, the route handlers and their helpers. Internal to docket_api.
//
// A request goes: match a route (404 / 405) -> check the path's ids (400, identifiers.h) ->
// authenticate (401) -> check the role (403) and the first-password rule (403) -> check
// Idempotency-Key / If-Match / after -> the scope of the resource the path names (scope.h) -> run
// the handler, inline on the io thread when it cannot block, else on a pool -> reply, with
// metrics. A command route (CommandHandler) runs on the io thread: its command is decided there
// and handed to the store's group commit (submit), and the commit's completion answers it on
// the connection's io thread; no thread waits for the fsync.
// A keyed write (a route that writes, with an Idempotency-Key) whose copy is already being
// handled does not run: it waits, holding no thread, and gets the first's reply (status, headers
// and body alike). A copy that arrives after the first was answered runs and is answered from
// the stored key (the first's position, stream, version and ids, with "deduplicated": true).
// A copy is the same request: the digest of the first's method, route, path and body is kept
// with its key (family "api.idempotency"), and the key sent again with another request is
// refused (422, idempotency_key_reused) and changes nothing. The digest is written in the same
// atomic write as the command's events (app::Request::side_writes), so no io thread writes to
// the store by itself, and a request that wrote nothing (refused) leaves no record, as the
// engine keeps none, so its key may be used again.
#pragma once

#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/json.hpp>

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "docket/api/http_server.h"
#include "docket/api/problem.h"
#include "docket/api/routes.h"
#include "docket/api/server.h"
#include "docket/app/platform.h"
#include "docket/projections/projector.h"
#include "docket/projections/read_models.h"
#include "json_input.h"
#include "metrics.h"
#include "sessions.h"

namespace docket::api {

namespace json = boost::json;

using Result = Expected<Reply, Problem>;

// One request as a handler sees it.
struct Call {
  const Request& request;
  const RouteSpec& route;
  std::vector<std::pair<std::string, std::string>> params;  // path parameters, decoded
  std::vector<std::pair<std::string, std::string>> query;   // query parameters, decoded
  domain::Principal principal;  // the caller (role kSystem and empty id when anonymous)
  bool authenticated = false;
  std::string token;  // the bearer token, when one authenticated the call
  std::string idempotency_key;
  std::optional<std::uint64_t> if_match;
  std::uint64_t after = 0;
  std::int64_t now_us = 0;
  std::string client_address;  // the connection's peer address ("" when unknown)
  // What the ids the server makes for this request follow from (made_id): random, and kept
  // with the Idempotency-Key's record, so a repeat of a keyed write makes the same ids.
  std::string id_seed;
  // A keyed write's record (family "api.idempotency"), to be written with the command's events
  // (app::Request::side_writes), and whether an append carried it: set by accepted() for an
  // outcome that wrote. A successful request that carried none (a route without a command)
  // has it written by itself once it is answered.
  std::vector<engine::SideWrite> side_writes;
  std::shared_ptr<std::atomic<bool>> side_writes_carried;

  // A path parameter ("" when absent).
  const std::string& param(std::string_view name) const;
  // A query parameter.
  std::optional<std::string> query_param(std::string_view name) const;
  // The JSON object body (400 when it does not parse).
  Expected<json::object, Problem> body() const { return Fields::parse(request.body()); }
  bool is(domain::Role role) const { return principal.role == role; }
  // The id the server makes for a thing this request creates: `prefix` and 32 lower-case hex
  // digits, unguessable (from id_seed, never from the caller or the key) and the same for a
  // repeat of the request with its Idempotency-Key. Distinct prefixes give distinct ids.
  std::string made_id(std::string_view prefix) const;

  // Answers later: marks the call deferred and returns the function that answers it (exactly
  // once, from any thread; it keeps the call alive). The handler's own result is then ignored.
  std::function<std::function<void(Result)>()> defer;
  bool deferred = false;
  // Runs a function on the io thread of the caller's connection.
  std::function<void(std::function<void()>)> post;
};

using Handler = std::function<Result(Call&)>;

// A route handler that hands a command to the engine without waiting for its commit
// (Service::submit): the route runs on the io thread, whatever RouteSpec::blocking says, and
// is answered when the group commit completes.
struct CommandHandler {
  Handler handler;
  // The body's type (body.h), when the route takes a JSON body: RouteSpec::request.
  const schema::Type* request = nullptr;
};

// A route handler that reads a typed JSON body (body.h) before it runs; the route's
// RouteSpec::request is the body's type.
struct BodyHandler {
  Handler handler;
  const schema::Type* request = nullptr;
};

struct Route {
  RouteSpec spec;
  Handler handler;
  std::vector<std::string> segments;  // the path split at '/', "{name}" for parameters
  std::size_t index = 0;              // in the table (metrics)
  bool command = false;               // added as a CommandHandler
};

class Service {
 public:
  Service(engine::EventStore& store, app::Platform& platform, projections::Projector& projector,
          const projections::ReadModels& read_models, SessionStore& sessions,
          const ServerOptions& options);
  ~Service();

  // The handler the HttpServer calls.
  void handle(Request request, Responder respond);
  // Waits for the worker pool's queued work to finish (after the HTTP side drained).
  void stop();

  const std::vector<RouteSpec>& specs() const { return specs_; }

  // --- for the route files ---------------------------------------------------------------------
  void add(RouteSpec spec, Handler handler);
  void add(RouteSpec spec, CommandHandler handler);
  void add(RouteSpec spec, BodyHandler handler);

  // What a command's reply adds to {position, stream, …} once it committed, from its outcome and
  // the stream's state right after it (nullptr when it wrote nothing now: e.g. a repeat).
  template <class A>
  using Then = std::function<Expected<json::object, Problem>(const app::Accepted&,
                                                             const typename A::State* after)>;

  // Hands a domain command to the engine as the caller and defers the reply (see Call::defer)
  // until its group commit completes: no thread waits for the commit. The reply is what
  // accepted() makes of the outcome, with `then`'s fields added. A command that may block
  // (app::Platform::may_block: password hashing, several commits) runs on the worker pool.
  template <class A>
  Result submit(Call& call, const std::string& stream, typename A::Command command,
                http::status success = http::status::ok, json::object extra = {},
                Then<A> then = {}) {
    auto answer = call.defer();
    const Call* at = &call;  // alive as long as `answer`
    auto request = app_request(call);
    auto done = [this, at, answer, success, extra = std::move(extra), then = std::move(then)](
                    app::Outcome<app::Accepted> outcome, const typename A::State* after) mutable {
      if (outcome && then) {
        auto more = then(*outcome, after);
        if (!more)
          return answer(unexpected(std::move(more).error()));
        for (auto& [k, v] : *more)
          extra[k] = std::move(v);
      }
      answer(accepted(*at, outcome, success, std::move(extra)));
    };
    if (app::Platform::may_block<A>(command)) {
      boost::asio::post(workers_, [this, at, stream, command = std::move(command),
                                   request = std::move(request), done = std::move(done)]() mutable {
        auto outcome = platform_.execute<A>(stream, std::move(command), request);
        at->post([outcome = std::move(outcome), done = std::move(done)]() mutable {
          done(std::move(outcome), nullptr);
        });
      });
      return pending();
    }
    platform_.execute_async<A>(stream, std::move(command), request, call.post, std::move(done));
    return pending();
  }
  // What a handler that deferred its reply returns (ignored).
  static Result pending();

  // Runs a domain command as the caller and answers with its position and version.
  template <class A>
  Result execute(const Call& call, const std::string& stream, typename A::Command command,
                 http::status success = http::status::ok, json::object extra = {}) {
    return accepted(call, platform_.execute<A>(stream, std::move(command), app_request(call)),
                    success, std::move(extra));
  }
  // The reply to a command's outcome: the problem, or {position, stream, stream_version,
  // deduplicated, event_count, …extra} with Docket-Position and ETag.
  Result accepted(const Call& call, const app::Outcome<app::Accepted>& outcome,
                  http::status success = http::status::ok, json::object extra = {});
  // The platform request for the caller: actor, idempotency key (scoped by route and path),
  // If-Match.
  app::Request app_request(const Call& call, std::string_view key_suffix = {}) const;

  // A query's reply: 200 with the JSON value (404 / 500 for its error).
  Result query_reply(const Call& call, const engine::Result<json::value>& value) const;
  // A JSON reply with the read models' position in Docket-Position.
  Response json_reply(const Call& call, http::status status, const json::value& body) const;
  // A resource's reply: the read model's JSON once it reflects the stream's last event, with the
  // stream's version as ETag.
  Result resource_reply(const Call& call, const std::string& stream,
                        const std::function<engine::Result<json::value>()>& read);
  // Waits (bounded by max_wait) until the read models reached `position`.
  Expected<void, Problem> wait_for_projections(std::uint64_t position) const;

  // A blob's bytes as the reply body.
  Result blob_reply(const Call& call, const std::string& hash);

  // Access decisions shared by several routes (403 / 404 problems, as scope.h says);
  // may_read_case is defined in scope.cc.
  Expected<projections::CaseAccess, Problem> case_access(const Call& call,
                                                         const std::string& case_number) const;
  Expected<void, Problem> may_read_case(const Call& call,
                                        const projections::CaseAccess& access) const;

  app::Platform& platform() { return platform_; }
  engine::EventStore& store() { return store_; }
  const projections::ReadModels& read_models() const { return read_models_; }
  projections::Projector& projector() { return projector_; }
  SessionStore& sessions() { return sessions_; }
  const ServerOptions& options() const { return options_; }
  Metrics& metrics() { return metrics_; }
  // Copies of keyed writes answered with the reply of the first, in flight, since the start.
  std::uint64_t copies_answered() const { return copies_answered_.load(); }

  // {} when the caller may download blob `hash` (GetDocument): their own upload, or a file of
  // the resource named by ?filing=, ?case= or ?service= that they may reach (scope.h); defined
  // in scope.cc.
  Expected<void, Problem> blob_reached(const Call& call, const std::string& hash);

  // Records and checks who uploaded which blob (family "api.uploads").
  void record_upload(const std::string& hash, const domain::Principal& principal);
  bool uploaded_by(const std::string& hash, const domain::Principal& principal) const;

  json::value openapi() const;

  // Appends the edge's and the composition's own metrics (set by DocketServer).
  std::function<void(std::string&)> extra_metrics;

 private:
  struct Match {
    const Route* route = nullptr;
    std::vector<std::pair<std::string, std::string>> params;
    std::vector<std::string> allowed;  // methods of the path, for 405
  };
  Match match(http::verb method, std::string_view path) const;
  Result authenticate(Call& call);
  Result prepare(Call& call);
  // "Person, case and account match": the resource the route declares it touches (RouteSpec::
  // owner) is loaded once and reached only as scope.h says (a lawyer: theirs, else the 404 of a
  // missing one; staff: their court's, else 403), before anything runs. Defined in scope.cc.
  Result scope_guard(const Call& call);
  Expected<void, Problem> reach_owner(const Call& call);
  // A copy of a keyed write that arrived while the first was still being handled: it is
  // answered with the first's reply when that is ready, and never runs itself.
  struct Copy {
    std::shared_ptr<Request> request;
    Responder respond;
    std::chrono::steady_clock::time_point started;
  };
  // A keyed write being handled: the digest of its request and the copies waiting for its reply.
  struct InFlight {
    std::string digest;
    std::vector<Copy> copies;
  };
  // The digest of what makes a request itself: method, route, path and body.
  static std::string request_digest(const Call& call);
  // The "api.idempotency" record of a keyed write: the digest of the request first sent with
  // its key and the seed of the ids it made (both "" when none).
  struct KeyRecord {
    std::string digest;
    std::string id_seed;
  };
  KeyRecord recorded_digest(const std::string& copy) const;
  engine::SideWrite digest_write(const std::string& copy, const KeyRecord& record) const;
  void record_digest(const engine::SideWrite& write);
  // What makes two requests copies of one keyed write: the caller, the route, the path and the
  // Idempotency-Key (and, on public routes, where the caller is known only to the handler, the
  // body). Empty when the request is not a keyed write.
  std::string copy_key(const Call& call) const;
  // Answers the copies parked under `key` with `reply` and forgets the key.
  void answer_copies(const std::string& key, std::size_t route_index, const Reply& reply);
  // The 422 for a key sent again with another request.
  Problem key_reused(const Call& call) const;

  void run(std::shared_ptr<Request> request, const Route* route,
           std::vector<std::pair<std::string, std::string>> params, Responder respond,
           std::chrono::steady_clock::time_point started, bool on_worker);
  void finish(const Request& request, std::size_t route_index, Reply reply,
              const Responder& respond, std::chrono::steady_clock::time_point started);

  // The court the path's {court} names, as its stream holds it; not_found when there is none.
  Expected<domain::CourtState, Problem> existing_court(const Call& call);

  void add_session_routes();
  void add_account_routes();
  void add_court_routes();
  void add_filing_routes();
  void add_payment_routes();
  void add_case_routes();
  void add_document_routes();
  void add_query_routes();
  void add_feed_routes();
  void add_ops_routes();
  void add_hotline_routes();
  // {} when the request's body carries the payment provider's signature (routes_payments.cc).
  Expected<void, Problem> check_payment_signature(const Call& call) const;

  engine::EventStore& store_;
  app::Platform& platform_;
  projections::Projector& projector_;
  const projections::ReadModels& read_models_;
  SessionStore& sessions_;
  const ServerOptions& options_;
  rocksdb::ColumnFamilyHandle* uploads_ = nullptr;
  rocksdb::ColumnFamilyHandle* idempotency_ = nullptr;
  std::vector<Route> routes_;
  std::vector<RouteSpec> specs_;
  Metrics metrics_;
  std::mutex copies_mu_;
  // Keyed writes being handled, each with the copies waiting for its reply. Bounded by the
  // requests in flight (each entry is erased when its write is answered), not by the data.
  std::unordered_map<std::string, InFlight> in_flight_;
  std::atomic<std::uint64_t> copies_answered_{0};
  boost::asio::thread_pool workers_;  // commands (each waits for its group commit)
  boost::asio::thread_pool readers_;  // reads that may block (read models, blobs, waits)
};

// Helpers shared by the route files.
std::vector<domain::Role> roles(std::initializer_list<domain::Role> list);
extern const std::vector<domain::Role> kAllRoles;  // every role a principal can have
json::value position_body(std::uint64_t position);
std::string base64(std::string_view bytes);
// Percent-decodes a path segment or query value; nullopt on a malformed escape.
std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space);
// Percent-encodes one path segment (RFC 3986 unreserved characters stay).
std::string percent_encode(std::string_view text);

}  // namespace docket::api
