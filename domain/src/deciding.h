// Helpers shared by every decider and applier: FlatBuffers event payloads in and out, the
// applier table's typed entries, rejection builders, small checks. Private to domain/src.
#pragma once

#include <flatbuffers/flatbuffers.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "docket/domain/aggregate.h"
#include "docket/domain/core.h"
#include "docket/domain/payload.h"

namespace docket::domain::deciding {

// Packs a FlatBuffers object-API value as the payload of event (or timer) `type`.
template <class NativeT>
EventData make_event(std::string_view type, const NativeT& value,
                     std::uint32_t schema_version = 1) {
  flatbuffers::FlatBufferBuilder fbb(256);
  fbb.Finish(NativeT::TableType::Pack(fbb, &value));
  return EventData{
      std::string(type), schema_version,
      std::string(reinterpret_cast<const char*>(fbb.GetBufferPointer()), fbb.GetSize())};
}

template <class NativeT>
std::string pack(const NativeT& value) {
  return make_event("", value).payload;
}

using domain::read_payload;

// The payload of a stored `event` as table `Table`, for appliers: throws EventFoldError when
// the bytes are not such a table (a fold never skips an event it cannot read).
template <class Table>
typename Table::NativeTableType payload_of(const StoredEvent& event) {
  auto payload = read_payload<Table>(event.payload);
  if (!payload)
    throw EventFoldError("Expected a payload that parses as its table, but " +
                         describe_event(event) + " does not");
  return std::move(*payload);
}

// Checks that a stored `event`'s payload parses as `Table`, for appliers that read nothing of it.
template <class Table>
void require_payload(const StoredEvent& event) {
  (void)payload_of<Table>(event);
}

// Adds to `table` the applier of (`type`, `schema_version`) whose payload is a `Table`.
template <class Table, class State, class Apply>
void on(ApplierTable<State>& table, std::string_view type, std::uint32_t schema_version,
        Apply apply) {
  table.on(type, schema_version, [apply](State& state, const StoredEvent& event) {
    apply(state, payload_of<Table>(event));
  });
}

// Whether `text` is a lower-case hex SHA-256 (64 characters), as blob hashes are.
inline bool is_sha256_hex(std::string_view text) {
  if (text.size() != 64)
    return false;
  for (char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
      return false;
  }
  return true;
}

// The number of UTF-8 code points in `text`.
inline std::size_t utf8_length(std::string_view text) {
  std::size_t n = 0;
  for (unsigned char c : text) {
    if ((c & 0xC0) != 0x80)
      ++n;
  }
  return n;
}

inline std::string quoted(std::string_view text) {
  return "\"" + std::string(text) + "\"";
}

// Collects violations and turns them into one validation rejection.
class Violations {
 public:
  void require(bool holds, std::string field, std::string message) {
    if (!holds)
      add(std::move(field), std::move(message));
  }
  void add(std::string field, std::string message) {
    list_.push_back(Violation{std::move(field), std::move(message)});
  }
  void append(std::vector<Violation> more) {
    for (auto& v : more)
      list_.push_back(std::move(v));
  }
  bool empty() const { return list_.empty(); }
  std::size_t size() const { return list_.size(); }
  // One rejection listing every violation, with `message` ("Expected …, but …").
  Rejection rejection(std::string message) const {
    return reject(RejectionCode::kValidation, std::move(message), list_);
  }
  // One rejection whose message is the first violation's, noting how many more follow.
  Rejection rejection() const {
    std::string message = list_.front().message;
    if (list_.size() > 1)
      message += " (and " + std::to_string(list_.size() - 1) + " more)";
    return reject(RejectionCode::kValidation, std::move(message), list_);
  }

 private:
  std::vector<Violation> list_;
};

inline Outcome fail(RejectionCode code, std::string message) {
  return unexpected(reject(code, std::move(message)));
}

inline Outcome nothing() {
  return Decision{};
}

inline Outcome decided(std::vector<EventData> events, std::vector<TimerRequest> timers = {},
                       std::vector<std::string> cancel = {}) {
  return Decision{std::move(events), std::move(timers), std::move(cancel)};
}

}  // namespace docket::domain::deciding
