// app::CredentialStore: the credentials that must never enter the log — people's Argon2id
// password hashes, court systems' API-key digests, old cases' binding digests — kept in the
// store's `credentials` family, outside the hash chain (doc/format.md, "The credential store").
//
// Key: the owning stream, 0x00, the kind's name (domain::credential_key). Value: the credential
// as text — an Argon2id hash string ("$argon2id$v=19$…") for kPassword, and a lower-hex keyed
// digest (Secrets::keyed_digest, HMAC-SHA-256 under a key derived from the server secret) for
// kApiKey and kLegacyBinding.
//
// Writes go through decisions: a decider puts a domain::CredentialWrite beside the event that
// records the change, and the engine writes both in one atomic batch, so the log and the
// credential store never disagree. This class reads them, at login, at the API-key check and to
// fill the commands that check a credential (ChangePassword, ChangeStaffPassword,
// BindLegacyCase). Replay and rebuilds never touch the family; `docket export` and `history`
// never read it.
//
// Thread-safety: every member may be called from any thread. The store must outlive it.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "docket/domain/core.h"
#include "docket/engine/event_store.h"

namespace docket::app {

class CredentialStore {
 public:
  explicit CredentialStore(engine::EventStore& store) : store_(store) {}

  // The credential of `kind` that `stream` owns; nullopt when none is set.
  engine::Result<std::optional<std::string>> get(std::string_view stream,
                                                 domain::CredentialKind kind) const;

 private:
  engine::EventStore& store_;
};

}  // namespace docket::app
