#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <set>
#include <thread>

#include "docket/engine/event_store.h"
#include "store_fixture.h"

namespace docket::engine {
namespace {

using testing::event;
using testing::request;

class ConcurrencyTest : public testing::StoreTest {};

// Each thread reads the stream version, then appends with it as the expected version: the
// classic lost-update race. Every success must advance the stream by exactly one and every
// failure must be reported as a conflict.
TEST_F(ConcurrencyTest, ManyThreadsOnOneStreamLoseNoUpdateAndReportEveryConflict) {
  constexpr int kThreads = 16;
  constexpr int kAttempts = 60;
  std::atomic<int> successes{0};
  std::atomic<int> conflicts{0};
  std::atomic<int> other{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kAttempts; ++i) {
        auto version = store().stream_version("counter-1");
        if (!version) {
          ++other;
          continue;
        }
        auto r = store().append(
            request("counter-1", ExpectedVersion::exact(*version),
                    {event("Incremented", std::to_string(t) + ":" + std::to_string(i))}));
        if (r) {
          ++successes;
        } else if (r.error().code == ErrorCode::kWrongExpectedVersion) {
          EXPECT_NE(r.error().actual_version.value_or(*version), *version);
          ++conflicts;
        } else {
          ++other;
        }
      }
    });
  }
  for (auto& t : threads)
    t.join();
  EXPECT_EQ(other.load(), 0);
  EXPECT_EQ(successes + conflicts, kThreads * kAttempts);
  EXPECT_GT(successes.load(), 0);
  EXPECT_EQ(*store().stream_version("counter-1"), static_cast<std::uint64_t>(successes.load()));
  EXPECT_EQ(store().last_position(), static_cast<std::uint64_t>(successes.load()));
  auto events = store().read_stream("counter-1", 1, 100000);
  ASSERT_TRUE(events);
  ASSERT_EQ(events->size(), static_cast<std::size_t>(successes.load()));
  for (std::size_t i = 0; i < events->size(); ++i)
    EXPECT_EQ((*events)[i].version, i + 1);
}

TEST_F(ConcurrencyTest, ManyThreadsOnManyStreamsGetGapFreePositions) {
  constexpr int kThreads = 32;
  constexpr int kPerThread = 50;
  std::vector<std::thread> threads;
  std::mutex mu;
  std::set<std::uint64_t> positions;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        auto r = store().append(request("stream-" + std::to_string(t % 8), ExpectedVersion::any(),
                                        {event("E"), event("F")}));
        ASSERT_TRUE(r) << r.error().message;
        std::lock_guard lock(mu);
        EXPECT_TRUE(positions.insert(r->first_position).second);
        EXPECT_TRUE(positions.insert(r->last_position).second);
        EXPECT_EQ(r->last_position, r->first_position + 1);
      }
    });
  }
  for (auto& t : threads)
    t.join();
  const std::uint64_t total = kThreads * kPerThread * 2;
  EXPECT_EQ(positions.size(), total);
  EXPECT_EQ(*positions.begin(), 1u);
  EXPECT_EQ(*positions.rbegin(), total);
  EXPECT_EQ(store().last_position(), total);
  std::uint64_t versions = 0;
  for (int s = 0; s < 8; ++s)
    versions += *store().stream_version("stream-" + std::to_string(s));
  EXPECT_EQ(versions, total);
  auto report = store().verify_chain();
  EXPECT_TRUE(report.ok());
  EXPECT_EQ(report.checked, total);
}

TEST_F(ConcurrencyTest, AsyncAppendsToOneStreamWithExactVersionsAllCommitInOrder) {
  // Queued back to back, exact versions 0..N-1 commit in queue order, several per batch.
  constexpr int kN = 500;
  std::vector<std::promise<Result<AppendResult>>> promises(kN);
  for (int i = 0; i < kN; ++i) {
    store().append_async(
        request("seq-1", ExpectedVersion::exact(static_cast<std::uint64_t>(i)), {event("E")}),
        [&promises, i](Result<AppendResult> r) { promises[i].set_value(std::move(r)); });
  }
  for (int i = 0; i < kN; ++i) {
    auto r = promises[i].get_future().get();
    ASSERT_TRUE(r) << i << ": " << r.error().message;
    EXPECT_EQ(r->stream_version, static_cast<std::uint64_t>(i + 1));
  }
}

}  // namespace
}  // namespace docket::engine
