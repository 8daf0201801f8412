#include "docket/replay/replay.h"

#include <flatbuffers/flatbuffers.h>

#include <cstring>
#include <tuple>
#include <unordered_map>

#include "aligned.h"
#include "docket/domain/case.h"
#include "docket/domain/case_number.h"
#include "docket/domain/court.h"
#include "docket/domain/filing.h"
#include "docket/domain/lawyer.h"
#include "docket/domain/payment.h"
#include "docket/domain/service.h"
#include "docket/domain/staff.h"
#include "docket/engine/format.h"
#include "docket/engine/sha256.h"
#include "envelope_generated.h"

namespace docket::replay {

namespace format = engine::format;

namespace {

struct NameHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

template <class A>
struct States {
  using Aggregate = A;
  std::unordered_map<std::string, typename A::State, NameHash, std::equal_to<>> by_stream;
};

using AllStates = std::tuple<States<domain::CourtAggregate>, States<domain::CaseNumberAggregate>,
                             States<domain::LawyerAggregate>, States<domain::FilingAggregate>,
                             States<domain::PaymentAggregate>, States<domain::CaseAggregate>,
                             States<domain::ServiceAggregate>, States<domain::StaffAggregate>>;

std::string_view view(const flatbuffers::String* s) {
  return s == nullptr ? std::string_view() : s->string_view();
}

}  // namespace

engine::Result<ReplayStats> replay_log(engine::EventStore& store, std::uint64_t to,
                                       Progress* progress) {
  ReplayStats stats;
  const std::uint64_t last = std::min(to, store.last_position());
  if (progress != nullptr)
    progress->restart("replay", last);
  AllStates states;
  format::Hash previous = format::kGenesisHash;
  stats.tip = engine::to_hex(previous);
  engine::Sha256 hasher;
  std::uint64_t expected = 1;
  detail::AlignedBytes aligned;
  auto fail = [&](std::string message) {
    stats.failure =
        engine::Error{engine::ErrorCode::kCorruption, std::move(message), std::nullopt, expected};
    return false;
  };
  auto r = store.scan(1, last, [&](const engine::RecordView& v) {
    if (v.key_position != expected) {
      return fail("Expected position " + std::to_string(expected) + " next, but found " +
                  std::to_string(v.key_position));
    }
    hasher.update(previous);
    hasher.update(v.envelope);
    const auto computed = hasher.finish();
    if (std::memcmp(computed.data(), v.hash.data(), format::kHashSize) != 0) {
      return fail("Expected the stored hash at position " + std::to_string(expected) +
                  " to equal SHA-256(previous hash || envelope), but it does not");
    }
    const auto bytes = aligned(v.envelope);
    flatbuffers::Verifier verifier(reinterpret_cast<const std::uint8_t*>(bytes.data()),
                                   bytes.size());
    if (!engine::fb::VerifyEnvelopeBuffer(verifier)) {
      return fail("Expected a well-formed envelope at position " + std::to_string(expected) +
                  ", but it does not parse");
    }
    const auto* env = engine::fb::GetEnvelope(bytes.data());
    domain::StoredEvent event;
    event.stream = view(env->stream_id());
    event.type = view(env->event_type());
    event.schema_version = env->schema_version();
    if (env->payload() != nullptr)
      event.payload = std::string_view(reinterpret_cast<const char*>(env->payload()->data()),
                                       env->payload()->size());
    event.version = env->stream_version();
    event.position = env->position();
    event.recorded_at_us = env->recorded_at_us();
    const auto category = format::category_of(event.stream);
    std::apply(
        [&](auto&... s) {
          (
              [&](auto& one) {
                using A = typename std::remove_reference_t<decltype(one)>::Aggregate;
                if (A::kCategory != category)
                  return;
                auto it = one.by_stream.find(event.stream);
                if (it == one.by_stream.end())
                  it = one.by_stream.emplace(std::string(event.stream), A::initial()).first;
                A::evolve(it->second, event);
                ++stats.folded;
              }(s),
              ...);
        },
        states);
    previous = computed;
    ++stats.events;
    ++expected;
    if (progress != nullptr && (stats.events & 4095) == 0)
      progress->set(stats.events);
    return true;
  });
  if (!r && !stats.failure)
    return unexpected(r.error());
  if (!stats.failure && expected <= last)
    fail("Expected position " + std::to_string(expected) + " next, but the log ends at " +
         std::to_string(expected - 1));
  stats.tip = engine::to_hex(previous);
  std::apply([&](auto&... s) { ((stats.streams += s.by_stream.size()), ...); }, states);
  if (progress != nullptr)
    progress->finish();
  return stats;
}

}  // namespace docket::replay
