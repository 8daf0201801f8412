// AggregateProjection<A, Extra>: a projection over the streams of one aggregate category.
//
// For each stream it keeps an Entity — the aggregate's state folded by A::evolve (the domain's
// own appliers, as replay runs them) plus projection-specific extras — under "s/<stream>", and
// index rows derived from the entity alone (derive()). After each batch, the rows an entity
// derives now are compared with those it derived before the batch: rows that vanished are
// erased, new or changed ones written. Deterministic: rows depend only on the events folded.
//
// The "s/<stream>" row costs what the entity holds. A collection that grows without bound (a
// lawyer's schedule, a case's hearings, evidence, exchanges, materials, file reviews and
// messages) is kept out of it: item() writes one row per item an event changes, encode() leaves
// the collection out, and load_items() puts it back when the entity is read (or the entity does
// without it, as the lawyers' does), so an event writes the same bytes however many items there
// are.
//
// Entities touched in a batch are cached in memory and written once per batch; the cache is
// dropped on discard() and when it grows past its bound.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "docket/domain/aggregate.h"
#include "docket/domain/core.h"
#include "docket/engine/format.h"
#include "docket/engine/snapshot_store.h"
#include "docket/projections/projection.h"

namespace docket::projections::detail {

// Index rows of an entity: key -> value, in key order.
using Rows = std::map<std::string, std::string>;
// Item rows an event changed: key -> value, nullopt to erase.
using ItemRows = std::map<std::string, std::optional<std::string>>;

inline constexpr std::string_view kStatePrefix = "s/";

inline std::string state_key(std::string_view stream) {
  std::string k(kStatePrefix);
  k.append(stream);
  return k;
}

// A key from parts joined by 0x00 after a one-letter prefix and '/': "<p>/<a>\0<b>\0…".
template <class... Parts>
std::string row_key(char prefix, const Parts&... parts) {
  std::string k;
  k.push_back(prefix);
  k.push_back('/');
  bool first = true;
  auto add = [&](std::string_view part) {
    if (!first)
      k.push_back(engine::format::kSeparator);
    first = false;
    k.append(part);
  };
  (add(std::string_view(parts)), ...);
  return k;
}

// The prefix of every row_key(prefix, first, …): "<p>/<first>\0".
inline std::string row_prefix(char prefix, std::string_view first) {
  std::string k;
  k.push_back(prefix);
  k.push_back('/');
  k.append(first);
  k.push_back(engine::format::kSeparator);
  return k;
}

// An order-preserving fixed-width text of a time (for keys sorted by time).
inline std::string time_part(std::int64_t us) {
  std::string out;
  engine::format::put_u64be(out, static_cast<std::uint64_t>(us) ^ engine::format::kTimeOffset);
  return out;
}

inline domain::StoredEvent to_stored(const engine::RecordedEvent& event) {
  domain::StoredEvent e;
  e.stream = event.stream;
  e.type = event.type;
  e.schema_version = event.schema_version;
  e.payload = event.payload;
  e.version = event.version;
  e.position = event.position;
  e.recorded_at_us = event.recorded_at_us;
  return e;
}

struct NoExtra {
  template <class Archive>
  void serialize(Archive& /*archive*/) {}
};

template <class A, class Extra>
struct Entity {
  typename A::State state = A::initial();
  Extra extra{};

  template <class Archive>
  void serialize(Archive& archive) {
    archive(state, extra);
  }
};

// Decodes a stored entity; nullopt when the bytes do not decode.
template <class E>
std::optional<E> decode_entity(std::string_view bytes) {
  return engine::SnapshotStore::decode<E>(bytes);
}

template <class A, class Extra = NoExtra>
class AggregateProjection : public Projection {
 public:
  using EntityType = Entity<A, Extra>;

  bool wants(const engine::RecordedEvent& event) const override {
    return engine::format::category_of(event.stream) == A::kCategory;
  }

  engine::Result<void> apply(const engine::RecordedEvent& event, Writer& writer) override {
    auto cached = cache_.find(event.stream);
    if (cached == cache_.end()) {
      auto stored = writer.get(state_key(event.stream));
      if (!stored)
        return unexpected(std::move(stored).error());
      Cached fresh;
      if (stored->has_value()) {
        // A row that does not decode is treated as absent: its rows are rederived from here on.
        if (auto entity = decode_entity<EntityType>(**stored)) {
          fresh.entity = std::move(*entity);
          if (auto loaded = load_items(event.stream, fresh.entity, writer); !loaded)
            return unexpected(std::move(loaded).error());
        }
      }
      derive(event.stream, fresh.entity, fresh.rows);
      cached = cache_.emplace(event.stream, std::move(fresh)).first;
    }
    auto& entity = cached->second.entity;
    if (auto folded = domain::fold_event<A>(entity.state, to_stored(event)); !folded) {
      return unexpected(engine::Error{engine::ErrorCode::kCorruption, std::move(folded).error(),
                                      std::nullopt, event.position});
    }
    after(entity, event);
    item(event.stream, entity, event, cached->second.items);
    if (!cached->second.dirty) {
      cached->second.dirty = true;
      dirty_.push_back(&*cached);
    }
    return {};
  }

  engine::Result<void> flush(Writer& writer) override {
    for (auto* entry : dirty_) {
      const std::string& stream = entry->first;
      Cached& cached = entry->second;
      for (auto& [key, value] : cached.items) {
        if (value)
          writer.put(key, *value);
        else
          writer.erase(key);
      }
      cached.items.clear();
      Rows rows;
      derive(stream, cached.entity, rows);
      auto old_it = cached.rows.begin();
      auto new_it = rows.begin();
      while (old_it != cached.rows.end() || new_it != rows.end()) {
        if (new_it == rows.end() ||
            (old_it != cached.rows.end() && old_it->first < new_it->first)) {
          writer.erase(old_it->first);
          ++old_it;
        } else if (old_it == cached.rows.end() || new_it->first < old_it->first) {
          writer.put(new_it->first, new_it->second);
          ++new_it;
        } else {
          if (old_it->second != new_it->second)
            writer.put(new_it->first, new_it->second);
          ++old_it;
          ++new_it;
        }
      }
      auto encoded = encode(cached.entity);
      std::size_t bytes = 2 * stream.size() + encoded.size() + sizeof(Cached);
      for (const auto& [k, v] : rows)
        bytes += k.size() + v.size() + 64;
      writer.put(state_key(stream), std::move(encoded));
      cached.rows = std::move(rows);
      cached.dirty = false;
      cache_bytes_ = cache_bytes_ - cached.bytes + bytes;
      cached.bytes = bytes;
    }
    dirty_.clear();
    // Bounded in entries and in bytes (an entity's encoded state and rows, measured as they
    // are written): past either bound the cache starts again empty.
    if (cache_.size() > kCacheLimit || cache_bytes_ > kCacheBytes) {
      cache_.clear();
      cache_bytes_ = 0;
    }
    return {};
  }

  void discard() override {
    dirty_.clear();
    cache_.clear();
    cache_bytes_ = 0;
  }

 protected:
  // Updates the extras after A::evolve applied `event` to entity.state.
  virtual void after(EntityType& entity, const engine::RecordedEvent& event) {
    (void)entity;
    (void)event;
  }
  // Writes the item rows `event` changed to `items` (never under "s/", never a key derive()
  // returns), after A::evolve and after(). A projection whose entity does without the items may
  // take them out of it here.
  virtual void item(std::string_view stream, EntityType& entity, const engine::RecordedEvent& event,
                    ItemRows& items) {
    (void)stream;
    (void)entity;
    (void)event;
    (void)items;
  }
  // Puts the items item() kept in rows of their own back into an entity just read from its
  // "s/<stream>" row, for projections whose entity needs them (to fold and derive).
  virtual engine::Result<void> load_items(std::string_view stream, EntityType& entity,
                                          const Writer& writer) {
    (void)stream;
    (void)entity;
    (void)writer;
    return {};
  }
  // The index rows of an entity (never under "s/").
  virtual void derive(std::string_view stream, const EntityType& entity, Rows& rows) const = 0;
  // The bytes written under "s/<stream>"; override to leave out what no read model shows, or
  // what item() keeps in rows of its own (the entity may be changed meanwhile, if it is left
  // as it was found).
  virtual std::string encode(EntityType& entity) const {
    return engine::SnapshotStore::encode(entity);
  }

 private:
  static constexpr std::size_t kCacheLimit = 4096;
  static constexpr std::size_t kCacheBytes = 32u << 20;

  struct Cached {
    EntityType entity;
    Rows rows;       // as derived when last loaded or flushed
    ItemRows items;  // item rows changed since the last flush
    bool dirty = false;
    std::size_t bytes = 0;  // as measured when last flushed
  };
  std::size_t cache_bytes_ = 0;  // the sum of the entries' bytes
  std::unordered_map<std::string, Cached> cache_;
  // The entries apply() changed since the last flush (unordered_map nodes never move).
  std::vector<std::pair<const std::string, Cached>*> dirty_;
};

}  // namespace docket::projections::detail
