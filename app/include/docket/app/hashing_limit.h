// The bound on concurrent password hashing. Each Argon2id computation holds its memory limit
// (64 MiB by default) for its whole run, so a burst of wrong logins could otherwise take the
// server's memory: SodiumSecrets hashes and verifies only while holding one of a fixed number of
// slots (by default the number of cores).
//
// A request thread reserves a slot with HashingSlot::reserve(wait) before it checks or sets a
// password, and gives up (503) when none frees in time; password work on a thread that holds a
// reservation uses it. Password work on a thread without one waits for a slot as long as it takes.
//
// Thread-safe.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>

namespace docket::app {

class HashingSlot {
 public:
  // A slot for the calling thread, waiting at most `wait`; nullopt when none freed in time.
  static std::optional<HashingSlot> reserve(std::chrono::milliseconds wait);

  HashingSlot(HashingSlot&& other) noexcept;
  HashingSlot& operator=(HashingSlot&&) = delete;
  HashingSlot(const HashingSlot&) = delete;
  HashingSlot& operator=(const HashingSlot&) = delete;
  ~HashingSlot();

 private:
  HashingSlot() = default;
  bool held_ = true;
};

// How long a request waits for a slot before it is answered 503.
inline constexpr std::chrono::milliseconds kHashingSlotWait{2000};

// The number of slots.
std::size_t hashing_limit();
// For tests: sets the number of slots (at least 1).
void set_hashing_limit(std::size_t slots);
// For tests: the most password computations that ran at once since the last reset.
std::size_t peak_concurrent_hashes();
void reset_peak_concurrent_hashes();

}  // namespace docket::app
