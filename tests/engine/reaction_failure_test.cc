// A reaction that may pass is retried without losing its place; one that fails for good is
// listed durably and later events still flow.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "counter_decider.h"
#include "docket/engine/command_runner.h"
#include "docket/engine/reactor.h"
#include "store_fixture.h"

namespace docket::engine {
namespace {

using testing::CounterDecider;
using testing::event;
using testing::request;

class ReactionFailureTest : public testing::StoreTest {
 protected:
  void append_events(int n) {
    for (int i = 0; i < n; ++i)
      ASSERT_TRUE(store().append(request("account-1", ExpectedVersion::any(), {event("E")})));
  }

  static ReactorOptions quick() {
    ReactorOptions options;
    options.first_backoff = std::chrono::milliseconds(1);
    options.max_backoff = std::chrono::milliseconds(4);
    options.max_attempts = 5;
    return options;
  }

  static ReactionError rejected() {
    return ReactionError{true, "invalid_state", "Expected an accepted filing, but it is draft"};
  }
};

TEST_F(ReactionFailureTest, AFailureForGoodIsListedCountedAndLaterEventsStillFlow) {
  append_events(5);
  std::vector<std::uint64_t> reacted;
  bool reject = true;
  auto handler = [&](const RecordedEvent& e) -> ReactionResult {
    if (e.position == 2 && reject)
      return unexpected(rejected());
    reacted.push_back(e.position);
    return {};
  };
  {
    Reactor reactor(store(), "billing", handler, {}, quick());
    auto handled = reactor.run_once();
    ASSERT_TRUE(handled) << handled.error().message;
    EXPECT_EQ(*handled, 5u);
    EXPECT_EQ(reactor.checkpoint(), 5u);
    EXPECT_EQ(reacted, (std::vector<std::uint64_t>{1, 3, 4, 5}));
    EXPECT_EQ(reactor.stats().failed, 1u);
    EXPECT_EQ(reactor.stats().failures_total, 1u);
  }
  // The list is durable: a reopened store still has it.
  reopen();
  Reactor reactor(store(), "billing", handler, {}, quick());
  EXPECT_EQ(reactor.stats().failed, 1u);
  auto listed = reactor.failed();
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ(listed->front().position, 2u);
  EXPECT_EQ(listed->front().stream, "account-1");
  EXPECT_EQ(listed->front().event_type, "E");
  EXPECT_EQ(listed->front().code, "invalid_state");
  EXPECT_EQ(listed->front().attempts, 1u);
  EXPECT_NE(listed->front().message.find("Expected an accepted filing"), std::string::npos);
  // Other reactors' lists are their own.
  Reactor other(store(), "other", handler, {}, quick());
  EXPECT_EQ(other.stats().failed, 0u);

  // An operator retries it: still refused, the record counts the attempt…
  auto again = reactor.retry(2);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, "invalid_state");
  EXPECT_EQ(reactor.failed()->front().attempts, 2u);
  // …and once it can pass, it goes through and leaves the list.
  reject = false;
  ASSERT_TRUE(reactor.retry(2));
  EXPECT_EQ(reacted.back(), 2u);
  EXPECT_EQ(reactor.stats().failed, 0u);
  EXPECT_TRUE(reactor.failed()->empty());
  auto gone = reactor.retry(2);  // no longer listed
  ASSERT_FALSE(gone);
  EXPECT_EQ(gone.error().code, Reactor::kNotListed);
}

TEST_F(ReactionFailureTest, AFailureThatMayPassIsRetriedOnTheLiveThreadAndSucceeds) {
  append_events(3);
  std::atomic<int> attempts_at_2{0};
  std::atomic<std::uint64_t> last{0};
  Reactor reactor(
      store(), "retrying",
      [&](const RecordedEvent& e) -> ReactionResult {
        if (e.position == 2 && attempts_at_2.fetch_add(1) < 2)
          return unexpected(reaction_error(
              Error{ErrorCode::kWrongExpectedVersion, "Expected version 1, but it is 2", 2, {}}));
        EXPECT_EQ(last.load() + 1, e.position) << "events are handled in order, none skipped";
        last.store(e.position);
        return {};
      },
      {}, quick());
  reactor.start();
  for (int i = 0; i < 500 && reactor.checkpoint() < 3; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  reactor.stop();
  EXPECT_EQ(reactor.checkpoint(), 3u);
  EXPECT_EQ(last.load(), 3u);
  EXPECT_EQ(attempts_at_2.load(), 3);
  EXPECT_EQ(reactor.stats().retries_total, 2u);
  EXPECT_EQ(reactor.stats().failed, 0u);
  EXPECT_EQ(reactor.stats().retrying_position, 0u);
}

TEST_F(ReactionFailureTest, RunOnceHoldsItsPlaceAtAFailureThatMayPassThenListsItAfterMaxAttempts) {
  append_events(3);
  int calls_at_2 = 0;
  Reactor reactor(
      store(), "stuck",
      [&](const RecordedEvent& e) -> ReactionResult {
        if (e.position == 2) {
          ++calls_at_2;
          return unexpected(reaction_error(Error{ErrorCode::kOverloaded, "busy", {}, {}}));
        }
        return {};
      },
      {}, quick());
  for (int i = 1; i < 5; ++i) {
    auto r = reactor.run_once();
    ASSERT_FALSE(r);
    EXPECT_EQ(reactor.checkpoint(), 1u) << "never past an event that may still pass";
    EXPECT_EQ(reactor.stats().retrying_position, 2u);
    EXPECT_EQ(reactor.stats().retrying_attempts, static_cast<std::uint32_t>(i));
  }
  // The fifth attempt is the last: listed, and the reactor goes on.
  auto r = reactor.run_once();
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(reactor.checkpoint(), 3u);
  EXPECT_EQ(calls_at_2, 5);
  auto listed = reactor.failed();
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ(listed->front().code, "overloaded");
  EXPECT_EQ(listed->front().attempts, 5u);
}

TEST_F(ReactionFailureTest, ErrorsThatMayPassAreTheStoresTransientOnes) {
  EXPECT_TRUE(may_pass(ErrorCode::kWrongExpectedVersion));
  EXPECT_TRUE(may_pass(ErrorCode::kOverloaded));
  EXPECT_TRUE(may_pass(ErrorCode::kIo));
  EXPECT_TRUE(may_pass(ErrorCode::kClosed));
  EXPECT_FALSE(may_pass(ErrorCode::kInvalidArgument));
  EXPECT_FALSE(may_pass(ErrorCode::kNotFound));
  EXPECT_FALSE(may_pass(ErrorCode::kCorruption));
  EXPECT_FALSE(may_pass(ErrorCode::kTooLarge));
}

class RunnerFreshnessTest : public testing::StoreTest {};

TEST_F(RunnerFreshnessTest, LoadThroughAPositionFoldsEventsItsCacheHasNotSeen) {
  CommandRunner<CounterDecider> cached(store());
  ASSERT_TRUE(cached.handle("counter-1", testing::Increment{1}, {"counter-1"}));
  ASSERT_EQ(cached.load("counter-1")->state.value, 1);
  // Another writer (another runner, or this one's append before it reached the cache).
  CommandRunner<CounterDecider> elsewhere(store());
  auto appended = elsewhere.handle("counter-1", testing::Increment{10}, {"counter-1"});
  ASSERT_TRUE(appended);
  const auto cause = appended->append.last_position;
  EXPECT_EQ(cached.load("counter-1")->state.value, 1) << "the cache may lag (documented)";
  auto fresh = cached.load("counter-1", cause);
  ASSERT_TRUE(fresh);
  EXPECT_EQ(fresh->state.value, 11);
  EXPECT_EQ(fresh->position, cause);
  // The cache learnt it; a stream with no newer event is served from it.
  EXPECT_EQ(cached.load("counter-1")->state.value, 11);
  ASSERT_TRUE(store().append(request("other-1", ExpectedVersion::any(), {event("E")})));
  EXPECT_EQ(cached.load("counter-1", store().last_position())->state.value, 11);
}

}  // namespace
}  // namespace docket::engine
