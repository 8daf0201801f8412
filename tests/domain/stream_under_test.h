// One stream of an aggregate under test: decides each command with its own facts and folds the
// events it emits through evolve, stamped with their decision's time as the engine stamps them.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "docket/domain/core.h"
#include "fake_facts.h"

namespace docket::domain::testing {

template <class Aggregate>
struct StreamUnderTest {
  std::string name;
  typename Aggregate::State state = Aggregate::initial();
  std::vector<EventData> log;
  FakeFacts facts;

  StreamUnderTest(std::string stream, FakeFacts world)
      : name(std::move(stream)), facts(std::move(world)) {}

  // `ctx` reading this stream's facts, for a test that calls the decider itself.
  Context reading(const Context& ctx) const { return testing::reading(facts, ctx); }

  Outcome run(const typename Aggregate::Command& command, const Context& ctx) {
    Outcome out = Aggregate::decide(state, command, reading(ctx));
    if (out) {
      for (const auto& e : out->events)
        append(e, ctx.now_us);
    }
    return out;
  }
  // Appends `e` as recorded at `recorded_at_us`.
  void append(const EventData& e, std::int64_t recorded_at_us = 0) {
    log.push_back(e);
    const EventData& stored = log.back();
    Aggregate::evolve(state, StoredEvent{name, stored.type, stored.schema_version, stored.payload,
                                         log.size(), 0, recorded_at_us});
  }
  std::string last_type() const { return log.empty() ? "" : log.back().type; }
  std::vector<std::string> types() const {
    std::vector<std::string> out;
    for (const auto& e : log)
      out.push_back(e.type);
    return out;
  }
};

}  // namespace docket::domain::testing
