// The domain's binary FlatBuffers schemas (.bfbs), embedded at build time by
// payloads/embed_schemas.cmake. Private to payloads/src.
#pragma once

#include <cstddef>
#include <span>

namespace docket::payloads::detail {

struct EmbeddedSchema {
  const char* name;  // the schema file's name without extension, e.g. "case"
  const unsigned char* bytes;
  std::size_t size;
};

// Every schema of domain/schema/, in no particular order. The bytes live for the program.
std::span<const EmbeddedSchema> embedded_schemas();

}  // namespace docket::payloads::detail
