// EventStore: Docket's durable, hash-chained event log on RocksDB.
//
// One writer thread takes every pending append, checks expected versions against the stream
// heads, assigns gap-free global positions, links each record into the hash chain and commits
// the whole group as one RocksDB WriteBatch with one WAL sync; then it completes every caller.
// An acknowledged append is durable. Reads go straight to RocksDB and are safe from any thread.
//
// Thread-safety: every public member function may be called concurrently, except that the
// store must outlive its subscriptions, timer service, runners and reactors. Destruction drains
// the append queue (pending appends fail with kClosed) and stops the writer.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "docket/engine/clock.h"
#include "docket/engine/format.h"
#include "docket/engine/types.h"

namespace rocksdb {
class DB;
class ColumnFamilyHandle;
class FileSystem;
}  // namespace rocksdb

namespace docket::engine {

namespace fb {
struct Envelope;
}

struct StoreOptions {
  std::string path;
  Clock* clock = nullptr;  // not owned; nullptr: a SystemClock owned by the store
  bool sync = true;        // sync the WAL once per batch (turn off only in tests of logic)
  std::size_t max_batch_requests = 2048;
  std::size_t max_batch_bytes = 16u << 20;
  std::size_t max_queued_requests = 1u << 16;  // beyond this append fails with kOverloaded
  std::size_t max_event_bytes = 4u << 20;      // payload size limit per event
  // The bytes the writer's cache of stream heads (stream id -> version) may take, counted as
  // each entry's stream id, version and bookkeeping (ByteLru); the least recently used go first.
  std::size_t head_cache_bytes = 32u << 20;
  std::size_t block_cache_bytes = 128u << 20;
  // The write buffers (memtables) of every column family together: past it RocksDB flushes the
  // largest, so small writes to many families are not all kept in memory until a restart.
  std::size_t memtable_bytes = 128u << 20;
  // Open an existing store read-only as a RocksDB secondary instance that follows a primary
  // which may be running; `secondary_path` holds the secondary's own files. No writer starts.
  bool secondary = false;
  std::string secondary_path;
  // The file system RocksDB writes through; nullptr: the default. Tests inject faults here.
  std::shared_ptr<rocksdb::FileSystem> file_system;
  // While writes are refused (see EventStore::health), how often the store tries to resume, and
  // the free space its file system must have, beyond what flushing its memtables takes, first.
  std::chrono::milliseconds recovery_interval{1000};
  std::uint64_t resume_free_bytes = 16u << 20;
};

// Whether the store accepts writes, and why not. Reads go on either way.
struct StoreHealth {
  bool writable = true;
  std::string reason;            // empty when writable: the failure that stopped writes
  std::uint64_t refusals = 0;    // times writes were stopped since the store opened
  std::uint64_t free_bytes = 0;  // free space of the store's file system at the last look
};

// A zero-copy view of one stored log record: the chain hash and the envelope bytes. Valid only
// inside the callback that receives it.
struct RecordView {
  std::uint64_t key_position = 0;  // the position in the record's key
  std::string_view hash;           // 32 bytes
  std::string_view envelope;       // FlatBuffers bytes of fb::Envelope
  // Unverified accessor (verify first for untrusted data). `envelope` may sit at any address;
  // when it is not 8-aligned this reads an aligned copy held per thread, valid until the next
  // call to decoded() on the same thread.
  const fb::Envelope* decoded() const;
};

// Decodes a stored record (hash || envelope) into an owning RecordedEvent, verifying the
// FlatBuffers structure. kCorruption when it does not parse.
Result<RecordedEvent> decode_record(std::uint64_t key_position, std::string_view value);

// The outcome of a chain verification.
struct VerifyReport {
  std::uint64_t checked = 0;        // records checked
  std::uint64_t last_position = 0;  // the last good position
  format::Hash tip{};               // hash of the last good record
  std::optional<Error> failure;     // the first bad record, with Error::position
  bool ok() const { return !failure.has_value(); }
};

enum class Direction : std::uint8_t { kForward, kBackward };

// Counters of the writer since the store opened (for metrics and benchmarks).
struct StoreStats {
  std::uint64_t batches = 0;             // group commits written (one WAL sync each when syncing)
  std::uint64_t requests = 0;            // append requests completed by those batches
  std::uint64_t events = 0;              // events written
  std::uint64_t conflicts = 0;           // requests refused for a wrong expected version
  std::uint64_t deduplicated = 0;        // requests answered from an idempotency key
  std::uint64_t bytes = 0;               // log bytes written (hash + envelope)
  std::uint64_t head_cache_bytes = 0;    // the writer's cache of stream heads, after the last batch
  std::uint64_t head_cache_entries = 0;  // its entries
};

class Subscription;

class EventStore {
 public:
  using AppendCallback = std::function<void(Result<AppendResult>)>;

  // Opens (creating if missing) the store at options.path. Fails with kIo, kUnavailable (no
  // room to open, e.g. a full disk), or kCorruption: damage in the write-ahead log, a log that
  // ends before the acknowledged tip (see doc/format.md) or a checkpoint beyond the log's end.
  // A refusal names the damage and what the operator can do; the store never opens by dropping
  // acknowledged events.
  static Result<std::unique_ptr<EventStore>> open(StoreOptions options);

  virtual ~EventStore() = default;
  EventStore(const EventStore&) = delete;
  EventStore& operator=(const EventStore&) = delete;

  // Queues an append; `done` runs exactly once, on the writer thread after the group commit (or
  // on the calling thread when the request is refused before queueing). Keep `done` short.
  // kWrongExpectedVersion carries the actual version; kInvalidArgument, kTooLarge,
  // kOverloaded, kClosed, kUnavailable and kIo leave nothing written. kUnavailable: the store
  // refuses writes for now (health() says why) and resumes by itself when it can.
  virtual void append_async(AppendRequest request, AppendCallback done) = 0;
  // Blocking append: append_async and wait.
  virtual Result<AppendResult> append(AppendRequest request) = 0;

  // The highest committed (durable, readable) position; 0 for an empty log.
  virtual std::uint64_t last_position() const = 0;
  // Waits until last_position() >= position or the timeout passes; returns last_position().
  virtual std::uint64_t wait_for_position(std::uint64_t position,
                                          std::chrono::milliseconds timeout) const = 0;
  virtual StoreStats stats() const = 0;
  // Whether writes are accepted. After a failed write (a full disk, an I/O error) the store
  // refuses writes with kUnavailable, keeps serving reads, and tries every recovery_interval to
  // resume once there is room (resume_free_bytes beyond its memtables).
  virtual StoreHealth health() const = 0;
  // Stream ids and categories are names: non-empty, bounded, without NUL or control bytes (the
  // stream index key is `stream id || 0x00 || version`). Every append and read refuses another
  // with kInvalidArgument, so no name aliases another stream's rows.
  // A stream's current version; 0 when the stream does not exist.
  virtual Result<std::uint64_t> stream_version(std::string_view stream) const = 0;

  // Up to max_count events of a stream starting at version `from` (inclusive), in `direction`.
  // Backward from UINT64_MAX starts at the stream's last event.
  virtual Result<std::vector<RecordedEvent>> read_stream(
      std::string_view stream, std::uint64_t from, std::size_t max_count,
      Direction direction = Direction::kForward) const = 0;
  // Up to max_count events of the global log from position `from` (inclusive).
  virtual Result<std::vector<RecordedEvent>> read_all(std::uint64_t from,
                                                      std::size_t max_count) const = 0;
  // Up to max_count events whose stream is in `category`, from position `from` (inclusive).
  virtual Result<std::vector<RecordedEvent>> read_category(std::string_view category,
                                                           std::uint64_t from,
                                                           std::size_t max_count) const = 0;
  // One event by position; kNotFound when absent.
  virtual Result<RecordedEvent> read_event(std::uint64_t position) const = 0;
  // Visits raw records from `from` to `to` (inclusive) in order without copying; stop early by
  // returning false. Reads one consistent RocksDB snapshot.
  virtual Result<void> scan(std::uint64_t from, std::uint64_t to,
                            const std::function<bool(const RecordView&)>& visit) const = 0;
  // The result first recorded under an idempotency key, if any.
  virtual Result<std::optional<AppendResult>> find_idempotent(std::string_view key) const = 0;

  // Recomputes the hash chain from position 1 and checks that positions are gap-free and that
  // each envelope parses and names its own position. Stops at the first bad record.
  virtual VerifyReport verify_chain(std::uint64_t to = UINT64_MAX) const = 0;

  // A pull subscription delivering events after `after_position` (0: from the start), first from
  // the log, then live as they commit. `category` filters by stream category when not empty.
  virtual std::unique_ptr<Subscription> subscribe(std::uint64_t after_position,
                                                  std::string category = {}) const = 0;

  // For a secondary instance: catch up with the primary. A no-op on a primary.
  virtual Result<void> refresh() = 0;

  virtual Clock& clock() const = 0;
  virtual const StoreOptions& options() const = 0;

  // Low-level access for the engine's own components (snapshots, timers, blobs, checkpoints)
  // and for projections, which keep their rows in families of their own. column_family()
  // creates the family when missing (on a primary); nullptr on failure.
  virtual rocksdb::DB* db() const = 0;
  virtual rocksdb::ColumnFamilyHandle* column_family(std::string_view name) = 0;
  virtual rocksdb::ColumnFamilyHandle* column_family_if_exists(std::string_view name) const = 0;
  virtual std::vector<std::string> column_family_names() const = 0;

  // Registers a function called on the writer thread after every commit that set or cancelled
  // timers (the timer service uses it to wake). Keep it short and non-blocking. Returns an id
  // for remove_timers_listener, which must be called before the listener's owner goes away.
  virtual std::uint64_t add_timers_listener(std::function<void()> listener) = 0;
  virtual void remove_timers_listener(std::uint64_t id) = 0;

 protected:
  EventStore() = default;
};

// A pull subscription: catch-up from the log, then live. Its buffer is the batch a call to
// next() returns, so memory stays bounded however slow the consumer; the writer never waits
// for it. Not thread-safe: one consumer thread per subscription.
class Subscription {
 public:
  virtual ~Subscription() = default;
  // Up to max_count events after the last one delivered, waiting up to `timeout` for the next
  // commit when caught up. An empty vector: nothing new in time, or closed.
  virtual Result<std::vector<RecordedEvent>> next(std::size_t max_count,
                                                  std::chrono::milliseconds timeout) = 0;
  // The position of the last event delivered (or the starting point).
  virtual std::uint64_t position() const = 0;
  // Makes a blocked next() return promptly and every later call return empty. Thread-safe.
  virtual void close() = 0;
};

}  // namespace docket::engine
