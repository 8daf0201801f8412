// A stream's history and the whole log's export, as auditors read them.
//
// history: each event of a stream as one JSON line — position, stream, version, type,
// schema_version, time (RFC 3339, UTC), recorded_at_us, actor {id, role}, event_id,
// correlation_id, causation_id and the payload rendered from its FlatBuffers schema (or, when
// it does not render, payload_error and payload_base64) — or as a table for a person.
//
// export: the log from position `from` to `to` as JSON lines. The first line describes the
// export: {"docket_export": 1, "format_version": 1, "from": F, "to": T, "records": N,
// "previous_hash": hex of record F-1's hash (32 zero bytes for F = 1)}. Then one line per record:
// {"position", "hash" (hex), "envelope" (base64 of the exact stored envelope bytes), "stream",
// "version", "type", "time"} (+ "payload" with `payloads`). SHA-256(previous hash || envelope)
// must equal each line's hash, which is how tools/verify_export.py checks it from
// doc/format.md alone.
//
// Thread-safety: reentrant; the store's guarantees apply.
#pragma once

#include <boost/json/object.hpp>

#include <cstdint>
#include <ostream>
#include <string>

#include "docket/engine/event_store.h"
#include "docket/replay/payload_json.h"
#include "docket/replay/progress.h"
#include "docket/replay/state_json.h"

namespace docket::replay {

// One event as a JSON object (see above).
boost::json::object event_json(const engine::RecordedEvent& event,
                               const PayloadRenderer& renderer = PayloadRenderer::domain());

enum class OutputFormat : std::uint8_t { kJsonLines, kTable };

struct HistoryOptions {
  OutputFormat format = OutputFormat::kJsonLines;
  Moment until = Moment::latest();  // events admitted by the moment only
  std::uint64_t from_version = 1;
  std::uint64_t limit = UINT64_MAX;  // at most this many events
};

// Writes the history of `stream`; returns how many events were written. kNotFound when the
// stream has no events at all.
engine::Result<std::uint64_t> write_history(engine::EventStore& store, const std::string& stream,
                                            const HistoryOptions& options, std::ostream& out);

// The table's header line and one row per event (no trailing newline).
std::string history_table_header();
std::string history_table_row(const engine::RecordedEvent& event,
                              const PayloadRenderer& renderer = PayloadRenderer::domain());

struct ExportOptions {
  std::uint64_t from = 1;
  std::uint64_t to = UINT64_MAX;  // clipped to the last position
  bool payloads = false;          // add each record's rendered payload
  Progress* progress = nullptr;
};

struct ExportSummary {
  std::uint64_t from = 0;
  std::uint64_t to = 0;  // the last position exported (from - 1 when none)
  std::uint64_t records = 0;
  std::string tip;  // hex hash of the last record exported
};

// Writes the export. kInvalidArgument when from is 0 or from > to.
engine::Result<ExportSummary> write_export(engine::EventStore& store, const ExportOptions& options,
                                           std::ostream& out);

// Standard base64 (RFC 4648, with padding).
std::string base64(std::string_view bytes);

}  // namespace docket::replay
