// Format 3 keeps credentials in the `credentials` family, outside the hash chain. Stores of
// formats 1 and 2 held password hashes and API-key digests in their events: they are refused at
// open, by the writer and by a reader alike, with a message that says what to do. Format 4 lets
// an idempotency value carry the command's recorded rejection: a format-3 store is upgraded.
#include <gtest/gtest.h>
#include <rocksdb/db.h>

#include <string>

#include "docket/engine/blob_store.h"
#include "docket/engine/format.h"
#include "format1_store.h"
#include "store_fixture.h"

namespace docket::engine {
namespace {

class StoreFormatTest : public testing::StoreTest {
 protected:
  std::string format_version() {
    std::string value;
    auto s = store().db()->Get(rocksdb::ReadOptions(),
                               store().column_family_if_exists(format::kCfDefault),
                               format::kMetaFormatVersionKey, &value);
    EXPECT_TRUE(s.ok()) << s.ToString();
    return value;
  }

  // Records `version` as the store's format version (the store must be open).
  void record_format(const std::string& version) {
    auto s = store().db()->Put(rocksdb::WriteOptions(),
                               store().column_family_if_exists(format::kCfDefault),
                               format::kMetaFormatVersionKey, version);
    ASSERT_TRUE(s.ok()) << s.ToString();
  }

  Result<std::unique_ptr<EventStore>> open_again(bool secondary) {
    StoreOptions options;
    options.path = dir_.sub("store");
    options.clock = &clock_;
    options.secondary = secondary;
    options.secondary_path = dir_.sub("secondary");
    return EventStore::open(options);
  }
};

TEST_F(StoreFormatTest, ANewStoreIsOfFormatFourWithACredentialsFamily) {
  EXPECT_EQ(format_version(), "4");
  EXPECT_NE(store().column_family_if_exists(format::kCfCredentials), nullptr);
}

TEST_F(StoreFormatTest, AnUploadOfFourKibibytesAndARestartLeaveNoBlobFiles) {
  BlobStore blobs(store(), BlobOptions{1u << 20, 64u << 10});
  auto info = blobs.put(std::string(100'000, 'x'), "application/pdf");
  ASSERT_TRUE(info) << info.error().message;
  reopen();  // a restart flushes the memtable, where blob files were made
  EXPECT_EQ(testing::blob_files_in(dir_.sub("store")), 0u);
  BlobStore again(store());
  EXPECT_TRUE(again.verify(info->hash));
}

TEST_F(StoreFormatTest, StoresOfFormatsOneAndTwoAreRefusedSayingWhyAndWhatToDo) {
  for (const std::string old : {"1", "2"}) {
    reopen();
    record_format(old);
    store_.reset();
    for (bool secondary : {false, true}) {
      auto opened = open_again(secondary);
      ASSERT_FALSE(opened) << "format " << old << (secondary ? " (reader)" : "");
      const auto& message = opened.error().message;
      EXPECT_NE(message.find("format version 4, but the store has " + old), std::string::npos)
          << message;
      EXPECT_NE(message.find("earlier release"), std::string::npos) << message;
      EXPECT_NE(message.find("password hashes"), std::string::npos) << message;
      EXPECT_NE(message.find("new, empty data directory"), std::string::npos) << message;
    }
    // Nothing was changed: the store still says what it is.
    StoreOptions options;
    options.path = dir_.sub("store");
    options.secondary = true;
    options.secondary_path = dir_.sub("secondary-raw");
    rocksdb::DB* raw = nullptr;
    std::vector<std::string> names;
    ASSERT_TRUE(rocksdb::DB::ListColumnFamilies(rocksdb::DBOptions(), options.path, &names).ok());
    std::vector<rocksdb::ColumnFamilyDescriptor> families;
    for (const auto& name : names)
      families.emplace_back(name, rocksdb::ColumnFamilyOptions());
    std::vector<rocksdb::ColumnFamilyHandle*> handles;
    ASSERT_TRUE(
        rocksdb::DB::OpenForReadOnly(rocksdb::DBOptions(), options.path, families, &handles, &raw)
            .ok());
    std::string value;
    EXPECT_TRUE(
        raw->Get(rocksdb::ReadOptions(), handles[0], format::kMetaFormatVersionKey, &value).ok());
    EXPECT_EQ(value, old);
    for (auto* h : handles)
      raw->DestroyColumnFamilyHandle(h);
    delete raw;
    // Start afresh for the next format.
    std::filesystem::remove_all(dir_.sub("store"));
  }
}

TEST_F(StoreFormatTest, AFormatThreeStoreIsReadByAReaderAndUpgradedByTheWriter) {
  AppendRequest request;
  request.stream = "filing-f3";
  request.events.push_back(ProposedEvent{"FilingNoticeAccepted", 1, "x", {}});
  request.idempotency_key = "k3";
  ASSERT_TRUE(store().append(request));
  record_format("3");
  store_.reset();
  {
    auto reader = open_again(true);
    ASSERT_TRUE(reader) << reader.error().message;
    auto first = (*reader)->find_idempotent("k3");
    ASSERT_TRUE(first && *first);
    EXPECT_EQ((*first)->first_position, 1u);
    EXPECT_EQ((*first)->rejection, "") << "a 24-byte value is a command not rejected";
  }
  reopen();
  EXPECT_EQ(format_version(), "4");
  auto again = store().find_idempotent("k3");
  ASSERT_TRUE(again && *again);
  EXPECT_EQ((*again)->last_position, 1u);
}

TEST_F(StoreFormatTest, ARejectionRecordedWithACommandIsReturnedWithItsIdempotencyKey) {
  AppendRequest request;
  request.stream = "service-s1";
  request.events.push_back(ProposedEvent{"SigningAttemptFailed", 1, "x", {}});
  request.idempotency_key = "k-wrong";
  request.rejection = std::string("forbidden\0Expected the current SMS key\0", 39);
  auto appended = store().append(request);
  ASSERT_TRUE(appended) << appended.error().message;
  EXPECT_EQ(appended->rejection, request.rejection);
  auto repeated = store().append(request);
  ASSERT_TRUE(repeated) << repeated.error().message;
  EXPECT_TRUE(repeated->deduplicated);
  EXPECT_EQ(repeated->rejection, request.rejection);
  reopen();
  auto first = store().find_idempotent("k-wrong");
  ASSERT_TRUE(first && *first);
  EXPECT_EQ((*first)->rejection, request.rejection);
}

TEST_F(StoreFormatTest, AFormatOneStoreWithBlobFilesIsRefusedRatherThanUpgraded) {
  {
    BlobStore blobs(store(), BlobOptions{1u << 20, 16u << 10});
    ASSERT_TRUE(blobs.put(std::string(50'000, 'y') + "end", "application/pdf"));
  }
  store_.reset();
  ASSERT_EQ(testing::make_format1(dir_.sub("store")), "");
  auto opened = open_again(false);
  ASSERT_FALSE(opened);
  EXPECT_NE(opened.error().message.find("earlier release"), std::string::npos)
      << opened.error().message;
  EXPECT_GT(testing::blob_files_in(dir_.sub("store")), 0u) << "the store is left as it was";
}

}  // namespace
}  // namespace docket::engine
