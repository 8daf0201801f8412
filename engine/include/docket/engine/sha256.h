// SHA-256 over OpenSSL's EVP interface: one-shot and incremental, plus hex helpers.
// A Sha256 object is not thread-safe; use one per thread.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "docket/engine/format.h"

namespace docket::engine {

class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  void update(std::string_view bytes);
  void update(const format::Hash& hash);
  // Returns the digest and resets the object for a new message.
  format::Hash finish();

 private:
  void* ctx_;  // EVP_MD_CTX
};

format::Hash sha256(std::string_view bytes);
// hash(n) = SHA-256(hash(n-1) || envelope bytes of n)
format::Hash chain_hash(const format::Hash& previous, std::string_view envelope);

std::string to_hex(std::string_view bytes);
std::string to_hex(const format::Hash& hash);
std::optional<format::Hash> hash_from_hex(std::string_view hex);
format::Hash hash_from_bytes(std::string_view bytes32);  // precondition: 32 bytes

}  // namespace docket::engine
