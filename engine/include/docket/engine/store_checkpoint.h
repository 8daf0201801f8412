// A consistent copy of a live store, for backups.
//
// write_checkpoint() asks the store's RocksDB instance for a checkpoint (rocksdb::Checkpoint):
// it flushes the memtables, then hard-links the immutable table files into `dir` (copies them
// when `dir` is on another filesystem) and copies the manifest and the write-ahead log. The copy
// holds every event committed before the call, so every append acknowledged before it; it opens
// like any store. Only the primary can make one: a secondary gets kInvalidArgument.
//
// Thread-safety: may run while appends continue on other threads.
#pragma once

#include <cstdint>
#include <string>

#include "docket/engine/event_store.h"

namespace docket::engine {

struct CheckpointInfo {
  std::uint64_t position = 0;  // the last position committed when the checkpoint began
  std::string tip;             // hex hash of that record (64 zeros for an empty log)
};

// Writes the checkpoint into `dir`, which must not exist (its parent must). kInvalidArgument when
// `dir` exists or the store is a secondary; kIo when RocksDB fails (the partial copy is removed).
Result<CheckpointInfo> write_checkpoint(EventStore& store, const std::string& dir);

}  // namespace docket::engine
