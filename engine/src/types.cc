#include "docket/engine/types.h"

#include <cstdio>
#include <random>

namespace docket::engine {

std::string_view to_string(ErrorCode code) {
  switch (code) {
    case ErrorCode::kWrongExpectedVersion:
      return "wrong_expected_version";
    case ErrorCode::kInvalidArgument:
      return "invalid_argument";
    case ErrorCode::kNotFound:
      return "not_found";
    case ErrorCode::kIo:
      return "io";
    case ErrorCode::kCorruption:
      return "corruption";
    case ErrorCode::kTooLarge:
      return "too_large";
    case ErrorCode::kOverloaded:
      return "overloaded";
    case ErrorCode::kClosed:
      return "closed";
    case ErrorCode::kUnavailable:
      return "unavailable";
  }
  return "unknown";
}

std::string ExpectedVersion::describe() const {
  if (is_any())
    return "any version";
  if (version_ == 0)
    return "no stream";
  return "version " + std::to_string(version_);
}

Uuid Uuid::random() {
  thread_local std::mt19937_64 gen([] {
    std::random_device rd;
    std::seed_seq seq{rd(), rd(), rd(), rd(), rd(), rd(), rd(), rd()};
    return std::mt19937_64(seq);
  }());
  Uuid id{gen(), gen()};
  id.hi = (id.hi & 0xffffffffffff0fffULL) | 0x0000000000004000ULL;  // version 4
  id.lo = (id.lo & 0x3fffffffffffffffULL) | 0x8000000000000000ULL;  // RFC 4122 variant
  return id;
}

std::string Uuid::to_string() const {
  char buf[37];
  std::snprintf(buf, sizeof buf, "%08x-%04x-%04x-%04x-%012llx", static_cast<unsigned>(hi >> 32),
                static_cast<unsigned>((hi >> 16) & 0xffff), static_cast<unsigned>(hi & 0xffff),
                static_cast<unsigned>(lo >> 48),
                static_cast<unsigned long long>(lo & 0xffffffffffffULL));
  return buf;
}

std::optional<Uuid> Uuid::parse(std::string_view text) {
  if (text.size() != 36)
    return std::nullopt;
  Uuid id;
  int nibbles = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (c != '-')
        return std::nullopt;
      continue;
    }
    int v;
    if (c >= '0' && c <= '9') {
      v = c - '0';
    } else if (c >= 'a' && c <= 'f') {
      v = c - 'a' + 10;
    } else if (c >= 'A' && c <= 'F') {
      v = c - 'A' + 10;
    } else {
      return std::nullopt;
    }
    auto& half = nibbles < 16 ? id.hi : id.lo;
    half = (half << 4) | static_cast<std::uint64_t>(v);
    ++nibbles;
  }
  return id;
}

}  // namespace docket::engine
