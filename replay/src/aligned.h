// FlatBuffers reads scalars in place, so a buffer must start at an aligned address; bytes read
// from RocksDB (an envelope after its 32-byte hash, a payload inside an envelope) may not.
// Private to replay/src.
#pragma once

#include <cstdint>
#include <cstring>
#include <string_view>
#include <vector>

namespace docket::replay::detail {

// Hands out an 8-byte-aligned view of some bytes, copying only when they are misaligned. The
// view is valid until the next call. Not thread-safe; one per loop.
class AlignedBytes {
 public:
  std::string_view operator()(std::string_view bytes) {
    if (reinterpret_cast<std::uintptr_t>(bytes.data()) % alignof(std::uint64_t) == 0)
      return bytes;
    buffer_.resize((bytes.size() + 7) / 8);
    std::memcpy(buffer_.data(), bytes.data(), bytes.size());
    return {reinterpret_cast<const char*>(buffer_.data()), bytes.size()};
  }

 private:
  std::vector<std::uint64_t> buffer_;
};

}  // namespace docket::replay::detail
