#include "docket/engine/timer_service.h"

#include <gtest/gtest.h>

#include "counter_decider.h"
#include "docket/engine/command_runner.h"
#include "store_fixture.h"

namespace docket::engine {
namespace {

using testing::CounterDecider;

class TimerServiceTest : public testing::StoreTest {
 protected:
  // Fires timers through the runner, as the application does.
  TimerService::Handler handler(CommandRunner<CounterDecider>& runner, int& calls) {
    return [&runner, &calls](const TimerSpec& t) {
      ++calls;
      auto r = runner.fire(t, testing::Close{}, CounterDecider::Context{t.stream});
      return r || std::holds_alternative<CounterDecider::Rejection>(r.error());
    };
  }
};

TEST_F(TimerServiceTest, ATimerFiresOnceWhenDueAndNeverBefore) {
  CommandRunner<CounterDecider> runner(store());
  const auto due = clock_.now_us() + 7 * kMicrosPerDay;
  ASSERT_TRUE(runner.handle("counter-1", testing::SetDeadline{due}, {"counter-1"}));
  int calls = 0;
  TimerService timers(store(), handler(runner, calls));
  EXPECT_EQ(timers.fire_due(), 0u);
  clock_.advance(7 * kMicrosPerDay - 1);
  EXPECT_EQ(timers.fire_due(), 0u);
  EXPECT_EQ(calls, 0);
  clock_.advance(1);
  EXPECT_EQ(timers.fire_due(), 1u);
  EXPECT_TRUE(runner.load("counter-1")->state.closed);
  EXPECT_EQ(timers.fire_due(), 0u);
  EXPECT_EQ(calls, 1);
}

TEST_F(TimerServiceTest, ATimerFiresExactlyOnceAcrossARestart) {
  const auto due = clock_.now_us() + kMicrosPerDay;
  {
    CommandRunner<CounterDecider> runner(store());
    ASSERT_TRUE(runner.handle("counter-1", testing::SetDeadline{due}, {"counter-1"}));
  }
  // Restart before it is due: the timer is still there.
  reopen();
  clock_.advance(2 * kMicrosPerDay);
  {
    CommandRunner<CounterDecider> runner(store());
    int calls = 0;
    TimerService timers(store(), handler(runner, calls));
    EXPECT_EQ(timers.fire_due(), 1u);
    EXPECT_EQ(calls, 1);
  }
  // Restart after it fired: it never fires again, and its effect is recorded once.
  reopen();
  CommandRunner<CounterDecider> runner(store());
  int calls = 0;
  TimerService timers(store(), handler(runner, calls));
  EXPECT_EQ(timers.fire_due(), 0u);
  EXPECT_EQ(calls, 0);
  auto events = store().read_stream("counter-1", 1, 100);
  ASSERT_TRUE(events);
  int closed = 0;
  for (const auto& e : *events)
    closed += e.type == "Closed";
  EXPECT_EQ(closed, 1);
}

TEST_F(TimerServiceTest, ACrashBeforeTheFiringCommitsLeavesTheTimerToFireAfterRestart) {
  const auto due = clock_.now_us() + kMicrosPerDay;
  {
    CommandRunner<CounterDecider> runner(store());
    ASSERT_TRUE(runner.handle("counter-1", testing::SetDeadline{due}, {"counter-1"}));
  }
  clock_.advance(2 * kMicrosPerDay);
  {
    // The handler "crashes": it returns without committing anything.
    TimerService timers(store(), [](const TimerSpec&) { return false; });
    EXPECT_EQ(timers.fire_due(), 0u);
  }
  reopen();
  CommandRunner<CounterDecider> runner(store());
  int calls = 0;
  TimerService timers(store(), handler(runner, calls));
  EXPECT_EQ(timers.fire_due(), 1u);
  EXPECT_TRUE(runner.load("counter-1")->state.closed);
}

TEST_F(TimerServiceTest, ACancelledTimerNeverFires) {
  CommandRunner<CounterDecider> runner(store());
  ASSERT_TRUE(
      runner.handle("counter-1", testing::SetDeadline{clock_.now_us() + 10}, {"counter-1"}));
  ASSERT_TRUE(runner.handle("counter-1", testing::CancelDeadline{}, {"counter-1"}));
  clock_.advance(100);
  int calls = 0;
  TimerService timers(store(), handler(runner, calls));
  EXPECT_EQ(timers.fire_due(), 0u);
  EXPECT_EQ(calls, 0);
  EXPECT_TRUE(timers.pending()->empty());
}

TEST_F(TimerServiceTest, ARejectedTimerCommandStillRemovesTheTimer) {
  CommandRunner<CounterDecider> runner(store());
  ASSERT_TRUE(
      runner.handle("counter-1", testing::SetDeadline{clock_.now_us() + 10}, {"counter-1"}));
  // Closed by hand without cancelling the timer (a bare append), so the timer's command is
  // rejected when it fires ("Expected an open counter").
  AppendRequest close;
  close.stream = "counter-1";
  close.events.push_back({"Closed", 1, "", {}});
  ASSERT_TRUE(store().append(close));
  runner.forget("counter-1");
  clock_.advance(100);
  int calls = 0;
  TimerService timers(store(), handler(runner, calls));
  EXPECT_EQ(timers.fire_due(), 1u);
  EXPECT_TRUE(timers.pending()->empty());
  EXPECT_EQ(timers.fire_due(), 0u);
  EXPECT_EQ(calls, 1);
}

TEST_F(TimerServiceTest, AFiringDoesNotRemoveATimerMovedMeanwhile) {
  CommandRunner<CounterDecider> runner(store());
  const auto first_due = clock_.now_us() + 10;
  ASSERT_TRUE(runner.handle("counter-1", testing::SetDeadline{first_due}, {"counter-1"}));
  auto stale = TimerSpec{"counter-1/deadline", first_due, "counter-1", "close", ""};
  const auto later = clock_.now_us() + kMicrosPerDay;
  ASSERT_TRUE(runner.handle("counter-1", testing::SetDeadline{later}, {"counter-1"}));
  // A late firing of the first deadline must not delete the moved timer.
  AppendRequest r;
  r.stream = "counter-1";
  r.timers_fired.push_back({stale.id, stale.due_at_us});
  ASSERT_TRUE(store().append(r));
  TimerService timers(store(), [](const TimerSpec&) { return true; });
  auto pending = timers.pending();
  ASSERT_TRUE(pending);
  ASSERT_EQ(pending->size(), 1u);
  EXPECT_EQ(pending->front().due_at_us, later);
}

TEST_F(TimerServiceTest, TheServiceThreadFiresWhenTheManualClockAdvances) {
  CommandRunner<CounterDecider> runner(store());
  int calls = 0;
  TimerService timers(store(), handler(runner, calls));
  timers.start();
  ASSERT_TRUE(runner.handle("counter-1", testing::SetDeadline{clock_.now_us() + kMicrosPerDay},
                            {"counter-1"}));
  clock_.advance(kMicrosPerDay);
  for (int i = 0; i < 500 && !runner.load("counter-1")->state.closed; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    runner.forget("counter-1");
  }
  timers.stop();
  runner.forget("counter-1");
  EXPECT_TRUE(runner.load("counter-1")->state.closed)
      << calls << " firings; " << timers.pending()->size() << " timers pending";
}

}  // namespace
}  // namespace docket::engine
