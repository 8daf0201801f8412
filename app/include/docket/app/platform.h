// app::Platform: Docket's court workflows running on the engine — the composition that the HTTP
// server (api/) and the auditors' tool (replay/) use.
//
// A Platform owns, over one EventStore:
//  - an app::Runner<A> (CommandRunner) per aggregate: court, case_number, lawyer, filing, payment,
//    case, service, staff, hotline;
//  - the engine Reactor "domain-reactions", which runs domain::react over the log and sends each
//    routed command through the ordinary command path as the system, with the reaction's
//    idempotency key (so each reaction happens once however often it is replayed). A reaction
//    reads its facts with every event up to its cause folded in (CommandRunner::load with the
//    cause's position), never an older cached state. A reaction that fails for good — any
//    rejection of the domain (not_found, invalid_state, forbidden, validation, policy, and
//    conflict, which names a duplicate that trying again cannot undo), or an engine error
//    engine::may_pass() refuses — is listed by the reactor (Reactor::failed(), retry()); an
//    engine error that may pass (a version conflict beyond the runner's retries, an overloaded
//    or failing store) is retried with backoff, holding the reactor's place;
//  - a TimerService whose handler maps a timer's stream category to its aggregate, turns the timer
//    into a command with A::command_from_timer and runs Runner<A>::fire;
//  - a BlobStore over the same store.
//
// Facts. A decider reads other streams through the context's Facts (domain/facts.h): agents'
// names, firms, identity numbers and phones from lawyer-<licence>; a court's name, code lists and
// policy from court-<code>; the judge in charge, agents and electronic-service consent from
// case-<number>; a filing's status and agents from filing-<id>; a current password hash or a
// notice's digest from the credential store. The platform loads each when the decider first asks,
// through the position the caller had seen, once per command; a load that fails fails the
// command (engine::Decision::read_error) before anything is written. Nothing the requester sends
// stands in for a fact: the commands have no field for one. The decision context gets the engine
// clock's time, the request's actor, 32 bytes of fresh entropy, the Secrets and the Facts.
//
// Errors are values: a Failure is the decider's Rejection or an engine Error (e.g.
// kWrongExpectedVersion for a stale If-Match). A rejected command writes nothing — except where
// the decision records a failed attempt and rejects all the same (Decision::rejection: a wrong
// SMS key, a wrong legacy-binding code): its events are written and the caller gets the
// rejection, as does a repeat of it.
//
// Thread-safety: execute(), the flows, load() and the verify_* functions may be called from many
// threads at once. start()/stop()/settle() must not run concurrently with each other. The store
// and the secrets must outlive the Platform.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <variant>

#include "docket/app/credential_store.h"
#include "docket/app/engine_decider.h"
#include "docket/domain/case.h"
#include "docket/domain/case_number.h"
#include "docket/domain/core.h"
#include "docket/domain/court.h"
#include "docket/domain/filing.h"
#include "docket/domain/hotline.h"
#include "docket/domain/lawyer.h"
#include "docket/domain/payment.h"
#include "docket/domain/service.h"
#include "docket/domain/staff.h"
#include "docket/engine/blob_store.h"
#include "docket/engine/clock.h"
#include "docket/engine/command_runner.h"
#include "docket/engine/event_store.h"
#include "docket/engine/reactor.h"
#include "docket/engine/timer_service.h"

namespace docket::app {

// The longest Idempotency-Key a request may carry, in bytes.
inline constexpr std::size_t kMaxIdempotencyKeyLength = 256;
// How long execute() waits for the reactions a command causes (see Accepted::causes_reactions).
inline constexpr std::chrono::milliseconds kReactionWait{5'000};

// Who asks, and how the command is to be recorded.
struct Request {
  domain::Principal actor;
  // The caller's Idempotency-Key; empty: none. A repeated key returns the first result and
  // writes nothing. Keys are scoped by the actor (role and id) before they are stored, so two
  // principals never share one. At most kMaxIdempotencyKeyLength bytes (else validation).
  std::string idempotency_key;
  // The caller's If-Match: the version the target stream must be at (else the engine's
  // kWrongExpectedVersion, with the actual version, and nothing written).
  std::optional<std::uint64_t> if_match;
  engine::Uuid correlation_id;  // nil: a random one is used
  // The caller's own bookkeeping, written in the same atomic write as the command's events when
  // they are written (engine::AppendRequest::side_writes); not with a reaction's commands.
  std::vector<engine::SideWrite> side_writes;

  // A request by the platform itself (Role::kSystem, id "system").
  static Request system(std::string idempotency_key = {});
};

// The outcome of a command that went through.
struct Accepted {
  // The last log position the command wrote. When it wrote nothing (a decision with no events),
  // the log's last position at that time — either way, waiting for it gives read-your-writes.
  std::uint64_t position = 0;
  // The first log position the command wrote (or first wrote, when deduplicated); 0: none.
  std::uint64_t first_position = 0;
  std::uint64_t stream_version = 0;  // the target stream's version afterwards
  std::string stream;                // the target stream
  bool deduplicated = false;         // a repeated idempotency key: the first result, nothing new
  std::size_t event_count = 0;       // events written by this call (0 when deduplicated)
  // The events make the platform's reactions issue commands of their own (a filing accepted: its
  // case registered and its payment notice issued). execute() then waits for those commands, at
  // most kReactionWait, and `position` is the last position they wrote, so that a read after it
  // sees them. reactions_pending: it did not wait (execute_async, or the reactor does not run)
  // or waited in vain; a read after `position` may not see them yet.
  bool causes_reactions = false;
  bool reactions_pending = false;
  // What the command created, where the platform chose or computed it:
  std::string created_id;   // serve_document: the service id (stream "service-<id>")
  std::string case_number;  // accept_filing: the case number the case is registered under
  // register_staff / rotate_api_key for a court system: the new API key, returned this once
  // (empty when deduplicated: only its keyed digest is stored, in the credential store).
  std::string api_key;
};

using Failure = std::variant<domain::Rejection, engine::Error>;

template <class T>
using Outcome = Expected<T, Failure>;

// The stable code of a failure: a rejection's code ("not_found", "forbidden", "validation",
// "invalid_state", "conflict", "policy") or an engine error's ("wrong_expected_version", "io", …,
// as engine::to_string(ErrorCode)).
std::string_view failure_code(const Failure& failure);
// The failure's message ("Expected …, but …").
const std::string& failure_message(const Failure& failure);
// A failure as a reaction's: every rejection is for good; an engine error as engine::may_pass.
engine::ReactionError reaction_failure(const Failure& failure);

// A successful login check.
struct Login {
  domain::Principal principal;        // id, role and court to act as
  bool must_change_password = false;  // the first password is still in use
};

struct PlatformOptions {
  engine::RunnerOptions runner;  // set runner.snapshot_key to seal snapshots with a secret key
  engine::ReactorOptions reactor;
  engine::BlobOptions blobs;
  std::string reactor_name = "domain-reactions";
};

class Platform {
 public:
  using Aggregates =
      std::tuple<domain::CourtAggregate, domain::CaseNumberAggregate, domain::LawyerAggregate,
                 domain::FilingAggregate, domain::PaymentAggregate, domain::CaseAggregate,
                 domain::ServiceAggregate, domain::StaffAggregate, domain::HotlineAggregate>;

  Platform(engine::EventStore& store, const domain::Secrets& secrets, PlatformOptions options = {});
  ~Platform();  // stops the reactor and timer threads
  Platform(const Platform&) = delete;
  Platform& operator=(const Platform&) = delete;

  // Runs `command` against `stream` (which must be "<A::kCategory>-<id>", else validation), its
  // facts read as its decider asks, as request.actor, honouring the idempotency key and If-Match.
  // Instantiated for every aggregate of Aggregates. Commands that need several steps go through the
  // flows below, which execute() also uses (so AcceptFiling allocates its case number either way,
  // and RegisterStaff for a court system generates the API key).
  template <class A>
  Outcome<Accepted> execute(const std::string& stream, typename A::Command command,
                            const Request& request);

  // Where execute_async continues (see CommandRunner::Post): a function that runs its argument
  // soon, once, off the store's writer thread.
  using Post = std::function<void(std::function<void()>)>;
  // The answer of execute_async: the outcome and, when the command wrote events, the target
  // stream's state right after them (valid during the call only; nullptr otherwise).
  template <class A>
  using Completion = std::function<void(Outcome<Accepted>, const typename A::State* after)>;

  // execute() without a thread waiting for the commit: the command is decided (its facts read)
  // on the calling thread, the append is queued on the store's group commit, and `done`
  // runs through `post` once the commit is durable (or at once, through `post`, on a refusal).
  // Same checks, idempotency, If-Match and retries as execute(); `done` runs exactly once.
  // A command for which may_block() is true is run by execute() on the calling thread instead
  // (it hashes a password or takes several commits): run those on a thread that may block.
  template <class A>
  void execute_async(const std::string& stream, typename A::Command command, const Request& request,
                     Post post, Completion<A> done);
  // Whether a command blocks its thread for long whatever the path: password hashing (accounts
  // registered, passwords changed) or a flow of several commits (AcceptFiling, ServeDocument,
  // RegisterStaff, RotateStaffApiKey).
  template <class A>
  static bool may_block(const typename A::Command& command);

  // The state of a stream (version 0: it does not exist) as the runner's cache holds it, which
  // may miss the newest events (see CommandRunner).
  template <class A>
  engine::Result<typename Runner<A>::Loaded> load(const std::string& stream) {
    return runner<A>().load(stream);
  }
  // The state of a stream with every event of it up to `through_position` (a committed
  // position the caller knows of, e.g. a request's "after") folded in.
  template <class A>
  engine::Result<typename Runner<A>::Loaded> load(const std::string& stream,
                                                  std::uint64_t through_position) {
    return runner<A>().load(stream, through_position);
  }

  // `inspect(loaded)` on the stream's state as load(stream) gives it, without copying it out of
  // the runner's cache (CommandRunner::inspect).
  template <class A, class F>
  auto inspect(const std::string& stream, F&& inspect) {
    return runner<A>().inspect(stream, std::forward<F>(inspect));
  }

  // The runner of aggregate A (e.g. for load_until: state as of a time or position).
  template <class A>
  Runner<A>& runner() {
    return *std::get<std::unique_ptr<Runner<A>>>(runners_);
  }

  // --- flows: one request, several steps -------------------------------------------------

  // A clerk accepts a submitted filing: checks that the clerk may accept it, allocates the
  // filing's case number in case_number-<court>-<year> (with the category's case-number code
  // from the court's code lists), then runs AcceptFiling with it. If-Match and the idempotency
  // key apply to the filing stream. Accepted::case_number is the number. The reason is the
  // clerk's for accepting although a party's identity is unverified (domain::AcceptFiling).
  Outcome<Accepted> accept_filing(const std::string& filing_id, const Request& request,
                                  std::string identity_override_reason = {});

  // The judge in charge or the court system serves a document. The service id is chosen by the
  // platform when `command.service_id` is empty (returned in Accepted::created_id).
  Outcome<Accepted> serve_document(domain::ServeDocument command, const Request& request);

  // An admin (or the system) registers a staff account; for a court system the platform
  // generates the API key "<staff id>.<secret>" (the secret: 64 hex digits from the CSPRNG) and
  // returns it once in Accepted::api_key. A non-empty `preset_api_secret` is used as the secret
  // instead (the demo pins one derived from the server secret).
  Outcome<Accepted> register_staff(domain::RegisterStaff command, const Request& request,
                                   std::string preset_api_secret = {});

  // An admin replaces a court system's API key; the new key is returned once.
  Outcome<Accepted> rotate_api_key(const std::string& staff_id, const Request& request);

  // request.actor changes their own password: ChangePassword on lawyer-<id> for a lawyer,
  // ChangeStaffPassword on staff-<id> for staff.
  Outcome<Accepted> change_password(const std::string& old_password,
                                    const std::string& new_password, const Request& request);

  // --- authentication (no rate limiting here: the API limits attempts) --------------------

  // Checks a login — a lawyer's licence number or a staff id — and password against the
  // account's hash in the credential store. forbidden (one message for every cause, so it reveals
  // nothing) when the account is unknown, inactive, has no password, or the password does not
  // match.
  Outcome<Login> verify_password(const std::string& login, const std::string& password);
  // Checks a court system's API key ("<staff id>.<secret>"); forbidden as above.
  Outcome<Login> verify_api_key(const std::string& api_key);

  // --- background work ---------------------------------------------------------------------

  // Production: the reactor follows the log and the timer service fires timers, each on its
  // own thread, until stop().
  void start();
  void stop();

  // Tests: runs the reactor to the end of the log and fires every timer due at the clock's
  // time, repeatedly until neither has anything left; returns how many events and timers were
  // handled. Not while start()ed.
  engine::Result<std::size_t> settle();

  engine::EventStore& store() const { return store_; }
  engine::BlobStore& blobs() { return blobs_; }
  const CredentialStore& credentials() const { return credentials_; }
  const domain::Secrets& secrets() const { return secrets_; }
  engine::Clock& clock() const { return store_.clock(); }
  engine::Reactor& reactor() { return *reactor_; }
  engine::TimerService& timers() { return *timers_; }

 private:
  struct Impl;

  engine::ReactionResult react(const engine::RecordedEvent& event);
  bool fire(const engine::TimerSpec& timer);
  // execute() without waiting for the reactions its command causes.
  template <class A>
  Outcome<Accepted> execute_unsettled(const std::string& stream, typename A::Command command,
                                      const Request& request);

  engine::EventStore& store_;
  const domain::Secrets& secrets_;
  PlatformOptions options_;
  engine::BlobStore blobs_;
  CredentialStore credentials_;
  std::tuple<std::unique_ptr<Runner<domain::CourtAggregate>>,
             std::unique_ptr<Runner<domain::CaseNumberAggregate>>,
             std::unique_ptr<Runner<domain::LawyerAggregate>>,
             std::unique_ptr<Runner<domain::FilingAggregate>>,
             std::unique_ptr<Runner<domain::PaymentAggregate>>,
             std::unique_ptr<Runner<domain::CaseAggregate>>,
             std::unique_ptr<Runner<domain::ServiceAggregate>>,
             std::unique_ptr<Runner<domain::StaffAggregate>>,
             std::unique_ptr<Runner<domain::HotlineAggregate>>>
      runners_;
  std::unique_ptr<Impl> impl_;
  std::unique_ptr<engine::Reactor> reactor_;
  std::unique_ptr<engine::TimerService> timers_;
};

// Calls `f.template operator()<A>()` with the aggregate whose kCategory is `category` (the
// text of a stream id before its first '-'); returns false when no aggregate has it.
template <class F>
bool with_aggregate(std::string_view category, F&& f) {
  bool found = false;
  std::apply(
      [&](auto... aggregates) {
        ((!found && decltype(aggregates)::kCategory == category
              ? (found = true, f.template operator()<decltype(aggregates)>(), 0)
              : 0),
         ...);
      },
      Platform::Aggregates{});
  return found;
}

// The category of a stream id: the text before its first '-' (the whole id when there is none).
std::string_view category_of(std::string_view stream);

}  // namespace docket::app
