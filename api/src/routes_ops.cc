// The event feed (Server-Sent Events and a paged JSON variant), /healthz, /metrics and
// /v1/openapi.json (generated from the route table).
#include <charconv>

#include "docket/engine/sha256.h"
#include "docket/engine/snapshot_store.h"
#include "feed.h"
#include "input_limits.h"
#include "responses.h"
#include "route_util.h"

namespace docket::api {

namespace {

std::vector<std::string> categories_of(const Call& call) {
  std::vector<std::string> out;
  auto text = call.query_param("category");
  if (!text)
    return out;
  std::string_view rest = *text;
  while (!rest.empty()) {
    const auto comma = rest.find(',');
    auto item = rest.substr(0, comma);
    if (!item.empty())
      out.emplace_back(item);
    if (comma == std::string_view::npos)
      break;
    rest.remove_prefix(comma + 1);
  }
  return out;
}

// The SSE body: each event the reader may read as
// "id: <position>\nevent: <type>\ndata: <json>\n\n".
class FeedStream final : public EventStream {
 public:
  FeedStream(const engine::EventStore& store, FeedScope scope, std::uint64_t after,
             std::vector<std::string> categories)
      : store_(store),
        scope_(std::move(scope)),
        after_(after),
        categories_(std::move(categories)) {}

  std::optional<std::string> poll() override {
    std::string out;
    if (first_) {
      first_ = false;
      out = "retry: 1000\n\n";
    }
    auto page = read_feed(store_, scope_, after_, categories_, 256);
    if (!page)
      return std::nullopt;
    after_ = page->scanned_to;
    for (const auto& e : page->events) {
      out += "id: " + std::to_string(e.event.position) + "\nevent: " + e.event.type +
             "\ndata: " + json::serialize(feed_event_json(e)) + "\n\n";
    }
    return out;
  }

 private:
  const engine::EventStore& store_;
  FeedScope scope_;
  std::uint64_t after_;
  std::vector<std::string> categories_;
  bool first_ = true;
};

Expected<std::uint64_t, Problem> feed_start(const Call& call) {
  std::optional<std::string> text = call.query_param("after");
  if (auto it = call.request.find("Last-Event-ID"); it != call.request.end())
    text = std::string(it->value());
  if (!text || text->empty())
    return std::uint64_t{0};
  std::uint64_t v = 0;
  const auto* end = text->data() + text->size();
  auto [ptr, ec] = std::from_chars(text->data(), end, v);
  if (ec != std::errc() || ptr != end)
    return unexpected(
        bad_request("Expected Last-Event-ID / after to be a log position, but got " + *text));
  return v;
}

json::object field_schema(const FieldDoc& field) {
  json::object schema{{"type", field.type}};
  if (!field.description.empty())
    schema["description"] = field.description;
  return schema;
}

std::string tag_description(std::string_view tag) {
  static const std::pair<std::string_view, std::string_view> kTags[] = {
      {"sessions", "Logging in and out, the caller, passwords."},
      {"lawyers", "A lawyer's own profile and schedule."},
      {"accounts", "Lawyers' and staff accounts, by admins."},
      {"courts", "Courts, their policies, code lists, law links and fees."},
      {"filings", "Online filing: the wizard, the clerks' review, the status for court systems."},
      {"payments", "Payment notices, payments, relief from fees, receipts, refunds."},
      {"cases", "Cases: docketing, judges, parties, withdrawal and closing."},
      {"hearings", "Hearings: scheduling, absences, avoidance requests."},
      {"evidence", "Evidence batches and evidence exchanges."},
      {"file-review", "Applications to read the case file, and reading it."},
      {"messages", "Messages between lawyers and the judge in charge."},
      {"documents", "Uploads, downloads and electronic service of documents."},
      {"outbox", "The SMS outbox and the gateway's delivery reports."},
      {"judges", "A judge's inbox and the schedules of the lawyers in their cases."},
      {"feed", "The event feed, as JSON pages or Server-Sent Events."},
      {"operations", "Health, metrics, failed reactions and this document."},
      {"hotline",
       "Requests to the court's litigation-service hotline: filed, forwarded, answered, "
       "overdue."}};
  for (const auto& [name, text] : kTags) {
    if (name == tag)
      return std::string(text);
  }
  return "Routes of the " + std::string(tag) + " module.";
}

}  // namespace

// Who reads what through the feed: the same table for both routes (see feed.h).
constexpr const char* kFeedScope =
    "Every role may read the feed, and each caller gets only the events of what they may read "
    "through the resource routes, as its owner stands now: a court system or a clerk, the "
    "events of its court's filings, payment notices, cases, served documents, case-number "
    "allocations and court settings; a judge, their court's settings and payment notices and "
    "the cases (with their served documents) they are in charge of; a lawyer, their own account "
    "and the filings, payment notices, cases and served documents where they are the filer, an "
    "agent, a payer or the recipient; an admin, accounts (lawyer-, staff-) and courts; an "
    "auditor, every event, to verify the chain. Accounts belong to no court: no court system, "
    "clerk or judge reads them. Each event carries its payload as JSON by field name (never a "
    "credential field), its schema_version, and previous_hash, hash and envelope_base64 (the "
    "exact bytes hashed): hash = SHA-256(previous_hash || envelope bytes), so each event can be "
    "checked alone even where the caller's feed has gaps.";

void Service::add_feed_routes() {
  add({.method = http::verb::get,
       .path = "/v1/events",
       .operation = "ListEvents",
       .summary = "The event feed as pages of JSON: the events after a position that the caller "
                  "may read, optionally of some stream categories; next_after resumes.",
       .description = kFeedScope,
       .tag = "feed",
       .roles = kAllRoles,
       .query = {f("after", "integer", false, "a log position; 0 = from the start"),
                 f("limit", "integer", false, "at most 1000; default 100"),
                 f("category", "string", false, "comma-separated stream categories")},
       .response = schema::type<responses::EventPage>()},
      [this](Call& call) -> Result {
        auto start = feed_start(call);
        if (!start)
          return unexpected(start.error());
        std::size_t limit = 100;
        if (auto l = call.query_param("limit")) {
          std::size_t v = 0;
          auto [ptr, ec] = std::from_chars(l->data(), l->data() + l->size(), v);
          if (ec != std::errc() || ptr != l->data() + l->size() || v == 0)
            return unexpected(
                bad_request("Expected limit to be a positive integer, but got " + *l));
          limit = std::min<std::size_t>(v, 1000);
        }
        FeedScope scope(platform_, call.principal);
        auto page = read_feed(store_, scope, *start, categories_of(call), limit);
        if (!page)
          return unexpected(from_engine_error(page.error()));
        json::array items;
        for (const auto& e : page->events)
          items.push_back(feed_event_json(e));
        json::object out{{"events", std::move(items)},
                         {"next_after", page->scanned_to},
                         {"last_position", store_.last_position()}};
        auto res = json_reply(call, http::status::ok, out);
        res.set("Docket-Position", std::to_string(store_.last_position()));
        return Reply{std::move(res)};
      });

  add({.method = http::verb::get,
       .path = "/v1/events/stream",
       .operation = "StreamEvents",
       .summary = "The event feed as Server-Sent Events: `id:` is the log position, `event:` the "
                  "event type, `data:` the event as JSON (as in ListEvents), only events the "
                  "caller may read. Resume with Last-Event-ID (or ?after=); filter with "
                  "?category=.",
       .description = kFeedScope,
       .tag = "feed",
       .roles = kAllRoles,
       .query = {f("after", "integer", false, "a log position (Last-Event-ID wins)"),
                 f("category", "string", false, "comma-separated stream categories")},
       .response_type = "text/event-stream"},
      [this](Call& call) -> Result {
        auto start = feed_start(call);
        if (!start)
          return unexpected(start.error());
        StreamedResponse reply;
        reply.header.result(http::status::ok);
        reply.header.set(http::field::content_type, "text/event-stream");
        reply.header.set("Docket-Position", std::to_string(store_.last_position()));
        reply.stream = std::make_shared<FeedStream>(store_, FeedScope(platform_, call.principal),
                                                    *start, categories_of(call));
        return Reply{std::move(reply)};
      });
}

void Service::add_ops_routes() {
  add({.method = http::verb::get,
       .path = "/healthz",
       .operation = "Health",
       .summary = "Liveness and the read models' lag behind the log.",
       .tag = "operations",
       .access = Access::kPublic,
       .response = schema::type<responses::Health>(),
       .success = {200, 503}},
      [this](Call& call) -> Result {
        const auto last = store_.last_position();
        const auto projected = projector_.position();
        const auto health = store_.health();
        const auto reactions = platform_.reactor().stats();
        const bool degraded = projector_.last_error() || reactions.failed > 0;
        json::object out{{"status", !health.writable ? "read_only"
                                    : degraded       ? "degraded"
                                                     : "ok"},
                         {"last_position", last},
                         {"projection_position", projected},
                         {"projection_lag", last > projected ? last - projected : 0},
                         {"store", json::object{{"writable", health.writable},
                                                {"reason", health.reason},
                                                {"refusals", health.refusals},
                                                {"free_bytes", health.free_bytes}}},
                         {"failed_reactions", reactions.failed},
                         {"reaction_retrying_position", reactions.retrying_position}};
        if (auto e = projector_.last_error())
          out["projection_error"] = e->message;
        json::array stopped;
        for (const auto& stop : projector_.stopped()) {
          stopped.push_back(json::object{{"projection", stop.projection},
                                         {"position", stop.position},
                                         {"stream", stop.stream},
                                         {"event_type", stop.type},
                                         {"schema_version", stop.schema_version},
                                         {"message", stop.message}});
        }
        out["stopped_projections"] = std::move(stopped);
        // Writes refused (a full disk): reads go on, but a load balancer should know.
        auto res = json_reply(
            call, health.writable ? http::status::ok : http::status::service_unavailable, out);
        if (!health.writable)
          res.set(http::field::retry_after, "30");
        return Reply{std::move(res)};
      });

  add({.method = http::verb::get,
       .path = "/metrics",
       .operation = "Metrics",
       .summary = "Prometheus metrics: requests and latencies per route, appends and group-commit "
                  "batch sizes, the read models' lag, connections.",
       .tag = "operations",
       .access = Access::kPublic,
       .response_type = "text/plain"},
      [this](Call& call) -> Result {
        std::string out;
        metrics_.render(out);
        const auto stats = store_.stats();
        Metrics::sample(out, "docket_store_batches_total", "counter",
                        "Group commits written (one WAL sync each).",
                        static_cast<double>(stats.batches));
        Metrics::sample(out, "docket_store_append_requests_total", "counter",
                        "Append requests completed.", static_cast<double>(stats.requests));
        Metrics::sample(out, "docket_store_events_total", "counter", "Events appended.",
                        static_cast<double>(stats.events));
        Metrics::sample(out, "docket_store_conflicts_total", "counter",
                        "Appends refused for a wrong expected version.",
                        static_cast<double>(stats.conflicts));
        Metrics::sample(out, "docket_store_deduplicated_total", "counter",
                        "Appends answered from an idempotency key.",
                        static_cast<double>(stats.deduplicated));
        Metrics::sample(out, "docket_store_bytes_total", "counter", "Log bytes written.",
                        static_cast<double>(stats.bytes));
        Metrics::sample(out, "docket_store_head_cache_bytes", "gauge",
                        "Bytes held by the writer's cache of stream heads (bounded).",
                        static_cast<double>(stats.head_cache_bytes));
        Metrics::sample(out, "docket_store_head_cache_entries", "gauge",
                        "Stream heads held by the writer's cache.",
                        static_cast<double>(stats.head_cache_entries));
        Metrics::sample(out, "docket_session_cache_bytes", "gauge",
                        "Bytes held by the cache of live sessions (bounded).",
                        static_cast<double>(sessions_.cached_bytes()));
        Metrics::sample(out, "docket_session_cache_entries", "gauge",
                        "Sessions held by the session cache.",
                        static_cast<double>(sessions_.cached_entries()));
        Metrics::sample(out, "docket_store_batch_size_mean", "gauge",
                        "Mean append requests per group commit since the store opened.",
                        stats.batches == 0 ? 0.0
                                           : static_cast<double>(stats.requests) /
                                                 static_cast<double>(stats.batches));
        const auto health = store_.health();
        Metrics::sample(out, "docket_store_writable", "gauge",
                        "1 when the store accepts writes, 0 while it refuses them (see /healthz).",
                        health.writable ? 1.0 : 0.0);
        Metrics::sample(out, "docket_store_write_refusals_total", "counter",
                        "Times the store stopped taking writes (a full disk, a failed write).",
                        static_cast<double>(health.refusals));
        Metrics::sample(out, "docket_store_free_bytes", "gauge",
                        "Free space on the store's file system.",
                        static_cast<double>(health.free_bytes));
        const auto last = store_.last_position();
        const auto projected = projector_.position();
        Metrics::sample(out, "docket_log_position", "gauge", "The last committed log position.",
                        static_cast<double>(last));
        Metrics::sample(out, "docket_projection_position", "gauge",
                        "The position every read model reflects.", static_cast<double>(projected));
        Metrics::sample(out, "docket_projection_lag_events", "gauge",
                        "Events committed but not yet in every read model.",
                        static_cast<double>(last > projected ? last - projected : 0));
        const auto reactions = platform_.reactor().stats();
        Metrics::sample(out, "docket_reactions_failed", "gauge",
                        "Reactions listed as failed for good (GET /v1/ops/reactions/failed).",
                        static_cast<double>(reactions.failed));
        Metrics::sample(out, "docket_reaction_failures_total", "counter",
                        "Reactions recorded as failed for good since the server started.",
                        static_cast<double>(reactions.failures_total));
        Metrics::sample(out, "docket_reaction_retries_total", "counter",
                        "Reaction attempts that failed in a way that may pass, and were retried.",
                        static_cast<double>(reactions.retries_total));
        Metrics::sample(out, "docket_snapshots_ignored_total", "counter",
                        "Snapshots ignored at load: edited, of an old layout, or not backed by the "
                        "log.",
                        static_cast<double>(engine::SnapshotStore::ignored_total()));
        if (extra_metrics)
          extra_metrics(out);
        Response res{http::status::ok, call.request.version()};
        res.set(http::field::content_type, "text/plain; version=0.0.4");
        res.body() = std::move(out);
        res.prepare_payload();
        return Reply{std::move(res)};
      });

  add({.method = http::verb::get,
       .path = "/v1/ops/reactions/failed",
       .operation = "ListFailedReactions",
       .summary = "Reactions that failed for good (a rejection that cannot change, or too many "
                  "failed attempts), oldest event first.",
       .tag = "operations",
       .roles = roles({Role::kAdmin, Role::kAuditor}),
       .query = {f("from", "integer", false, "the first event position to list; default 0"),
                 f("limit", "integer", false, "at most 1000; default 100")},
       .response = schema::type<responses::FailedReactions>()},
      [this](Call& call) -> Result {
        std::uint64_t from = 0;
        std::uint64_t limit = 100;
        for (auto [name, value] : {std::pair{"from", &from}, std::pair{"limit", &limit}}) {
          if (auto text = call.query_param(name)) {
            auto [ptr, ec] = std::from_chars(text->data(), text->data() + text->size(), *value);
            if (ec != std::errc() || ptr != text->data() + text->size())
              return unexpected(bad_request("Expected " + std::string(name) +
                                            " to be a non-negative integer, but got " + *text));
          }
        }
        auto listed = platform_.reactor().failed(from, std::min<std::uint64_t>(limit, 1000));
        if (!listed)
          return unexpected(from_engine_error(listed.error()));
        json::array items;
        for (const auto& r : *listed) {
          items.push_back(json::object{{"position", r.position},
                                       {"stream", r.stream},
                                       {"event_type", r.event_type},
                                       {"code", r.code},
                                       {"message", r.message},
                                       {"attempts", r.attempts},
                                       {"failed_at_us", r.failed_at_us}});
        }
        return Reply{json_reply(
            call, http::status::ok,
            json::object{{"reactor", platform_.reactor().name()}, {"failed", std::move(items)}})};
      });

  add({.method = http::verb::post,
       .path = "/v1/ops/reactions/failed/{position}/retry",
       .operation = "RetryFailedReaction",
       .summary = "An admin runs a listed failed reaction again; on success it leaves the list.",
       .tag = "operations",
       .roles = {Role::kAdmin},
       .blocking = true,
       .response = schema::type<responses::ReactionRetried>()},
      [this](Call& call) -> Result {
        const auto& text = call.param("position");
        std::uint64_t position = 0;
        auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), position);
        if (ec != std::errc() || ptr != text.data() + text.size())
          return unexpected(bad_request("Expected a log position, but got " + text));
        auto retried = platform_.reactor().retry(position);
        if (!retried) {
          const auto& e = retried.error();
          if (e.code == engine::Reactor::kNotListed)
            return unexpected(not_found(e.message));
          if (!e.permanent)
            return unexpected(make_problem(http::status::service_unavailable,
                                           problem_code::kUnavailable, e.message));
          return unexpected(make_problem(
              http::status::conflict, problem_code::kConflict,
              "Expected the reaction to go through, but it failed (" + e.code + "): " + e.message));
        }
        return Reply{json_reply(call, http::status::ok,
                                json::object{{"position", position}, {"retried", true}})};
      });

  add({.method = http::verb::get,
       .path = "/v1/openapi.json",
       .operation = "OpenApi",
       .summary = "This API's OpenAPI 3 description, generated from the route table.",
       .tag = "operations",
       .access = Access::kPublic,
       .response = schema::type<schema::Any>()},
      [this](Call& call) -> Result {
        return Reply{json_reply(call, http::status::ok, openapi())};
      });
}

json::value Service::openapi() const {
  return openapi_document(specs_);
}

json::value openapi_document(const std::vector<RouteSpec>& specs) {
  schema::Components components;
  // The problem schema first, so that every route's default response refers to it.
  (void)schema::schema_of<responses::Problem>(components);
  const json::object problem_ref{{"$ref", "#/components/schemas/Problem"}};
  json::object paths;
  for (const auto& s : specs) {
    json::object op;
    op["operationId"] = s.operation;
    op["summary"] = s.summary;
    if (!s.description.empty())
      op["description"] = s.description;
    op["tags"] = json::array{json::value(s.tag)};
    json::array parameters;
    std::string_view rest = s.path;
    while (!rest.empty()) {
      const auto open = rest.find('{');
      if (open == std::string_view::npos)
        break;
      const auto close = rest.find('}', open);
      parameters.push_back(
          json::object{{"name", std::string(rest.substr(open + 1, close - open - 1))},
                       {"in", "path"},
                       {"required", true},
                       {"schema", json::object{{"type", "string"}}}});
      rest.remove_prefix(close + 1);
    }
    for (const auto& q : s.query)
      parameters.push_back(json::object{{"name", q.name},
                                        {"in", "query"},
                                        {"required", q.required},
                                        {"schema", field_schema(q)}});
    if (s.writes && s.method == http::verb::post && s.access != Access::kPublic)
      parameters.push_back(json::object{
          {"name", "Idempotency-Key"},
          {"in", "header"},
          {"required", true},
          {"description",
           "Any unique text (at most 200 bytes). The same request sent again with it returns the "
           "first result and writes nothing; the key sent again with another request (method, "
           "route, path or body) is refused with 422, code idempotency_key_reused, and writes "
           "nothing."},
          {"schema", json::object{{"type", "string"}, {"maxLength", 200}}}});
    if (s.writes && s.access != Access::kPublic)
      parameters.push_back(json::object{{"name", "If-Match"},
                                        {"in", "header"},
                                        {"required", false},
                                        {"schema", json::object{{"type", "string"}}}});
    if (s.reads_projections) {
      bool has_after = false;
      for (const auto& q : s.query)
        has_after = has_after || q.name == "after";
      if (!has_after)
        parameters.push_back(json::object{{"name", "after"},
                                          {"in", "query"},
                                          {"required", false},
                                          {"schema", json::object{{"type", "integer"}}}});
    }
    if (s.operation == "PaymentCallback")
      parameters.push_back(json::object{{"name", "X-Payment-Signature"},
                                        {"in", "header"},
                                        {"required", true},
                                        {"schema", json::object{{"type", "string"}}}});
    if (s.operation == "StreamEvents")
      parameters.push_back(json::object{{"name", "Last-Event-ID"},
                                        {"in", "header"},
                                        {"required", false},
                                        {"schema", json::object{{"type", "string"}}}});
    if (!parameters.empty())
      op["parameters"] = std::move(parameters);
    if (s.request != nullptr || s.request_type != "application/json") {
      json::object body_schema;
      if (s.request != nullptr)
        body_schema = s.request->schema(components);
      else
        body_schema = json::object{{"type", "string"}, {"format", "binary"}};
      op["requestBody"] = json::object{
          {"required", true},
          {"content",
           json::object{{s.request_type, json::object{{"schema", std::move(body_schema)}}}}}};
    }
    if (s.access == Access::kPublic) {
      op["security"] = json::array{};
    } else {
      json::array who;
      for (auto r : s.roles)
        who.push_back(json::value(domain::enum_name(r)));
      op["x-docket-roles"] = std::move(who);
    }
    json::object responses;
    for (const auto status : success_statuses(s)) {
      json::object ok{{"description", status == 204   ? "Done; no body"
                                      : s.writes      ? "Done: the command's position and the "
                                                        "stream's version (Docket-Position and "
                                                        "ETag headers)"
                                      : status == 503 ? "The same report, while the store "
                                                        "refuses writes"
                                                      : "The resource or query result"}};
      if (status != 204) {
        json::object schema;
        if (s.response_type == "application/json" && s.response != nullptr) {
          schema = s.response->schema(components);
        } else if (s.response_type == "application/octet-stream") {
          schema = json::object{{"type", "string"}, {"format", "binary"}};
        } else {
          schema = json::object{{"type", "string"}};
        }
        ok["content"] =
            json::object{{s.response_type, json::object{{"schema", std::move(schema)}}}};
      }
      responses[std::to_string(status)] = std::move(ok);
    }
    responses["default"] = json::object{
        {"description", "A problem (RFC 9457)"},
        {"content",
         json::object{{"application/problem+json", json::object{{"schema", problem_ref}}}}}};
    op["responses"] = std::move(responses);
    std::string method(http::to_string(s.method));
    for (auto& c : method)
      c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    auto& path_item = paths[s.path];
    if (!path_item.is_object())
      path_item = json::object{};
    path_item.as_object()[method] = std::move(op);
  }
  json::object tags_seen;
  json::array tags;
  for (const auto& s : specs) {
    if (!tags_seen.contains(s.tag)) {
      tags_seen[s.tag] = true;
      tags.push_back(json::object{{"name", s.tag}, {"description", tag_description(s.tag)}});
    }
  }
  return json::object{
      {"openapi", "3.1.0"},
      {"info", json::object{{"title", "Docket API"},
                            {"version", "1"},
                            {"description",
                             "The court's lawyer-service platform: commands and queries over an "
                             "event-sourced, hash-chained log."},
                            {"license", json::object{{"name", "Proprietary"},
                                                     {"identifier", "LicenseRef-Proprietary"}}}}},
      {"servers", json::array{json::object{{"url", "/"}}}},
      {"tags", std::move(tags)},
      {"paths", std::move(paths)},
      {"security", json::array{json::object{{"bearer", json::array{}}},
                               json::object{{"apiKey", json::array{}}}}},
      {"components",
       json::object{{"securitySchemes",
                     json::object{{"bearer", json::object{{"type", "http"}, {"scheme", "bearer"}}},
                                  {"apiKey", json::object{{"type", "apiKey"},
                                                          {"in", "header"},
                                                          {"name", "X-Api-Key"}}}}},
                    {"schemas", std::move(components.schemas)}}}};
}

std::vector<unsigned> success_statuses(const RouteSpec& spec) {
  if (!spec.success.empty())
    return spec.success;
  return {spec.method == http::verb::delete_ && !spec.writes ? 204u : 200u};
}

}  // namespace docket::api
