// Everything about one case as it stood at a moment — what an auditor needs to answer "what did
// the lawyer see on that day".
//
// case_at() folds, each with the server's own evolve and up to the same Moment:
//   case            case-<case number>
//   filing          filing-<id> it was registered from (null for a case a court system pushed)
//   payment_notice  payment-<filing id> (null when none was issued by then)
//   services        every service-<id> whose DocumentServed names the case, in serving order
// and adds `messages` (the case's messages to the judge, by time sent) and `timeline` (every
// admitted event of those streams, by position: position, time, stream, type, actor).
//
// Thread-safety: reentrant; the store's guarantees apply.
#pragma once

#include <boost/json/object.hpp>

#include <string>

#include "docket/engine/event_store.h"
#include "docket/replay/state_json.h"

namespace docket::replay {

// kNotFound when the case had not been registered by then.
engine::Result<boost::json::object> case_at(engine::EventStore& store,
                                            const std::string& case_number, const Moment& moment);

}  // namespace docket::replay
