// The JSON bodies of the command routes, as described C++ types (body.h): each route's reader and
// its request schema in /v1/openapi.json follow from its body type here. A member is required
// unless std::optional; nested structs are named schemas (kSchemaName). Names follow
// doc/api-names.md. tests/api/schema_test.cc sends every documented field to each route and
// checks that the reader reads exactly these. Internal to docket_api.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "body.h"
#include "docket/api/schema.h"
#include "responses.h"

namespace docket::api::requests {

using responses::AbsenceCause;
using responses::ExchangeResult;
using responses::IdentityCheckMethod;
using responses::IdentityCheckResult;
using responses::MediationOutcome;
using responses::OnlineHearingExclusion;
using responses::PaperKind;
using responses::PartyKind;
using responses::PartyPosition;
using Strings = std::vector<std::string>;

struct FilingPartyInput {
  static constexpr std::string_view kSchemaName = "FilingPartyInput";
  Id party_id;
  PartyPosition standing = PartyPosition::kPlaintiff;
  PartyKind kind = PartyKind::kNaturalPerson;
  std::string name;
  std::optional<std::string> id_number;
  std::optional<bool> minor;
  std::optional<std::string> phone;
  std::optional<std::string> address;
  std::optional<std::string> legal_representative;
  std::optional<std::string> legal_representative_id_number;
};
BOOST_DESCRIBE_STRUCT(FilingPartyInput, (),
                      (party_id, standing, kind, name, id_number, minor, phone, address,
                       legal_representative, legal_representative_id_number))

struct FilingAgentInput {
  static constexpr std::string_view kSchemaName = "FilingAgentInput";
  static constexpr std::pair<std::string_view, std::string_view> kFieldDocs[] = {
      {"represents", "the party ids the agent represents"}};
  Id licence_number;
  std::optional<std::vector<Id>> represents;
};
BOOST_DESCRIBE_STRUCT(FilingAgentInput, (), (licence_number, represents))

struct ServiceAddressInput {
  static constexpr std::string_view kSchemaName = "ServiceAddressInput";
  Id party_id;
  std::optional<std::string> address;
  std::optional<std::string> phone;
  std::optional<std::string> email;
  std::optional<bool> electronic_service_consent;
};
BOOST_DESCRIBE_STRUCT(ServiceAddressInput, (),
                      (party_id, address, phone, email, electronic_service_consent))

struct FilingMaterialInput {
  static constexpr std::string_view kSchemaName = "FilingMaterialInput";
  static constexpr std::pair<std::string_view, std::string_view> kFieldDocs[] = {
      {"blob_hashes", "SHA-256 hex of blobs the caller uploaded"}};
  Id material_id;
  std::string material_type;
  std::optional<std::string> title;
  std::vector<Id> blob_hashes;
};
BOOST_DESCRIBE_STRUCT(FilingMaterialInput, (), (material_id, material_type, title, blob_hashes))

struct IdentityPaperInput {
  static constexpr std::string_view kSchemaName = "IdentityPaperInput";
  Id party_id;
  PaperKind kind = PaperKind::kIdCardFront;
  Id blob_hash;
};
BOOST_DESCRIBE_STRUCT(IdentityPaperInput, (), (party_id, kind, blob_hash))

struct CorrectionItemInput {
  static constexpr std::string_view kSchemaName = "CorrectionItemInput";
  std::string field;
  std::string message;
};
BOOST_DESCRIBE_STRUCT(CorrectionItemInput, (), (field, message))

// --- bodies shared by several routes ---------------------------------------------------------

// A reason: cancelling, rejecting, refusing, withdrawing, closing.
struct ReasonBody {
  std::string reason;
};
BOOST_DESCRIBE_STRUCT(ReasonBody, (), (reason))

// --- filings -----------------------------------------------------------------------------------

struct AcceptFilingBody {
  static constexpr std::pair<std::string_view, std::string_view> kFieldDocs[] = {
      {"identity_override_reason",
       "why the clerk accepts although a party's identity is unverified or failed (required "
       "then, when the court's policy requires real-name verification; recorded)"}};
  std::optional<std::string> identity_override_reason;
};
BOOST_DESCRIBE_STRUCT(AcceptFilingBody, (), (identity_override_reason))

struct RecordIdentityCheckBody {
  static constexpr std::pair<std::string_view, std::string_view> kFieldDocs[] = {
      {"party_id", "the party of the filing the court's identity service checked"},
      {"note", "the service's reason, e.g. why the check failed"}};
  Id party_id;
  IdentityCheckMethod method = IdentityCheckMethod::kDocumentComparison;
  IdentityCheckResult result = IdentityCheckResult::kVerified;
  std::optional<std::string> note;
};
BOOST_DESCRIBE_STRUCT(RecordIdentityCheckBody, (), (party_id, method, result, note))

struct ReferToMediationBody {
  static constexpr std::pair<std::string_view, std::string_view> kFieldDocs[] = {
      {"mediator", "the mediator's name (a mediator or an organisation is required)"},
      {"mediation_organisation", "e.g. a people's mediation committee"},
      {"deadline_at_us", "when the mediation ends as failed without an agreement"}};
  std::optional<std::string> mediator;
  std::optional<std::string> mediation_organisation;
  std::int64_t deadline_at_us = 0;
};
BOOST_DESCRIBE_STRUCT(ReferToMediationBody, (), (mediator, mediation_organisation, deadline_at_us))

struct RecordMediationOutcomeBody {
  static constexpr std::pair<std::string_view, std::string_view> kFieldDocs[] = {
      {"outcome", "agreement or failure"},
      {"agreement_blob_hash",
       "with an agreement: the mediation agreement's document, a file the caller uploaded "
       "(POST /v1/blobs)"}};
  MediationOutcome outcome = MediationOutcome::kAgreement;
  std::optional<Id> agreement_blob_hash;
  std::optional<std::string> note;
};
BOOST_DESCRIBE_STRUCT(RecordMediationOutcomeBody, (), (outcome, agreement_blob_hash, note))

struct DecideJudicialConfirmationBody {
  static constexpr std::pair<std::string_view, std::string_view> kFieldDocs[] = {
      {"reason", "required when refusing"}};
  bool confirmed = false;
  std::optional<std::string> reason;
};
BOOST_DESCRIBE_STRUCT(DecideJudicialConfirmationBody, (), (confirmed, reason))

struct ChooseCaseCategoryBody {
  std::string category;
  std::string application_type;
};
BOOST_DESCRIBE_STRUCT(ChooseCaseCategoryBody, (), (category, application_type))

struct SaveCaseInformationBody {
  Strings claims;
  std::string facts_and_reasons;
  std::int64_t amount_in_dispute_fen = 0;
};
BOOST_DESCRIBE_STRUCT(SaveCaseInformationBody, (),
                      (claims, facts_and_reasons, amount_in_dispute_fen))

struct SavePartiesBody {
  std::vector<FilingPartyInput> parties;
};
BOOST_DESCRIBE_STRUCT(SavePartiesBody, (), (parties))

struct SaveAgentsBody {
  std::vector<FilingAgentInput> agents;
};
BOOST_DESCRIBE_STRUCT(SaveAgentsBody, (), (agents))

struct SaveServiceAddressesBody {
  std::vector<ServiceAddressInput> addresses;
};
BOOST_DESCRIBE_STRUCT(SaveServiceAddressesBody, (), (addresses))

struct ChooseCourtBody {
  CaseNumber court;
};
BOOST_DESCRIBE_STRUCT(ChooseCourtBody, (), (court))

struct SaveMaterialsBody {
  std::vector<FilingMaterialInput> materials;
};
BOOST_DESCRIBE_STRUCT(SaveMaterialsBody, (), (materials))

struct SaveIdentityPapersBody {
  std::vector<IdentityPaperInput> papers;
};
BOOST_DESCRIBE_STRUCT(SaveIdentityPapersBody, (), (papers))

struct ChooseMediationBody {
  bool mediation = false;
};
BOOST_DESCRIBE_STRUCT(ChooseMediationBody, (), (mediation))

struct RequestCorrectionBody {
  std::vector<CorrectionItemInput> items;
};
BOOST_DESCRIBE_STRUCT(RequestCorrectionBody, (), (items))

struct RosterLawyerInput {
  static constexpr std::string_view kSchemaName = "RosterLawyerInput";
  static constexpr std::pair<std::string_view, std::string_view> kFieldDocs[] = {
      {"licence_number",
       "the practising-licence number (a legal service worker's practising-"
       "certificate number): the login"},
      {"practitioner",
       "lawyer (default) or legal_service_worker (基层法律服务工作者); fixed once "
       "registered"}};
  std::string name;
  std::string licence_number;
  std::string id_number;
  std::string phone;
  std::string email;
  std::optional<responses::Practitioner> practitioner;
};
BOOST_DESCRIBE_STRUCT(RosterLawyerInput, (),
                      (name, licence_number, id_number, phone, email, practitioner))

struct CasePartyInput {
  static constexpr std::string_view kSchemaName = "CasePartyInput";
  static constexpr std::pair<std::string_view, std::string_view> kFieldDocs[] = {
      {"kind", "natural_person when absent"}};
  Id party_id;
  std::string name;
  std::optional<PartyKind> kind;
  PartyPosition standing = PartyPosition::kPlaintiff;
  std::optional<std::string> id_number;
  std::optional<bool> electronic_service_consent;
};
BOOST_DESCRIBE_STRUCT(CasePartyInput, (),
                      (party_id, name, kind, standing, id_number, electronic_service_consent))

struct CaseAgentInput {
  static constexpr std::string_view kSchemaName = "CaseAgentInput";
  static constexpr std::pair<std::string_view, std::string_view> kFieldDocs[] = {
      {"licence_number", "the lawyer's practising-licence number; this or id_number is required"},
      {"id_number",
       "the lawyer's identity number: the case reaches the lawyer whose account has it, "
       "whatever the licence number says"},
      {"represents", "the party ids the agent represents"}};
  std::optional<Id> licence_number;
  std::optional<std::string> id_number;
  std::optional<std::string> name;
  std::optional<std::string> firm;
  std::optional<std::vector<Id>> represents;
};
BOOST_DESCRIBE_STRUCT(CaseAgentInput, (), (licence_number, id_number, name, firm, represents))

struct ExchangeItemInput {
  static constexpr std::string_view kSchemaName = "ExchangeItemInput";
  Id item_id;
  std::string title;
  Id blob_hash;
};
BOOST_DESCRIBE_STRUCT(ExchangeItemInput, (), (item_id, title, blob_hash))

struct ExchangeAnswerInput {
  static constexpr std::string_view kSchemaName = "ExchangeAnswerInput";
  Id item_id;
  ExchangeResult result = ExchangeResult::kAgree;
  std::optional<std::string> opinion;
};
BOOST_DESCRIBE_STRUCT(ExchangeAnswerInput, (), (item_id, result, opinion))

struct AttachmentInput {
  static constexpr std::string_view kSchemaName = "AttachmentInput";
  std::string name;
  Id blob_hash;
};
BOOST_DESCRIBE_STRUCT(AttachmentInput, (), (name, blob_hash))

// --- payments ----------------------------------------------------------------------------------

struct StartPaymentBody {
  responses::PaymentChannel channel = responses::PaymentChannel::kWeChat;
};
BOOST_DESCRIBE_STRUCT(StartPaymentBody, (), (channel))

struct PaymentCallbackBody {
  static constexpr std::pair<std::string_view, std::string_view> kFieldDocs[] = {
      {"filing_id", "the notice's filing id, or else its code"}};
  std::optional<Id> filing_id;
  std::optional<Id> code;
  std::uint32_t attempt = 0;
  Id transaction_id;
  std::int64_t amount_fen = 0;
  std::optional<std::string> receipt_number;
};
BOOST_DESCRIBE_STRUCT(PaymentCallbackBody, (),
                      (filing_id, code, attempt, transaction_id, amount_fen, receipt_number))

struct ApplyForReliefBody {
  responses::ReliefKind kind = responses::ReliefKind::kDeferral;
  std::string reason;
};
BOOST_DESCRIBE_STRUCT(ApplyForReliefBody, (), (kind, reason))

struct GrantReliefBody {
  std::optional<std::int64_t> due_at_us;
  std::optional<std::int64_t> amount_fen;
};
BOOST_DESCRIBE_STRUCT(GrantReliefBody, (), (due_at_us, amount_fen))

struct ConfirmPaymentBody {
  std::uint32_t attempt = 0;
  Id transaction_id;
  std::int64_t amount_fen = 0;
};
BOOST_DESCRIBE_STRUCT(ConfirmPaymentBody, (), (attempt, transaction_id, amount_fen))

struct RecordReceiptBody {
  static constexpr std::pair<std::string_view, std::string_view> kFieldDocs[] = {
      {"blob_hash",
       "the receipt document the payer downloads: the SHA-256 of a file the court's "
       "system uploaded (POST /v1/blobs); may follow a number recorded without one"}};
  std::string receipt_number;
  std::optional<Id> blob_hash;
};
BOOST_DESCRIBE_STRUCT(RecordReceiptBody, (), (receipt_number, blob_hash))

// --- documents ---------------------------------------------------------------------------------

struct ServeFilingBody {
  static constexpr std::string_view kServerMade[] = {"service_id"};
  std::string document_type;
  std::string title;
  Id blob_hash;
  Id recipient_licence_number;
};
BOOST_DESCRIBE_STRUCT(ServeFilingBody, (),
                      (document_type, title, blob_hash, recipient_licence_number))

struct SignForReceiptBody {
  std::string sms_key;
};
BOOST_DESCRIBE_STRUCT(SignForReceiptBody, (), (sms_key))

struct RecordSmsDeliveryBody {
  Id service_id;
  std::uint32_t serial = 0;
};
BOOST_DESCRIBE_STRUCT(RecordSmsDeliveryBody, (), (service_id, serial))

// --- sessions and accounts ---------------------------------------------------------------------

struct LogInBody {
  static constexpr std::pair<std::string_view, std::string_view> kFieldDocs[] = {
      {"login", "a licence number or a staff id"}};
  std::string login;
  std::string password;
};
BOOST_DESCRIBE_STRUCT(LogInBody, (), (login, password))

struct ChangePasswordBody {
  std::string old_password;
  std::string new_password;
};
BOOST_DESCRIBE_STRUCT(ChangePasswordBody, (), (old_password, new_password))

struct UpdateProfileBody {
  std::string phone;
  std::string email;
};
BOOST_DESCRIBE_STRUCT(UpdateProfileBody, (), (phone, email))

struct AddScheduleEntryBody {
  static constexpr std::string_view kServerMade[] = {"entry_id"};
  std::int64_t starts_at_us = 0;
  std::int64_t ends_at_us = 0;
  bool can_appear_in_court = false;
  std::optional<std::string> text;
};
BOOST_DESCRIBE_STRUCT(AddScheduleEntryBody, (),
                      (starts_at_us, ends_at_us, can_appear_in_court, text))

struct ImportRosterBody {
  std::string firm;
  std::vector<RosterLawyerInput> lawyers;
};
BOOST_DESCRIBE_STRUCT(ImportRosterBody, (), (firm, lawyers))

// The roles an admin registers staff in (a lawyer comes from a roster).
enum class StaffRole { clerk, judge, court_system, auditor, admin };
BOOST_DESCRIBE_ENUM(StaffRole, clerk, judge, court_system, auditor, admin)

struct RegisterStaffBody {
  static constexpr std::pair<std::string_view, std::string_view> kFieldDocs[] = {
      {"court", "for clerks, judges and court systems"}, {"initial_password", "people only"}};
  std::string staff_id;
  std::string name;
  StaffRole role = StaffRole::clerk;
  std::optional<std::string> court;
  std::optional<std::string> initial_password;
};
BOOST_DESCRIBE_STRUCT(RegisterStaffBody, (), (staff_id, name, role, court, initial_password))

// --- courts ------------------------------------------------------------------------------------

struct FeeBandInput {
  static constexpr std::string_view kSchemaName = "FeeBandInput";
  std::int64_t up_to_fen = 0;
  std::uint32_t rate_basis_points = 0;
};
BOOST_DESCRIBE_STRUCT(FeeBandInput, (), (up_to_fen, rate_basis_points))

struct FeeRuleInput {
  static constexpr std::string_view kSchemaName = "FeeRuleInput";
  std::optional<std::int64_t> fixed_fee_fen;
  std::optional<std::int64_t> base_covers_up_to_fen;
  std::optional<std::vector<FeeBandInput>> bands;
};
BOOST_DESCRIBE_STRUCT(FeeRuleInput, (), (fixed_fee_fen, base_covers_up_to_fen, bands))

// A court's policy: the fields given replace the current ones; absent ones keep their value.
struct CourtPolicyInput {
  static constexpr std::string_view kSchemaName = "CourtPolicyInput";
  static constexpr std::pair<std::string_view, std::string_view> kFieldDocs[] = {
      {"fee_schedule", "a fee rule per case category code"}};
  std::optional<std::int64_t> review_period_us;
  std::optional<std::int64_t> correction_period_us;
  std::optional<std::int64_t> fee_due_period_us;
  std::optional<std::int64_t> sms_key_validity_us;
  std::optional<Strings> no_electronic_service_document_types;
  std::optional<bool> auto_register_when_review_overdue;
  std::optional<std::map<std::string, FeeRuleInput>> fee_schedule;
  std::optional<std::vector<responses::LawLink>> law_links;
  std::optional<bool> identity_verification_required;
  std::optional<Strings> no_mediation_case_categories;
  std::optional<std::string> president;
};
BOOST_DESCRIBE_STRUCT(CourtPolicyInput, (),
                      (review_period_us, correction_period_us, fee_due_period_us,
                       sms_key_validity_us, no_electronic_service_document_types,
                       auto_register_when_review_overdue, fee_schedule, law_links,
                       identity_verification_required, no_mediation_case_categories, president))

// A court's code lists: the lists given replace the current ones.
struct CodeListsInput {
  static constexpr std::string_view kSchemaName = "CodeListsInput";
  std::optional<std::vector<responses::CaseCategory>> case_categories;
  std::optional<std::vector<responses::CodeListEntry>> application_types;
  std::optional<std::vector<responses::CodeListEntry>> material_types;
  std::optional<std::vector<responses::CodeListEntry>> document_types;
};
BOOST_DESCRIBE_STRUCT(CodeListsInput, (),
                      (case_categories, application_types, material_types, document_types))

struct RegisterCourtBody {
  static constexpr std::pair<std::string_view, std::string_view> kFieldDocs[] = {
      {"policy", "policy fields not given take the platform's defaults"}};
  std::string code;
  std::string name;
  CodeListsInput code_lists;
  std::optional<CourtPolicyInput> policy;
};
BOOST_DESCRIBE_STRUCT(RegisterCourtBody, (), (code, name, code_lists, policy))

// --- cases -------------------------------------------------------------------------------------

struct RecordDocketingBody {
  static constexpr std::pair<std::string_view, std::string_view> kFieldDocs[] = {
      {"court", "defaults to the caller's court"},
      {"judge", "the judge in charge's staff id"},
      {"query_code", "the acceptance notice's query code (cases accepted before 2018-09-01)"},
      {"password", "the acceptance notice's password (cases accepted before 2018-09-01)"}};
  CaseNumber case_number;
  std::string category;
  std::optional<CaseNumber> court;
  std::optional<Id> judge;
  std::int64_t accepted_on_us = 0;
  std::vector<CasePartyInput> parties;
  std::optional<std::vector<CaseAgentInput>> agents;
  std::optional<std::string> query_code;
  std::optional<std::string> password;
};
BOOST_DESCRIBE_STRUCT(RecordDocketingBody, (),
                      (case_number, category, court, judge, accepted_on_us, parties, agents,
                       query_code, password))

struct AssignJudgeBody {
  static constexpr std::pair<std::string_view, std::string_view> kFieldDocs[] = {
      {"judge", "the judge's staff id"}};
  Id judge;
};
BOOST_DESCRIBE_STRUCT(AssignJudgeBody, (), (judge))

struct BindLegacyCaseBody {
  std::string query_code;
  std::string password;
};
BOOST_DESCRIBE_STRUCT(BindLegacyCaseBody, (), (query_code, password))

struct OnlineHearingConsentBody {
  Id party_id;
  bool consent = false;
};
BOOST_DESCRIBE_STRUCT(OnlineHearingConsentBody, (), (party_id, consent))

struct ScheduleHearingBody {
  static constexpr std::string_view kServerMade[] = {"hearing_id"};
  std::int64_t starts_at_us = 0;
  std::uint32_t length_minutes = 0;
  std::optional<std::string> place;
  std::optional<bool> online;
  std::optional<std::string> video_room;
};
BOOST_DESCRIBE_STRUCT(ScheduleHearingBody, (),
                      (starts_at_us, length_minutes, place, online, video_room))

struct RescheduleHearingBody {
  std::int64_t starts_at_us = 0;
  std::uint32_t length_minutes = 0;
  std::optional<std::string> place;
  std::optional<bool> online;
  std::optional<std::string> video_room;
  std::string reason;
};
BOOST_DESCRIBE_STRUCT(RescheduleHearingBody, (),
                      (starts_at_us, length_minutes, place, online, video_room, reason))

struct RecordOnlineHearingExclusionsBody {
  static constexpr std::pair<std::string_view, std::string_view> kFieldDocs[] = {
      {"exclusions", "what rules an online hearing out; an empty list clears the record"}};
  std::vector<OnlineHearingExclusion> exclusions;
  std::optional<std::string> note;
};
BOOST_DESCRIBE_STRUCT(RecordOnlineHearingExclusionsBody, (), (exclusions, note))

struct RequestHearingOutsideCourtroomBody {
  static constexpr std::pair<std::string_view, std::string_view> kFieldDocs[] = {
      {"judge_location", "where the judge sits; \"\" withdraws the request"},
      {"reason", "required with a location"}};
  std::string judge_location;
  std::optional<std::string> reason;
};
BOOST_DESCRIBE_STRUCT(RequestHearingOutsideCourtroomBody, (), (judge_location, reason))

struct DecideHearingOutsideCourtroomBody {
  static constexpr std::pair<std::string_view, std::string_view> kFieldDocs[] = {
      {"reason", "required when refusing"}};
  bool approved = false;
  std::optional<std::string> reason;
};
BOOST_DESCRIBE_STRUCT(DecideHearingOutsideCourtroomBody, (), (approved, reason))

struct RecordHearingTranscriptBody {
  static constexpr std::pair<std::string_view, std::string_view> kFieldDocs[] = {
      {"blob_hash", "the transcript document, a file the caller uploaded (POST /v1/blobs)"}};
  Id blob_hash;
};
BOOST_DESCRIBE_STRUCT(RecordHearingTranscriptBody, (), (blob_hash))

struct ConfirmHearingTranscriptBody {
  static constexpr std::pair<std::string_view, std::string_view> kFieldDocs[] = {
      {"party_id",
       "the court system only: the party whose online confirmation it relays; others confirm as "
       "themselves"}};
  std::optional<Id> party_id;
};
BOOST_DESCRIBE_STRUCT(ConfirmHearingTranscriptBody, (), (party_id))

struct RecordHearingAbsenceBody {
  static constexpr std::pair<std::string_view, std::string_view> kFieldDocs[] = {
      {"cause", "none when absent"}};
  Id party_id;
  responses::AbsenceKind kind = responses::AbsenceKind::kNoShow;
  std::optional<AbsenceCause> cause;
  std::optional<std::string> note;
};
BOOST_DESCRIBE_STRUCT(RecordHearingAbsenceBody, (), (party_id, kind, cause, note))

struct RequestHearingAvoidanceBody {
  static constexpr std::string_view kServerMade[] = {"request_id"};
  std::string reason;
};
BOOST_DESCRIBE_STRUCT(RequestHearingAvoidanceBody, (), (reason))

struct GrantHearingAvoidanceBody {
  std::int64_t starts_at_us = 0;
  std::uint32_t length_minutes = 0;
  std::optional<std::string> place;
};
BOOST_DESCRIBE_STRUCT(GrantHearingAvoidanceBody, (), (starts_at_us, length_minutes, place))

struct AddEvidenceItemBody {
  static constexpr std::string_view kServerMade[] = {"batch_id", "item_id"};
  std::string name;
  Id blob_hash;
  std::optional<std::string> purpose;
};
BOOST_DESCRIBE_STRUCT(AddEvidenceItemBody, (), (name, blob_hash, purpose))

struct RemoveEvidenceItemsBody {
  std::vector<Id> item_ids;
};
BOOST_DESCRIBE_STRUCT(RemoveEvidenceItemsBody, (), (item_ids))

// How the court marks a submitted evidence item.
enum class EvidenceMark { received, accepted, rejected };
BOOST_DESCRIBE_ENUM(EvidenceMark, received, accepted, rejected)

struct MarkEvidenceItemBody {
  EvidenceMark mark = EvidenceMark::received;
  std::optional<std::string> note;
};
BOOST_DESCRIBE_STRUCT(MarkEvidenceItemBody, (), (mark, note))

struct PushEvidenceExchangeBody {
  static constexpr std::string_view kServerMade[] = {"exchange_id"};
  Id recipient_licence_number;
  std::vector<ExchangeItemInput> items;
  std::int64_t respond_by_us = 0;
};
BOOST_DESCRIBE_STRUCT(PushEvidenceExchangeBody, (),
                      (recipient_licence_number, items, respond_by_us))

struct AnswerEvidenceExchangeBody {
  std::vector<ExchangeAnswerInput> answers;
};
BOOST_DESCRIBE_STRUCT(AnswerEvidenceExchangeBody, (), (answers))

struct PushFileReviewMaterialBody {
  static constexpr std::string_view kServerMade[] = {"material_id"};
  std::string title;
  Id blob_hash;
};
BOOST_DESCRIBE_STRUCT(PushFileReviewMaterialBody, (), (title, blob_hash))

struct ApplyForFileReviewBody {
  static constexpr std::string_view kServerMade[] = {"application_id"};
  std::string reason;
};
BOOST_DESCRIBE_STRUCT(ApplyForFileReviewBody, (), (reason))

struct ApproveFileReviewBody {
  std::vector<Id> material_ids;
  std::int64_t from_us = 0;
  std::int64_t until_us = 0;
};
BOOST_DESCRIBE_STRUCT(ApproveFileReviewBody, (), (material_ids, from_us, until_us))

struct SendMessageToJudgeBody {
  static constexpr std::string_view kServerMade[] = {"message_id"};
  std::string title;
  std::string body;
  std::optional<std::vector<AttachmentInput>> attachments;
};
BOOST_DESCRIBE_STRUCT(SendMessageToJudgeBody, (), (title, body, attachments))

struct ReplyToMessageBody {
  std::string body;
  std::optional<std::vector<AttachmentInput>> attachments;
};
BOOST_DESCRIBE_STRUCT(ReplyToMessageBody, (), (body, attachments))

// --- refunds -----------------------------------------------------------------------------------

struct OrderRefundBody {
  static constexpr std::string_view kServerMade[] = {"refund_id"};
  static constexpr std::pair<std::string_view, std::string_view> kFieldDocs[] = {
      {"amount_fen", "at most the amount paid less the refunds completed or requested"},
      {"hotline_request_id", "the hotline request of the court the refund answers"}};
  std::int64_t amount_fen = 0;
  std::string reason;
  std::optional<Id> hotline_request_id;
};
BOOST_DESCRIBE_STRUCT(OrderRefundBody, (), (amount_fen, reason, hotline_request_id))

// What the payment provider reports of a refund.
enum class RefundResult { completed, failed };
BOOST_DESCRIBE_ENUM(RefundResult, completed, failed)

struct RecordRefundResultBody {
  static constexpr std::pair<std::string_view, std::string_view> kFieldDocs[] = {
      {"transaction_id", "the provider's refund transaction (required when completed)"},
      {"amount_fen", "the amount refunded (required when completed: the refund's amount)"},
      {"failure_reason", "why the provider could not refund (when failed)"}};
  RefundResult result = RefundResult::completed;
  std::optional<Id> transaction_id;
  std::optional<std::int64_t> amount_fen;
  std::optional<std::string> failure_reason;
};
BOOST_DESCRIBE_STRUCT(RecordRefundResultBody, (),
                      (result, transaction_id, amount_fen, failure_reason))

struct RefundCallbackBody {
  static constexpr std::pair<std::string_view, std::string_view> kFieldDocs[] = {
      {"filing_id", "the payment notice's filing id"},
      {"refund_id", "the refund's id, as RefundOrdered named it"},
      {"transaction_id", "the provider's refund transaction (required when completed)"},
      {"amount_fen", "the amount refunded (required when completed: the refund's amount)"},
      {"failure_reason", "why the provider could not refund (when failed)"}};
  Id filing_id;
  Id refund_id;
  RefundResult result = RefundResult::completed;
  std::optional<Id> transaction_id;
  std::optional<std::int64_t> amount_fen;
  std::optional<std::string> failure_reason;
};
BOOST_DESCRIBE_STRUCT(RefundCallbackBody, (),
                      (filing_id, refund_id, result, transaction_id, amount_fen, failure_reason))

// --- the litigation-service hotline ------------------------------------------------------------

struct HotlineCallerInput {
  static constexpr std::string_view kSchemaName = "HotlineCallerInput";
  std::string name;
  std::string phone;
};
BOOST_DESCRIBE_STRUCT(HotlineCallerInput, (), (name, phone))

struct FileHotlineRequestBody {
  static constexpr std::string_view kServerMade[] = {"hotline_request_id"};
  static constexpr std::pair<std::string_view, std::string_view> kFieldDocs[] = {
      {"court", "the court the request is to"},
      {"case_number", "the case it is about: for a lawyer, one where they are an agent"},
      {"caller",
       "who called: required for a call recorded by a clerk or court system, refused "
       "from a lawyer"}};
  CaseNumber court;
  domain::HotlineRequestKind kind = domain::HotlineRequestKind::kEnquiry;
  std::optional<CaseNumber> case_number;
  std::string title;
  std::string body;
  std::optional<HotlineCallerInput> caller;
};
BOOST_DESCRIBE_STRUCT(FileHotlineRequestBody, (), (court, kind, case_number, title, body, caller))

struct ForwardHotlineRequestBody {
  static constexpr std::pair<std::string_view, std::string_view> kFieldDocs[] = {
      {"judge",
       "the judge's staff id: required for a request about no case; for one about a case, the "
       "judge in charge (who it goes to when left out)"}};
  std::optional<Id> judge;
  std::optional<std::string> note;
};
BOOST_DESCRIBE_STRUCT(ForwardHotlineRequestBody, (), (judge, note))

struct AnswerHotlineRequestBody {
  std::string body;
};
BOOST_DESCRIBE_STRUCT(AnswerHotlineRequestBody, (), (body))

}  // namespace docket::api::requests
