// Format 1 kept uploads of 4 KiB or more in RocksDB blob files, which a secondary instance (the
// auditors' tool) cannot read. The store writes none any more and upgrades a format-1 store in
// place when the primary opens it.
#include <gtest/gtest.h>
#include <rocksdb/db.h>

#include <string>

#include "docket/engine/blob_store.h"
#include "docket/engine/format.h"
#include "format1_store.h"
#include "store_fixture.h"

namespace docket::engine {
namespace {

class StoreUpgradeTest : public testing::StoreTest {
 protected:
  std::string format_version() {
    std::string value;
    auto s = store().db()->Get(rocksdb::ReadOptions(),
                               store().column_family_if_exists(format::kCfDefault),
                               format::kMetaFormatVersionKey, &value);
    EXPECT_TRUE(s.ok()) << s.ToString();
    return value;
  }
};

TEST_F(StoreUpgradeTest, AnUploadOfFourKibibytesAndARestartLeaveNoBlobFiles) {
  BlobStore blobs(store(), BlobOptions{1u << 20, 64u << 10});
  auto info = blobs.put(std::string(100'000, 'x'), "application/pdf");
  ASSERT_TRUE(info) << info.error().message;
  reopen();  // a restart flushes the memtable, where blob files were made
  EXPECT_EQ(testing::blob_files_in(dir_.sub("store")), 0u);
  BlobStore again(store());
  EXPECT_TRUE(again.verify(info->hash));
}

TEST_F(StoreUpgradeTest, AFormatOneStoreWithBlobFilesIsUpgradedWhenThePrimaryOpensIt) {
  std::string hash;
  {
    BlobStore blobs(store(), BlobOptions{1u << 20, 16u << 10});
    auto info = blobs.put(std::string(50'000, 'y') + "end", "application/pdf");
    ASSERT_TRUE(info) << info.error().message;
    hash = info->hash;
  }
  ASSERT_TRUE(store().append(
      testing::request("case-1", ExpectedVersion::no_stream(), {testing::event("Opened")})));
  store_.reset();
  ASSERT_EQ(testing::make_format1(dir_.sub("store")), "");
  ASSERT_GT(testing::blob_files_in(dir_.sub("store")), 0u);

  reopen();
  EXPECT_EQ(format_version(), std::to_string(format::kFormatVersion));
  BlobStore blobs(store());
  EXPECT_TRUE(blobs.verify(hash));
  EXPECT_EQ(store().last_position(), 1u);
  store_.reset();
  EXPECT_EQ(testing::blob_files_in(dir_.sub("store")), 0u);

  // A reader follows the upgraded store: it sees the blobs family's files (the store's manifest
  // no longer holds the blob files' history, which a secondary cannot replay).
  StoreOptions options;
  options.path = dir_.sub("store");
  options.secondary = true;
  options.secondary_path = dir_.sub("secondary");
  auto reader = EventStore::open(options);
  ASSERT_TRUE(reader) << reader.error().message;
  BlobStore seen(**reader);
  EXPECT_TRUE(seen.verify(hash));
}

TEST_F(StoreUpgradeTest, ASecondaryRefusesAFormatOneStoreInsteadOfReadingItsBlobFiles) {
  {
    BlobStore blobs(store());
    ASSERT_TRUE(blobs.put(std::string(10'000, 'z'), "application/pdf"));
  }
  store_.reset();
  ASSERT_EQ(testing::make_format1(dir_.sub("store")), "");
  StoreOptions options;
  options.path = dir_.sub("store");
  options.secondary = true;
  options.secondary_path = dir_.sub("secondary");
  auto opened = EventStore::open(options);
  ASSERT_FALSE(opened);
  EXPECT_NE(opened.error().message.find("format version 2, but the store has 1"), std::string::npos)
      << opened.error().message;
}

}  // namespace
}  // namespace docket::engine
