// Snapshots of aggregate state, serialised with cereal and tagged with the state's schema
// version. A snapshot whose version differs from the reader's is ignored (and later replaced),
// so a changed state layout never loads stale bytes.
//
// Key: stream 0x00 u64be stream version; value: u32be state version || cereal binary bytes.
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
#include <optional>
#include <sstream>
#include <string>
#include <string_view>

#include "docket/engine/event_store.h"

namespace docket::engine {

struct SnapshotRecord {
  std::uint64_t version = 0;        // the stream version the state reflects
  std::uint32_t state_version = 0;  // the schema version of the state's layout
  std::string bytes;
};

class SnapshotStore {
 public:
  explicit SnapshotStore(EventStore& store);

  // Saves a snapshot and removes older ones of the stream.
  Result<void> save(std::string_view stream, const SnapshotRecord& snapshot);
  // The newest snapshot of a stream, if any.
  Result<std::optional<SnapshotRecord>> load(std::string_view stream) const;

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
  EventStore& store_;
  rocksdb::ColumnFamilyHandle* family_;
};

}  // namespace docket::engine
