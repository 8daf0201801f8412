// The case aggregate: hearings — online consent, scheduling, holding, cancelling, absences and
// avoidance requests. Deciders and appliers; the shared guards are in case_detail.h.
#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "case/case_detail.h"
#include "case_generated.h"

namespace docket::domain::case_detail {
namespace {

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
  if (online && !state.online_hearing_exclusions.empty()) {
    Violations excluded;
    for (auto exclusion : state.online_hearing_exclusions) {
      excluded.add("online_hearing_exclusions",
                   "Expected nothing ruling an online hearing out, but the case records " +
                       std::string(enum_name(exclusion)));
    }
    Rejection rejection = excluded.rejection();
    rejection.code = RejectionCode::kPolicy;
    return rejection;
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

std::optional<Rejection> check_found(const Hearing* hearing, std::string_view hearing_id) {
  if (hearing != nullptr)
    return std::nullopt;
  return reject(RejectionCode::kNotFound,
                "Expected hearing " + quoted(hearing_id) + ", but the case has none such");
}

std::optional<Rejection> check_scheduled(const Hearing* hearing, std::string_view hearing_id) {
  if (auto rejection = check_found(hearing, hearing_id))
    return rejection;
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

}  // namespace

// ----- deciders ------------------------------------------------------------------------------

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
    const CaseAgent* agent = agent_for(state, ctx.actor.id, facts_of(ctx));
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
  if (hearing->outside_courtroom == OutsideCourtroomApproval::kPending ||
      hearing->outside_courtroom == OutsideCourtroomApproval::kRefused) {
    return fail(RejectionCode::kPolicy,
                "Expected the court president's approval for the judge to hold the hearing at " +
                    quoted(hearing->judge_location) + ", outside the courtroom, but it is " +
                    std::string(enum_name(hearing->outside_courtroom)));
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
  if (auto rejection = check_found(hearing, c.hearing_id))
    return unexpected(*rejection);
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
  // The online hearing's rule (notice §4) holds only a party who consented to it: for them an
  // absence is refusal to appear or leaving without leave unless a failure or force majeure
  // excuses it. Anyone else's absence is recorded without that finding.
  HearingAbsenceFinding finding = HearingAbsenceFinding::kNone;
  if (hearing->online && find_party(state, c.party_id)->online_hearing_consent == true) {
    if (is_excused(c.cause))
      finding = HearingAbsenceFinding::kExcused;
    else if (c.kind == HearingAbsenceKind::kNoShow)
      finding = HearingAbsenceFinding::kRefusedToAppear;
    else
      finding = HearingAbsenceFinding::kLeftWithoutLeave;
  }
  event.finding = static_cast<fb::HearingAbsenceFinding>(finding);
  return decided({make_event(event_type::kHearingAbsenceRecorded, event)});
}

Outcome decide_one(const CaseState& state, const RequestHearingAvoidance& c, const Context& ctx) {
  const Hearing* hearing = find_hearing(state, c.hearing_id);
  if (auto rejection =
          first_of([&] { return check_open(state); }, [&] { return check_agent(state, ctx); },
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
  event.phone = facts_of(ctx).lawyer(ctx.actor.id).phone;  // the form shows the account's phone
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

// ----- online hearings: exclusions, a judge outside the courtroom, transcripts ---------------

Outcome decide_one(const CaseState& state, const RecordOnlineHearingExclusions& c,
                   const Context& ctx) {
  if (auto rejection = first_of([&] { return check_open(state); },
                                [&] { return check_judge_side(state, ctx.actor); })) {
    return unexpected(*rejection);
  }
  std::vector<OnlineHearingExclusion> exclusions;
  for (auto exclusion : c.exclusions) {
    if (std::find(exclusions.begin(), exclusions.end(), exclusion) == exclusions.end())
      exclusions.push_back(exclusion);
  }
  if (exclusions == state.online_hearing_exclusions &&
      c.note == state.online_hearing_exclusion_note)
    return Decision{};
  fb::OnlineHearingExclusionsRecordedT event;
  for (auto exclusion : exclusions)
    event.exclusions.push_back(static_cast<fb::OnlineHearingExclusion>(exclusion));
  event.note = c.note;
  event.recorded_by = ctx.actor.id;
  return decided({make_event(event_type::kOnlineHearingExclusionsRecorded, event)});
}

Outcome decide_one(const CaseState& state, const RequestHearingOutsideCourtroom& c,
                   const Context& ctx) {
  const Hearing* hearing = find_hearing(state, c.hearing_id);
  if (auto rejection = first_of([&] { return check_open(state); },
                                [&] { return check_judge_side(state, ctx.actor); },
                                [&] { return check_scheduled(hearing, c.hearing_id); })) {
    return unexpected(*rejection);
  }
  if (!hearing->online) {
    return fail(RejectionCode::kInvalidState,
                "Expected an online hearing to hold outside the courtroom, but " +
                    quoted(c.hearing_id) + " is held in person at " + quoted(hearing->place));
  }
  if (!c.judge_location.empty() && c.reason.empty()) {
    Violations v;
    v.add("reason", "Expected why the judge sits outside the courtroom, but it is empty");
    return unexpected(v.rejection());
  }
  if (c.judge_location == hearing->judge_location &&
      (c.judge_location.empty() || c.reason == hearing->outside_courtroom_reason))
    return Decision{};
  fb::HearingOutsideCourtroomRequestedT event;
  event.hearing_id = c.hearing_id;
  event.judge_location = c.judge_location;
  event.reason = c.reason;
  event.requested_by = ctx.actor.id;
  return decided({make_event(event_type::kHearingOutsideCourtroomRequested, event)});
}

Outcome decide_one(const CaseState& state, const DecideHearingOutsideCourtroom& c,
                   const Context& ctx) {
  if (auto rejection = check_open(state))
    return unexpected(*rejection);
  const std::string president = facts_of(ctx).court(state.court).policy.president;
  const bool is_president = ctx.actor.role == Role::kJudge && !president.empty() &&
                            ctx.actor.id == president &&
                            acts_for_court(ctx.actor, state.court, {Role::kJudge});
  if (!is_president && !acts_for_court(ctx.actor, state.court, {Role::kCourtSystem})) {
    return fail(RejectionCode::kForbidden,
                "Expected the president of court " + state.court +
                    (president.empty() ? std::string(" (none is named in its policy)")
                                       : " (" + president + ")") +
                    " or its court system, but " + ctx.actor.id + " (" +
                    std::string(enum_name(ctx.actor.role)) + ") decides");
  }
  const Hearing* hearing = find_hearing(state, c.hearing_id);
  if (auto rejection = check_scheduled(hearing, c.hearing_id))
    return unexpected(*rejection);
  if (hearing->outside_courtroom != OutsideCourtroomApproval::kPending) {
    return fail(RejectionCode::kInvalidState,
                "Expected a request to hold hearing " + quoted(c.hearing_id) +
                    " outside the courtroom awaiting approval, but it is " +
                    std::string(enum_name(hearing->outside_courtroom)));
  }
  if (!c.approved && c.reason.empty()) {
    Violations v;
    v.add("reason", "Expected a reason for the refusal, but it is empty");
    return unexpected(v.rejection());
  }
  fb::HearingOutsideCourtroomDecidedT event;
  event.hearing_id = c.hearing_id;
  event.approved = c.approved;
  event.reason = c.reason;
  event.decided_by = ctx.actor.id;
  return decided({make_event(event_type::kHearingOutsideCourtroomDecided, event)});
}

Outcome decide_one(const CaseState& state, const RecordHearingTranscript& c, const Context& ctx) {
  if (auto rejection = first_of([&] { return check_open(state); },
                                [&] { return check_judge_side(state, ctx.actor); })) {
    return unexpected(*rejection);
  }
  const Hearing* hearing = find_hearing(state, c.hearing_id);
  if (auto rejection = check_found(hearing, c.hearing_id))
    return unexpected(*rejection);
  if (hearing->status != HearingStatus::kHeld) {
    return fail(RejectionCode::kInvalidState,
                "Expected a held hearing to record the transcript of, but " + quoted(c.hearing_id) +
                    " is " + std::string(enum_name(hearing->status)));
  }
  if (!is_sha256_hex(c.blob_hash)) {
    Violations v;
    v.add("blob_hash",
          "Expected the transcript document's SHA-256 (64 lower-case hex digits), but "
          "got " +
              quoted(c.blob_hash));
    return unexpected(v.rejection());
  }
  if (hearing->transcript && hearing->transcript->blob_hash == c.blob_hash)
    return Decision{};
  fb::HearingTranscriptRecordedT event;
  event.hearing_id = c.hearing_id;
  event.blob_hash = c.blob_hash;
  event.revision = hearing->transcript ? hearing->transcript->revision + 1 : 1;
  event.recorded_by = ctx.actor.id;
  return decided({make_event(event_type::kHearingTranscriptRecorded, event)});
}

Outcome decide_one(const CaseState& state, const ConfirmHearingTranscript& c, const Context& ctx) {
  if (auto rejection = check_open(state))
    return unexpected(*rejection);
  const Hearing* hearing = find_hearing(state, c.hearing_id);
  if (auto rejection = check_found(hearing, c.hearing_id))
    return unexpected(*rejection);
  // Who confirms, as what.
  TranscriptParticipantKind kind = TranscriptParticipantKind::kParty;
  std::string participant;
  if (ctx.actor.role == Role::kLawyer) {
    const CaseAgent* agent = agent_for(state, ctx.actor.id, facts_of(ctx));
    if (agent == nullptr) {
      return fail(RejectionCode::kForbidden,
                  "Expected an agent of the case, but " + ctx.actor.id + " is none");
    }
    kind = TranscriptParticipantKind::kAgent;
    participant = agent->licence.empty() ? agent->identity_number : agent->licence;
  } else if (ctx.actor.role == Role::kJudge && is_judge_side(state, ctx.actor)) {
    kind = TranscriptParticipantKind::kJudge;
    participant = ctx.actor.id;
  } else if (acts_for_court(ctx.actor, state.court, {Role::kClerk})) {
    kind = TranscriptParticipantKind::kClerk;
    participant = ctx.actor.id;
  } else if (acts_for_court(ctx.actor, state.court, {Role::kCourtSystem})) {
    if (find_party(state, c.party_id) == nullptr) {
      Violations v;
      v.add("party_id", "Expected the party whose confirmation the court system relays, but " +
                            quoted(c.party_id) + " is no party of the case");
      return unexpected(v.rejection());
    }
    participant = c.party_id;
  } else {
    return fail(RejectionCode::kForbidden,
                "Expected a participant of the hearing (an agent, the judge in charge, a clerk of "
                "the court, or the court system for a party), but " +
                    ctx.actor.id + " (" + std::string(enum_name(ctx.actor.role)) + ") is none");
  }
  if (!hearing->transcript) {
    return fail(RejectionCode::kInvalidState, "Expected a transcript of hearing " +
                                                  quoted(c.hearing_id) +
                                                  " to confirm, but none is recorded yet");
  }
  for (const auto& confirmation : hearing->transcript->confirmations) {
    if (confirmation.kind == kind && confirmation.participant == participant)
      return Decision{};
  }
  fb::HearingTranscriptConfirmedT event;
  event.hearing_id = c.hearing_id;
  event.revision = hearing->transcript->revision;
  event.kind = static_cast<fb::TranscriptParticipantKind>(kind);
  event.participant = participant;
  event.recorded_by = ctx.actor.id;
  return decided({make_event(event_type::kHearingTranscriptConfirmed, event)});
}

// ----- appliers ------------------------------------------------------------------------------

void add_hearing_appliers(ApplierTable<CaseState>& a) {
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
  on<fb::OnlineHearingExclusionsRecorded>(
      a, event_type::kOnlineHearingExclusionsRecorded, 1,
      [](CaseState& s, const fb::OnlineHearingExclusionsRecordedT& e) {
        s.online_hearing_exclusions.clear();
        for (auto exclusion : e.exclusions)
          s.online_hearing_exclusions.push_back(static_cast<OnlineHearingExclusion>(exclusion));
        s.online_hearing_exclusion_note = e.note;
      });
  on<fb::HearingOutsideCourtroomRequested>(
      a, event_type::kHearingOutsideCourtroomRequested, 1,
      [](CaseState& s, const fb::HearingOutsideCourtroomRequestedT& e) {
        if (Hearing* hearing = hearing_of(s, e.hearing_id)) {
          hearing->judge_location = e.judge_location;
          hearing->outside_courtroom_reason = e.reason;
          hearing->outside_courtroom = e.judge_location.empty()
                                           ? OutsideCourtroomApproval::kNotNeeded
                                           : OutsideCourtroomApproval::kPending;
          hearing->outside_courtroom_decided_by.clear();
          hearing->outside_courtroom_refusal.clear();
        }
      });
  on<fb::HearingOutsideCourtroomDecided>(
      a, event_type::kHearingOutsideCourtroomDecided, 1,
      [](CaseState& s, const fb::HearingOutsideCourtroomDecidedT& e) {
        if (Hearing* hearing = hearing_of(s, e.hearing_id)) {
          hearing->outside_courtroom =
              e.approved ? OutsideCourtroomApproval::kApproved : OutsideCourtroomApproval::kRefused;
          hearing->outside_courtroom_decided_by = e.decided_by;
          hearing->outside_courtroom_refusal = e.approved ? "" : e.reason;
        }
      });
}

// Applies the transcript's events; the recorded-at time is the event's own.
void add_transcript_appliers(ApplierTable<CaseState>& a) {
  a.on(event_type::kHearingTranscriptRecorded, 1, [](CaseState& s, const StoredEvent& event) {
    const auto e = payload_of<fb::HearingTranscriptRecorded>(event);
    if (Hearing* hearing = hearing_of(s, e.hearing_id))
      hearing->transcript =
          HearingTranscript{e.blob_hash, e.revision, e.recorded_by, event.recorded_at_us, {}};
  });
  a.on(event_type::kHearingTranscriptConfirmed, 1, [](CaseState& s, const StoredEvent& event) {
    const auto e = payload_of<fb::HearingTranscriptConfirmed>(event);
    Hearing* hearing = hearing_of(s, e.hearing_id);
    if (hearing == nullptr || !hearing->transcript || hearing->transcript->revision != e.revision)
      return;
    hearing->transcript->confirmations.push_back(
        TranscriptConfirmation{static_cast<TranscriptParticipantKind>(e.kind), e.participant,
                               e.recorded_by, event.recorded_at_us});
  });
}

}  // namespace docket::domain::case_detail

namespace docket::domain {

std::vector<TranscriptParticipant> awaiting_transcript_confirmation(const CaseState& state,
                                                                    const Hearing& hearing) {
  std::vector<TranscriptParticipant> everyone;
  if (!state.judge.empty())
    everyone.push_back({TranscriptParticipantKind::kJudge, state.judge, ""});
  for (const auto& agent : state.agents) {
    everyone.push_back({TranscriptParticipantKind::kAgent,
                        agent.licence.empty() ? agent.identity_number : agent.licence, agent.name});
  }
  for (const auto& party : state.parties)
    everyone.push_back({TranscriptParticipantKind::kParty, party.party_id, party.name});
  if (!hearing.transcript)
    return everyone;
  std::vector<TranscriptParticipant> out;
  for (auto& p : everyone) {
    const auto& done = hearing.transcript->confirmations;
    const bool confirmed = std::any_of(done.begin(), done.end(), [&](const auto& c) {
      return c.kind == p.kind && c.participant == p.participant;
    });
    if (!confirmed)
      out.push_back(std::move(p));
  }
  return out;
}

}  // namespace docket::domain
