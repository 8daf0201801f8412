// The store refuses to open rather than forget: damage inside the write-ahead log, a log cut
// short of the acknowledged tip, and a checkpoint beyond the log's end are refused with a
// message naming the damage and what to do, and no acknowledged position is ever handed out
// again.
#include <gtest/gtest.h>
#include <rocksdb/db.h>

#include <filesystem>
#include <fstream>

#include "docket/engine/event_store.h"
#include "store_fixture.h"

namespace docket::engine {
namespace {

namespace fs = std::filesystem;
using testing::event;
using testing::request;

class WalDamageTest : public ::testing::Test {
 protected:
  std::string path() const { return dir_.sub("store"); }

  Result<std::unique_ptr<EventStore>> open() {
    StoreOptions options;
    options.path = path();
    return EventStore::open(options);
  }

  // Appends `count` events of about 300 bytes in appends of 20 and closes the store cleanly.
  // The store's memtables hold far more, so every one of them is still only in the WAL.
  std::uint64_t write_and_close(int count) {
    auto store = open();
    EXPECT_TRUE(store) << store.error().message;
    if (!store)
      return 0;
    for (int i = 0; i < count; i += 20) {
      std::vector<ProposedEvent> events;
      for (int k = 0; k < 20; ++k)
        events.push_back(event("Written", std::string(300, static_cast<char>('a' + k))));
      auto r = (*store)->append(
          request("damage-" + std::to_string(i % 7), ExpectedVersion::any(), std::move(events)));
      EXPECT_TRUE(r) << r.error().message;
    }
    return (*store)->last_position();
  }

  // The live write-ahead log: the newest *.log file of the store.
  fs::path live_wal() const {
    fs::path newest;
    for (const auto& entry : fs::directory_iterator(path())) {
      if (entry.path().extension() == ".log" &&
          (newest.empty() || entry.path().filename() > newest.filename()))
        newest = entry.path();
    }
    return newest;
  }

  void change_64_bytes_at(const fs::path& file, double fraction) {
    const auto size = fs::file_size(file);
    const auto offset = static_cast<std::streamoff>(static_cast<double>(size) * fraction);
    std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
    f.seekg(offset);
    std::string bytes(64, '\0');
    f.read(bytes.data(), 64);
    for (auto& c : bytes)
      c = static_cast<char>(c ^ 0x5a);
    f.seekp(offset);
    f.write(bytes.data(), 64);
  }

  // Opening refuses with kCorruption, saying what is damaged and what the operator can do; and
  // it keeps refusing (nothing of the refused open made the damage look healthy).
  void expect_refused(const std::string& damage) {
    for (int attempt = 0; attempt < 2; ++attempt) {
      auto store = open();
      ASSERT_FALSE(store) << "opened at position " << (*store)->last_position()
                          << " despite the damage (attempt " << attempt << ")";
      EXPECT_EQ(store.error().code, ErrorCode::kCorruption);
      const auto& message = store.error().message;
      EXPECT_NE(message.find(damage), std::string::npos) << message;
      EXPECT_NE(message.find("docket restore"), std::string::npos) << message;
      EXPECT_NE(message.find(path()), std::string::npos) << message;
    }
  }

  testing::TempDir dir_;
};

TEST_F(WalDamageTest, SixtyFourBytesChangedAtTenPercentOfTheWalRefusesTheOpen) {
  const auto acknowledged = write_and_close(2000);
  ASSERT_EQ(acknowledged, 2000u);
  const auto wal = live_wal();
  ASSERT_FALSE(wal.empty());
  ASSERT_GT(fs::file_size(wal), 512u << 10);
  change_64_bytes_at(wal, 0.10);
  expect_refused(wal.filename().string());
}

TEST_F(WalDamageTest, SixtyFourBytesChangedAtHalfTheWalRefusesTheOpen) {
  ASSERT_EQ(write_and_close(2000), 2000u);
  const auto wal = live_wal();
  ASSERT_FALSE(wal.empty());
  change_64_bytes_at(wal, 0.50);
  expect_refused(wal.filename().string());
}

TEST_F(WalDamageTest, TheLast256KibOfTheWalCutRefusesTheOpenAndNamesTheMissingPositions) {
  ASSERT_EQ(write_and_close(2000), 2000u);
  const auto wal = live_wal();
  ASSERT_FALSE(wal.empty());
  const auto size = fs::file_size(wal);
  ASSERT_GT(size, 256u << 10);
  fs::resize_file(wal, size - (256u << 10));
  expect_refused("acknowledged event up to position 2000");
}

TEST_F(WalDamageTest, AnUndamagedWalReopensWithEveryEventAndAppendsContinueAfterThem) {
  ASSERT_EQ(write_and_close(400), 400u);
  auto store = open();
  ASSERT_TRUE(store) << store.error().message;
  EXPECT_EQ((*store)->last_position(), 400u);
  auto next = (*store)->append(request("after", ExpectedVersion::any(), {event("Next")}));
  ASSERT_TRUE(next) << next.error().message;
  EXPECT_EQ(next->first_position, 401u);
  EXPECT_TRUE((*store)->verify_chain().ok());
}

// RocksDB's WAL is a sequence of 32 KiB blocks of records, each with a 7-byte header: CRC32C (4),
// length (2, little-endian), type (1 for a whole record). A header of zeros reads as padding:
// RocksDB skips the rest of that block without a word, and only when a record spills into the
// next block does it notice. So this test sizes its appends to make a block end exactly where a
// record ends, then zeroes 64 bytes from the header of that block's second record.
TEST_F(WalDamageTest, ARecordHeaderZeroedInsideTheWalRefusesTheOpen) {
  constexpr std::uint64_t kBlock = 32 * 1024;
  StoreOptions options;
  options.path = path();
  options.sync = false;  // the same WAL bytes, written faster
  auto opened = EventStore::open(options);
  ASSERT_TRUE(opened) << opened.error().message;
  auto& store = **opened;
  const auto wal = live_wal();
  ASSERT_FALSE(wal.empty());
  // Bytes one append of a payload of `size` adds to the WAL.
  auto append = [&](std::size_t size) -> std::uint64_t {
    const auto before = fs::file_size(wal);
    auto r = store.append(
        request("zero-1", ExpectedVersion::any(), {event("Written", std::string(size, 'z'))}));
    EXPECT_TRUE(r) << r.error().message;
    return fs::file_size(wal) - before;
  };
  // Record sizes move in steps of 8 with the payload (the envelope keeps 8-byte alignment).
  constexpr std::size_t kBasePayload = 500;
  append(kBasePayload);
  const auto base = append(kBasePayload);
  const auto smallest = base - (kBasePayload - 200);
  auto append_sized = [&](std::uint64_t bytes) {
    return append(kBasePayload + static_cast<std::size_t>(bytes - base));
  };
  // Appends until the WAL ends where a block ends (less than a header's 7 bytes before it).
  auto end_block = [&] {
    for (int guard = 0; guard < 400; ++guard) {
      const auto left = kBlock - fs::file_size(wal) % kBlock;
      if (left < 7 || left == kBlock)
        return true;
      if (left >= 3 * base) {
        append_sized(base);
        continue;
      }
      bool ended = false;
      for (auto bytes = left; bytes + 6 >= left && bytes >= smallest && !ended; --bytes) {
        if ((bytes - base) % 8 == 0) {
          append_sized(bytes);
          ended = true;
        }
      }
      if (ended)
        continue;
      // No single record lands there: one more record first (or spill over and try again).
      append_sized(base);
    }
    return false;
  };
  while (fs::file_size(wal) < 3 * kBlock)
    append_sized(base);
  ASSERT_TRUE(end_block());
  const auto block = (fs::file_size(wal) + kBlock - 1) / kBlock * kBlock;
  ASSERT_EQ(append_sized(base), block - fs::file_size(wal) + base);  // the block's first record
  const auto second = fs::file_size(wal);
  ASSERT_EQ(second, block + base);
  append_sized(base);
  ASSERT_TRUE(end_block());
  for (int i = 0; i < 10; ++i)
    append_sized(base);
  opened->reset();

  {
    std::fstream f(wal, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(static_cast<std::streamoff>(second));
    const std::string zeros(64, '\0');
    f.write(zeros.data(), 64);
  }
  expect_refused(wal.filename().string());
}

// A checkpoint says a consumer already handled events the log no longer has.
void write_checkpoint(EventStore& store, const std::string& key, std::uint64_t position) {
  std::string value;
  format::put_u64be(value, position);
  auto s = store.db()->Put(rocksdb::WriteOptions(), store.column_family(format::kCfCheckpoints),
                           key, value);
  ASSERT_TRUE(s.ok()) << s.ToString();
}

TEST_F(WalDamageTest, AProjectionCheckpointBeyondTheLogRefusesTheOpen) {
  {
    auto store = open();
    ASSERT_TRUE(store);
    ASSERT_TRUE((*store)->append(request("s-1", ExpectedVersion::any(), {event("A")})));
    write_checkpoint(**store, "projection.cases", 1);
    write_checkpoint(**store, "projection.cases/version", 0x00000001);  // not a position
    write_checkpoint(**store, "projection.filings", 7);
  }
  expect_refused("projection.filings");
}

TEST_F(WalDamageTest, AReactorCheckpointBeyondTheLogRefusesTheOpen) {
  {
    auto store = open();
    ASSERT_TRUE(store);
    ASSERT_TRUE((*store)->append(request("s-1", ExpectedVersion::any(), {event("A")})));
    write_checkpoint(**store, "reactor.notices", 2);
  }
  expect_refused("reactor.notices");
}

TEST_F(WalDamageTest, CheckpointsWithinTheLogOpen) {
  {
    auto store = open();
    ASSERT_TRUE(store);
    ASSERT_TRUE((*store)->append(request("s-1", ExpectedVersion::any(), {event("A"), event("B")})));
    write_checkpoint(**store, "reactor.notices", 2);
    write_checkpoint(**store, "projection.cases", 1);
  }
  auto store = open();
  ASSERT_TRUE(store) << store.error().message;
}

TEST_F(WalDamageTest, AStoreWithoutATipFileOpensAndRecordsOne) {
  ASSERT_EQ(write_and_close(40), 40u);
  const auto tip = fs::path(path()) / std::string(format::kTipFileName);
  ASSERT_TRUE(fs::exists(tip));
  fs::remove(tip);  // a store written before the tip file existed, or a restored backup
  {
    auto store = open();
    ASSERT_TRUE(store) << store.error().message;
    EXPECT_EQ((*store)->last_position(), 40u);
  }
  EXPECT_TRUE(fs::exists(tip));
}

TEST_F(WalDamageTest, ATipFromAnotherLogRefusesTheOpen) {
  testing::TempDir other;
  {
    StoreOptions options;
    options.path = other.sub("store");
    auto store = EventStore::open(options);
    ASSERT_TRUE(store);
    ASSERT_TRUE((*store)->append(request("x", ExpectedVersion::any(), {event("Other")})));
  }
  ASSERT_EQ(write_and_close(40), 40u);
  fs::copy_file(fs::path(other.sub("store")) / std::string(format::kTipFileName),
                fs::path(path()) / std::string(format::kTipFileName),
                fs::copy_options::overwrite_existing);
  expect_refused("chain hash");
}

}  // namespace
}  // namespace docket::engine
