// The domain's vocabulary shared by every aggregate: principals, the decision context,
// rejections, decisions, stored events and timers.
//
// The domain is pure: no I/O, no clock reads, no threads. Time and the acting principal come
// in through Context. The domain never includes the engine; `app/` adapts these plain types to
// the engine's (field names match on purpose, so the adapter is a copy).
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "docket/common/expected.h"
#include "docket/domain/enum_names.h"
#include "docket/domain/vocabulary.h"

namespace docket::domain {

enum class Role : std::uint8_t { kLawyer, kClerk, kJudge, kCourtSystem, kAuditor, kAdmin, kSystem };
BOOST_DESCRIBE_ENUM(Role, kLawyer, kClerk, kJudge, kCourtSystem, kAuditor, kAdmin, kSystem)

// Wire names (enum_names.h): "lawyer", "clerk", "judge", "court_system", "auditor", "admin",
// "system".

// Who acts. `id` is the principal's stable id: a lawyer's licence number, a clerk's or judge's
// staff id, a court system's client id. kSystem is the engine itself (timers, reactions).
struct Principal {
  std::string id;
  Role role = Role::kSystem;
  std::string court;  // the court the principal belongs to (empty for lawyers, auditors, admins)
};

// The one rule for staff reaching a court's resource (a filing, case, payment notice, service):
// `actor` has one of `roles` and belongs to `court`, and neither court is empty. Lawyers,
// auditors, admins and the system have no court and never pass. Every decider and route that
// lets a clerk, judge or court system act on a court's resource asks this, never the role alone.
bool acts_for_court(const Principal& actor, std::string_view court,
                    std::initializer_list<Role> roles);

// Secret handling injected into deciders, so the domain holds no crypto library and no
// secret: app/ implements it with libsodium (Argon2id) and OpenSSL (SHA-256, HMAC); tests use a
// deterministic fake. Implementations are thread-safe and do no I/O.
class Secrets {
 public:
  virtual ~Secrets() = default;
  // An Argon2id hash string of `password` (salted, so two calls differ).
  virtual std::string hash_password(std::string_view password) const = 0;
  // Whether `password` matches a hash made by hash_password.
  virtual bool verify_password(std::string_view stored_hash, std::string_view password) const = 0;
  // The SMS signing key number `serial` of a service stream: six digits derived from a server
  // secret, so neither the log nor the credential store keeps anything of the key: the outbox
  // re-derives it to send and the decider to check it.
  virtual std::string sms_key(std::string_view service_stream, std::uint32_t serial) const = 0;
  // Lower-case hex HMAC-SHA-256 of `purpose` 0x00 `text` under a key derived from the server
  // secret: without that secret, a digest of a short code cannot be reversed by trying codes.
  virtual std::string keyed_digest(std::string_view purpose, std::string_view text) const = 0;
};

// The kinds of credential kept in the credential store, outside the log (doc/format.md, "The
// credential store"). The log records only that one was set or changed.
enum class CredentialKind : std::uint8_t {
  kPassword,       // a person's Argon2id password hash (lawyers and staff)
  kApiKey,         // a court system's API key: keyed_digest(kApiKeyPurpose, key)
  kLegacyBinding,  // an old case's acceptance notice: keyed_digest(kLegacyBindingPurpose, …)
};
BOOST_DESCRIBE_ENUM(CredentialKind, kPassword, kApiKey, kLegacyBinding)

// Wire names (enum_names.h): "password", "api_key", "legacy_binding".

inline constexpr std::string_view kApiKeyPurpose = "api-key";
inline constexpr std::string_view kLegacyBindingPurpose = "legacy-binding";

// The credential store's key of a credential: the owning stream, 0x00, the kind's name.
std::string credential_key(std::string_view stream, CredentialKind kind);

// A credential a decision sets: written in the same atomic batch as the decision's events, but
// outside the hash chain. An empty value erases the credential.
struct CredentialWrite {
  std::string key;  // credential_key(stream, kind)
  std::string value;

  friend bool operator==(const CredentialWrite&, const CredentialWrite&) = default;
};

class Facts;  // facts.h

// Everything a decider may know besides state and command.
struct Context {
  std::int64_t now_us = 0;  // the time of the decision, microseconds since the Unix epoch
  Principal actor;
  // Random bytes supplied by the caller for this command (at least 16), for unguessable codes
  // such as a payment notice's code. Fixed in tests, so decisions stay reproducible.
  std::string entropy;
  const Secrets* secrets = nullptr;  // never null when a decider needs it; not owned
  // Other streams' states and credentials (facts.h), read through facts_of(ctx); not owned.
  const Facts* facts = nullptr;
};

// The stable rejection codes; api/ maps them to HTTP statuses.
enum class RejectionCode : std::uint8_t {
  kNotFound,
  kInvalidState,
  kForbidden,
  kValidation,
  kConflict,
  kPolicy,
};
BOOST_DESCRIBE_ENUM(RejectionCode, kNotFound, kInvalidState, kForbidden, kValidation, kConflict,
                    kPolicy)

// One failing field: `field` is a dotted path ("parties[1].id_number"), `message` says
// "Expected …, but …".
struct Violation {
  std::string field;
  std::string message;

  friend bool operator==(const Violation&, const Violation&) = default;
};

// A business rejection: an ordinary result, never an exception.
struct Rejection {
  RejectionCode code = RejectionCode::kValidation;
  std::string message;                // "Expected …, but …"
  std::vector<Violation> violations;  // every failing field, when several fail at once
};

Rejection reject(RejectionCode code, std::string message, std::vector<Violation> violations = {});

// acts_for_court as a guard: nullopt when it holds, else a forbidden rejection "Expected <who> of
// court "<court>", but <role> "<id>" of court "<its court>" acted".
std::optional<Rejection> require_court_staff(const Principal& actor, std::string_view court,
                                             std::initializer_list<Role> roles,
                                             std::string_view who);

// An event to append: its type name, the schema version of its payload, and the payload bytes
// (a FlatBuffers table of that type).
struct EventData {
  std::string type;
  std::uint32_t schema_version = 1;
  std::string payload;
};

// An event as read back from the log, handed to evolve(). Views are valid for the call only.
struct StoredEvent {
  std::string_view stream;  // "<category>-<id>"
  std::string_view type;
  std::uint32_t schema_version = 1;
  std::string_view payload;
  std::uint64_t version = 0;   // the stream version this event has (1 for the first event)
  std::uint64_t position = 0;  // its global position in the log
  std::int64_t recorded_at_us = 0;
};

// A durable timer: at `due_at_us` the command (`command_type`, `payload`) runs against `stream`
// through the ordinary command path. `id` is deterministic (e.g. "filing-42/review-deadline") so
// the decision that cancels it can name it.
struct TimerRequest {
  std::string id;
  std::int64_t due_at_us = 0;
  std::string stream;
  std::string command_type;
  std::string payload;
};

// What a decider decides: events to append, timers to set, timer ids to cancel, credentials
// to set outside the log, and whether the command is rejected all the same.
struct Decision {
  std::vector<EventData> events;
  std::vector<TimerRequest> timers_to_set;
  std::vector<std::string> timers_to_cancel;
  std::vector<CredentialWrite> credentials;
  // An attempt that counts though it fails (a wrong SMS key, a wrong binding code): the events
  // are recorded, and the caller gets this rejection, now and on a repeat of the command.
  std::optional<Rejection> rejection;
};

using Outcome = Expected<Decision, Rejection>;

}  // namespace docket::domain
