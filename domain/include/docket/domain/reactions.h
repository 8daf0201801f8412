// Reactions: pure functions from a stored event to the commands it causes on other streams. The
// app runs react() on the engine's reactor for every event of the log and sends each
// RoutedCommand through the ordinary command path as Role::kSystem, with the given idempotency
// key; the deciders read what else they need as facts (facts.h).
//
// The reactions (name: trigger -> command on stream):
//  - "register-case": FilingAccepted (v1) on filing-<id> -> RegisterCase on case-<case number>.
//    Parties, agents and each party's electronic-service consent come from the event;
//    accepted_on_us is the event's recorded_at_us; the judge in charge is left empty (the court
//    system assigns one with AssignJudge).
//  - "issue-payment-notice": FilingAccepted (v1) -> IssuePaymentNotice on payment-<filing id>;
//    the payment decider reads the filing and its court's policy (the payers, the fee).
//  - "withdraw-case": PaymentNoticeLapsed (v1) on payment-<filing id> -> WithdrawCase on
//    case-<case number>, naming the lapsed notice's stream.
// Every other event causes nothing. Hearings scheduled or moved need no command elsewhere (the
// lawyers' calendars are read models), nor does a settled fee (the case simply proceeds).
//
// Idempotency keys are "<reaction name>/<position of the triggering event>", so each reaction
// happens exactly once however often the reactor replays the event.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "docket/domain/case.h"
#include "docket/domain/core.h"
#include "docket/domain/court.h"
#include "docket/domain/filing.h"
#include "docket/domain/lawyer.h"
#include "docket/domain/payment.h"
#include "docket/domain/service.h"

namespace docket::domain {

using AnyCommand = std::variant<CourtCommand, LawyerCommand, FilingCommand, PaymentCommand,
                                CaseCommand, ServiceCommand>;

struct RoutedCommand {
  std::string stream;  // "<category>-<id>" of the target aggregate
  AnyCommand command;
  std::string idempotency_key;  // "<reaction name>/<position>"
};

// The commands `event` causes, in order; empty for events that cause nothing. A payload that does
// not decode causes nothing either.
std::vector<RoutedCommand> react(const StoredEvent& event);

// Whether react() turns an event of this type and schema version into commands: a command that
// writes one may wait for those commands before it answers (read-your-writes across reactions).
bool causes_reactions(std::string_view type, std::uint32_t schema_version);

}  // namespace docket::domain
