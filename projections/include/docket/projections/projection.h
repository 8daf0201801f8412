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
// A projection fails loudly on what it does not know. It declares the (event type, schema
// version) pairs it applies and those it deliberately passes over; an event it wants() that is
// in neither list stops the projection: the Projector commits its rows up to the event before,
// keeps it at that checkpoint, logs the stop and reports it (Projector::stopped(),
// last_error(), /healthz) until a build that knows the event is run. Nothing is skipped
// silently.
//
// Thread-safety: a Projection is driven by one Projector thread at a time; it needs no locks.
#pragma once

#include <compare>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "docket/engine/event_store.h"
#include "docket/engine/types.h"

namespace docket::projections {

// An event's type and payload schema version: what decides which applier folds it.
struct EventKey {
  std::string_view type;
  std::uint32_t schema_version = 1;

  friend constexpr auto operator<=>(const EventKey&, const EventKey&) = default;
};

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

  // Whether the projection reads this event's stream at all (e.g. only some stream categories);
  // an event not wanted is passed over whole, without looking at its type. The Projector still
  // advances the checkpoint past events a projection does not want.
  virtual bool wants(const engine::RecordedEvent& event) const {
    (void)event;
    return true;
  }
  // The (type, schema version) pairs of wanted events that apply() folds, and those it
  // deliberately passes over. A wanted event in neither list stops the projection loudly. The
  // spans stay valid for the projection's lifetime; a pair in both lists is applied.
  virtual std::span<const EventKey> applies() const = 0;
  virtual std::span<const EventKey> ignores() const { return {}; }
  // Writes what `event` (a wanted event that applies() lists) changes. An error stops the batch:
  // nothing of it commits, and the Projector retries from the checkpoint (so apply() must not
  // count on a previous call having committed). A known event whose payload does not decode
  // changes nothing (the domain's appliers do the same), so one bad payload never stalls a read
  // model.
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
