// PayloadRenderer: event payloads rendered as JSON by reflection over the domain's binary
// FlatBuffers schemas (embedded at build time), so neither the event feed nor the auditors' tool
// needs code per event.
//
// An event's payload is the table named after its type; where an older schema version of the
// event has its own table, that table is named "<type>V<version>" (domain/schema convention).
// Tables are looked up first in the schema file named after the stream's category (court,
// case_number, case, filing, lawyer, payment, service, staff), then in every other one.
//
// Rendering: fields in declaration (id) order; scalars always (absent ones at their default);
// enums by value name; absent strings, tables and vectors are left out; an empty payload is {}.
// Every payload is verified against its schema before it is read.
//
// Credentials are never rendered: a field whose name says it holds one (is_credential_field) is
// left out wherever it appears, and render() reports whether such a field held a value (a
// password hash, an API key's or SMS key's digest written by an earlier version), so a caller can
// withhold the event's raw bytes too.
//
// Thread-safety: a PayloadRenderer is immutable after construction; render() may be called from
// many threads.
#pragma once

#include <boost/json/value.hpp>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "docket/engine/types.h"

namespace reflection {
struct Schema;
struct Object;
struct Field;
}  // namespace reflection

namespace docket::payloads {

class PayloadRenderer {
 public:
  // The renderer over the schemas embedded in this build. Built once, on first use.
  static const PayloadRenderer& domain();

  // A renderer over the given binary schemas: (file name without extension, bytes). The bytes
  // must outlive the renderer. kCorruption when a schema does not verify.
  static engine::Result<std::unique_ptr<PayloadRenderer>> from_schemas(
      const std::vector<std::pair<std::string, std::string_view>>& schemas);

  ~PayloadRenderer();
  PayloadRenderer(const PayloadRenderer&) = delete;
  PayloadRenderer& operator=(const PayloadRenderer&) = delete;

  // Renders one payload. kNotFound when no table matches the type; kCorruption when the bytes
  // are not a valid buffer of that table. When `held_credentials` is given, it is set to whether
  // a credential field left out of the JSON held a value (a non-empty string or vector).
  engine::Result<boost::json::value> render(std::string_view category, std::string_view type,
                                            std::uint32_t schema_version, std::string_view payload,
                                            bool* held_credentials = nullptr) const;

  // Convenience for a recorded event (category taken from its stream).
  engine::Result<boost::json::value> render(const engine::RecordedEvent& event,
                                            bool* held_credentials = nullptr) const;

  // The fully qualified name of the table an event's payload is, or "" when none matches.
  std::string table_for(std::string_view category, std::string_view type,
                        std::uint32_t schema_version) const;

  // The schema files loaded, by name.
  std::vector<std::string> schema_names() const;

 private:
  PayloadRenderer() = default;
  struct Located {
    const reflection::Schema* schema = nullptr;
    const reflection::Object* object = nullptr;
  };
  Located locate(std::string_view category, std::string_view type,
                 std::uint32_t schema_version) const;

  std::vector<std::pair<std::string, const reflection::Schema*>> schemas_;
  // Each table's fields in id order, for rendering.
  std::map<const reflection::Object*, std::vector<const reflection::Field*>> fields_;
  friend class RenderWalker;
};

// Whether a payload field of this name holds a credential and is never rendered: a name that
// contains "password", "secret", "token", "api_key" or "digest", or that is "key" or ends in
// "_key" (an SMS key, an API key). Content addresses (blob_hash) are not credentials.
bool is_credential_field(std::string_view name);

}  // namespace docket::payloads
