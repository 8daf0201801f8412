#include "service.h"

#include <rocksdb/db.h>
#include <spdlog/spdlog.h>

#include <boost/asio/post.hpp>

#include <algorithm>
#include <charconv>
#include <stdexcept>
#include <string>

#include "docket/engine/sha256.h"
#include "identifiers.h"

namespace docket::api {

namespace {

// Where each keyed write's request digest is kept (see service.h).
constexpr std::string_view kIdempotencyFamily = "api.idempotency";

std::vector<std::string> split_path(std::string_view path) {
  std::vector<std::string> out;
  if (path.empty() || path.front() != '/')
    return out;
  std::size_t start = 1;
  for (;;) {
    const auto slash = path.find('/', start);
    out.emplace_back(path.substr(start, slash == std::string_view::npos ? slash : slash - start));
    if (slash == std::string_view::npos)
      break;
    start = slash + 1;
  }
  return out;
}

bool is_param(const std::string& segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

std::optional<std::uint64_t> parse_u64(std::string_view text) {
  std::uint64_t value = 0;
  const auto* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || ptr != end || text.empty())
    return std::nullopt;
  return value;
}

// If-Match: "12", 12 or W/"12"; "*" matches any version.
std::optional<std::optional<std::uint64_t>> parse_if_match(std::string_view text) {
  if (text == "*")
    return std::optional<std::uint64_t>{};
  if (text.starts_with("W/"))
    text.remove_prefix(2);
  if (text.size() >= 2 && text.front() == '"' && text.back() == '"')
    text = text.substr(1, text.size() - 2);
  auto v = parse_u64(text);
  if (!v)
    return std::nullopt;
  return std::optional<std::uint64_t>(*v);
}

std::string role_list(const std::vector<domain::Role>& roles) {
  std::string out;
  for (auto r : roles)
    out += (out.empty() ? "" : ", ") + std::string(domain::enum_name(r));
  return out;
}

// The file name extension of an accepted upload type ("" for another).
std::string_view file_extension(std::string_view type) {
  static constexpr std::pair<std::string_view, std::string_view> kExtensions[] = {
      {"application/pdf", ".pdf"}, {"image/jpeg", ".jpg"},     {"image/png", ".png"},
      {"image/gif", ".gif"},       {"image/webp", ".webp"},    {"image/tiff", ".tif"},
      {"text/plain", ".txt"},      {"application/ofd", ".ofd"}};
  for (const auto& [t, e] : kExtensions) {
    if (t == type)
      return e;
  }
  return "";
}

}  // namespace

const std::vector<domain::Role> kAllRoles = {domain::Role::kLawyer,  domain::Role::kClerk,
                                             domain::Role::kJudge,   domain::Role::kCourtSystem,
                                             domain::Role::kAuditor, domain::Role::kAdmin};

std::vector<domain::Role> roles(std::initializer_list<domain::Role> list) {
  return list;
}

json::value position_body(std::uint64_t position) {
  return json::object{{"position", position}};
}

std::string base64(std::string_view bytes) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const auto n = (static_cast<unsigned char>(bytes[i]) << 16) |
                   (static_cast<unsigned char>(bytes[i + 1]) << 8) |
                   static_cast<unsigned char>(bytes[i + 2]);
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += kAlphabet[(n >> 6) & 63];
    out += kAlphabet[n & 63];
  }
  if (i + 1 == bytes.size()) {
    const auto n = static_cast<unsigned char>(bytes[i]) << 16;
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += "==";
  } else if (i + 2 == bytes.size()) {
    const auto n = (static_cast<unsigned char>(bytes[i]) << 16) |
                   (static_cast<unsigned char>(bytes[i + 1]) << 8);
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += kAlphabet[(n >> 6) & 63];
    out += '=';
  }
  return out;
}

std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '%') {
      if (i + 2 >= text.size())
        return std::nullopt;
      unsigned value = 0;
      auto [ptr, ec] = std::from_chars(text.data() + i + 1, text.data() + i + 3, value, 16);
      if (ec != std::errc() || ptr != text.data() + i + 3)
        return std::nullopt;
      out.push_back(static_cast<char>(value));
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::string percent_encode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '.' || c == '_' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

const std::string& Call::param(std::string_view name) const {
  static const std::string kEmpty;
  for (const auto& [k, v] : params) {
    if (k == name)
      return v;
  }
  return kEmpty;
}

std::string Call::made_id(std::string_view prefix) const {
  std::string material = id_seed;
  material += '\n';
  material += prefix;
  return std::string(prefix) + engine::to_hex(engine::sha256(material)).substr(0, 32);
}

std::optional<std::string> Call::query_param(std::string_view name) const {
  for (const auto& [k, v] : query) {
    if (k == name)
      return v;
  }
  return std::nullopt;
}

Service::Service(engine::EventStore& store, app::Platform& platform,
                 projections::Projector& projector, const projections::ReadModels& read_models,
                 SessionStore& sessions, const ServerOptions& options)
    : store_(store),
      platform_(platform),
      projector_(projector),
      read_models_(read_models),
      sessions_(sessions),
      options_(options),
      workers_(std::max<std::size_t>(1, options.workers)),
      readers_(std::max<std::size_t>(1, options.read_workers)) {
  uploads_ = store_.column_family("api.uploads");
  idempotency_ = store_.column_family(kIdempotencyFamily);
  add_session_routes();
  add_account_routes();
  add_court_routes();
  add_filing_routes();
  add_payment_routes();
  add_case_routes();
  add_document_routes();
  add_query_routes();
  add_feed_routes();
  add_ops_routes();
  add_hotline_routes();
  std::vector<std::string> operations;
  for (const auto& r : routes_)
    operations.push_back(r.spec.operation);
  metrics_.resize(operations);
}

Service::~Service() {
  stop();
}

void Service::stop() {
  workers_.join();
  readers_.join();
}

void Service::add(RouteSpec spec, Handler handler) {
  // Who owns what is declared, never guessed: a path that names a court's resource declares it,
  // and a declared owner is named by the path.
  for (auto owner : {Owner::kCase, Owner::kFiling, Owner::kPaymentCode, Owner::kService,
                     Owner::kHotlineRequest}) {
    const std::string param = "{" + std::string(owner_parameter(owner)) + "}";
    const bool named = spec.path.find(param) != std::string::npos;
    if (named && spec.owner == Owner::kNone)
      throw std::logic_error("Expected route " + spec.operation + " to declare the owner of " +
                             param + ", but it declares none");
  }
  if (spec.owner != Owner::kNone &&
      spec.path.find("{" + std::string(owner_parameter(spec.owner)) + "}") == std::string::npos)
    throw std::logic_error("Expected the path of route " + spec.operation +
                           " to name the resource it declares, but " + spec.path + " does not");
  Route route;
  route.segments = split_path(spec.path);
  route.spec = std::move(spec);
  route.handler = std::move(handler);
  route.index = routes_.size();
  specs_.push_back(route.spec);
  routes_.push_back(std::move(route));
}

Result Service::pending() {
  return Reply{};
}

void Service::add(RouteSpec spec, CommandHandler handler) {
  if (handler.request != nullptr)
    spec.request = handler.request;
  add(std::move(spec), std::move(handler.handler));
  routes_.back().command = true;
}

void Service::add(RouteSpec spec, BodyHandler handler) {
  spec.request = handler.request;
  add(std::move(spec), std::move(handler.handler));
}

Service::Match Service::match(http::verb method, std::string_view path) const {
  Match m;
  const auto raw = split_path(path);
  std::vector<std::string> segments;
  segments.reserve(raw.size());
  for (const auto& s : raw) {
    auto decoded = percent_decode(s, false);
    if (!decoded)
      return m;
    segments.push_back(std::move(*decoded));
  }
  for (const auto& route : routes_) {
    if (route.segments.size() != segments.size())
      continue;
    bool same = true;
    for (std::size_t i = 0; i < segments.size() && same; ++i) {
      if (is_param(route.segments[i]))
        same = !segments[i].empty();
      else
        same = route.segments[i] == segments[i];
    }
    if (!same)
      continue;
    if (route.spec.method != method &&
        !(method == http::verb::head && route.spec.method == http::verb::get)) {
      m.allowed.emplace_back(http::to_string(route.spec.method));
      continue;
    }
    m.route = &route;
    for (std::size_t i = 0; i < segments.size(); ++i) {
      if (is_param(route.segments[i]))
        m.params.emplace_back(route.segments[i].substr(1, route.segments[i].size() - 2),
                              segments[i]);
    }
    return m;
  }
  return m;
}

void Service::handle(Request request, Responder respond) {
  const auto started = std::chrono::steady_clock::now();
  const std::string_view target = request.target();
  const auto question = target.find('?');
  const auto path = target.substr(0, question);
  auto m = match(request.method(), path);
  if (m.route == nullptr) {
    Problem p;
    if (!m.allowed.empty()) {
      std::string allow;
      for (const auto& a : m.allowed)
        allow += (allow.empty() ? "" : ", ") + a;
      p = make_problem(http::status::method_not_allowed, problem_code::kMethodNotAllowed,
                       "Expected one of " + allow + " on " + std::string(path) + ", but got " +
                           std::string(request.method_string()));
      auto res = to_response(p, request.version());
      res.set(http::field::allow, allow);
      finish(request, metrics_.unmatched_slot(), std::move(res), respond, started);
      return;
    }
    p = not_found("Expected a route of the Docket API, but " +
                  std::string(request.method_string()) + " " + std::string(path) +
                  " is none (see /v1/openapi.json)");
    finish(request, metrics_.unmatched_slot(), to_response(p, request.version()), respond, started);
    return;
  }
  auto shared = std::make_shared<Request>(std::move(request));
  if (m.route->spec.blocking && !m.route->command) {
    // A read never takes a command's thread: it may wait for the read models.
    auto& pool = m.route->spec.method == http::verb::get ? readers_ : workers_;
    boost::asio::post(pool, [this, shared, route = m.route, params = std::move(m.params), respond,
                             started]() mutable {
      run(shared, route, std::move(params), respond, started, true);
    });
    return;
  }
  run(shared, m.route, std::move(m.params), respond, started, false);
}

void Service::run(std::shared_ptr<Request> request, const Route* route,
                  std::vector<std::pair<std::string, std::string>> params, Responder respond,
                  std::chrono::steady_clock::time_point started, bool on_worker) {
  auto call = std::make_shared<Call>(Call{*request, route->spec, std::move(params)});
  call->now_us = platform_.clock().now_us();
  call->id_seed = new_server_id("");
  call->client_address = respond.client_address();
  const std::string_view target = request->target();
  if (const auto q = target.find('?'); q != std::string_view::npos) {
    std::string_view rest = target.substr(q + 1);
    while (!rest.empty()) {
      const auto amp = rest.find('&');
      const auto pair = rest.substr(0, amp);
      rest = amp == std::string_view::npos ? std::string_view{} : rest.substr(amp + 1);
      if (pair.empty())
        continue;
      const auto eq = pair.find('=');
      auto key = percent_decode(pair.substr(0, eq), true);
      auto value = percent_decode(
          eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1), true);
      if (!key || !value) {
        finish(*request, route->index,
               to_response(bad_request("Expected a well-formed query string, but a "
                                       "percent-escape in it is malformed"),
                           request->version()),
               respond, started);
        return;
      }
      call->query.emplace_back(std::move(*key), std::move(*value));
    }
  }
  // Ids are checked before anything looks them up or counts them.
  if (auto r = check_path_identifiers(call->params); !r) {
    finish(*request, route->index, to_response(r.error(), request->version()), respond, started);
    return;
  }
  if (auto r = authenticate(*call); !r) {
    finish(*request, route->index, to_response(r.error(), request->version()), respond, started);
    return;
  }
  if (auto r = prepare(*call); !r) {
    finish(*request, route->index, to_response(r.error(), request->version()), respond, started);
    return;
  }
  if (call->authenticated) {
    if (auto r = scope_guard(*call); !r) {
      finish(*request, route->index, to_response(r.error(), request->version()), respond, started);
      return;
    }
  }
  std::string copy = copy_key(*call);
  // Only an authenticated caller's key is checked against its request: on a public route the
  // body is part of the copy key already.
  const bool checked = !copy.empty() && call->authenticated;
  if (!copy.empty()) {
    const std::string digest = checked ? request_digest(*call) : std::string();
    std::unique_lock lock(copies_mu_);
    auto it = in_flight_.find(copy);
    if (it != in_flight_.end()) {
      if (it->second.digest != digest) {
        lock.unlock();
        finish(*request, route->index, to_response(key_reused(*call), request->version()), respond,
               started);
        return;
      }
      it->second.copies.push_back(Copy{request, respond, started});
      lock.unlock();
      if (options_.on_dispatch)
        options_.on_dispatch(*request, true);
      return;
    }
    if (checked) {
      // Under the lock, so no copy of this key is in flight meanwhile.
      const auto recorded = recorded_digest(copy);
      if (!recorded.digest.empty() && recorded.digest != digest) {
        lock.unlock();
        finish(*request, route->index, to_response(key_reused(*call), request->version()), respond,
               started);
        return;
      }
      if (recorded.digest.empty()) {
        // Recorded with the command's events (or by itself once answered, below): a request
        // refused before it wrote anything leaves no record.
        if (idempotency_ != nullptr) {
          call->side_writes.push_back(digest_write(copy, {digest, call->id_seed}));
          call->side_writes_carried = std::make_shared<std::atomic<bool>>(false);
        }
      } else if (!recorded.id_seed.empty()) {
        call->id_seed = recorded.id_seed;  // a repeat makes the ids its first made
      }
    }
    in_flight_.emplace(copy, InFlight{digest, {}});
  }
  // Answers the request (now, or later for a deferred call) and the copies parked behind it.
  auto complete = [this, request, route, respond, started, copy = std::move(copy),
                   written =
                       call->side_writes_carried ? call->side_writes.front() : engine::SideWrite{},
                   carried = call->side_writes_carried](Result result) {
    Reply reply;
    if (result)
      reply = std::move(*result);
    else
      reply = to_response(result.error(), request->version());
    if (carried && !carried->load()) {
      const auto* res = std::get_if<Response>(&reply);
      if (res != nullptr && res->result_int() / 100 == 2)
        record_digest(written);
    }
    if (!copy.empty())
      answer_copies(copy, route->index, reply);
    finish(*request, route->index, std::move(reply), respond, started);
  };
  call->post = [respond](std::function<void()> f) { respond.post(std::move(f)); };
  call->defer = [weak = std::weak_ptr<Call>(call), complete]() -> std::function<void(Result)> {
    auto kept = weak.lock();
    kept->deferred = true;
    return [kept, complete](Result result) { complete(std::move(result)); };
  };
  auto invoke = [this, request, call, route, complete] {
    if (options_.on_dispatch)
      options_.on_dispatch(*request, false);
    Result result = pending();
    try {
      result = route->handler(*call);
    } catch (const std::exception& e) {
      spdlog::error("{} {} failed: {}", request->method_string(), request->target(), e.what());
      result = unexpected(make_problem(http::status::internal_server_error, problem_code::kInternal,
                                       "Expected the request to be handled, but it failed"));
      if (call->deferred)
        return;  // answered by its completion
    }
    if (!call->deferred)
      complete(std::move(result));
  };
  if (!on_worker && route->spec.reads_projections &&
      projector_.position() < std::max(call->after, store_.last_position())) {
    boost::asio::post(readers_, std::move(invoke));
    return;
  }
  invoke();
}

std::string Service::copy_key(const Call& call) const {
  if (!call.route.writes || call.idempotency_key.empty())
    return {};
  std::string material = std::string(domain::enum_name(call.principal.role));
  material += '\n';
  material += call.principal.id;
  material += '\n';
  material +=
      call.authenticated ? std::string() : engine::to_hex(engine::sha256(call.request.body()));
  material += '\n';
  material += std::string(call.request.method_string());
  material += '\n';
  material += call.route.operation;
  material += '\n';
  material += std::string(call.request.target().substr(0, call.request.target().find('?')));
  material += '\n';
  material += call.idempotency_key;
  return material;
}

void Service::answer_copies(const std::string& key, std::size_t route_index, const Reply& reply) {
  std::vector<Copy> copies;
  {
    std::lock_guard lock(copies_mu_);
    auto it = in_flight_.find(key);
    if (it == in_flight_.end())
      return;
    copies = std::move(it->second.copies);
    in_flight_.erase(it);
  }
  copies_answered_.fetch_add(copies.size());
  for (auto& c : copies)
    finish(*c.request, route_index, reply, c.respond, c.started);
}

std::string Service::request_digest(const Call& call) {
  std::string material = std::string(call.request.method_string());
  material += '\n';
  material += call.route.operation;
  material += '\n';
  material += std::string(call.request.target().substr(0, call.request.target().find('?')));
  material += '\n';
  // A JSON body counts by its content, not by its spacing.
  json::error_code ec;
  const auto parsed = json::parse(call.request.body(), ec);
  material += ec ? call.request.body() : json::serialize(parsed);
  return engine::to_hex(engine::sha256(material));
}

// The record is "<digest>" or "<digest>\n<id seed>".
Service::KeyRecord Service::recorded_digest(const std::string& copy) const {
  if (idempotency_ == nullptr)
    return {};
  std::string value;
  if (!store_.db()
           ->Get(rocksdb::ReadOptions(), idempotency_, engine::to_hex(engine::sha256(copy)), &value)
           .ok())
    return {};
  const auto newline = value.find('\n');
  if (newline == std::string::npos)
    return {value, {}};
  return {value.substr(0, newline), value.substr(newline + 1)};
}

engine::SideWrite Service::digest_write(const std::string& copy, const KeyRecord& record) const {
  return {std::string(kIdempotencyFamily), engine::to_hex(engine::sha256(copy)),
          record.digest + "\n" + record.id_seed};
}

// For a keyed write whose reply came without an append that carried its record (a route that
// runs no command). Not synced by itself: what such a route wrote is no more durable either.
void Service::record_digest(const engine::SideWrite& write) {
  if (idempotency_ == nullptr)
    return;
  (void)store_.db()->Put(rocksdb::WriteOptions(), idempotency_, write.key, write.value);
}

Problem Service::key_reused(const Call& call) const {
  return make_problem(http::status::unprocessable_entity, problem_code::kIdempotencyKeyReused,
                      "Expected the Idempotency-Key \"" + call.idempotency_key +
                          "\" to be sent again only with the same request (method, route, path "
                          "and body), but it was first used with another; nothing was done — "
                          "use a new key for a new request",
                      {{"Idempotency-Key",
                        "Expected the request first sent with this key, but "
                        "this one differs"}});
}

void Service::finish(const Request& request, std::size_t route_index, Reply reply,
                     const Responder& respond, std::chrono::steady_clock::time_point started) {
  unsigned status = 0;
  if (auto* res = std::get_if<Response>(&reply)) {
    res->version(request.version());
    if (request.method() == http::verb::head) {
      res->prepare_payload();
      res->body().clear();
    }
    status = res->result_int();
  } else {
    status = std::get<StreamedResponse>(reply).header.result_int();
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  metrics_.observe(route_index, status, seconds);
  respond(std::move(reply));
}

Result Service::authenticate(Call& call) {
  if (call.route.access == Access::kPublic)
    return Reply{};
  const auto& req = call.request;
  std::string_view authorization;
  if (auto it = req.find(http::field::authorization); it != req.end())
    authorization = it->value();
  std::string api_key;
  if (auto it = req.find("X-Api-Key"); it != req.end())
    api_key = std::string(it->value());
  if (authorization.starts_with("Bearer ")) {
    std::string token(authorization.substr(7));
    auto session = sessions_.find(token);
    if (!session)
      return unexpected(unauthenticated(
          "Expected a valid bearer token, but it is unknown, expired or revoked; log in again "
          "with POST /v1/sessions"));
    call.principal = session->principal;
    call.authenticated = true;
    call.token = std::move(token);
    if (session->must_change_password && !call.route.before_password_change) {
      if (!call.route.allows(call.principal.role))
        return unexpected(forbidden("Expected one of the roles " + role_list(call.route.roles) +
                                    " to call " + call.route.operation + ", but " +
                                    std::string(domain::enum_name(call.principal.role)) + " " +
                                    call.principal.id + " did"));
      return unexpected(make_problem(
          http::status::forbidden, problem_code::kPolicy,
          "Expected the first password to be changed (POST /v1/me/password) before anything "
          "else, but it is still in use"));
    }
  } else if (authorization.starts_with("ApiKey ") || !api_key.empty()) {
    if (api_key.empty())
      api_key = std::string(authorization.substr(7));
    auto login = platform_.verify_api_key(api_key);
    if (!login)
      return unexpected(unauthenticated("Expected a valid API key, but it is unknown or revoked"));
    call.principal = login->principal;
    call.authenticated = true;
  } else {
    return unexpected(unauthenticated(
        "Expected credentials (Authorization: Bearer <token>, Authorization: ApiKey <key> or "
        "X-Api-Key), but none were sent"));
  }
  if (!call.route.allows(call.principal.role))
    return unexpected(forbidden("Expected one of the roles " + role_list(call.route.roles) +
                                " to call " + call.route.operation + ", but " +
                                std::string(domain::enum_name(call.principal.role)) + " " +
                                call.principal.id + " did"));
  return Reply{};
}

Result Service::prepare(Call& call) {
  const auto& req = call.request;
  if (auto it = req.find("Idempotency-Key"); it != req.end())
    call.idempotency_key = std::string(it->value());
  if (call.idempotency_key.size() > 200)
    return unexpected(bad_request("Expected an Idempotency-Key of at most 200 bytes, but it has " +
                                  std::to_string(call.idempotency_key.size())));
  if (call.route.writes && call.route.access != Access::kPublic &&
      req.method() == http::verb::post && call.idempotency_key.empty())
    return unexpected(
        bad_request("Expected an Idempotency-Key header on a POST that writes, but none was "
                    "sent (any unique text; a repeat returns the first result)"));
  if (auto it = req.find(http::field::if_match); it != req.end()) {
    auto parsed = parse_if_match(it->value());
    if (!parsed)
      return unexpected(
          bad_request("Expected If-Match to be a stream version such as \"3\", but "
                      "got " +
                      std::string(it->value())));
    call.if_match = *parsed;
  }
  if (call.route.reads_projections) {
    std::optional<std::string> after = call.query_param("after");
    if (!after) {
      if (auto it = req.find("Docket-After"); it != req.end())
        after = std::string(it->value());
    }
    if (after) {
      auto p = parse_u64(*after);
      if (!p)
        return unexpected(bad_request("Expected `after` to be a log position, but got " + *after));
      // A position the log has not reached was never given to anyone: waiting for it could
      // only time out, so it is refused at once.
      if (const auto end = store_.last_position(); *p > end)
        return unexpected(
            bad_request("Expected `after` to be a position the log reached (at "
                        "most " +
                        std::to_string(end) + "), but got " + *after));
      call.after = *p;
    }
  }
  return Reply{};
}

app::Request Service::app_request(const Call& call, std::string_view key_suffix) const {
  app::Request r;
  r.actor = call.principal;
  if (!call.idempotency_key.empty()) {
    // Scoped by route and path, so one key reused on another route is a new request; the
    // platform scopes it by the actor too.
    std::string material = call.route.operation;
    material += '\n';
    material += std::string(call.request.target().substr(0, call.request.target().find('?')));
    material += '\n';
    material += call.idempotency_key;
    material += '\n';
    material += key_suffix;
    r.idempotency_key = "api/" + engine::to_hex(engine::sha256(material));
  }
  r.if_match = call.if_match;
  r.correlation_id = engine::Uuid::random();
  r.side_writes = call.side_writes;
  return r;
}

Response Service::json_reply(const Call& call, http::status status, const json::value& body) const {
  Response res{status, call.request.version()};
  res.set(http::field::content_type, "application/json");
  res.set("Docket-Position", std::to_string(projector_.position()));
  res.body() = json::serialize(body);
  res.prepare_payload();
  return res;
}

Result Service::accepted(const Call& call, const app::Outcome<app::Accepted>& outcome,
                         http::status success, json::object extra) {
  if (!outcome) {
    const auto& failure = outcome.error();
    if (const auto* rejection = std::get_if<domain::Rejection>(&failure))
      return unexpected(from_rejection(*rejection));
    return unexpected(
        from_engine_error(std::get<engine::Error>(failure), call.if_match.has_value()));
  }
  const auto& a = *outcome;
  if (call.side_writes_carried && !a.deduplicated)
    call.side_writes_carried->store(true);  // written with the command's events
  json::object body;
  body["position"] = a.position;
  body["stream"] = a.stream;
  body["stream_version"] = a.stream_version;
  body["deduplicated"] = a.deduplicated;
  body["event_count"] = a.event_count;
  if (!a.created_id.empty())
    body["created_id"] = a.created_id;
  if (!a.case_number.empty())
    body["case_number"] = a.case_number;
  if (!a.api_key.empty())
    body["api_key"] = a.api_key;
  if (a.reactions_pending)
    body["reactions_pending"] = true;
  for (auto& [k, v] : extra)
    body[k] = std::move(v);
  auto res = json_reply(call, success, body);
  res.set("Docket-Position", std::to_string(a.position));
  res.set(http::field::etag, "\"" + std::to_string(a.stream_version) + "\"");
  return Reply{std::move(res)};
}

Result Service::query_reply(const Call& call, const engine::Result<json::value>& value) const {
  if (!value)
    return unexpected(from_engine_error(value.error()));
  return Reply{json_reply(call, http::status::ok, *value)};
}

Expected<void, Problem> Service::wait_for_projections(std::uint64_t position) const {
  if (position == 0 || projector_.position() >= position)
    return {};
  if (projector_.wait_for(position, options_.max_wait))
    return {};
  auto p = make_problem(http::status::service_unavailable, problem_code::kTimeout,
                        "Expected the read models to reach position " + std::to_string(position) +
                            " within " + std::to_string(options_.max_wait.count()) +
                            " ms, but they are at " + std::to_string(projector_.position()));
  p.retry_after_s = 1;
  return unexpected(std::move(p));
}

Result Service::resource_reply(const Call& call, const std::string& stream,
                               const std::function<engine::Result<json::value>()>& read) {
  auto head = store_.read_stream(stream, UINT64_MAX, 1, engine::Direction::kBackward);
  if (!head)
    return unexpected(from_engine_error(head.error()));
  std::uint64_t version = 0;
  std::uint64_t position = 0;
  if (!head->empty()) {
    version = head->front().version;
    position = head->front().position;
  }
  if (auto w = wait_for_projections(std::max(position, call.after)); !w)
    return unexpected(w.error());
  auto value = read();
  if (!value)
    return unexpected(from_engine_error(value.error()));
  auto res = json_reply(call, http::status::ok, *value);
  res.set(http::field::etag, "\"" + std::to_string(version) + "\"");
  return Reply{std::move(res)};
}

Result Service::blob_reply(const Call& call, const std::string& hash) {
  auto info = platform_.blobs().stat(hash);
  if (!info)
    return unexpected(from_engine_error(info.error()));
  auto bytes = platform_.blobs().read(hash);
  if (!bytes)
    return unexpected(from_engine_error(bytes.error()));
  Response res{http::status::ok, call.request.version()};
  res.set(http::field::content_type,
          info->content_type.empty() ? "application/octet-stream" : info->content_type);
  res.set(http::field::etag, "\"" + info->hash + "\"");
  res.set(http::field::cache_control, "no-store");
  res.set("Docket-Blob-Hash", info->hash);
  // A file is never rendered in the API's origin: the browser must not guess another type,
  // saves it instead of showing it, and would run nothing in it if it did show it.
  res.set("X-Content-Type-Options", "nosniff");
  res.set(http::field::content_disposition, "attachment; filename=\"" + info->hash +
                                                std::string(file_extension(info->content_type)) +
                                                "\"");
  res.set("Content-Security-Policy", "default-src 'none'; sandbox");
  res.body() = std::move(*bytes);
  res.prepare_payload();
  return Reply{std::move(res)};
}

Expected<projections::CaseAccess, Problem> Service::case_access(
    const Call& call, const std::string& case_number) const {
  (void)call;
  auto access = read_models_.case_access(case_number);
  if (!access)
    return unexpected(from_engine_error(access.error()));
  if (!*access)
    return unexpected(not_found("Expected a case numbered " + case_number + ", but there is none"));
  return std::move(**access);
}

void Service::record_upload(const std::string& hash, const domain::Principal& principal) {
  if (uploads_ == nullptr)
    return;
  std::string key = hash;
  key.push_back('\0');
  key += principal.id;
  rocksdb::WriteOptions write;
  write.sync = store_.options().sync;
  (void)store_.db()->Put(write, uploads_, key, std::string(domain::enum_name(principal.role)));
}

bool Service::uploaded_by(const std::string& hash, const domain::Principal& principal) const {
  if (uploads_ == nullptr)
    return false;
  std::string key = hash;
  key.push_back('\0');
  key += principal.id;
  std::string value;
  return store_.db()->Get(rocksdb::ReadOptions(), uploads_, key, &value).ok();
}

}  // namespace docket::api
