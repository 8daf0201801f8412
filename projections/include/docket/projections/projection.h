// Projection: a read model kept current from the event log.
//
// A projection has a name, a version and an apply() that turns one recorded event into writes
// to its own column family, "proj.<name>". The Projector (projector.h) feeds it every event of
// the log in order, from its checkpoint, and commits the rows it wrote together with the new
// checkpoint in one RocksDB WriteBatch, so rows and checkpoint never disagree. Changing
// version() makes the Projector drop the family's rows and rebuild it from position 0.
//
// apply() must be deterministic: the same events in the same order write the same rows (no
// clock reads, no randomness), so a rebuild reproduces what the live projection holds. Times
// relative to "now" are computed by the queries, never stored.
//
// Thread-safety: a Projection is driven by one Projector thread at a time; it needs no locks.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "docket/engine/event_store.h"
#include "docket/engine/types.h"

namespace docket::projections {

// One batch's writes to one projection's family, in key order; nullopt marks an erase.
using BatchOverlay = std::map<std::string, std::optional<std::string>, std::less<>>;

// The writes of one batch to one projection's family, readable back before they commit
// ("read-your-batch": get() and scan() see the batch's own puts and erases over the stored rows).
// The Projector writes them to RocksDB in key order, which keeps memtable inserts cheap.
// Valid only during the Projector's call that hands it out. Not thread-safe.
class Writer {
 public:
  Writer(const engine::EventStore& store, rocksdb::ColumnFamilyHandle* family,
         BatchOverlay& overlay)
      : store_(store), family_(family), overlay_(overlay) {}

  // The value of `key` as the batch so far leaves it; nullopt when absent. kIo on a read error.
  engine::Result<std::optional<std::string>> get(std::string_view key) const;
  void put(std::string_view key, std::string_view value);
  void erase(std::string_view key);
  // Visits the keys starting with `prefix` in key order, as the batch so far leaves them; stop
  // early by returning false. kIo on a read error.
  engine::Result<void> scan(
      std::string_view prefix,
      const std::function<bool(std::string_view key, std::string_view value)>& visit) const;

 private:
  const engine::EventStore& store_;
  rocksdb::ColumnFamilyHandle* family_;
  BatchOverlay& overlay_;
};

class Projection {
 public:
  virtual ~Projection() = default;

  // A short identifier ([a-z0-9_]); the family is "proj.<name>", the checkpoint key
  // "projection.<name>". Never changes for a projection.
  virtual std::string_view name() const = 0;
  // Bump to rebuild the projection from position 0 (its rows change meaning).
  virtual std::uint32_t version() const = 0;

  // Whether apply() needs this event at all (e.g. only some stream categories). The Projector
  // still advances the checkpoint past events a projection does not want.
  virtual bool wants(const engine::RecordedEvent& event) const {
    (void)event;
    return true;
  }
  // Writes what `event` changes. An error stops the batch: nothing of it commits, and the
  // Projector retries from the checkpoint (so apply() must not count on a previous call having
  // committed). Events that do not decode should be skipped, not failed, so one bad payload never
  // stalls a read model.
  virtual engine::Result<void> apply(const engine::RecordedEvent& event, Writer& writer) = 0;
  // Called once at the end of each batch, before the commit: write what apply() buffered.
  virtual engine::Result<void> flush(Writer& writer) {
    (void)writer;
    return {};
  }
  // The batch was abandoned (an error, or a rebuild dropped the rows): forget anything buffered
  // or cached from the family.
  virtual void discard() {}
};

}  // namespace docket::projections
