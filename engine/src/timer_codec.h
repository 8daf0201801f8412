// Encoding of a timer's value in the timers family: four length-prefixed fields
// (u32be length, bytes) — id, stream, command type, payload. The due time is in the key.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "docket/engine/types.h"

namespace docket::engine {

inline std::string encode_timer(const TimerSpec& t) {
  std::string v;
  v.reserve(16 + t.id.size() + t.stream.size() + t.command_type.size() + t.payload.size());
  for (const std::string* field : {&t.id, &t.stream, &t.command_type, &t.payload}) {
    format::put_u32be(v, static_cast<std::uint32_t>(field->size()));
    v.append(*field);
  }
  return v;
}

inline std::optional<TimerSpec> decode_timer(std::int64_t due_us, std::string_view v) {
  TimerSpec t;
  t.due_at_us = due_us;
  for (std::string* field : {&t.id, &t.stream, &t.command_type, &t.payload}) {
    if (v.size() < 4)
      return std::nullopt;
    auto len = format::get_u32be(v);
    v.remove_prefix(4);
    if (v.size() < len)
      return std::nullopt;
    field->assign(v.substr(0, len));
    v.remove_prefix(len);
  }
  return t;
}

}  // namespace docket::engine
