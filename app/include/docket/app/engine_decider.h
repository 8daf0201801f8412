// EngineDecider<A>: a domain aggregate seen as an engine decider.
//
// The domain and the engine never include each other; this adapter converts between their
// plain types (the field names match on purpose) so that CommandRunner<EngineDecider<A>> runs
// A::decide and A::evolve on the event log, and replay folds with the very same A::evolve.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "docket/domain/core.h"
#include "docket/domain/facts.h"
#include "docket/domain/reactions.h"
#include "docket/engine/command_runner.h"

namespace docket::app {

// A view of a recorded event for the domain's evolve; valid while `event` lives.
inline domain::StoredEvent to_stored(const engine::RecordedEvent& event) {
  domain::StoredEvent e;
  e.stream = event.stream;
  e.type = event.type;
  e.schema_version = event.schema_version;
  e.payload = event.payload;
  e.version = event.version;
  e.position = event.position;
  e.recorded_at_us = event.recorded_at_us;
  return e;
}

// A rejection recorded with its command (engine::Decision::rejection) as bytes: the code's wire
// name, then the message, then each violation's field and message, every part followed by 0x00
// (doc/format.md, "Idempotency keys").
inline std::string encode_rejection(const domain::Rejection& rejection) {
  std::string out;
  auto part = [&](std::string_view text) {
    out.append(text);
    out.push_back('\0');
  };
  part(domain::enum_name(rejection.code));
  part(rejection.message);
  for (const auto& v : rejection.violations) {
    part(v.field);
    part(v.message);
  }
  return out;
}

// The rejection encode_rejection wrote; nullopt when `bytes` are not such an encoding.
inline std::optional<domain::Rejection> decode_rejection(std::string_view bytes) {
  std::vector<std::string> parts;
  while (!bytes.empty()) {
    const auto end = bytes.find('\0');
    if (end == std::string_view::npos)
      return std::nullopt;
    parts.emplace_back(bytes.substr(0, end));
    bytes.remove_prefix(end + 1);
  }
  if (parts.size() < 2 || parts.size() % 2 != 0)
    return std::nullopt;
  auto code = domain::enum_from_name<domain::RejectionCode>(parts[0]);
  if (!code)
    return std::nullopt;
  domain::Rejection out{*code, std::move(parts[1]), {}};
  for (std::size_t i = 2; i < parts.size(); i += 2)
    out.violations.push_back({std::move(parts[i]), std::move(parts[i + 1])});
  return out;
}

inline engine::Decision to_engine(domain::Decision&& decision) {
  engine::Decision out;
  out.events.reserve(decision.events.size());
  for (auto& e : decision.events) {
    out.causes_reactions =
        out.causes_reactions || domain::causes_reactions(e.type, e.schema_version);
    out.events.push_back({std::move(e.type), e.schema_version, std::move(e.payload), {}});
  }
  out.timers_to_set.reserve(decision.timers_to_set.size());
  for (auto& t : decision.timers_to_set) {
    out.timers_to_set.push_back({std::move(t.id), t.due_at_us, std::move(t.stream),
                                 std::move(t.command_type), std::move(t.payload)});
  }
  out.timers_to_cancel = std::move(decision.timers_to_cancel);
  out.credential_writes.reserve(decision.credentials.size());
  for (auto& c : decision.credentials)
    out.credential_writes.emplace_back(std::move(c.key), std::move(c.value));
  if (decision.rejection)
    out.rejection = encode_rejection(*decision.rejection);
  return out;
}

// Facts read through loaders that may fail (a storage error while loading another stream): the
// first failure is kept, and the command that read it fails with it (engine::Decision::
// read_error) instead of deciding on what was missing. Used by one command at a time.
class FallibleFacts : public domain::Facts {
 public:
  const std::optional<engine::Error>& read_error() const { return read_error_; }

 protected:
  void failed(engine::Error error) const {
    if (!read_error_)
      read_error_ = std::move(error);
  }

 private:
  mutable std::optional<engine::Error> read_error_;
};

// The context a command is decided in: the domain's, and the facts it reads, owned here (the
// domain's Context points at them) so that they live as long as the command, however many
// threads its asynchronous path crosses.
struct CommandContext : domain::Context {
  std::shared_ptr<const FallibleFacts> owned_facts;

  void give(std::shared_ptr<const FallibleFacts> loaded) {
    owned_facts = std::move(loaded);
    facts = owned_facts.get();
  }
};

template <class A>
struct EngineDecider {
  using Aggregate = A;
  using State = typename A::State;
  using Command = typename A::Command;
  using Context = CommandContext;
  using Rejection = domain::Rejection;
  static constexpr std::uint32_t kStateVersion = A::kStateVersion;

  static State initial() { return A::initial(); }

  static void evolve(State& state, const engine::RecordedEvent& event) {
    A::evolve(state, to_stored(event));
  }

  static Expected<engine::Decision, Rejection> decide(const State& state, const Command& command,
                                                      const Context& context) {
    auto outcome = A::decide(state, command, context);
    // A fact that could not be read decides nothing, whatever was decided without it.
    if (context.owned_facts && context.owned_facts->read_error()) {
      engine::Decision failed;
      failed.read_error = *context.owned_facts->read_error();
      return failed;
    }
    if (!outcome)
      return unexpected(std::move(outcome).error());
    return to_engine(std::move(outcome).value());
  }
};

template <class A>
using Runner = engine::CommandRunner<EngineDecider<A>>;

// The engine actor recorded with an event for a domain principal.
inline engine::Actor to_actor(const domain::Principal& principal) {
  return engine::Actor{principal.id, std::string(domain::enum_name(principal.role))};
}

}  // namespace docket::app
