#include "docket/app/secrets.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <sodium.h>

#include <algorithm>
#include <array>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <optional>
#include <thread>

#include "docket/app/hashing_limit.h"
#include "docket/engine/sha256.h"

namespace docket::app {
namespace {

void ensure_sodium() {
  static const bool ready = sodium_init() >= 0;
  if (!ready)
    std::abort();  // no usable CSPRNG: refuse to run rather than issue weak secrets
}

struct HashingLimit {
  std::mutex mu;
  std::condition_variable freed;
  std::size_t limit = std::max<std::size_t>(1, std::thread::hardware_concurrency());
  std::size_t in_use = 0;   // slots held
  std::size_t running = 0;  // computations running
  std::size_t peak = 0;
};

HashingLimit& hashing() {
  static HashingLimit limit;
  return limit;
}

thread_local std::size_t reserved_here = 0;  // slots the calling thread holds by reservation

bool take_slot(std::optional<std::chrono::milliseconds> wait) {
  auto& h = hashing();
  std::unique_lock lock(h.mu);
  auto free = [&] { return h.in_use < h.limit; };
  if (wait) {
    if (!h.freed.wait_for(lock, *wait, free))
      return false;
  } else {
    h.freed.wait(lock, free);
  }
  ++h.in_use;
  return true;
}

void give_slot() {
  auto& h = hashing();
  {
    std::lock_guard lock(h.mu);
    --h.in_use;
  }
  h.freed.notify_one();
}

// One password computation: on the calling thread's reserved slot, or on one it waits for.
class Computation {
 public:
  Computation() : own_slot_(reserved_here == 0) {
    if (own_slot_)
      (void)take_slot(std::nullopt);
    auto& h = hashing();
    std::lock_guard lock(h.mu);
    h.peak = std::max(h.peak, ++h.running);
  }
  ~Computation() {
    {
      auto& h = hashing();
      std::lock_guard lock(h.mu);
      --h.running;
    }
    if (own_slot_)
      give_slot();
  }
  Computation(const Computation&) = delete;
  Computation& operator=(const Computation&) = delete;

 private:
  bool own_slot_;
};

}  // namespace

std::optional<HashingSlot> HashingSlot::reserve(std::chrono::milliseconds wait) {
  if (!take_slot(wait))
    return std::nullopt;
  ++reserved_here;
  return HashingSlot();
}

HashingSlot::HashingSlot(HashingSlot&& other) noexcept : held_(other.held_) {
  other.held_ = false;
}

HashingSlot::~HashingSlot() {
  if (!held_)
    return;
  --reserved_here;
  give_slot();
}

std::size_t hashing_limit() {
  std::lock_guard lock(hashing().mu);
  return hashing().limit;
}

void set_hashing_limit(std::size_t slots) {
  {
    std::lock_guard lock(hashing().mu);
    hashing().limit = std::max<std::size_t>(1, slots);
  }
  hashing().freed.notify_all();
}

std::size_t peak_concurrent_hashes() {
  std::lock_guard lock(hashing().mu);
  return hashing().peak;
}

void reset_peak_concurrent_hashes() {
  std::lock_guard lock(hashing().mu);
  hashing().peak = hashing().running;
}

PasswordHashing PasswordHashing::minimal() {
  return PasswordHashing{crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN};
}

SodiumSecrets::SodiumSecrets(std::string server_secret, PasswordHashing hashing)
    : server_secret_(std::move(server_secret)), hashing_(hashing) {
  ensure_sodium();
  std::array<unsigned char, EVP_MAX_MD_SIZE> mac{};
  unsigned int len = 0;
  static constexpr std::string_view kLabel = "docket keyed digest v1";
  HMAC(EVP_sha256(), server_secret_.data(), static_cast<int>(server_secret_.size()),
       reinterpret_cast<const unsigned char*>(kLabel.data()), kLabel.size(), mac.data(), &len);
  digest_key_.assign(reinterpret_cast<const char*>(mac.data()), len);
}

std::string SodiumSecrets::hash_password(std::string_view password) const {
  Computation bounded;
  std::array<char, crypto_pwhash_STRBYTES> out{};
  if (crypto_pwhash_str(out.data(), password.data(), password.size(), hashing_.ops_limit,
                        hashing_.mem_limit) != 0) {
    std::abort();  // out of memory for the configured limit
  }
  return std::string(out.data());
}

bool SodiumSecrets::verify_password(std::string_view stored_hash, std::string_view password) const {
  std::string hash(stored_hash);  // libsodium wants a NUL-terminated string
  Computation bounded;
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

std::string SodiumSecrets::sms_key(std::string_view service_stream, std::uint32_t serial) const {
  std::string message(service_stream);
  message.push_back('\0');
  message.append(std::to_string(serial));
  std::array<unsigned char, EVP_MAX_MD_SIZE> mac{};
  unsigned int len = 0;
  HMAC(EVP_sha256(), server_secret_.data(), static_cast<int>(server_secret_.size()),
       reinterpret_cast<const unsigned char*>(message.data()), message.size(), mac.data(), &len);
  std::uint64_t value = 0;
  for (int i = 0; i < 8; ++i)
    value = (value << 8) | mac[static_cast<std::size_t>(i)];
  char digits[8];
  std::snprintf(digits, sizeof digits, "%06llu",
                static_cast<unsigned long long>(value % 1'000'000));
  return digits;
}

std::string SodiumSecrets::keyed_digest(std::string_view purpose, std::string_view text) const {
  std::string message(purpose);
  message.push_back('\0');
  message.append(text);
  return hmac_sha256_hex(digest_key_, message);
}

std::string SodiumSecrets::hmac_sha256_hex(std::string_view key, std::string_view message) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> mac{};
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(message.data()), message.size(), mac.data(), &len);
  return engine::to_hex(std::string_view(reinterpret_cast<const char*>(mac.data()), len));
}

std::string SodiumSecrets::random_bytes(std::size_t size) {
  ensure_sodium();
  std::string out(size, '\0');
  randombytes_buf(out.data(), out.size());
  return out;
}

}  // namespace docket::app
