// Copies of one keyed command racing through one runner: the copy that waited for the stream's
// turn is answered with the first's result, not with a decision on the state the first left.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "counter_decider.h"
#include "docket/engine/command_runner.h"
#include "store_fixture.h"

namespace docket::engine {
namespace {

using testing::Close;
using testing::CounterDecider;

// CounterDecider whose first decision waits at a gate until the test opens it.
struct Gate {
  std::mutex mu;
  std::condition_variable cv;
  bool entered = false;
  bool open = false;
};
Gate* gate = nullptr;

struct GatedCounterDecider : CounterDecider {
  static Expected<Decision, Rejection> decide(const State& s, const Command& c,
                                              const Context& ctx) {
    if (gate != nullptr) {
      std::unique_lock lock(gate->mu);
      if (!gate->entered) {
        gate->entered = true;
        gate->cv.notify_all();
        gate->cv.wait_for(lock, std::chrono::seconds(10), [] { return gate->open; });
      }
    }
    return CounterDecider::decide(s, c, ctx);
  }
};

class CommandRunnerCopiesTest : public testing::StoreTest {};

TEST_F(CommandRunnerCopiesTest, ACopyThatWaitedForTheStreamGetsTheFirstResultNotARejection) {
  CommandRunner<GatedCounterDecider> runner(store());
  Gate g;
  gate = &g;
  CommandOptions options;
  options.idempotency_key = "close-once";
  using Outcome = Expected<CommandResult, CommandFailure<CounterDecider::Rejection>>;
  std::optional<Outcome> first;
  std::optional<Outcome> copy;
  std::thread a([&] { first = runner.handle("counter-1", Close{}, {"counter-1"}, options); });
  {
    std::unique_lock lock(g.mu);
    g.cv.wait(lock, [&] { return g.entered; });
  }
  // The first is deciding (its stream's turn taken, nothing committed yet); the copy arrives.
  std::thread b([&] { copy = runner.handle("counter-1", Close{}, {"counter-1"}, options); });
  std::this_thread::sleep_for(std::chrono::milliseconds(100));  // the copy waits for its turn
  {
    std::lock_guard lock(g.mu);
    g.open = true;
    g.cv.notify_all();
  }
  a.join();
  b.join();
  gate = nullptr;
  ASSERT_TRUE(first && *first);
  ASSERT_TRUE(copy && *copy) << "a closed counter refuses Close, but the copy must not be decided";
  EXPECT_TRUE((*copy)->deduplicated);
  EXPECT_EQ((*copy)->append.first_position, (*first)->append.first_position);
  EXPECT_EQ((*copy)->stream_version, (*first)->stream_version);
  EXPECT_EQ(store().last_position(), 1u) << "written once";
}

}  // namespace
}  // namespace docket::engine
