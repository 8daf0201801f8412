#include "docket/engine/reactor.h"

#include <gtest/gtest.h>
#include <rocksdb/db.h>

#include "counter_decider.h"
#include "docket/engine/command_runner.h"
#include "store_fixture.h"

namespace docket::engine {
namespace {

using testing::CounterDecider;
using testing::event;
using testing::request;

class ReactorTest : public testing::StoreTest {
 protected:
  // For every "Deposited" event in an account stream, increment the ledger by one, with an
  // idempotency key from the event's position.
  Reactor::Handler ledger_handler(CommandRunner<CounterDecider>& runner, int* calls) {
    return [&runner, calls](const RecordedEvent& e) -> ReactionResult {
      ++*calls;
      if (e.type != "Deposited")
        return {};
      CommandOptions options;
      options.idempotency_key = "ledger/" + std::to_string(e.position);
      auto r = runner.handle("ledger-1", testing::Increment{1}, {"ledger-1"}, options);
      if (!r)
        return unexpected(ReactionError{false, "io", "ledger failed"});
      return {};
    };
  }
};

TEST_F(ReactorTest, EachEventIsReactedToOnceEvenWhenSeenAgainAfterACrash) {
  for (int i = 0; i < 10; ++i)
    ASSERT_TRUE(store().append(request("account-1", ExpectedVersion::any(), {event("Deposited")})));
  CommandRunner<CounterDecider> runner(store());
  int calls = 0;
  {
    Reactor reactor(store(), "ledger", ledger_handler(runner, &calls), "account");
    auto handled = reactor.run_once();
    ASSERT_TRUE(handled);
    EXPECT_EQ(*handled, 10u);
  }
  // A crash that lost the checkpoint: the reactor sees every event again.
  std::string zero;
  format::put_u64be(zero, 0);
  ASSERT_TRUE(store()
                  .db()
                  ->Put(rocksdb::WriteOptions(), store().column_family(format::kCfCheckpoints),
                        Reactor::checkpoint_key("ledger"), zero)
                  .ok());
  {
    Reactor reactor(store(), "ledger", ledger_handler(runner, &calls), "account");
    EXPECT_EQ(reactor.checkpoint(), 0u);
    ASSERT_TRUE(reactor.run_once());
  }
  EXPECT_EQ(calls, 20);
  CommandRunner<CounterDecider> fresh(store(), RunnerOptions{0, 8, 0});
  EXPECT_EQ(fresh.load("ledger-1")->state.value, 10);
}

TEST_F(ReactorTest, ResumesFromItsCheckpointAfterARestart) {
  for (int i = 0; i < 5; ++i)
    ASSERT_TRUE(store().append(request("account-1", ExpectedVersion::any(), {event("Deposited")})));
  CommandRunner<CounterDecider> runner(store());
  int calls = 0;
  {
    Reactor reactor(store(), "ledger", ledger_handler(runner, &calls), "account");
    ASSERT_TRUE(reactor.run_once());
  }
  for (int i = 0; i < 3; ++i)
    ASSERT_TRUE(store().append(request("account-2", ExpectedVersion::any(), {event("Deposited")})));
  reopen();
  CommandRunner<CounterDecider> again(store());
  Reactor reactor(store(), "ledger", ledger_handler(again, &calls), "account");
  EXPECT_GT(reactor.checkpoint(), 0u);
  auto handled = reactor.run_once();
  ASSERT_TRUE(handled);
  EXPECT_EQ(*handled, 3u);
  EXPECT_EQ(calls, 8);
}

TEST_F(ReactorTest, AFailureThatMayPassStopsAtTheFailedEvent) {
  for (int i = 0; i < 5; ++i)
    ASSERT_TRUE(store().append(request("account-1", ExpectedVersion::any(), {event("E")})));
  int calls = 0;
  Reactor reactor(store(), "picky", [&](const RecordedEvent& e) -> ReactionResult {
    ++calls;
    if (e.position == 3)
      return unexpected(reaction_error(Error{ErrorCode::kIo, "not now", {}, {}}));
    return {};
  });
  EXPECT_FALSE(reactor.run_once());
  EXPECT_EQ(reactor.checkpoint(), 2u);
}

TEST_F(ReactorTest, TheLiveThreadFollowsNewEvents) {
  CommandRunner<CounterDecider> runner(store());
  int calls = 0;
  Reactor reactor(store(), "ledger", ledger_handler(runner, &calls), "account");
  reactor.start();
  std::uint64_t last_deposit = 0;
  for (int i = 0; i < 5; ++i) {
    auto r = store().append(request("account-1", ExpectedVersion::any(), {event("Deposited")}));
    ASSERT_TRUE(r);
    last_deposit = r->last_position;
  }
  for (int i = 0; i < 3000 && reactor.checkpoint() < last_deposit; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  reactor.stop();
  CommandRunner<CounterDecider> fresh(store(), RunnerOptions{0, 8, 0});
  EXPECT_EQ(fresh.load("ledger-1")->state.value, 5);
}

TEST_F(ReactorTest, WaitForReturnsOnceTheThreadHandledThePosition) {
  CommandRunner<CounterDecider> runner(store());
  int calls = 0;
  Reactor reactor(store(), "ledger", ledger_handler(runner, &calls), "account");
  auto first = store().append(request("account-1", ExpectedVersion::any(), {event("Deposited")}));
  ASSERT_TRUE(first);
  EXPECT_FALSE(reactor.running());
  EXPECT_FALSE(reactor.wait_for(first->last_position, std::chrono::milliseconds(10)))
      << "a reactor that does not run never gets there";

  reactor.start();
  EXPECT_TRUE(reactor.running());
  ASSERT_TRUE(reactor.wait_for(first->last_position, std::chrono::seconds(30)));
  // Its reaction is committed by then: the ledger counts the deposit.
  EXPECT_EQ(runner.load("ledger-1")->state.value, 1);
  auto second = store().append(request("account-1", ExpectedVersion::any(), {event("Deposited")}));
  ASSERT_TRUE(second);
  ASSERT_TRUE(reactor.wait_for(second->last_position, std::chrono::seconds(30)));
  EXPECT_EQ(runner.load("ledger-1")->state.value, 2);

  reactor.stop();
  EXPECT_FALSE(reactor.running());
  EXPECT_FALSE(reactor.wait_for(second->last_position + 100, std::chrono::seconds(30)))
      << "a stopped reactor answers at once";
}

}  // namespace
}  // namespace docket::engine
