// What a decider may read besides its own stream's state: other streams' states and the
// credential store, as the app finds them for this command (through the position the caller had
// seen). A decider asks for what it needs while it decides; the app loads it then, once per
// command, and a storage error while loading fails the command before anything is written
// (app/engine_decider.h). A decider never loads anything itself, and reads no fact it was not
// given: in tests a FakeFacts holds them.
//
// Which decider reads which facts:
//   SaveAgents             lawyer(each agent's licence): name, firm, id number, phone, active
//   ChooseCourt            court(code): registered, name
//   SubmitFiling           court(the filing's court): code lists, review period
//   RequestCorrection      court(the filing's court): correction period
//   AllocateCaseNumber     court(code): the category's case-number code
//   IssuePaymentNotice     filing(id), court(the filing's court): status, agents, fee schedule
//   ChangePassword,
//   ChangeStaffPassword    credential(the account's stream, password)
//   BindLegacyCase         credential(the case, legacy binding), lawyer(the actor)
//   RequestHearingAvoidance lawyer(the actor): phone
//   ServeDocument          case_state(number), lawyer(recipient), court(the case's court)
//   ResendSmsKey           lawyer(recipient), court(the service's court)
//   a lawyer's case command lawyer(the actor): id number, when the licence names no agent of
//                          the case (case.h, agent_for); SendEvidenceForExchange the same of its
//                          recipient
//   FileHotlineRequest     court(code), case_state(number), lawyer(the actor)
//   ForwardHotlineRequest  case_state(number): the judge in charge; staff(judge): a named judge
//   OrderRefund            hotline_request(id): the request the refund answers, its court
//   ReferToMediation       court(the filing's court): no_mediation_case_categories
//   RecordMediationOutcome,
//   MediationDeadlineReached,
//   DecideJudicialConfirmation court(the filing's court): the review period, restarted
//   DecideHearingOutsideCourtroom court(the case's court): the president
#pragma once

#include <string>
#include <string_view>

#include "docket/domain/case.h"
#include "docket/domain/core.h"
#include "docket/domain/court.h"
#include "docket/domain/filing.h"
#include "docket/domain/hotline.h"
#include "docket/domain/lawyer.h"
#include "docket/domain/staff.h"

namespace docket::domain {

class Facts {
 public:
  virtual ~Facts() = default;
  // The court `code` (an empty state, exists false, when it is not registered or code is empty).
  virtual const CourtState& court(std::string_view code) const = 0;
  // The lawyer with `licence` (exists false when none).
  virtual const LawyerState& lawyer(std::string_view licence) const = 0;
  // The filing `filing_id` (exists false when none).
  virtual const FilingState& filing(std::string_view filing_id) const = 0;
  // The case `case_number` (exists false when none).
  virtual const CaseState& case_state(std::string_view case_number) const = 0;
  // The credential of `kind` kept for `stream` in the credential store ("" when none).
  virtual std::string credential(std::string_view stream, CredentialKind kind) const = 0;
  // The staff account `staff_id` (exists false when none).
  virtual const StaffState& staff(std::string_view staff_id) const = 0;
  // The hotline request `hotline_request_id` (exists false when none).
  virtual const HotlineRequestState& hotline_request(std::string_view hotline_request_id) const = 0;
};

// The facts a command was given, or none at all (every state empty, no credential) when the
// caller gave none: a decider that reads facts it was not given decides on an empty world.
const Facts& facts_of(const Context& ctx);

// The policy of court `code`: the court's own when it is registered, else the platform's
// defaults.
CourtPolicy policy_of(const Facts& facts, std::string_view code);

}  // namespace docket::domain
