#include "docket/domain/case.h"

#include <algorithm>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <utility>

#include "case_generated.h"
#include "case_payload.h"

namespace docket::domain {
namespace {

using case_internal::decided;
using case_internal::fail;
using case_internal::is_blob_hash;
using case_internal::make_event;
using case_internal::read_payload;
using case_internal::Violations;

constexpr std::int64_t kMinuteUs = 60'000'000;

std::string quoted(std::string_view text) {
  return "'" + std::string(text) + "'";
}

// ----- conversions between state values and payload tables ------------------------------------

std::unique_ptr<fb::CasePartyT> to_fb(const CaseParty& party) {
  auto out = std::make_unique<fb::CasePartyT>();
  out->party_id = party.party_id;
  out->name = party.name;
  out->kind = static_cast<fb::CasePartyKind>(party.kind);
  out->role = static_cast<fb::CasePartyRole>(party.role);
  out->id_number = party.id_number;
  out->electronic_service_consent = party.electronic_service_consent;
  return out;
}

CaseParty from_fb(const fb::CasePartyT& party) {
  CaseParty out;
  out.party_id = party.party_id;
  out.name = party.name;
  out.kind = static_cast<CasePartyKind>(party.kind);
  out.role = static_cast<CasePartyRole>(party.role);
  out.id_number = party.id_number;
  out.electronic_service_consent = party.electronic_service_consent;
  return out;
}

std::unique_ptr<fb::CaseAgentT> to_fb(const CaseAgent& agent) {
  auto out = std::make_unique<fb::CaseAgentT>();
  out->licence = agent.licence;
  out->identity_number = agent.identity_number;
  out->name = agent.name;
  out->firm = agent.firm;
  out->represents = agent.represents;
  return out;
}

CaseAgent from_fb(const fb::CaseAgentT& agent) {
  return CaseAgent{agent.licence, agent.identity_number, agent.name, agent.firm, agent.represents};
}

std::vector<std::unique_ptr<fb::CaseAttachmentT>> to_fb(
    const std::vector<CaseAttachment>& attachments) {
  std::vector<std::unique_ptr<fb::CaseAttachmentT>> out;
  for (const auto& attachment : attachments) {
    auto item = std::make_unique<fb::CaseAttachmentT>();
    item->name = attachment.name;
    item->blob_hash = attachment.blob_hash;
    out.push_back(std::move(item));
  }
  return out;
}

std::vector<CaseAttachment> from_fb(
    const std::vector<std::unique_ptr<fb::CaseAttachmentT>>& attachments) {
  std::vector<CaseAttachment> out;
  for (const auto& attachment : attachments) {
    if (attachment)
      out.push_back(CaseAttachment{attachment->name, attachment->blob_hash});
  }
  return out;
}

// ----- lookups and guards ---------------------------------------------------------------------

const CaseParty* find_party(const CaseState& state, std::string_view party_id) {
  for (const auto& party : state.parties) {
    if (party.party_id == party_id)
      return &party;
  }
  return nullptr;
}

CaseParty* find_party(CaseState& state, std::string_view party_id) {
  for (auto& party : state.parties) {
    if (party.party_id == party_id)
      return &party;
  }
  return nullptr;
}

const CaseAgent* find_agent(const CaseState& state, std::string_view licence) {
  for (const auto& agent : state.agents) {
    if (agent.licence == licence)
      return &agent;
  }
  return nullptr;
}

// The case must exist.
std::optional<Rejection> check_exists(const CaseState& state) {
  if (!state.exists) {
    return reject(RejectionCode::kNotFound, "Expected a registered case, but there is none");
  }
  return std::nullopt;
}

std::string_view status_name(CaseStatus status) {
  switch (status) {
    case CaseStatus::kOpen:
      return "open";
    case CaseStatus::kWithdrawn:
      return "withdrawn";
    case CaseStatus::kClosed:
      return "closed";
  }
  return "unknown";
}

// The case must exist and be open.
std::optional<Rejection> check_open(const CaseState& state) {
  if (auto missing = check_exists(state))
    return missing;
  if (state.status != CaseStatus::kOpen) {
    return reject(RejectionCode::kInvalidState,
                  "Expected an open case, but it is " + std::string(status_name(state.status)));
  }
  return std::nullopt;
}

std::optional<Rejection> check_agent(const CaseState& state, const Principal& actor) {
  if (!is_case_agent(state, actor)) {
    return reject(RejectionCode::kForbidden, "Expected a lawyer who is an agent in case " +
                                                 state.case_number + ", but " + actor.id + " (" +
                                                 std::string(to_string(actor.role)) + ") is not");
  }
  return std::nullopt;
}

std::optional<Rejection> check_judge_side(const CaseState& state, const Principal& actor) {
  if (!is_judge_side(state, actor)) {
    return reject(RejectionCode::kForbidden,
                  "Expected the judge in charge or the court system of " + state.court + ", but " +
                      actor.id + " (" + std::string(to_string(actor.role)) + ") is neither");
  }
  return std::nullopt;
}

// Runs guards in order and returns the first rejection.
template <class... Checks>
std::optional<Rejection> first_of(Checks&&... checks) {
  std::optional<Rejection> result;
  ((result = result ? result : std::optional<Rejection>(checks())), ...);
  return result;
}

bool is_excused(HearingAbsenceCause cause) {
  return cause == HearingAbsenceCause::kNetworkFailure ||
         cause == HearingAbsenceCause::kDeviceFailure ||
         cause == HearingAbsenceCause::kPowerFailure || cause == HearingAbsenceCause::kForceMajeure;
}

// Checks a hearing time, length, place and (for an online hearing) every party's consent.
// Validation first (every field), then the notice period and consent (policy).
std::optional<Rejection> check_hearing_slot(const CaseState& state, std::int64_t starts_at_us,
                                            std::uint32_t length_minutes, std::string_view place,
                                            bool online, const Context& ctx) {
  Violations violations;
  violations.require(starts_at_us > 0, "starts_at_us",
                     "Expected a hearing start time, but none was given");
  violations.require(length_minutes > 0, "length_minutes",
                     "Expected a hearing length of at least one minute, but it is 0");
  violations.require(!place.empty(), "place", "Expected a hearing place, but it is empty");
  if (!violations.empty())
    return violations.rejection();
  if (starts_at_us < ctx.now_us + CaseAggregate::kHearingNoticeUs) {
    return reject(RejectionCode::kPolicy,
                  "Expected a hearing at least 3 days ahead (from " +
                      std::to_string(ctx.now_us + CaseAggregate::kHearingNoticeUs) +
                      " us), but it starts at " + std::to_string(starts_at_us) + " us");
  }
  if (online) {
    Violations missing;
    for (std::size_t i = 0; i < state.parties.size(); ++i) {
      const auto& party = state.parties[i];
      if (party.online_hearing_consent != true) {
        missing.add("parties[" + std::to_string(i) + "].online_hearing_consent",
                    "Expected party " + quoted(party.party_id) +
                        " to have consented to an online hearing, but " +
                        (party.online_hearing_consent ? "they refused" : "no consent is recorded"));
      }
    }
    if (!missing.empty()) {
      Rejection rejection = missing.rejection();
      rejection.code = RejectionCode::kPolicy;
      return rejection;
    }
  }
  return std::nullopt;
}

const Hearing* find_hearing(const CaseState& state, std::string_view hearing_id) {
  auto it = state.hearings.find(std::string(hearing_id));
  return it == state.hearings.end() ? nullptr : &it->second;
}

std::optional<Rejection> check_scheduled(const Hearing* hearing, std::string_view hearing_id) {
  if (hearing == nullptr) {
    return reject(RejectionCode::kNotFound,
                  "Expected hearing " + quoted(hearing_id) + ", but the case has none such");
  }
  if (hearing->status != HearingStatus::kScheduled) {
    return reject(RejectionCode::kInvalidState,
                  "Expected hearing " + quoted(hearing_id) + " to be scheduled, but it is " +
                      (hearing->status == HearingStatus::kHeld ? "held" : "cancelled"));
  }
  return std::nullopt;
}

EventData hearing_rescheduled(const std::string& hearing_id, std::int64_t starts_at_us,
                              std::uint32_t length_minutes, const std::string& place, bool online,
                              const std::string& video_room, const std::string& reason) {
  fb::HearingRescheduledT event;
  event.hearing_id = hearing_id;
  event.starts_at_us = starts_at_us;
  event.ends_at_us = starts_at_us + static_cast<std::int64_t>(length_minutes) * kMinuteUs;
  event.place = place;
  event.online = online;
  event.video_room = video_room;
  event.reason = reason;
  return make_event(event_type::kHearingRescheduled, event);
}

// Cancels the deadline timers of every exchange still awaiting an answer.
std::vector<std::string> pending_exchange_timers(const CaseState& state) {
  std::vector<std::string> timers;
  const std::string stream = case_stream(state.case_number);
  for (const auto& [id, exchange] : state.evidence_exchanges) {
    if (exchange.status == EvidenceExchangeStatus::kSent ||
        exchange.status == EvidenceExchangeStatus::kOpened) {
      timers.push_back(evidence_exchange_deadline_timer(stream, id));
    }
  }
  return timers;
}

void check_attachments(Violations& violations, const std::vector<CaseAttachment>& attachments,
                       std::string_view field) {
  for (std::size_t i = 0; i < attachments.size(); ++i) {
    const std::string at = std::string(field) + "[" + std::to_string(i) + "]";
    violations.require(!attachments[i].name.empty(), at + ".name",
                       "Expected an attachment name, but it is empty");
    violations.require(
        is_blob_hash(attachments[i].blob_hash), at + ".blob_hash",
        "Expected a lower-hex SHA-256 blob hash, but got " + quoted(attachments[i].blob_hash));
  }
}

// ----- deciders, one per command ---------------------------------------------------------------

// The keyed digest of an old case's acceptance notice: query code 0x00 password.
std::string legacy_binding_digest(const Secrets& secrets, std::string_view query_code,
                                  std::string_view password) {
  std::string text(query_code);
  text.push_back('\0');
  text.append(password);
  return secrets.keyed_digest(kLegacyBindingPurpose, text);
}

// Whether two digests are equal, taking the same time whatever the first differing byte.
bool same_in_constant_time(std::string_view a, std::string_view b) {
  unsigned char diff = a.size() == b.size() ? 0 : 1;
  for (std::size_t i = 0; i < a.size(); ++i)
    diff |= static_cast<unsigned char>(a[i] ^ (i < b.size() ? b[i] : 0));
  return diff == 0;
}

Outcome decide_one(const CaseState& state, const RegisterCase& c, const Context& ctx) {
  if (state.exists) {
    return fail(RejectionCode::kConflict, "Expected no case numbered " + quoted(c.case_number) +
                                              ", but it is already registered");
  }
  const bool by_system = ctx.actor.role == Role::kSystem;
  const bool by_court_system = acts_for_court(ctx.actor, c.court, {Role::kCourtSystem});
  if (!by_system && !by_court_system) {
    return fail(RejectionCode::kForbidden,
                "Expected the system or the court system of " + quoted(c.court) + ", but " +
                    ctx.actor.id + " (" + std::string(to_string(ctx.actor.role)) + ") registers");
  }
  Violations v;
  v.require(!c.case_number.empty(), "case_number", "Expected a case number, but it is empty");
  v.require(!c.court.empty(), "court", "Expected a court code, but it is empty");
  v.require(!c.category.empty(), "category", "Expected a case category, but it is empty");
  v.require(c.accepted_on_us > 0, "accepted_on_us",
            "Expected the date the case was accepted, but none was given");
  std::set<std::string> party_ids;
  bool has_plaintiff = false;
  bool has_defendant = false;
  for (std::size_t i = 0; i < c.parties.size(); ++i) {
    const auto& party = c.parties[i];
    const std::string at = "parties[" + std::to_string(i) + "]";
    v.require(!party.party_id.empty(), at + ".party_id", "Expected a party id, but it is empty");
    v.require(party.party_id.empty() || party_ids.insert(party.party_id).second, at + ".party_id",
              "Expected a unique party id, but " + quoted(party.party_id) + " repeats");
    v.require(!party.name.empty(), at + ".name", "Expected the party's name, but it is empty");
    has_plaintiff = has_plaintiff || party.role == CasePartyRole::kPlaintiff;
    has_defendant = has_defendant || party.role == CasePartyRole::kDefendant;
  }
  v.require(has_plaintiff, "parties", "Expected at least one plaintiff, but there is none");
  v.require(has_defendant, "parties", "Expected at least one defendant, but there is none");
  std::set<std::string> licences;
  for (std::size_t i = 0; i < c.agents.size(); ++i) {
    const auto& agent = c.agents[i];
    const std::string at = "agents[" + std::to_string(i) + "]";
    v.require(!agent.licence.empty(), at + ".licence",
              "Expected the agent's licence number, but it is empty");
    v.require(agent.licence.empty() || licences.insert(agent.licence).second, at + ".licence",
              "Expected a unique agent licence, but " + quoted(agent.licence) + " repeats");
    for (const auto& represented : agent.represents) {
      v.require(party_ids.count(represented) > 0, at + ".represents",
                "Expected a party of the case, but " + quoted(represented) + " is none");
    }
  }
  const bool legacy = c.accepted_on_us > 0 && c.accepted_on_us < CaseAggregate::kLegacyCutoffUs;
  if (legacy) {
    v.require(!c.query_code.empty(), "query_code",
              "Expected the acceptance notice's query code for a case accepted before "
              "2018-09-01, but it is empty");
    v.require(!c.password.empty(), "password",
              "Expected the acceptance notice's password for a case accepted before 2018-09-01, "
              "but it is empty");
  }
  if (!v.empty())
    return unexpected(v.rejection());

  fb::CaseRegisteredT event;
  event.case_number = c.case_number;
  event.court = c.court;
  event.category = c.category;
  event.judge = c.judge;
  event.filing_id = c.filing_id;
  event.accepted_on_us = c.accepted_on_us;
  for (const auto& party : c.parties)
    event.parties.push_back(to_fb(party));
  for (const auto& agent : c.agents)
    event.agents.push_back(to_fb(agent));
  Decision d{{make_event(event_type::kCaseRegistered, event, 2)}, {}, {}, {}};
  if (legacy) {
    d.credentials.push_back(
        {credential_key(case_stream(c.case_number), CredentialKind::kLegacyBinding),
         legacy_binding_digest(*ctx.secrets, c.query_code, c.password)});
  }
  return d;
}

Outcome decide_one(const CaseState& state, const AssignJudge& c, const Context& ctx) {
  if (auto rejection = check_open(state))
    return unexpected(*rejection);
  if (!acts_for_court(ctx.actor, state.court, {Role::kCourtSystem})) {
    return fail(RejectionCode::kForbidden,
                "Expected the court system of " + state.court + ", but " + ctx.actor.id + " (" +
                    std::string(to_string(ctx.actor.role)) + ") assigns the judge");
  }
  if (c.judge.empty()) {
    Violations v;
    v.add("judge", "Expected the judge's staff id, but it is empty");
    return unexpected(v.rejection());
  }
  if (c.judge == state.judge)
    return Decision{};
  fb::JudgeAssignedT event;
  event.judge = c.judge;
  return decided({make_event(event_type::kJudgeAssigned, event)});
}

Outcome decide_one(const CaseState& state, const BindLegacyCase& c, const Context& ctx) {
  if (auto rejection = check_exists(state))
    return unexpected(*rejection);
  if (ctx.actor.role != Role::kLawyer) {
    return fail(RejectionCode::kForbidden, "Expected a lawyer to bind the case, but " +
                                               ctx.actor.id + " is " +
                                               std::string(to_string(ctx.actor.role)));
  }
  if (!state.legacy_binding) {
    return fail(RejectionCode::kInvalidState,
                "Expected a case accepted before 2018-09-01, but " + state.case_number +
                    " was accepted later and links its agents automatically");
  }
  if (find_agent(state, ctx.actor.id) != nullptr) {
    return fail(RejectionCode::kInvalidState, "Expected a lawyer not yet bound to the case, but " +
                                                  ctx.actor.id + " is an agent");
  }
  // Only this lawyer's wrong attempts of the last window count: another lawyer's guessing never
  // holds back the rightful one.
  std::vector<std::int64_t> recent;
  if (auto it = state.legacy_binding->failures.find(ctx.actor.id);
      it != state.legacy_binding->failures.end()) {
    for (auto at : it->second) {
      if (at > ctx.now_us - CaseAggregate::kBindingWindowUs)
        recent.push_back(at);
    }
  }
  if (recent.size() >= CaseAggregate::kMaxBindingAttempts) {
    const auto next_at = recent[recent.size() - CaseAggregate::kMaxBindingAttempts] +
                         CaseAggregate::kBindingWindowUs;
    return fail(RejectionCode::kPolicy,
                "Expected fewer than " + std::to_string(CaseAggregate::kMaxBindingAttempts) +
                    " wrong binding attempts by " + ctx.actor.id + " in 24 hours, but there were " +
                    std::to_string(recent.size()) + "; " + ctx.actor.id + " may try again after " +
                    std::to_string(next_at) + " us");
  }
  Violations v;
  v.require(!c.query_code.empty(), "query_code", "Expected a query code, but it is empty");
  v.require(!c.password.empty(), "password", "Expected a password, but it is empty");
  v.require(!c.lawyer_name.empty(), "lawyer_name", "Expected the lawyer's name, but it is empty");
  v.require(!c.lawyer_identity_number.empty(), "lawyer_identity_number",
            "Expected the lawyer's identity number, but it is empty");
  if (!v.empty())
    return unexpected(v.rejection());

  const bool matches =
      !c.binding_digest.empty() &&
      same_in_constant_time(legacy_binding_digest(*ctx.secrets, c.query_code, c.password),
                            c.binding_digest);
  if (!matches) {
    fb::LegacyBindingFailedT failed;
    failed.licence = ctx.actor.id;
    failed.failed_attempts = static_cast<std::uint32_t>(recent.size() + 1);
    failed.failed_at_us = ctx.now_us;
    return decided({make_event(event_type::kLegacyBindingFailed, failed, 2)});
  }
  fb::LawyerBoundToCaseT bound;
  bound.agent =
      to_fb(CaseAgent{ctx.actor.id, c.lawyer_identity_number, c.lawyer_name, c.lawyer_firm, {}});
  return decided({make_event(event_type::kLawyerBoundToCase, bound)});
}

Outcome decide_one(const CaseState& state, const RecordOnlineHearingConsent& c,
                   const Context& ctx) {
  if (auto rejection = check_open(state))
    return unexpected(*rejection);
  const CaseParty* party = find_party(state, c.party_id);
  if (party == nullptr) {
    return fail(RejectionCode::kNotFound,
                "Expected a party of the case, but " + quoted(c.party_id) + " is none");
  }
  if (!is_judge_side(state, ctx.actor)) {
    const CaseAgent* agent = find_agent(state, ctx.actor.id);
    const bool represents = ctx.actor.role == Role::kLawyer && agent != nullptr &&
                            std::find(agent->represents.begin(), agent->represents.end(),
                                      c.party_id) != agent->represents.end();
    if (!represents) {
      return fail(RejectionCode::kForbidden, "Expected the judge side or an agent representing " +
                                                 quoted(c.party_id) + ", but " + ctx.actor.id +
                                                 " is neither");
    }
  }
  if (party->online_hearing_consent == c.consent)
    return Decision{};
  fb::OnlineHearingConsentRecordedT event;
  event.party_id = c.party_id;
  event.consent = c.consent;
  event.recorded_by = ctx.actor.id;
  return decided({make_event(event_type::kOnlineHearingConsentRecorded, event)});
}

Outcome decide_one(const CaseState& state, const ScheduleHearing& c, const Context& ctx) {
  if (auto rejection = first_of([&] { return check_open(state); },
                                [&] { return check_judge_side(state, ctx.actor); })) {
    return unexpected(*rejection);
  }
  if (c.hearing_id.empty()) {
    Violations v;
    v.add("hearing_id", "Expected a hearing id, but it is empty");
    return unexpected(v.rejection());
  }
  if (state.hearings.count(c.hearing_id) > 0) {
    return fail(RejectionCode::kConflict,
                "Expected a new hearing id, but " + quoted(c.hearing_id) + " is already scheduled");
  }
  if (auto rejection =
          check_hearing_slot(state, c.starts_at_us, c.length_minutes, c.place, c.online, ctx)) {
    return unexpected(*rejection);
  }
  fb::HearingScheduledT event;
  event.hearing_id = c.hearing_id;
  event.starts_at_us = c.starts_at_us;
  event.ends_at_us = c.starts_at_us + static_cast<std::int64_t>(c.length_minutes) * kMinuteUs;
  event.place = c.place;
  event.online = c.online;
  event.video_room = c.video_room;
  return decided({make_event(event_type::kHearingScheduled, event, 2)});
}

Outcome decide_one(const CaseState& state, const RescheduleHearing& c, const Context& ctx) {
  if (auto rejection = first_of(
          [&] { return check_open(state); }, [&] { return check_judge_side(state, ctx.actor); },
          [&] { return check_scheduled(find_hearing(state, c.hearing_id), c.hearing_id); })) {
    return unexpected(*rejection);
  }
  if (auto rejection =
          check_hearing_slot(state, c.starts_at_us, c.length_minutes, c.place, c.online, ctx)) {
    return unexpected(*rejection);
  }
  return decided({hearing_rescheduled(c.hearing_id, c.starts_at_us, c.length_minutes, c.place,
                                      c.online, c.video_room, c.reason)});
}

Outcome decide_one(const CaseState& state, const HoldHearing& c, const Context& ctx) {
  const Hearing* hearing = find_hearing(state, c.hearing_id);
  if (auto rejection = first_of([&] { return check_open(state); },
                                [&] { return check_judge_side(state, ctx.actor); },
                                [&] { return check_scheduled(hearing, c.hearing_id); })) {
    return unexpected(*rejection);
  }
  if (ctx.now_us < hearing->starts_at_us) {
    return fail(RejectionCode::kInvalidState, "Expected the hearing to have started (at " +
                                                  std::to_string(hearing->starts_at_us) +
                                                  " us), but it is " + std::to_string(ctx.now_us) +
                                                  " us");
  }
  fb::HearingHeldT event;
  event.hearing_id = c.hearing_id;
  return decided({make_event(event_type::kHearingHeld, event)});
}

Outcome decide_one(const CaseState& state, const CancelHearing& c, const Context& ctx) {
  if (auto rejection = first_of(
          [&] { return check_open(state); }, [&] { return check_judge_side(state, ctx.actor); },
          [&] { return check_scheduled(find_hearing(state, c.hearing_id), c.hearing_id); })) {
    return unexpected(*rejection);
  }
  if (c.reason.empty()) {
    Violations v;
    v.add("reason", "Expected a reason for cancelling the hearing, but it is empty");
    return unexpected(v.rejection());
  }
  fb::HearingCancelledT event;
  event.hearing_id = c.hearing_id;
  event.reason = c.reason;
  return decided({make_event(event_type::kHearingCancelled, event)});
}

Outcome decide_one(const CaseState& state, const RecordHearingAbsence& c, const Context& ctx) {
  if (auto rejection = first_of([&] { return check_open(state); },
                                [&] { return check_judge_side(state, ctx.actor); })) {
    return unexpected(*rejection);
  }
  const Hearing* hearing = find_hearing(state, c.hearing_id);
  if (hearing == nullptr) {
    return fail(RejectionCode::kNotFound,
                "Expected hearing " + quoted(c.hearing_id) + ", but the case has none such");
  }
  if (hearing->status == HearingStatus::kCancelled || ctx.now_us < hearing->starts_at_us) {
    return fail(RejectionCode::kInvalidState,
                "Expected a hearing that has started, but " + quoted(c.hearing_id) + " " +
                    (hearing->status == HearingStatus::kCancelled ? "was cancelled"
                                                                  : "has not started yet"));
  }
  if (find_party(state, c.party_id) == nullptr) {
    return fail(RejectionCode::kNotFound,
                "Expected a party of the case, but " + quoted(c.party_id) + " is none");
  }
  for (const auto& absence : hearing->absences) {
    if (absence.party_id == c.party_id) {
      return fail(RejectionCode::kConflict, "Expected no absence recorded yet for " +
                                                quoted(c.party_id) + ", but one is recorded");
    }
  }
  if (c.cause == HearingAbsenceCause::kOther && c.note.empty()) {
    Violations v;
    v.add("note", "Expected a note describing the other cause, but it is empty");
    return unexpected(v.rejection());
  }
  fb::HearingAbsenceRecordedT event;
  event.hearing_id = c.hearing_id;
  event.party_id = c.party_id;
  event.kind = static_cast<fb::HearingAbsenceKind>(c.kind);
  event.cause = static_cast<fb::HearingAbsenceCause>(c.cause);
  event.note = c.note;
  HearingAbsenceFinding finding = HearingAbsenceFinding::kExcused;
  if (!is_excused(c.cause)) {
    finding = c.kind == HearingAbsenceKind::kNoShow ? HearingAbsenceFinding::kRefusedToAppear
                                                    : HearingAbsenceFinding::kLeftWithoutLeave;
  }
  event.finding = static_cast<fb::HearingAbsenceFinding>(finding);
  return decided({make_event(event_type::kHearingAbsenceRecorded, event)});
}

Outcome decide_one(const CaseState& state, const RequestHearingAvoidance& c, const Context& ctx) {
  const Hearing* hearing = find_hearing(state, c.hearing_id);
  if (auto rejection =
          first_of([&] { return check_open(state); }, [&] { return check_agent(state, ctx.actor); },
                   [&] { return check_scheduled(hearing, c.hearing_id); })) {
    return unexpected(*rejection);
  }
  Violations v;
  v.require(!c.request_id.empty(), "request_id", "Expected a request id, but it is empty");
  v.require(!c.reason.empty(), "reason", "Expected a reason for the request, but it is empty");
  if (!v.empty())
    return unexpected(v.rejection());
  for (const auto& request : hearing->avoidance_requests) {
    if (request.request_id == c.request_id) {
      return fail(RejectionCode::kConflict,
                  "Expected a new request id, but " + quoted(c.request_id) + " exists");
    }
    if (request.status == AvoidanceStatus::kOpen) {
      return fail(RejectionCode::kConflict, "Expected no open avoidance request for hearing " +
                                                quoted(c.hearing_id) + ", but " +
                                                quoted(request.request_id) + " is open");
    }
  }
  fb::HearingAvoidanceRequestedT event;
  event.hearing_id = c.hearing_id;
  event.request_id = c.request_id;
  event.licence = ctx.actor.id;
  event.reason = c.reason;
  event.phone = c.phone;
  return decided({make_event(event_type::kHearingAvoidanceRequested, event)});
}

// The open avoidance request `request_id` of a scheduled hearing, or a rejection.
Expected<const AvoidanceRequest*, Rejection> open_avoidance(const CaseState& state,
                                                            const Context& ctx,
                                                            std::string_view hearing_id,
                                                            std::string_view request_id) {
  const Hearing* hearing = find_hearing(state, hearing_id);
  if (auto rejection = first_of([&] { return check_open(state); },
                                [&] { return check_judge_side(state, ctx.actor); },
                                [&] { return check_scheduled(hearing, hearing_id); })) {
    return unexpected(*rejection);
  }
  for (const auto& request : hearing->avoidance_requests) {
    if (request.request_id != request_id)
      continue;
    if (request.status != AvoidanceStatus::kOpen) {
      return unexpected(
          reject(RejectionCode::kInvalidState, "Expected an open avoidance request, but " +
                                                   quoted(request_id) + " was already decided"));
    }
    return &request;
  }
  return unexpected(reject(
      RejectionCode::kNotFound,
      "Expected avoidance request " + quoted(request_id) + ", but the hearing has none such"));
}

Outcome decide_one(const CaseState& state, const GrantHearingAvoidance& c, const Context& ctx) {
  auto request = open_avoidance(state, ctx, c.hearing_id, c.request_id);
  if (!request)
    return unexpected(request.error());
  const Hearing& hearing = state.hearings.at(c.hearing_id);
  const std::string place = c.place.empty() ? hearing.place : c.place;
  if (auto rejection =
          check_hearing_slot(state, c.starts_at_us, c.length_minutes, place, hearing.online, ctx)) {
    return unexpected(*rejection);
  }
  fb::HearingAvoidanceGrantedT granted;
  granted.hearing_id = c.hearing_id;
  granted.request_id = c.request_id;
  return decided({make_event(event_type::kHearingAvoidanceGranted, granted),
                  hearing_rescheduled(c.hearing_id, c.starts_at_us, c.length_minutes, place,
                                      hearing.online, hearing.video_room,
                                      "hearing avoidance request " + c.request_id + " granted")});
}

Outcome decide_one(const CaseState& state, const RefuseHearingAvoidance& c, const Context& ctx) {
  auto request = open_avoidance(state, ctx, c.hearing_id, c.request_id);
  if (!request)
    return unexpected(request.error());
  if (c.reason.empty()) {
    Violations v;
    v.add("reason", "Expected a reason for the refusal, but it is empty");
    return unexpected(v.rejection());
  }
  fb::HearingAvoidanceRefusedT refused;
  refused.hearing_id = c.hearing_id;
  refused.request_id = c.request_id;
  refused.reason = c.reason;
  return decided({make_event(event_type::kHearingAvoidanceRefused, refused)});
}

// The actor's own open batch `batch_id`, or a rejection.
Expected<const EvidenceBatch*, Rejection> own_open_batch(const CaseState& state, const Context& ctx,
                                                         std::string_view batch_id) {
  if (auto rejection = first_of([&] { return check_open(state); },
                                [&] { return check_agent(state, ctx.actor); })) {
    return unexpected(*rejection);
  }
  auto it = state.evidence_batches.find(std::string(batch_id));
  if (it == state.evidence_batches.end()) {
    return unexpected(
        reject(RejectionCode::kNotFound,
               "Expected evidence batch " + quoted(batch_id) + ", but the case has none such"));
  }
  if (it->second.licence != ctx.actor.id) {
    return unexpected(reject(RejectionCode::kForbidden,
                             "Expected the lawyer who opened batch " + quoted(batch_id) + " (" +
                                 it->second.licence + "), but " + ctx.actor.id + " acts"));
  }
  if (it->second.status != EvidenceBatchStatus::kOpen) {
    return unexpected(reject(
        RejectionCode::kInvalidState,
        "Expected an open evidence batch, but " + quoted(batch_id) + " was already submitted"));
  }
  return &it->second;
}

Outcome decide_one(const CaseState& state, const AddEvidenceItem& c, const Context& ctx) {
  if (auto rejection = first_of([&] { return check_open(state); },
                                [&] { return check_agent(state, ctx.actor); })) {
    return unexpected(*rejection);
  }
  Violations v;
  v.require(!c.batch_id.empty(), "batch_id", "Expected a batch id, but it is empty");
  v.require(!c.item_id.empty(), "item_id", "Expected an item id, but it is empty");
  v.require(!c.name.empty(), "name", "Expected the evidence's name, but it is empty");
  v.require(is_blob_hash(c.blob_hash), "blob_hash",
            "Expected a lower-hex SHA-256 blob hash, but got " + quoted(c.blob_hash));
  if (!v.empty())
    return unexpected(v.rejection());
  std::vector<EventData> events;
  if (state.evidence_batches.count(c.batch_id) == 0) {
    fb::EvidenceBatchOpenedT opened;
    opened.batch_id = c.batch_id;
    opened.licence = ctx.actor.id;
    events.push_back(make_event(event_type::kEvidenceBatchOpened, opened));
  } else {
    auto batch = own_open_batch(state, ctx, c.batch_id);
    if (!batch)
      return unexpected(batch.error());
    for (const auto& item : (*batch)->items) {
      if (item.item_id == c.item_id) {
        return fail(RejectionCode::kConflict,
                    "Expected a new item id, but " + quoted(c.item_id) + " is in the batch");
      }
    }
  }
  fb::EvidenceItemAddedT added;
  added.batch_id = c.batch_id;
  added.item_id = c.item_id;
  added.name = c.name;
  added.blob_hash = c.blob_hash;
  added.purpose = c.purpose;
  events.push_back(make_event(event_type::kEvidenceItemAdded, added));
  return decided(std::move(events));
}

Outcome decide_one(const CaseState& state, const RemoveEvidenceItems& c, const Context& ctx) {
  auto batch = own_open_batch(state, ctx, c.batch_id);
  if (!batch)
    return unexpected(batch.error());
  Violations v;
  v.require(!c.item_ids.empty(), "item_ids", "Expected at least one item to remove, but none");
  std::set<std::string> seen;
  for (std::size_t i = 0; i < c.item_ids.size(); ++i) {
    const auto& id = c.item_ids[i];
    const std::string at = "item_ids[" + std::to_string(i) + "]";
    const bool known = std::any_of((*batch)->items.begin(), (*batch)->items.end(),
                                   [&](const EvidenceItem& item) { return item.item_id == id; });
    v.require(known, at, "Expected an item of the batch, but " + quoted(id) + " is none");
    v.require(seen.insert(id).second, at,
              "Expected each item once, but " + quoted(id) + " repeats");
  }
  if (!v.empty())
    return unexpected(v.rejection());
  fb::EvidenceItemsRemovedT removed;
  removed.batch_id = c.batch_id;
  removed.item_ids = c.item_ids;
  return decided({make_event(event_type::kEvidenceItemsRemoved, removed)});
}

Outcome decide_one(const CaseState& state, const SubmitEvidenceBatch& c, const Context& ctx) {
  auto batch = own_open_batch(state, ctx, c.batch_id);
  if (!batch)
    return unexpected(batch.error());
  if ((*batch)->items.empty()) {
    Violations v;
    v.add("items", "Expected at least one evidence item in the batch, but it is empty");
    return unexpected(v.rejection());
  }
  fb::EvidenceBatchSubmittedT submitted;
  submitted.batch_id = c.batch_id;
  submitted.submitted_at_us = ctx.now_us;
  return decided({make_event(event_type::kEvidenceBatchSubmitted, submitted)});
}

Outcome decide_one(const CaseState& state, const MarkEvidenceItem& c, const Context& ctx) {
  if (auto rejection = first_of([&] { return check_open(state); },
                                [&] { return check_judge_side(state, ctx.actor); })) {
    return unexpected(*rejection);
  }
  auto batch = state.evidence_batches.find(c.batch_id);
  if (batch == state.evidence_batches.end()) {
    return fail(RejectionCode::kNotFound,
                "Expected evidence batch " + quoted(c.batch_id) + ", but the case has none such");
  }
  if (batch->second.status != EvidenceBatchStatus::kSubmitted) {
    return fail(RejectionCode::kInvalidState,
                "Expected a submitted batch, but " + quoted(c.batch_id) + " is still open");
  }
  const EvidenceItem* item = nullptr;
  for (const auto& candidate : batch->second.items) {
    if (candidate.item_id == c.item_id)
      item = &candidate;
  }
  if (item == nullptr) {
    return fail(RejectionCode::kNotFound,
                "Expected an item of the batch, but " + quoted(c.item_id) + " is none");
  }
  const bool decided_already = item->status == EvidenceItemStatus::kAccepted ||
                               item->status == EvidenceItemStatus::kRejected;
  if (decided_already ||
      (c.mark == EvidenceItemMark::kReceived && item->status == EvidenceItemStatus::kReceived)) {
    return fail(
        RejectionCode::kInvalidState,
        "Expected an item awaiting the court's mark, but " + quoted(c.item_id) + " is already " +
            (item->status == EvidenceItemStatus::kReceived
                 ? "received"
                 : (item->status == EvidenceItemStatus::kAccepted ? "accepted" : "rejected")));
  }
  if (c.mark == EvidenceItemMark::kRejected && c.note.empty()) {
    Violations v;
    v.add("note", "Expected a reason for rejecting the item, but it is empty");
    return unexpected(v.rejection());
  }
  fb::EvidenceItemMarkedT marked;
  marked.batch_id = c.batch_id;
  marked.item_id = c.item_id;
  marked.mark = static_cast<fb::EvidenceItemMark>(c.mark);
  marked.note = c.note;
  return decided({make_event(event_type::kEvidenceItemMarked, marked)});
}

Outcome decide_one(const CaseState& state, const SendEvidenceForExchange& c, const Context& ctx) {
  if (auto rejection = first_of([&] { return check_open(state); },
                                [&] { return check_judge_side(state, ctx.actor); })) {
    return unexpected(*rejection);
  }
  Violations v;
  v.require(!c.exchange_id.empty(), "exchange_id", "Expected an exchange id, but it is empty");
  v.require(find_agent(state, c.recipient_licence) != nullptr, "recipient_licence",
            "Expected an agent of the case, but " + quoted(c.recipient_licence) + " is none");
  v.require(!c.items.empty(), "items", "Expected at least one item to exchange, but none");
  std::set<std::string> ids;
  for (std::size_t i = 0; i < c.items.size(); ++i) {
    const auto& item = c.items[i];
    const std::string at = "items[" + std::to_string(i) + "]";
    v.require(!item.item_id.empty() && ids.insert(item.item_id).second, at + ".item_id",
              "Expected a unique, non-empty item id, but got " + quoted(item.item_id));
    v.require(!item.title.empty(), at + ".title", "Expected the item's title, but it is empty");
    v.require(is_blob_hash(item.blob_hash), at + ".blob_hash",
              "Expected a lower-hex SHA-256 blob hash, but got " + quoted(item.blob_hash));
  }
  v.require(c.respond_by_us > ctx.now_us, "respond_by_us",
            "Expected a deadline after now (" + std::to_string(ctx.now_us) + " us), but it is " +
                std::to_string(c.respond_by_us) + " us");
  if (!v.empty())
    return unexpected(v.rejection());
  if (state.evidence_exchanges.count(c.exchange_id) > 0) {
    return fail(RejectionCode::kConflict,
                "Expected a new exchange id, but " + quoted(c.exchange_id) + " exists");
  }
  fb::EvidenceSentForExchangeT sent;
  sent.exchange_id = c.exchange_id;
  sent.recipient_licence = c.recipient_licence;
  for (const auto& item : c.items) {
    auto out = std::make_unique<fb::EvidenceExchangeItemT>();
    out->item_id = item.item_id;
    out->title = item.title;
    out->blob_hash = item.blob_hash;
    sent.items.push_back(std::move(out));
  }
  sent.respond_by_us = c.respond_by_us;
  Decision decision;
  decision.events.push_back(make_event(event_type::kEvidenceSentForExchange, sent));
  const std::string stream = case_stream(state.case_number);
  decision.timers_to_set.push_back(
      TimerRequest{evidence_exchange_deadline_timer(stream, c.exchange_id), c.respond_by_us, stream,
                   std::string(CaseAggregate::kExchangeDeadlineCommand), c.exchange_id});
  return decision;
}

// The exchange `exchange_id` addressed to the acting lawyer, or a rejection.
Expected<const EvidenceExchange*, Rejection> own_exchange(const CaseState& state,
                                                          const Context& ctx,
                                                          std::string_view exchange_id) {
  if (auto rejection = first_of([&] { return check_exists(state); },
                                [&] { return check_agent(state, ctx.actor); })) {
    return unexpected(*rejection);
  }
  auto it = state.evidence_exchanges.find(std::string(exchange_id));
  if (it == state.evidence_exchanges.end()) {
    return unexpected(reject(
        RejectionCode::kNotFound,
        "Expected evidence exchange " + quoted(exchange_id) + ", but the case has none such"));
  }
  if (it->second.recipient_licence != ctx.actor.id) {
    return unexpected(reject(RejectionCode::kForbidden, "Expected the exchange's recipient " +
                                                            it->second.recipient_licence +
                                                            ", but " + ctx.actor.id + " acts"));
  }
  return &it->second;
}

Outcome decide_one(const CaseState& state, const OpenEvidenceExchange& c, const Context& ctx) {
  auto exchange = own_exchange(state, ctx, c.exchange_id);
  if (!exchange)
    return unexpected(exchange.error());
  if ((*exchange)->opened_at_us != 0)
    return Decision{};
  fb::EvidenceExchangeOpenedT opened;
  opened.exchange_id = c.exchange_id;
  opened.opened_at_us = ctx.now_us;
  return decided({make_event(event_type::kEvidenceExchangeOpened, opened)});
}

Outcome decide_one(const CaseState& state, const AnswerEvidenceExchange& c, const Context& ctx) {
  if (auto rejection = check_open(state))
    return unexpected(*rejection);
  auto found = own_exchange(state, ctx, c.exchange_id);
  if (!found)
    return unexpected(found.error());
  const EvidenceExchange& exchange = **found;
  if (exchange.status == EvidenceExchangeStatus::kAnswered) {
    return fail(RejectionCode::kInvalidState,
                "Expected an unanswered exchange, but " + quoted(c.exchange_id) + " is answered");
  }
  if (exchange.status == EvidenceExchangeStatus::kLapsed || ctx.now_us > exchange.respond_by_us) {
    return fail(RejectionCode::kPolicy, "Expected an answer by " +
                                            std::to_string(exchange.respond_by_us) +
                                            " us, but the deadline has passed");
  }
  Violations v;
  std::set<std::string> answered;
  for (std::size_t i = 0; i < c.answers.size(); ++i) {
    const auto& answer = c.answers[i];
    const std::string at = "answers[" + std::to_string(i) + "]";
    const bool known = std::any_of(
        exchange.items.begin(), exchange.items.end(),
        [&](const EvidenceExchangeItem& item) { return item.item_id == answer.item_id; });
    v.require(known, at + ".item_id",
              "Expected an item of the exchange, but " + quoted(answer.item_id) + " is none");
    v.require(answered.insert(answer.item_id).second, at + ".item_id",
              "Expected one answer per item, but " + quoted(answer.item_id) + " repeats");
    v.require(answer.result == EvidenceExchangeResult::kAgree || !answer.opinion.empty(),
              at + ".opinion", "Expected an opinion when not agreeing, but it is empty");
  }
  for (const auto& item : exchange.items) {
    v.require(answered.count(item.item_id) > 0, "answers",
              "Expected an answer for item " + quoted(item.item_id) + ", but it has none");
  }
  if (!v.empty())
    return unexpected(v.rejection());
  fb::EvidenceExchangeAnsweredT event;
  event.exchange_id = c.exchange_id;
  for (const auto& answer : c.answers) {
    auto out = std::make_unique<fb::EvidenceExchangeAnswerT>();
    out->item_id = answer.item_id;
    out->result = static_cast<fb::EvidenceExchangeResult>(answer.result);
    out->opinion = answer.opinion;
    event.answers.push_back(std::move(out));
  }
  event.answered_at_us = ctx.now_us;
  Decision decision;
  decision.events.push_back(make_event(event_type::kEvidenceExchangeAnswered, event));
  decision.timers_to_cancel.push_back(
      evidence_exchange_deadline_timer(case_stream(state.case_number), c.exchange_id));
  return decision;
}

Outcome decide_one(const CaseState& state, const EvidenceExchangeDeadlineReached& c,
                   const Context& ctx) {
  if (auto rejection = check_exists(state))
    return unexpected(*rejection);
  if (ctx.actor.role != Role::kSystem) {
    return fail(RejectionCode::kForbidden, "Expected the system's deadline timer, but " +
                                               ctx.actor.id + " (" +
                                               std::string(to_string(ctx.actor.role)) + ") acts");
  }
  auto it = state.evidence_exchanges.find(c.exchange_id);
  if (it == state.evidence_exchanges.end())
    return Decision{};  // nothing to lapse
  const EvidenceExchange& exchange = it->second;
  const bool awaiting = exchange.status == EvidenceExchangeStatus::kSent ||
                        exchange.status == EvidenceExchangeStatus::kOpened;
  if (!awaiting || ctx.now_us < exchange.respond_by_us)
    return Decision{};
  fb::EvidenceExchangeLapsedT lapsed;
  lapsed.exchange_id = c.exchange_id;
  return decided({make_event(event_type::kEvidenceExchangeLapsed, lapsed)});
}

Outcome decide_one(const CaseState& state, const AddCaseFileMaterial& c, const Context& ctx) {
  if (auto rejection = first_of([&] { return check_exists(state); },
                                [&] { return check_judge_side(state, ctx.actor); })) {
    return unexpected(*rejection);
  }
  Violations v;
  v.require(!c.material_id.empty(), "material_id", "Expected a material id, but it is empty");
  v.require(!c.title.empty(), "title", "Expected the material's title, but it is empty");
  v.require(is_blob_hash(c.blob_hash), "blob_hash",
            "Expected a lower-hex SHA-256 blob hash, but got " + quoted(c.blob_hash));
  if (!v.empty())
    return unexpected(v.rejection());
  if (state.file_materials.count(c.material_id) > 0) {
    return fail(RejectionCode::kConflict,
                "Expected a new material id, but " + quoted(c.material_id) + " exists");
  }
  fb::CaseFileMaterialAddedT added;
  added.material_id = c.material_id;
  added.title = c.title;
  added.blob_hash = c.blob_hash;
  return decided({make_event(event_type::kCaseFileMaterialAdded, added)});
}

Outcome decide_one(const CaseState& state, const ApplyForFileReview& c, const Context& ctx) {
  if (auto rejection = first_of([&] { return check_exists(state); },
                                [&] { return check_agent(state, ctx.actor); })) {
    return unexpected(*rejection);
  }
  Violations v;
  v.require(!c.application_id.empty(), "application_id",
            "Expected an application id, but it is empty");
  v.require(!c.reason.empty(), "reason", "Expected a reason to read the file, but it is empty");
  if (!v.empty())
    return unexpected(v.rejection());
  if (state.file_reviews.count(c.application_id) > 0) {
    return fail(RejectionCode::kConflict,
                "Expected a new application id, but " + quoted(c.application_id) + " exists");
  }
  fb::FileReviewAppliedT applied;
  applied.application_id = c.application_id;
  applied.licence = ctx.actor.id;
  applied.reason = c.reason;
  return decided({make_event(event_type::kFileReviewApplied, applied)});
}

// The undecided file-review application `application_id`, for the judge side.
Expected<const FileReview*, Rejection> pending_review(const CaseState& state, const Context& ctx,
                                                      std::string_view application_id) {
  if (auto rejection = first_of([&] { return check_exists(state); },
                                [&] { return check_judge_side(state, ctx.actor); })) {
    return unexpected(*rejection);
  }
  auto it = state.file_reviews.find(std::string(application_id));
  if (it == state.file_reviews.end()) {
    return unexpected(reject(RejectionCode::kNotFound, "Expected file-review application " +
                                                           quoted(application_id) +
                                                           ", but the case has none such"));
  }
  if (it->second.status != FileReviewStatus::kApplied) {
    return unexpected(
        reject(RejectionCode::kInvalidState, "Expected an undecided application, but " +
                                                 quoted(application_id) + " was already decided"));
  }
  return &it->second;
}

Outcome decide_one(const CaseState& state, const ApproveFileReview& c, const Context& ctx) {
  auto review = pending_review(state, ctx, c.application_id);
  if (!review)
    return unexpected(review.error());
  Violations v;
  v.require(!c.material_ids.empty(), "material_ids",
            "Expected at least one material to approve, but none was chosen");
  std::set<std::string> seen;
  for (std::size_t i = 0; i < c.material_ids.size(); ++i) {
    const auto& id = c.material_ids[i];
    const std::string at = "material_ids[" + std::to_string(i) + "]";
    v.require(state.file_materials.count(id) > 0, at,
              "Expected a material of the case file, but " + quoted(id) + " is none");
    v.require(seen.insert(id).second, at,
              "Expected each material once, but " + quoted(id) + " repeats");
  }
  v.require(c.from_us < c.until_us, "until_us",
            "Expected the window to end after it starts, but it ends at " +
                std::to_string(c.until_us) + " us");
  v.require(c.until_us > ctx.now_us, "until_us",
            "Expected the window to end in the future, but it ends at " +
                std::to_string(c.until_us) + " us");
  if (!v.empty())
    return unexpected(v.rejection());
  fb::FileReviewApprovedT approved;
  approved.application_id = c.application_id;
  approved.material_ids = c.material_ids;
  approved.from_us = c.from_us;
  approved.until_us = c.until_us;
  return decided({make_event(event_type::kFileReviewApproved, approved)});
}

Outcome decide_one(const CaseState& state, const RefuseFileReview& c, const Context& ctx) {
  auto review = pending_review(state, ctx, c.application_id);
  if (!review)
    return unexpected(review.error());
  if (c.reason.empty()) {
    Violations v;
    v.add("reason", "Expected a reason for the refusal, but it is empty");
    return unexpected(v.rejection());
  }
  fb::FileReviewRefusedT refused;
  refused.application_id = c.application_id;
  refused.reason = c.reason;
  return decided({make_event(event_type::kFileReviewRefused, refused)});
}

Outcome decide_one(const CaseState& state, const RecordFileReviewAccess& c, const Context& ctx) {
  if (auto rejection = first_of([&] { return check_exists(state); },
                                [&] { return check_agent(state, ctx.actor); })) {
    return unexpected(*rejection);
  }
  auto it = state.file_reviews.find(c.application_id);
  if (it == state.file_reviews.end()) {
    return fail(RejectionCode::kNotFound, "Expected file-review application " +
                                              quoted(c.application_id) +
                                              ", but the case has none such");
  }
  const FileReview& review = it->second;
  if (review.licence != ctx.actor.id) {
    return fail(RejectionCode::kForbidden,
                "Expected the applicant " + review.licence + ", but " + ctx.actor.id + " reads");
  }
  if (review.status != FileReviewStatus::kApproved) {
    return fail(RejectionCode::kInvalidState,
                "Expected an approved application, but " + quoted(c.application_id) + " is " +
                    (review.status == FileReviewStatus::kApplied ? "undecided" : "refused"));
  }
  if (std::find(review.material_ids.begin(), review.material_ids.end(), c.material_id) ==
      review.material_ids.end()) {
    return fail(RejectionCode::kForbidden, "Expected a material approved for reading, but " +
                                               quoted(c.material_id) + " is not approved");
  }
  if (ctx.now_us < review.from_us || ctx.now_us >= review.until_us) {
    return fail(RejectionCode::kPolicy, "Expected a read within the approved window [" +
                                            std::to_string(review.from_us) + ", " +
                                            std::to_string(review.until_us) + ") us, but it is " +
                                            std::to_string(ctx.now_us) + " us");
  }
  fb::FileReviewAccessedT accessed;
  accessed.application_id = c.application_id;
  accessed.material_id = c.material_id;
  accessed.accessed_at_us = ctx.now_us;
  return decided({make_event(event_type::kFileReviewAccessed, accessed)});
}

Outcome decide_one(const CaseState& state, const SendMessageToJudge& c, const Context& ctx) {
  if (auto rejection = first_of([&] { return check_exists(state); },
                                [&] { return check_agent(state, ctx.actor); })) {
    return unexpected(*rejection);
  }
  Violations v;
  v.require(!c.message_id.empty(), "message_id", "Expected a message id, but it is empty");
  v.require(!c.title.empty(), "title", "Expected a title, but it is empty");
  v.require(!c.body.empty(), "body", "Expected a message body, but it is empty");
  check_attachments(v, c.attachments, "attachments");
  if (!v.empty())
    return unexpected(v.rejection());
  if (state.messages.count(c.message_id) > 0) {
    return fail(RejectionCode::kConflict,
                "Expected a new message id, but " + quoted(c.message_id) + " exists");
  }
  fb::MessageSentToJudgeT sent;
  sent.message_id = c.message_id;
  sent.licence = ctx.actor.id;
  sent.title = c.title;
  sent.body = c.body;
  sent.attachments = to_fb(c.attachments);
  sent.sent_at_us = ctx.now_us;
  return decided({make_event(event_type::kMessageSentToJudge, sent)});
}

Expected<const JudgeMessage*, Rejection> message_for_judge(const CaseState& state,
                                                           const Context& ctx,
                                                           std::string_view message_id) {
  if (auto rejection = first_of([&] { return check_exists(state); },
                                [&] { return check_judge_side(state, ctx.actor); })) {
    return unexpected(*rejection);
  }
  auto it = state.messages.find(std::string(message_id));
  if (it == state.messages.end()) {
    return unexpected(reject(RejectionCode::kNotFound, "Expected message " + quoted(message_id) +
                                                           ", but the case has none such"));
  }
  return &it->second;
}

Outcome decide_one(const CaseState& state, const MarkMessageRead& c, const Context& ctx) {
  auto message = message_for_judge(state, ctx, c.message_id);
  if (!message)
    return unexpected(message.error());
  if ((*message)->status != JudgeMessageStatus::kSent)
    return Decision{};
  fb::MessageReadT read;
  read.message_id = c.message_id;
  read.read_at_us = ctx.now_us;
  return decided({make_event(event_type::kMessageRead, read)});
}

Outcome decide_one(const CaseState& state, const ReplyToMessage& c, const Context& ctx) {
  auto message = message_for_judge(state, ctx, c.message_id);
  if (!message)
    return unexpected(message.error());
  if ((*message)->status == JudgeMessageStatus::kReplied) {
    return fail(RejectionCode::kInvalidState,
                "Expected an unanswered message, but " + quoted(c.message_id) + " was replied to");
  }
  Violations v;
  v.require(!c.body.empty(), "body", "Expected a reply body, but it is empty");
  check_attachments(v, c.attachments, "attachments");
  if (!v.empty())
    return unexpected(v.rejection());
  fb::MessageRepliedT replied;
  replied.message_id = c.message_id;
  replied.body = c.body;
  replied.attachments = to_fb(c.attachments);
  replied.replied_at_us = ctx.now_us;
  return decided({make_event(event_type::kMessageReplied, replied)});
}

Outcome decide_one(const CaseState& state, const WithdrawCase& c, const Context& ctx) {
  if (auto rejection = check_exists(state))
    return unexpected(*rejection);
  const bool by_system = ctx.actor.role == Role::kSystem;
  const bool by_court_system = acts_for_court(ctx.actor, state.court, {Role::kCourtSystem});
  if (!by_system && !by_court_system) {
    return fail(RejectionCode::kForbidden,
                "Expected the system or the court system of " + state.court + ", but " +
                    ctx.actor.id + " (" + std::string(to_string(ctx.actor.role)) + ") withdraws");
  }
  if (state.status != CaseStatus::kOpen)
    return Decision{};  // already ended: nothing to do
  fb::CaseWithdrawnT withdrawn;
  withdrawn.reason = c.reason.empty() ? "treated as withdrawn" : c.reason;
  withdrawn.payment_notice = c.payment_notice;
  Decision decision;
  decision.events.push_back(make_event(event_type::kCaseWithdrawn, withdrawn));
  decision.timers_to_cancel = pending_exchange_timers(state);
  return decision;
}

Outcome decide_one(const CaseState& state, const CloseCase& c, const Context& ctx) {
  if (auto rejection = first_of([&] { return check_open(state); },
                                [&] { return check_judge_side(state, ctx.actor); })) {
    return unexpected(*rejection);
  }
  if (c.reason.empty()) {
    Violations v;
    v.add("reason", "Expected a reason for closing the case, but it is empty");
    return unexpected(v.rejection());
  }
  fb::CaseClosedT closed;
  closed.reason = c.reason;
  Decision decision;
  decision.events.push_back(make_event(event_type::kCaseClosed, closed));
  decision.timers_to_cancel = pending_exchange_timers(state);
  return decision;
}

// ----- appliers -------------------------------------------------------------------------------

using Applier = std::function<void(CaseState&, const StoredEvent&)>;
using Appliers = std::map<std::pair<std::string, std::uint32_t>, Applier>;

template <class Table>
void on(Appliers& appliers, std::string_view type, std::uint32_t version,
        void (*apply)(CaseState&, const typename Table::NativeTableType&)) {
  appliers[{std::string(type), version}] = [apply](CaseState& state, const StoredEvent& event) {
    if (auto payload = read_payload<Table>(event.payload))
      apply(state, *payload);
  };
}

Hearing* hearing_of(CaseState& state, const std::string& hearing_id) {
  auto it = state.hearings.find(hearing_id);
  return it == state.hearings.end() ? nullptr : &it->second;
}

AvoidanceRequest* request_of(CaseState& state, const std::string& hearing_id,
                             const std::string& request_id) {
  Hearing* hearing = hearing_of(state, hearing_id);
  if (hearing == nullptr)
    return nullptr;
  for (auto& request : hearing->avoidance_requests) {
    if (request.request_id == request_id)
      return &request;
  }
  return nullptr;
}

EvidenceItem* item_of(CaseState& state, const std::string& batch_id, const std::string& item_id) {
  auto batch = state.evidence_batches.find(batch_id);
  if (batch == state.evidence_batches.end())
    return nullptr;
  for (auto& item : batch->second.items) {
    if (item.item_id == item_id)
      return &item;
  }
  return nullptr;
}

template <class Map>
auto* entry_of(Map& map, const std::string& key) {
  auto it = map.find(key);
  return it == map.end() ? nullptr : &it->second;
}

// CaseRegistered, either schema version (they differ only in fields the state does not hold).
template <class Registered>
void apply_registered(CaseState& s, const Registered& e) {
  s.exists = true;
  s.case_number = e.case_number;
  s.court = e.court;
  s.category = e.category;
  s.judge = e.judge;
  s.filing_id = e.filing_id;
  s.accepted_on_us = e.accepted_on_us;
  s.status = CaseStatus::kOpen;
  s.parties.clear();
  for (const auto& party : e.parties) {
    if (party)
      s.parties.push_back(from_fb(*party));
  }
  s.agents.clear();
  for (const auto& agent : e.agents) {
    if (agent)
      s.agents.push_back(from_fb(*agent));
  }
  if (e.accepted_on_us > 0 && e.accepted_on_us < CaseAggregate::kLegacyCutoffUs)
    s.legacy_binding = LegacyBinding{};
}

Appliers make_appliers() {
  Appliers a;
  // Version 1 also carried unkeyed digests of an old case's notice, which the state no longer
  // holds: they are in the credential store.
  on<fb::CaseRegisteredV1>(
      a, event_type::kCaseRegistered, 1,
      [](CaseState& s, const fb::CaseRegisteredV1T& e) { apply_registered(s, e); });
  on<fb::CaseRegistered>(
      a, event_type::kCaseRegistered, 2,
      [](CaseState& s, const fb::CaseRegisteredT& e) { apply_registered(s, e); });
  on<fb::JudgeAssigned>(a, event_type::kJudgeAssigned, 1,
                        [](CaseState& s, const fb::JudgeAssignedT& e) { s.judge = e.judge; });
  // Version 1 counted every lawyer's wrong attempts together, into fields no decision reads any
  // more.
  on<fb::LegacyBindingFailedV1>(a, event_type::kLegacyBindingFailed, 1,
                                [](CaseState& s, const fb::LegacyBindingFailedV1T& e) {
                                  if (s.legacy_binding) {
                                    s.legacy_binding->failed_attempts = e.failed_attempts;
                                  }
                                });
  on<fb::LegacyBindingFailed>(a, event_type::kLegacyBindingFailed, 2,
                              [](CaseState& s, const fb::LegacyBindingFailedT& e) {
                                if (!s.legacy_binding)
                                  return;
                                // Every lawyer's attempts that left the window are forgotten, so
                                // the state stays small.
                                auto& failures = s.legacy_binding->failures;
                                for (auto it = failures.begin(); it != failures.end();) {
                                  std::erase_if(it->second, [&](std::int64_t at) {
                                    return at <= e.failed_at_us - CaseAggregate::kBindingWindowUs;
                                  });
                                  it = it->second.empty() ? failures.erase(it) : std::next(it);
                                }
                                auto& mine = failures[e.licence];
                                mine.push_back(e.failed_at_us);
                                if (mine.size() > CaseAggregate::kMaxBindingAttempts)
                                  mine.erase(mine.begin());
                              });
  on<fb::LegacyBindingLocked>(a, event_type::kLegacyBindingLocked, 1,
                              [](CaseState& s, const fb::LegacyBindingLockedT&) {
                                if (s.legacy_binding)
                                  s.legacy_binding->locked = true;
                              });
  on<fb::LawyerBoundToCase>(a, event_type::kLawyerBoundToCase, 1,
                            [](CaseState& s, const fb::LawyerBoundToCaseT& e) {
                              if (e.agent)
                                s.agents.push_back(from_fb(*e.agent));
                            });
  on<fb::OnlineHearingConsentRecorded>(
      a, event_type::kOnlineHearingConsentRecorded, 1,
      [](CaseState& s, const fb::OnlineHearingConsentRecordedT& e) {
        if (CaseParty* party = find_party(s, e.party_id))
          party->online_hearing_consent = e.consent;
      });
  // Schema version 1 of HearingScheduled: a length in minutes, no video room.
  on<fb::HearingScheduledV1>(
      a, event_type::kHearingScheduled, 1, [](CaseState& s, const fb::HearingScheduledV1T& e) {
        Hearing hearing;
        hearing.hearing_id = e.hearing_id;
        hearing.starts_at_us = e.starts_at_us;
        hearing.ends_at_us =
            e.starts_at_us + static_cast<std::int64_t>(e.length_minutes) * kMinuteUs;
        hearing.place = e.place;
        hearing.online = e.online;
        s.hearings[e.hearing_id] = std::move(hearing);
      });
  // Schema version 2 of HearingScheduled: an end time and the video room.
  on<fb::HearingScheduled>(a, event_type::kHearingScheduled, 2,
                           [](CaseState& s, const fb::HearingScheduledT& e) {
                             Hearing hearing;
                             hearing.hearing_id = e.hearing_id;
                             hearing.starts_at_us = e.starts_at_us;
                             hearing.ends_at_us = e.ends_at_us;
                             hearing.place = e.place;
                             hearing.online = e.online;
                             hearing.video_room = e.video_room;
                             s.hearings[e.hearing_id] = std::move(hearing);
                           });
  on<fb::HearingRescheduled>(a, event_type::kHearingRescheduled, 1,
                             [](CaseState& s, const fb::HearingRescheduledT& e) {
                               if (Hearing* hearing = hearing_of(s, e.hearing_id)) {
                                 hearing->starts_at_us = e.starts_at_us;
                                 hearing->ends_at_us = e.ends_at_us;
                                 hearing->place = e.place;
                                 hearing->online = e.online;
                                 hearing->video_room = e.video_room;
                               }
                             });
  on<fb::HearingHeld>(a, event_type::kHearingHeld, 1, [](CaseState& s, const fb::HearingHeldT& e) {
    if (Hearing* hearing = hearing_of(s, e.hearing_id))
      hearing->status = HearingStatus::kHeld;
  });
  on<fb::HearingCancelled>(a, event_type::kHearingCancelled, 1,
                           [](CaseState& s, const fb::HearingCancelledT& e) {
                             if (Hearing* hearing = hearing_of(s, e.hearing_id)) {
                               hearing->status = HearingStatus::kCancelled;
                               hearing->cancel_reason = e.reason;
                             }
                           });
  on<fb::HearingAbsenceRecorded>(a, event_type::kHearingAbsenceRecorded, 1,
                                 [](CaseState& s, const fb::HearingAbsenceRecordedT& e) {
                                   if (Hearing* hearing = hearing_of(s, e.hearing_id)) {
                                     hearing->absences.push_back(HearingAbsence{
                                         e.party_id, static_cast<HearingAbsenceKind>(e.kind),
                                         static_cast<HearingAbsenceCause>(e.cause), e.note,
                                         static_cast<HearingAbsenceFinding>(e.finding)});
                                   }
                                 });
  on<fb::HearingAvoidanceRequested>(
      a, event_type::kHearingAvoidanceRequested, 1,
      [](CaseState& s, const fb::HearingAvoidanceRequestedT& e) {
        if (Hearing* hearing = hearing_of(s, e.hearing_id)) {
          hearing->avoidance_requests.push_back(AvoidanceRequest{
              e.request_id, e.licence, e.reason, e.phone, AvoidanceStatus::kOpen, ""});
        }
      });
  on<fb::HearingAvoidanceGranted>(a, event_type::kHearingAvoidanceGranted, 1,
                                  [](CaseState& s, const fb::HearingAvoidanceGrantedT& e) {
                                    if (auto* r = request_of(s, e.hearing_id, e.request_id)) {
                                      r->status = AvoidanceStatus::kGranted;
                                    }
                                  });
  on<fb::HearingAvoidanceRefused>(a, event_type::kHearingAvoidanceRefused, 1,
                                  [](CaseState& s, const fb::HearingAvoidanceRefusedT& e) {
                                    if (auto* r = request_of(s, e.hearing_id, e.request_id)) {
                                      r->status = AvoidanceStatus::kRefused;
                                      r->refusal_reason = e.reason;
                                    }
                                  });
  on<fb::EvidenceBatchOpened>(a, event_type::kEvidenceBatchOpened, 1,
                              [](CaseState& s, const fb::EvidenceBatchOpenedT& e) {
                                EvidenceBatch batch;
                                batch.batch_id = e.batch_id;
                                batch.licence = e.licence;
                                s.evidence_batches[e.batch_id] = std::move(batch);
                              });
  on<fb::EvidenceItemAdded>(
      a, event_type::kEvidenceItemAdded, 1, [](CaseState& s, const fb::EvidenceItemAddedT& e) {
        if (auto* batch = entry_of(s.evidence_batches, e.batch_id)) {
          batch->items.push_back(EvidenceItem{e.item_id, e.name, e.blob_hash, e.purpose,
                                              EvidenceItemStatus::kAdded, ""});
        }
      });
  on<fb::EvidenceItemsRemoved>(a, event_type::kEvidenceItemsRemoved, 1,
                               [](CaseState& s, const fb::EvidenceItemsRemovedT& e) {
                                 if (auto* batch = entry_of(s.evidence_batches, e.batch_id)) {
                                   std::erase_if(batch->items, [&](const EvidenceItem& item) {
                                     return std::find(e.item_ids.begin(), e.item_ids.end(),
                                                      item.item_id) != e.item_ids.end();
                                   });
                                 }
                               });
  on<fb::EvidenceBatchSubmitted>(a, event_type::kEvidenceBatchSubmitted, 1,
                                 [](CaseState& s, const fb::EvidenceBatchSubmittedT& e) {
                                   if (auto* batch = entry_of(s.evidence_batches, e.batch_id)) {
                                     batch->status = EvidenceBatchStatus::kSubmitted;
                                     batch->submitted_at_us = e.submitted_at_us;
                                     for (auto& item : batch->items) {
                                       item.status = EvidenceItemStatus::kSubmitted;
                                     }
                                   }
                                 });
  on<fb::EvidenceItemMarked>(a, event_type::kEvidenceItemMarked, 1,
                             [](CaseState& s, const fb::EvidenceItemMarkedT& e) {
                               if (EvidenceItem* item = item_of(s, e.batch_id, e.item_id)) {
                                 switch (e.mark) {
                                   case fb::EvidenceItemMark::Received:
                                     item->status = EvidenceItemStatus::kReceived;
                                     break;
                                   case fb::EvidenceItemMark::Accepted:
                                     item->status = EvidenceItemStatus::kAccepted;
                                     break;
                                   case fb::EvidenceItemMark::Rejected:
                                     item->status = EvidenceItemStatus::kRejected;
                                     break;
                                 }
                                 item->court_note = e.note;
                               }
                             });
  on<fb::EvidenceSentForExchange>(a, event_type::kEvidenceSentForExchange, 1,
                                  [](CaseState& s, const fb::EvidenceSentForExchangeT& e) {
                                    EvidenceExchange exchange;
                                    exchange.exchange_id = e.exchange_id;
                                    exchange.recipient_licence = e.recipient_licence;
                                    for (const auto& item : e.items) {
                                      if (item) {
                                        exchange.items.push_back(EvidenceExchangeItem{
                                            item->item_id, item->title, item->blob_hash, {}, ""});
                                      }
                                    }
                                    exchange.respond_by_us = e.respond_by_us;
                                    s.evidence_exchanges[e.exchange_id] = std::move(exchange);
                                  });
  on<fb::EvidenceExchangeOpened>(a, event_type::kEvidenceExchangeOpened, 1,
                                 [](CaseState& s, const fb::EvidenceExchangeOpenedT& e) {
                                   if (auto* x = entry_of(s.evidence_exchanges, e.exchange_id)) {
                                     x->opened_at_us = e.opened_at_us;
                                     if (x->status == EvidenceExchangeStatus::kSent) {
                                       x->status = EvidenceExchangeStatus::kOpened;
                                     }
                                   }
                                 });
  on<fb::EvidenceExchangeAnswered>(a, event_type::kEvidenceExchangeAnswered, 1,
                                   [](CaseState& s, const fb::EvidenceExchangeAnsweredT& e) {
                                     auto* exchange = entry_of(s.evidence_exchanges, e.exchange_id);
                                     if (exchange == nullptr)
                                       return;
                                     for (const auto& answer : e.answers) {
                                       if (!answer)
                                         continue;
                                       for (auto& item : exchange->items) {
                                         if (item.item_id == answer->item_id) {
                                           item.result =
                                               static_cast<EvidenceExchangeResult>(answer->result);
                                           item.opinion = answer->opinion;
                                         }
                                       }
                                     }
                                     exchange->status = EvidenceExchangeStatus::kAnswered;
                                     exchange->answered_at_us = e.answered_at_us;
                                   });
  on<fb::EvidenceExchangeLapsed>(a, event_type::kEvidenceExchangeLapsed, 1,
                                 [](CaseState& s, const fb::EvidenceExchangeLapsedT& e) {
                                   if (auto* x = entry_of(s.evidence_exchanges, e.exchange_id)) {
                                     x->status = EvidenceExchangeStatus::kLapsed;
                                   }
                                 });
  on<fb::CaseFileMaterialAdded>(
      a, event_type::kCaseFileMaterialAdded, 1,
      [](CaseState& s, const fb::CaseFileMaterialAddedT& e) {
        s.file_materials[e.material_id] = CaseFileMaterial{e.material_id, e.title, e.blob_hash};
      });
  on<fb::FileReviewApplied>(a, event_type::kFileReviewApplied, 1,
                            [](CaseState& s, const fb::FileReviewAppliedT& e) {
                              FileReview review;
                              review.application_id = e.application_id;
                              review.licence = e.licence;
                              review.reason = e.reason;
                              s.file_reviews[e.application_id] = std::move(review);
                            });
  on<fb::FileReviewApproved>(a, event_type::kFileReviewApproved, 1,
                             [](CaseState& s, const fb::FileReviewApprovedT& e) {
                               if (auto* review = entry_of(s.file_reviews, e.application_id)) {
                                 review->status = FileReviewStatus::kApproved;
                                 review->material_ids = e.material_ids;
                                 review->from_us = e.from_us;
                                 review->until_us = e.until_us;
                               }
                             });
  on<fb::FileReviewRefused>(a, event_type::kFileReviewRefused, 1,
                            [](CaseState& s, const fb::FileReviewRefusedT& e) {
                              if (auto* review = entry_of(s.file_reviews, e.application_id)) {
                                review->status = FileReviewStatus::kRefused;
                                review->refusal_reason = e.reason;
                              }
                            });
  on<fb::FileReviewAccessed>(
      a, event_type::kFileReviewAccessed, 1, [](CaseState& s, const fb::FileReviewAccessedT& e) {
        if (auto* review = entry_of(s.file_reviews, e.application_id)) {
          review->accesses.push_back(FileReviewAccess{e.material_id, e.accessed_at_us});
        }
      });
  on<fb::MessageSentToJudge>(a, event_type::kMessageSentToJudge, 1,
                             [](CaseState& s, const fb::MessageSentToJudgeT& e) {
                               JudgeMessage message;
                               message.message_id = e.message_id;
                               message.licence = e.licence;
                               message.title = e.title;
                               message.body = e.body;
                               message.attachments = from_fb(e.attachments);
                               message.sent_at_us = e.sent_at_us;
                               s.messages[e.message_id] = std::move(message);
                             });
  on<fb::MessageRead>(a, event_type::kMessageRead, 1, [](CaseState& s, const fb::MessageReadT& e) {
    if (auto* message = entry_of(s.messages, e.message_id)) {
      message->status = JudgeMessageStatus::kRead;
      message->read_at_us = e.read_at_us;
    }
  });
  on<fb::MessageReplied>(a, event_type::kMessageReplied, 1,
                         [](CaseState& s, const fb::MessageRepliedT& e) {
                           if (auto* message = entry_of(s.messages, e.message_id)) {
                             message->status = JudgeMessageStatus::kReplied;
                             message->reply_body = e.body;
                             message->reply_attachments = from_fb(e.attachments);
                             message->replied_at_us = e.replied_at_us;
                           }
                         });
  on<fb::CaseWithdrawn>(a, event_type::kCaseWithdrawn, 1,
                        [](CaseState& s, const fb::CaseWithdrawnT& e) {
                          s.status = CaseStatus::kWithdrawn;
                          s.end_reason = e.reason;
                          s.withdrawal_notice = e.payment_notice;
                        });
  on<fb::CaseClosed>(a, event_type::kCaseClosed, 1, [](CaseState& s, const fb::CaseClosedT& e) {
    s.status = CaseStatus::kClosed;
    s.end_reason = e.reason;
  });
  return a;
}

const Appliers& appliers() {
  static const Appliers kAppliers = make_appliers();
  return kAppliers;
}

}  // namespace

CaseState CaseAggregate::initial() {
  return CaseState{};
}

Outcome CaseAggregate::decide(const State& state, const Command& command, const Context& ctx) {
  return std::visit([&](const auto& c) { return decide_one(state, c, ctx); }, command);
}

void CaseAggregate::evolve(State& state, const StoredEvent& event) {
  const auto& table = appliers();
  auto it = table.find({std::string(event.type), event.schema_version});
  if (it != table.end())
    it->second(state, event);
}

Expected<CaseCommand, Rejection> CaseAggregate::command_from_timer(std::string_view command_type,
                                                                   std::string_view payload) {
  if (command_type != kExchangeDeadlineCommand) {
    return unexpected(reject(RejectionCode::kValidation, "Expected timer command " +
                                                             std::string(kExchangeDeadlineCommand) +
                                                             ", but got " + quoted(command_type)));
  }
  if (payload.empty()) {
    return unexpected(reject(RejectionCode::kValidation,
                             "Expected an exchange id as the timer payload, but it is empty"));
  }
  return CaseCommand{EvidenceExchangeDeadlineReached{std::string(payload)}};
}

std::string evidence_exchange_deadline_timer(std::string_view case_stream_id,
                                             std::string_view exchange_id) {
  return std::string(case_stream_id) + "/evidence-exchange/" + std::string(exchange_id) +
         "/deadline";
}

bool is_case_agent(const CaseState& state, const Principal& principal) {
  return principal.role == Role::kLawyer && find_agent(state, principal.id) != nullptr;
}

bool is_judge_side(const CaseState& state, const Principal& principal) {
  if (principal.role == Role::kJudge) {
    return !state.judge.empty() && principal.id == state.judge &&
           acts_for_court(principal, state.court, {Role::kJudge});
  }
  return acts_for_court(principal, state.court, {Role::kCourtSystem});
}

}  // namespace docket::domain
