#include "docket/app/platform.h"

#include <openssl/crypto.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <map>
#include <mutex>
#include <type_traits>
#include <utility>

#include "docket/app/secrets.h"
#include "docket/domain/reactions.h"
#include "docket/engine/sha256.h"

namespace docket::app {
namespace {

using domain::Principal;
using domain::Rejection;
using domain::RejectionCode;
using domain::Role;

template <class... Fs>
struct Overloaded : Fs... {
  using Fs::operator()...;
};
template <class... Fs>
Overloaded(Fs...) -> Overloaded<Fs...>;

constexpr std::size_t kEntropyBytes = 32;
constexpr std::size_t kApiSecretBytes = 32;
constexpr std::size_t kMaxSettleRounds = 10'000;

std::string quoted(std::string_view text) {
  return "\"" + std::string(text) + "\"";
}

Failure rejection(RejectionCode code, std::string message, std::string field = {}) {
  std::vector<domain::Violation> violations;
  if (!field.empty())
    violations.push_back({std::move(field), message});
  return Failure(domain::reject(code, std::move(message), std::move(violations)));
}

std::string scoped_key(const Request& request) {
  if (request.idempotency_key.empty())
    return {};
  return "req/" + std::string(domain::enum_name(request.actor.role)) + "/" + request.actor.id +
         "/" + request.idempotency_key;
}

bool equal_in_constant_time(std::string_view a, std::string_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

Failure bad_login() {
  return rejection(RejectionCode::kForbidden,
                   "Expected a known, active account and its password, but the login or the "
                   "password does not match");
}

Failure bad_api_key() {
  return rejection(RejectionCode::kForbidden,
                   "Expected the API key of an active court system, but the key does not match");
}

// A command that creates a stream must name the stream it runs on: the id it carries has to be
// the stream's (else validation, nothing written).
Failure identity_failure(const std::string& stream, std::string_view field,
                         std::string_view expected) {
  return rejection(RejectionCode::kValidation,
                   "Expected stream " + quoted(stream) + " to be " + quoted(expected) +
                       " for this " + std::string(field) + ", but it is not",
                   std::string(field));
}

// The id part of "<category>-<id>" (domain::id_in_stream), owned.
std::optional<std::string> id_in(std::string_view stream, std::string_view category) {
  if (auto id = domain::id_in_stream(stream, category))
    return std::string(*id);
  return std::nullopt;
}

template <class Command>
std::optional<Failure> identity_mismatch(const std::string& stream, const std::string& id,
                                         const Command& command) {
  return std::visit(
      Overloaded{
          [&](const domain::RegisterCourt& c) -> std::optional<Failure> {
            if (c.code != id)
              return identity_failure(stream, "code", domain::court_stream(c.code));
            return std::nullopt;
          },
          [&](const domain::RegisterFromRoster& c) -> std::optional<Failure> {
            if (c.licence_number != id)
              return identity_failure(stream, "licence_number",
                                      domain::lawyer_stream(c.licence_number));
            return std::nullopt;
          },
          [&](const domain::RegisterCase& c) -> std::optional<Failure> {
            if (domain::case_stream(c.case_number) != stream)
              return identity_failure(stream, "case_number", domain::case_stream(c.case_number));
            return std::nullopt;
          },
          [&](const domain::AllocateCaseNumber& c) -> std::optional<Failure> {
            if (domain::case_number_stream(c.court, c.year) != stream)
              return identity_failure(stream, "court", domain::case_number_stream(c.court, c.year));
            return std::nullopt;
          },
          [&](const domain::RegisterStaff& c) -> std::optional<Failure> {
            if (c.staff_id != id)
              return identity_failure(stream, "staff_id", domain::staff_stream(c.staff_id));
            return std::nullopt;
          },
          [&](const domain::FileHotlineRequest& c) -> std::optional<Failure> {
            if (c.hotline_request_id != id)
              return identity_failure(stream, "hotline_request_id",
                                      domain::hotline_stream(c.hotline_request_id));
            return std::nullopt;
          },
          [&](const domain::IssuePaymentNotice& c) -> std::optional<Failure> {
            if (c.filing_id != id)
              return identity_failure(stream, "filing_id", domain::payment_stream(c.filing_id));
            return std::nullopt;
          },
          [](const auto&) -> std::optional<Failure> { return std::nullopt; },
      },
      command);
}

}  // namespace

// How one command is recorded inside the platform.
struct Recording {
  Principal actor;
  std::string stored_key;  // the idempotency key as stored (already scoped), or empty
  std::optional<std::uint64_t> if_match;
  engine::Uuid correlation_id;
  engine::Uuid causation_id;
  // The command acts on an event at this position (a reaction's cause) or on what the store
  // held at it (a timer): facts are read with at least every event up to it. 0: the runners'
  // cached states will do.
  std::uint64_t through_position = 0;
  std::vector<engine::SideWrite> side_writes;  // the caller's, written with the events
};

struct Platform::Impl {
  // The facts of one command (domain/facts.h): each state or credential is loaded when a decider
  // first asks for it, through the position the caller had seen, and kept for the command's
  // retries. A load that fails is kept as the command's read error (FallibleFacts) and reads as
  // absent meanwhile.
  class CommandFacts final : public FallibleFacts {
   public:
    CommandFacts(Impl& impl, std::uint64_t through) : impl_(impl), through_(through) {}

    const domain::CourtState& court(std::string_view code) const override;
    const domain::LawyerState& lawyer(std::string_view licence) const override;
    const domain::FilingState& filing(std::string_view filing_id) const override;
    const domain::CaseState& case_state(std::string_view case_number) const override;
    std::string credential(std::string_view stream, domain::CredentialKind kind) const override;
    const domain::StaffState& staff(std::string_view staff_id) const override;
    const domain::HotlineRequestState& hotline_request(
        std::string_view hotline_request_id) const override;

   private:
    // The state of `key` in `cache`, loaded by `load` the first time.
    template <class S, class Load>
    const S& remembered(std::map<std::string, S, std::less<>>& cache, std::string_view key,
                        Load load) const {
      if (auto it = cache.find(key); it != cache.end())
        return it->second;
      S state;
      if (auto loaded = load(); loaded)
        state = std::move(*loaded);
      else
        failed(std::move(loaded).error());
      return cache.emplace(std::string(key), std::move(state)).first->second;
    }

    Impl& impl_;
    const std::uint64_t through_;
    mutable std::map<std::string, domain::CourtState, std::less<>> courts_;
    mutable std::map<std::string, domain::LawyerState, std::less<>> lawyers_;
    mutable std::map<std::string, domain::FilingState, std::less<>> filings_;
    mutable std::map<std::string, domain::CaseState, std::less<>> cases_;
    mutable std::map<std::string, std::string, std::less<>> credentials_;
    mutable std::map<std::string, domain::StaffState, std::less<>> staff_;
    mutable std::map<std::string, domain::HotlineRequestState, std::less<>> hotline_requests_;
  };

  explicit Impl(Platform& platform) : p(platform) {}

  Platform& p;
  // A hash of a random password, made once at start: a login with no account (or none with a
  // password) is checked against it, so refusing it costs what refusing a known one does.
  std::string dummy_hash;

  template <class A>
  engine::Result<typename Runner<A>::Loaded> load(const std::string& stream,
                                                  std::uint64_t through = 0) {
    return through == 0 ? p.runner<A>().load(stream) : p.runner<A>().load(stream, through);
  }

  // The context of a command by `actor`, whose facts are read through `through` (0: whatever
  // the runners hold now).
  CommandContext context(const Principal& actor, std::uint64_t through = 0) {
    CommandContext ctx;
    ctx.now_us = p.clock().now_us();
    ctx.actor = actor;
    ctx.entropy = SodiumSecrets::random_bytes(kEntropyBytes);
    ctx.secrets = &p.secrets_;
    ctx.give(std::make_shared<CommandFacts>(*this, through));
    return ctx;
  }

  static Recording recording(const Request& request) {
    Recording r;
    r.actor = request.actor;
    r.stored_key = scoped_key(request);
    r.side_writes = request.side_writes;
    r.if_match = request.if_match;
    r.correlation_id =
        request.correlation_id.is_nil() ? engine::Uuid::random() : request.correlation_id;
    return r;
  }

  // How a command decided in `ctx` is recorded: its events stamped with the context's time.
  static engine::CommandOptions command_options(const Recording& recording,
                                                const CommandContext& ctx) {
    engine::CommandOptions options;
    options.decided_at_us = ctx.now_us;
    options.actor = to_actor(recording.actor);
    options.correlation_id = recording.correlation_id;
    options.causation_id = recording.causation_id;
    options.idempotency_key = recording.stored_key;
    options.expected_version = recording.if_match;
    options.side_writes = recording.side_writes;
    return options;
  }

  // Decides and appends; turns the runner's result into Accepted.
  template <class A>
  Outcome<Accepted> run(const std::string& stream, const typename A::Command& command,
                        const Recording& recording) {
    auto ctx = context(recording.actor, recording.through_position);
    auto options = command_options(recording, ctx);
    auto result = p.runner<A>().handle(stream, command, ctx, options);
    if (!result)
      return unexpected(std::move(result).error());
    return accepted(stream, *result);
  }

  Outcome<Accepted> accepted(const std::string& stream, const engine::CommandResult& result) {
    if (!result.append.rejection.empty()) {
      // Recorded and rejected all the same (a failed attempt that counts), now and on a repeat.
      auto rejected = decode_rejection(result.append.rejection);
      if (!rejected) {
        return unexpected(Failure(engine::Error{
            engine::ErrorCode::kCorruption,
            "Expected the rejection recorded with the command to decode, but it does not",
            {},
            result.append.first_position}));
      }
      return unexpected(Failure(std::move(*rejected)));
    }
    Accepted out;
    out.stream = stream;
    out.stream_version = result.stream_version;
    out.deduplicated = result.deduplicated;
    out.event_count = result.event_count;
    out.causes_reactions = result.causes_reactions;
    out.position = result.append.last_position;
    out.first_position = result.append.first_position;
    if (result.deduplicated && result.append.first_position > 0) {
      // The first request may have named another stream (e.g. a service id chosen then).
      auto first = p.store_.read_event(result.append.first_position);
      if (!first)
        return unexpected(Failure(first.error()));
      out.stream = first->stream;
    }
    if (out.position == 0)
      out.position = p.store_.last_position();
    return out;
  }

  // --- facts -------------------------------------------------------------------------------

  engine::Result<domain::CourtState> court(std::string_view code, std::uint64_t through) {
    if (code.empty())
      return domain::CourtState{};
    auto loaded = load<domain::CourtAggregate>(domain::court_stream(code), through);
    if (!loaded)
      return unexpected(loaded.error());
    return std::move(loaded->state);
  }

  engine::Result<domain::LawyerState> lawyer(std::string_view licence, std::uint64_t through) {
    if (licence.empty())
      return domain::LawyerState{};
    auto loaded = load<domain::LawyerAggregate>(domain::lawyer_stream(licence), through);
    if (!loaded)
      return unexpected(loaded.error());
    return std::move(loaded->state);
  }

  engine::Result<domain::FilingState> filing(const std::string& stream, std::uint64_t through) {
    auto loaded = load<domain::FilingAggregate>(stream, through);
    if (!loaded)
      return unexpected(loaded.error());
    return std::move(loaded->state);
  }

  using Fill = std::optional<Failure>;

  static Fill error(engine::Error e) { return Failure(std::move(e)); }

  // Commands without facts.
  template <class C>
  Fill fill(const std::string&, C&, const Recording&) {
    return std::nullopt;
  }

  // The current credential of `kind` owned by `stream` (empty when none), for a command that
  // checks it: whatever the requester put there is overwritten.
  engine::Result<std::string> credential(std::string_view stream, domain::CredentialKind kind) {
    auto stored = p.credentials_.get(std::string(stream), kind);
    if (!stored)
      return unexpected(stored.error());
    return *stored ? std::move(**stored) : std::string();
  }

  // A service's id is its stream's.
  Fill fill(const std::string& stream, domain::ServeDocument& c, const Recording&) {
    if (auto id = domain::id_in_stream(stream, domain::category::kService))
      c.service_id = std::string(*id);
    return std::nullopt;
  }

  // The review deadline: the court policy decides whether an undecided filing is registered
  // automatically; if so the case number is allocated first (as the system).
  Fill fill(const std::string& stream, domain::ReviewDeadlineReached& c, const Recording& r) {
    c.auto_register = false;
    c.case_number.clear();
    if (r.actor.role != Role::kSystem)
      return std::nullopt;  // the decider refuses anyone else; allocate nothing for them
    auto loaded = load<domain::FilingAggregate>(stream, r.through_position);
    if (!loaded)
      return error(loaded.error());
    const domain::FilingState& f = loaded->state;
    // Would the deadline still decide anything? (A stale timer decides nothing.)
    auto dry = domain::FilingAggregate::decide(f, domain::FilingCommand{c},
                                               context(r.actor, r.through_position));
    if (!dry || dry->events.empty())
      return std::nullopt;
    auto state = court(f.court, r.through_position);
    if (!state)
      return error(state.error());
    if (!state->exists || !state->policy.auto_register_when_review_overdue)
      return std::nullopt;
    auto number = allocate(f, r.actor, r.through_position);
    if (!number) {
      if (std::holds_alternative<engine::Error>(number.error()))
        return number.error();
      spdlog::warn("review deadline of {}: not registered automatically: {}", stream,
                   failure_message(number.error()));
      return std::nullopt;  // recorded as overdue only
    }
    c.auto_register = true;
    c.case_number = *number;
    return std::nullopt;
  }

  // Allocates (or finds) the case number of filing `f` in its court's sequence for this year
  // (the decider refuses a category the court does not list). `through`: the position the
  // caller had seen, for the court's code lists.
  Outcome<std::string> allocate(const domain::FilingState& f, const Principal& actor,
                                std::uint64_t through) {
    const std::int32_t year = domain::china_standard_year(p.clock().now_us());
    const std::string stream = domain::case_number_stream(f.court, year);
    domain::AllocateCaseNumber allocate{f.filing_id, f.court, year, f.category};
    Recording r;
    r.actor = actor;
    r.correlation_id = engine::Uuid::random();
    r.through_position = through;
    auto done = run<domain::CaseNumberAggregate>(stream, domain::CaseNumberCommand{allocate}, r);
    if (!done)
      return unexpected(std::move(done).error());
    auto sequence = load<domain::CaseNumberAggregate>(stream);
    if (!sequence)
      return unexpected(Failure(sequence.error()));
    const std::string number(domain::case_number_of(sequence->state, f.filing_id));
    if (number.empty()) {
      return unexpected(Failure(engine::Error{engine::ErrorCode::kIo,
                                              "Expected the allocated case number of filing " +
                                                  f.filing_id + ", but the sequence has none",
                                              std::nullopt, std::nullopt}));
    }
    return number;
  }

  template <class A>
  Fill fill_command(const std::string& stream, typename A::Command& command,
                    const Recording& recording) {
    return std::visit([&](auto& c) { return fill(stream, c, recording); }, command);
  }

  // --- flows ---------------------------------------------------------------------------------

  // A keyed command refused before it reached the runner (a rejection, a stale If-Match) is checked
  // against its key: when a copy of it committed first (the state that copy left may refuse it),
  // the answer is the copy's result, as for any repeat.
  Outcome<Accepted> or_first(Outcome<Accepted> done, const std::string& stream,
                             const Recording& recording) {
    if (done || recording.stored_key.empty())
      return done;
    auto first = p.store_.find_idempotent(recording.stored_key);
    if (!first)
      return unexpected(Failure(first.error()));
    if (!*first)
      return done;
    return accepted(stream, engine::CommandResult{**first, (*first)->stream_version, 0, true});
  }

  // Runs a command whose facts are not filled yet.
  template <class A>
  Outcome<Accepted> fill_and_run(const std::string& stream, typename A::Command command,
                                 const Recording& recording) {
    if (auto failure = fill_command<A>(stream, command, recording))
      return or_first(unexpected(std::move(*failure)), stream, recording);
    return run<A>(stream, command, recording);
  }

  // fill_and_run without waiting for the commit: `done` runs through `post`, exactly once.
  template <class A>
  void fill_and_run_async(const std::string& stream, typename A::Command command,
                          const Recording& recording, Post post, Completion<A> done) {
    if (auto failure = fill_command<A>(stream, command, recording)) {
      post([done = std::move(done),
            outcome = or_first(unexpected(std::move(*failure)), stream, recording)]() mutable {
        done(std::move(outcome), nullptr);
      });
      return;
    }
    auto context = this->context(recording.actor, recording.through_position);
    auto options = command_options(recording, context);
    p.runner<A>().handle_async(
        stream, std::move(command), std::move(context), std::move(options), std::move(post),
        [this, stream, done = std::move(done)](Expected<engine::CommandResult, Failure> result,
                                               const typename A::State* after) mutable {
          if (!result)
            return done(unexpected(std::move(result).error()), nullptr);
          auto outcome = accepted(stream, *result);
          // The commit is answered on the caller's thread, which must not wait for reactions.
          if (outcome && outcome->causes_reactions && outcome->event_count > 0)
            outcome->reactions_pending = true;
          done(std::move(outcome), outcome ? after : nullptr);
        });
  }

  Outcome<Accepted> accept_filing(const std::string& filing_id,
                                  const std::string& identity_override_reason,
                                  const Request& request) {
    const std::string stream = domain::filing_stream(filing_id);
    const Recording r = recording(request);
    if (!r.stored_key.empty()) {
      auto first = p.store_.find_idempotent(r.stored_key);
      if (!first)
        return unexpected(Failure(first.error()));
      if (*first)  // a repeat: the runner answers with the first result
        return with_case_number(run<domain::FilingAggregate>(stream, domain::AcceptFiling{}, r),
                                stream);
    }
    // The clerk acts on the filing as they last saw it, perhaps through the feed before this
    // process's cache: read it through the store's last position.
    const auto through = p.store_.last_position();
    auto loaded = load<domain::FilingAggregate>(stream, through);
    if (!loaded)
      return unexpected(Failure(loaded.error()));
    if (request.if_match && *request.if_match != loaded->version) {
      return with_case_number(
          or_first(unexpected(Failure(engine::Error{
                       engine::ErrorCode::kWrongExpectedVersion,
                       "Expected " + stream + " at version " + std::to_string(*request.if_match) +
                           ", but it is at version " + std::to_string(loaded->version),
                       loaded->version, std::nullopt})),
                   stream, r),
          stream);
    }
    // Would the clerk be allowed to accept it now? Decide on a placeholder number first, so a
    // refused acceptance allocates nothing.
    auto dry = domain::FilingAggregate::decide(
        loaded->state,
        domain::FilingCommand{domain::AcceptFiling{"(pending)", identity_override_reason}},
        context(request.actor, through));
    if (!dry) {
      return with_case_number(or_first(unexpected(Failure(std::move(dry).error())), stream, r),
                              stream);
    }
    auto number = allocate(loaded->state, request.actor, through);
    if (!number)
      return with_case_number(or_first(unexpected(std::move(number).error()), stream, r), stream);
    return with_case_number(run<domain::FilingAggregate>(
                                stream, domain::AcceptFiling{*number, identity_override_reason}, r),
                            stream);
  }

  Outcome<Accepted> with_case_number(Outcome<Accepted> done, const std::string& stream) {
    if (!done)
      return done;
    auto f = filing(stream, 0);  // its own append: the cache has it
    if (!f)
      return unexpected(Failure(f.error()));
    done->case_number = f->case_number;
    return done;
  }

  Outcome<Accepted> serve(domain::ServeDocument command, const Request& request) {
    if (command.service_id.empty())
      command.service_id = "s" + engine::to_hex(SodiumSecrets::random_bytes(16));
    const std::string stream = domain::service_stream(command.service_id);
    auto done = fill_and_run<domain::ServiceAggregate>(
        stream, domain::ServiceCommand{std::move(command)}, recording(request));
    if (done)
      done->created_id =
          std::string(domain::id_in_stream(done->stream, domain::category::kService).value_or(""));
    return done;
  }

  std::string new_api_key(const std::string& staff_id, std::string secret) {
    if (secret.empty())
      secret = engine::to_hex(SodiumSecrets::random_bytes(kApiSecretBytes));
    return staff_id + "." + secret;
  }

  Outcome<Accepted> register_staff(domain::RegisterStaff command, const Request& request,
                                   const std::string& preset) {
    const std::string stream = domain::staff_stream(command.staff_id);
    std::string key;
    if (command.role == Role::kCourtSystem) {
      key = new_api_key(command.staff_id, preset);
      command.api_key = key;
      command.initial_password.clear();
    } else {
      command.api_key.clear();
    }
    auto done = run<domain::StaffAggregate>(stream, domain::StaffCommand{std::move(command)},
                                            recording(request));
    if (done && !done->deduplicated && done->event_count > 0)
      done->api_key = key;
    return done;
  }

  Outcome<Accepted> rotate_api_key(const std::string& staff_id, const Request& request) {
    const std::string key = new_api_key(staff_id, {});
    auto done = run<domain::StaffAggregate>(domain::staff_stream(staff_id),
                                            domain::StaffCommand{domain::RotateStaffApiKey{key}},
                                            recording(request));
    if (done && !done->deduplicated && done->event_count > 0)
      done->api_key = key;
    return done;
  }

  // --- reactions and timers --------------------------------------------------------------

  // --- read-your-writes across reactions ----------------------------------------------------

  // The last position a reaction's commands wrote, by the position of the event reacted to; the
  // oldest entries go first (a command waits for its reactions for seconds at most).
  static constexpr std::size_t kMaxCaused = 65'536;
  std::mutex caused_mu;
  std::map<std::uint64_t, std::uint64_t> caused;

  void note_caused(std::uint64_t cause, std::uint64_t position) {
    std::lock_guard lock(caused_mu);
    auto& last = caused[cause];
    last = std::max(last, position);
    if (caused.size() > kMaxCaused)
      caused.erase(caused.begin());
  }

  // A command whose events cause reactions answers once they are committed, at the position
  // after them; reactions_pending when the reactor does not run or does not get there in time.
  void settle_reactions(Accepted& accepted) {
    if (!accepted.causes_reactions || accepted.event_count == 0)
      return;
    if (!p.reactor_->wait_for(accepted.position, kReactionWait)) {
      accepted.reactions_pending = true;
      return;
    }
    std::lock_guard lock(caused_mu);
    for (auto it = caused.lower_bound(accepted.first_position);
         it != caused.end() && it->first <= accepted.position; ++it) {
      accepted.position = std::max(accepted.position, it->second);
    }
  }

  template <class A>
  engine::ReactionResult react_with(std::uint64_t cause, const std::string& stream,
                                    typename A::Command command, const Recording& recording) {
    auto done = fill_and_run<A>(stream, std::move(command), recording);
    if (done) {
      if (done->event_count > 0)
        note_caused(cause, done->position);
      return {};
    }
    auto failure = reaction_failure(done.error());
    failure.message = "reaction " + recording.stored_key + " on " + stream + ": " + failure.message;
    return unexpected(std::move(failure));
  }

  // Runs every command the event routes. Each has its own idempotency key, so when one fails and
  // the event is tried again, those that went through answer with their first result. A failure
  // that may pass wins over one for good: the event is tried again as a whole.
  engine::ReactionResult react(const engine::RecordedEvent& event) {
    const auto routed = domain::react(to_stored(event));
    std::optional<engine::ReactionError> failed;
    for (const auto& command : routed) {
      Recording r;
      r.actor = Principal{"system", Role::kSystem, ""};
      r.stored_key = command.idempotency_key;
      r.correlation_id = event.correlation_id;
      r.causation_id = event.event_id;
      // Facts are read with the cause folded in, whatever the runners' caches hold.
      r.through_position = event.position;
      auto result = std::visit(
          Overloaded{
              [&](const domain::CourtCommand& c) {
                return react_with<domain::CourtAggregate>(event.position, command.stream, c, r);
              },
              [&](const domain::LawyerCommand& c) {
                return react_with<domain::LawyerAggregate>(event.position, command.stream, c, r);
              },
              [&](const domain::FilingCommand& c) {
                return react_with<domain::FilingAggregate>(event.position, command.stream, c, r);
              },
              [&](const domain::PaymentCommand& c) {
                return react_with<domain::PaymentAggregate>(event.position, command.stream, c, r);
              },
              [&](const domain::CaseCommand& c) {
                return react_with<domain::CaseAggregate>(event.position, command.stream, c, r);
              },
              [&](const domain::ServiceCommand& c) {
                return react_with<domain::ServiceAggregate>(event.position, command.stream, c, r);
              },
          },
          command.command);
      if (!result && (!failed || failed->permanent))
        failed = std::move(result).error();
    }
    if (failed)
      return unexpected(std::move(*failed));
    return {};
  }

  // Removes a timer that cannot run (unknown aggregate, unreadable payload).
  bool drop(const engine::TimerSpec& timer, std::string_view why) {
    spdlog::error("timer {} on {}: {}; removed", timer.id, timer.stream, why);
    engine::AppendRequest remove;
    remove.stream = timer.stream;
    remove.actor = engine::Actor{"system", "system"};
    remove.timers_fired.push_back({timer.id, timer.due_at_us});
    return p.store_.append(std::move(remove)).has_value();
  }

  template <class A>
  bool fire_with(const engine::TimerSpec& timer) {
    if constexpr (requires(std::string_view type, std::string_view payload) {
                    A::command_from_timer(type, payload);
                  }) {
      auto command = A::command_from_timer(timer.command_type, timer.payload);
      if (!command)
        return drop(timer, command.error().message);
      const Principal system{"system", Role::kSystem, ""};
      Recording r;
      r.actor = system;
      // The timer was set in the batch of the events that set it: read facts through now.
      r.through_position = p.store_.last_position();
      if (auto failure = fill_command<A>(timer.stream, *command, r)) {
        if (std::holds_alternative<engine::Error>(*failure)) {
          spdlog::error("timer {}: {}", timer.id, failure_message(*failure));
          return false;  // retried later
        }
        return drop(timer, failure_message(*failure));
      }
      r.correlation_id = engine::Uuid::random();
      auto ctx = context(system, r.through_position);
      auto fired = p.runner<A>().fire(timer, *command, ctx, command_options(r, ctx));
      if (fired)
        return true;
      if (auto* e = std::get_if<engine::Error>(&fired.error())) {
        spdlog::error("timer {}: {}", timer.id, e->message);
        return false;
      }
      spdlog::info("timer {}: {}", timer.id, std::get<Rejection>(fired.error()).message);
      return true;  // fire() removed the rejected timer
    } else {
      return drop(timer, "its aggregate has no timers");
    }
  }

  bool fire(const engine::TimerSpec& timer) {
    bool handled = false;
    const bool known = with_aggregate(category_of(timer.stream),
                                      [&]<class A>() { handled = fire_with<A>(timer); });
    return known ? handled : drop(timer, "no aggregate has its category");
  }
};

const domain::CourtState& Platform::Impl::CommandFacts::court(std::string_view code) const {
  return remembered(courts_, code, [&] { return impl_.court(code, through_); });
}

const domain::LawyerState& Platform::Impl::CommandFacts::lawyer(std::string_view licence) const {
  return remembered(lawyers_, licence, [&] { return impl_.lawyer(licence, through_); });
}

const domain::FilingState& Platform::Impl::CommandFacts::filing(std::string_view filing_id) const {
  return remembered(filings_, filing_id,
                    [&] { return impl_.filing(domain::filing_stream(filing_id), through_); });
}

const domain::CaseState& Platform::Impl::CommandFacts::case_state(
    std::string_view case_number) const {
  return remembered(cases_, case_number, [&]() -> engine::Result<domain::CaseState> {
    auto loaded = impl_.load<domain::CaseAggregate>(domain::case_stream(case_number), through_);
    if (!loaded)
      return unexpected(loaded.error());
    return std::move(loaded->state);
  });
}

std::string Platform::Impl::CommandFacts::credential(std::string_view stream,
                                                     domain::CredentialKind kind) const {
  const std::string key = domain::credential_key(stream, kind);
  return remembered(credentials_, key, [&] { return impl_.credential(stream, kind); });
}

const domain::StaffState& Platform::Impl::CommandFacts::staff(std::string_view staff_id) const {
  return remembered(staff_, staff_id, [&]() -> engine::Result<domain::StaffState> {
    auto loaded = impl_.load<domain::StaffAggregate>(domain::staff_stream(staff_id), through_);
    if (!loaded)
      return unexpected(loaded.error());
    return std::move(loaded->state);
  });
}

const domain::HotlineRequestState& Platform::Impl::CommandFacts::hotline_request(
    std::string_view hotline_request_id) const {
  return remembered(hotline_requests_, hotline_request_id,
                    [&]() -> engine::Result<domain::HotlineRequestState> {
                      auto loaded = impl_.load<domain::HotlineAggregate>(
                          domain::hotline_stream(hotline_request_id), through_);
                      if (!loaded)
                        return unexpected(loaded.error());
                      return std::move(loaded->state);
                    });
}

// --- free functions ----------------------------------------------------------------------------

Request Request::system(std::string idempotency_key) {
  Request r;
  r.actor = Principal{"system", Role::kSystem, ""};
  r.idempotency_key = std::move(idempotency_key);
  return r;
}

std::string_view failure_code(const Failure& failure) {
  return std::visit(Overloaded{[](const Rejection& r) { return domain::enum_name(r.code); },
                               [](const engine::Error& e) { return engine::to_string(e.code); }},
                    failure);
}

const std::string& failure_message(const Failure& failure) {
  return std::visit([](const auto& f) -> const std::string& { return f.message; }, failure);
}

engine::ReactionError reaction_failure(const Failure& failure) {
  if (const auto* e = std::get_if<engine::Error>(&failure))
    return engine::reaction_error(*e);
  const auto& rejection = std::get<Rejection>(failure);
  return engine::ReactionError{true, std::string(domain::enum_name(rejection.code)),
                               rejection.message};
}

std::string_view category_of(std::string_view stream) {
  return stream.substr(0, stream.find('-'));
}

// --- Platform ----------------------------------------------------------------------------------

Platform::Platform(engine::EventStore& store, const domain::Secrets& secrets,
                   PlatformOptions options)
    : store_(store),
      secrets_(secrets),
      options_(std::move(options)),
      blobs_(store, options_.blobs),
      credentials_(store),
      runners_(std::make_unique<Runner<domain::CourtAggregate>>(store, options_.runner),
               std::make_unique<Runner<domain::CaseNumberAggregate>>(store, options_.runner),
               std::make_unique<Runner<domain::LawyerAggregate>>(store, options_.runner),
               std::make_unique<Runner<domain::FilingAggregate>>(store, options_.runner),
               std::make_unique<Runner<domain::PaymentAggregate>>(store, options_.runner),
               std::make_unique<Runner<domain::CaseAggregate>>(store, options_.runner),
               std::make_unique<Runner<domain::ServiceAggregate>>(store, options_.runner),
               std::make_unique<Runner<domain::StaffAggregate>>(store, options_.runner),
               std::make_unique<Runner<domain::HotlineAggregate>>(store, options_.runner)),
      impl_(std::make_unique<Impl>(*this)) {
  impl_->dummy_hash = secrets_.hash_password(engine::to_hex(SodiumSecrets::random_bytes(16)));
  reactor_ = std::make_unique<engine::Reactor>(
      store_, options_.reactor_name,
      [this](const engine::RecordedEvent& event) { return react(event); }, std::string(),
      options_.reactor);
  timers_ = std::make_unique<engine::TimerService>(
      store_, [this](const engine::TimerSpec& timer) { return fire(timer); });
}

Platform::~Platform() {
  stop();
  timers_.reset();
  reactor_.reset();
}

engine::ReactionResult Platform::react(const engine::RecordedEvent& event) {
  return impl_->react(event);
}

bool Platform::fire(const engine::TimerSpec& timer) {
  return impl_->fire(timer);
}

template <class A>
Outcome<Accepted> Platform::execute(const std::string& stream, typename A::Command command,
                                    const Request& request) {
  auto outcome = execute_unsettled<A>(stream, std::move(command), request);
  if (outcome)
    impl_->settle_reactions(*outcome);
  return outcome;
}

template <class A>
Outcome<Accepted> Platform::execute_unsettled(const std::string& stream,
                                              typename A::Command command, const Request& request) {
  const auto id = id_in(stream, A::kCategory);
  if (!id) {
    return unexpected(rejection(
        RejectionCode::kValidation,
        "Expected a stream \"" + std::string(A::kCategory) + "-<id>\", but got " + quoted(stream),
        "stream"));
  }
  if (request.idempotency_key.size() > kMaxIdempotencyKeyLength) {
    return unexpected(rejection(
        RejectionCode::kValidation,
        "Expected an idempotency key of at most " + std::to_string(kMaxIdempotencyKeyLength) +
            " bytes, but it has " + std::to_string(request.idempotency_key.size()),
        "idempotency_key"));
  }
  if (auto mismatch = identity_mismatch(stream, *id, command))
    return unexpected(std::move(*mismatch));
  if constexpr (std::is_same_v<A, domain::FilingAggregate>) {
    if (const auto* accept = std::get_if<domain::AcceptFiling>(&command))
      return impl_->accept_filing(*id, accept->identity_override_reason, request);
  }
  if constexpr (std::is_same_v<A, domain::ServiceAggregate>) {
    if (auto* serve = std::get_if<domain::ServeDocument>(&command)) {
      serve->service_id = *id;
      return impl_->serve(std::move(*serve), request);
    }
  }
  if constexpr (std::is_same_v<A, domain::StaffAggregate>) {
    if (auto* reg = std::get_if<domain::RegisterStaff>(&command))
      return impl_->register_staff(std::move(*reg), request, {});
    if (std::holds_alternative<domain::RotateStaffApiKey>(command))
      return impl_->rotate_api_key(*id, request);
  }
  return impl_->fill_and_run<A>(stream, std::move(command), Impl::recording(request));
}

template Outcome<Accepted> Platform::execute<domain::CourtAggregate>(const std::string&,
                                                                     domain::CourtCommand,
                                                                     const Request&);
template Outcome<Accepted> Platform::execute<domain::CaseNumberAggregate>(const std::string&,
                                                                          domain::CaseNumberCommand,
                                                                          const Request&);
template Outcome<Accepted> Platform::execute<domain::LawyerAggregate>(const std::string&,
                                                                      domain::LawyerCommand,
                                                                      const Request&);
template Outcome<Accepted> Platform::execute<domain::FilingAggregate>(const std::string&,
                                                                      domain::FilingCommand,
                                                                      const Request&);
template Outcome<Accepted> Platform::execute<domain::PaymentAggregate>(const std::string&,
                                                                       domain::PaymentCommand,
                                                                       const Request&);
template Outcome<Accepted> Platform::execute<domain::CaseAggregate>(const std::string&,
                                                                    domain::CaseCommand,
                                                                    const Request&);
template Outcome<Accepted> Platform::execute<domain::ServiceAggregate>(const std::string&,
                                                                       domain::ServiceCommand,
                                                                       const Request&);
template Outcome<Accepted> Platform::execute<domain::StaffAggregate>(const std::string&,
                                                                     domain::StaffCommand,
                                                                     const Request&);
template Outcome<Accepted> Platform::execute<domain::HotlineAggregate>(const std::string&,
                                                                       domain::HotlineCommand,
                                                                       const Request&);

template <class A>
bool Platform::may_block(const typename A::Command& command) {
  if constexpr (std::is_same_v<A, domain::LawyerAggregate>)
    return std::holds_alternative<domain::RegisterFromRoster>(command) ||
           std::holds_alternative<domain::ChangePassword>(command);
  if constexpr (std::is_same_v<A, domain::StaffAggregate>)
    return std::holds_alternative<domain::RegisterStaff>(command) ||
           std::holds_alternative<domain::ChangeStaffPassword>(command) ||
           std::holds_alternative<domain::RotateStaffApiKey>(command);
  if constexpr (std::is_same_v<A, domain::FilingAggregate>)
    return std::holds_alternative<domain::AcceptFiling>(command);
  if constexpr (std::is_same_v<A, domain::ServiceAggregate>)
    return std::holds_alternative<domain::ServeDocument>(command);
  return false;
}

template <class A>
void Platform::execute_async(const std::string& stream, typename A::Command command,
                             const Request& request, Post post, Completion<A> done) {
  auto refuse = [&](Failure failure) {
    post([done = std::move(done), failure = std::move(failure)]() mutable {
      done(unexpected(std::move(failure)), nullptr);
    });
  };
  const auto id = id_in(stream, A::kCategory);
  if (!id) {
    return refuse(rejection(
        RejectionCode::kValidation,
        "Expected a stream \"" + std::string(A::kCategory) + "-<id>\", but got " + quoted(stream),
        "stream"));
  }
  if (request.idempotency_key.size() > kMaxIdempotencyKeyLength) {
    return refuse(rejection(RejectionCode::kValidation,
                            "Expected an idempotency key of at most " +
                                std::to_string(kMaxIdempotencyKeyLength) + " bytes, but it has " +
                                std::to_string(request.idempotency_key.size()),
                            "idempotency_key"));
  }
  if (auto mismatch = identity_mismatch(stream, *id, command))
    return refuse(std::move(*mismatch));
  if (may_block<A>(command)) {
    auto outcome = execute<A>(stream, std::move(command), request);
    post([done = std::move(done), outcome = std::move(outcome)]() mutable {
      done(std::move(outcome), nullptr);
    });
    return;
  }
  impl_->fill_and_run_async<A>(stream, std::move(command), Impl::recording(request),
                               std::move(post), std::move(done));
}

#define DOCKET_PLATFORM_ASYNC(A)                                                                 \
  template bool Platform::may_block<A>(const A::Command&);                                       \
  template void Platform::execute_async<A>(const std::string&, A::Command, const Request&, Post, \
                                           Completion<A>);
DOCKET_PLATFORM_ASYNC(domain::CourtAggregate)
DOCKET_PLATFORM_ASYNC(domain::CaseNumberAggregate)
DOCKET_PLATFORM_ASYNC(domain::LawyerAggregate)
DOCKET_PLATFORM_ASYNC(domain::FilingAggregate)
DOCKET_PLATFORM_ASYNC(domain::PaymentAggregate)
DOCKET_PLATFORM_ASYNC(domain::CaseAggregate)
DOCKET_PLATFORM_ASYNC(domain::ServiceAggregate)
DOCKET_PLATFORM_ASYNC(domain::StaffAggregate)
DOCKET_PLATFORM_ASYNC(domain::HotlineAggregate)
#undef DOCKET_PLATFORM_ASYNC

Outcome<Accepted> Platform::accept_filing(const std::string& filing_id, const Request& request,
                                          std::string identity_override_reason) {
  return execute<domain::FilingAggregate>(
      domain::filing_stream(filing_id),
      domain::FilingCommand{domain::AcceptFiling{{}, std::move(identity_override_reason)}},
      request);
}

Outcome<Accepted> Platform::serve_document(domain::ServeDocument command, const Request& request) {
  if (command.service_id.empty())
    command.service_id = "s" + engine::to_hex(SodiumSecrets::random_bytes(16));
  const std::string stream = domain::service_stream(command.service_id);
  return execute<domain::ServiceAggregate>(stream, domain::ServiceCommand{std::move(command)},
                                           request);
}

Outcome<Accepted> Platform::register_staff(domain::RegisterStaff command, const Request& request,
                                           std::string preset_api_secret) {
  if (request.idempotency_key.size() > kMaxIdempotencyKeyLength) {
    return unexpected(rejection(RejectionCode::kValidation,
                                "Expected an idempotency key of at most " +
                                    std::to_string(kMaxIdempotencyKeyLength) + " bytes",
                                "idempotency_key"));
  }
  return impl_->register_staff(std::move(command), request, preset_api_secret);
}

Outcome<Accepted> Platform::rotate_api_key(const std::string& staff_id, const Request& request) {
  return execute<domain::StaffAggregate>(
      domain::staff_stream(staff_id), domain::StaffCommand{domain::RotateStaffApiKey{}}, request);
}

Outcome<Accepted> Platform::change_password(const std::string& old_password,
                                            const std::string& new_password,
                                            const Request& request) {
  if (request.actor.role == Role::kLawyer) {
    return execute<domain::LawyerAggregate>(
        domain::lawyer_stream(request.actor.id),
        domain::LawyerCommand{domain::ChangePassword{old_password, new_password}}, request);
  }
  if (domain::is_staff_role(request.actor.role)) {
    return execute<domain::StaffAggregate>(
        domain::staff_stream(request.actor.id),
        domain::StaffCommand{domain::ChangeStaffPassword{old_password, new_password}}, request);
  }
  return unexpected(rejection(RejectionCode::kForbidden,
                              "Expected a lawyer or a staff member to change a password, but " +
                                  std::string(domain::enum_name(request.actor.role)) + " acted"));
}

Outcome<Login> Platform::verify_password(const std::string& login, const std::string& password) {
  if (login.empty()) {
    (void)secrets_.verify_password(impl_->dummy_hash, password);
    return unexpected(bad_login());
  }
  if (domain::is_staff_id(login)) {
    const std::string stream = domain::staff_stream(login);
    auto loaded = load<domain::StaffAggregate>(stream);
    if (!loaded)
      return unexpected(Failure(loaded.error()));
    auto hash = credentials_.get(stream, domain::CredentialKind::kPassword);
    if (!hash)
      return unexpected(Failure(hash.error()));
    const auto& s = loaded->state;
    const bool has_password = s.exists && s.active && *hash;
    // Verified either way: refusing an unknown login takes as long as refusing a known one.
    const bool matches =
        secrets_.verify_password(has_password ? **hash : impl_->dummy_hash, password);
    if (!has_password || !matches)
      return unexpected(bad_login());
    return Login{domain::staff_principal(s), s.must_change_password};
  }
  const std::string stream = domain::lawyer_stream(login);
  auto loaded = load<domain::LawyerAggregate>(stream);
  if (!loaded)
    return unexpected(Failure(loaded.error()));
  auto hash = credentials_.get(stream, domain::CredentialKind::kPassword);
  if (!hash)
    return unexpected(Failure(hash.error()));
  const auto& l = loaded->state;
  const bool has_password = l.exists && l.active && *hash;
  const bool matches =
      secrets_.verify_password(has_password ? **hash : impl_->dummy_hash, password);
  if (!has_password || !matches)
    return unexpected(bad_login());
  return Login{Principal{l.licence_number, Role::kLawyer, ""}, l.must_change_password};
}

Outcome<Login> Platform::verify_api_key(const std::string& api_key) {
  const auto dot = api_key.rfind('.');
  if (dot == std::string::npos || dot == 0)
    return unexpected(bad_api_key());
  const std::string staff_id = api_key.substr(0, dot);
  if (!domain::is_staff_id(staff_id))
    return unexpected(bad_api_key());
  const std::string stream = domain::staff_stream(staff_id);
  auto loaded = load<domain::StaffAggregate>(stream);
  if (!loaded)
    return unexpected(Failure(loaded.error()));
  auto digest = credentials_.get(stream, domain::CredentialKind::kApiKey);
  if (!digest)
    return unexpected(Failure(digest.error()));
  const auto& s = loaded->state;
  if (!s.exists || !s.active || s.role != Role::kCourtSystem || !*digest ||
      !equal_in_constant_time(secrets_.keyed_digest(domain::kApiKeyPurpose, api_key), **digest)) {
    return unexpected(bad_api_key());
  }
  return Login{domain::staff_principal(s), false};
}

void Platform::start() {
  reactor_->start();
  timers_->start();
}

void Platform::stop() {
  if (timers_)
    timers_->stop();
  if (reactor_)
    reactor_->stop();
}

engine::Result<std::size_t> Platform::settle() {
  std::size_t total = 0;
  for (std::size_t round = 0; round < kMaxSettleRounds; ++round) {
    auto handled = reactor_->run_once();
    if (!handled)
      return unexpected(handled.error());
    const std::size_t fired = timers_->fire_due();
    total += *handled + fired;
    if (*handled == 0 && fired == 0)
      return total;
  }
  return total;
}

}  // namespace docket::app
