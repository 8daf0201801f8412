// A command route's JSON body as one described C++ struct (Boost.Describe), from which both its
// reader and its OpenAPI request schema follow, so the two cannot disagree. Internal to
// docket_api.
//
// The members' types say what the body takes:
//
//   std::string            a text within its field's byte limit (input_limits.h)
//   Id / CaseNumber        an identifier of that alphabet (identifiers.h); a std::string
//   std::int64_t           an integer; a field named "…_us" lies in [0, limits::kMaxTimeUs]
//   std::uint32_t          a non-negative 32-bit integer
//   bool                   a boolean
//   a described enum       one of its enumerators' names (a trailing '_' dropped)
//   std::vector<T>         an array of at most limits::kArrayItems items, each a T
//   a described struct     an object of its members (an array's items, or a nested object)
//   std::map<std::string, T>  an object with free keys, each value a T
//   json::object           any JSON object (read by the route itself)
//   std::optional<T>       T, not required; every other member is required (absent or null
//                          is a 422 naming it)
//
// A body may name the ids the server makes for what the command creates in
// `static constexpr std::string_view kServerMade[]`: a body that sends one is refused, naming the
// field (422: the server makes it), so a client that still sends its own id learns it is not
// used.
// Unknown members are otherwise ignored.
//
// read_body<T>(call) answers exactly as Fields does (json_input.h): 400 for a body that does not
// parse or fields of the wrong type, 422 for missing fields, texts over their limit and
// identifiers outside their alphabet, each violation naming the field's dotted path.
#pragma once

#include <boost/describe/enumerators.hpp>
#include <boost/describe/members.hpp>
#include <boost/json.hpp>
#include <boost/mp11/algorithm.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "docket/api/problem.h"
#include "docket/api/schema.h"
#include "identifiers.h"
#include "input_limits.h"
#include "json_input.h"

namespace docket::api {

// An identifier of alphabet K in a body: a std::string whose reader checks the alphabet.
template <IdKind K>
struct IdOf : std::string {
  IdOf() = default;
  IdOf(std::string text) : std::string(std::move(text)) {}  // NOLINT: implicit on purpose
  IdOf(const char* text) : std::string(text) {}             // NOLINT: implicit on purpose
};
using Id = IdOf<IdKind::kId>;                  // licence numbers, staff ids, thing ids, hashes
using CaseNumber = IdOf<IdKind::kCaseNumber>;  // case numbers and court codes

// The texts of a vector of ids.
template <IdKind K>
std::vector<std::string> texts(const std::vector<IdOf<K>>& ids) {
  return std::vector<std::string>(ids.begin(), ids.end());
}

namespace body_detail {

using schema::detail::IsOptional;
using schema::detail::IsVector;

template <class T>
struct IsId : std::false_type {};
template <IdKind K>
struct IsId<IdOf<K>> : std::true_type {
  static constexpr IdKind kind = K;
};

template <class T>
concept HasServerMade = requires {
  T::kServerMade;
};

template <class E>
std::vector<std::string> wire_names() {
  return schema::enum_names<E>();
}

template <class M>
void read_member(Fields& in, std::string_view key, Need need, M& out);

template <class T>
void read_members(Fields& in, T& out) {
  boost::mp11::mp_for_each<decltype(schema::detail::members<T>())>([&](auto d) {
    using M = std::remove_cvref_t<decltype(out.*d.pointer)>;
    const std::string key = schema::detail::enumerator_name(d.name);
    if constexpr (IsOptional<M>::value) {
      if (in.has(key)) {
        typename M::value_type value{};
        read_member(in, key, Need::kOptional, value);
        out.*d.pointer = std::move(value);
      }
    } else {
      read_member(in, key, Need::kRequired, out.*d.pointer);
    }
  });
}

template <class M>
void read_member(Fields& in, std::string_view key, Need need, M& out) {
  if constexpr (IsId<M>::value) {
    out = in.id(key, need, IsId<M>::kind);
  } else if constexpr (std::is_same_v<M, std::string>) {
    out = in.str(key, need);
  } else if constexpr (std::is_same_v<M, bool>) {
    out = in.boolean(key, need);
  } else if constexpr (std::is_same_v<M, std::int64_t>) {
    out = in.i64(key, need);
  } else if constexpr (std::is_same_v<M, std::uint32_t>) {
    out = in.u32(key, need);
  } else if constexpr (schema::detail::DescribedEnum<M>) {
    const auto names = wire_names<M>();
    if (auto at = in.one_of(key, names, need)) {
      std::size_t i = 0;
      boost::mp11::mp_for_each<boost::describe::describe_enumerators<M>>([&](auto e) {
        if (i++ == *at)
          out = e.value;
      });
    }
  } else if constexpr (std::is_same_v<M, boost::json::object>) {
    if (const auto* object = in.object(key, need))
      out = *object;
  } else if constexpr (schema::detail::IsMap<M>::value) {
    in.nested(key, need, [&](Fields& nested) {
      for (const auto& name : nested.keys())
        read_member(nested, name, Need::kRequired, out[name]);
    });
  } else if constexpr (IsVector<M>::value) {
    using I = typename M::value_type;
    if constexpr (IsId<I>::value) {
      static_assert(IsId<I>::kind == IdKind::kId, "arrays of case numbers are not read");
      for (auto& id : in.ids(key, need))
        out.emplace_back(std::move(id));
    } else if constexpr (std::is_same_v<I, std::string>) {
      out = in.strings(key, need);
    } else if constexpr (schema::detail::DescribedEnum<I>) {
      std::vector<I> values;
      boost::mp11::mp_for_each<boost::describe::describe_enumerators<I>>(
          [&](auto e) { values.push_back(e.value); });
      for (auto at : in.each_one_of(key, wire_names<I>(), need))
        out.push_back(values[at]);
    } else {
      static_assert(schema::detail::DescribedStruct<I>, "an array of texts, ids or objects");
      in.each(key, need, [&](Fields& item) {
        I value{};
        read_members(item, value);
        out.push_back(std::move(value));
      });
    }
  } else {
    static_assert(schema::detail::DescribedStruct<M>, "no reader for this member type");
    in.nested(key, need, [&](Fields& nested) { read_members(nested, out); });
  }
}

// The schema of one member of a body, with the limits the reader applies.
template <class M>
boost::json::object member_schema(std::string_view name, schema::Components& components) {
  auto out = schema::schema_of<M>(components);
  if constexpr (IsVector<M>::value) {
    out["maxItems"] = limits::kArrayItems;
    if constexpr (std::is_base_of_v<std::string, typename M::value_type>)
      out["items"].as_object()["maxLength"] = limits::max_text_bytes(name);
  } else if constexpr (std::is_base_of_v<std::string, M>) {
    out["maxLength"] = limits::max_text_bytes(name);
  }
  return out;
}

}  // namespace body_detail

// The body of `object` as a T, or the problem to answer.
template <class T>
Expected<T, Problem> read_body(const boost::json::object& object) {
  if constexpr (body_detail::HasServerMade<T>) {
    std::vector<domain::Violation> sent;
    for (std::string_view name : T::kServerMade) {
      if (object.contains(name))
        sent.push_back({std::string(name), "Expected no " + std::string(name) +
                                               " (the server makes it and returns it as "
                                               "created_id), but the body names one"});
    }
    if (!sent.empty()) {
      std::string detail = sent.front().message;
      return unexpected(make_problem(http::status::unprocessable_entity, problem_code::kValidation,
                                     std::move(detail), std::move(sent)));
    }
  }
  auto in = Fields::over(object);
  T out{};
  body_detail::read_members(in, out);
  if (auto p = in.problem())
    return unexpected(std::move(*p));
  return out;
}

// The body of a request text as a T (a 400 when it is not a JSON object).
template <class T>
Expected<T, Problem> read_body(std::string_view text) {
  auto object = Fields::parse(text);
  if (!object)
    return unexpected(std::move(object).error());
  return read_body<T>(*object);
}

// The OpenAPI schema of the body T: an object of T's members (inline, so the document shows the
// body's fields at the request), with the byte limits and item counts the reader applies;
// nested structs are named components (schema.h).
template <class T>
boost::json::object request_schema(schema::Components& components) {
  boost::json::object properties;
  boost::json::array required;
  boost::mp11::mp_for_each<decltype(schema::detail::members<T>())>([&](auto d) {
    using M = std::remove_cvref_t<decltype(std::declval<T&>().*d.pointer)>;
    const std::string name = schema::detail::enumerator_name(d.name);
    boost::json::object property;
    if constexpr (body_detail::IsOptional<M>::value) {
      property = body_detail::member_schema<typename M::value_type>(name, components);
    } else {
      property = body_detail::member_schema<M>(name, components);
      required.emplace_back(boost::json::string(name));
    }
    if constexpr (schema::detail::HasFieldDocs<T>) {
      for (const auto& [field, text] : T::kFieldDocs) {
        if (field == name) {
          if (property.contains("$ref"))
            property = boost::json::object{{"allOf", boost::json::array{std::move(property)}}};
          property["description"] = boost::json::string(text);
        }
      }
    }
    properties[name] = std::move(property);
  });
  boost::json::object out{{"type", "object"}, {"properties", std::move(properties)}};
  if (!required.empty())
    out["required"] = std::move(required);
  return out;
}

// The request body type of a route (RouteSpec::request): its schema is request_schema<T>.
template <class T>
const schema::Type* body_type() {
  static const schema::Type instance{&request_schema<T>, &schema::example_of<T>};
  return &instance;
}

// The domain's value of the same wire name as an API enum's value (the same value when the API
// uses the domain's enum); the domain's first value when it has no such name.
template <class D, class A>
D to_domain(A value) {
  if constexpr (std::is_same_v<D, A>) {
    return value;
  } else {
    const auto same = domain::enum_from_name<D>(domain::enum_name(value));
    return same ? *same : D{};
  }
}

}  // namespace docket::api
