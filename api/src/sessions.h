// SessionStore: people's bearer tokens and the limit on failed logins.
//
// A token is 32 random bytes (64 hex characters) given to the client once; the server keeps only
// its keyed digest (Secrets::keyed_digest("session-token", token): HMAC-SHA-256 under a key
// derived from the server secret), with the principal and an expiry, in the column family
// "api.sessions" (sessions are not events: they are no part of the court's record, and the
// family is outside the hash chain). Keys: 's' || lower-hex keyed digest -> JSON session. Session
// writes are synced, so a token handed out survives a crash. Times come from the engine clock.
//
// Deactivation: revoke_principal(id) ends every session of that principal created before it
// (key 'r' || principal id -> the time, as decimal µs); sessions made by later logins work.
//
// Memory: live sessions are cached (keyed digest -> session) in a cache bounded by bytes
// (SessionOptions::cache_bytes, counted as each entry's key, principal id and court and its
// bookkeeping; the least recently used go first). A session missing from it is read from the
// family, with its principal's revocation row. Nothing else is kept in memory per session or
// per principal.
//
// Password change: end_other_sessions(principal, token) deletes every session of that principal
// except the one of `token` (the session that made the change stays).
//
// Failed logins: throttle() counts failed password checks per source address and account, per
// source address, and per session (docket/api/login_throttle.h), in memory only. Rows 'f' ||
// login of an earlier release (a count per account, which let anyone lock an account) are
// deleted at open.
//
// Thread-safety: every member is thread-safe.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "docket/api/login_throttle.h"
#include "docket/domain/core.h"
#include "docket/engine/byte_lru.h"
#include "docket/engine/event_store.h"

namespace docket::api {

struct Session {
  domain::Principal principal;
  bool must_change_password = false;
  std::int64_t created_at_us = 0;
  std::int64_t expires_at_us = 0;
};

struct SessionOptions {
  std::int64_t ttl_us = 12LL * 3600 * 1'000'000;  // a token's lifetime
  LoginThrottleOptions throttle;                  // the limits on failed password checks
  std::size_t cache_bytes = 16u << 20;            // the session cache's bound (see above)
  const domain::Secrets* secrets = nullptr;       // keys the tokens' digests; required, not owned
};

inline constexpr std::string_view kSessionTokenPurpose = "session-token";

class SessionStore {
 public:
  static constexpr std::string_view kFamily = "api.sessions";

  // Fails with kIo when the family cannot be opened.
  static engine::Result<std::unique_ptr<SessionStore>> open(engine::EventStore& store,
                                                            SessionOptions options = {});

  // A new token for `session` (its created/expires times are set here).
  engine::Result<std::string> create(Session session);
  // The live session of a token; nullopt when unknown, revoked or expired.
  std::optional<Session> find(std::string_view token);
  // Ends a token's session. Unknown tokens are fine.
  engine::Result<void> revoke(std::string_view token);
  // Ends every existing session of a principal (an account was deactivated).
  engine::Result<void> revoke_principal(std::string_view principal_id);
  // Ends every session of `principal` but the one of `keep_token` (a password was changed).
  engine::Result<void> end_other_sessions(const domain::Principal& principal,
                                          std::string_view keep_token);
  // Records that the session's principal changed the first password.
  engine::Result<void> clear_must_change_password(std::string_view token);

  // The counters of failed password checks (logins and wrong old passwords).
  LoginThrottle& throttle() { return throttle_; }

  const SessionOptions& options() const { return options_; }
  // What the session cache holds now: its entries and their bytes (for tests and metrics).
  std::size_t cached_entries() const;
  std::size_t cached_bytes() const;

 private:
  SessionStore(engine::EventStore& store, rocksdb::ColumnFamilyHandle* family,
               SessionOptions options)
      : store_(store),
        family_(family),
        options_(options),
        throttle_(store.clock(), options.throttle),
        cache_(options.cache_bytes, weigh) {}

  static std::size_t weigh(const Session& s) {
    return s.principal.id.size() + s.principal.court.size();
  }

  std::string session_key(std::string_view token) const;
  engine::Result<void> put(const std::string& key, const Session& session);
  // When the principal's sessions were last ended (INT64_MIN: never); nullopt on a read error.
  std::optional<std::int64_t> revoked_at(const std::string& principal_id);

  engine::EventStore& store_;
  rocksdb::ColumnFamilyHandle* family_;
  SessionOptions options_;
  LoginThrottle throttle_;
  mutable std::mutex mu_;  // guards cache_
  // Sessions found live (not expired when cached, not revoked): key -> session.
  engine::ByteLru<Session> cache_;
  std::uint64_t generation_ = 0;  // bumped when sessions are ended; guards find's cache fill
};

}  // namespace docket::api
