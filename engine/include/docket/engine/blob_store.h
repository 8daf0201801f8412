// BlobStore: content-addressed storage of uploaded files (materials, served documents).
//
// A blob is named by the lower-case hex SHA-256 of its bytes; the event that attaches a file
// carries that hash, so the hash chain covers the file too. Writes stream in chunks: a
// BlobWriter takes any number of write() calls, hashing as it goes, and finish() publishes
// the blob under its hash (a blob already stored is kept once). Blobs live in the "blobs" column
// family, which keeps large values in RocksDB blob files. See doc/format.md for the layout.
//
// Thread-safety: BlobStore is thread-safe; a BlobWriter is used by one thread at a time.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "docket/engine/event_store.h"
#include "docket/engine/sha256.h"

namespace docket::engine {

struct BlobInfo {
  std::string hash;  // lower-case hex SHA-256
  std::uint64_t size = 0;
  std::string content_type;
};

struct BlobOptions {
  std::uint64_t max_size = 64u << 20;  // a blob larger than this is refused with kTooLarge
  std::size_t chunk_size = 1u << 20;
};

class BlobWriter {
 public:
  virtual ~BlobWriter() = default;  // an unfinished writer discards what it wrote
  // Appends bytes; kTooLarge (and the upload is discarded) once the total passes max_size.
  virtual Result<void> write(std::string_view bytes) = 0;
  // Durably publishes the blob and returns its hash and size.
  virtual Result<BlobInfo> finish() = 0;
};

class BlobStore {
 public:
  BlobStore(EventStore& store, BlobOptions options = {});

  std::unique_ptr<BlobWriter> begin(std::string content_type);
  Result<BlobInfo> put(std::string_view bytes, std::string content_type);

  // kNotFound when absent.
  Result<BlobInfo> stat(std::string_view hash) const;
  Result<std::string> read(std::string_view hash) const;
  // Visits the blob's bytes chunk by chunk; stop early by returning false.
  Result<void> read_chunks(std::string_view hash,
                           const std::function<bool(std::string_view)>& visit) const;
  // Re-hashes a blob: kCorruption when its bytes no longer match its name.
  Result<void> verify(std::string_view hash) const;
  // Re-hashes every blob; returns the hash of the first that fails, if any.
  Result<std::optional<std::string>> verify_all() const;

  const BlobOptions& options() const { return options_; }

 private:
  friend class BlobWriterImpl;
  EventStore& store_;
  BlobOptions options_;
  rocksdb::ColumnFamilyHandle* family_;
};

}  // namespace docket::engine
