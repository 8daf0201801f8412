// Helpers shared by the case and service deciders: FlatBuffers event payloads in and out, the
// blob-hash check and rejection builders. Private to domain/src.
#pragma once

#include <flatbuffers/flatbuffers.h>

#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "docket/domain/core.h"

namespace docket::domain::case_internal {

// Packs a FlatBuffers object-API value as the payload of event `type`.
template <class NativeT>
EventData make_event(std::string_view type, const NativeT& value,
                     std::uint32_t schema_version = 1) {
  flatbuffers::FlatBufferBuilder fbb(256);
  fbb.Finish(NativeT::TableType::Pack(fbb, &value));
  return EventData{
      std::string(type), schema_version,
      std::string(reinterpret_cast<const char*>(fbb.GetBufferPointer()), fbb.GetSize())};
}

// Unpacks a payload of table `Table` into its object-API type after verifying it; nullopt if the
// bytes are not such a table. Copies into aligned storage first, since stored payloads may sit at
// any address.
template <class Table>
std::optional<typename Table::NativeTableType> read_payload(std::string_view payload) {
  if (payload.empty()) {
    return std::nullopt;
  }
  std::vector<std::uint64_t> aligned((payload.size() + 7) / 8);
  std::memcpy(aligned.data(), payload.data(), payload.size());
  const auto* bytes = reinterpret_cast<const std::uint8_t*>(aligned.data());
  flatbuffers::Verifier verifier(bytes, payload.size());
  if (!verifier.VerifyBuffer<Table>(nullptr)) {
    return std::nullopt;
  }
  typename Table::NativeTableType out;
  flatbuffers::GetRoot<Table>(bytes)->UnPackTo(&out);
  return out;
}

// Whether `text` is a lower-case hex SHA-256 (64 characters), as blob hashes are.
inline bool is_blob_hash(std::string_view text) {
  if (text.size() != 64)
    return false;
  for (char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
      return false;
  }
  return true;
}

// Collects violations and turns them into one validation rejection.
class Violations {
 public:
  void require(bool holds, std::string field, std::string message) {
    if (!holds)
      list_.push_back(Violation{std::move(field), std::move(message)});
  }
  void add(std::string field, std::string message) {
    list_.push_back(Violation{std::move(field), std::move(message)});
  }
  bool empty() const { return list_.empty(); }
  // One rejection listing every violation; the message names the first and the count.
  Rejection rejection() const {
    std::string message = list_.front().message;
    if (list_.size() > 1) {
      message += " (and " + std::to_string(list_.size() - 1) + " more)";
    }
    return reject(RejectionCode::kValidation, std::move(message), list_);
  }

 private:
  std::vector<Violation> list_;
};

inline Outcome fail(RejectionCode code, std::string message) {
  return unexpected(reject(code, std::move(message)));
}

inline Outcome decided(std::vector<EventData> events) {
  Decision decision;
  decision.events = std::move(events);
  return decision;
}

}  // namespace docket::domain::case_internal
