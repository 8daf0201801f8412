// Snapshots of aggregate state, serialised with cereal and bound to the hash chain.
//
// A snapshot names the stream version it reflects (in its key), the log position and chain hash
// of the stream's event at that version (the last event the state folds), the schema version of
// the state's layout, and a seal over all of it: HMAC-SHA-256 under the seal key the store is
// given (plain SHA-256 without one, which catches damage but not a deliberate edit).
// load() returns a snapshot only when its layout is current, its seal matches and the log holds,
// at its position, the event of that stream and version with that hash; any other snapshot is
// ignored (a warning log, counted in ignored_total()) and the caller folds from the log. A
// snapshot whose state version differs from the reader's is the caller's to ignore.
//
// Key: stream 0x00 u64be stream version; value: see format::kSnapshotMagic (doc/format.md).
// Only the newest snapshot per stream is kept. Thread-safe.
#pragma once

#include <cereal/archives/binary.hpp>
#include <cereal/types/map.hpp>
#include <cereal/types/optional.hpp>
#include <cereal/types/set.hpp>
#include <cereal/types/string.hpp>
#include <cereal/types/utility.hpp>
#include <cereal/types/variant.hpp>
#include <cereal/types/vector.hpp>

#include <cstdint>
#include <functional>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>

#include "docket/engine/event_store.h"

namespace docket::engine {

struct SnapshotRecord {
  std::uint64_t version = 0;        // the stream version the state reflects
  std::uint32_t state_version = 0;  // the schema version of the state's layout
  std::uint64_t position = 0;       // the log position of the stream's event at `version`
  format::Hash event_hash{};        // that event's chain hash
  std::string bytes;                // the cereal state
};

// One stored snapshot as scan() finds it: `problem` is empty when its layout parses (the seal
// and the chain are not checked), else why it cannot be read.
struct StoredSnapshot {
  std::string stream;
  SnapshotRecord record;
  std::string problem;
};

class SnapshotStore {
 public:
  // `seal_key`: the key of the seals this store writes and checks (empty: unkeyed SHA-256).
  explicit SnapshotStore(EventStore& store, std::string seal_key = {});

  // Saves a snapshot, sealed, and removes older ones of the stream. The caller names the
  // position and hash of the event at snapshot.version (kInvalidArgument when unset).
  Result<void> save(std::string_view stream, const SnapshotRecord& snapshot);
  // The newest snapshot of a stream when it is sealed and bound to the chain (see above);
  // nullopt when there is none or it is ignored. kIo when the snapshots cannot be read.
  Result<std::optional<SnapshotRecord>> load(std::string_view stream) const;

  // Visits every stored snapshot in key order (for `docket verify`); stop early by returning
  // false. kIo when the family cannot be read.
  Result<void> scan(const std::function<bool(const StoredSnapshot&)>& visit) const;
  // Why the log does not back `record` of `stream` (no event at its position, another stream
  // or version there, another hash); empty when it does. kIo when the log cannot be read.
  Result<std::string> check_chain(std::string_view stream, const SnapshotRecord& record) const;

  // Snapshots load() ignored since the process started, over every SnapshotStore.
  static std::uint64_t ignored_total();

  template <class State>
  static std::string encode(const State& state) {
    std::ostringstream out;
    {
      cereal::BinaryOutputArchive archive(out);
      archive(state);
    }
    return std::move(out).str();
  }

  // nullopt when the bytes do not decode.
  template <class State>
  static std::optional<State> decode(std::string_view bytes) {
    try {
      std::istringstream in{std::string(bytes)};
      cereal::BinaryInputArchive archive(in);
      State state;
      archive(state);
      return state;
    } catch (const std::exception&) {
      return std::nullopt;  // cereal reports truncated input by exception; contain it here
    }
  }

 private:
  format::Hash seal(std::string_view key, std::string_view unsealed_value) const;

  EventStore& store_;
  rocksdb::ColumnFamilyHandle* family_;
  std::string seal_key_;
};

}  // namespace docket::engine
