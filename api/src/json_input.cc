#include "json_input.h"

#include <algorithm>
#include <limits>
#include <set>

#include "input_limits.h"

namespace docket::api {

namespace json = boost::json;

namespace {

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

std::uint32_t hex4(std::string_view text, std::size_t at) {
  std::uint32_t v = 0;
  for (std::size_t k = 0; k < 4 && at + k < text.size(); ++k) {
    const char c = text[at + k];
    v <<= 4;
    if (c >= '0' && c <= '9')
      v |= static_cast<std::uint32_t>(c - '0');
    else if (c >= 'a' && c <= 'f')
      v |= static_cast<std::uint32_t>(c - 'a' + 10);
    else if (c >= 'A' && c <= 'F')
      v |= static_cast<std::uint32_t>(c - 'A' + 10);
  }
  return v;
}

// The JSON string starting at text[i] (a quote), decoded; i is left after its closing quote.
// The text is known to parse.
std::string decode_string(std::string_view text, std::size_t& i) {
  std::string out;
  ++i;
  while (i < text.size() && text[i] != '"') {
    if (text[i] != '\\') {
      out.push_back(text[i++]);
      continue;
    }
    const char e = i + 1 < text.size() ? text[i + 1] : '\0';
    i += 2;
    switch (e) {
      case 'b':
        out.push_back('\b');
        break;
      case 'f':
        out.push_back('\f');
        break;
      case 'n':
        out.push_back('\n');
        break;
      case 'r':
        out.push_back('\r');
        break;
      case 't':
        out.push_back('\t');
        break;
      case 'u': {
        std::uint32_t cp = hex4(text, i);
        i += 4;
        if (cp >= 0xD800 && cp <= 0xDBFF && i + 6 <= text.size() && text[i] == '\\' &&
            text[i + 1] == 'u') {
          const auto low = hex4(text, i + 2);
          if (low >= 0xDC00 && low <= 0xDFFF) {
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
            i += 6;
          }
        }
        append_utf8(out, cp);
        break;
      }
      default:
        out.push_back(e);
    }
  }
  ++i;
  return out;
}

// The first member name that appears twice in one object of a JSON text that parses, if any.
std::optional<std::string> duplicate_member(std::string_view text) {
  struct Frame {
    bool object = false;
    bool expect_name = false;
    std::set<std::string> names;
  };
  std::vector<Frame> frames;
  std::size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    if (c == '"') {
      auto s = decode_string(text, i);
      if (!frames.empty() && frames.back().object && frames.back().expect_name) {
        if (!frames.back().names.insert(s).second)
          return s;
        frames.back().expect_name = false;
      }
      continue;
    }
    if (c == '{')
      frames.push_back({true, true, {}});
    else if (c == '[')
      frames.push_back({false, false, {}});
    else if ((c == '}' || c == ']') && !frames.empty())
      frames.pop_back();
    else if (c == ',' && !frames.empty() && frames.back().object)
      frames.back().expect_name = true;
    ++i;
  }
  return std::nullopt;
}

}  // namespace

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
  // A name given twice would be read as its last value here and perhaps its first elsewhere.
  if (auto twice = duplicate_member(body))
    return unexpected(bad_request("Expected each member name once in an object, but \"" + *twice +
                                  "\" appears more than once"));
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

std::vector<std::string> Fields::keys() const {
  std::vector<std::string> out;
  for (const auto& member : *object_)
    out.emplace_back(member.key());
  return out;
}

std::string Fields::str(std::string_view key, Need need) {
  const auto* v = find(key, need);
  if (v == nullptr)
    return {};
  if (const auto* s = v->if_string()) {
    if (!within_limit(key, path_of(key), *s))
      return {};
    return std::string(*s);
  }
  wrong_type(key, "a string");
  return {};
}

bool Fields::within_limit(std::string_view key, const std::string& path, std::string_view text) {
  const auto max = limits::max_text_bytes(key);
  if (text.size() <= max)
    return true;
  errors_->too_long.push_back({path, "Expected at most " + std::to_string(max) +
                                         " bytes, but it has " + std::to_string(text.size())});
  return false;
}

bool Fields::within_items(std::string_view key, const json::array& array) {
  if (array.size() <= limits::kArrayItems)
    return true;
  errors_->too_long.push_back(
      {path_of(key), "Expected at most " + std::to_string(limits::kArrayItems) +
                         " items, but it has " + std::to_string(array.size())});
  return false;
}

std::int64_t Fields::i64(std::string_view key, Need need, std::int64_t fallback) {
  const auto* v = find(key, need);
  if (v == nullptr)
    return fallback;
  std::optional<std::int64_t> value;
  if (const auto* i = v->if_int64()) {
    value = *i;
  } else if (const auto* u = v->if_uint64()) {
    if (*u <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
      value = static_cast<std::int64_t>(*u);
  }
  if (!value) {
    wrong_type(key, "an integer (64-bit)");
    return fallback;
  }
  if (key.ends_with("_us") && (*value < 0 || *value > limits::kMaxTimeUs)) {
    errors_->too_long.push_back(
        {path_of(key), "Expected a time or period in microseconds from 0 to " +
                           std::to_string(limits::kMaxTimeUs) +
                           " (the end of the year 9999), but "
                           "it is " +
                           std::to_string(*value)});
    return fallback;
  }
  return *value;
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
  if (!within_items(key, *array))
    return out;
  for (std::size_t i = 0; i < array->size(); ++i) {
    if (const auto* s = (*array)[i].if_string()) {
      if (within_limit(key, path_of(key) + "[" + std::to_string(i) + "]", *s))
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

std::optional<std::size_t> Fields::one_of(std::string_view key,
                                          const std::vector<std::string>& names, Need need) {
  const auto* v = find(key, need);
  if (v == nullptr)
    return std::nullopt;
  if (const auto* s = v->if_string()) {
    for (std::size_t i = 0; i < names.size(); ++i) {
      if (names[i] == std::string_view(*s))
        return i;
    }
  }
  std::string allowed;
  for (const auto& name : names)
    allowed += (allowed.empty() ? "" : ", ") + name;
  wrong_type(key, "one of " + allowed);
  return std::nullopt;
}

std::vector<std::size_t> Fields::each_one_of(std::string_view key,
                                             const std::vector<std::string>& names, Need need) {
  std::vector<std::size_t> out;
  const auto* v = find(key, need);
  if (v == nullptr)
    return out;
  const auto* array = v->if_array();
  if (array == nullptr) {
    wrong_type(key, "an array");
    return out;
  }
  if (!within_items(key, *array))
    return out;
  for (std::size_t i = 0; i < array->size(); ++i) {
    const auto* s = (*array)[i].if_string();
    const auto it =
        s == nullptr ? names.end() : std::find(names.begin(), names.end(), std::string_view(*s));
    if (it != names.end()) {
      out.push_back(static_cast<std::size_t>(it - names.begin()));
      continue;
    }
    std::string allowed;
    for (const auto& name : names)
      allowed += (allowed.empty() ? "" : ", ") + name;
    errors_->wrong_type.push_back(
        {path_of(key) + "[" + std::to_string(i) + "]",
         "Expected one of " + allowed + ", but got " + kind((*array)[i])});
  }
  return out;
}

const json::object* Fields::object(std::string_view key, Need need) {
  const auto* v = find(key, need);
  if (v == nullptr)
    return nullptr;
  if (const auto* o = v->if_object())
    return o;
  wrong_type(key, "an object");
  return nullptr;
}

std::optional<Problem> Fields::problem() const {
  if (!errors_->wrong_type.empty()) {
    const auto& first = errors_->wrong_type.front();
    return bad_request(
        "Expected fields of the documented types, but " + first.field + ": " + first.message,
        errors_->wrong_type);
  }
  if (!errors_->too_long.empty()) {
    const auto& first = errors_->too_long.front();
    auto all = errors_->too_long;
    all.insert(all.end(), errors_->missing.begin(), errors_->missing.end());
    return make_problem(
        http::status::unprocessable_entity, problem_code::kValidation,
        "Expected fields within their limits, but " + first.field + ": " + first.message,
        std::move(all));
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
