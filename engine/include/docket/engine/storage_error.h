// How the engine names RocksDB failures, for every module that writes to the store directly
// (projections, sessions, blobs, snapshots), so that a full disk reads the same everywhere.
#pragma once

#include <string>

#include "docket/engine/types.h"

namespace rocksdb {
class Status;
}

namespace docket::engine {

// kCorruption for corrupted data; kUnavailable for "no space left" (the store refuses writes
// until there is room again, see EventStore::health); kIo for anything else.
ErrorCode error_code_of(const rocksdb::Status& status);

// An Error with error_code_of(status) and the message "<what>: <status>".
Error storage_error(const rocksdb::Status& status, const std::string& what);

}  // namespace docket::engine
