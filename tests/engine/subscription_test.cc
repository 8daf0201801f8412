#include <gtest/gtest.h>

#include <thread>

#include "docket/engine/event_store.h"
#include "store_fixture.h"

namespace docket::engine {
namespace {

using namespace std::chrono_literals;
using testing::event;
using testing::request;

class SubscriptionTest : public testing::StoreTest {};

TEST_F(SubscriptionTest, CatchesUpFromAPositionThenFollowsLiveAppends) {
  for (int i = 0; i < 10; ++i)
    ASSERT_TRUE(store().append(request("s-1", ExpectedVersion::any(), {event("E")})));
  auto sub = store().subscribe(4);
  auto first = sub->next(3, 0ms);
  ASSERT_TRUE(first);
  ASSERT_EQ(first->size(), 3u);
  EXPECT_EQ(first->front().position, 5u);
  auto rest = sub->next(100, 0ms);
  ASSERT_TRUE(rest);
  ASSERT_EQ(rest->size(), 3u);
  EXPECT_EQ(rest->back().position, 10u);

  std::thread writer([&] {
    std::this_thread::sleep_for(50ms);
    ASSERT_TRUE(store().append(request("s-2", ExpectedVersion::any(), {event("Live")})));
  });
  auto live = sub->next(100, 5000ms);
  writer.join();
  ASSERT_TRUE(live);
  ASSERT_EQ(live->size(), 1u);
  EXPECT_EQ(live->front().type, "Live");
  EXPECT_EQ(live->front().position, 11u);
  EXPECT_EQ(sub->position(), 11u);
}

TEST_F(SubscriptionTest, FiltersByCategory) {
  for (int i = 0; i < 6; ++i) {
    ASSERT_TRUE(store().append(
        request(i % 2 ? "case-1" : "filing-1", ExpectedVersion::any(), {event("E")})));
  }
  auto sub = store().subscribe(0, "case");
  auto got = sub->next(100, 0ms);
  ASSERT_TRUE(got);
  ASSERT_EQ(got->size(), 3u);
  for (const auto& e : *got)
    EXPECT_EQ(e.stream, "case-1");
  EXPECT_EQ(sub->position(), 6u);
  auto nothing = sub->next(100, 10ms);
  ASSERT_TRUE(nothing);
  EXPECT_TRUE(nothing->empty());
}

TEST_F(SubscriptionTest, ASlowSubscriberNeverBlocksTheWriterAndReadsEverythingLater) {
  auto sub = store().subscribe(0);
  // The subscriber reads nothing while 3000 events are appended: the writer must not wait.
  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < 300; ++i) {
    std::vector<ProposedEvent> events(10, event("E", std::string(200, 'x')));
    ASSERT_TRUE(
        store().append(request("s-" + std::to_string(i % 7), ExpectedVersion::any(), events)));
  }
  EXPECT_LT(std::chrono::steady_clock::now() - start, 60s);
  std::uint64_t expected = 1;
  for (;;) {
    auto batch = sub->next(64, 0ms);
    ASSERT_TRUE(batch);
    if (batch->empty())
      break;
    EXPECT_LE(batch->size(), 64u);  // the subscriber's buffer is bounded by what it asks for
    for (const auto& e : *batch)
      EXPECT_EQ(e.position, expected++);
  }
  EXPECT_EQ(expected, 3001u);
}

TEST_F(SubscriptionTest, CloseWakesABlockedConsumer) {
  auto sub = store().subscribe(0);
  std::thread closer([&] {
    std::this_thread::sleep_for(50ms);
    sub->close();
  });
  auto start = std::chrono::steady_clock::now();
  auto r = sub->next(10, 30s);
  closer.join();
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->empty());
  EXPECT_LT(std::chrono::steady_clock::now() - start, 10s);
}

}  // namespace
}  // namespace docket::engine
