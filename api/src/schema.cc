#include "docket/api/schema.h"

namespace docket::api::schema {

namespace {

std::string kind_of(const json::value& v) {
  switch (v.kind()) {
    case json::kind::null:
      return "null";
    case json::kind::bool_:
      return "boolean";
    case json::kind::int64:
    case json::kind::uint64:
      return "integer";
    case json::kind::double_:
      return "number";
    case json::kind::string:
      return "string";
    case json::kind::array:
      return "array";
    case json::kind::object:
      return "object";
  }
  return "unknown";
}

bool has_type(const json::value& v, std::string_view type) {
  const auto kind = kind_of(v);
  if (kind == type)
    return true;
  if (type == "number" && kind == "integer")
    return true;
  if (type == "integer" && v.is_double()) {
    const double d = v.as_double();
    return d == static_cast<double>(static_cast<std::int64_t>(d));
  }
  return false;
}

const json::value* resolve(const json::value& document, std::string_view ref) {
  constexpr std::string_view kPrefix = "#/components/schemas/";
  if (!ref.starts_with(kPrefix))
    return nullptr;
  const auto* doc = document.if_object();
  const auto* components = doc ? doc->if_contains("components") : nullptr;
  const auto* schemas = components && components->is_object()
                            ? components->as_object().if_contains("schemas")
                            : nullptr;
  if (schemas == nullptr || !schemas->is_object())
    return nullptr;
  return schemas->as_object().if_contains(ref.substr(kPrefix.size()));
}

void check(const json::value& schema_value, const json::value& instance,
           const json::value& document, const std::string& path, std::vector<std::string>& out,
           int depth) {
  if (depth > 64) {
    out.push_back(path + ": the schema nests too deep");
    return;
  }
  const auto* schema = schema_value.if_object();
  if (schema == nullptr)
    return;  // true / {} : anything
  if (const auto* ref = schema->if_contains("$ref")) {
    const auto* target = ref->is_string() ? resolve(document, ref->as_string()) : nullptr;
    if (target == nullptr) {
      out.push_back(path + ": unresolved $ref " + json::serialize(*ref));
      return;
    }
    check(*target, instance, document, path, out, depth + 1);
  }
  if (const auto* all = schema->if_contains("allOf"); all && all->is_array()) {
    for (const auto& s : all->as_array())
      check(s, instance, document, path, out, depth + 1);
  }
  if (const auto* any = schema->if_contains("anyOf"); any && any->is_array()) {
    bool matched = false;
    std::vector<std::string> first;
    for (const auto& s : any->as_array()) {
      std::vector<std::string> errors;
      check(s, instance, document, path, errors, depth + 1);
      if (errors.empty()) {
        matched = true;
        break;
      }
      if (first.empty())
        first = std::move(errors);
    }
    if (!matched) {
      out.push_back(path + ": matches none of anyOf");
      out.insert(out.end(), first.begin(), first.end());
    }
  }
  if (const auto* type = schema->if_contains("type")) {
    bool ok = false;
    std::string wanted;
    if (type->is_string()) {
      ok = has_type(instance, type->as_string());
      wanted = type->as_string();
    } else if (type->is_array()) {
      for (const auto& t : type->as_array()) {
        if (t.is_string()) {
          ok = ok || has_type(instance, t.as_string());
          wanted += (wanted.empty() ? "" : " or ") + std::string(t.as_string());
        }
      }
    }
    if (!ok) {
      out.push_back(path + ": expected " + wanted + ", but got " + kind_of(instance));
      return;
    }
  }
  if (const auto* allowed = schema->if_contains("enum"); allowed && allowed->is_array()) {
    bool found = false;
    for (const auto& a : allowed->as_array())
      found = found || a == instance;
    if (!found)
      out.push_back(path + ": expected one of " + json::serialize(*allowed) + ", but got " +
                    json::serialize(instance));
  }
  if (const auto* object = instance.if_object()) {
    const auto* properties = schema->if_contains("properties");
    const json::object* props =
        properties && properties->is_object() ? &properties->as_object() : nullptr;
    if (const auto* required = schema->if_contains("required"); required && required->is_array()) {
      for (const auto& name : required->as_array()) {
        if (name.is_string() && !object->contains(name.as_string()))
          out.push_back(path + ": the required member " + std::string(name.as_string()) +
                        " is missing");
      }
    }
    const auto* additional = schema->if_contains("additionalProperties");
    for (const auto& [key, value] : *object) {
      const std::string member = path + "." + std::string(key);
      if (props != nullptr) {
        if (const auto* p = props->if_contains(key)) {
          check(*p, value, document, member, out, depth + 1);
          continue;
        }
      }
      if (additional == nullptr)
        continue;
      if (additional->is_bool()) {
        if (!additional->as_bool())
          out.push_back(member + ": a member the schema does not declare");
      } else {
        check(*additional, value, document, member, out, depth + 1);
      }
    }
  }
  if (const auto* array = instance.if_array()) {
    if (const auto* items = schema->if_contains("items")) {
      for (std::size_t i = 0; i < array->size(); ++i)
        check(*items, (*array)[i], document, path + "[" + std::to_string(i) + "]", out, depth + 1);
    }
  }
}

}  // namespace

std::vector<std::string> validate(const json::value& schema, const json::value& instance,
                                  const json::value& document, const std::string& path) {
  std::vector<std::string> out;
  check(schema, instance, document, path, out, 0);
  return out;
}

}  // namespace docket::api::schema
