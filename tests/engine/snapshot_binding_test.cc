// Snapshots are caches of the log: one that the log does not back is ignored, and the state is
// folded from the log instead.
#include <gtest/gtest.h>
#include <rocksdb/db.h>

#include <memory>
#include <string>

#include "counter_decider.h"
#include "docket/engine/command_runner.h"
#include "docket/engine/snapshot_store.h"
#include "store_fixture.h"

namespace docket::engine {
namespace {

using testing::CounterDecider;
using testing::CounterState;
using testing::Increment;

class SnapshotBindingTest : public testing::StoreTest {
 protected:
  // 25 increments of one: a snapshot at version 20, the state at 25.
  void make_counter(const std::string& key = {}) {
    RunnerOptions options{100, 8, 10};
    options.snapshot_key = key;
    CommandRunner<CounterDecider> runner(store(), options);
    for (int i = 0; i < 25; ++i)
      ASSERT_TRUE(runner.handle("counter-1", Increment{1}, {"counter-1"}));
  }

  rocksdb::ColumnFamilyHandle* snapshots() { return store().column_family(format::kCfSnapshots); }

  // The stored value of the counter's newest snapshot (at version 20).
  std::string stored_value() {
    std::string value;
    EXPECT_TRUE(store()
                    .db()
                    ->Get(rocksdb::ReadOptions(), snapshots(),
                          format::snapshot_key("counter-1", 20), &value)
                    .ok());
    return value;
  }

  void put_value(std::uint64_t version, const std::string& value) {
    ASSERT_TRUE(store()
                    .db()
                    ->Put(rocksdb::WriteOptions(), snapshots(),
                          format::snapshot_key("counter-1", version), value)
                    .ok());
  }

  static CounterState forged_state() {
    CounterState forged;
    forged.value = 1000;
    forged.events_seen = 20;
    return forged;
  }

  std::int64_t loaded_value(const std::string& key = {}) {
    RunnerOptions options;
    options.snapshot_key = key;
    CommandRunner<CounterDecider> runner(store(), options);
    auto loaded = runner.load("counter-1");
    EXPECT_TRUE(loaded) << (loaded ? "" : loaded.error().message);
    EXPECT_EQ(loaded->version, 25u);
    return loaded ? loaded->state.value : -1;
  }
};

TEST_F(SnapshotBindingTest, ASnapshotWhoseStateBytesWereEditedIsIgnored) {
  make_counter();
  // Replace the state at the end of the stored value (whatever its header) by a forged one of
  // the same size, as someone editing the store outside Docket would.
  auto value = stored_value();
  const auto forged = SnapshotStore::encode(forged_state());
  ASSERT_GE(value.size(), forged.size());
  value.replace(value.size() - forged.size(), forged.size(), forged);
  put_value(20, value);
  const auto ignored_before = SnapshotStore::ignored_total();
  EXPECT_EQ(loaded_value(), 25);
  EXPECT_EQ(SnapshotStore::ignored_total(), ignored_before + 1);
}

TEST_F(SnapshotBindingTest, ASnapshotWhoseEventHashDiffersFromTheLogIsIgnored) {
  make_counter();
  auto at20 = store().read_stream("counter-1", 20, 1);
  ASSERT_TRUE(at20 && at20->size() == 1);
  SnapshotStore store_snapshots(store());
  auto wrong_hash = at20->front().hash;
  wrong_hash[0] ^= 0x01;
  ASSERT_TRUE(
      store_snapshots.save("counter-1", {20, CounterDecider::kStateVersion, at20->front().position,
                                         wrong_hash, SnapshotStore::encode(forged_state())}));
  auto bound = store_snapshots.load("counter-1");
  ASSERT_TRUE(bound);
  EXPECT_FALSE(bound->has_value());
  EXPECT_EQ(loaded_value(), 25);
}

TEST_F(SnapshotBindingTest, ASnapshotNamingAnotherStreamsEventOrAVersionBeyondTheLogIsIgnored) {
  make_counter();
  ASSERT_TRUE(store().append(
      testing::request("other-1", ExpectedVersion::any(), {testing::event("Incremented", "7")})));
  auto other = store().read_stream("other-1", 1, 1);
  ASSERT_TRUE(other && other->size() == 1);
  SnapshotStore snapshots(store());
  // Another stream's event, with its true hash.
  ASSERT_TRUE(
      snapshots.save("counter-1", {20, CounterDecider::kStateVersion, other->front().position,
                                   other->front().hash, SnapshotStore::encode(forged_state())}));
  EXPECT_EQ(loaded_value(), 25);
  // A version the stream never reached: nothing after it would be folded.
  auto at25 = store().read_stream("counter-1", 25, 1);
  ASSERT_TRUE(at25 && at25->size() == 1);
  ASSERT_TRUE(
      snapshots.save("counter-1", {999, CounterDecider::kStateVersion, at25->front().position,
                                   at25->front().hash, SnapshotStore::encode(forged_state())}));
  CommandRunner<CounterDecider> runner(store());
  auto loaded = runner.load("counter-1");
  ASSERT_TRUE(loaded);
  EXPECT_EQ(loaded->state.value, 25);
  EXPECT_EQ(loaded->version, 25u);
}

TEST_F(SnapshotBindingTest, AnOldLayoutSnapshotIsIgnoredSafely) {
  make_counter();
  // The first layout: u32be state version || cereal state, with nothing tying it to the chain.
  std::string old;
  format::put_u32be(old, CounterDecider::kStateVersion);
  old += SnapshotStore::encode(forged_state());
  put_value(24, old);
  put_value(30, old.substr(0, 3));  // and a truncated one
  EXPECT_EQ(loaded_value(), 25);
}

TEST_F(SnapshotBindingTest, ASnapshotSealedWithAnotherKeyIsIgnored) {
  make_counter("the server's snapshot key");
  // With the key it was sealed under, the snapshot is used (its state equals the fold).
  const auto ignored_before = SnapshotStore::ignored_total();
  EXPECT_EQ(loaded_value("the server's snapshot key"), 25);
  EXPECT_EQ(SnapshotStore::ignored_total(), ignored_before);
  // Someone without the key re-seals a forged state with the unkeyed seal: refused under the key.
  auto at20 = store().read_stream("counter-1", 20, 1);
  ASSERT_TRUE(at20 && at20->size() == 1);
  SnapshotStore unkeyed(store());
  ASSERT_TRUE(
      unkeyed.save("counter-1", {20, CounterDecider::kStateVersion, at20->front().position,
                                 at20->front().hash, SnapshotStore::encode(forged_state())}));
  EXPECT_EQ(loaded_value("the server's snapshot key"), 25);
  EXPECT_EQ(SnapshotStore::ignored_total(), ignored_before + 1);
}

TEST_F(SnapshotBindingTest, ScanListsEverySnapshotAndCheckChainNamesWhatDiffers) {
  make_counter();
  SnapshotStore snapshots(store());
  int seen = 0;
  ASSERT_TRUE(snapshots.scan([&](const StoredSnapshot& s) {
    ++seen;
    EXPECT_EQ(s.stream, "counter-1");
    EXPECT_EQ(s.record.version, 20u);
    EXPECT_TRUE(s.problem.empty()) << s.problem;
    auto chain = snapshots.check_chain(s.stream, s.record);
    EXPECT_TRUE(chain && chain->empty());
    auto moved = s.record;
    moved.position += 1;
    auto differs = snapshots.check_chain(s.stream, moved);
    EXPECT_TRUE(differs && !differs->empty());
    return true;
  }));
  EXPECT_EQ(seen, 1);
}

}  // namespace
}  // namespace docket::engine
