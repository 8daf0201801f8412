// Small helpers for declaring routes: command handlers built from a body reader, stream names,
// blob checks and enum names shared by the route files. Internal to docket_api.
#pragma once

#include <algorithm>
#include <charconv>
#include <functional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "docket/api/schema.h"
#include "service.h"

namespace docket::api {

using domain::Role;
inline constexpr Need kReq = Need::kRequired;
inline constexpr Need kOpt = Need::kOptional;

template <class T>
struct IsExpected : std::false_type {};
template <class T, class E>
struct IsExpected<Expected<T, E>> : std::true_type {};

// A handler that reads the JSON body with `build(Fields&, Call&)` (returning a command, or
// Expected<command, Problem>), answers 400/422 for bad fields, and hands the command of aggregate
// A on the stream `stream_of(call)` names to the engine (Service::submit), from the io thread.
template <class A, class StreamOf, class Build>
CommandHandler command_handler(Service& service, StreamOf stream_of, Build build,
                               http::status success = http::status::ok) {
  return CommandHandler{[&service, stream_of, build, success](Call& call) -> Result {
    auto body = call.body();
    if (!body)
      return unexpected(body.error());
    auto fields = Fields::over(*body);
    auto built = build(fields, call);
    if (auto p = fields.problem())
      return unexpected(*p);
    if constexpr (IsExpected<decltype(built)>::value) {
      if (!built)
        return unexpected(built.error());
      return service.submit<A>(call, stream_of(call), typename A::Command(std::move(*built)),
                               success);
    } else {
      return service.submit<A>(call, stream_of(call), typename A::Command(std::move(built)),
                               success);
    }
  }};
}

// 422 unless every named blob exists; when `uploader` is given, also that they uploaded it.
// `blobs` pairs a field path with a hash.
Expected<void, Problem> check_blobs(Service& service,
                                    const std::vector<std::pair<std::string, std::string>>& blobs,
                                    const domain::Principal* uploader);

// A 422 validation problem with one violation.
Problem invalid(std::string field, std::string message);

// A field doc.
inline FieldDoc f(std::string name, std::string type, bool required = false,
                  std::string description = {}) {
  return FieldDoc{std::move(name), std::move(type), required, std::move(description)};
}
// An array of objects, each of `items` (schema.h; requests.h names them).
inline FieldDoc f(std::string name, const schema::Type* items, bool required = false,
                  std::string description = {}) {
  return FieldDoc{std::move(name), "object[]", required, std::move(description), items};
}
// The texts of a reader's choice table (Fields::choice), for the field's FieldDoc: the reader and
// the document share one list.
template <class E>
std::vector<std::string> names_of(std::initializer_list<std::pair<std::string_view, E>> table) {
  std::vector<std::string> out;
  for (const auto& [name, value] : table)
    out.emplace_back(name);
  return out;
}
// A text that is one of `choices`.
inline FieldDoc f(std::string name, std::vector<std::string> choices, bool required = false,
                  std::string description = {}) {
  return FieldDoc{std::move(name),        "string", required,
                  std::move(description), nullptr,  std::move(choices)};
}

}  // namespace docket::api
