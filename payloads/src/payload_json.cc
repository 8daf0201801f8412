#include "docket/payloads/payload_json.h"

#include <flatbuffers/reflection.h>

#include <algorithm>
#include <cstring>

#include "docket/engine/format.h"
#include "embedded_schemas.h"

namespace docket::payloads {

namespace json = boost::json;
using reflection::BaseType;

namespace {

std::string_view short_name(std::string_view qualified) {
  auto dot = qualified.rfind('.');
  return dot == std::string_view::npos ? qualified : qualified.substr(dot + 1);
}

engine::Error error(engine::ErrorCode code, std::string message) {
  return engine::Error{code, std::move(message), std::nullopt, std::nullopt};
}

}  // namespace

// Walks one verified buffer and builds its JSON.
class RenderWalker {
 public:
  RenderWalker(const PayloadRenderer& renderer, const reflection::Schema& schema)
      : renderer_(renderer), schema_(schema) {}

  // Whether a credential field left out held a value.
  bool held_credentials() const { return held_credentials_; }

  json::value table(const reflection::Object& object, const flatbuffers::Table& table) const {
    json::object out;
    for (const auto* field : fields(object)) {
      if (field->deprecated())
        continue;
      const auto* type = field->type();
      const auto base = type->base_type();
      if (is_credential_field(field->name()->string_view())) {
        held_credentials_ = held_credentials_ || holds_value(*field, table);
        continue;
      }
      if (flatbuffers::IsScalar(base)) {
        if (base == BaseType::UType)
          continue;  // rendered with its union
        if (flatbuffers::IsFloat(base)) {
          out.emplace(field->name()->str(), flatbuffers::GetAnyFieldF(table, *field));
        } else {
          out.emplace(field->name()->str(),
                      integer(base, type->index(), flatbuffers::GetAnyFieldI(table, *field)));
        }
        continue;
      }
      if (!table.CheckField(field->offset()))
        continue;
      switch (base) {
        case BaseType::String:
          out.emplace(field->name()->str(), string(flatbuffers::GetFieldS(table, *field)));
          break;
        case BaseType::Obj: {
          const auto* sub =
              schema_.objects()->Get(static_cast<flatbuffers::uoffset_t>(type->index()));
          if (sub->is_struct()) {
            out.emplace(field->name()->str(),
                        structure(*sub, reinterpret_cast<const std::uint8_t*>(
                                            flatbuffers::GetFieldStruct(table, *field))));
          } else {
            out.emplace(field->name()->str(),
                        this->table(*sub, *flatbuffers::GetFieldT(table, *field)));
          }
          break;
        }
        case BaseType::Vector:
          out.emplace(field->name()->str(),
                      vector(*type, flatbuffers::GetFieldAnyV(table, *field)));
          break;
        case BaseType::Union: {
          const auto& member = flatbuffers::GetUnionType(schema_, object, *field, table);
          json::object u;
          u.emplace("type", std::string(short_name(member.name()->string_view())));
          u.emplace("value", this->table(member, *flatbuffers::GetFieldT(table, *field)));
          out.emplace(field->name()->str(), std::move(u));
          break;
        }
        default:
          out.emplace(field->name()->str(), nullptr);
          break;
      }
    }
    return out;
  }

 private:
  const std::vector<const reflection::Field*>& fields(const reflection::Object& object) const {
    static const std::vector<const reflection::Field*> kNone;
    auto it = renderer_.fields_.find(&object);
    return it == renderer_.fields_.end() ? kNone : it->second;
  }

  static json::value string(const flatbuffers::String* s) {
    if (s == nullptr)
      return nullptr;
    return json::string(s->string_view());
  }

  // An integer, by enum value name when its type is an enum that names it.
  json::value integer(BaseType base, int enum_index, std::int64_t v) const {
    if (base == BaseType::Bool)
      return v != 0;
    if (enum_index >= 0 && schema_.enums() != nullptr &&
        static_cast<flatbuffers::uoffset_t>(enum_index) < schema_.enums()->size()) {
      const auto* e = schema_.enums()->Get(static_cast<flatbuffers::uoffset_t>(enum_index));
      if (const auto* val = e->values()->LookupByKey(v); val != nullptr)
        return json::string(val->name()->string_view());
    }
    if (base == BaseType::ULong)
      return static_cast<std::uint64_t>(v);
    return v;
  }

  json::value structure(const reflection::Object& object, const std::uint8_t* data) const {
    json::object out;
    for (const auto* field : fields(object)) {
      if (is_credential_field(field->name()->string_view()))
        continue;  // structs hold only scalars: nothing to report
      const auto* type = field->type();
      const auto* at = data + field->offset();
      switch (type->base_type()) {
        case BaseType::Obj: {
          const auto* sub =
              schema_.objects()->Get(static_cast<flatbuffers::uoffset_t>(type->index()));
          out.emplace(field->name()->str(), structure(*sub, at));
          break;
        }
        case BaseType::Array: {
          json::array items;
          const auto element = type->element();
          const auto size = flatbuffers::GetTypeSizeInline(element, type->index(), schema_);
          for (std::uint16_t i = 0; i < type->fixed_length(); ++i)
            items.push_back(inline_value(element, type->index(), at + i * size));
          out.emplace(field->name()->str(), std::move(items));
          break;
        }
        default:
          out.emplace(field->name()->str(), inline_value(type->base_type(), type->index(), at));
          break;
      }
    }
    return out;
  }

  json::value inline_value(BaseType base, int index, const std::uint8_t* at) const {
    if (base == BaseType::Obj) {
      return structure(*schema_.objects()->Get(static_cast<flatbuffers::uoffset_t>(index)), at);
    }
    if (flatbuffers::IsFloat(base))
      return flatbuffers::GetAnyValueF(base, at);
    return integer(base, index, flatbuffers::GetAnyValueI(base, at));
  }

  json::value vector(const reflection::Type& type, const flatbuffers::VectorOfAny* v) const {
    json::array items;
    if (v == nullptr)
      return items;
    const auto element = type.element();
    items.reserve(v->size());
    for (flatbuffers::uoffset_t i = 0; i < v->size(); ++i) {
      switch (element) {
        case BaseType::String:
          items.push_back(
              string(flatbuffers::GetAnyVectorElemPointer<const flatbuffers::String>(v, i)));
          break;
        case BaseType::Obj: {
          const auto* sub =
              schema_.objects()->Get(static_cast<flatbuffers::uoffset_t>(type.index()));
          if (sub->is_struct()) {
            items.push_back(
                structure(*sub, flatbuffers::GetAnyVectorElemAddressOf<const std::uint8_t>(
                                    v, i, static_cast<flatbuffers::uoffset_t>(sub->bytesize()))));
          } else {
            items.push_back(
                table(*sub, *flatbuffers::GetAnyVectorElemPointer<const flatbuffers::Table>(v, i)));
          }
          break;
        }
        default:
          if (flatbuffers::IsFloat(element))
            items.push_back(flatbuffers::GetAnyVectorElemF(v, element, i));
          else if (flatbuffers::IsScalar(element))
            items.push_back(
                integer(element, type.index(), flatbuffers::GetAnyVectorElemI(v, element, i)));
          else
            items.push_back(nullptr);  // vectors of unions: not used by Docket's schemas
          break;
      }
    }
    return items;
  }

  // Whether a field is set to something: a non-empty string or vector, a present table, a
  // non-zero scalar.
  static bool holds_value(const reflection::Field& field, const flatbuffers::Table& table) {
    const auto base = field.type()->base_type();
    if (flatbuffers::IsScalar(base))
      return flatbuffers::GetAnyFieldI(table, field) != 0;
    if (!table.CheckField(field.offset()))
      return false;
    if (base == BaseType::String) {
      const auto* s = flatbuffers::GetFieldS(table, field);
      return s != nullptr && s->size() > 0;
    }
    if (base == BaseType::Vector) {
      const auto* v = flatbuffers::GetFieldAnyV(table, field);
      return v != nullptr && v->size() > 0;
    }
    return true;
  }

  const PayloadRenderer& renderer_;
  const reflection::Schema& schema_;
  mutable bool held_credentials_ = false;
};

bool is_credential_field(std::string_view name) {
  for (std::string_view word : {"password", "secret", "token", "api_key", "digest"}) {
    if (name.find(word) != std::string_view::npos)
      return true;
  }
  return name == "key" || (name.size() > 4 && name.substr(name.size() - 4) == "_key");
}

PayloadRenderer::~PayloadRenderer() = default;

const PayloadRenderer& PayloadRenderer::domain() {
  static const std::unique_ptr<PayloadRenderer> kRenderer = [] {
    std::vector<std::pair<std::string, std::string_view>> schemas;
    for (const auto& s : detail::embedded_schemas()) {
      schemas.emplace_back(s.name,
                           std::string_view(reinterpret_cast<const char*>(s.bytes), s.size));
    }
    auto r = from_schemas(schemas);
    // The embedded schemas are produced by flatc in the same build; they always verify.
    return r ? std::move(*r) : std::unique_ptr<PayloadRenderer>(new PayloadRenderer());
  }();
  return *kRenderer;
}

engine::Result<std::unique_ptr<PayloadRenderer>> PayloadRenderer::from_schemas(
    const std::vector<std::pair<std::string, std::string_view>>& schemas) {
  std::unique_ptr<PayloadRenderer> renderer(new PayloadRenderer());
  for (const auto& [name, bytes] : schemas) {
    flatbuffers::Verifier verifier(reinterpret_cast<const std::uint8_t*>(bytes.data()),
                                   bytes.size());
    if (!reflection::VerifySchemaBuffer(verifier)) {
      return unexpected(error(engine::ErrorCode::kCorruption,
                              "Expected a binary schema in " + name + ", but it does not verify"));
    }
    const auto* schema = reflection::GetSchema(bytes.data());
    renderer->schemas_.emplace_back(name, schema);
    for (const auto* object : *schema->objects()) {
      std::vector<const reflection::Field*> fields(object->fields()->begin(),
                                                   object->fields()->end());
      std::sort(fields.begin(), fields.end(),
                [](const auto* a, const auto* b) { return a->id() < b->id(); });
      renderer->fields_.emplace(object, std::move(fields));
    }
  }
  return renderer;
}

PayloadRenderer::Located PayloadRenderer::locate(std::string_view category, std::string_view type,
                                                 std::uint32_t schema_version) const {
  const std::string versioned = std::string(type) + "V" + std::to_string(schema_version);
  auto find_in = [&](const reflection::Schema* schema, std::string_view name) -> Located {
    for (const auto* object : *schema->objects()) {
      if (short_name(object->name()->string_view()) == name && !object->is_struct())
        return {schema, object};
    }
    return {};
  };
  // The category's own file first, then the others; the versioned name before the plain one.
  std::vector<const reflection::Schema*> order;
  for (const auto& [name, schema] : schemas_) {
    if (name == category)
      order.insert(order.begin(), schema);
    else
      order.push_back(schema);
  }
  for (std::string_view name : {std::string_view(versioned), type}) {
    for (const auto* schema : order) {
      if (auto found = find_in(schema, name); found.object != nullptr)
        return found;
    }
  }
  return {};
}

std::string PayloadRenderer::table_for(std::string_view category, std::string_view type,
                                       std::uint32_t schema_version) const {
  auto found = locate(category, type, schema_version);
  return found.object == nullptr ? std::string() : found.object->name()->str();
}

std::vector<std::string> PayloadRenderer::schema_names() const {
  std::vector<std::string> out;
  for (const auto& [name, schema] : schemas_)
    out.push_back(name);
  return out;
}

engine::Result<json::value> PayloadRenderer::render(std::string_view category,
                                                    std::string_view type,
                                                    std::uint32_t schema_version,
                                                    std::string_view payload,
                                                    bool* held_credentials) const {
  if (held_credentials != nullptr)
    *held_credentials = false;
  auto found = locate(category, type, schema_version);
  if (found.object == nullptr) {
    return unexpected(error(engine::ErrorCode::kNotFound,
                            "Expected a payload table for event " + std::string(type) + " v" +
                                std::to_string(schema_version) + ", but the schemas have none"));
  }
  if (payload.empty())
    return json::value(json::object());
  // Stored payloads may sit at any address; FlatBuffers wants them aligned.
  std::vector<std::uint64_t> aligned((payload.size() + 7) / 8);
  std::memcpy(aligned.data(), payload.data(), payload.size());
  const auto* bytes = reinterpret_cast<const std::uint8_t*>(aligned.data());
  if (!flatbuffers::Verify(*found.schema, *found.object, bytes, payload.size())) {
    return unexpected(error(engine::ErrorCode::kCorruption,
                            "Expected the payload of " + std::string(type) + " to be a valid " +
                                found.object->name()->str() + ", but it does not verify"));
  }
  RenderWalker walker(*this, *found.schema);
  auto rendered = walker.table(*found.object, *flatbuffers::GetAnyRoot(bytes));
  if (held_credentials != nullptr)
    *held_credentials = walker.held_credentials();
  return rendered;
}

engine::Result<json::value> PayloadRenderer::render(const engine::RecordedEvent& event,
                                                    bool* held_credentials) const {
  return render(engine::format::category_of(event.stream), event.type, event.schema_version,
                event.payload, held_credentials);
}

}  // namespace docket::payloads
