#include "json_input.h"

#include <limits>

namespace docket::api {

namespace json = boost::json;

Expected<json::object, Problem> Fields::parse(std::string_view body) {
  bool blank = true;
  for (char c : body) {
    if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
      blank = false;
      break;
    }
  }
  if (blank)
    return json::object{};
  json::error_code ec;
  json::parse_options options;
  options.max_depth = 32;
  json::value value = json::parse(body, ec, {}, options);
  if (ec)
    return unexpected(bad_request("Expected a JSON body, but it does not parse: " + ec.message()));
  auto* object = value.if_object();
  if (object == nullptr)
    return unexpected(bad_request("Expected a JSON object as the body, but got " + kind(value)));
  return std::move(*object);
}

std::string Fields::kind(const json::value& v) {
  switch (v.kind()) {
    case json::kind::null:
      return "null";
    case json::kind::bool_:
      return "a boolean";
    case json::kind::int64:
    case json::kind::uint64:
      return "an integer";
    case json::kind::double_:
      return "a number";
    case json::kind::string:
      return "a string";
    case json::kind::array:
      return "an array";
    case json::kind::object:
      return "an object";
  }
  return "a value";
}

const json::value* Fields::find(std::string_view key, Need need) {
  const auto* v = object_->if_contains(key);
  if (v == nullptr || v->is_null()) {
    if (need == Need::kRequired)
      errors_->missing.push_back({path_of(key), "Expected a value, but it is missing"});
    return nullptr;
  }
  return v;
}

void Fields::wrong_type(std::string_view key, std::string_view expected) {
  const auto* v = object_->if_contains(key);
  errors_->wrong_type.push_back({path_of(key), "Expected " + std::string(expected) + ", but got " +
                                                   (v ? kind(*v) : std::string("nothing"))});
}

bool Fields::has(std::string_view key) const {
  const auto* v = object_->if_contains(key);
  return v != nullptr && !v->is_null();
}

std::string Fields::str(std::string_view key, Need need) {
  const auto* v = find(key, need);
  if (v == nullptr)
    return {};
  if (const auto* s = v->if_string())
    return std::string(*s);
  wrong_type(key, "a string");
  return {};
}

std::int64_t Fields::i64(std::string_view key, Need need, std::int64_t fallback) {
  const auto* v = find(key, need);
  if (v == nullptr)
    return fallback;
  if (const auto* i = v->if_int64())
    return *i;
  if (const auto* u = v->if_uint64()) {
    if (*u <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
      return static_cast<std::int64_t>(*u);
  }
  wrong_type(key, "an integer (64-bit)");
  return fallback;
}

std::uint32_t Fields::u32(std::string_view key, Need need, std::uint32_t fallback) {
  const auto* v = find(key, need);
  if (v == nullptr)
    return fallback;
  if (const auto* i = v->if_int64()) {
    if (*i >= 0 && *i <= std::numeric_limits<std::uint32_t>::max())
      return static_cast<std::uint32_t>(*i);
  } else if (const auto* u = v->if_uint64()) {
    if (*u <= std::numeric_limits<std::uint32_t>::max())
      return static_cast<std::uint32_t>(*u);
  }
  wrong_type(key, "a non-negative integer (32-bit)");
  return fallback;
}

bool Fields::boolean(std::string_view key, Need need, bool fallback) {
  const auto* v = find(key, need);
  if (v == nullptr)
    return fallback;
  if (const auto* b = v->if_bool())
    return *b;
  wrong_type(key, "a boolean");
  return fallback;
}

std::optional<bool> Fields::optional_boolean(std::string_view key) {
  const auto* v = find(key, Need::kOptional);
  if (v == nullptr)
    return std::nullopt;
  if (const auto* b = v->if_bool())
    return *b;
  wrong_type(key, "a boolean");
  return std::nullopt;
}

std::vector<std::string> Fields::strings(std::string_view key, Need need) {
  std::vector<std::string> out;
  const auto* v = find(key, need);
  if (v == nullptr)
    return out;
  const auto* array = v->if_array();
  if (array == nullptr) {
    wrong_type(key, "an array of strings");
    return out;
  }
  for (std::size_t i = 0; i < array->size(); ++i) {
    if (const auto* s = (*array)[i].if_string()) {
      out.emplace_back(*s);
    } else {
      errors_->wrong_type.push_back({path_of(key) + "[" + std::to_string(i) + "]",
                                     "Expected a string, but got " + kind((*array)[i])});
    }
  }
  return out;
}

std::string Fields::id(std::string_view key, Need need, IdKind kind) {
  std::string out = str(key, need);
  const auto* v = object_->if_contains(key);
  const bool given = v != nullptr && v->is_string() && (need == Need::kRequired || !out.empty());
  if (given) {
    if (auto error = identifier_error(kind, path_of(key), out)) {
      errors_->bad_ids.push_back({path_of(key), std::move(*error)});
      out.clear();
    }
  }
  return out;
}

std::vector<std::string> Fields::ids(std::string_view key, Need need) {
  auto out = strings(key, need);
  for (std::size_t i = 0; i < out.size(); ++i) {
    const std::string path = path_of(key) + "[" + std::to_string(i) + "]";
    if (auto error = identifier_error(IdKind::kId, path, out[i]))
      errors_->bad_ids.push_back({path, std::move(*error)});
  }
  return out;
}

std::optional<Problem> Fields::problem() const {
  if (!errors_->wrong_type.empty()) {
    const auto& first = errors_->wrong_type.front();
    return bad_request(
        "Expected fields of the documented types, but " + first.field + ": " + first.message,
        errors_->wrong_type);
  }
  if (!errors_->missing.empty()) {
    std::string names;
    for (const auto& m : errors_->missing)
      names += (names.empty() ? "" : ", ") + m.field;
    return make_problem(http::status::unprocessable_entity, problem_code::kValidation,
                        "Expected every required field, but these are missing: " + names,
                        errors_->missing);
  }
  if (!errors_->bad_ids.empty()) {
    return make_problem(http::status::unprocessable_entity, problem_code::kValidation,
                        errors_->bad_ids.front().message, errors_->bad_ids);
  }
  return std::nullopt;
}

}  // namespace docket::api
