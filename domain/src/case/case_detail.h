// Private to the case aggregate (domain/src/case/): the guards and conversions its features
// share, and each feature's deciders and appliers. CaseAggregate::decide dispatches to
// decide_one by the command's type; CaseAggregate::appliers() gathers every feature's appliers.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "case_generated.h"
#include "deciding.h"
#include "docket/domain/case.h"
#include "docket/domain/facts.h"

namespace docket::domain::case_detail {

using deciding::decided;
using deciding::fail;
using deciding::is_sha256_hex;
using deciding::make_event;
using deciding::on;
using deciding::payload_of;
using deciding::Violations;

inline constexpr std::int64_t kMinuteUs = 60'000'000;

// 'text', as the case's messages quote ids and values.
std::string quoted(std::string_view text);

// ----- conversions between state values and payload tables ---------------------------------

std::unique_ptr<fb::CasePartyT> to_fb(const CaseParty& party);
CaseParty from_fb(const fb::CasePartyT& party);
std::unique_ptr<fb::CaseAgentT> to_fb(const CaseAgent& agent);
CaseAgent from_fb(const fb::CaseAgentT& agent);
std::vector<std::unique_ptr<fb::CaseAttachmentT>> to_fb(
    const std::vector<CaseAttachment>& attachments);
std::vector<CaseAttachment> from_fb(
    const std::vector<std::unique_ptr<fb::CaseAttachmentT>>& attachments);

// ----- lookups and guards --------------------------------------------------------------------

const CaseParty* find_party(const CaseState& state, std::string_view party_id);
CaseParty* find_party(CaseState& state, std::string_view party_id);
std::optional<Rejection> check_exists(const CaseState& state);
std::optional<Rejection> check_open(const CaseState& state);
std::optional<Rejection> check_agent(const CaseState& state, const Context& ctx);
std::optional<Rejection> check_judge_side(const CaseState& state, const Principal& actor);

// The first rejection of `checks` (callables returning optional<Rejection>), run in order until
// one rejects.
template <class... Checks>
std::optional<Rejection> first_of(Checks&&... checks) {
  std::optional<Rejection> result;
  ((result = result ? result : std::optional<Rejection>(checks())), ...);
  return result;
}

// Every attachment named and hashed: violations under `field`[i].
void check_attachments(Violations& violations, const std::vector<CaseAttachment>& attachments,
                       std::string_view field);

// The deadline timers of every exchange still awaiting an answer (cancelled when a case ends).
std::vector<std::string> pending_exchange_timers(const CaseState& state);

// The entry of `key` in `map`, or null.
template <class Map>
auto* entry_of(Map& map, const std::string& key) {
  auto it = map.find(key);
  return it == map.end() ? nullptr : &it->second;
}

// ----- deciders, one per command ---------------------------------------------------------

// case.cc: registration, the judge, an old case, the end of a case
Outcome decide_one(const CaseState& state, const RegisterCase& c, const Context& ctx);
Outcome decide_one(const CaseState& state, const AssignJudge& c, const Context& ctx);
Outcome decide_one(const CaseState& state, const BindLegacyCase& c, const Context& ctx);
Outcome decide_one(const CaseState& state, const WithdrawCase& c, const Context& ctx);
Outcome decide_one(const CaseState& state, const CloseCase& c, const Context& ctx);

// hearings.cc
Outcome decide_one(const CaseState& state, const RecordOnlineHearingConsent& c, const Context& ctx);
Outcome decide_one(const CaseState& state, const ScheduleHearing& c, const Context& ctx);
Outcome decide_one(const CaseState& state, const RescheduleHearing& c, const Context& ctx);
Outcome decide_one(const CaseState& state, const HoldHearing& c, const Context& ctx);
Outcome decide_one(const CaseState& state, const CancelHearing& c, const Context& ctx);
Outcome decide_one(const CaseState& state, const RecordHearingAbsence& c, const Context& ctx);
Outcome decide_one(const CaseState& state, const RequestHearingAvoidance& c, const Context& ctx);
Outcome decide_one(const CaseState& state, const GrantHearingAvoidance& c, const Context& ctx);
Outcome decide_one(const CaseState& state, const RefuseHearingAvoidance& c, const Context& ctx);
Outcome decide_one(const CaseState& state, const RecordOnlineHearingExclusions& c,
                   const Context& ctx);
Outcome decide_one(const CaseState& state, const RequestHearingOutsideCourtroom& c,
                   const Context& ctx);
Outcome decide_one(const CaseState& state, const DecideHearingOutsideCourtroom& c,
                   const Context& ctx);
Outcome decide_one(const CaseState& state, const RecordHearingTranscript& c, const Context& ctx);
Outcome decide_one(const CaseState& state, const ConfirmHearingTranscript& c, const Context& ctx);

// evidence.cc
Outcome decide_one(const CaseState& state, const AddEvidenceItem& c, const Context& ctx);
Outcome decide_one(const CaseState& state, const RemoveEvidenceItems& c, const Context& ctx);
Outcome decide_one(const CaseState& state, const SubmitEvidenceBatch& c, const Context& ctx);
Outcome decide_one(const CaseState& state, const MarkEvidenceItem& c, const Context& ctx);

// exchanges.cc
Outcome decide_one(const CaseState& state, const SendEvidenceForExchange& c, const Context& ctx);
Outcome decide_one(const CaseState& state, const OpenEvidenceExchange& c, const Context& ctx);
Outcome decide_one(const CaseState& state, const AnswerEvidenceExchange& c, const Context& ctx);
Outcome decide_one(const CaseState& state, const EvidenceExchangeDeadlineReached& c,
                   const Context& ctx);

// file_reviews.cc
Outcome decide_one(const CaseState& state, const AddCaseFileMaterial& c, const Context& ctx);
Outcome decide_one(const CaseState& state, const ApplyForFileReview& c, const Context& ctx);
Outcome decide_one(const CaseState& state, const ApproveFileReview& c, const Context& ctx);
Outcome decide_one(const CaseState& state, const RefuseFileReview& c, const Context& ctx);
Outcome decide_one(const CaseState& state, const RecordFileReviewAccess& c, const Context& ctx);

// messages.cc
Outcome decide_one(const CaseState& state, const SendMessageToJudge& c, const Context& ctx);
Outcome decide_one(const CaseState& state, const MarkMessageRead& c, const Context& ctx);
Outcome decide_one(const CaseState& state, const ReplyToMessage& c, const Context& ctx);

// ----- appliers, one table filled by every feature ---------------------------------------

void add_case_appliers(ApplierTable<CaseState>& table);
void add_hearing_appliers(ApplierTable<CaseState>& table);
void add_transcript_appliers(ApplierTable<CaseState>& table);
void add_evidence_appliers(ApplierTable<CaseState>& table);
void add_exchange_appliers(ApplierTable<CaseState>& table);
void add_file_review_appliers(ApplierTable<CaseState>& table);
void add_message_appliers(ApplierTable<CaseState>& table);

}  // namespace docket::domain::case_detail
