// verify_store: checks that a Docket data directory is intact, from doc/format.md's "Invariants
// a verifier can check":
//   chain       the log's keys are 8 bytes, 1 … last with no gap, every envelope parses and
//               names its position, and every stored hash is SHA-256(previous hash || envelope);
//   format      `format_version` is present and this build's;
//   index       `streams` and `categories` hold exactly one entry per record (stream, version →
//               its position; category, position), keys well formed, category values empty;
//   order       each stream's versions rise along the log;
//   heads       every stream's `streams` entries are versions 1 … n with no gap, and its `heads`
//               entry is (n, the position of version n); no head without a stream;
//   blobs       every blob's record is well formed, its chunks are numbered from 0, add up to
//               its size and count and hash to its name, and its content type is a media type
//               that agrees with the bytes' signature when they have one Docket knows;
//   credentials the credential store (outside the chain: doc/format.md, "The credential store")
//               has keys of a log stream, 0x00 and a known kind, and values of that kind's
//               shape; a finding never shows a credential's value;
//   snapshots   every usable snapshot is backed by the log and equals the fold of its stream
//               up to its version (verify_snapshots.h; one finding per bad snapshot).
// Each check reports its FIRST failure — a position, a stream or a blob — and goes no further;
// findings come in the order above.
//
// How: one pass over each family, on one thread per core — the log in segments, `streams`
// merged with `heads`, and `categories` — comparing the entries the records imply with the
// index entries through order-independent keyed digests (doc/format.md, "How docket verify
// reads the families"); entries are looked up one by one only when the digests differ, to name
// the first bad one. Memory is bounded whatever the log's length; blobs stream through the hash.
//
// Works on a live directory opened as a secondary (see data_dir.h): everything is read at the
// state of the store's last refresh. Thread-safety: as the store's reads.
#pragma once

#include <boost/json/object.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "docket/engine/event_store.h"
#include "docket/replay/progress.h"

namespace docket::replay {

struct VerifyFinding {
  std::string check;  // "chain", "format", "index", "order", "heads", "blobs", "credentials",
                      // "snapshots" (or "backup")
  std::optional<std::uint64_t> position;  // the first bad position, when the check names one
  std::string stream;                     // the stream concerned, when known
  std::string blob;                       // the blob's hash, for "blobs"
  std::string message;                    // "Expected …, but …"
};

struct VerifyReport {
  std::uint64_t records = 0;        // log records checked
  std::uint64_t last_position = 0;  // the log's last position
  std::string tip;                  // hex hash of the last good record of the chain
  std::uint64_t streams = 0;        // streams seen in the stream index
  std::uint64_t blobs = 0;          // blobs checked
  std::uint64_t snapshots = 0;      // snapshots checked against the fold of their stream
  std::uint64_t credentials = 0;    // entries of the credential store checked for their shape
  std::vector<VerifyFinding> findings;

  bool ok() const { return findings.empty(); }
  // {"ok", "records", "last_position", "tip", "streams", "blobs", "snapshots", "credentials",
  //  "findings": [...]}
  boost::json::object to_json() const;
};

struct VerifyOptions {
  bool blobs = true;             // re-hash every blob (the slowest part on big stores)
  Progress* progress = nullptr;  // drawn per phase when given
};

// Runs every check. Fails only when the store cannot be read (kIo); a broken store is a report
// with findings.
engine::Result<VerifyReport> verify_store(engine::EventStore& store,
                                          const VerifyOptions& options = {});

}  // namespace docket::replay
