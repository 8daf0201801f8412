// Value types of the engine's public API: errors, expected versions, events proposed and
// recorded, timers, append requests and results. All are plain values; none is thread-safe to
// mutate concurrently.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "docket/common/expected.h"
#include "docket/engine/format.h"

namespace docket::engine {

enum class ErrorCode : std::uint8_t {
  kWrongExpectedVersion,  // optimistic concurrency conflict; Error::actual_version is set
  kInvalidArgument,       // the request itself is malformed (empty stream id, NUL in a name…)
  kNotFound,
  kIo,           // the storage failed; nothing of the request was acknowledged
  kCorruption,   // stored bytes do not match their hash or do not parse
  kTooLarge,     // over a configured size limit
  kOverloaded,   // the append queue is full; retry later
  kClosed,       // the store is closing (or is a read-only secondary) and accepts no writes
  kUnavailable,  // the store refuses writes for now (a full disk, a failed write) and resumes
                 // by itself when it can; nothing of the request was written; retry later
};

std::string_view to_string(ErrorCode code);

// An engine failure. `message` reads "Expected …, but …" where a caller's expectation failed.
struct Error {
  ErrorCode code = ErrorCode::kIo;
  std::string message;
  std::optional<std::uint64_t> actual_version;  // set with kWrongExpectedVersion
  std::optional<std::uint64_t> position;        // the first bad position, for kCorruption
};

template <class T>
using Result = Expected<T, Error>;

// The version a writer expects a stream to be at.
class ExpectedVersion {
 public:
  static constexpr ExpectedVersion any() { return ExpectedVersion(Kind::kAny, 0); }
  static constexpr ExpectedVersion no_stream() { return ExpectedVersion(Kind::kExact, 0); }
  static constexpr ExpectedVersion exact(std::uint64_t version) {
    return ExpectedVersion(Kind::kExact, version);
  }

  bool is_any() const { return kind_ == Kind::kAny; }
  std::uint64_t version() const { return version_; }  // 0 = no stream
  bool admits(std::uint64_t current) const { return is_any() || current == version_; }
  std::string describe() const;

 private:
  enum class Kind : std::uint8_t { kAny, kExact };
  constexpr ExpectedVersion(Kind kind, std::uint64_t version) : kind_(kind), version_(version) {}
  Kind kind_;
  std::uint64_t version_;
};

// A 128-bit identifier (RFC 4122 layout when made by Uuid::random()).
struct Uuid {
  std::uint64_t hi = 0;
  std::uint64_t lo = 0;

  static Uuid random();  // version 4, from a thread-local CSPRNG-seeded generator
  bool is_nil() const { return hi == 0 && lo == 0; }
  std::string to_string() const;  // 8-4-4-4-12 lower-case hex
  static std::optional<Uuid> parse(std::string_view text);
  friend bool operator==(const Uuid&, const Uuid&) = default;
};

// Who caused an event.
struct Actor {
  std::string id;
  std::string role;
};

// An event to append. A nil event_id is replaced by a random one.
struct ProposedEvent {
  std::string type;
  std::uint32_t schema_version = 1;
  std::string payload;
  Uuid event_id;
};

// A durable timer: at `due_at_us` the command runs against `stream`. Ids are unique; setting an
// id again replaces the earlier timer.
struct TimerSpec {
  std::string id;
  std::int64_t due_at_us = 0;
  std::string stream;
  std::string command_type;
  std::string payload;
};

// A timer that fired: removed by the append that carries it only if it is still set for the
// same due time (a decision may have moved it meanwhile).
struct FiredTimer {
  std::string id;
  std::int64_t due_at_us = 0;
};

// A write to one of the caller's own column families (never one of the store's core families),
// made in the same atomic write as an append's events: the caller's bookkeeping that must be
// durable exactly when the events are (an API's record of the request an idempotency key was
// first sent with). An empty value erases the key.
struct SideWrite {
  std::string family;
  std::string key;
  std::string value;
};

struct AppendRequest {
  std::string stream;
  ExpectedVersion expected = ExpectedVersion::any();
  std::vector<ProposedEvent> events;
  Actor actor;
  Uuid correlation_id;
  Uuid causation_id;
  std::string idempotency_key;  // empty: none
  std::vector<TimerSpec> timers_to_set;
  std::vector<std::string> timers_to_cancel;
  std::vector<FiredTimer> timers_fired;
  // Credentials to set in the `credentials` family (outside the hash chain) in the same atomic
  // write as the events: key -> value, an empty value erasing the key. Written only when the
  // request is (not when it fails or is deduplicated).
  std::vector<std::pair<std::string, std::string>> credential_writes;
  // The command is recorded and still rejected (a failed attempt that counts, such as a wrong
  // key): the decider's rejection as bytes its adapter reads back. Kept with the idempotency key,
  // so a repeat of the command is rejected the same way. Empty: not rejected.
  std::string rejection;
  // Written with the events, only when the request is (not when it fails or is deduplicated).
  std::vector<SideWrite> side_writes;
  // When the command was decided, by the caller's reading of the store's clock: the events are
  // recorded at this time, so a deadline the decision counted from "now" is counted from the
  // events' recorded time exactly. 0: the time the writer reads. Either way a record is never
  // stamped earlier than the record before it (a later decision committed first, or a clock
  // set back, is stamped with its predecessor's time).
  std::int64_t decided_at_us = 0;
};

struct AppendResult {
  std::uint64_t first_position = 0;  // 0 when no event was appended
  std::uint64_t last_position = 0;
  std::uint64_t stream_version = 0;  // the stream's version after the append
  bool deduplicated = false;        // a repeated idempotency key: the first result, nothing written
  std::int64_t recorded_at_us = 0;  // the time stamped on the appended events (0 when deduplicated)
  std::string rejection;  // the request's rejection (the first request's, when deduplicated)
};

// A recorded event, decoded and owning its bytes.
struct RecordedEvent {
  std::uint64_t position = 0;
  std::string stream;
  std::uint64_t version = 0;
  Uuid event_id;
  std::string type;
  std::uint32_t schema_version = 1;
  std::int64_t recorded_at_us = 0;
  Actor actor;
  Uuid correlation_id;
  Uuid causation_id;
  std::string payload;
  format::Hash hash{};  // the chain hash stored with the record
};

}  // namespace docket::engine
