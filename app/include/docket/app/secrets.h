// The production Secrets for deciders: Argon2id password hashes (libsodium), keyed digests and
// HMAC-derived SMS keys (OpenSSL). Thread-safe; holds the server secret in memory.
//
// Keyed digests are HMAC-SHA-256 under a digest key derived from the server secret,
// HMAC-SHA-256(server secret, "docket keyed digest v1"), over purpose 0x00 text: an attacker with
// the store but not the server secret cannot test guesses against them offline.
#pragma once

#include <string>
#include <string_view>

#include "docket/domain/core.h"

namespace docket::app {

struct PasswordHashing {
  // libsodium's crypto_pwhash limits; the defaults are its "interactive" ones. Tests may lower
  // them to the minimum to stay fast.
  unsigned long long ops_limit = 2;
  std::size_t mem_limit = 64u << 20;

  static PasswordHashing minimal();  // for tests only
};

class SodiumSecrets final : public domain::Secrets {
 public:
  // `server_secret`: at least 32 bytes of random key material, kept by the operator (it lets the
  // outbox re-derive SMS keys, so it must stay the same across restarts).
  explicit SodiumSecrets(std::string server_secret, PasswordHashing hashing = {});

  std::string hash_password(std::string_view password) const override;
  bool verify_password(std::string_view stored_hash, std::string_view password) const override;
  std::string sms_key(std::string_view service_stream, std::uint32_t serial) const override;
  std::string keyed_digest(std::string_view purpose, std::string_view text) const override;

  // HMAC-SHA-256 of `message` under `key`, lower-case hex (also used to check payment callbacks).
  static std::string hmac_sha256_hex(std::string_view key, std::string_view message);
  // Fills `size` bytes from libsodium's CSPRNG.
  static std::string random_bytes(std::size_t size);

 private:
  std::string server_secret_;
  std::string digest_key_;  // derived from the server secret; see the file comment
  PasswordHashing hashing_;
};

}  // namespace docket::app
