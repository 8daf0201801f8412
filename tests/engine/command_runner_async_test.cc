// CommandRunner::handle_async: the command is decided on the calling thread, its append is
// committed by the store's writer, and the answer comes through the caller's post, exactly once,
// after the acknowledged tip covers it.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "counter_decider.h"
#include "docket/engine/command_runner.h"
#include "store_fixture.h"
#include "tip_file.h"

namespace docket::engine {
namespace {

using testing::CounterDecider;
using testing::Increment;
using Runner = CommandRunner<CounterDecider>;

// A hand-run executor: posted functions wait until the test runs them.
class Queue {
 public:
  Runner::Post post() {
    return [this](std::function<void()> f) {
      {
        std::lock_guard lock(mu_);
        queue_.push_back(std::move(f));
        ++posted_;
      }
      cv_.notify_all();
    };
  }

  // Runs posted functions on this thread until `until()` holds; false after 10 s without it.
  bool run_until(const std::function<bool()>& until) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    for (;;) {
      std::function<void()> next;
      {
        std::unique_lock lock(mu_);
        if (queue_.empty()) {
          if (until())
            return true;
          if (!cv_.wait_until(lock, deadline, [&] { return !queue_.empty(); }))
            return until();
        }
        next = std::move(queue_.front());
        queue_.pop_front();
      }
      next();
    }
  }

  std::size_t posted() {
    std::lock_guard lock(mu_);
    return posted_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> queue_;
  std::size_t posted_ = 0;
};

// What one command's completion saw.
struct Answer {
  int calls = 0;
  std::optional<Expected<CommandResult, Runner::Failure>> outcome;
  std::optional<std::int64_t> value_after;  // the state's value, when `after` was given
  std::thread::id thread;
};

Runner::Done record(Answer& answer) {
  return [&answer](Expected<CommandResult, Runner::Failure> outcome,
                   const CounterDecider::State* after) {
    ++answer.calls;
    answer.outcome = std::move(outcome);
    if (after != nullptr)
      answer.value_after = after->value;
    answer.thread = std::this_thread::get_id();
  };
}

class CommandRunnerAsyncTest : public testing::StoreTest {};

TEST_F(CommandRunnerAsyncTest, CommitsThenAnswersOnceThroughPostWithTheStateAfter) {
  Runner runner(store());
  Queue queue;
  Answer answer;
  runner.handle_async("counter-1", Increment{5}, {"counter-1"}, {}, queue.post(), record(answer));
  EXPECT_EQ(answer.calls, 0) << "the answer never runs inside handle_async";
  ASSERT_TRUE(queue.run_until([&] { return answer.calls > 0; }));
  EXPECT_EQ(answer.calls, 1);
  EXPECT_EQ(answer.thread, std::this_thread::get_id()) << "answered on the post's thread";
  ASSERT_TRUE(answer.outcome && *answer.outcome);
  EXPECT_EQ((*answer.outcome)->stream_version, 1u);
  EXPECT_EQ((*answer.outcome)->event_count, 1u);
  EXPECT_EQ(answer.value_after, 5);
  // Folded into the cache as handle() would.
  auto loaded = runner.load("counter-1");
  ASSERT_TRUE(loaded);
  EXPECT_EQ(loaded->state.value, 5);
  EXPECT_EQ(loaded->version, 1u);
  ASSERT_TRUE(queue.run_until([] { return true; }));
  EXPECT_EQ(answer.calls, 1);
}

TEST_F(CommandRunnerAsyncTest, TheAcknowledgedTipCoversTheCommandBeforeItIsAnswered) {
  Runner runner(store());
  Queue queue;
  std::optional<std::uint64_t> tip_then;
  std::optional<std::uint64_t> last_then;
  std::uint64_t position = 0;
  int calls = 0;
  for (int i = 0; i < 5; ++i) {
    runner.handle_async(
        "counter-" + std::to_string(i), Increment{1}, {"counter"}, {}, queue.post(),
        [&](Expected<CommandResult, Runner::Failure> outcome, const CounterDecider::State*) {
          ++calls;
          ASSERT_TRUE(outcome);
          position = outcome->append.last_position;
          TipFile tip(dir_.sub("store"), false);
          auto read = tip.read();
          ASSERT_TRUE(read && *read);
          tip_then = (*read)->position;
          last_then = store().last_position();
          EXPECT_GE(*tip_then, position) << "answered before the tip recorded its commit";
          EXPECT_GE(*last_then, position) << "answered before its commit was readable";
          EXPECT_TRUE(store().read_event(position));
        });
  }
  ASSERT_TRUE(queue.run_until([&] { return calls == 5; }));
  EXPECT_TRUE(tip_then && last_then);
}

TEST_F(CommandRunnerAsyncTest, ARejectionIsAnsweredOnceAndWritesNothing) {
  Runner runner(store());
  Queue queue;
  Answer answer;
  runner.handle_async("counter-1", Increment{CounterDecider::kLimit + 1}, {"counter-1"}, {},
                      queue.post(), record(answer));
  EXPECT_EQ(answer.calls, 0);
  ASSERT_TRUE(queue.run_until([&] { return answer.calls > 0; }));
  ASSERT_TRUE(queue.run_until([] { return true; }));
  EXPECT_EQ(answer.calls, 1);
  ASSERT_TRUE(answer.outcome && !*answer.outcome);
  EXPECT_TRUE(std::holds_alternative<CounterDecider::Rejection>(answer.outcome->error()));
  EXPECT_FALSE(answer.value_after);
  EXPECT_EQ(store().last_position(), 0u);
}

TEST_F(CommandRunnerAsyncTest, AStoreRefusalIsAnsweredOnceAndTheStreamGoesOn) {
  StoreOptions options;
  options.max_event_bytes = 1;  // "10" is too large, "5" is not
  reopen(options);
  Runner runner(store());
  Queue queue;
  Answer refused;
  Answer next;
  runner.handle_async("counter-1", Increment{10}, {"counter-1"}, {}, queue.post(), record(refused));
  runner.handle_async("counter-1", Increment{5}, {"counter-1"}, {}, queue.post(), record(next));
  ASSERT_TRUE(queue.run_until([&] { return refused.calls > 0 && next.calls > 0; }));
  ASSERT_TRUE(queue.run_until([] { return true; }));
  EXPECT_EQ(refused.calls, 1);
  ASSERT_TRUE(refused.outcome && !*refused.outcome);
  ASSERT_TRUE(std::holds_alternative<Error>(refused.outcome->error()));
  EXPECT_EQ(std::get<Error>(refused.outcome->error()).code, ErrorCode::kTooLarge);
  EXPECT_EQ(next.calls, 1) << "the stream's next command runs after a refusal";
  ASSERT_TRUE(next.outcome && *next.outcome);
  EXPECT_EQ((*next.outcome)->stream_version, 1u);
}

TEST_F(CommandRunnerAsyncTest, AStaleIfMatchIsAnsweredOnceWithTheActualVersion) {
  Runner runner(store());
  ASSERT_TRUE(runner.handle("counter-1", Increment{1}, {"counter-1"}));
  Queue queue;
  Answer answer;
  CommandOptions options;
  options.expected_version = 7;
  runner.handle_async("counter-1", Increment{1}, {"counter-1"}, options, queue.post(),
                      record(answer));
  ASSERT_TRUE(queue.run_until([&] { return answer.calls > 0; }));
  ASSERT_TRUE(queue.run_until([] { return true; }));
  EXPECT_EQ(answer.calls, 1);
  ASSERT_TRUE(answer.outcome && !*answer.outcome);
  const auto& error = std::get<Error>(answer.outcome->error());
  EXPECT_EQ(error.code, ErrorCode::kWrongExpectedVersion);
  EXPECT_EQ(store().last_position(), 1u);
}

TEST_F(CommandRunnerAsyncTest, ARepeatedKeyIsAnsweredWithTheFirstResult) {
  Runner runner(store());
  Queue queue;
  Answer first;
  Answer again;
  CommandOptions options;
  options.idempotency_key = "key-1";
  runner.handle_async("counter-1", Increment{2}, {"counter-1"}, options, queue.post(),
                      record(first));
  runner.handle_async("counter-1", Increment{2}, {"counter-1"}, options, queue.post(),
                      record(again));
  ASSERT_TRUE(queue.run_until([&] { return first.calls > 0 && again.calls > 0; }));
  ASSERT_TRUE(first.outcome && *first.outcome && again.outcome && *again.outcome);
  EXPECT_FALSE((*first.outcome)->deduplicated);
  EXPECT_TRUE((*again.outcome)->deduplicated);
  EXPECT_EQ((*again.outcome)->append.last_position, (*first.outcome)->append.last_position);
  EXPECT_FALSE(again.value_after);
  EXPECT_EQ(store().last_position(), 1u);
}

TEST_F(CommandRunnerAsyncTest, CommandsOnOneStreamTakeTurnsWithoutConflicts) {
  Runner runner(store());
  Queue queue;
  constexpr int kCommands = 200;
  std::vector<Answer> answers(kCommands);
  for (int i = 0; i < kCommands; ++i)
    runner.handle_async("counter-1", Increment{1}, {"counter-1"}, {}, queue.post(),
                        record(answers[i]));
  ASSERT_TRUE(queue.run_until([&] {
    return std::all_of(answers.begin(), answers.end(), [](const Answer& a) { return a.calls; });
  }));
  for (int i = 0; i < kCommands; ++i) {
    EXPECT_EQ(answers[i].calls, 1);
    ASSERT_TRUE(answers[i].outcome && *answers[i].outcome);
    EXPECT_EQ((*answers[i].outcome)->stream_version, static_cast<std::uint64_t>(i + 1))
        << "answered in the order handed over";
  }
  EXPECT_EQ(store().stats().conflicts, 0u);
  auto loaded = runner.load("counter-1");
  ASSERT_TRUE(loaded);
  EXPECT_EQ(loaded->state.value, kCommands);
}

TEST_F(CommandRunnerAsyncTest, AWriterOutsideTheTurnMakesItDecideAgain) {
  Runner runner(store());
  ASSERT_TRUE(runner.handle("counter-1", Increment{1}, {"counter-1"}));  // cached at version 1
  auto outside = store().append(testing::request("counter-1", ExpectedVersion::exact(1),
                                                 {testing::event("Incremented", "10")}));
  ASSERT_TRUE(outside);
  Queue queue;
  Answer answer;
  runner.handle_async("counter-1", Increment{1}, {"counter-1"}, {}, queue.post(), record(answer));
  ASSERT_TRUE(queue.run_until([&] { return answer.calls > 0; }));
  ASSERT_TRUE(queue.run_until([] { return true; }));
  EXPECT_EQ(answer.calls, 1);
  ASSERT_TRUE(answer.outcome && *answer.outcome);
  EXPECT_EQ((*answer.outcome)->stream_version, 3u);
  EXPECT_EQ(answer.value_after, 12);
  EXPECT_GE(store().stats().conflicts, 1u);
}

TEST_F(CommandRunnerAsyncTest, ManyStreamsFromSeveralThreadsAreEachAnsweredOnce) {
  Runner runner(store());
  Queue queue;
  constexpr int kThreads = 4;
  constexpr int kPerThread = 50;
  std::vector<Answer> answers(kThreads * kPerThread);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i)
        runner.handle_async("counter-" + std::to_string(i % 7), Increment{1}, {"counter"}, {},
                            queue.post(), record(answers[t * kPerThread + i]));
    });
  }
  for (auto& t : threads)
    t.join();
  ASSERT_TRUE(queue.run_until([&] {
    return std::all_of(answers.begin(), answers.end(), [](const Answer& a) { return a.calls; });
  }));
  std::int64_t total = 0;
  for (const auto& a : answers) {
    EXPECT_EQ(a.calls, 1);
    ASSERT_TRUE(a.outcome && *a.outcome);
  }
  for (int s = 0; s < 7; ++s) {
    auto loaded = runner.load("counter-" + std::to_string(s));
    ASSERT_TRUE(loaded);
    total += loaded->state.value;
  }
  EXPECT_EQ(total, kThreads * kPerThread);
}

}  // namespace
}  // namespace docket::engine
