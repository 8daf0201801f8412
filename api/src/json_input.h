// Reading request bodies: JSON parsing and typed field access that collects every problem.
//
// A body that is not JSON, or not an object, is a 400. A field of the wrong type is a 400
// listing each such field; a required field that is missing, a text longer than its limit or an
// array with more items than allowed (input_limits.h) is a 422 (validation) listing each. A member
// named twice in one object is a 400. Unknown fields are ignored. Field paths in violations are
// dotted ("parties[1].name"). Not thread-safe; one per request.
#pragma once

#include <boost/json.hpp>

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "docket/api/problem.h"
#include "identifiers.h"

namespace docket::api {

enum class Need { kOptional, kRequired };

class Fields {
 public:
  struct Errors {
    std::vector<domain::Violation> wrong_type;
    std::vector<domain::Violation> missing;
    std::vector<domain::Violation> bad_ids;  // identifiers outside their alphabet
    std::vector<domain::Violation> too_long;
  };

  Fields(const boost::json::object* object, std::string prefix, std::shared_ptr<Errors> errors)
      : object_(object), prefix_(std::move(prefix)), errors_(std::move(errors)) {}

  // Parses `body` as a JSON object; a 400 problem when it is not one. An empty body is {}.
  static Expected<boost::json::object, Problem> parse(std::string_view body);

  // A reader over `object`, with a fresh error list.
  static Fields over(const boost::json::object& object) {
    return Fields(&object, "", std::make_shared<Errors>());
  }

  bool has(std::string_view key) const;
  // The member names of this object, in order.
  std::vector<std::string> keys() const;
  std::string str(std::string_view key, Need need = Need::kOptional);
  std::int64_t i64(std::string_view key, Need need = Need::kOptional, std::int64_t fallback = 0);
  std::uint32_t u32(std::string_view key, Need need = Need::kOptional, std::uint32_t fallback = 0);
  bool boolean(std::string_view key, Need need = Need::kOptional, bool fallback = false);
  std::optional<bool> optional_boolean(std::string_view key);
  std::vector<std::string> strings(std::string_view key, Need need = Need::kOptional);
  // An identifier (identifiers.h): a string of `kind`'s alphabet; anything else is a 422.
  std::string id(std::string_view key, Need need = Need::kOptional, IdKind kind = IdKind::kId);
  std::vector<std::string> ids(std::string_view key, Need need = Need::kOptional);

  // One of `names` (as text) mapped to its value; a text outside the list is a 400.
  template <class E>
  E choice(std::string_view key, std::initializer_list<std::pair<std::string_view, E>> names,
           Need need = Need::kOptional, E fallback = E{}) {
    const auto* v = find(key, need);
    if (v == nullptr)
      return fallback;
    const auto* s = v->if_string();
    if (s != nullptr) {
      for (const auto& [name, value] : names) {
        if (name == std::string_view(*s))
          return value;
      }
    }
    std::string allowed;
    for (const auto& [name, value] : names) {
      (void)value;
      allowed += (allowed.empty() ? "" : ", ") + std::string(name);
    }
    wrong_type(key, "one of " + allowed);
    return fallback;
  }

  // The index in `names` of the text `key` holds; a text outside the list is a 400 naming them.
  std::optional<std::size_t> one_of(std::string_view key, const std::vector<std::string>& names,
                                    Need need = Need::kOptional);
  // The index in `names` of each text of the array `key`; an item outside the list is a 400 naming
  // it and the list.
  std::vector<std::size_t> each_one_of(std::string_view key, const std::vector<std::string>& names,
                                       Need need = Need::kOptional);
  // The object `key` holds, as it is (a 400 when it is not an object); nullptr when absent.
  const boost::json::object* object(std::string_view key, Need need = Need::kOptional);

  // Calls f(Fields&) for each object of the array `key` (its fields prefixed "key[i].").
  template <class F>
  void each(std::string_view key, Need need, F&& f) {
    const auto* v = find(key, need);
    if (v == nullptr)
      return;
    const auto* array = v->if_array();
    if (array == nullptr) {
      wrong_type(key, "an array");
      return;
    }
    if (!within_items(key, *array))
      return;
    for (std::size_t i = 0; i < array->size(); ++i) {
      const auto& item = (*array)[i];
      const std::string path = path_of(key) + "[" + std::to_string(i) + "]";
      const auto* object = item.if_object();
      if (object == nullptr) {
        errors_->wrong_type.push_back({path, "Expected an object, but got " + kind(item)});
        continue;
      }
      Fields child(object, path + ".", errors_);
      f(child);
    }
  }

  // Calls f(Fields&) for the nested object `key`, if present.
  template <class F>
  void nested(std::string_view key, Need need, F&& f) {
    const auto* v = find(key, need);
    if (v == nullptr)
      return;
    const auto* object = v->if_object();
    if (object == nullptr) {
      wrong_type(key, "an object");
      return;
    }
    Fields child(object, path_of(key) + ".", errors_);
    f(child);
  }

  // The problem to answer when any field failed: 400 for wrong types (listing them all), else
  // 422 for missing required fields and identifiers outside their alphabet; nullopt when every
  // field read well.
  std::optional<Problem> problem() const;

 private:
  const boost::json::value* find(std::string_view key, Need need);
  void wrong_type(std::string_view key, std::string_view expected);
  // Whether the text is within its field's limit (else a violation is noted).
  bool within_limit(std::string_view key, const std::string& path, std::string_view text);
  bool within_items(std::string_view key, const boost::json::array& array);
  std::string path_of(std::string_view key) const { return prefix_ + std::string(key); }
  static std::string kind(const boost::json::value& v);

  const boost::json::object* object_;
  std::string prefix_;
  std::shared_ptr<Errors> errors_;
};

}  // namespace docket::api
