#include "store_upgrade.h"

#include <rocksdb/db.h>
#include <rocksdb/metadata.h>
#include <rocksdb/options.h>
#include <rocksdb/write_batch.h>
#include <spdlog/spdlog.h>

#include <memory>
#include <string>

namespace docket::engine {
namespace {

Error failed(const rocksdb::Status& s, const std::string& what) {
  return Error{ErrorCode::kIo, "Expected " + what + ", but " + s.ToString(), {}, {}};
}

// Compacts the whole family down to its last level, rewriting every table file.
rocksdb::Status compact_all(rocksdb::DB& db, rocksdb::ColumnFamilyHandle* family) {
  rocksdb::CompactRangeOptions options;
  options.bottommost_level_compaction = rocksdb::BottommostLevelCompaction::kForce;
  options.change_level = false;
  return db.CompactRange(options, family, nullptr, nullptr);
}

}  // namespace

std::size_t blob_file_count(rocksdb::DB& db, rocksdb::ColumnFamilyHandle* family) {
  rocksdb::ColumnFamilyMetaData meta;
  db.GetColumnFamilyMetaData(family, &meta);
  return meta.blob_files.size();
}

Result<void> inline_blob_files(rocksdb::DB& db, rocksdb::ColumnFamilyHandle* family) {
  const auto before = blob_file_count(db, family);
  if (before == 0)
    return {};
  spdlog::warn("upgrading the store: moving the blobs family out of {} blob files", before);
  // Blob garbage collection relocates every blob older than the cutoff; with blob files off
  // (family_options) a relocated value is written inline.
  auto s = db.SetOptions(family, {{"enable_blob_files", "false"},
                                  {"enable_blob_garbage_collection", "true"},
                                  {"blob_garbage_collection_age_cutoff", "1.0"}});
  if (!s.ok())
    return unexpected(failed(s, "to set the blobs family's options"));
  s = db.Flush(rocksdb::FlushOptions(), family);
  if (s.ok())
    s = compact_all(db, family);
  if (!s.ok())
    return unexpected(failed(s, "to compact the blobs family"));
  if (const auto left = blob_file_count(db, family); left != 0) {
    spdlog::warn("blob garbage collection left {} blob files; rewriting every value", left);
    // Rewrite every value: the new, inline versions shadow the old ones, which the next
    // compaction drops with the blob files they point into.
    std::unique_ptr<rocksdb::Iterator> it(db.NewIterator(rocksdb::ReadOptions(), family));
    rocksdb::WriteBatch batch;
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      batch.Put(family, it->key(), it->value());
      if (batch.GetDataSize() >= (64u << 20)) {
        s = db.Write(rocksdb::WriteOptions(), &batch);
        if (!s.ok())
          return unexpected(failed(s, "to rewrite the blobs family"));
        batch.Clear();
      }
    }
    if (!it->status().ok())
      return unexpected(failed(it->status(), "to read the blobs family"));
    it.reset();
    s = db.Write(rocksdb::WriteOptions(), &batch);
    if (s.ok())
      s = db.Flush(rocksdb::FlushOptions(), family);
    if (s.ok())
      s = compact_all(db, family);
    if (!s.ok())
      return unexpected(failed(s, "to rewrite the blobs family"));
  }
  if (const auto left = blob_file_count(db, family); left != 0) {
    return unexpected(
        Error{ErrorCode::kCorruption,
              "Expected no blob files after the upgrade, but " + std::to_string(left) + " remain",
              {},
              {}});
  }
  spdlog::warn("upgraded the store: the blobs family holds no blob files");
  return {};
}

}  // namespace docket::engine
