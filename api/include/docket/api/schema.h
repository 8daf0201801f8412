// JSON Schema (the OpenAPI 3.1 dialect) from C++ types, and a validator for what it makes.
//
// A reply's shape is a plain struct described with Boost.Describe; its schema follows from the
// members' types, so the OpenAPI document states what the types say:
//
//   std::string (or a type derived from it, e.g. an identifier)  {"type": "string"}
//   integers                     {"type": "integer"}
//   bool                         {"type": "boolean"}
//   a described enum             {"type": "string", "enum": [its enumerators' names]}
//                                (a trailing '_' is dropped: `signed_` is "signed")
//   std::vector<T>               {"type": "array", "items": T}
//   std::optional<T> member      T, and the member is not required (absent when it does not apply)
//   Nullable<T>                  T or null (present, null when there is none)
//   MapOf<T>, std::map<std::string, T>  an object with free keys whose values are T
//   Any                          any JSON value
//   a described struct           {"$ref": "#/components/schemas/<kSchemaName>"}: an object with
//                                its members (inherited ones first) as properties, every one
//                                required unless std::optional, no others (additionalProperties
//                                false)
//
// A struct names itself with `static constexpr std::string_view kSchemaName`, may describe itself
// with `kDescription` and its members with `kFieldDocs` (pairs of member name and text), and may
// give its own example with `static boost::json::value example()`; otherwise the example is made
// from the types (one item per array).
#pragma once

#include <boost/describe/class.hpp>
#include <boost/describe/enum.hpp>
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

#include "docket/domain/enum_names.h"

namespace docket::api::schema {

namespace json = boost::json;

// T, or null when there is none (the member is always present).
template <class T>
struct Nullable {};
// An object whose keys are data (e.g. a fee rule per case category), each value a T.
template <class T>
struct MapOf {};
// Any JSON value.
struct Any {};

// The named schemas a document refers to ("#/components/schemas/<name>").
struct Components {
  json::object schemas;
};

// One type's schema and example, behind a pointer (the route table holds these).
struct Type {
  json::object (*schema)(Components&);
  json::value (*example)();
};

namespace detail {

template <class T>
struct IsVector : std::false_type {};
template <class T>
struct IsVector<std::vector<T>> : std::true_type {};
template <class T>
struct IsOptional : std::false_type {};
template <class T>
struct IsOptional<std::optional<T>> : std::true_type {};
template <class T>
struct IsNullable : std::false_type {};
template <class T>
struct IsNullable<Nullable<T>> : std::true_type {};
template <class T>
struct IsMapOf : std::false_type {};
template <class T>
struct IsMapOf<MapOf<T>> : std::true_type {};
template <class T>
struct IsMap : std::false_type {};
template <class T>
struct IsMap<std::map<std::string, T>> : std::true_type {};

template <class T>
struct Inner;
template <template <class> class W, class T>
struct Inner<W<T>> {
  using type = T;
};

template <class T>
concept DescribedStruct = boost::describe::has_describe_members<T>::value;
template <class T>
concept DescribedEnum = std::is_enum_v<T> && boost::describe::has_describe_enumerators<T>::value;

template <class T>
concept HasDescription = requires {
  T::kDescription;
};
template <class T>
concept HasFieldDocs = requires {
  T::kFieldDocs;
};
template <class T>
concept HasExample = requires {
  { T::example() } -> std::convertible_to<json::value>;
};

// A described member's JSON name: its C++ name without a trailing '_' (`signed_` is "signed").
inline std::string enumerator_name(std::string_view name) {
  if (!name.empty() && name.back() == '_')
    name.remove_suffix(1);
  return std::string(name);
}

template <class T>
constexpr auto members() {
  return boost::describe::describe_members<T, boost::describe::mod_public |
                                                  boost::describe::mod_inherited>{};
}

}  // namespace detail

template <class T>
json::object schema_of(Components& components);
template <class T>
json::value example_of();

// The wire names of a described enum, in declaration order (the domain's rule, enum_names.h).
template <class E>
requires detail::DescribedEnum<E> std::vector<std::string> enum_names() {
  std::vector<std::string> out;
  for (const auto name : domain::enum_names<E>())
    out.emplace_back(name);
  return out;
}

template <class T>
json::object schema_of(Components& components) {
  if constexpr (std::is_base_of_v<std::string, T>) {
    return json::object{{"type", "string"}};
  } else if constexpr (std::is_same_v<T, bool>) {
    return json::object{{"type", "boolean"}};
  } else if constexpr (std::is_integral_v<T>) {
    return json::object{{"type", "integer"}};
  } else if constexpr (std::is_same_v<T, Any>) {
    return json::object{};
  } else if constexpr (detail::DescribedEnum<T>) {
    json::array names;
    for (auto& n : enum_names<T>())
      names.emplace_back(json::string(n));
    return json::object{{"type", "string"}, {"enum", std::move(names)}};
  } else if constexpr (detail::IsVector<T>::value) {
    return json::object{{"type", "array"},
                        {"items", schema_of<typename T::value_type>(components)}};
  } else if constexpr (detail::IsMapOf<T>::value) {
    return json::object{
        {"type", "object"},
        {"additionalProperties", schema_of<typename detail::Inner<T>::type>(components)}};
  } else if constexpr (detail::IsMap<T>::value) {
    return json::object{{"type", "object"},
                        {"additionalProperties", schema_of<typename T::mapped_type>(components)}};
  } else if constexpr (detail::IsNullable<T>::value) {
    auto inner = schema_of<typename detail::Inner<T>::type>(components);
    if (auto it = inner.find("type");
        it != inner.end() && it->value().is_string() && !inner.contains("enum")) {
      it->value() = json::array{it->value(), "null"};
      return inner;
    }
    return json::object{{"anyOf", json::array{std::move(inner), json::object{{"type", "null"}}}}};
  } else if constexpr (detail::DescribedStruct<T>) {
    const std::string name(T::kSchemaName);
    const std::string ref = "#/components/schemas/" + name;
    if (components.schemas.contains(name))
      return json::object{{"$ref", ref}};
    components.schemas[name] = json::object{};  // a placeholder against recursion
    json::object properties;
    json::array required;
    boost::mp11::mp_for_each<decltype(detail::members<T>())>([&](auto d) {
      using M = std::remove_cvref_t<decltype(std::declval<T&>().*d.pointer)>;
      json::object property;
      if constexpr (detail::IsOptional<M>::value) {
        property = schema_of<typename M::value_type>(components);
      } else {
        property = schema_of<M>(components);
        required.emplace_back(json::string(detail::enumerator_name(d.name)));
      }
      if constexpr (detail::HasFieldDocs<T>) {
        for (const auto& [field, text] : T::kFieldDocs) {
          if (field == detail::enumerator_name(d.name)) {
            // A sibling of $ref is allowed in 3.1, but tools read it better wrapped.
            if (property.contains("$ref"))
              property = json::object{{"allOf", json::array{std::move(property)}}};
            property["description"] = json::string(text);
          }
        }
      }
      properties[detail::enumerator_name(d.name)] = std::move(property);
    });
    json::object out{{"type", "object"},
                     {"properties", std::move(properties)},
                     {"required", std::move(required)},
                     {"additionalProperties", false}};
    if constexpr (detail::HasDescription<T>)
      out["description"] = json::string(T::kDescription);
    out["example"] = example_of<T>();
    components.schemas[name] = std::move(out);
    return json::object{{"$ref", ref}};
  } else {
    static_assert(sizeof(T) == 0, "no schema for this type");
  }
}

template <class T>
json::value example_of() {
  if constexpr (std::is_base_of_v<std::string, T>) {
    return "text";
  } else if constexpr (std::is_same_v<T, bool>) {
    return false;
  } else if constexpr (std::is_integral_v<T>) {
    return 0;
  } else if constexpr (std::is_same_v<T, Any>) {
    return json::object{};
  } else if constexpr (detail::DescribedEnum<T>) {
    return json::string(enum_names<T>().front());
  } else if constexpr (detail::IsVector<T>::value) {
    return json::array{example_of<typename T::value_type>()};
  } else if constexpr (detail::IsMapOf<T>::value) {
    return json::object{{"key", example_of<typename detail::Inner<T>::type>()}};
  } else if constexpr (detail::IsMap<T>::value) {
    return json::object{{"key", example_of<typename T::mapped_type>()}};
  } else if constexpr (detail::IsNullable<T>::value) {
    return example_of<typename detail::Inner<T>::type>();
  } else if constexpr (detail::DescribedStruct<T>) {
    if constexpr (detail::HasExample<T>) {
      return T::example();
    } else {
      json::object out;
      boost::mp11::mp_for_each<decltype(detail::members<T>())>([&](auto d) {
        using M = std::remove_cvref_t<decltype(std::declval<T&>().*d.pointer)>;
        const auto name = detail::enumerator_name(d.name);
        if constexpr (detail::IsOptional<M>::value)
          out[name] = example_of<typename M::value_type>();
        else
          out[name] = example_of<M>();
      });
      return out;
    }
  } else {
    static_assert(sizeof(T) == 0, "no example for this type");
  }
}

// The Type of T (one static instance per type).
template <class T>
const Type* type() {
  static const Type instance{&schema_of<T>, &example_of<T>};
  return &instance;
}

// Where `instance` breaks `schema` (empty when it conforms): one line per breach, with the JSON
// path. Understands what schema_of makes: $ref (into `document`'s components), type (one or
// several), enum, properties, required, additionalProperties (false or a schema), items, anyOf,
// allOf. Anything else in a schema is ignored.
std::vector<std::string> validate(const json::value& schema, const json::value& instance,
                                  const json::value& document, const std::string& path = "$");

}  // namespace docket::api::schema
