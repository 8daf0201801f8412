// Aggregate state as of a moment, folded with the very evolve() the server runs, rendered as JSON.
//
// state_at() dispatches on the stream's category (court, case_number, lawyer, filing, payment,
// case, service, staff) to the domain aggregate, folds the stream from its first event with
// app::Runner<A>::load_until — no cache, no snapshot — and stops before the first event the
// Moment does not admit. States render with their field names: enums as lower-case words
// ("correction_requested"), times as the stored microseconds, maps keyed by string as objects.
//
// Thread-safety: the functions are reentrant; the store's own guarantees apply.
#pragma once

#include <boost/json/value.hpp>

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "docket/app/engine_decider.h"
#include "docket/domain/case.h"
#include "docket/domain/case_number.h"
#include "docket/domain/court.h"
#include "docket/domain/filing.h"
#include "docket/domain/hotline.h"
#include "docket/domain/lawyer.h"
#include "docket/domain/payment.h"
#include "docket/domain/service.h"
#include "docket/domain/staff.h"
#include "docket/engine/event_store.h"

namespace docket::replay {

// Up to when history is folded: everything, events recorded at or before a time, or events at
// or before a log position.
class Moment {
 public:
  static Moment latest() { return Moment(Kind::kLatest, 0); }
  static Moment at_time(std::int64_t us) { return Moment(Kind::kTime, us); }
  static Moment at_position(std::uint64_t position) {
    return Moment(Kind::kPosition, static_cast<std::int64_t>(position));
  }

  bool admits(const engine::RecordedEvent& event) const {
    switch (kind_) {
      case Kind::kTime:
        return event.recorded_at_us <= value_;
      case Kind::kPosition:
        return event.position <= static_cast<std::uint64_t>(value_);
      case Kind::kLatest:
        break;
    }
    return true;
  }
  // {"latest": true} | {"at": "<RFC 3339>", "at_us": …} | {"position": …}
  boost::json::value to_json() const;

 private:
  enum class Kind : std::uint8_t { kLatest, kTime, kPosition };
  Moment(Kind kind, std::int64_t value) : kind_(kind), value_(value) {}
  Kind kind_;
  std::int64_t value_;
};

// Aggregate A's state of `stream` as of `moment`, with the version and position of the last
// event folded in (version 0: no event admitted).
template <class A>
engine::Result<typename app::Runner<A>::Loaded> fold_at(engine::EventStore& store,
                                                        const std::string& stream,
                                                        const Moment& moment) {
  app::Runner<A> runner(store);
  return runner.load_until(stream,
                           [&moment](const engine::RecordedEvent& e) { return moment.admits(e); });
}

// The state of one stream, rendered.
struct StreamState {
  std::string stream;
  std::string category;
  std::uint64_t version = 0;        // the last event folded in; 0: none
  std::uint64_t position = 0;       // its log position
  std::int64_t recorded_at_us = 0;  // its time
  boost::json::value state;         // the aggregate's state
  boost::json::object to_json()
      const;  // {"stream", "category", "version", "position", "recorded_at", "state"}
};

// The state of `stream` as of `moment`. kInvalidArgument when the stream's category is no
// aggregate's; kNotFound when no event of the stream is admitted.
engine::Result<StreamState> state_at(engine::EventStore& store, const std::string& stream,
                                     const Moment& moment);

// The categories state_at() understands.
std::vector<std::string_view> known_categories();

// JSON of each aggregate state.
boost::json::value to_json(const domain::CourtState& state);
boost::json::value to_json(const domain::CaseNumberSequenceState& state);
boost::json::value to_json(const domain::LawyerState& state);
boost::json::value to_json(const domain::FilingState& state);
boost::json::value to_json(const domain::PaymentNoticeState& state);
boost::json::value to_json(const domain::CaseState& state);
boost::json::value to_json(const domain::ServiceState& state);
boost::json::value to_json(const domain::StaffState& state);
boost::json::value to_json(const domain::HotlineRequestState& state);

// State types whose JSON description disagrees with what their serialize() writes (count or
// types of the members, in order), by name; empty when every state renders every field.
std::vector<std::string> state_render_gaps();

}  // namespace docket::replay
