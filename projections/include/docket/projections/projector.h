// Projector: keeps a set of projections current with the event log, exactly once.
//
// Each projection has a checkpoint, the position it has handled up to, in the engine's
// `checkpoints` family under "projection.<name>" (u64be), and beside it its version under
// "projection.<name>/version" (u32be). The projector reads the log after the lowest checkpoint
// in batches; for each batch it applies every event to each projection still behind it and
// commits the rows of all projections together with their new checkpoints in ONE RocksDB
// WriteBatch. A crash therefore leaves rows and checkpoints in agreement, and the next run goes
// on from the checkpoint: each event changes each read model once.
//
// Opening a projection whose stored version differs from version() (or that has no stored
// version but rows) drops its rows and rebuilds it from position 0; so does rebuild().
// Projection writes are not synced: they are rebuildable from the log, and a batch is atomic in
// RocksDB's WAL either way.
//
// A wanted event that a projection neither applies nor ignores (projection.h) stops that
// projection alone: its rows and checkpoint commit up to the event before, it is passed over
// from then on, and the stop is logged and kept in stopped() and last_error(). Its checkpoint
// holds position() back, so read-your-writes waits on it time out rather than answer from a read
// model that silently missed an event. The stop lasts until the projector is built anew (a
// program that knows the event) or the projection is rebuilt.
//
// Read-your-writes: a command's response carries the position it committed; a query that says
// "after P" calls wait_for(P, timeout) before reading.
//
// Thread-safety: catch_up(), rebuild(), rebuild_all() and the live thread serialise on an
// internal mutex; position(), checkpoint(), wait_for() and last_error() may be called from any
// thread. start()/stop() must not race each other. The store must outlive the projector.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "docket/engine/event_store.h"
#include "docket/projections/projection.h"

namespace rocksdb {
class WriteBatch;
}  // namespace rocksdb

namespace docket::projections {

struct ProjectorOptions {
  std::size_t batch_events = 2048;             // events read and committed per batch
  std::chrono::milliseconds idle_wait{200};    // how long the live thread waits for new events
  std::chrono::milliseconds retry_pause{500};  // after a failed batch, before trying again
  // Batches of at least this many events are projected on two threads (projections in turn);
  // SIZE_MAX: always on one thread.
  std::size_t parallel_from_events = 512;
};

// Why a projection stopped: the first event it met that it neither applies nor ignores.
struct ProjectionStop {
  std::string projection;
  std::uint64_t position = 0;  // the event's global position; the checkpoint is just before it
  std::string stream;
  std::string type;
  std::uint32_t schema_version = 0;
  std::string message;  // "Expected …, but …", naming all of the above
};

class Projector {
 public:
  // Opens the projections: creates their families, reads their checkpoints (so position() is
  // valid at once) and resets those whose stored version differs. A failure here is kept in
  // last_error() and the opening is retried by the next catch_up(), rebuild() or live batch.
  Projector(engine::EventStore& store, std::vector<std::unique_ptr<Projection>> projections,
            ProjectorOptions options = {});
  ~Projector();  // stops the live thread
  Projector(const Projector&) = delete;
  Projector& operator=(const Projector&) = delete;

  // Brings every projection to the end of the log (as it is when the call starts, and whatever
  // commits meanwhile), on this thread, except the stopped ones (stopped()): a stop is not an
  // error of the call. Returns the number of events read from the log.
  // kIo / kCorruption when the store fails; kClosed when the store is a read-only secondary.
  engine::Result<std::size_t> catch_up();

  // Follows the log on a thread of its own until stop(). Failures are kept in last_error() and
  // retried after a pause.
  void start();
  void stop();

  // Drops the projection's rows and checkpoint in one batch, then catches it up from position 0.
  // kNotFound for an unknown name; kCorruption (with the event's position) when the rebuilt
  // projection stops on an event it does not know. While it runs, the projection answers from
  // partial rows and wait_for() waits for it.
  engine::Result<void> rebuild(std::string_view name);
  engine::Result<void> rebuild_all();

  // The lowest checkpoint of all projections: every read model reflects the log up to here.
  std::uint64_t position() const;
  // One projection's checkpoint; nullopt for an unknown name.
  std::optional<std::uint64_t> checkpoint(std::string_view name) const;
  // Waits until position() >= `position` or the timeout passes; whether it was reached.
  bool wait_for(std::uint64_t position, std::chrono::milliseconds timeout) const;

  // The names of the projections, in the order given.
  std::vector<std::string> names() const;
  // The most recent failure of the live thread, if its last batch failed; else the first stop.
  std::optional<engine::Error> last_error() const;
  // The projections stopped on an event they do not know, in the order given.
  std::vector<ProjectionStop> stopped() const;

  // The key of a projection's checkpoint and of its version in the checkpoints family.
  static std::string checkpoint_key(std::string_view name);
  static std::string version_key(std::string_view name);
  // The family holding a projection's rows.
  static std::string family_name(std::string_view name);

 private:
  struct Slot;
  engine::Result<void> open_locked();
  engine::Result<void> reset_locked(Slot& slot);
  engine::Result<std::size_t> catch_up_locked();
  engine::Result<void> project_batch_locked(const std::vector<engine::RecordedEvent>& events);
  std::uint64_t lowest_running_checkpoint() const;
  std::optional<engine::Error> first_stop_error(const std::vector<std::string>& names) const;
  void publish_position();
  void run();

  engine::EventStore& store_;
  ProjectorOptions options_;
  std::vector<std::unique_ptr<Slot>> slots_;

  mutable std::mutex work_mutex_;  // one batch / rebuild at a time
  bool opened_ = false;            // guarded by work_mutex_
  // The batch being built, reused (cleared) between batches so its buffer is allocated once.
  std::unique_ptr<rocksdb::WriteBatch> batch_;  // guarded by work_mutex_

  mutable std::mutex position_mutex_;
  mutable std::condition_variable position_changed_;
  std::uint64_t position_ = 0;               // guarded by position_mutex_
  std::optional<engine::Error> last_error_;  // guarded by position_mutex_

  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace docket::projections
