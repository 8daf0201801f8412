#include "docket/engine/sha256.h"

#include <openssl/evp.h>

#include <cstdlib>
#include <cstring>

namespace docket::engine {
namespace {

const EVP_MD* sha256_md() {
  // Fetched once: implicit fetching on every EVP_DigestInit_ex costs a lookup per call.
  static EVP_MD* md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  return md;
}

}  // namespace

Sha256::Sha256() : ctx_(EVP_MD_CTX_new()) {
  if (ctx_ == nullptr ||
      EVP_DigestInit_ex(static_cast<EVP_MD_CTX*>(ctx_), sha256_md(), nullptr) != 1) {
    std::abort();  // OpenSSL without SHA-256: nothing sensible to continue with
  }
}

Sha256::~Sha256() {
  EVP_MD_CTX_free(static_cast<EVP_MD_CTX*>(ctx_));
}

void Sha256::update(std::string_view bytes) {
  EVP_DigestUpdate(static_cast<EVP_MD_CTX*>(ctx_), bytes.data(), bytes.size());
}

void Sha256::update(const format::Hash& hash) {
  EVP_DigestUpdate(static_cast<EVP_MD_CTX*>(ctx_), hash.data(), hash.size());
}

format::Hash Sha256::finish() {
  format::Hash out{};
  unsigned int len = 0;
  auto* ctx = static_cast<EVP_MD_CTX*>(ctx_);
  EVP_DigestFinal_ex(ctx, out.data(), &len);
  EVP_DigestInit_ex(ctx, sha256_md(), nullptr);
  return out;
}

format::Hash sha256(std::string_view bytes) {
  thread_local Sha256 hasher;
  hasher.update(bytes);
  return hasher.finish();
}

format::Hash chain_hash(const format::Hash& previous, std::string_view envelope) {
  thread_local Sha256 hasher;
  hasher.update(previous);
  hasher.update(envelope);
  return hasher.finish();
}

std::string to_hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 0xf]);
  }
  return out;
}

std::string to_hex(const format::Hash& hash) {
  return to_hex(std::string_view(reinterpret_cast<const char*>(hash.data()), hash.size()));
}

std::optional<format::Hash> hash_from_hex(std::string_view hex) {
  if (hex.size() != 64)
    return std::nullopt;
  format::Hash out{};
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9')
      return c - '0';
    if (c >= 'a' && c <= 'f')
      return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
      return c - 'A' + 10;
    return -1;
  };
  for (std::size_t i = 0; i < 32; ++i) {
    int hi = nibble(hex[2 * i]);
    int lo = nibble(hex[2 * i + 1]);
    if (hi < 0 || lo < 0)
      return std::nullopt;
    out[i] = static_cast<std::uint8_t>((hi << 4) | lo);
  }
  return out;
}

format::Hash hash_from_bytes(std::string_view bytes32) {
  format::Hash out{};
  std::memcpy(out.data(), bytes32.data(), out.size());
  return out;
}

}  // namespace docket::engine
