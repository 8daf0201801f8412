#include "docket/engine/event_store.h"

#include <gtest/gtest.h>
#include <rocksdb/db.h>

#include <future>

#include "store_fixture.h"

namespace docket::engine {
namespace {

using testing::event;
using testing::request;

class EventStoreTest : public testing::StoreTest {};

TEST_F(EventStoreTest, AppendAssignsGapFreePositionsAndStreamVersions) {
  auto a =
      store().append(request("filing-1", ExpectedVersion::no_stream(), {event("A"), event("B")}));
  ASSERT_TRUE(a) << a.error().message;
  EXPECT_EQ(a->first_position, 1u);
  EXPECT_EQ(a->last_position, 2u);
  EXPECT_EQ(a->stream_version, 2u);
  auto b = store().append(request("case-9", ExpectedVersion::any(), {event("C")}));
  ASSERT_TRUE(b);
  EXPECT_EQ(b->first_position, 3u);
  EXPECT_EQ(b->stream_version, 1u);
  EXPECT_EQ(store().last_position(), 3u);

  auto all = store().read_all(1, 100);
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 3u);
  for (std::size_t i = 0; i < all->size(); ++i)
    EXPECT_EQ((*all)[i].position, i + 1);
  EXPECT_EQ((*all)[0].stream, "filing-1");
  EXPECT_EQ((*all)[1].version, 2u);
  EXPECT_EQ((*all)[2].type, "C");
  EXPECT_EQ((*all)[0].recorded_at_us, clock_.now_us());
  EXPECT_EQ((*all)[0].actor.id, "tester");
}

TEST_F(EventStoreTest, WrongExpectedVersionReportsTheActualVersionAndWritesNothing) {
  ASSERT_TRUE(store().append(request("s-1", ExpectedVersion::no_stream(), {event("A")})));
  auto again = store().append(request("s-1", ExpectedVersion::no_stream(), {event("B")}));
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::kWrongExpectedVersion);
  EXPECT_EQ(again.error().actual_version, 1u);
  EXPECT_NE(again.error().message.find("Expected"), std::string::npos);

  auto stale = store().append(request("s-1", ExpectedVersion::exact(5), {event("B")}));
  ASSERT_FALSE(stale);
  EXPECT_EQ(stale.error().actual_version, 1u);

  auto exact = store().append(request("s-1", ExpectedVersion::exact(1), {event("B")}));
  ASSERT_TRUE(exact);
  EXPECT_EQ(exact->stream_version, 2u);
  EXPECT_EQ(store().last_position(), 2u);
  EXPECT_EQ(*store().stream_version("s-1"), 2u);
  EXPECT_EQ(*store().stream_version("s-2"), 0u);
}

TEST_F(EventStoreTest, RepeatedIdempotencyKeyReturnsTheFirstResultAndWritesNothing) {
  auto r1 = request("s-1", ExpectedVersion::any(), {event("A")});
  r1.idempotency_key = "key-1";
  auto first = store().append(r1);
  ASSERT_TRUE(first);
  EXPECT_FALSE(first->deduplicated);
  auto second = store().append(r1);
  ASSERT_TRUE(second);
  EXPECT_TRUE(second->deduplicated);
  EXPECT_EQ(second->first_position, first->first_position);
  EXPECT_EQ(second->stream_version, first->stream_version);
  EXPECT_EQ(store().last_position(), 1u);

  // Survives a restart.
  reopen();
  auto third = store().append(r1);
  ASSERT_TRUE(third);
  EXPECT_TRUE(third->deduplicated);
  EXPECT_EQ(store().last_position(), 1u);
}

TEST_F(EventStoreTest, SameIdempotencyKeyTwiceInOneBatchWritesOnce) {
  std::vector<std::future<Result<AppendResult>>> futures;
  std::vector<std::promise<Result<AppendResult>>> promises(20);
  for (auto& p : promises) {
    futures.push_back(p.get_future());
    auto r = request("s-1", ExpectedVersion::any(), {event("A")});
    r.idempotency_key = "same";
    store().append_async(std::move(r),
                         [&p](Result<AppendResult> res) { p.set_value(std::move(res)); });
  }
  int written = 0;
  for (auto& f : futures) {
    auto r = f.get();
    ASSERT_TRUE(r);
    if (!r->deduplicated)
      ++written;
  }
  EXPECT_EQ(written, 1);
  EXPECT_EQ(store().last_position(), 1u);
}

TEST_F(EventStoreTest, RejectsMalformedRequestsWithoutWriting) {
  auto empty = store().append(request("", ExpectedVersion::any(), {event("A")}));
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.error().code, ErrorCode::kInvalidArgument);
  auto nul = store().append(request(std::string("a\0b", 3), ExpectedVersion::any(), {event("A")}));
  ASSERT_FALSE(nul);
  EXPECT_EQ(nul.error().code, ErrorCode::kInvalidArgument);
  auto no_type = store().append(request("s-1", ExpectedVersion::any(), {event("")}));
  ASSERT_FALSE(no_type);
  auto big = store().append(
      request("s-1", ExpectedVersion::any(), {event("A", std::string(5u << 20, 'x'))}));
  ASSERT_FALSE(big);
  EXPECT_EQ(big.error().code, ErrorCode::kTooLarge);
  EXPECT_EQ(store().last_position(), 0u);
}

// A caller's own bookkeeping goes into the append's atomic write: written exactly when the
// events are, never when the append is refused or deduplicated, and never into a core family.
TEST_F(EventStoreTest, SideWritesAreWrittenExactlyWhenTheEventsAre) {
  auto* family = store().column_family("caller.records");
  ASSERT_NE(family, nullptr);
  auto value_of = [&](const std::string& key) {
    std::string value;
    return store().db()->Get(rocksdb::ReadOptions(), family, key, &value).ok() ? value : "-";
  };
  auto r1 = request("s-1", ExpectedVersion::no_stream(), {event("A")});
  r1.idempotency_key = "key-1";
  r1.side_writes = {{"caller.records", "k1", "first"}};
  ASSERT_TRUE(store().append(r1));
  EXPECT_EQ(value_of("k1"), "first");

  // Deduplicated: nothing of it is written.
  auto repeat = r1;
  repeat.side_writes = {{"caller.records", "k1", "second"}};
  auto again = store().append(repeat);
  ASSERT_TRUE(again);
  EXPECT_TRUE(again->deduplicated);
  EXPECT_EQ(value_of("k1"), "first");

  // Refused by its expected version: nothing either.
  auto stale = request("s-1", ExpectedVersion::no_stream(), {event("B")});
  stale.side_writes = {{"caller.records", "k2", "x"}};
  ASSERT_FALSE(store().append(stale));
  EXPECT_EQ(value_of("k2"), "-");

  // An append of no event writes its side writes (an empty value erases), and survives a reopen.
  auto erase = request("s-1", ExpectedVersion::any(), {});
  erase.side_writes = {{"caller.records", "k1", ""}, {"caller.records", "k3", "third"}};
  ASSERT_TRUE(store().append(erase));
  reopen();
  family = store().column_family("caller.records");
  EXPECT_EQ(value_of("k1"), "-");
  EXPECT_EQ(value_of("k3"), "third");

  // The store's own families and families that do not exist are refused, writing nothing.
  for (const std::string name : {"log", "idempotency", "credentials", "no.such.family"}) {
    auto bad = request("s-2", ExpectedVersion::any(), {event("C")});
    bad.side_writes = {{name, "k4", "x"}};
    auto refused = store().append(bad);
    ASSERT_FALSE(refused) << name;
    EXPECT_EQ(refused.error().code, ErrorCode::kInvalidArgument) << name;
    EXPECT_NE(refused.error().message.find("Expected a side write"), std::string::npos);
  }
  EXPECT_EQ(*store().stream_version("s-2"), 0u);
  EXPECT_EQ(store().last_position(), 1u);
}

// Events are stamped with the time their command was decided, when it says so, and never with a
// time earlier than the record before them: a later decision committed first, or the clock set
// back, gives its predecessor's time, also after a reopen.
TEST_F(EventStoreTest, RecordedTimesFollowTheDecisionAndNeverGoBack) {
  const std::int64_t t0 = clock_.now_us();
  auto decided = request("s-1", ExpectedVersion::any(), {event("A")});
  decided.decided_at_us = t0 - 250;
  auto a = store().append(decided);
  ASSERT_TRUE(a);
  EXPECT_EQ(a->recorded_at_us, t0 - 250);

  auto earlier = request("s-2", ExpectedVersion::any(), {event("B")});
  earlier.decided_at_us = t0 - 900;  // decided before the first, committed after it
  auto b = store().append(earlier);
  ASSERT_TRUE(b);
  EXPECT_EQ(b->recorded_at_us, t0 - 250);

  auto plain = store().append(request("s-3", ExpectedVersion::any(), {event("C")}));
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->recorded_at_us, t0);

  reopen();
  clock_.set(t0 - 1'000'000);  // set back by a second
  auto after = store().append(request("s-4", ExpectedVersion::any(), {event("D")}));
  ASSERT_TRUE(after);
  EXPECT_EQ(after->recorded_at_us, t0);
  auto all = store().read_all(1, 10);
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 4u);
  for (std::size_t i = 1; i < all->size(); ++i)
    EXPECT_GE((*all)[i].recorded_at_us, (*all)[i - 1].recorded_at_us) << i;
}

// Regression: the stream index key is `stream id || 0x00 || version`, so reading "X\0" found the
// rows of stream "X". Every read refuses NUL and control bytes in a stream id or category.
TEST_F(EventStoreTest, ReadsRefuseNulAndControlBytesInStreamIds) {
  ASSERT_TRUE(store().append(request("filing-x", ExpectedVersion::any(), {event("A")})));
  for (const std::string& bad : {std::string("filing-x\0", 9), std::string("filing-x\0\0", 10),
                                 std::string("filing-x\n"), std::string("filing-\x7f")}) {
    auto forward = store().read_stream(bad, 0, 10, Direction::kForward);
    ASSERT_FALSE(forward) << "read " << bad.size() << " bytes";
    EXPECT_EQ(forward.error().code, ErrorCode::kInvalidArgument);
    auto backward = store().read_stream(bad, UINT64_MAX, 10, Direction::kBackward);
    ASSERT_FALSE(backward);
    EXPECT_EQ(backward.error().code, ErrorCode::kInvalidArgument);
    auto version = store().stream_version(bad);
    ASSERT_FALSE(version);
    EXPECT_EQ(version.error().code, ErrorCode::kInvalidArgument);
    auto appended = store().append(request(bad, ExpectedVersion::any(), {event("B")}));
    ASSERT_FALSE(appended);
    EXPECT_EQ(appended.error().code, ErrorCode::kInvalidArgument);
  }
  auto category = store().read_category(std::string("filing\0", 7), 0, 10);
  ASSERT_FALSE(category);
  EXPECT_EQ(category.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(store().last_position(), 1u);
  EXPECT_EQ(store().read_stream("filing-x", 0, 10, Direction::kForward)->size(), 1u);
}

TEST_F(EventStoreTest, ReadsStreamsForwardBackwardAndByCategory) {
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(store().append(
        request("filing-1", ExpectedVersion::any(), {event("F" + std::to_string(i))})));
    ASSERT_TRUE(store().append(
        request("case-1", ExpectedVersion::any(), {event("C" + std::to_string(i))})));
    ASSERT_TRUE(store().append(
        request("filing-2", ExpectedVersion::any(), {event("G" + std::to_string(i))})));
  }
  auto fwd = store().read_stream("filing-1", 2, 2);
  ASSERT_TRUE(fwd);
  ASSERT_EQ(fwd->size(), 2u);
  EXPECT_EQ((*fwd)[0].version, 2u);
  EXPECT_EQ((*fwd)[0].type, "F1");
  EXPECT_EQ((*fwd)[1].type, "F2");

  auto back = store().read_stream("filing-1", UINT64_MAX, 10, Direction::kBackward);
  ASSERT_TRUE(back);
  ASSERT_EQ(back->size(), 5u);
  EXPECT_EQ(back->front().type, "F4");
  EXPECT_EQ(back->back().type, "F0");

  auto back_from = store().read_stream("filing-1", 3, 10, Direction::kBackward);
  ASSERT_TRUE(back_from);
  ASSERT_EQ(back_from->size(), 3u);
  EXPECT_EQ(back_from->front().version, 3u);

  // "filing-1" must not leak into "filing-10"-like prefixes nor other streams.
  auto none = store().read_stream("filing-", 1, 10);
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->empty());

  auto filings = store().read_category("filing", 1, 100);
  ASSERT_TRUE(filings);
  ASSERT_EQ(filings->size(), 10u);
  for (std::size_t i = 1; i < filings->size(); ++i)
    EXPECT_LT((*filings)[i - 1].position, (*filings)[i].position);
  auto later = store().read_category("case", 10, 100);
  ASSERT_TRUE(later);
  for (const auto& e : *later)
    EXPECT_GE(e.position, 10u);
  EXPECT_EQ(later->size(), 2u);  // positions 11 and 14

  auto one = store().read_event(2);
  ASSERT_TRUE(one);
  EXPECT_EQ(one->stream, "case-1");
  EXPECT_EQ(store().read_event(999).error().code, ErrorCode::kNotFound);
}

TEST_F(EventStoreTest, PositionsAndChainSurviveReopen) {
  ASSERT_TRUE(store().append(request("s-1", ExpectedVersion::any(), {event("A"), event("B")})));
  reopen();
  EXPECT_EQ(store().last_position(), 2u);
  auto r = store().append(request("s-1", ExpectedVersion::exact(2), {event("C")}));
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->first_position, 3u);
  auto report = store().verify_chain();
  EXPECT_TRUE(report.ok());
  EXPECT_EQ(report.checked, 3u);
}

TEST_F(EventStoreTest, ZeroEventAppendWritesNoRecord) {
  auto r = store().append(request("s-1", ExpectedVersion::any(), {}));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->first_position, 0u);
  EXPECT_EQ(store().last_position(), 0u);
}

// The writer's cache of stream heads is bounded by bytes: appends to many streams keep it within
// its bound, and a stream whose head was evicted is checked against its head in the store.
TEST_F(EventStoreTest, TheHeadCacheStaysWithinItsByteBound) {
  StoreOptions options;
  options.head_cache_bytes = 4096;
  reopen(options);
  constexpr int kStreams = 300;
  for (int s = 0; s < kStreams; ++s) {
    auto r = store().append(
        request("case-" + std::to_string(s), ExpectedVersion::no_stream(), {event("A")}));
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_LE(store().stats().head_cache_bytes, options.head_cache_bytes);
  }
  const auto stats = store().stats();
  EXPECT_GT(stats.head_cache_entries, 0u);
  EXPECT_LT(stats.head_cache_entries, static_cast<std::uint64_t>(kStreams)) << "some evicted";
  for (int s = 0; s < kStreams; ++s) {
    const auto stream = "case-" + std::to_string(s);
    auto wrong = store().append(request(stream, ExpectedVersion::no_stream(), {event("B")}));
    ASSERT_FALSE(wrong) << stream << " exists, cached or not";
    EXPECT_EQ(wrong.error().code, ErrorCode::kWrongExpectedVersion);
    auto right = store().append(request(stream, ExpectedVersion::exact(1), {event("B")}));
    ASSERT_TRUE(right) << right.error().message;
    EXPECT_EQ(right->stream_version, 2u);
  }
  EXPECT_LE(store().stats().head_cache_bytes, options.head_cache_bytes);
}

// Many appends queued at once land in shared batches: a head evicted in the middle of a batch
// never lets a stream's versions repeat or skip.
TEST_F(EventStoreTest, StreamVersionsStayGapFreeWhenHeadsAreEvictedWithinABatch) {
  StoreOptions options;
  options.head_cache_bytes = 1024;
  reopen(options);
  constexpr int kStreams = 40;
  constexpr int kRounds = 10;
  std::vector<std::future<Result<AppendResult>>> pending;
  for (int round = 0; round < kRounds; ++round) {
    for (int s = 0; s < kStreams; ++s) {
      auto done = std::make_shared<std::promise<Result<AppendResult>>>();
      pending.push_back(done->get_future());
      store().append_async(
          request("case-" + std::to_string(s), ExpectedVersion::any(), {event("A")}),
          [done](Result<AppendResult> r) { done->set_value(std::move(r)); });
    }
  }
  for (auto& f : pending) {
    auto r = f.get();
    ASSERT_TRUE(r) << r.error().message;
  }
  for (int s = 0; s < kStreams; ++s) {
    auto events = store().read_stream("case-" + std::to_string(s), 1, 100);
    ASSERT_TRUE(events) << events.error().message;
    ASSERT_EQ(events->size(), static_cast<std::size_t>(kRounds));
    for (std::size_t i = 0; i < events->size(); ++i)
      EXPECT_EQ((*events)[i].version, i + 1);
  }
  EXPECT_LE(store().stats().head_cache_bytes, options.head_cache_bytes);
}

}  // namespace
}  // namespace docket::engine
