// The case aggregate (stream "case-<case number>"): a registered case with its court, category,
// judge in charge, parties and agents, and everything that happens on it — hearings (with online
// consent, absences and avoidance requests), evidence batches, evidence exchange, file review,
// messages to the judge, withdrawal and closing.
//
// Stream id: a case's stream is "case-" followed by its case number verbatim, e.g.
// "case-(2026)渝0103民初1234号" (see case_stream()). Case numbers are unique across courts (they
// carry the court's code), exist for cases registered from a filing and for cases pushed by a
// court system alike, and are what lawyers and court systems quote, so no second id is needed.
// The stream id is UTF-8; the API percent-encodes it in URLs.
//
// Who may act ("person, case and account match"):
//  - a lawyer acts only on a case where they are an agent (Principal::id = licence number is in
//    the case's agents) — otherwise `forbidden`; binding an old case is the one exception;
//  - judge actions are done by the judge in charge (Role::kJudge, id = CaseState::judge, court =
//    CaseState::court) or by the case's court system (Role::kCourtSystem, court =
//    CaseState::court) — otherwise `forbidden`;
//  - Role::kSystem (reactions and timers) registers, withdraws and lets exchange deadlines lapse.
//
// Other streams (the lawyer binding a case or asking to avoid a hearing, the notice's digest) are
// read as facts (facts.h), never loaded by the decider.
//
// Timers: "case-<n>/evidence-exchange/<exchange id>/deadline" (command type
// "EvidenceExchangeDeadlineReached", payload = the exchange id as plain text), set when evidence is
// sent for exchange and cancelled when the lawyer answers.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "docket/common/expected.h"
#include "docket/domain/aggregate.h"
#include "docket/domain/core.h"

namespace docket::domain {

// ---------------------------------------------------------------------------------------------
// State

enum class CaseStatus : std::uint8_t { kOpen, kWithdrawn, kClosed };
BOOST_DESCRIBE_ENUM(CaseStatus, kOpen, kWithdrawn, kClosed)
enum class CasePartyKind : std::uint8_t { kNaturalPerson, kLegalPerson, kOtherOrganisation };
BOOST_DESCRIBE_ENUM(CasePartyKind, kNaturalPerson, kLegalPerson, kOtherOrganisation)
enum class CasePartyRole : std::uint8_t { kPlaintiff, kDefendant, kThirdParty };
BOOST_DESCRIBE_ENUM(CasePartyRole, kPlaintiff, kDefendant, kThirdParty)

struct CaseParty {
  std::string party_id;  // unique within the case, e.g. the filing's party id
  std::string name;
  CasePartyKind kind = CasePartyKind::kNaturalPerson;
  CasePartyRole role = CasePartyRole::kPlaintiff;
  std::string id_number;  // identity card number or unified social credit code
  // The party's recorded choice of online hearing (with its trace in the log); nullopt: none yet.
  std::optional<bool> online_hearing_consent;
  // Whether the party's service address consents to electronic service (ServeDocument reads it,
  // as a fact, for the party's agents).
  bool electronic_service_consent = false;

  friend bool operator==(const CaseParty&, const CaseParty&) = default;
  template <class Archive>
  void serialize(Archive& ar) {
    ar(party_id, name, kind, role, id_number, online_hearing_consent, electronic_service_consent);
  }
};

// An agent as the court's system recorded it: by practising-licence number, identity number or
// both. A lawyer is the agent when either matches their account (manual §3.3.7: cases are linked
// "by licence number and identity number").
struct CaseAgent {
  std::string licence;  // practising-licence number: the lawyer's principal id ("" when unknown)
  std::string identity_number;
  std::string name;
  std::string firm;
  std::vector<std::string> represents;  // party ids; empty: the agent represents no named party

  friend bool operator==(const CaseAgent&, const CaseAgent&) = default;
  template <class Archive>
  void serialize(Archive& ar) {
    ar(licence, identity_number, name, firm, represents);
  }
};

// Binding of a case accepted before 2018-09-01. The keyed digest of the acceptance notice's
// query code and password is in the credential store (CredentialKind::kLegacyBinding), not here.
// Wrong attempts are counted per lawyer: `failures` holds, for each lawyer with a wrong attempt
// in the last CaseAggregate::kBindingWindowUs, the times of those attempts (at most
// kMaxBindingAttempts each), oldest first; a lawyer with none is not listed.
struct LegacyBinding {
  // Written only by the events of schema version 1 (one count and one lock for every lawyer
  // together); no decision reads them any more.
  std::uint32_t failed_attempts = 0;
  bool locked = false;
  std::map<std::string, std::vector<std::int64_t>> failures;  // licence -> wrong attempts (µs)

  friend bool operator==(const LegacyBinding&, const LegacyBinding&) = default;
  template <class Archive>
  void serialize(Archive& ar) {
    ar(failed_attempts, locked, failures);
  }
};

enum class HearingStatus : std::uint8_t { kScheduled, kHeld, kCancelled };
BOOST_DESCRIBE_ENUM(HearingStatus, kScheduled, kHeld, kCancelled)
enum class HearingAbsenceKind : std::uint8_t { kNoShow, kLeftMidway };
BOOST_DESCRIBE_ENUM(HearingAbsenceKind, kNoShow, kLeftMidway)
enum class HearingAbsenceCause : std::uint8_t {
  kNone,
  kNetworkFailure,
  kDeviceFailure,
  kPowerFailure,
  kForceMajeure,
  kOther,
};
BOOST_DESCRIBE_ENUM(HearingAbsenceCause, kNone, kNetworkFailure, kDeviceFailure, kPowerFailure,
                    kForceMajeure, kOther)
// The online hearing's rule (notice §4) finds a consenting party's absence a refusal to appear or
// leaving without leave, or excused; kNone: recorded without that finding (an in-person hearing,
// or a party whose consent to the online hearing does not stand), for the ordinary rules.
enum class HearingAbsenceFinding : std::uint8_t {
  kRefusedToAppear,
  kLeftWithoutLeave,
  kExcused,
  kNone,
};
BOOST_DESCRIBE_ENUM(HearingAbsenceFinding, kRefusedToAppear, kLeftWithoutLeave, kExcused, kNone)

// What rules an online hearing out (notice §4), recorded by the judge side for the case.
enum class OnlineHearingExclusion : std::uint8_t {
  kIdentityToCheckInPerson,
  kOriginalsToCompare,
  kPhysicalEvidenceToExamine,
  kNoTechnicalMeans,
};
BOOST_DESCRIBE_ENUM(OnlineHearingExclusion, kIdentityToCheckInPerson, kOriginalsToCompare,
                    kPhysicalEvidenceToExamine, kNoTechnicalMeans)

// A judge holding an online hearing outside the courtroom needs the court president's approval.
enum class OutsideCourtroomApproval : std::uint8_t { kNotNeeded, kPending, kApproved, kRefused };
BOOST_DESCRIBE_ENUM(OutsideCourtroomApproval, kNotNeeded, kPending, kApproved, kRefused)

// Who confirms a hearing's transcript (notice §4: the judges and clerks, the parties and the other
// participants).
enum class TranscriptParticipantKind : std::uint8_t { kJudge, kClerk, kAgent, kParty };
BOOST_DESCRIBE_ENUM(TranscriptParticipantKind, kJudge, kClerk, kAgent, kParty)

struct TranscriptConfirmation {
  TranscriptParticipantKind kind = TranscriptParticipantKind::kParty;
  // A staff id, an agent's licence number (their identity number when recorded without one), or
  // a party id.
  std::string participant;
  std::string recorded_by;  // the principal who confirmed (the court system for a party)
  std::int64_t confirmed_at_us = 0;

  friend bool operator==(const TranscriptConfirmation&, const TranscriptConfirmation&) = default;
  template <class Archive>
  void serialize(Archive& ar) {
    ar(kind, participant, recorded_by, confirmed_at_us);
  }
};

// The hearing's electronic transcript (made by speech recognition elsewhere, arriving as a
// document); a new revision replaces it and its confirmations.
struct HearingTranscript {
  std::string blob_hash;
  std::uint32_t revision = 0;
  std::string recorded_by;
  std::int64_t recorded_at_us = 0;
  std::vector<TranscriptConfirmation> confirmations;

  friend bool operator==(const HearingTranscript&, const HearingTranscript&) = default;
  template <class Archive>
  void serialize(Archive& ar) {
    ar(blob_hash, revision, recorded_by, recorded_at_us, confirmations);
  }
};

struct HearingAbsence {
  std::string party_id;
  HearingAbsenceKind kind = HearingAbsenceKind::kNoShow;
  HearingAbsenceCause cause = HearingAbsenceCause::kNone;
  std::string note;
  HearingAbsenceFinding finding = HearingAbsenceFinding::kRefusedToAppear;

  friend bool operator==(const HearingAbsence&, const HearingAbsence&) = default;
  template <class Archive>
  void serialize(Archive& ar) {
    ar(party_id, kind, cause, note, finding);
  }
};

enum class AvoidanceStatus : std::uint8_t { kOpen, kGranted, kRefused };
BOOST_DESCRIBE_ENUM(AvoidanceStatus, kOpen, kGranted, kRefused)

struct AvoidanceRequest {
  std::string request_id;
  std::string licence;
  std::string reason;
  std::string phone;
  AvoidanceStatus status = AvoidanceStatus::kOpen;
  std::string refusal_reason;

  friend bool operator==(const AvoidanceRequest&, const AvoidanceRequest&) = default;
  template <class Archive>
  void serialize(Archive& ar) {
    ar(request_id, licence, reason, phone, status, refusal_reason);
  }
};

struct Hearing {
  std::string hearing_id;
  std::int64_t starts_at_us = 0;
  std::int64_t ends_at_us = 0;
  std::string place;
  bool online = false;
  std::string video_room;
  HearingStatus status = HearingStatus::kScheduled;
  std::string cancel_reason;
  std::vector<HearingAbsence> absences;
  std::vector<AvoidanceRequest> avoidance_requests;
  std::string judge_location;  // where the judge holds it outside the courtroom; "" in court
  OutsideCourtroomApproval outside_courtroom = OutsideCourtroomApproval::kNotNeeded;
  std::string outside_courtroom_reason;      // the judge's, asking
  std::string outside_courtroom_decided_by;  // the president's staff id, or the court system's
  std::string outside_courtroom_refusal;     // why it was refused
  std::optional<HearingTranscript> transcript;

  friend bool operator==(const Hearing&, const Hearing&) = default;
  template <class Archive>
  void serialize(Archive& ar) {
    ar(hearing_id, starts_at_us, ends_at_us, place, online, video_room, status, cancel_reason,
       absences, avoidance_requests, judge_location, outside_courtroom, outside_courtroom_reason,
       outside_courtroom_decided_by, outside_courtroom_refusal, transcript);
  }
};

enum class EvidenceBatchStatus : std::uint8_t { kOpen, kSubmitted };
BOOST_DESCRIBE_ENUM(EvidenceBatchStatus, kOpen, kSubmitted)
enum class EvidenceItemStatus : std::uint8_t {
  kAdded,
  kSubmitted,
  kReceived,
  kAccepted,
  kRejected
};
BOOST_DESCRIBE_ENUM(EvidenceItemStatus, kAdded, kSubmitted, kReceived, kAccepted, kRejected)

struct EvidenceItem {
  std::string item_id;
  std::string name;
  std::string blob_hash;
  std::string purpose;  // what the item is meant to prove
  EvidenceItemStatus status = EvidenceItemStatus::kAdded;
  std::string court_note;

  friend bool operator==(const EvidenceItem&, const EvidenceItem&) = default;
  template <class Archive>
  void serialize(Archive& ar) {
    ar(item_id, name, blob_hash, purpose, status, court_note);
  }
};

struct EvidenceBatch {
  std::string batch_id;
  std::string licence;  // the lawyer who opened the batch
  EvidenceBatchStatus status = EvidenceBatchStatus::kOpen;
  std::vector<EvidenceItem> items;  // in the order added
  std::int64_t submitted_at_us = 0;

  friend bool operator==(const EvidenceBatch&, const EvidenceBatch&) = default;
  template <class Archive>
  void serialize(Archive& ar) {
    ar(batch_id, licence, status, items, submitted_at_us);
  }
};

enum class EvidenceExchangeResult : std::uint8_t { kAgree, kDisagree, kPartlyAgree };
BOOST_DESCRIBE_ENUM(EvidenceExchangeResult, kAgree, kDisagree, kPartlyAgree)
enum class EvidenceExchangeStatus : std::uint8_t { kSent, kOpened, kAnswered, kLapsed };
BOOST_DESCRIBE_ENUM(EvidenceExchangeStatus, kSent, kOpened, kAnswered, kLapsed)

struct EvidenceExchangeItem {
  std::string item_id;
  std::string title;
  std::string blob_hash;
  std::optional<EvidenceExchangeResult> result;
  std::string opinion;

  friend bool operator==(const EvidenceExchangeItem&, const EvidenceExchangeItem&) = default;
  template <class Archive>
  void serialize(Archive& ar) {
    ar(item_id, title, blob_hash, result, opinion);
  }
};

struct EvidenceExchange {
  std::string exchange_id;
  std::string recipient_licence;
  std::vector<EvidenceExchangeItem> items;
  std::int64_t respond_by_us = 0;
  EvidenceExchangeStatus status = EvidenceExchangeStatus::kSent;
  std::int64_t opened_at_us = 0;
  std::int64_t answered_at_us = 0;

  friend bool operator==(const EvidenceExchange&, const EvidenceExchange&) = default;
  template <class Archive>
  void serialize(Archive& ar) {
    ar(exchange_id, recipient_licence, items, respond_by_us, status, opened_at_us, answered_at_us);
  }
};

// A material of the case file, pushed by the court system or the judge; what file review shows.
struct CaseFileMaterial {
  std::string material_id;
  std::string title;
  std::string blob_hash;

  friend bool operator==(const CaseFileMaterial&, const CaseFileMaterial&) = default;
  template <class Archive>
  void serialize(Archive& ar) {
    ar(material_id, title, blob_hash);
  }
};

enum class FileReviewStatus : std::uint8_t { kApplied, kApproved, kRefused };
BOOST_DESCRIBE_ENUM(FileReviewStatus, kApplied, kApproved, kRefused)

struct FileReviewAccess {
  std::string material_id;
  std::int64_t at_us = 0;

  friend bool operator==(const FileReviewAccess&, const FileReviewAccess&) = default;
  template <class Archive>
  void serialize(Archive& ar) {
    ar(material_id, at_us);
  }
};

struct FileReview {
  std::string application_id;
  std::string licence;
  std::string reason;
  FileReviewStatus status = FileReviewStatus::kApplied;
  std::vector<std::string> material_ids;  // the approved subset
  std::int64_t from_us = 0;               // the approved window [from, until)
  std::int64_t until_us = 0;
  std::string refusal_reason;
  std::vector<FileReviewAccess> accesses;

  friend bool operator==(const FileReview&, const FileReview&) = default;
  template <class Archive>
  void serialize(Archive& ar) {
    ar(application_id, licence, reason, status, material_ids, from_us, until_us, refusal_reason,
       accesses);
  }
};

struct CaseAttachment {
  std::string name;
  std::string blob_hash;  // lower-hex SHA-256 of the stored blob

  friend bool operator==(const CaseAttachment&, const CaseAttachment&) = default;
  template <class Archive>
  void serialize(Archive& ar) {
    ar(name, blob_hash);
  }
};

enum class JudgeMessageStatus : std::uint8_t { kSent, kRead, kReplied };
BOOST_DESCRIBE_ENUM(JudgeMessageStatus, kSent, kRead, kReplied)

struct JudgeMessage {
  std::string message_id;
  std::string licence;
  std::string title;
  std::string body;
  std::vector<CaseAttachment> attachments;
  JudgeMessageStatus status = JudgeMessageStatus::kSent;
  std::int64_t sent_at_us = 0;
  std::int64_t read_at_us = 0;
  std::string reply_body;
  std::vector<CaseAttachment> reply_attachments;
  std::int64_t replied_at_us = 0;

  friend bool operator==(const JudgeMessage&, const JudgeMessage&) = default;
  template <class Archive>
  void serialize(Archive& ar) {
    ar(message_id, licence, title, body, attachments, status, sent_at_us, read_at_us, reply_body,
       reply_attachments, replied_at_us);
  }
};

struct CaseState {
  bool exists = false;  // false: no stream yet
  std::string case_number;
  std::string court;
  std::string category;
  std::string judge;      // staff id of the judge in charge; empty until assigned
  std::string filing_id;  // the filing it was registered from; empty for court-system cases
  std::int64_t accepted_on_us = 0;
  CaseStatus status = CaseStatus::kOpen;
  std::string end_reason;          // why it was withdrawn or closed
  std::string withdrawal_notice;   // the lapsed payment notice that withdrew it, if any
  std::vector<CaseParty> parties;  // in registration order
  std::vector<CaseAgent> agents;   // in registration / binding order
  std::optional<LegacyBinding> legacy_binding;  // set for cases accepted before 2018-09-01
  std::map<std::string, Hearing> hearings;
  std::map<std::string, EvidenceBatch> evidence_batches;
  std::map<std::string, EvidenceExchange> evidence_exchanges;
  std::map<std::string, CaseFileMaterial> file_materials;
  std::map<std::string, FileReview> file_reviews;
  std::map<std::string, JudgeMessage> messages;
  // What rules an online hearing out, as the judge side last recorded it (and why).
  std::vector<OnlineHearingExclusion> online_hearing_exclusions;
  std::string online_hearing_exclusion_note;

  friend bool operator==(const CaseState&, const CaseState&) = default;
  template <class Archive>
  void serialize(Archive& ar) {
    ar(exists, case_number, court, category, judge, filing_id, accepted_on_us, status, end_reason,
       withdrawal_notice, parties, agents, legacy_binding, hearings, evidence_batches,
       evidence_exchanges, file_materials, file_reviews, messages, online_hearing_exclusions,
       online_hearing_exclusion_note);
  }
};

// A participant who is to confirm a hearing's transcript: the judge in charge, each agent and each
// party (TranscriptConfirmation::participant names them).
struct TranscriptParticipant {
  TranscriptParticipantKind kind = TranscriptParticipantKind::kParty;
  std::string participant;
  std::string name;
};

// Those of the case's participants who have not confirmed `hearing`'s current transcript (every
// one while there is none).
std::vector<TranscriptParticipant> awaiting_transcript_confirmation(const CaseState& state,
                                                                    const Hearing& hearing);

// ---------------------------------------------------------------------------------------------
// Commands

// Registers the case. Done by Role::kSystem (the filing-accepted reaction) or by the court's
// court system (Principal::court must equal `court`). A case accepted before 2018-09-01 (China
// Standard Time) needs the acceptance notice's query code and password; the decision sets their
// keyed digest in the credential store, never in the log. Errors: conflict (already registered),
// forbidden, validation (every failing field at once).
struct RegisterCase {
  std::string case_number;
  std::string court;
  std::string category;
  std::string judge;      // may be empty; AssignJudge sets it later
  std::string filing_id;  // empty when the court system registers the case
  std::int64_t accepted_on_us = 0;
  std::vector<CaseParty> parties;  // online_hearing_consent is ignored here (recorded later)
  std::vector<CaseAgent> agents;
  std::string query_code;  // plaintext, only for cases accepted before 2018-09-01
  std::string password;
};

// Sets or changes the judge in charge. Court system of the case's court only.
struct AssignJudge {
  std::string judge;
};

// A lawyer binds an old case with the acceptance notice's query code and password, checked
// against the notice's keyed digest in the credential store; the lawyer joins the case as their
// account says (facts: the credential, lawyer-<licence>). Wrong
// credentials are recorded and rejected: the decision holds LegacyBindingFailed (schema version
// 2, with the lawyer and the time) so attempts are counted, and Decision::rejection (forbidden).
// Attempts are counted per lawyer: a lawyer with kMaxBindingAttempts wrong attempts in the last
// kBindingWindowUs is refused (policy) until the oldest of them leaves the window, while every
// other lawyer (the rightful one among them) still binds. Errors: invalid_state (not an old case,
// or already an agent), policy (this lawyer is held back).
struct BindLegacyCase {
  std::string query_code;
  std::string password;
};

// Records a party's choice of online hearing. By an agent representing the party, or judge side.
struct RecordOnlineHearingConsent {
  std::string party_id;
  bool consent = false;
};

// Records what rules an online hearing out for the case (notice §4: identity to check in person,
// originals to compare, physical evidence to examine, no technical means), replacing the last
// record; an empty list clears it. Judge side only; the same record again decides nothing.
struct RecordOnlineHearingExclusions {
  std::vector<OnlineHearingExclusion> exclusions;
  std::string note;
};

// The judge asks to hold a scheduled online hearing outside the courtroom, at `judge_location`,
// with a reason; it needs the court president's approval before it is held. An empty location
// withdraws the request (the judge sits in the courtroom). Judge side only.
struct RequestHearingOutsideCourtroom {
  std::string hearing_id;
  std::string judge_location;
  std::string reason;
};

// The court president (the judge the court's policy names as `president`), or the court system
// relaying the president's approval, approves or refuses (with a reason) a pending request.
struct DecideHearingOutsideCourtroom {
  std::string hearing_id;
  bool approved = false;
  std::string reason;
};

// The transcript of a held hearing arrives as a document (its blob hash): judge side. A new one
// replaces the last, and its confirmations start again.
struct RecordHearingTranscript {
  std::string hearing_id;
  std::string blob_hash;
};

// A participant confirms the current transcript online: an agent of the case (a lawyer), the judge
// in charge or a clerk of the court (as themselves), or the court system relaying the
// confirmation of the party `party_id` (required then, ignored otherwise). Once each.
struct ConfirmHearingTranscript {
  std::string hearing_id;
  std::string party_id;
};

// Schedules a hearing at least 3 days ahead. An online hearing needs every party's recorded
// consent and no exclusion recorded for the case (policy). Judge side only.
struct ScheduleHearing {
  std::string hearing_id;
  std::int64_t starts_at_us = 0;
  std::uint32_t length_minutes = 0;
  std::string place;
  bool online = false;
  std::string video_room;
};

// Moves a scheduled hearing; the same rules as scheduling. Judge side only.
struct RescheduleHearing {
  std::string hearing_id;
  std::int64_t starts_at_us = 0;
  std::uint32_t length_minutes = 0;
  std::string place;
  bool online = false;
  std::string video_room;
  std::string reason;
};

// Records that a scheduled hearing took place (not before its start). Judge side only.
struct HoldHearing {
  std::string hearing_id;
};

// Cancels a scheduled hearing, with a reason. Judge side only.
struct CancelHearing {
  std::string hearing_id;
  std::string reason;
};

// Records a party's no-show or leaving midway at a hearing that has started. It counts as refusal
// to appear / leaving without leave unless the cause is a network, device or power failure or
// force majeure. Judge side only.
struct RecordHearingAbsence {
  std::string hearing_id;
  std::string party_id;
  HearingAbsenceKind kind = HearingAbsenceKind::kNoShow;
  HearingAbsenceCause cause = HearingAbsenceCause::kNone;
  std::string note;
};

// A lawyer agent asks the judge to move or excuse a scheduled hearing; one open request per
// hearing (conflict).
struct RequestHearingAvoidance {
  std::string hearing_id;
  std::string request_id;
  std::string reason;
  // The request records the lawyer's phone from their account (facts: lawyer-<licence>).
};

// The judge grants an avoidance request and reschedules the hearing (same rules as
// RescheduleHearing). Judge in charge only (or the court system).
struct GrantHearingAvoidance {
  std::string hearing_id;
  std::string request_id;
  std::int64_t starts_at_us = 0;
  std::uint32_t length_minutes = 0;
  std::string place;
};

// The judge refuses an avoidance request, with a reason.
struct RefuseHearingAvoidance {
  std::string hearing_id;
  std::string request_id;
  std::string reason;
};

// A lawyer agent adds an item to an open evidence batch; a new batch id opens a batch.
struct AddEvidenceItem {
  std::string batch_id;
  std::string item_id;
  std::string name;
  std::string blob_hash;
  std::string purpose;
};

// Removes items (all named, none unknown) from the lawyer's open batch.
struct RemoveEvidenceItems {
  std::string batch_id;
  std::vector<std::string> item_ids;
};

// Submits the lawyer's open batch (at least one item).
struct SubmitEvidenceBatch {
  std::string batch_id;
};

enum class EvidenceItemMark : std::uint8_t { kReceived, kAccepted, kRejected };
BOOST_DESCRIBE_ENUM(EvidenceItemMark, kReceived, kAccepted, kRejected)

// The court marks one submitted item received, accepted or rejected (rejection needs a note).
// Judge side only.
struct MarkEvidenceItem {
  std::string batch_id;
  std::string item_id;
  EvidenceItemMark mark = EvidenceItemMark::kReceived;
  std::string note;
};

struct EvidenceExchangeItemToSend {
  std::string item_id;
  std::string title;
  std::string blob_hash;
};

// The judge sends items to one agent for their opinion by a deadline (in the future); sets the
// deadline timer. Judge side only; the recipient must be an agent.
struct SendEvidenceForExchange {
  std::string exchange_id;
  std::string recipient_licence;
  std::vector<EvidenceExchangeItemToSend> items;
  std::int64_t respond_by_us = 0;
};

// The recipient opens the exchange (recorded once).
struct OpenEvidenceExchange {
  std::string exchange_id;
};

struct EvidenceExchangeAnswerItem {
  std::string item_id;
  EvidenceExchangeResult result = EvidenceExchangeResult::kAgree;
  std::string opinion;  // required unless the result is agree
};

// The recipient answers every item once, before the deadline; cancels the deadline timer.
struct AnswerEvidenceExchange {
  std::string exchange_id;
  std::vector<EvidenceExchangeAnswerItem> answers;
};

// The deadline timer fired: an unanswered exchange lapses; otherwise nothing happens.
struct EvidenceExchangeDeadlineReached {
  std::string exchange_id;
};

// Adds a material to the case file (judge side).
struct AddCaseFileMaterial {
  std::string material_id;
  std::string title;
  std::string blob_hash;
};

// A lawyer agent applies to read the case file, with a reason.
struct ApplyForFileReview {
  std::string application_id;
  std::string reason;
};

// The judge approves a non-empty subset of the case file for a window [from, until).
struct ApproveFileReview {
  std::string application_id;
  std::vector<std::string> material_ids;
  std::int64_t from_us = 0;
  std::int64_t until_us = 0;
};

// The judge refuses a file-review application, with a reason.
struct RefuseFileReview {
  std::string application_id;
  std::string reason;
};

// The applicant reads an approved material inside the window; every access is recorded.
struct RecordFileReviewAccess {
  std::string application_id;
  std::string material_id;
};

// A lawyer agent writes to the judge in charge: title, body, attachments.
struct SendMessageToJudge {
  std::string message_id;
  std::string title;
  std::string body;
  std::vector<CaseAttachment> attachments;
};

// The judge side marks a message read (recorded once).
struct MarkMessageRead {
  std::string message_id;
};

// The judge side replies once to a message.
struct ReplyToMessage {
  std::string message_id;
  std::string body;
  std::vector<CaseAttachment> attachments;
};

// The case is treated as withdrawn (e.g. its fee went unpaid): Role::kSystem from the
// payment-lapsed reaction, or the court system. Withdrawing an ended case changes nothing.
struct WithdrawCase {
  std::string reason;
  std::string payment_notice;  // the lapsed payment notice's stream id, if that is the cause
};

// Closes the case. Judge side only.
struct CloseCase {
  std::string reason;
};

using CaseCommand = std::variant<
    RegisterCase, AssignJudge, BindLegacyCase, RecordOnlineHearingConsent, ScheduleHearing,
    RescheduleHearing, HoldHearing, CancelHearing, RecordHearingAbsence, RequestHearingAvoidance,
    GrantHearingAvoidance, RefuseHearingAvoidance, RecordOnlineHearingExclusions,
    RequestHearingOutsideCourtroom, DecideHearingOutsideCourtroom, RecordHearingTranscript,
    ConfirmHearingTranscript, AddEvidenceItem, RemoveEvidenceItems, SubmitEvidenceBatch,
    MarkEvidenceItem, SendEvidenceForExchange, OpenEvidenceExchange, AnswerEvidenceExchange,
    EvidenceExchangeDeadlineReached, AddCaseFileMaterial, ApplyForFileReview, ApproveFileReview,
    RefuseFileReview, RecordFileReviewAccess, SendMessageToJudge, MarkMessageRead, ReplyToMessage,
    WithdrawCase, CloseCase>;

// ---------------------------------------------------------------------------------------------
// Aggregate

struct CaseAggregate : Aggregate<CaseAggregate, CaseState, CaseCommand> {
  static constexpr std::string_view kCategory = category::kCase;
  static constexpr std::uint32_t kStateVersion = 4;  // 4: online hearings' rules, transcripts
  // Hearings are scheduled at least this far ahead (3 days' notice).
  static constexpr std::int64_t kHearingNoticeUs = 3 * 86'400'000'000LL;
  // Cases accepted before 2018-09-01 00:00 China Standard Time are bound by hand.
  static constexpr std::int64_t kLegacyCutoffUs = 1'535'731'200'000'000LL;
  // Wrong binding attempts of one lawyer in kBindingWindowUs before that lawyer is held back.
  static constexpr std::uint32_t kMaxBindingAttempts = 5;
  static constexpr std::int64_t kBindingWindowUs = 24LL * 3600 * 1'000'000;
  static constexpr std::string_view kExchangeDeadlineCommand =
      timer_command::kEvidenceExchangeDeadlineReached;

  // Decides a command against the case. Never throws; every business failure is a Rejection.
  static Outcome decide(const State& state, const Command& command, const Context& ctx);
  // Turns the evidence-exchange deadline timer back into its command. validation if the command
  // type is unknown or the payload is empty.
  static Expected<Command, Rejection> command_from_timer(std::string_view command_type,
                                                         std::string_view payload);
  // The appliers of the case's events (aggregate.h: an unknown pair throws EventFoldError).
  static const ApplierTable<State>& appliers();
};

// The timer id of an exchange's deadline: "case-<n>/evidence-exchange/<id>/deadline".
std::string evidence_exchange_deadline_timer(std::string_view case_stream_id,
                                             std::string_view exchange_id);

// The agent that the lawyer with `licence` is: recorded with that licence or, failing that,
// with the identity number of the lawyer's account (facts: lawyer(licence)); nullptr when none.
const CaseAgent* agent_for(const CaseState& state, std::string_view licence, const Facts& facts);

// Whether `principal` is a lawyer agent of the case (agent_for).
bool is_case_agent(const CaseState& state, const Principal& principal, const Facts& facts);

// Whether `principal` may do the case's judge actions: the judge in charge (of the case's court)
// or the case's court system.
bool is_judge_side(const CaseState& state, const Principal& principal);

}  // namespace docket::domain
