// Upgrades of a store's on-disk format, run by the primary when it opens an older store.
//
// Format 1 kept blob chunks of 4 KiB or more in RocksDB blob files (integrated BlobDB), which a
// RocksDB secondary instance cannot read; format 2 keeps every chunk as an ordinary value of the
// `blobs` family. Upgrading from 1 rewrites the family with blob files off and blob garbage
// collection over every file, so each chunk is copied into the family's table files and the blob
// files are deleted. Nothing else changes; the caller records the new format version afterwards,
// so a crash part-way leaves a format-1 store that the next open upgrades again.
//
// Thread-safety: run once, from open, before the writer starts.
#pragma once

#include <cstddef>

#include "docket/engine/types.h"

namespace rocksdb {
class DB;
class ColumnFamilyHandle;
}  // namespace rocksdb

namespace docket::engine {

// The number of RocksDB blob files the family still references.
std::size_t blob_file_count(rocksdb::DB& db, rocksdb::ColumnFamilyHandle* family);

// Moves every value of `family` out of blob files into its table files. kIo when RocksDB fails,
// kCorruption when blob files remain afterwards.
Result<void> inline_blob_files(rocksdb::DB& db, rocksdb::ColumnFamilyHandle* family);

}  // namespace docket::engine
