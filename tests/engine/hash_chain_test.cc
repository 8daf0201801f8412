#include <gtest/gtest.h>
#include <rocksdb/db.h>

#include "docket/engine/event_store.h"
#include "docket/engine/sha256.h"
#include "store_fixture.h"

namespace docket::engine {
namespace {

using testing::event;
using testing::request;

class HashChainTest : public testing::StoreTest {
 protected:
  void fill(int n) {
    for (int i = 0; i < n; ++i) {
      ASSERT_TRUE(store().append(request("s-" + std::to_string(i % 3), ExpectedVersion::any(),
                                         {event("E", "payload-" + std::to_string(i))})));
    }
  }
  std::string raw(std::uint64_t position) {
    std::string v;
    EXPECT_TRUE(store()
                    .db()
                    ->Get(rocksdb::ReadOptions(), store().column_family(format::kCfLog),
                          format::log_key(position), &v)
                    .ok());
    return v;
  }
  void put_raw(std::uint64_t position, const std::string& value) {
    ASSERT_TRUE(store()
                    .db()
                    ->Put(rocksdb::WriteOptions(), store().column_family(format::kCfLog),
                          format::log_key(position), value)
                    .ok());
  }
};

TEST_F(HashChainTest, EachRecordStoresSha256OfPreviousHashAndEnvelope) {
  fill(5);
  format::Hash previous = format::kGenesisHash;
  for (std::uint64_t p = 1; p <= 5; ++p) {
    auto value = raw(p);
    auto envelope = std::string_view(value).substr(32);
    std::string input(reinterpret_cast<const char*>(previous.data()), 32);
    input.append(envelope);
    auto expected = sha256(input);
    EXPECT_EQ(to_hex(std::string_view(value).substr(0, 32)), to_hex(expected)) << "position " << p;
    previous = expected;
  }
  auto report = store().verify_chain();
  EXPECT_TRUE(report.ok());
  EXPECT_EQ(report.checked, 5u);
  EXPECT_EQ(to_hex(report.tip), to_hex(previous));
}

TEST_F(HashChainTest, VerifyNamesTheRecordWhoseByteWasChanged) {
  fill(10);
  for (std::size_t offset : {std::size_t{40}, std::size_t{100}}) {
    auto value = raw(7);
    ASSERT_GT(value.size(), offset);
    auto tampered = value;
    tampered[offset] = static_cast<char>(tampered[offset] ^ 0x01);
    put_raw(7, tampered);
    auto report = store().verify_chain();
    ASSERT_FALSE(report.ok());
    EXPECT_EQ(report.failure->position, 7u) << report.failure->message;
    EXPECT_EQ(report.last_position, 6u);
    put_raw(7, value);
  }
  EXPECT_TRUE(store().verify_chain().ok());
}

TEST_F(HashChainTest, VerifyNamesATamperedStoredHash) {
  fill(4);
  auto value = raw(2);
  value[3] = static_cast<char>(value[3] ^ 0x80);
  put_raw(2, value);
  auto report = store().verify_chain();
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.failure->position, 2u);
}

TEST_F(HashChainTest, VerifyNamesARemovedRecord) {
  fill(6);
  ASSERT_TRUE(store()
                  .db()
                  ->Delete(rocksdb::WriteOptions(), store().column_family(format::kCfLog),
                           format::log_key(4))
                  .ok());
  auto report = store().verify_chain();
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.failure->position, 4u);
  EXPECT_NE(report.failure->message.find("Expected position 4"), std::string::npos);
}

TEST_F(HashChainTest, ChainContinuesAcrossReopen) {
  fill(3);
  reopen();
  fill(3);
  auto report = store().verify_chain();
  EXPECT_TRUE(report.ok()) << report.failure->message;
  EXPECT_EQ(report.checked, 6u);
}

}  // namespace
}  // namespace docket::engine

namespace docket::engine {
namespace {

// Large logs verify in segments on several threads; the first bad position must still be named,
// wherever it falls relative to the segment boundaries.
class LargeHashChainTest : public testing::StoreTest {
 protected:
  void SetUp() override {
    StoreOptions options;
    options.sync = false;
    reopen(options);
    for (int i = 0; i < 800; ++i) {
      std::vector<ProposedEvent> events(100, testing::event("E", "p" + std::to_string(i)));
      ASSERT_TRUE(store().append(
          testing::request("big-" + std::to_string(i % 10), ExpectedVersion::any(), events)));
    }
    ASSERT_EQ(store().last_position(), 80'000u);
  }
  rocksdb::ColumnFamilyHandle* log() { return store().column_family(format::kCfLog); }
};

TEST_F(LargeHashChainTest, VerifiesInSegmentsAndNamesTheFirstBadPosition) {
  auto clean = store().verify_chain();
  ASSERT_TRUE(clean.ok()) << clean.failure->message;
  EXPECT_EQ(clean.checked, 80'000u);
  for (std::uint64_t victim :
       {std::uint64_t{40'000}, std::uint64_t{40'001}, std::uint64_t{79'999}, std::uint64_t{3}}) {
    std::string value;
    ASSERT_TRUE(
        store().db()->Get(rocksdb::ReadOptions(), log(), format::log_key(victim), &value).ok());
    auto tampered = value;
    tampered[60] = static_cast<char>(tampered[60] ^ 0x10);
    ASSERT_TRUE(
        store().db()->Put(rocksdb::WriteOptions(), log(), format::log_key(victim), tampered).ok());
    auto report = store().verify_chain();
    ASSERT_FALSE(report.ok());
    EXPECT_EQ(report.failure->position, victim);
    EXPECT_EQ(report.checked, victim - 1);
    ASSERT_TRUE(
        store().db()->Put(rocksdb::WriteOptions(), log(), format::log_key(victim), value).ok());
  }
  ASSERT_TRUE(store().db()->Delete(rocksdb::WriteOptions(), log(), format::log_key(40'000)).ok());
  auto gap = store().verify_chain();
  ASSERT_FALSE(gap.ok());
  EXPECT_EQ(gap.failure->position, 40'000u);
}

}  // namespace
}  // namespace docket::engine
