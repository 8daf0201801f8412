// The shapes of the API's JSON replies, as C++ types. Each is what a renderer writes
// (projections/src/render.cc and read_models.cc for the read models, the route files for the
// routes' own replies); the route table names them, and /v1/openapi.json states their schemas
// (schema.h). The API tests check every reply they see against its route's schema, so a renderer
// that drifts from these types fails them. Members named like C++ keywords end in '_'
// (`signed_` is "signed"). Internal to docket_api.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "docket/api/schema.h"
#include "docket/domain/case.h"
#include "docket/domain/filing.h"
#include "docket/domain/hotline.h"
#include "docket/domain/lawyer.h"
#include "docket/domain/payment.h"
#include "docket/domain/service.h"

namespace docket::api::responses {

using schema::Any;
using schema::MapOf;
using schema::Nullable;
using Docs = std::pair<std::string_view, std::string_view>;
using Strings = std::vector<std::string>;

// --- pages of lists (api/src/pages.h) -------------------------------------------------------

namespace detail {
// "<item schema>Page", the schema name of a page of T.
template <class T>
struct PageName {
  static constexpr auto text = [] {
    constexpr std::string_view suffix = "Page";
    std::array<char, T::kSchemaName.size() + suffix.size()> out{};
    std::size_t n = 0;
    for (char c : T::kSchemaName)
      out[n++] = c;
    for (char c : suffix)
      out[n++] = c;
    return out;
  }();
};
}  // namespace detail

// A list in a reply: its items, and the cursor of the next page when more follow.
template <class T>
struct Page {
  static constexpr std::string_view kSchemaName{detail::PageName<T>::text.data(),
                                                detail::PageName<T>::text.size()};
  static constexpr Docs kFieldDocs[] = {
      {"next_cursor", "present when more items follow: pass it as ?cursor= for the next page"}};
  std::vector<T> items;
  std::optional<std::string> next_cursor;
  BOOST_DESCRIBE_CLASS(Page, (), (items, next_cursor), (), ())
};

// --- enums (the wire names, enum_names.h; tests/api/schema_test.cc checks them) ----------

// The roles a person or system may log in as: the domain's, less the engine's own `system`.
enum class Role { lawyer, clerk, judge, court_system, auditor, admin };
BOOST_DESCRIBE_ENUM(Role, lawyer, clerk, judge, court_system, auditor, admin)
// Where a reply names a domain value, its type is the domain's enum: one wire name for one thing.
using FilingStatus = domain::FilingStatus;
// ECF's filing review codes where it has one (received, accepted, rejected, cancelled), else ours.
enum class EcfStatus {
  received,
  accepted,
  rejected,
  cancelled,
  draft,
  correction_requested,
  returned,
  deleted,
  in_mediation,
  mediated
};
BOOST_DESCRIBE_ENUM(EcfStatus, received, accepted, rejected, cancelled, draft, correction_requested,
                    returned, deleted, in_mediation, mediated)
using PartyPosition = domain::FilingPartyPosition;
using PartyKind = domain::FilingPartyKind;
using PaperKind = domain::IdentityPaperKind;
using Practitioner = domain::Practitioner;
using IdentityCheckMethod = domain::IdentityCheckMethod;
using IdentityCheckResult = domain::IdentityCheckResult;
using MediationOutcome = domain::MediationOutcome;
using JudicialConfirmation = domain::JudicialConfirmation;
enum class FilerRole { filer, agent };
BOOST_DESCRIBE_ENUM(FilerRole, filer, agent)
using PaymentChannel = domain::PaymentChannel;
using ReliefKind = domain::PaymentReliefKind;
using PaymentStatus = domain::PaymentNoticeStatus;
using CaseStatus = domain::CaseStatus;
using HearingStatus = domain::HearingStatus;
using AbsenceKind = domain::HearingAbsenceKind;
using AbsenceCause = domain::HearingAbsenceCause;
using AbsenceFinding = domain::HearingAbsenceFinding;
using OnlineHearingExclusion = domain::OnlineHearingExclusion;
using OutsideCourtroomApproval = domain::OutsideCourtroomApproval;
using TranscriptParticipantKind = domain::TranscriptParticipantKind;
using AvoidanceStatus = domain::AvoidanceStatus;
using BatchStatus = domain::EvidenceBatchStatus;
using ItemStatus = domain::EvidenceItemStatus;
using ExchangeResult = domain::EvidenceExchangeResult;
using ExchangeStatus = domain::EvidenceExchangeStatus;
using FileReviewStatus = domain::FileReviewStatus;
using MessageStatus = domain::JudgeMessageStatus;
using ServiceStatus = domain::ServiceStatus;
enum class OutboxStatus { queued, delivered, signed_, voided };
BOOST_DESCRIBE_ENUM(OutboxStatus, queued, delivered, signed_, voided)
enum class ConflictKind { hearings_overlap, cannot_appear };
BOOST_DESCRIBE_ENUM(ConflictKind, hearings_overlap, cannot_appear)
enum class HealthStatus { ok, degraded, read_only };
BOOST_DESCRIBE_ENUM(HealthStatus, ok, degraded, read_only)

// --- problems ----------------------------------------------------------------------------

struct Violation {
  static constexpr std::string_view kSchemaName = "Violation";
  std::string field;  // dotted path: "parties[1].name"
  std::string message;
};
BOOST_DESCRIBE_STRUCT(Violation, (), (field, message))

struct Problem {
  static constexpr std::string_view kSchemaName = "Problem";
  static constexpr std::string_view kDescription =
      "A problem (RFC 9457, application/problem+json). `code` is stable; `violations` lists each "
      "bad field (empty when none).";
  std::string type;  // urn:docket:problem:<code>
  std::string title;
  std::uint32_t status = 0;
  std::string detail;
  std::string code;
  std::vector<Violation> violations;
};
BOOST_DESCRIBE_STRUCT(Problem, (), (type, title, status, detail, code, violations))

// --- commands ----------------------------------------------------------------------------

struct Accepted {
  static constexpr std::string_view kSchemaName = "Accepted";
  static constexpr std::string_view kDescription =
      "A command went through (or a repeat of it was answered from its Idempotency-Key): the "
      "log position of its last event (also in Docket-Position) and the stream's version (also "
      "the ETag).";
  static constexpr Docs kFieldDocs[] = {
      {"deduplicated", "true when this is a repeat answered with the first result"},
      {"created_id",
       "the id the server made for what the command created (also in Location where the thing "
       "has a URL of its own); a repeat with the same Idempotency-Key gets the same id"},
      {"case_number", "the case number allocated, when the command allocated one"},
      {"api_key", "a court system's new API key, returned this once"},
      {"reactions_pending",
       "true when the command's events cause commands of the platform's own (accepting a filing "
       "registers its case and issues its payment notice) that had not been committed when it "
       "answered: a read after `position` may not show them yet. Absent when they had: "
       "`position` is then the last position they wrote"}};
  std::uint64_t position = 0;
  std::string stream;
  std::uint64_t stream_version = 0;
  bool deduplicated = false;
  std::uint64_t event_count = 0;
  std::optional<std::string> created_id;
  std::optional<std::string> case_number;
  std::optional<std::string> api_key;
  std::optional<bool> reactions_pending;
};
BOOST_DESCRIBE_STRUCT(Accepted, (),
                      (position, stream, stream_version, deduplicated, event_count, created_id,
                       case_number, api_key, reactions_pending))

struct PaymentStarted : Accepted {
  static constexpr std::string_view kSchemaName = "PaymentStarted";
  static constexpr Docs kFieldDocs[] = {
      {"attempt", "the attempt the provider's callback confirms"}};
  std::string filing_id;
  std::optional<std::uint32_t> attempt;
  std::optional<std::int64_t> amount_fen;
};
BOOST_DESCRIBE_STRUCT(PaymentStarted, (Accepted), (filing_id, attempt, amount_fen))

struct RosterResult {
  static constexpr std::string_view kSchemaName = "RosterResult";
  static constexpr Docs kFieldDocs[] = {
      {"status", "200 when this lawyer went through, else the HTTP status of its problem"}};
  std::string licence_number;
  std::uint32_t status = 0;
  std::optional<std::uint64_t> position;
  std::optional<std::uint64_t> stream_version;
  std::optional<bool> deduplicated;
  std::optional<std::string> code;
  std::optional<std::string> detail;
};
BOOST_DESCRIBE_STRUCT(RosterResult, (),
                      (licence_number, status, position, stream_version, deduplicated, code,
                       detail))

struct RosterImport {
  static constexpr std::string_view kSchemaName = "RosterImport";
  std::uint64_t position = 0;
  std::vector<RosterResult> results;
  bool ok = false;
};
BOOST_DESCRIBE_STRUCT(RosterImport, (), (position, results, ok))

// --- sessions ----------------------------------------------------------------------------

struct Principal {
  static constexpr std::string_view kSchemaName = "Principal";
  std::string id;
  Role role = Role::lawyer;
  std::string court;  // "" for people of no court
};
BOOST_DESCRIBE_STRUCT(Principal, (), (id, role, court))

struct Session {
  static constexpr std::string_view kSchemaName = "Session";
  std::string token;
  std::string token_type;  // "Bearer"
  std::int64_t expires_at_us = 0;
  Principal principal;
  bool must_change_password = false;
};
BOOST_DESCRIBE_STRUCT(Session, (),
                      (token, token_type, expires_at_us, principal, must_change_password))

struct Me : Principal {
  static constexpr std::string_view kSchemaName = "Me";
  bool must_change_password = false;
};
BOOST_DESCRIBE_STRUCT(Me, (Principal), (must_change_password))

// --- lawyers -----------------------------------------------------------------------------

struct ScheduleEntry {
  static constexpr std::string_view kSchemaName = "ScheduleEntry";
  std::string entry_id;
  std::int64_t starts_at_us = 0;
  std::int64_t ends_at_us = 0;
  bool can_appear_in_court = false;
  std::string text;
};
BOOST_DESCRIBE_STRUCT(ScheduleEntry, (),
                      (entry_id, starts_at_us, ends_at_us, can_appear_in_court, text))

struct AvoidanceRequest {
  static constexpr std::string_view kSchemaName = "AvoidanceRequest";
  std::string request_id;
  std::string licence_number;
  std::string reason;
  std::string phone;
  AvoidanceStatus status = AvoidanceStatus::kOpen;
  std::string refusal_reason;
};
BOOST_DESCRIBE_STRUCT(AvoidanceRequest, (),
                      (request_id, licence_number, reason, phone, status, refusal_reason))

struct HearingRow {
  static constexpr std::string_view kSchemaName = "HearingRow";
  static constexpr std::string_view kDescription =
      "A hearing of a case the lawyer is an agent in, with the lawyer's own avoidance requests.";
  std::string case_number;
  std::string court;
  std::string judge;
  std::string hearing_id;
  std::int64_t starts_at_us = 0;
  std::int64_t ends_at_us = 0;
  std::string place;
  bool online = false;
  std::string video_room;
  HearingStatus status = HearingStatus::kScheduled;
  std::string cancel_reason;
  std::vector<AvoidanceRequest> avoidance_requests;
  bool transcript_to_confirm = false;  // the hearing's transcript awaits this lawyer's confirmation
};
BOOST_DESCRIBE_STRUCT(HearingRow, (),
                      (case_number, court, judge, hearing_id, starts_at_us, ends_at_us, place,
                       online, video_room, status, cancel_reason, avoidance_requests,
                       transcript_to_confirm))

struct LawyerHome {
  static constexpr std::string_view kSchemaName = "LawyerHome";
  std::string licence_number;  // a legal service worker's practising-certificate number
  Practitioner practitioner = Practitioner::kLawyer;
  std::string name;
  std::string firm;
  std::string phone;
  std::string email;
  bool active = false;
  std::string id_number;
  bool must_change_password = false;
  Page<ScheduleEntry> schedule;        // by start
  Page<HearingRow> upcoming_hearings;  // by start
};
BOOST_DESCRIBE_STRUCT(LawyerHome, (),
                      (licence_number, practitioner, name, firm, phone, email, active, id_number,
                       must_change_password, schedule, upcoming_hearings))

struct HearingConflict {
  static constexpr std::string_view kSchemaName = "HearingConflict";
  static constexpr std::string_view kDescription =
      "hearings_overlap: two upcoming hearings overlap (`hearings`); cannot_appear: an upcoming "
      "hearing falls in a schedule entry when the lawyer cannot appear (`hearing`, "
      "`schedule_entry`).";
  ConflictKind kind = ConflictKind::hearings_overlap;
  std::optional<std::vector<HearingRow>> hearings;
  std::optional<HearingRow> hearing;
  std::optional<ScheduleEntry> schedule_entry;
};
BOOST_DESCRIBE_STRUCT(HearingConflict, (), (kind, hearings, hearing, schedule_entry))

struct MyHearings {
  static constexpr std::string_view kSchemaName = "MyHearings";
  Page<HearingRow> upcoming;  // by start
  Page<HearingRow> held;      // newest first
  Page<HearingRow> cancelled;
  Page<HearingConflict> conflicts;
};
BOOST_DESCRIBE_STRUCT(MyHearings, (), (upcoming, held, cancelled, conflicts))

struct LawyerSchedule {
  static constexpr std::string_view kSchemaName = "LawyerSchedule";
  std::string licence_number;
  std::string name;
  std::string firm;
  Strings cases;
  std::vector<ScheduleEntry> schedule;
};
BOOST_DESCRIBE_STRUCT(LawyerSchedule, (), (licence_number, name, firm, cases, schedule))

// --- filings -----------------------------------------------------------------------------

struct Milestone {
  static constexpr std::string_view kSchemaName = "Milestone";
  std::string type;  // the event type
  std::int64_t at_us = 0;
  std::string actor_id;
  std::string actor_role;
};
BOOST_DESCRIBE_STRUCT(Milestone, (), (type, at_us, actor_id, actor_role))

struct FilingSteps {
  static constexpr std::string_view kSchemaName = "FilingSteps";
  static constexpr std::string_view kDescription = "Which wizard steps hold data.";
  bool filing_notice = false;
  bool case_category = false;
  bool case_information = false;
  bool parties = false;
  bool agents = false;
  bool service_address_notice = false;
  bool service_addresses = false;
  bool court = false;
  bool materials = false;
  bool identity_papers = false;
  bool mediation = false;
};
BOOST_DESCRIBE_STRUCT(FilingSteps, (),
                      (filing_notice, case_category, case_information, parties, agents,
                       service_address_notice, service_addresses, court, materials, identity_papers,
                       mediation))

struct FilingSummary {
  static constexpr std::string_view kSchemaName = "FilingSummary";
  static constexpr Docs kFieldDocs[] = {
      {"review_days_left", "days until the review is due, while submitted; else null"},
      {"correction_days_left",
       "days until the correction deadline, while correction is "
       "requested; else null"}};
  std::string filing_id;
  std::string filer_licence_number;
  FilingStatus status = FilingStatus::kDraft;
  EcfStatus ecf_status = EcfStatus::draft;
  std::string category;
  std::string application_type;
  std::string court;
  std::string court_name;
  Strings plaintiffs;
  Strings defendants;
  std::int64_t amount_in_dispute_fen = 0;
  FilingSteps steps;
  std::uint32_t submissions = 0;
  std::int64_t created_at_us = 0;
  std::int64_t updated_at_us = 0;
  Nullable<std::int64_t> submitted_at_us;
  Nullable<std::int64_t> review_due_at_us;
  bool review_overdue = false;
  Nullable<std::int64_t> correction_deadline_at_us;
  std::string case_number;
  bool registered_automatically = false;
  Nullable<std::int64_t> review_days_left;
  Nullable<std::int64_t> correction_days_left;
  bool correction_overdue = false;
  Nullable<std::int64_t> mediation_deadline_at_us;  // while in mediation
  JudicialConfirmation judicial_confirmation = JudicialConfirmation::kNone;
};
BOOST_DESCRIBE_STRUCT(FilingSummary, (),
                      (filing_id, filer_licence_number, status, ecf_status, category,
                       application_type, court, court_name, plaintiffs, defendants,
                       amount_in_dispute_fen, steps, submissions, created_at_us, updated_at_us,
                       submitted_at_us, review_due_at_us, review_overdue, correction_deadline_at_us,
                       case_number, registered_automatically, review_days_left,
                       correction_days_left, correction_overdue, mediation_deadline_at_us,
                       judicial_confirmation))

struct MyFiling : FilingSummary {
  static constexpr std::string_view kSchemaName = "MyFiling";
  FilerRole role = FilerRole::filer;  // whether the caller filed it or is an agent in it
};
BOOST_DESCRIBE_STRUCT(MyFiling, (FilingSummary), (role))

struct FilingParty {
  static constexpr std::string_view kSchemaName = "FilingParty";
  std::string party_id;
  PartyPosition standing = PartyPosition::kPlaintiff;
  PartyKind kind = PartyKind::kNaturalPerson;
  std::string name;
  std::string id_number;
  bool minor = false;
  std::string phone;
  std::string address;
  std::string legal_representative;
  std::string legal_representative_id_number;
};
BOOST_DESCRIBE_STRUCT(FilingParty, (),
                      (party_id, standing, kind, name, id_number, minor, phone, address,
                       legal_representative, legal_representative_id_number))

struct FilingAgent {
  static constexpr std::string_view kSchemaName = "FilingAgent";
  std::string licence_number;
  std::string name;
  std::string firm;
  std::string phone;
  Strings represents;  // party ids
};
BOOST_DESCRIBE_STRUCT(FilingAgent, (), (licence_number, name, firm, phone, represents))

struct ServiceAddress {
  static constexpr std::string_view kSchemaName = "ServiceAddress";
  std::string party_id;
  std::string address;
  std::string phone;
  std::string email;
  bool electronic_service_consent = false;
};
BOOST_DESCRIBE_STRUCT(ServiceAddress, (),
                      (party_id, address, phone, email, electronic_service_consent))

struct FilingMaterial {
  static constexpr std::string_view kSchemaName = "FilingMaterial";
  std::string material_id;
  std::string material_type;
  std::string title;
  Strings blob_hashes;  // SHA-256 hex of uploaded blobs
};
BOOST_DESCRIBE_STRUCT(FilingMaterial, (), (material_id, material_type, title, blob_hashes))

struct IdentityPaper {
  static constexpr std::string_view kSchemaName = "IdentityPaper";
  std::string party_id;
  PaperKind kind = PaperKind::kIdCardFront;
  std::string blob_hash;
};
BOOST_DESCRIBE_STRUCT(IdentityPaper, (), (party_id, kind, blob_hash))

struct CorrectionItem {
  static constexpr std::string_view kSchemaName = "CorrectionItem";
  std::string field;
  std::string message;
};
BOOST_DESCRIBE_STRUCT(CorrectionItem, (), (field, message))

struct IdentityCheck {
  static constexpr std::string_view kSchemaName = "IdentityCheck";
  static constexpr std::string_view kDescription =
      "The court's identity service's latest real-name verification of a party.";
  std::string party_id;
  IdentityCheckMethod method = IdentityCheckMethod::kDocumentComparison;
  IdentityCheckResult result = IdentityCheckResult::kVerified;
  std::string note;
  std::string recorded_by;
  std::int64_t recorded_at_us = 0;
};
BOOST_DESCRIBE_STRUCT(IdentityCheck, (),
                      (party_id, method, result, note, recorded_by, recorded_at_us))

struct CorrectionNotice {
  static constexpr std::string_view kSchemaName = "CorrectionNotice";
  std::vector<CorrectionItem> items;
  std::int64_t deadline_at_us = 0;
  std::string requested_by;
};
BOOST_DESCRIBE_STRUCT(CorrectionNotice, (), (items, deadline_at_us, requested_by))

struct MediationReferral {
  static constexpr std::string_view kSchemaName = "MediationReferral";
  static constexpr std::string_view kDescription =
      "The filing's referral to online mediation, its outcome and the agreement's judicial "
      "confirmation.";
  std::string mediator;
  std::string mediation_organisation;
  std::string referred_by;
  std::int64_t referred_at_us = 0;
  std::int64_t deadline_at_us = 0;
  MediationOutcome outcome = MediationOutcome::kPending;
  std::string agreement_blob_hash;  // with an agreement: GET /v1/blobs/{hash}?filing={filing_id}
  std::string outcome_note;
  std::string concluded_by;
  Nullable<std::int64_t> concluded_at_us;
  bool deadline_passed = false;
  JudicialConfirmation judicial_confirmation = JudicialConfirmation::kNone;
  std::string confirmation_applied_by;
  Nullable<std::int64_t> confirmation_applied_at_us;
  std::string confirmation_decided_by;
  std::string confirmation_reason;
};
BOOST_DESCRIBE_STRUCT(MediationReferral, (),
                      (mediator, mediation_organisation, referred_by, referred_at_us,
                       deadline_at_us, outcome, agreement_blob_hash, outcome_note, concluded_by,
                       concluded_at_us, deadline_passed, judicial_confirmation,
                       confirmation_applied_by, confirmation_applied_at_us, confirmation_decided_by,
                       confirmation_reason))

struct Filing : FilingSummary {
  static constexpr std::string_view kSchemaName = "Filing";
  static constexpr std::string_view kDescription =
      "A filing in full: every wizard step's data, the correction notice, its history.";
  Strings claims;
  std::string facts_and_reasons;
  std::vector<FilingParty> parties;
  std::vector<FilingAgent> agents;
  std::vector<ServiceAddress> service_addresses;
  std::vector<FilingMaterial> materials;
  std::vector<IdentityPaper> identity_papers;
  std::vector<IdentityCheck> identity_checks;  // the latest per party
  Nullable<bool> mediation;
  Nullable<CorrectionNotice> correction_notice;
  std::string accepted_by;
  std::string identity_override_reason;  // the clerk's, when accepted without every check
  std::string rejection_reason;
  std::string cancellation_reason;
  Nullable<MediationReferral> mediation_referral;
  std::vector<Milestone> history;
};
BOOST_DESCRIBE_STRUCT(Filing, (FilingSummary),
                      (claims, facts_and_reasons, parties, agents, service_addresses, materials,
                       identity_papers, identity_checks, mediation, correction_notice, accepted_by,
                       identity_override_reason, rejection_reason, cancellation_reason,
                       mediation_referral, history))

struct ReviewQueue {
  static constexpr std::string_view kSchemaName = "ReviewQueue";
  std::string court;
  Page<FilingSummary> pending;  // overdue first, then by review due date
  Page<FilingSummary> awaiting_correction;
  Page<FilingSummary> in_mediation;           // by mediation deadline
  Page<FilingSummary> awaiting_confirmation;  // applications for judicial confirmation
};
BOOST_DESCRIBE_STRUCT(ReviewQueue, (),
                      (court, pending, awaiting_correction, in_mediation, awaiting_confirmation))

struct FilingReviewStatus {
  static constexpr std::string_view kSchemaName = "FilingReviewStatus";
  std::string filing_id;
  EcfStatus status = EcfStatus::received;
  FilingStatus docket_status = FilingStatus::kDraft;
  std::string court;
  std::uint32_t submissions = 0;
  std::int64_t review_due_at_us = 0;  // 0 when none
  bool review_overdue = false;
  std::string case_number;
};
BOOST_DESCRIBE_STRUCT(FilingReviewStatus, (),
                      (filing_id, status, docket_status, court, submissions, review_due_at_us,
                       review_overdue, case_number))

// --- payments ----------------------------------------------------------------------------

struct PaymentAttempt {
  static constexpr std::string_view kSchemaName = "PaymentAttempt";
  std::uint32_t attempt = 0;
  PaymentChannel channel = PaymentChannel::kWeChat;
  std::int64_t amount_fen = 0;
  std::string started_by;
};
BOOST_DESCRIBE_STRUCT(PaymentAttempt, (), (attempt, channel, amount_fen, started_by))

struct PendingRelief {
  static constexpr std::string_view kSchemaName = "PendingRelief";
  ReliefKind kind = ReliefKind::kDeferral;
  std::string reason;
  std::string applied_by;
};
BOOST_DESCRIBE_STRUCT(PendingRelief, (), (kind, reason, applied_by))

// A refund of (part of) a paid fee, as the payment notice shows it.
struct Refund {
  static constexpr std::string_view kSchemaName = "Refund";
  static constexpr Docs kFieldDocs[] = {
      {"status", "requested from the provider, then completed or failed"},
      {"transaction_id", "the provider's refund transaction, once completed"}};
  std::string refund_id;
  std::int64_t amount_fen = 0;
  std::string reason;
  Nullable<std::string> hotline_request_id;
  std::string ordered_by;
  std::int64_t ordered_at_us = 0;
  domain::RefundStatus status = domain::RefundStatus::kRequested;
  Nullable<std::string> transaction_id;
  Nullable<std::string> failure_reason;
  Nullable<std::int64_t> settled_at_us;
};
BOOST_DESCRIBE_STRUCT(Refund, (),
                      (refund_id, amount_fen, reason, hotline_request_id, ordered_by, ordered_at_us,
                       status, transaction_id, failure_reason, settled_at_us))

struct PaymentNotice {
  static constexpr std::string_view kSchemaName = "PaymentNotice";
  static constexpr Docs kFieldDocs[] = {
      {"days_left", "days until the fee is due, while unpaid; else null"},
      {"refunded_amount_fen", "what the provider has refunded (completed refunds)"},
      {"refundable_fen",
       "what may still be refunded: the amount paid less the refunds completed or requested"}};
  std::string filing_id;
  std::string case_number;
  std::string court;
  std::string code;
  std::int64_t amount_fen = 0;
  std::int64_t due_at_us = 0;
  PaymentStatus status = PaymentStatus::kUnpaid;
  Strings payers;
  std::vector<PaymentAttempt> attempts;
  std::uint32_t paid_attempt = 0;
  std::string transaction_id;
  std::int64_t paid_amount_fen = 0;
  std::string receipt_number;
  // The receipt document (GET /v1/payments/{filing_id}/receipt/document), once recorded.
  Nullable<std::string> receipt_blob_hash;
  Nullable<PendingRelief> pending_relief;
  std::vector<ReliefKind> granted_reliefs;
  std::int64_t issued_at_us = 0;
  Nullable<std::int64_t> paid_at_us;
  Nullable<std::int64_t> receipt_at_us;
  std::int64_t updated_at_us = 0;
  std::vector<Milestone> history;
  Nullable<std::int64_t> days_left;
  bool overdue = false;
  std::vector<Refund> refunds;  // in the order ordered
  std::int64_t refunded_amount_fen = 0;
  std::int64_t refundable_fen = 0;
};
BOOST_DESCRIBE_STRUCT(PaymentNotice, (),
                      (filing_id, case_number, court, code, amount_fen, due_at_us, status, payers,
                       attempts, paid_attempt, transaction_id, paid_amount_fen, receipt_number,
                       receipt_blob_hash, pending_relief, granted_reliefs, issued_at_us, paid_at_us,
                       receipt_at_us, updated_at_us, history, days_left, overdue, refunds,
                       refunded_amount_fen, refundable_fen))

struct Receipt {
  static constexpr std::string_view kSchemaName = "Receipt";
  std::string code;
  std::string filing_id;
  std::string case_number;
  std::string receipt_number;
  std::int64_t paid_amount_fen = 0;
  std::int64_t paid_at_us = 0;
  std::int64_t receipt_at_us = 0;
  // The receipt document (GET /v1/payments/{filing_id}/receipt/document), once recorded.
  Nullable<std::string> receipt_blob_hash;
};
BOOST_DESCRIBE_STRUCT(Receipt, (),
                      (code, filing_id, case_number, receipt_number, paid_amount_fen, paid_at_us,
                       receipt_at_us, receipt_blob_hash))

struct MyPayments {
  static constexpr std::string_view kSchemaName = "MyPayments";
  Page<PaymentNotice> notices;  // newest first
  Page<Receipt> receipts;
};
BOOST_DESCRIBE_STRUCT(MyPayments, (), (notices, receipts))

// --- served documents --------------------------------------------------------------------

struct Download {
  static constexpr std::string_view kSchemaName = "Download";
  std::string licence_number;
  std::int64_t at_us = 0;
};
BOOST_DESCRIBE_STRUCT(Download, (), (licence_number, at_us))

struct ServedDocument {
  static constexpr std::string_view kSchemaName = "ServedDocument";
  static constexpr Docs kFieldDocs[] = {
      {"blob_hash", "the document's blob, once signed for; null before"}};
  std::string service_id;
  std::string case_number;
  std::string court;
  std::string document_type;
  std::string title;
  std::string recipient_licence_number;
  ServiceStatus status = ServiceStatus::kSent;
  std::string served_by;
  std::int64_t served_at_us = 0;
  Nullable<std::int64_t> signed_at_us;
  bool signing_locked = false;
  std::uint32_t failed_attempts = 0;
  Nullable<std::uint32_t> sms_key_serial;
  Nullable<std::int64_t> sms_key_expires_at_us;
  Nullable<std::string> blob_hash;
  std::vector<Download> downloads;
  std::int64_t updated_at_us = 0;
};
BOOST_DESCRIBE_STRUCT(ServedDocument, (),
                      (service_id, case_number, court, document_type, title,
                       recipient_licence_number, status, served_by, served_at_us, signed_at_us,
                       signing_locked, failed_attempts, sms_key_serial, sms_key_expires_at_us,
                       blob_hash, downloads, updated_at_us))

struct MyDocuments {
  static constexpr std::string_view kSchemaName = "MyDocuments";
  Page<ServedDocument> to_sign;  // newest first
  Page<ServedDocument> signed_;
};
BOOST_DESCRIBE_STRUCT(MyDocuments, (), (to_sign, signed_))

struct OutboxRefund {
  static constexpr std::string_view kSchemaName = "OutboxRefund";
  static constexpr std::string_view kDescription =
      "A refund the payment provider is still to carry out; its result comes back through the "
      "signed refund callback.";
  static constexpr Docs kFieldDocs[] = {
      {"payment_transaction_id", "the provider's transaction of the payment it returns money from"},
      {"channel", "the payment's channel"}};
  std::string filing_id;
  std::string court;
  std::string refund_id;
  std::int64_t amount_fen = 0;
  std::string payment_transaction_id;
  PaymentChannel channel = PaymentChannel::kWeChat;
  std::int64_t ordered_at_us = 0;
};
BOOST_DESCRIBE_STRUCT(OutboxRefund, (),
                      (filing_id, court, refund_id, amount_fen, payment_transaction_id, channel,
                       ordered_at_us))

struct OutboxSms {
  static constexpr std::string_view kSchemaName = "OutboxSms";
  static constexpr Docs kFieldDocs[] = {
      {"sms_key", "the key to send, while the message can still be composed"},
      {"text", "the message text, with the key"}};
  std::uint64_t position = 0;
  std::string stream;
  std::string service_id;
  std::string case_number;
  std::string title;
  std::string recipient_licence_number;
  std::uint32_t serial = 0;
  std::string phone;
  std::int64_t expires_at_us = 0;
  OutboxStatus status = OutboxStatus::queued;
  std::optional<std::string> sms_key;
  std::optional<std::string> text;
};
BOOST_DESCRIBE_STRUCT(OutboxSms, (),
                      (position, stream, service_id, case_number, title, recipient_licence_number,
                       serial, phone, expires_at_us, status, sms_key, text))

struct Blob {
  static constexpr std::string_view kSchemaName = "Blob";
  std::string hash;  // SHA-256 hex
  std::uint64_t size = 0;
  std::string content_type;
};
BOOST_DESCRIBE_STRUCT(Blob, (), (hash, size, content_type))

// --- cases -------------------------------------------------------------------------------

struct CaseSummary {
  static constexpr std::string_view kSchemaName = "CaseSummary";
  static constexpr Docs kFieldDocs[] = {{"agents", "the agents' licence numbers"}};
  std::string case_number;
  std::string court;
  std::string category;
  CaseStatus status = CaseStatus::kOpen;
  std::string judge;
  std::string filing_id;
  Strings plaintiffs;
  Strings defendants;
  Strings third_parties;
  Strings agents;
  std::int64_t accepted_on_us = 0;
  std::int64_t registered_at_us = 0;
};
BOOST_DESCRIBE_STRUCT(CaseSummary, (),
                      (case_number, court, category, status, judge, filing_id, plaintiffs,
                       defendants, third_parties, agents, accepted_on_us, registered_at_us))

struct CaseParty {
  static constexpr std::string_view kSchemaName = "CaseParty";
  std::string party_id;
  std::string name;
  PartyKind kind = PartyKind::kNaturalPerson;
  PartyPosition standing = PartyPosition::kPlaintiff;
  Nullable<bool> online_hearing_consent;
  bool electronic_service_consent = false;
};
BOOST_DESCRIBE_STRUCT(CaseParty, (),
                      (party_id, name, kind, standing, online_hearing_consent,
                       electronic_service_consent))

struct CaseAgent {
  static constexpr std::string_view kSchemaName = "CaseAgent";
  std::string licence_number;
  std::string name;
  std::string firm;
  Strings represents;
};
BOOST_DESCRIBE_STRUCT(CaseAgent, (), (licence_number, name, firm, represents))

struct Absence {
  static constexpr std::string_view kSchemaName = "Absence";
  std::string party_id;
  AbsenceKind kind = AbsenceKind::kNoShow;
  AbsenceCause cause = AbsenceCause::kNone;
  std::string note;
  AbsenceFinding finding = AbsenceFinding::kExcused;
};
BOOST_DESCRIBE_STRUCT(Absence, (), (party_id, kind, cause, note, finding))

struct TranscriptConfirmation {
  static constexpr std::string_view kSchemaName = "TranscriptConfirmation";
  TranscriptParticipantKind kind = TranscriptParticipantKind::kParty;
  std::string participant;  // a staff id, an agent's licence (or identity) number, a party id
  std::string recorded_by;
  std::int64_t confirmed_at_us = 0;
};
BOOST_DESCRIBE_STRUCT(TranscriptConfirmation, (), (kind, participant, recorded_by, confirmed_at_us))

struct TranscriptParticipant {
  static constexpr std::string_view kSchemaName = "TranscriptParticipant";
  TranscriptParticipantKind kind = TranscriptParticipantKind::kParty;
  std::string participant;
  std::string name;
};
BOOST_DESCRIBE_STRUCT(TranscriptParticipant, (), (kind, participant, name))

struct HearingTranscript {
  static constexpr std::string_view kSchemaName = "HearingTranscript";
  static constexpr std::string_view kDescription =
      "A held hearing's electronic transcript: who confirmed it online and who has not.";
  std::string blob_hash;  // GET /v1/cases/{case_number}/hearings/{hearing_id}/transcript
  std::uint32_t revision = 0;
  std::string recorded_by;
  std::int64_t recorded_at_us = 0;
  std::vector<TranscriptConfirmation> confirmations;
  std::vector<TranscriptParticipant> awaiting;
};
BOOST_DESCRIBE_STRUCT(HearingTranscript, (),
                      (blob_hash, revision, recorded_by, recorded_at_us, confirmations, awaiting))

struct Hearing {
  static constexpr std::string_view kSchemaName = "Hearing";
  std::string hearing_id;
  std::int64_t starts_at_us = 0;
  std::int64_t ends_at_us = 0;
  std::string place;
  bool online = false;
  std::string video_room;
  HearingStatus status = HearingStatus::kScheduled;
  std::string cancel_reason;
  std::vector<Absence> absences;
  std::vector<AvoidanceRequest> avoidance_requests;
  bool upcoming = false;       // scheduled and not yet over
  std::string judge_location;  // where the judge sits outside the courtroom; "" in court
  OutsideCourtroomApproval outside_courtroom = OutsideCourtroomApproval::kNotNeeded;
  std::string outside_courtroom_reason;
  std::string outside_courtroom_decided_by;
  std::string outside_courtroom_refusal;
  Nullable<HearingTranscript> transcript;
};
BOOST_DESCRIBE_STRUCT(Hearing, (),
                      (hearing_id, starts_at_us, ends_at_us, place, online, video_room, status,
                       cancel_reason, absences, avoidance_requests, upcoming, judge_location,
                       outside_courtroom, outside_courtroom_reason, outside_courtroom_decided_by,
                       outside_courtroom_refusal, transcript))

struct EvidenceItem {
  static constexpr std::string_view kSchemaName = "EvidenceItem";
  std::string item_id;
  std::string name;
  std::string blob_hash;
  std::string purpose;
  ItemStatus status = ItemStatus::kAdded;
  std::string court_note;
};
BOOST_DESCRIBE_STRUCT(EvidenceItem, (), (item_id, name, blob_hash, purpose, status, court_note))

struct EvidenceBatch {
  static constexpr std::string_view kSchemaName = "EvidenceBatch";
  std::string batch_id;
  std::string licence_number;
  BatchStatus status = BatchStatus::kOpen;
  std::vector<EvidenceItem> items;
  Nullable<std::int64_t> submitted_at_us;
};
BOOST_DESCRIBE_STRUCT(EvidenceBatch, (), (batch_id, licence_number, status, items, submitted_at_us))

struct ExchangeItem {
  static constexpr std::string_view kSchemaName = "ExchangeItem";
  std::string item_id;
  std::string title;
  std::string blob_hash;
  Nullable<ExchangeResult> result;
  std::string opinion;
};
BOOST_DESCRIBE_STRUCT(ExchangeItem, (), (item_id, title, blob_hash, result, opinion))

struct EvidenceExchange {
  static constexpr std::string_view kSchemaName = "EvidenceExchange";
  std::string exchange_id;
  std::string recipient_licence_number;
  std::vector<ExchangeItem> items;
  std::int64_t respond_by_us = 0;
  ExchangeStatus status = ExchangeStatus::kSent;
  Nullable<std::int64_t> opened_at_us;
  Nullable<std::int64_t> answered_at_us;
};
BOOST_DESCRIBE_STRUCT(EvidenceExchange, (),
                      (exchange_id, recipient_licence_number, items, respond_by_us, status,
                       opened_at_us, answered_at_us))

struct FileMaterial {
  static constexpr std::string_view kSchemaName = "FileMaterial";
  std::string material_id;
  std::string title;
  std::string blob_hash;
};
BOOST_DESCRIBE_STRUCT(FileMaterial, (), (material_id, title, blob_hash))

struct FileReviewAccess {
  static constexpr std::string_view kSchemaName = "FileReviewAccess";
  std::string material_id;
  std::int64_t at_us = 0;
};
BOOST_DESCRIBE_STRUCT(FileReviewAccess, (), (material_id, at_us))

struct FileReview {
  static constexpr std::string_view kSchemaName = "FileReview";
  std::string application_id;
  std::string licence_number;
  std::string reason;
  FileReviewStatus status = FileReviewStatus::kApplied;
  Strings material_ids;
  std::int64_t from_us = 0;
  std::int64_t until_us = 0;
  std::string refusal_reason;
  std::vector<FileReviewAccess> accesses;
};
BOOST_DESCRIBE_STRUCT(FileReview, (),
                      (application_id, licence_number, reason, status, material_ids, from_us,
                       until_us, refusal_reason, accesses))

struct Attachment {
  static constexpr std::string_view kSchemaName = "Attachment";
  std::string name;
  std::string blob_hash;
};
BOOST_DESCRIBE_STRUCT(Attachment, (), (name, blob_hash))

struct JudgeMessage {
  static constexpr std::string_view kSchemaName = "JudgeMessage";
  std::string message_id;
  std::string licence_number;
  std::string title;
  std::string body;
  std::vector<Attachment> attachments;
  MessageStatus status = MessageStatus::kSent;
  std::int64_t sent_at_us = 0;
  Nullable<std::int64_t> read_at_us;
  std::string reply_body;
  std::vector<Attachment> reply_attachments;
  Nullable<std::int64_t> replied_at_us;
};
BOOST_DESCRIBE_STRUCT(JudgeMessage, (),
                      (message_id, licence_number, title, body, attachments, status, sent_at_us,
                       read_at_us, reply_body, reply_attachments, replied_at_us))

// --- a lawyer's work across their cases (GetMyCaseWork) -------------------------------------

struct MyEvidenceBatch : EvidenceBatch {
  static constexpr std::string_view kSchemaName = "MyEvidenceBatch";
  static constexpr std::string_view kDescription =
      "An evidence batch the lawyer opened, each item with its status, and its case.";
  std::string case_number;
  std::string court;
};
BOOST_DESCRIBE_STRUCT(MyEvidenceBatch, (EvidenceBatch), (case_number, court))

struct MyExchange : EvidenceExchange {
  static constexpr std::string_view kSchemaName = "MyExchange";
  static constexpr std::string_view kDescription =
      "An evidence exchange sent to the lawyer, and its case.";
  std::string case_number;
  std::string court;
};
BOOST_DESCRIBE_STRUCT(MyExchange, (EvidenceExchange), (case_number, court))

struct MyMessage : JudgeMessage {
  static constexpr std::string_view kSchemaName = "MyMessage";
  static constexpr std::string_view kDescription =
      "A message the lawyer sent to a judge, with the reply, and its case.";
  std::string case_number;
  std::string court;
};
BOOST_DESCRIBE_STRUCT(MyMessage, (JudgeMessage), (case_number, court))

struct MyFileReview : FileReview {
  static constexpr std::string_view kSchemaName = "MyFileReview";
  static constexpr std::string_view kDescription =
      "A file-review application of the lawyer, and its case.";
  std::string case_number;
  std::string court;
};
BOOST_DESCRIBE_STRUCT(MyFileReview, (FileReview), (case_number, court))

struct MyCaseWork {
  static constexpr std::string_view kSchemaName = "MyCaseWork";
  Page<MyEvidenceBatch> evidence_batches;  // by case number, batch id
  Page<MyExchange> exchanges;              // the earliest answer deadline first
  Page<MyMessage> messages;                // newest first
  Page<MyFileReview> file_reviews;         // by case number, application id
};
BOOST_DESCRIBE_STRUCT(MyCaseWork, (), (evidence_batches, exchanges, messages, file_reviews))

struct Case : CaseSummary {
  static constexpr std::string_view kSchemaName = "Case";
  static constexpr std::string_view kDescription =
      "A case in full: parties, agents, hearings, evidence, exchanges, case-file reviews, "
      "messages, served documents and its payment notice.";
  std::int64_t updated_at_us = 0;
  std::string end_reason;
  std::string withdrawal_notice;
  bool legacy = false;  // bound from the court's legacy system
  std::vector<CaseParty> parties;
  std::vector<CaseAgent> agent_details;
  std::vector<Hearing> hearings;  // by start time
  std::vector<EvidenceBatch> evidence_batches;
  std::vector<EvidenceExchange> evidence_exchanges;
  std::vector<FileMaterial> file_materials;
  std::vector<FileReview> file_reviews;
  std::vector<JudgeMessage> messages;
  std::vector<ServedDocument> documents;
  Nullable<PaymentNotice> payment;
  // What rules an online hearing out, as the judge side recorded it, and why.
  std::vector<OnlineHearingExclusion> online_hearing_exclusions;
  std::string online_hearing_exclusion_note;
};
BOOST_DESCRIBE_STRUCT(Case, (CaseSummary),
                      (updated_at_us, end_reason, withdrawal_notice, legacy, parties, agent_details,
                       hearings, evidence_batches, evidence_exchanges, file_materials, file_reviews,
                       messages, documents, payment, online_hearing_exclusions,
                       online_hearing_exclusion_note))

struct InboxAvoidance : AvoidanceRequest {
  static constexpr std::string_view kSchemaName = "InboxAvoidance";
  std::string case_number;
  std::string hearing_id;
  std::int64_t hearing_starts_at_us = 0;
  std::int64_t hearing_ends_at_us = 0;
};
BOOST_DESCRIBE_STRUCT(InboxAvoidance, (AvoidanceRequest),
                      (case_number, hearing_id, hearing_starts_at_us, hearing_ends_at_us))

struct InboxMessage : JudgeMessage {
  static constexpr std::string_view kSchemaName = "InboxMessage";
  std::string case_number;
};
BOOST_DESCRIBE_STRUCT(InboxMessage, (JudgeMessage), (case_number))

struct InboxFileReview : FileReview {
  static constexpr std::string_view kSchemaName = "InboxFileReview";
  std::string case_number;
};
BOOST_DESCRIBE_STRUCT(InboxFileReview, (FileReview), (case_number))

struct InboxExchange : EvidenceExchange {
  static constexpr std::string_view kSchemaName = "InboxExchange";
  std::string case_number;
};
BOOST_DESCRIBE_STRUCT(InboxExchange, (EvidenceExchange), (case_number))

struct JudgeInbox {
  static constexpr std::string_view kSchemaName = "JudgeInbox";
  Page<InboxAvoidance> avoidance_requests;  // open ones
  Page<InboxMessage> messages;              // not yet replied, oldest first
  Page<InboxFileReview> file_reviews;       // applied for, not yet decided
  Page<InboxExchange> exchange_answers;
};
BOOST_DESCRIBE_STRUCT(JudgeInbox, (),
                      (avoidance_requests, messages, file_reviews, exchange_answers))

// --- courts ------------------------------------------------------------------------------

struct CourtListItem {
  static constexpr std::string_view kSchemaName = "CourtListItem";
  std::string code;
  std::string name;
};
BOOST_DESCRIBE_STRUCT(CourtListItem, (), (code, name))

struct CodeListEntry {
  static constexpr std::string_view kSchemaName = "CodeListEntry";
  std::string code;
  std::string name;
};
BOOST_DESCRIBE_STRUCT(CodeListEntry, (), (code, name))

struct CaseCategory {
  static constexpr std::string_view kSchemaName = "CaseCategory";
  std::string code;
  std::string name;
  std::string case_number_code;
};
BOOST_DESCRIBE_STRUCT(CaseCategory, (), (code, name, case_number_code))

struct CodeLists {
  static constexpr std::string_view kSchemaName = "CodeLists";
  std::vector<CaseCategory> case_categories;
  std::vector<CodeListEntry> application_types;
  std::vector<CodeListEntry> material_types;
  std::vector<CodeListEntry> document_types;
};
BOOST_DESCRIBE_STRUCT(CodeLists, (),
                      (case_categories, application_types, material_types, document_types))

struct FeeBand {
  static constexpr std::string_view kSchemaName = "FeeBand";
  std::int64_t up_to_fen = 0;
  std::int64_t rate_basis_points = 0;
};
BOOST_DESCRIBE_STRUCT(FeeBand, (), (up_to_fen, rate_basis_points))

struct FeeRule {
  static constexpr std::string_view kSchemaName = "FeeRule";
  std::int64_t fixed_fee_fen = 0;
  std::int64_t base_covers_up_to_fen = 0;
  std::vector<FeeBand> bands;
};
BOOST_DESCRIBE_STRUCT(FeeRule, (), (fixed_fee_fen, base_covers_up_to_fen, bands))

struct LawLink {
  static constexpr std::string_view kSchemaName = "LawLink";
  std::string title;
  std::string url;
};
BOOST_DESCRIBE_STRUCT(LawLink, (), (title, url))

struct CourtPolicy {
  static constexpr std::string_view kSchemaName = "CourtPolicy";
  static constexpr Docs kFieldDocs[] = {{"fee_schedule", "a fee rule per case category code"}};
  std::int64_t review_period_us = 0;
  std::int64_t correction_period_us = 0;
  std::int64_t fee_due_period_us = 0;
  std::int64_t sms_key_validity_us = 0;
  Strings no_electronic_service_document_types;
  bool auto_register_when_review_overdue = false;
  MapOf<FeeRule> fee_schedule;
  std::vector<LawLink> law_links;
  // A filing is accepted only when every party's identity is verified, or with a reason.
  bool identity_verification_required = false;
  // Case categories the court does not refer to mediation.
  Strings no_mediation_case_categories;
  // The court president's staff id: who approves a judge holding an online hearing elsewhere.
  std::string president;
};
BOOST_DESCRIBE_STRUCT(CourtPolicy, (),
                      (review_period_us, correction_period_us, fee_due_period_us,
                       sms_key_validity_us, no_electronic_service_document_types,
                       auto_register_when_review_overdue, fee_schedule, law_links,
                       identity_verification_required, no_mediation_case_categories, president))

struct Court {
  static constexpr std::string_view kSchemaName = "Court";
  std::string code;
  std::string name;
  CodeLists code_lists;
  CourtPolicy policy;
};
BOOST_DESCRIBE_STRUCT(Court, (), (code, name, code_lists, policy))

struct FeeCalculation {
  static constexpr std::string_view kSchemaName = "FeeCalculation";
  std::string court;
  std::string category;
  std::int64_t amount_in_dispute_fen = 0;
  std::int64_t fee_fen = 0;
};
BOOST_DESCRIBE_STRUCT(FeeCalculation, (), (court, category, amount_in_dispute_fen, fee_fen))

// --- the feed and operations -------------------------------------------------------------

struct EventActor {
  static constexpr std::string_view kSchemaName = "EventActor";
  std::string id;
  std::string role;
};
BOOST_DESCRIBE_STRUCT(EventActor, (), (id, role))

struct FeedEvent {
  static constexpr std::string_view kSchemaName = "FeedEvent";
  static constexpr Docs kFieldDocs[] = {
      {"payload",
       "the event's payload by field name (never a credential field); null when it "
       "does not render (payload_error says why)"},
      {"envelope_base64", "the exact bytes hashed: hash = SHA-256(previous_hash || envelope)"},
      {"envelope_withheld", "true when the envelope holds a credential and is not shown"}};
  std::uint64_t position = 0;
  std::string stream;
  std::uint64_t version = 0;
  std::string type;
  std::uint32_t schema_version = 0;
  std::int64_t recorded_at_us = 0;
  std::string event_id;
  EventActor actor;
  std::string correlation_id;
  std::string causation_id;
  Nullable<Any> payload;
  std::optional<std::string> payload_error;
  std::string previous_hash;
  std::string hash;
  std::optional<std::string> envelope_base64;
  std::optional<bool> envelope_withheld;
};
BOOST_DESCRIBE_STRUCT(FeedEvent, (),
                      (position, stream, version, type, schema_version, recorded_at_us, event_id,
                       actor, correlation_id, causation_id, payload, payload_error, previous_hash,
                       hash, envelope_base64, envelope_withheld))

struct EventPage {
  static constexpr std::string_view kSchemaName = "EventPage";
  std::vector<FeedEvent> events;
  std::uint64_t next_after = 0;  // pass as ?after= for the next page
  std::uint64_t last_position = 0;
};
BOOST_DESCRIBE_STRUCT(EventPage, (), (events, next_after, last_position))

struct StoreHealth {
  static constexpr std::string_view kSchemaName = "StoreHealth";
  bool writable = false;
  std::string reason;
  std::uint64_t refusals = 0;
  std::uint64_t free_bytes = 0;
};
BOOST_DESCRIBE_STRUCT(StoreHealth, (), (writable, reason, refusals, free_bytes))

// A read model stopped on an event it neither applies nor ignores.
struct StoppedProjection {
  static constexpr std::string_view kSchemaName = "StoppedProjection";
  std::string projection;
  std::uint64_t position = 0;
  std::string stream;
  std::string event_type;
  std::uint32_t schema_version = 0;
  std::string message;
};
BOOST_DESCRIBE_STRUCT(StoppedProjection, (),
                      (projection, position, stream, event_type, schema_version, message))

struct Health {
  static constexpr std::string_view kSchemaName = "Health";
  HealthStatus status = HealthStatus::ok;
  std::uint64_t last_position = 0;
  std::uint64_t projection_position = 0;
  std::uint64_t projection_lag = 0;
  StoreHealth store;
  std::uint64_t failed_reactions = 0;
  std::uint64_t reaction_retrying_position = 0;
  std::optional<std::string> projection_error;
  std::vector<StoppedProjection> stopped_projections;
};
BOOST_DESCRIBE_STRUCT(Health, (),
                      (status, last_position, projection_position, projection_lag, store,
                       failed_reactions, reaction_retrying_position, projection_error,
                       stopped_projections))

struct FailedReaction {
  static constexpr std::string_view kSchemaName = "FailedReaction";
  std::uint64_t position = 0;
  std::string stream;
  std::string event_type;
  std::string code;
  std::string message;
  std::uint32_t attempts = 0;
  std::int64_t failed_at_us = 0;
};
BOOST_DESCRIBE_STRUCT(FailedReaction, (),
                      (position, stream, event_type, code, message, attempts, failed_at_us))

struct FailedReactions {
  static constexpr std::string_view kSchemaName = "FailedReactions";
  std::string reactor;
  std::vector<FailedReaction> failed;
};
BOOST_DESCRIBE_STRUCT(FailedReactions, (), (reactor, failed))

struct ReactionRetried {
  static constexpr std::string_view kSchemaName = "ReactionRetried";
  std::uint64_t position = 0;
  bool retried = false;
};
BOOST_DESCRIBE_STRUCT(ReactionRetried, (), (position, retried))

// --- the litigation-service hotline ----------------------------------------------------------

struct HotlineCaller {
  static constexpr std::string_view kSchemaName = "HotlineCaller";
  std::string name;
  std::string phone;
};
BOOST_DESCRIBE_STRUCT(HotlineCaller, (), (name, phone))

struct HotlineRequest {
  static constexpr std::string_view kSchemaName = "HotlineRequest";
  static constexpr Docs kFieldDocs[] = {
      {"channel", "online: filed by a lawyer; phone: a call recorded by the court's staff"},
      {"filer_licence_number", "the lawyer who filed it online"},
      {"caller", "who called, for a request taken on the phone"},
      {"recorded_by", "the staff id who took the call"},
      {"answer_due_at_us", "when the court is to have answered (3 days after filing)"},
      {"overdue", "unanswered, and its due time has come"},
      {"forwarded_to", "the judge's staff id, once a clerk forwarded it"}};
  std::string hotline_request_id;
  std::string court;
  domain::HotlineRequestKind kind = domain::HotlineRequestKind::kEnquiry;
  domain::HotlineChannel channel = domain::HotlineChannel::kOnline;
  Nullable<std::string> case_number;
  std::string title;
  std::string body;
  Nullable<std::string> filer_licence_number;
  Nullable<HotlineCaller> caller;
  Nullable<std::string> recorded_by;
  std::int64_t filed_at_us = 0;
  std::int64_t answer_due_at_us = 0;
  domain::HotlineRequestStatus status = domain::HotlineRequestStatus::kOpen;
  Nullable<std::string> forwarded_to;
  Nullable<std::string> forwarded_by;
  Nullable<std::string> forward_note;
  Nullable<std::int64_t> forwarded_at_us;
  Nullable<std::string> answer;
  Nullable<std::string> answered_by;
  Nullable<std::int64_t> answered_at_us;
  bool overdue = false;
  bool answered_late = false;  // answered at or after answer_due_at_us
};
BOOST_DESCRIBE_STRUCT(HotlineRequest, (),
                      (hotline_request_id, court, kind, channel, case_number, title, body,
                       filer_licence_number, caller, recorded_by, filed_at_us, answer_due_at_us,
                       status, forwarded_to, forwarded_by, forward_note, forwarded_at_us, answer,
                       answered_by, answered_at_us, overdue, answered_late))

}  // namespace docket::api::responses
