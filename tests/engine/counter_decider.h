// A toy decider for engine tests: a counter that can be incremented up to a limit, closed, and
// given a deadline timer that closes it.
#pragma once

#include <cstdint>
#include <string>
#include <variant>

#include "docket/engine/command_runner.h"

namespace docket::testing {

struct CounterState {
  std::int64_t value = 0;
  bool closed = false;
  std::int64_t events_seen = 0;
  std::int64_t last_recorded_at = 0;
  template <class Archive>
  void serialize(Archive& ar) {
    ar(value, closed, events_seen, last_recorded_at);
  }
  friend bool operator==(const CounterState&, const CounterState&) = default;
};

struct Increment {
  std::int64_t by = 1;
};
struct Close {};
struct SetDeadline {
  std::int64_t at_us = 0;
};
struct CancelDeadline {};

struct CounterDecider {
  using State = CounterState;
  using Command = std::variant<Increment, Close, SetDeadline, CancelDeadline>;
  struct Context {
    std::string stream;
  };
  struct Rejection {
    std::string message;
  };
  static constexpr std::uint32_t kStateVersion = 1;
  static constexpr std::int64_t kLimit = 1'000'000;

  static State initial() { return {}; }

  static void evolve(State& s, const engine::RecordedEvent& e) {
    ++s.events_seen;
    s.last_recorded_at = e.recorded_at_us;
    if (e.type == "Incremented")
      s.value += std::stoll(e.payload);
    if (e.type == "Closed")
      s.closed = true;
  }

  static Expected<engine::Decision, Rejection> decide(const State& s, const Command& c,
                                                      const Context& ctx) {
    engine::Decision d;
    if (s.closed)
      return unexpected(Rejection{"Expected an open counter, but it is closed"});
    if (auto* inc = std::get_if<Increment>(&c)) {
      if (s.value + inc->by > kLimit)
        return unexpected(Rejection{"Expected to stay under the limit, but would not"});
      d.events.push_back({"Incremented", 1, std::to_string(inc->by), {}});
    } else if (std::holds_alternative<Close>(c)) {
      d.events.push_back({"Closed", 1, "", {}});
      d.timers_to_cancel.push_back(ctx.stream + "/deadline");
    } else if (auto* set = std::get_if<SetDeadline>(&c)) {
      d.events.push_back({"DeadlineSet", 1, std::to_string(set->at_us), {}});
      d.timers_to_set.push_back({ctx.stream + "/deadline", set->at_us, ctx.stream, "close", ""});
    } else if (std::holds_alternative<CancelDeadline>(c)) {
      d.timers_to_cancel.push_back(ctx.stream + "/deadline");
    }
    return d;
  }
};

static_assert(engine::SnapshottingDecider<CounterDecider>);

}  // namespace docket::testing
