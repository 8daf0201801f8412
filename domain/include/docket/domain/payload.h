// Reading a FlatBuffers event (or timer) payload of the domain's schema, for the deciders and
// appliers and for the app's readers of events (the outbox).
#pragma once

#include <flatbuffers/flatbuffers.h>

#include <cstdint>
#include <cstring>
#include <optional>
#include <string_view>
#include <vector>

namespace docket::domain {

// Unpacks a payload of table `Table` after verifying it; nullopt if the bytes are not such a
// table. Copies into aligned storage first, since stored payloads may sit at any address.
template <class Table>
std::optional<typename Table::NativeTableType> read_payload(std::string_view payload) {
  if (payload.empty())
    return std::nullopt;
  std::vector<std::uint64_t> aligned((payload.size() + 7) / 8);
  std::memcpy(aligned.data(), payload.data(), payload.size());
  const auto* bytes = reinterpret_cast<const std::uint8_t*>(aligned.data());
  flatbuffers::Verifier verifier(bytes, payload.size());
  if (!verifier.VerifyBuffer<Table>(nullptr))
    return std::nullopt;
  typename Table::NativeTableType out;
  flatbuffers::GetRoot<Table>(bytes)->UnPackTo(&out);
  return out;
}

}  // namespace docket::domain
