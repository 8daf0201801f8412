// replay_log: the whole log replayed as a fresh server would — every record's hash checked
// against the chain, its envelope decoded, and its event folded with its aggregate's evolve into
// an in-memory state per stream. What the `replay` benchmark measures, and a whole-log check
// that every stream of a known category folds.
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

// Replays positions 1 … `to` (clipped to the last position). Stops at the first bad record,
// naming it in ReplayStats::failure; kIo when the store cannot be read.
engine::Result<ReplayStats> replay_log(engine::EventStore& store, std::uint64_t to = UINT64_MAX,
                                       Progress* progress = nullptr);

}  // namespace docket::replay
