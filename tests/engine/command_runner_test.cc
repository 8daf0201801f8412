#include "docket/engine/command_runner.h"

#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>
#include <string>
#include <thread>

#include "counter_decider.h"
#include "store_fixture.h"

namespace docket::engine {
namespace {

using testing::CounterDecider;
using testing::Increment;

class CommandRunnerTest : public testing::StoreTest {};

// A decider whose evolve knows only "Guessed" and refuses any other event, as the domain's
// applier tables do, and whose wrong guesses are recorded and rejected all the same.
struct GuessDecider {
  struct State {
    int wrong = 0;
  };
  struct Command {
    bool right = false;
  };
  struct Context {};
  struct Rejection {
    std::string message;
  };
  static State initial() { return {}; }
  static void evolve(State& s, const RecordedEvent& e) {
    if (e.type != "Guessed")
      throw std::runtime_error("no applier of " + e.type);
    if (e.payload == "wrong")
      ++s.wrong;
  }
  static Expected<Decision, Rejection> decide(const State&, const Command& c, const Context&) {
    Decision d;
    d.events.push_back({"Guessed", 1, c.right ? "right" : "wrong", {}});
    if (!c.right)
      d.rejection = "wrong guess";
    return d;
  }
};

// A state that counts its copies.
struct CountedState {
  static inline int copies = 0;
  int value = 0;
  CountedState() = default;
  CountedState(const CountedState& other) : value(other.value) { ++copies; }
  CountedState& operator=(const CountedState& other) {
    value = other.value;
    ++copies;
    return *this;
  }
  CountedState(CountedState&&) = default;
  CountedState& operator=(CountedState&&) = default;
};

struct CountedDecider {
  using State = CountedState;
  using Command = int;
  struct Context {};
  struct Rejection {};
  static State initial() { return {}; }
  static void evolve(State& s, const RecordedEvent& e) { s.value += std::stoi(e.payload); }
  static Expected<Decision, Rejection> decide(const State&, const int& add, const Context&) {
    Decision d;
    d.events.push_back({"Added", 1, std::to_string(add), {}});
    return d;
  }
};

TEST_F(CommandRunnerTest, InspectReadsTheCachedStateWithoutCopyingIt) {
  CommandRunner<CountedDecider> runner(store());
  for (int add : {1, 2, 3})
    ASSERT_TRUE(runner.handle("counted-1", add, {}));
  CountedState::copies = 0;
  auto value = runner.inspect("counted-1", [](const auto& loaded) { return loaded.state.value; });
  ASSERT_TRUE(value);
  EXPECT_EQ(*value, 6);
  EXPECT_EQ(CountedState::copies, 0) << "inspected in place";
  ASSERT_TRUE(runner.load("counted-1"));
  EXPECT_GT(CountedState::copies, 0) << "load hands out a copy";
  // A stream not cached yet is folded from the store, cached, then inspected.
  runner.forget("counted-1");
  value = runner.inspect("counted-1", [](const auto& loaded) { return loaded.state.value; });
  ASSERT_TRUE(value);
  EXPECT_EQ(*value, 6);
}

TEST_F(CommandRunnerTest, ADecisionRecordedAndRejectedWritesItsEventsAndCarriesItsRejection) {
  CommandRunner<GuessDecider> runner(store());
  CommandOptions options;
  options.idempotency_key = "guess-1";
  auto first = runner.handle("guess-1", GuessDecider::Command{false}, {}, options);
  ASSERT_TRUE(first);
  EXPECT_EQ(first->append.rejection, "wrong guess");
  EXPECT_EQ(first->event_count, 1u);
  EXPECT_EQ(store().last_position(), 1u);
  // A repeat is rejected as the first was, and writes nothing.
  auto again = runner.handle("guess-1", GuessDecider::Command{false}, {}, options);
  ASSERT_TRUE(again);
  EXPECT_TRUE(again->deduplicated);
  EXPECT_EQ(again->append.rejection, "wrong guess");
  EXPECT_EQ(store().last_position(), 1u);
  auto right = runner.handle("guess-1", GuessDecider::Command{true}, {});
  ASSERT_TRUE(right);
  EXPECT_EQ(right->append.rejection, "");
  EXPECT_EQ(runner.load("guess-1")->state.wrong, 1);
}

TEST_F(CommandRunnerTest, AnEventTheDeciderCannotFoldFailsTheCommandNamingIt) {
  AppendRequest request;
  request.stream = "guess-2";
  request.events.push_back({"Guessed", 1, "wrong", {}});
  request.events.push_back({"FromANewerRelease", 3, "", {}});
  ASSERT_TRUE(store().append(request));
  CommandRunner<GuessDecider> runner(store());
  auto refused = runner.handle("guess-2", GuessDecider::Command{true}, {});
  ASSERT_FALSE(refused);
  ASSERT_TRUE(std::holds_alternative<Error>(refused.error()));
  const auto& error = std::get<Error>(refused.error());
  EXPECT_EQ(error.code, ErrorCode::kCorruption);
  EXPECT_EQ(error.position, std::optional<std::uint64_t>(2));
  EXPECT_NE(error.message.find("guess-2 version 2"), std::string::npos) << error.message;
  EXPECT_NE(error.message.find("no applier of FromANewerRelease"), std::string::npos)
      << error.message;
  EXPECT_EQ(store().last_position(), 2u) << "nothing is decided on a state that skipped an event";
  EXPECT_FALSE(runner.load("guess-2"));
}

TEST_F(CommandRunnerTest, DecidesAppendsAndFoldsThroughEvolve) {
  CommandRunner<CounterDecider> runner(store());
  auto r = runner.handle("counter-1", Increment{5}, {"counter-1"});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->stream_version, 1u);
  EXPECT_EQ(r->event_count, 1u);
  ASSERT_TRUE(runner.handle("counter-1", Increment{2}, {"counter-1"}));
  auto loaded = runner.load("counter-1");
  ASSERT_TRUE(loaded);
  EXPECT_EQ(loaded->state.value, 7);
  EXPECT_EQ(loaded->version, 2u);
}

TEST_F(CommandRunnerTest, ARejectionIsReturnedAndWritesNothing) {
  CommandRunner<CounterDecider> runner(store());
  auto r = runner.handle("counter-1", Increment{CounterDecider::kLimit + 1}, {"counter-1"});
  ASSERT_FALSE(r);
  ASSERT_TRUE(std::holds_alternative<CounterDecider::Rejection>(r.error()));
  EXPECT_EQ(store().last_position(), 0u);
}

TEST_F(CommandRunnerTest, TheCachedStateEqualsTheStateFoldedFromTheLog) {
  CommandRunner<CounterDecider> runner(store());
  for (int i = 1; i <= 20; ++i) {
    clock_.advance(1000);
    ASSERT_TRUE(runner.handle("counter-1", Increment{i}, {"counter-1"}));
  }
  auto cached = runner.load("counter-1");
  CommandRunner<CounterDecider> fresh(store(), RunnerOptions{0, 8, 0});
  auto folded = fresh.load("counter-1");
  ASSERT_TRUE(cached && folded);
  EXPECT_EQ(cached->state, folded->state);
  EXPECT_EQ(cached->version, folded->version);
  EXPECT_EQ(cached->position, folded->position);
}

TEST_F(CommandRunnerTest, ManyThreadsThroughOneRunnerOnOneStreamAllSucceed) {
  CommandRunner<CounterDecider> runner(store());
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 40; ++i) {
        if (!runner.handle("counter-1", Increment{1}, {"counter-1"}))
          ++failures;
      }
    });
  }
  for (auto& t : threads)
    t.join();
  EXPECT_EQ(failures.load(), 0);
  CommandRunner<CounterDecider> fresh(store(), RunnerOptions{0, 8, 0});
  EXPECT_EQ(fresh.load("counter-1")->state.value, 320);
}

// Two runners stand for writers that do not share a cache or a turn: they collide, retry, and
// when retries run out they report the conflict. Nothing is lost either way.
TEST_F(CommandRunnerTest, RacingRunnersRetryReportEveryConflictAndLoseNothing) {
  CommandRunner<CounterDecider> a(store());
  CommandRunner<CounterDecider> b(store());
  std::atomic<int> successes{0};
  std::atomic<int> conflicts{0};
  std::atomic<int> other{0};
  auto work = [&](CommandRunner<CounterDecider>& runner) {
    for (int i = 0; i < 100; ++i) {
      auto r = runner.handle("counter-1", Increment{1}, {"counter-1"});
      if (r) {
        ++successes;
      } else if (auto* e = std::get_if<Error>(&r.error());
                 e && e->code == ErrorCode::kWrongExpectedVersion) {
        ++conflicts;
      } else {
        ++other;
      }
    }
  };
  std::thread t1([&] { work(a); });
  std::thread t2([&] { work(b); });
  t1.join();
  t2.join();
  EXPECT_EQ(other.load(), 0);
  EXPECT_EQ(successes + conflicts, 200);
  EXPECT_GT(successes.load(), 190);  // retries resolve nearly every collision
  CommandRunner<CounterDecider> fresh(store(), RunnerOptions{0, 8, 0});
  EXPECT_EQ(fresh.load("counter-1")->state.value, successes.load());
}

TEST_F(CommandRunnerTest, IfMatchWithAStaleVersionFailsWithoutRetrying) {
  CommandRunner<CounterDecider> runner(store());
  ASSERT_TRUE(runner.handle("counter-1", Increment{1}, {"counter-1"}));
  CommandOptions options;
  options.expected_version = 0;
  auto r = runner.handle("counter-1", Increment{1}, {"counter-1"}, options);
  ASSERT_FALSE(r);
  auto* error = std::get_if<Error>(&r.error());
  ASSERT_NE(error, nullptr);
  EXPECT_EQ(error->code, ErrorCode::kWrongExpectedVersion);
  EXPECT_EQ(error->actual_version, 1u);
  options.expected_version = 1;
  EXPECT_TRUE(runner.handle("counter-1", Increment{1}, {"counter-1"}, options));
}

TEST_F(CommandRunnerTest, ARepeatedIdempotencyKeyDoesNotDecideAgain) {
  CommandRunner<CounterDecider> runner(store());
  CommandOptions options;
  options.idempotency_key = "pay-once";
  auto first = runner.handle("counter-1", Increment{10}, {"counter-1"}, options);
  ASSERT_TRUE(first);
  auto second = runner.handle("counter-1", Increment{10}, {"counter-1"}, options);
  ASSERT_TRUE(second);
  EXPECT_TRUE(second->deduplicated);
  EXPECT_EQ(second->append.first_position, first->append.first_position);
  EXPECT_EQ(runner.load("counter-1")->state.value, 10);
}

TEST_F(CommandRunnerTest, LoadsFromASnapshotAndIgnoresOneOfAnotherStateVersion) {
  {
    CommandRunner<CounterDecider> runner(store(), RunnerOptions{100, 8, 10});
    for (int i = 0; i < 25; ++i)
      ASSERT_TRUE(runner.handle("counter-1", Increment{1}, {"counter-1"}));
  }
  SnapshotStore snapshots(store());
  auto snap = snapshots.load("counter-1");
  ASSERT_TRUE(snap && *snap);
  EXPECT_EQ((*snap)->version, 20u);
  EXPECT_EQ((*snap)->state_version, CounterDecider::kStateVersion);

  auto at20 = store().read_stream("counter-1", 20, 1);
  ASSERT_TRUE(at20 && at20->size() == 1);
  EXPECT_EQ((*snap)->position, at20->front().position);
  EXPECT_EQ((*snap)->event_hash, at20->front().hash);

  // A snapshot claiming a value the log never had, saved through the store (sealed, bound to
  // event 20), proves the runner starts from the snapshot…
  testing::CounterState forged;
  forged.value = 1000;
  forged.events_seen = 20;
  const auto& e20 = at20->front();
  ASSERT_TRUE(snapshots.save("counter-1", {20, CounterDecider::kStateVersion, e20.position,
                                           e20.hash, SnapshotStore::encode(forged)}));
  CommandRunner<CounterDecider> runner(store());
  EXPECT_EQ(runner.load("counter-1")->state.value, 1005);
  // …and one of another state version is ignored: the state is folded from the log.
  ASSERT_TRUE(snapshots.save("counter-1", {20, CounterDecider::kStateVersion + 1, e20.position,
                                           e20.hash, SnapshotStore::encode(forged)}));
  CommandRunner<CounterDecider> other(store());
  EXPECT_EQ(other.load("counter-1")->state.value, 25);
}

TEST_F(CommandRunnerTest, LoadUntilGivesTheStateAsOfAPosition) {
  CommandRunner<CounterDecider> runner(store());
  for (int i = 1; i <= 5; ++i)
    ASSERT_TRUE(runner.handle("counter-1", Increment{i}, {"counter-1"}));
  auto at3 = runner.load_until("counter-1", [](const RecordedEvent& e) { return e.position <= 3; });
  ASSERT_TRUE(at3);
  EXPECT_EQ(at3->state.value, 6);
  EXPECT_EQ(at3->version, 3u);
}

TEST_F(CommandRunnerTest, TheCacheStaysWithinItsBound) {
  CommandRunner<CounterDecider> runner(store(), RunnerOptions{4, 8, 0});
  for (int s = 0; s < 20; ++s) {
    ASSERT_TRUE(runner.handle("counter-" + std::to_string(s), Increment{1}, {""}));
  }
  // Evicted streams reload correctly from the log.
  for (int s = 0; s < 20; ++s)
    EXPECT_EQ(runner.load("counter-" + std::to_string(s))->state.value, 1);
}

// The cache is bounded in bytes too: many small states stay under the byte bound whatever the
// entry bound, and evicted streams reload correctly.
TEST_F(CommandRunnerTest, TheCacheStaysWithinItsByteBound) {
  RunnerOptions options{1000, 8, 0};
  options.cache_bytes = 4096;
  CommandRunner<CounterDecider> runner(store(), options);
  for (int s = 0; s < 100; ++s) {
    ASSERT_TRUE(runner.handle("counter-" + std::to_string(s), Increment{1}, {""}));
    EXPECT_LE(runner.cached_bytes(), options.cache_bytes);
  }
  EXPECT_GT(runner.cached_entries(), 0u);
  EXPECT_LT(runner.cached_entries(), 100u) << "the byte bound evicted some";
  for (int s = 0; s < 100; ++s)
    EXPECT_EQ(runner.load("counter-" + std::to_string(s))->state.value, 1);
  EXPECT_LE(runner.cached_bytes(), options.cache_bytes);
  runner.forget("counter-99");
  EXPECT_LE(runner.cached_bytes(), options.cache_bytes);
}

}  // namespace
}  // namespace docket::engine
