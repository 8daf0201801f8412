// replay_log: the whole log replayed as a fresh server would — every record's hash checked
// against the chain, its envelope decoded (and checked to name its position), and its event
// folded with its aggregate's evolve into an in-memory state per stream. `docket replay` runs it;
// the replay benchmark measures it.
//
// It runs as two stages on two threads: the calling thread reads the log and checks the chain;
// a second thread decodes and folds, in log order, the records that passed (handed over in
// bounded batches, so memory stays flat however long the log).
//
// Thread-safety: reentrant; the store's guarantees apply.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "docket/engine/event_store.h"
#include "docket/replay/progress.h"

namespace docket::replay {

struct ReplayStats {
  std::uint64_t events = 0;              // records replayed
  std::uint64_t folded = 0;              // events folded into an aggregate (known categories)
  std::uint64_t streams = 0;             // streams with state
  std::string tip;                       // hex hash of the last good record
  std::optional<engine::Error> failure;  // the first record whose hash or envelope is bad
};

// Replays positions 1 … `to` (clipped to the last position) with `workers` folding threads (0:
// one per core). Stops at the first bad record, naming it in ReplayStats::failure (events and
// streams folded then cover at least the records before it); kIo when the store cannot be read.
engine::Result<ReplayStats> replay_log(engine::EventStore& store, std::uint64_t to = UINT64_MAX,
                                       Progress* progress = nullptr, unsigned workers = 0);

}  // namespace docket::replay
