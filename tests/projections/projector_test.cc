// The Projector's guarantees, with a small counting projection over raw engine events:
// checkpoints commit with rows, exactly once across failures and reopen, version bumps and
// rebuilds start from position 0, read-your-batch, wait_for.
#include "docket/projections/projector.h"

#include <gtest/gtest.h>
#include <rocksdb/db.h>

#include <chrono>
#include <string>
#include <thread>

#include "../engine/full_disk_file_system.h"
#include "../engine/store_fixture.h"
#include "docket/engine/format.h"
#include "docket/engine/reactor.h"

namespace docket::testing {
namespace {

using namespace std::chrono_literals;
using projections::Projection;
using projections::Projector;
using projections::ProjectorOptions;
using projections::Writer;

// Counts events in the row "count" (read back from the batch, so several events per batch add
// up) and keeps one row per event, "e/<u64be position>" -> type. Version 1 also writes "v1".
class Counter final : public Projection {
 public:
  explicit Counter(std::uint32_t version = 1, std::string name = "counter",
                   std::uint64_t fail_at = 0, std::string skipped_category = "ignored")
      : version_(version),
        name_(std::move(name)),
        fail_at_(fail_at),
        skipped_category_(std::move(skipped_category)) {}

  std::string_view name() const override { return name_; }
  std::uint32_t version() const override { return version_; }
  bool wants(const engine::RecordedEvent& event) const override {
    return engine::format::category_of(event.stream) != skipped_category_;
  }
  std::span<const projections::EventKey> applies() const override { return kApplies; }
  std::span<const projections::EventKey> ignores() const override { return kIgnores; }
  engine::Result<void> apply(const engine::RecordedEvent& event, Writer& writer) override {
    if (event.position == fail_at_) {
      fail_at_ = 0;  // fail once
      return unexpected(engine::Error{engine::ErrorCode::kIo, "injected failure", {}, {}});
    }
    auto count = writer.get("count");
    if (!count)
      return unexpected(count.error());
    const std::uint64_t n = count->has_value() ? std::stoull(**count) : 0;
    writer.put("count", std::to_string(n + 1));
    std::string key = "e/";
    engine::format::put_u64be(key, event.position);
    writer.put(key, event.type);
    if (version_ == 1)
      writer.put("v1", "written by version 1");
    return {};
  }
  engine::Result<void> flush(Writer& writer) override {
    std::size_t rows = 0;
    auto scanned = writer.scan("e/", [&](std::string_view, std::string_view) {
      ++rows;
      return true;
    });
    if (!scanned)
      return scanned;
    rows_seen_at_flush_ = rows;
    return {};
  }

  std::size_t rows_seen_at_flush() const { return rows_seen_at_flush_; }

 private:
  static constexpr projections::EventKey kApplies[] = {{"Happened", 1}};
  static constexpr projections::EventKey kIgnores[] = {{"Noted", 1}};

  std::uint32_t version_;
  std::string name_;
  std::uint64_t fail_at_;
  std::string skipped_category_;
  std::size_t rows_seen_at_flush_ = 0;
};

std::vector<std::unique_ptr<Projection>> one(std::unique_ptr<Projection> p) {
  std::vector<std::unique_ptr<Projection>> out;
  out.push_back(std::move(p));
  return out;
}

class ProjectorTest : public StoreTest {
 protected:
  void append(int n, const std::string& stream = "thing-1", const std::string& type = "Happened",
              std::uint32_t schema_version = 1) {
    for (int i = 0; i < n; ++i) {
      auto e = event(type);
      e.schema_version = schema_version;
      auto r = store().append(request(stream, engine::ExpectedVersion::any(), {e}));
      ASSERT_TRUE(r) << r.error().message;
    }
  }

  std::optional<std::string> row(std::string_view projection, const std::string& key) {
    auto* family = store().column_family_if_exists(Projector::family_name(projection));
    if (family == nullptr)
      return std::nullopt;
    std::string value;
    auto s = store().db()->Get(rocksdb::ReadOptions(), family, key, &value);
    if (!s.ok())
      return std::nullopt;
    return value;
  }

  std::uint64_t stored_checkpoint(std::string_view projection) {
    auto cp = engine::read_checkpoint(store(), Projector::checkpoint_key(projection));
    EXPECT_TRUE(cp);
    return cp ? *cp : 0;
  }

  std::optional<std::uint32_t> stored_version(std::string_view projection) {
    auto* family = store().column_family_if_exists(engine::format::kCfCheckpoints);
    std::string value;
    auto s = store().db()->Get(rocksdb::ReadOptions(), family, Projector::version_key(projection),
                               &value);
    if (!s.ok() || value.size() != 4)
      return std::nullopt;
    return engine::format::get_u32be(value);
  }
};

TEST_F(ProjectorTest, CheckpointIsWrittenWithTheRowsAndCatchUpAgainChangesNothing) {
  append(10);
  Projector projector(store(), one(std::make_unique<Counter>()));
  auto caught = projector.catch_up();
  ASSERT_TRUE(caught) << caught.error().message;
  EXPECT_EQ(*caught, 10u);
  EXPECT_EQ(projector.checkpoint("counter"), 10u);
  EXPECT_EQ(stored_checkpoint("counter"), 10u);
  EXPECT_EQ(projector.position(), 10u);
  EXPECT_EQ(row("counter", "count"), "10");

  auto again = projector.catch_up();
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, 0u);
  EXPECT_EQ(row("counter", "count"), "10");
  EXPECT_EQ(stored_checkpoint("counter"), 10u);
}

TEST_F(ProjectorTest, WriterReadsItsOwnBatchBeforeItCommits) {
  append(10);
  auto counter = std::make_unique<Counter>();
  auto* seen = counter.get();
  Projector projector(store(), one(std::move(counter)));
  ASSERT_TRUE(projector.catch_up());
  // One batch: each get() saw the previous event's put, and scan() saw every put row.
  EXPECT_EQ(row("counter", "count"), "10");
  EXPECT_EQ(seen->rows_seen_at_flush(), 10u);
}

// On event 1 writes rows x/0 … x/3; on event 2 erases x/0, overwrites x/2, adds x/4, then
// records what get() and scan() see.
class ScanProbe final : public Projection {
  static constexpr projections::EventKey kApplies[] = {{"Happened", 1}};

 public:
  std::string_view name() const override { return "probe"; }
  std::uint32_t version() const override { return 1; }
  std::span<const projections::EventKey> applies() const override { return kApplies; }
  engine::Result<void> apply(const engine::RecordedEvent& event, Writer& writer) override {
    if (event.position == 1) {
      for (int i = 0; i < 4; ++i)
        writer.put("x/" + std::to_string(i), "stored");
      return {};
    }
    writer.erase("x/0");
    writer.put("x/2", "batch");
    writer.put("x/4", "batch");
    auto erased = writer.get("x/0");
    auto overwritten = writer.get("x/2");
    if (!erased || !overwritten)
      return unexpected(engine::Error{engine::ErrorCode::kIo, "get failed", {}, {}});
    seen_get = (erased->has_value() ? "x/0 " : "") + overwritten->value_or("?");
    seen_scan.clear();
    return writer.scan("x/", [&](std::string_view key, std::string_view value) {
      seen_scan += std::string(key) + "=" + std::string(value) + " ";
      return true;
    });
  }
  std::string seen_get;
  std::string seen_scan;
};

TEST_F(ProjectorTest, WriterMergesTheBatchsPutsAndErasesOverStoredRows) {
  append(2);
  auto probe = std::make_unique<ScanProbe>();
  auto* seen = probe.get();
  ProjectorOptions options;
  options.batch_events = 1;  // event 1's rows are stored when event 2 reads
  Projector projector(store(), one(std::move(probe)), options);
  ASSERT_TRUE(projector.catch_up());
  EXPECT_EQ(seen->seen_get, "batch");
  EXPECT_EQ(seen->seen_scan, "x/1=stored x/2=batch x/3=stored x/4=batch ");
  EXPECT_FALSE(row("probe", "x/0"));
  EXPECT_EQ(row("probe", "x/2"), "batch");
}

TEST_F(ProjectorTest, FailedBatchCommitsNothingAndTheRetryAppliesEachEventOnce) {
  append(10);
  ProjectorOptions options;
  options.batch_events = 4;
  Projector projector(store(), one(std::make_unique<Counter>(1, "counter", 6)), options);
  auto failed = projector.catch_up();
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().message, "injected failure");
  // The first batch (1-4) committed; nothing of the failed batch (5-8) did.
  EXPECT_EQ(stored_checkpoint("counter"), 4u);
  EXPECT_EQ(row("counter", "count"), "4");
  std::string key5 = "e/";
  engine::format::put_u64be(key5, 5);
  EXPECT_FALSE(row("counter", key5));

  auto retried = projector.catch_up();
  ASSERT_TRUE(retried) << retried.error().message;
  EXPECT_EQ(row("counter", "count"), "10");
  EXPECT_EQ(row("counter", key5), "Happened");
  EXPECT_EQ(stored_checkpoint("counter"), 10u);
}

TEST_F(ProjectorTest, AFailureInOneProjectionCommitsNothingOfTheBatchForAnyOther) {
  append(10);
  ProjectorOptions options;
  options.batch_events = 4;
  options.parallel_from_events = 1;  // the two projections on two threads
  std::vector<std::unique_ptr<Projection>> both;
  both.push_back(std::make_unique<Counter>(1, "healthy"));
  both.push_back(std::make_unique<Counter>(1, "failing", 6));
  Projector projector(store(), std::move(both), options);
  ASSERT_FALSE(projector.catch_up());
  EXPECT_EQ(row("healthy", "count"), "4");
  EXPECT_EQ(stored_checkpoint("healthy"), 4u);
  EXPECT_EQ(row("failing", "count"), "4");
  ASSERT_TRUE(projector.catch_up());
  EXPECT_EQ(row("healthy", "count"), "10");
  EXPECT_EQ(row("failing", "count"), "10");
  EXPECT_EQ(projector.position(), 10u);
}

TEST_F(ProjectorTest, EventsAProjectionDoesNotWantStillAdvanceItsCheckpoint) {
  append(3);
  append(2, "ignored-1");
  Projector projector(store(), one(std::make_unique<Counter>()));
  ASSERT_TRUE(projector.catch_up());
  EXPECT_EQ(row("counter", "count"), "3");
  EXPECT_EQ(stored_checkpoint("counter"), 5u);
}

TEST_F(ProjectorTest, DeclaredIgnoredEventsAdvanceTheCheckpointWithoutApplying) {
  append(2);
  append(2, "thing-1", "Noted");
  Projector projector(store(), one(std::make_unique<Counter>()));
  ASSERT_TRUE(projector.catch_up());
  EXPECT_EQ(row("counter", "count"), "2");
  EXPECT_EQ(projector.checkpoint("counter"), 4u);
  EXPECT_TRUE(projector.stopped().empty());
  EXPECT_FALSE(projector.last_error());
}

TEST_F(ProjectorTest, AnUnknownEventStopsTheProjectionJustBeforeItAndSaysWhere) {
  append(2);
  append(1, "thing-1", "Happened", 2);  // a schema version the projection does not know
  append(3);
  std::vector<std::unique_ptr<Projection>> both;
  both.push_back(std::make_unique<Counter>());
  both.push_back(std::make_unique<Counter>(1, "other"));
  Projector projector(store(), std::move(both));
  // A stop is not a failure of the call: the other projections go on.
  ASSERT_TRUE(projector.catch_up());
  EXPECT_EQ(row("counter", "count"), "2");
  EXPECT_EQ(projector.checkpoint("counter"), 2u);
  EXPECT_EQ(stored_checkpoint("counter"), 2u);
  EXPECT_EQ(projector.position(), 2u);  // read-your-writes waits on the stopped one
  EXPECT_FALSE(projector.wait_for(3, 10ms));

  auto stopped = projector.stopped();
  ASSERT_EQ(stopped.size(), 2u);
  EXPECT_EQ(stopped[0].projection, "counter");
  EXPECT_EQ(stopped[0].position, 3u);
  EXPECT_EQ(stopped[0].stream, "thing-1");
  EXPECT_EQ(stopped[0].type, "Happened");
  EXPECT_EQ(stopped[0].schema_version, 2u);
  EXPECT_NE(stopped[0].message.find("Expected projection counter"), std::string::npos);
  EXPECT_NE(stopped[0].message.find("position 3"), std::string::npos);
  EXPECT_NE(stopped[0].message.find("schema version 2"), std::string::npos);
  auto error = projector.last_error();
  ASSERT_TRUE(error);
  EXPECT_EQ(error->code, engine::ErrorCode::kCorruption);
  EXPECT_EQ(error->position, 3u);

  // Stopped, it stays where it is: more events and more catch-ups apply nothing.
  append(2);
  ASSERT_TRUE(projector.catch_up());
  EXPECT_EQ(row("counter", "count"), "2");
  EXPECT_EQ(projector.checkpoint("counter"), 2u);

  // A rebuild meets the same event and says so.
  auto rebuilt = projector.rebuild("counter");
  ASSERT_FALSE(rebuilt);
  EXPECT_EQ(rebuilt.error().code, engine::ErrorCode::kCorruption);
  EXPECT_EQ(rebuilt.error().position, 3u);
}

TEST_F(ProjectorTest, AStopLeavesTheOtherProjectionsGoing) {
  append(2);
  append(1, "odd-1", "Surprise");
  append(2);
  std::vector<std::unique_ptr<Projection>> both;
  both.push_back(std::make_unique<Counter>());
  // This one does not read the stream of the surprise, so never looks at its type.
  both.push_back(std::make_unique<Counter>(1, "evens", 0, "odd"));
  Projector projector(store(), std::move(both));
  ASSERT_TRUE(projector.catch_up());
  EXPECT_EQ(projector.checkpoint("counter"), 2u);
  EXPECT_EQ(projector.checkpoint("evens"), 5u);
  EXPECT_EQ(row("evens", "count"), "4");
  ASSERT_EQ(projector.stopped().size(), 1u);
  EXPECT_EQ(projector.stopped()[0].projection, "counter");
  EXPECT_EQ(projector.stopped()[0].type, "Surprise");
  // A new projector (a program that knows the event) starts it again from its checkpoint.
  Projector again(store(), one(std::make_unique<Counter>(1, "evens", 0, "odd")));
  ASSERT_TRUE(again.catch_up());
  EXPECT_TRUE(again.stopped().empty());
}

TEST_F(ProjectorTest, ReopenKeepsCheckpointsAndAppliesNothingTwice) {
  append(7);
  {
    Projector projector(store(), one(std::make_unique<Counter>()));
    ASSERT_TRUE(projector.catch_up());
  }
  reopen();
  append(3);
  Projector projector(store(), one(std::make_unique<Counter>()));
  EXPECT_EQ(projector.position(), 7u) << "read from the stored checkpoint at construction";
  auto caught = projector.catch_up();
  ASSERT_TRUE(caught);
  EXPECT_EQ(*caught, 3u);
  EXPECT_EQ(row("counter", "count"), "10");
}

TEST_F(ProjectorTest, VersionBumpDropsTheRowsAndRebuildsFromPositionZero) {
  append(10);
  {
    Projector projector(store(), one(std::make_unique<Counter>(1)));
    ASSERT_TRUE(projector.catch_up());
    ASSERT_EQ(row("counter", "v1"), "written by version 1");
    EXPECT_EQ(stored_version("counter"), 1u);
  }
  Projector projector(store(), one(std::make_unique<Counter>(2)));
  EXPECT_EQ(projector.position(), 0u);
  EXPECT_FALSE(row("counter", "v1")) << "the old version's rows are gone";
  EXPECT_EQ(stored_version("counter"), 2u);
  ASSERT_TRUE(projector.catch_up());
  EXPECT_EQ(row("counter", "count"), "10") << "rebuilt from 0, not added to the old count";
  EXPECT_EQ(stored_checkpoint("counter"), 10u);
}

TEST_F(ProjectorTest, RebuildReplaysFromZeroAndUnknownNamesAreNotFound) {
  append(6);
  Projector projector(store(), one(std::make_unique<Counter>()));
  ASSERT_TRUE(projector.catch_up());
  auto rebuilt = projector.rebuild("counter");
  ASSERT_TRUE(rebuilt) << rebuilt.error().message;
  EXPECT_EQ(row("counter", "count"), "6");
  EXPECT_EQ(projector.position(), 6u);
  auto unknown = projector.rebuild("nothing");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, engine::ErrorCode::kNotFound);
  ASSERT_TRUE(projector.rebuild_all());
  EXPECT_EQ(row("counter", "count"), "6");
}

TEST_F(ProjectorTest, ProjectionAddedLaterCatchesUpAloneFromZero) {
  append(5);
  {
    Projector projector(store(), one(std::make_unique<Counter>(1, "old")));
    ASSERT_TRUE(projector.catch_up());
  }
  append(2);
  std::vector<std::unique_ptr<Projection>> both;
  both.push_back(std::make_unique<Counter>(1, "old"));
  both.push_back(std::make_unique<Counter>(1, "new"));
  Projector projector(store(), std::move(both));
  EXPECT_EQ(projector.position(), 0u);
  ASSERT_TRUE(projector.catch_up());
  EXPECT_EQ(row("old", "count"), "7");
  EXPECT_EQ(row("new", "count"), "7");
  EXPECT_EQ(projector.position(), 7u);
}

TEST_F(ProjectorTest, WaitForReturnsOnceCaughtUpAndTimesOutOtherwise) {
  append(5);
  Projector projector(store(), one(std::make_unique<Counter>()));
  EXPECT_FALSE(projector.wait_for(5, 50ms)) << "nobody projects yet";
  EXPECT_TRUE(projector.wait_for(0, 0ms));
  projector.start();
  EXPECT_TRUE(projector.wait_for(5, 20s));
  append(5);
  EXPECT_TRUE(projector.wait_for(store().last_position(), 20s));
  EXPECT_EQ(row("counter", "count"), "10");
  EXPECT_FALSE(projector.wait_for(store().last_position() + 1, 50ms)) << "never committed";
  projector.stop();
  EXPECT_FALSE(projector.last_error());
}

TEST_F(ProjectorTest, LiveThreadRetriesAfterAFailure) {
  append(3);
  ProjectorOptions options;
  options.retry_pause = 10ms;
  Projector projector(store(), one(std::make_unique<Counter>(1, "counter", 2)), options);
  projector.start();
  EXPECT_TRUE(projector.wait_for(3, 20s));
  projector.stop();
  EXPECT_EQ(row("counter", "count"), "3");
}

TEST_F(ProjectorTest, LiveThreadSurvivesAFullDiskAndCatchesUpOnceWritesResume) {
  auto disk = std::make_shared<FullDiskFileSystem>();
  engine::StoreOptions store_options;
  store_options.file_system = disk;
  store_options.recovery_interval = 20ms;
  store_options.resume_free_bytes = 0;
  reopen(store_options);
  append(3);
  ProjectorOptions options;
  options.retry_pause = 10ms;
  Projector projector(store(), one(std::make_unique<Counter>()), options);
  disk->full = true;
  projector.start();
  const auto until = std::chrono::steady_clock::now() + 5s;
  while (!projector.last_error() && std::chrono::steady_clock::now() < until)
    std::this_thread::sleep_for(10ms);
  ASSERT_TRUE(projector.last_error()) << "the projector's write never failed";
  EXPECT_FALSE(store().health().writable);
  EXPECT_LT(projector.position(), 3u);
  disk->full = false;
  EXPECT_TRUE(projector.wait_for(3, 20s)) << store().health().reason;
  projector.stop();
  EXPECT_EQ(row("counter", "count"), "3");
  EXPECT_EQ(stored_checkpoint("counter"), 3u);
}

TEST_F(ProjectorTest, SecondaryStoreCannotHoldProjections) {
  append(2);
  engine::StoreOptions options;
  options.path = dir_.sub("store");
  options.secondary = true;
  options.secondary_path = dir_.sub("secondary");
  auto secondary = engine::EventStore::open(options);
  ASSERT_TRUE(secondary) << secondary.error().message;
  Projector projector(**secondary, one(std::make_unique<Counter>()));
  auto caught = projector.catch_up();
  ASSERT_FALSE(caught);
  EXPECT_EQ(caught.error().code, engine::ErrorCode::kClosed);
}

}  // namespace
}  // namespace docket::testing
