// LoginThrottle: the limit on failed password checks, counted per source address, never per
// account alone, so that no one can lock another person out.
//
// A failed password check (a failed login, a wrong old password on a password change) is counted
// twice: for the pair (source, account) and for the source. Inside a window of `window_us`:
//  - a source with `max_per_account` failures for one account is refused for that account;
//  - a source with `max_per_source` failures in all is refused for every account;
//  - a holder (a session) with `max_per_holder` failures is refused: a stolen session cannot
//    guess its account's password faster from many addresses than a login could from one.
// A refusal lasts until the oldest of the failures that caused it leaves the window. A success
// forgets the pair's (and the holder's) failures only: a source cannot clear its own tally by
// logging in to an account of its own. There is no counter of an account alone: the owner
// logging in from another address is never refused because of someone else's guesses.
//
// An attempt is counted as a failure when it begins (attempt()), before the password is checked,
// so that many concurrent attempts cannot all pass the check before any of them is counted; a
// success then takes its own count back from the source's tally (succeeded()), and an attempt
// that never checked the password (no free hashing slot, a store error) is forgiven (forgive()).
//
// The source is the connection's peer address, normalised: an IPv4 address as such (an
// IPv4-mapped IPv6 address as the IPv4 address), an IPv6 address by its /64 prefix (one host is
// usually given a whole /64), anything else as written. Forwarding headers (X-Forwarded-For) are
// never read: behind a proxy every client has the proxy's address.
//
// Memory is bounded: the counters are kept in memory only (a restart forgets them), each holds at
// most its limit of times, and together they hold at most `max_bytes` (counted as
// kEntryOverheadBytes + key length + 8 bytes per time); past it the counters that failed least
// recently are dropped first. A source refused for every account adds no counter, so one source
// holds at most max_per_source + 1 of them.
//
// Thread-safety: every member is thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <list>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "docket/common/expected.h"
#include "docket/engine/clock.h"

namespace docket::api {

struct LoginThrottleOptions {
  std::uint32_t max_per_account = 5;  // failures of one source for one account
  std::uint32_t max_per_source = 20;  // failures of one source for any accounts
  std::uint32_t max_per_holder = 5;   // failures of one holder (a session)
  std::int64_t window_us = 15LL * 60 * 1'000'000;
  std::size_t max_bytes = 16u << 20;
};

class LoginThrottle {
 public:
  static constexpr std::size_t kEntryOverheadBytes = 160;

  // What is refused, and for how long.
  struct Refusal {
    enum class Scope { kAccount, kSource, kHolder };
    Scope scope = Scope::kAccount;
    std::uint32_t limit = 0;  // the failures that caused it
    std::int64_t wait_s = 0;  // seconds until a try is allowed again (at least 1)
  };

  LoginThrottle(const engine::Clock& clock, LoginThrottleOptions options)
      : clock_(clock), options_(options) {}

  // The normalised source of a peer address (see above); "" stays "".
  static std::string source_of(std::string_view address);

  // Begins a password check of `account` from `source` (by `holder`, a session, when not
  // empty): the refusal with the longest wait when one of their counters is at its limit (nothing
  // is counted then), else the attempt is counted as a failure and its time returned.
  Expected<std::int64_t, Refusal> attempt(std::string_view source, std::string_view account,
                                          std::string_view holder = {});
  // The attempt begun at `at_us` found the password: the failures of `account` from `source`
  // (and of `holder`) are forgotten, and the attempt leaves the source's tally.
  void succeeded(std::string_view source, std::string_view account, std::string_view holder,
                 std::int64_t at_us);
  // The attempt begun at `at_us` never checked the password: it leaves every tally.
  void forgive(std::string_view source, std::string_view account, std::string_view holder,
               std::int64_t at_us);

  const LoginThrottleOptions& options() const { return options_; }
  // Counters held now, and their bytes as counted against max_bytes.
  std::size_t entries() const;
  std::size_t bytes() const;

 private:
  struct Entry {
    std::string key;
    std::vector<std::int64_t> times;  // inside the window, oldest first
    std::size_t bytes() const {
      return kEntryOverheadBytes + key.size() + times.size() * sizeof(std::int64_t);
    }
  };
  using Order = std::list<Entry>;  // most recently failed first

  // The refusal of one counter, if it is at its limit (drops times that left the window).
  std::optional<Refusal> check(const std::string& key, std::uint32_t limit, Refusal::Scope scope,
                               std::int64_t now);
  void add(const std::string& key, std::uint32_t limit, std::int64_t now);
  void erase(const std::string& key);
  // Removes one time `at` from a counter (the counter goes when it holds none).
  void take_back(const std::string& key, std::int64_t at);
  void prune(Entry& entry, std::int64_t now);

  const engine::Clock& clock_;
  LoginThrottleOptions options_;
  mutable std::mutex mu_;
  Order order_;
  std::unordered_map<std::string_view, Order::iterator> index_;  // views into order_'s keys
  std::size_t bytes_ = 0;
};

}  // namespace docket::api
