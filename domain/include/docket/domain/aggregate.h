// The one shape every aggregate has: a state that starts empty, a decider per command and an
// applier table that folds the aggregate's events into its state.
//
//   struct LawyerAggregate : Aggregate<LawyerAggregate, LawyerState, LawyerCommand> {
//     static Outcome decide(const State&, const Command&, const Context&);  // pure
//     static const ApplierTable<State>& appliers();  // one entry per (event type, version)
//   };
//
// initial() and evolve() come from the base. evolve() folds an event through the table and
// refuses, loudly, an event it has no entry for or whose payload does not parse: it throws
// EventFoldError instead of skipping it, because a state folded past an event it did not
// understand would decide wrongly from then on. Whoever folds turns the exception into an error
// value at its edge (the command runner, the projections, replay).
#pragma once

#include <algorithm>
#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "docket/common/expected.h"
#include "docket/domain/core.h"

namespace docket::domain {

// An event an aggregate cannot fold: a (type, schema version) its applier table lacks (an event
// written by a newer release, or by a bug) or a payload that does not parse as its table.
class EventFoldError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Where an event is, for messages: "<stream> version <v> (position <p>), <type> v<n>".
std::string describe_event(const StoredEvent& event);

// The appliers of one aggregate, looked up by (event type, schema version) without allocating.
template <class State>
class ApplierTable {
 public:
  using Apply = std::function<void(State&, const StoredEvent&)>;

  explicit ApplierTable(std::string_view aggregate) : aggregate_(aggregate) {}

  // Adds the applier of (`type`, `schema_version`); `type` must outlive the table (the
  // vocabulary's constants do). Adding a pair twice is a programming error.
  ApplierTable& on(std::string_view type, std::uint32_t schema_version, Apply apply) {
    const Key key{type, schema_version};
    auto at = std::lower_bound(entries_.begin(), entries_.end(), key, before);
    if (at != entries_.end() && at->type == type && at->schema_version == schema_version)
      throw std::logic_error("Expected one applier of " + std::string(type) + " v" +
                             std::to_string(schema_version) + ", but it was added twice");
    entries_.insert(at, Entry{type, schema_version, std::move(apply)});
    return *this;
  }

  // Folds `event` into `state`; throws EventFoldError when the table has no entry for it (the
  // applier itself throws it for a payload that does not parse).
  void apply(State& state, const StoredEvent& event) const {
    const Entry* entry = find(event.type, event.schema_version);
    if (entry == nullptr)
      throw EventFoldError("Expected an event the " + aggregate_ + " aggregate knows, but " +
                           describe_event(event) + " has no applier");
    entry->apply(state, event);
  }

  bool knows(std::string_view type, std::uint32_t schema_version) const {
    return find(type, schema_version) != nullptr;
  }

  // Every (type, schema version) the table folds, in order.
  std::vector<std::pair<std::string_view, std::uint32_t>> keys() const {
    std::vector<std::pair<std::string_view, std::uint32_t>> out;
    out.reserve(entries_.size());
    for (const auto& e : entries_)
      out.emplace_back(e.type, e.schema_version);
    return out;
  }

 private:
  struct Entry {
    std::string_view type;
    std::uint32_t schema_version;
    Apply apply;
  };
  struct Key {
    std::string_view type;
    std::uint32_t schema_version;
  };
  static bool before(const Entry& e, const Key& k) {
    return e.type < k.type || (e.type == k.type && e.schema_version < k.schema_version);
  }

  const Entry* find(std::string_view type, std::uint32_t schema_version) const {
    const Key key{type, schema_version};
    auto at = std::lower_bound(entries_.begin(), entries_.end(), key, before);
    if (at == entries_.end() || at->type != type || at->schema_version != schema_version)
      return nullptr;
    return &*at;
  }

  std::string aggregate_;
  std::vector<Entry> entries_;  // sorted by (type, schema version)
};

// The shared part of every aggregate. Derived declares `decide` and `appliers()`.
template <class Derived, class StateT, class CommandT>
struct Aggregate {
  using State = StateT;
  using Command = CommandT;

  static State initial() { return State{}; }

  // Folds one event; throws EventFoldError on an event the aggregate cannot fold.
  static void evolve(State& state, const StoredEvent& event) {
    Derived::appliers().apply(state, event);
  }
};

// Folds `event` into `state`, saying as a value whether it could: the refusal's message when the
// aggregate cannot fold it. For folds that report rather than throw (projections, replay).
template <class A>
Expected<void, std::string> fold_event(typename A::State& state, const StoredEvent& event) {
  try {
    A::evolve(state, event);
    return {};
  } catch (const EventFoldError& refused) {
    return unexpected(std::string(refused.what()));
  }
}

}  // namespace docket::domain
