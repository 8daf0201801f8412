// The checks the event store makes at open, after RocksDB recovered its write-ahead log: the
// log reaches the acknowledged tip (with the same chain hash there), and no consumer's
// checkpoint is beyond the log's end. Each failure is a kCorruption refusal that names the damage
// and what the operator can do (doc/format.md, "The acknowledged tip").
#pragma once

#include <rocksdb/db.h>

#include <cstdint>
#include <optional>
#include <string>

#include "docket/engine/format.h"
#include "docket/engine/types.h"
#include "tip_file.h"

namespace docket::engine {

// What the operator can do about a damaged store at `path`.
std::string damaged_store_advice(const std::string& path);

// kCorruption when the log (which ends at `last`) stops before `tip`, or holds another hash at
// the tip's position.
Result<void> check_acknowledged_tip(rocksdb::DB& db, rocksdb::ColumnFamilyHandle* log,
                                    std::uint64_t last, const Tip& tip, const std::string& path);

// kCorruption when a `reactor.*` or `projection.*` checkpoint is beyond `last`.
Result<void> check_checkpoints(rocksdb::DB& db, rocksdb::ColumnFamilyHandle* checkpoints,
                               std::uint64_t last, const std::string& path);

}  // namespace docket::engine
