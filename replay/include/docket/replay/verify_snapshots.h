// verify_snapshots: the "snapshots" check of `docket verify`.
//
// Every stored snapshot that loading could use (the current layout, a state version the
// aggregate of its stream's category still reads) must be backed by the log — the stream's
// event at the snapshot's version sits at the position it names, with the chain hash it names —
// and must equal the fold of its stream's events 1 … version through the same evolve replay
// runs, compared by re-encoding the folded state with the same cereal encoder. Each snapshot
// that fails is a finding naming its stream and version (at most kMaxSnapshotFindings). Snapshots
// of the first layout or of another state version are skipped: loading ignores them. Seals are
// not checked here (the key stays with the server); the fold is the stronger check.
//
// Thread-safety: as the store's reads.
#pragma once

#include <cstddef>

#include "docket/engine/event_store.h"
#include "docket/replay/verify.h"

namespace docket::replay {

inline constexpr std::size_t kMaxSnapshotFindings = 100;

// Adds the findings to `report` and counts the snapshots checked in report.snapshots. Fails only
// when the store cannot be read (kIo).
engine::Result<void> verify_snapshots(engine::EventStore& store, VerifyReport& report);

}  // namespace docket::replay
