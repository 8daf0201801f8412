// Small helpers for declaring routes: command handlers over a typed body (body.h), stream names,
// blob checks and query parameter docs shared by the route files. Internal to docket_api.
#pragma once

#include <algorithm>
#include <charconv>
#include <functional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "body.h"
#include "docket/api/schema.h"
#include "service.h"

namespace docket::api {

using domain::Role;
template <class T>
struct IsExpected : std::false_type {};
template <class T, class E>
struct IsExpected<Expected<T, E>> : std::true_type {};

// The prefixes of the ids the server makes for what a command creates (Call::made_id).
namespace made {
inline constexpr std::string_view kFiling = "f";
inline constexpr std::string_view kService = "s";
inline constexpr std::string_view kHearing = "h";
inline constexpr std::string_view kAvoidanceRequest = "ar";
inline constexpr std::string_view kEvidenceBatch = "eb";
inline constexpr std::string_view kEvidenceItem = "ei";
inline constexpr std::string_view kExchange = "ex";
inline constexpr std::string_view kCaseFileMaterial = "cm";
inline constexpr std::string_view kFileReview = "fr";
inline constexpr std::string_view kMessage = "ms";
inline constexpr std::string_view kHotlineRequest = "hr";
inline constexpr std::string_view kRefund = "rf";
}  // namespace made

// The body of a route that takes none.
struct NoBody {
  static constexpr std::string_view kSchemaName = "NoBody";
};
BOOST_DESCRIBE_STRUCT(NoBody, (), ())

// A command handler over a typed body (body.h): reads the JSON body as a Body (400/422 for bad
// fields), builds the command of aggregate A with `build(Body, const Call&)` (returning the
// command, or Expected<command, Problem>) and hands it to the engine on the stream
// `stream_of(call)` names (Service::submit), from the io thread. The route's request schema is
// Body's (none for NoBody). A command that creates a thing names the prefix of the id the server
// makes for it (`creates`, one of made::…; `build` puts call.made_id(creates) in the command):
// the reply carries that id as created_id.
template <class A, class Body = NoBody, class StreamOf, class Build>
CommandHandler command(Service& service, StreamOf stream_of, Build build,
                       http::status success = http::status::ok, std::string_view creates = {}) {
  Handler handler = [&service, stream_of, build, success, creates](Call& call) -> Result {
    Body body{};
    if constexpr (!std::is_same_v<Body, NoBody>) {
      auto read = read_body<Body>(call.request.body());
      if (!read)
        return unexpected(std::move(read).error());
      body = std::move(*read);
    }
    auto built = build(std::move(body), call);
    json::object extra;
    if (!creates.empty())
      extra["created_id"] = call.made_id(creates);
    if constexpr (IsExpected<decltype(built)>::value) {
      if (!built)
        return unexpected(built.error());
      return service.submit<A>(call, stream_of(call), typename A::Command(std::move(*built)),
                               success, std::move(extra));
    } else {
      return service.submit<A>(call, stream_of(call), typename A::Command(std::move(built)),
                               success, std::move(extra));
    }
  };
  if constexpr (std::is_same_v<Body, NoBody>)
    return CommandHandler{std::move(handler)};
  else
    return CommandHandler{std::move(handler), body_type<Body>()};
}

// A handler `run(Call&, Body)` that gets the typed body (body.h) read, or answers its problem.
template <class Body, class Run>
BodyHandler with_body(Run run) {
  return BodyHandler{[run](Call& call) -> Result {
                       auto body = read_body<Body>(call.request.body());
                       if (!body)
                         return unexpected(std::move(body).error());
                       return run(call, std::move(*body));
                     },
                     body_type<Body>()};
}

// 422 unless every named blob exists; when `uploader` is given, also that they uploaded it.
// `blobs` pairs a field path with a hash.
Expected<void, Problem> check_blobs(Service& service,
                                    const std::vector<std::pair<std::string, std::string>>& blobs,
                                    const domain::Principal* uploader);

// A 422 validation problem with one violation.
Problem invalid(std::string field, std::string message);

// A query parameter's doc.
inline FieldDoc f(std::string name, std::string type, bool required = false,
                  std::string description = {}) {
  return FieldDoc{std::move(name), std::move(type), required, std::move(description)};
}

}  // namespace docket::api
