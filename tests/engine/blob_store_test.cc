#include "docket/engine/blob_store.h"

#include <gtest/gtest.h>
#include <rocksdb/db.h>

#include "store_fixture.h"

namespace docket::engine {
namespace {

class BlobStoreTest : public testing::StoreTest {};

TEST_F(BlobStoreTest, StoresBytesUnderTheirSha256) {
  BlobStore blobs(store());
  auto info = blobs.put("abc", "text/plain");
  ASSERT_TRUE(info);
  EXPECT_EQ(info->hash, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(info->size, 3u);
  EXPECT_EQ(*blobs.read(info->hash), "abc");
  EXPECT_EQ(blobs.stat(info->hash)->content_type, "text/plain");
  EXPECT_EQ(blobs.read(std::string(64, '0')).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(blobs.read("not-a-hash").error().code, ErrorCode::kNotFound);
}

TEST_F(BlobStoreTest, StreamsALargeFileInChunksAndReadsItBack) {
  BlobStore blobs(store(), BlobOptions{64u << 20, 64u << 10});
  auto writer = blobs.begin("application/pdf");
  std::string all;
  for (int i = 0; i < 100; ++i) {
    std::string piece(50'000, static_cast<char>('a' + i % 26));
    piece[i] = '#';
    all += piece;
    ASSERT_TRUE(writer->write(piece));
  }
  auto info = writer->finish();
  ASSERT_TRUE(info);
  EXPECT_EQ(info->size, all.size());
  EXPECT_EQ(info->hash, to_hex(sha256(all)));
  EXPECT_EQ(*blobs.read(info->hash), all);
  EXPECT_TRUE(blobs.verify(info->hash));
  // Survives a reopen.
  reopen();
  BlobStore again(store());
  EXPECT_EQ(*again.read(info->hash), all);
}

TEST_F(BlobStoreTest, RefusesAFileOverTheSizeLimit) {
  BlobStore blobs(store(), BlobOptions{1000, 256});
  auto writer = blobs.begin("image/png");
  ASSERT_TRUE(writer->write(std::string(900, 'x')));
  auto over = writer->write(std::string(200, 'x'));
  ASSERT_FALSE(over);
  EXPECT_EQ(over.error().code, ErrorCode::kTooLarge);
  EXPECT_FALSE(writer->finish());
  auto listed = blobs.verify_all();
  ASSERT_TRUE(listed);
  EXPECT_FALSE(listed->has_value());
}

TEST_F(BlobStoreTest, TheSameBytesAreKeptOnce) {
  BlobStore blobs(store());
  auto a = blobs.put("same bytes", "text/plain");
  auto b = blobs.put("same bytes", "text/plain");
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->hash, b->hash);
  EXPECT_EQ(*blobs.read(a->hash), "same bytes");
}

TEST_F(BlobStoreTest, VerifyFindsABlobWhoseBytesChanged) {
  BlobStore blobs(store(), BlobOptions{1u << 20, 8});
  auto good = blobs.put("good file contents", "text/plain");
  auto bad = blobs.put("to be tampered with", "text/plain");
  ASSERT_TRUE(good && bad);
  // Change one byte of one chunk of the second blob.
  auto* family = store().column_family(format::kCfBlobs);
  std::unique_ptr<rocksdb::Iterator> it(store().db()->NewIterator(rocksdb::ReadOptions(), family));
  std::string victim_key;
  for (it->Seek("c"); it->Valid() && it->key().starts_with("c"); it->Next()) {
    if (it->value().ToString() == "to be ta")
      victim_key = it->key().ToString();
  }
  ASSERT_FALSE(victim_key.empty());
  ASSERT_TRUE(store().db()->Put(rocksdb::WriteOptions(), family, victim_key, "to be tA").ok());
  EXPECT_TRUE(blobs.verify(good->hash));
  EXPECT_EQ(blobs.verify(bad->hash).error().code, ErrorCode::kCorruption);
  auto first_bad = blobs.verify_all();
  ASSERT_TRUE(first_bad);
  ASSERT_TRUE(first_bad->has_value());
  EXPECT_EQ(**first_bad, bad->hash);
}

}  // namespace
}  // namespace docket::engine
