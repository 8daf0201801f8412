// Turns a store into one of format 1 as an earlier docketd left it: every value of the `blobs`
// family of 4 KiB or more in a RocksDB blob file (integrated BlobDB), and format_version "1".
// The store must be closed.
#pragma once

#include <rocksdb/db.h>
#include <rocksdb/options.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "docket/engine/format.h"

namespace docket::testing {

// The number of *.blob files in a store directory.
inline std::size_t blob_files_in(const std::string& store_dir) {
  std::size_t n = 0;
  for (const auto& entry : std::filesystem::directory_iterator(store_dir))
    n += entry.path().extension() == ".blob";
  return n;
}

// Rewrites the blobs family with blob files on (as format 1 did) and records format 1. Returns
// an error text, empty on success.
inline std::string make_format1(const std::string& store_dir) {
  namespace format = engine::format;
  std::vector<std::string> names;
  auto s = rocksdb::DB::ListColumnFamilies(rocksdb::DBOptions(), store_dir, &names);
  if (!s.ok())
    return s.ToString();
  std::vector<rocksdb::ColumnFamilyDescriptor> families;
  for (const auto& name : names) {
    rocksdb::ColumnFamilyOptions o;
    if (name == format::kCfBlobs) {
      o.enable_blob_files = true;
      o.min_blob_size = 4096;
      o.enable_blob_garbage_collection = true;
    }
    families.emplace_back(name, o);
  }
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  s = rocksdb::DB::Open(rocksdb::DBOptions(), store_dir, families, &handles, &raw);
  if (!s.ok())
    return s.ToString();
  std::unique_ptr<rocksdb::DB> db(raw);
  rocksdb::ColumnFamilyHandle* blobs = nullptr;
  rocksdb::ColumnFamilyHandle* meta = nullptr;
  for (auto* h : handles) {
    if (h->GetName() == format::kCfBlobs)
      blobs = h;
    if (h->GetName() == format::kCfDefault)
      meta = h;
  }
  std::vector<std::pair<std::string, std::string>> entries;
  {
    std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(rocksdb::ReadOptions(), blobs));
    for (it->SeekToFirst(); it->Valid(); it->Next())
      entries.emplace_back(it->key().ToString(), it->value().ToString());
  }
  for (const auto& [key, value] : entries)
    s = s.ok() ? db->Put(rocksdb::WriteOptions(), blobs, key, value) : s;
  if (s.ok())
    s = db->Put(rocksdb::WriteOptions(), meta, format::kMetaFormatVersionKey, "1");
  if (s.ok())
    s = db->Flush(rocksdb::FlushOptions(), handles);
  rocksdb::CompactRangeOptions compact;
  compact.bottommost_level_compaction = rocksdb::BottommostLevelCompaction::kForce;
  if (s.ok())
    s = db->CompactRange(compact, blobs, nullptr, nullptr);
  for (auto* h : handles)
    db->DestroyColumnFamilyHandle(h);
  if (s.ok())
    s = db->Close();
  return s.ok() ? std::string() : s.ToString();
}

}  // namespace docket::testing
