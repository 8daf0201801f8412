#include "docket/domain/reactions.h"

#include <string>
#include <utility>

#include "deciding.h"
#include "filing_generated.h"
#include "payment_generated.h"

namespace docket::domain {
namespace {

using deciding::read_payload;

std::string key(std::string_view reaction, const StoredEvent& event) {
  return std::string(reaction) + "/" + std::to_string(event.position);
}

CasePartyKind to_case(fb::FilingPartyKind kind) {
  switch (kind) {
    case fb::FilingPartyKind::LegalPerson:
      return CasePartyKind::kLegalPerson;
    case fb::FilingPartyKind::OtherOrganisation:
      return CasePartyKind::kOtherOrganisation;
    case fb::FilingPartyKind::NaturalPerson:
      break;
  }
  return CasePartyKind::kNaturalPerson;
}

CasePartyRole to_case(fb::FilingPartyPosition position) {
  switch (position) {
    case fb::FilingPartyPosition::Defendant:
      return CasePartyRole::kDefendant;
    case fb::FilingPartyPosition::ThirdParty:
      return CasePartyRole::kThirdParty;
    case fb::FilingPartyPosition::Plaintiff:
      break;
  }
  return CasePartyRole::kPlaintiff;
}

RegisterCase registration_of(const fb::FilingAcceptedT& accepted, const StoredEvent& event) {
  RegisterCase r;
  r.case_number = accepted.case_number;
  r.court = accepted.court;
  r.category = accepted.category;
  r.filing_id = accepted.filing_id;
  r.accepted_on_us = event.recorded_at_us;
  for (const auto& party : accepted.parties) {
    if (!party)
      continue;
    CaseParty out;
    out.party_id = party->party_id;
    out.name = party->name;
    out.kind = to_case(party->kind);
    out.role = to_case(party->position);
    out.id_number = party->id_number;
    for (const auto& address : accepted.service_addresses) {
      if (address && address->party_id == party->party_id) {
        out.electronic_service_consent = address->electronic_service_consent;
      }
    }
    r.parties.push_back(std::move(out));
  }
  for (const auto& agent : accepted.agents) {
    if (!agent)
      continue;
    r.agents.push_back(CaseAgent{agent->licence_number, agent->id_number, agent->name, agent->firm,
                                 agent->represents});
  }
  return r;
}

IssuePaymentNotice payment_notice_of(const fb::FilingAcceptedT& accepted) {
  return IssuePaymentNotice{accepted.filing_id};
}

std::vector<RoutedCommand> on_filing_accepted(const StoredEvent& event) {
  auto accepted = read_payload<fb::FilingAccepted>(event.payload);
  if (!accepted)
    return {};
  std::vector<RoutedCommand> out;
  out.push_back(RoutedCommand{case_stream(accepted->case_number),
                              CaseCommand{registration_of(*accepted, event)},
                              key("register-case", event)});
  out.push_back(RoutedCommand{payment_stream(accepted->filing_id),
                              PaymentCommand{payment_notice_of(*accepted)},
                              key("issue-payment-notice", event)});
  return out;
}

std::vector<RoutedCommand> on_payment_notice_lapsed(const StoredEvent& event) {
  auto lapsed = read_payload<fb::PaymentNoticeLapsed>(event.payload);
  if (!lapsed || lapsed->case_number.empty())
    return {};
  WithdrawCase withdraw;
  withdraw.reason = "litigation fee unpaid by the due date: treated as withdrawn";
  withdraw.payment_notice = std::string(event.stream);
  return {RoutedCommand{case_stream(lapsed->case_number), CaseCommand{std::move(withdraw)},
                        key("withdraw-case", event)}};
}

// The events react() turns into commands, and how: one table, so that causes_reactions() and
// react() cannot disagree.
struct Trigger {
  std::string_view type;
  std::uint32_t schema_version;
  std::vector<RoutedCommand> (*react)(const StoredEvent&);
};
constexpr Trigger kTriggers[] = {
    {event_type::kFilingAccepted, 1, on_filing_accepted},
    {event_type::kPaymentNoticeLapsed, 1, on_payment_notice_lapsed},
};

const Trigger* trigger_of(std::string_view type, std::uint32_t schema_version) {
  for (const auto& trigger : kTriggers) {
    if (trigger.type == type && trigger.schema_version == schema_version)
      return &trigger;
  }
  return nullptr;
}

}  // namespace

std::vector<RoutedCommand> react(const StoredEvent& event) {
  const Trigger* trigger = trigger_of(event.type, event.schema_version);
  return trigger ? trigger->react(event) : std::vector<RoutedCommand>{};
}

bool causes_reactions(std::string_view type, std::uint32_t schema_version) {
  return trigger_of(type, schema_version) != nullptr;
}

}  // namespace docket::domain
