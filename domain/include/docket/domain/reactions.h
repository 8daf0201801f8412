// Reactions: pure functions from a stored event to the commands it causes on other streams. The
// app runs react() on the engine's reactor for every event of the log, sends each RoutedCommand
// through the ordinary command path as Role::kSystem, with the given idempotency key, after
// filling the fields documented below as "filled by the app".
//
// The reactions (name: trigger -> command on stream):
//  - "register-case": FilingAccepted (v1) on filing-<id> -> RegisterCase on case-<case number>.
//    Parties, agents and each party's electronic-service consent come from the event;
//    accepted_on_us is the event's recorded_at_us; the judge in charge is left empty (the court
//    system assigns one with AssignJudge).
//  - "issue-payment-notice": FilingAccepted (v1) -> IssuePaymentNotice on payment-<filing id>,
//    payers = the agents' licence numbers. Filled by the app from court-<court>'s policy:
//      amount_fen    = fee_for(fee schedule, fee_basis(event)->category,
//                              fee_basis(event)->amount_in_dispute_fen);
//      due_period_us = the policy's fee due period.
//    Until filled they hold kAmountFilledByApp (-1) and 0, which the payment decider rejects, so a
//    forgotten fill fails loudly instead of issuing a fee-free notice.
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

// The placeholder amount of an IssuePaymentNotice the app has not filled yet.
inline constexpr std::int64_t kAmountFilledByApp = -1;

// The commands `event` causes, in order; empty for events that cause nothing. A payload that does
// not decode causes nothing either.
std::vector<RoutedCommand> react(const StoredEvent& event);

// Whether react() turns an event of this type and schema version into commands: a command that
// writes one may wait for those commands before it answers (read-your-writes across reactions).
bool causes_reactions(std::string_view type, std::uint32_t schema_version);

// What the litigation fee of an accepted filing depends on: the app passes it to fee_for with the
// court's fee schedule. nullopt unless `event` is a FilingAccepted (v1) that decodes.
struct FeeBasis {
  std::string court;
  std::string category;
  std::int64_t amount_in_dispute_fen = 0;
};
std::optional<FeeBasis> fee_basis(const StoredEvent& event);

}  // namespace docket::domain
