// A deterministic Secrets for domain tests: no salt, no crypto, same answer every run.
//
// hash_password(pw) is "fake$" + pw and verify_password compares against it; sms_key derives six
// digits from an FNV-1a hash of the stream and serial; keyed_digest is a 64-character lower-hex
// string built from FNV-1a hashes of the purpose and text (a stand-in, not HMAC-SHA-256).
// Thread-safe (stateless).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "docket/domain/core.h"

namespace docket::domain::testing {

class FakeSecrets final : public Secrets {
 public:
  std::string hash_password(std::string_view password) const override {
    return "fake$" + std::string(password);
  }

  bool verify_password(std::string_view stored_hash, std::string_view password) const override {
    return stored_hash == hash_password(password);
  }

  std::string sms_key(std::string_view service_stream, std::uint32_t serial) const override {
    const std::uint64_t h = fnv1a(std::string(service_stream) + "#" + std::to_string(serial));
    std::string key = std::to_string(h % 1'000'000);
    return std::string(6 - key.size(), '0') + key;
  }

  std::string keyed_digest(std::string_view purpose, std::string_view text) const override {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    out.reserve(64);
    for (std::uint64_t round = 0; out.size() < 64; ++round) {
      std::uint64_t h = fnv1a("fake-key:" + std::string(purpose) + '\0' + std::string(text) +
                              static_cast<char>('a' + round));
      for (int i = 0; i < 16; ++i) {
        out.push_back(kHex[h & 0xF]);
        h >>= 4;
      }
    }
    return out;
  }

 private:
  static std::uint64_t fnv1a(std::string_view text) {
    std::uint64_t h = 14695981039346656037ull;
    for (unsigned char c : text) {
      h ^= c;
      h *= 1099511628211ull;
    }
    return h;
  }
};

}  // namespace docket::domain::testing
