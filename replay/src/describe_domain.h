// Boost.Describe descriptions of the domain's state types, so they render to JSON with their
// field names (the enums are described beside their definitions in the domain, and render by
// their wire names, enum_names.h). Private to replay/src. Each description lists the members in the
// order the type's serialize() writes them; state_render_gaps() checks that the two agree, so a
// field added to a state without being described here fails the tests instead of vanishing from the
// output.
#pragma once

#include <boost/describe/class.hpp>
#include <boost/mp11/list.hpp>

#include "docket/domain/case.h"
#include "docket/domain/case_number.h"
#include "docket/domain/court.h"
#include "docket/domain/fee.h"
#include "docket/domain/filing.h"
#include "docket/domain/hotline.h"
#include "docket/domain/lawyer.h"
#include "docket/domain/payment.h"
#include "docket/domain/service.h"
#include "docket/domain/staff.h"

namespace docket::domain {

// fee.h, court.h
BOOST_DESCRIBE_STRUCT(FeeBand, (), (up_to_fen, rate_basis_points))
BOOST_DESCRIBE_STRUCT(FeeRule, (), (fixed_fee_fen, base_covers_up_to_fen, bands))
BOOST_DESCRIBE_STRUCT(FeeSchedule, (), (rules_by_category))
BOOST_DESCRIBE_STRUCT(CodeListEntry, (), (code, name))
BOOST_DESCRIBE_STRUCT(CaseCategory, (), (code, name, case_number_code))
BOOST_DESCRIBE_STRUCT(CourtCodeLists, (),
                      (case_categories, application_types, material_types, document_types))
BOOST_DESCRIBE_STRUCT(LawLink, (), (title, url))
BOOST_DESCRIBE_STRUCT(CourtPolicy, (),
                      (review_period_us, correction_period_us, fee_due_period_us,
                       sms_key_validity_us, no_electronic_service_document_types,
                       auto_register_when_review_overdue, fee_schedule, law_links,
                       identity_verification_required, no_mediation_case_categories, president))
BOOST_DESCRIBE_STRUCT(CourtState, (), (exists, code, name, code_lists, policy))

// case_number.h
BOOST_DESCRIBE_STRUCT(CaseNumberSequenceState, (),
                      (exists, court, year, last_serial_by_code, number_by_filing))

// lawyer.h
BOOST_DESCRIBE_STRUCT(ScheduleEntry, (), (entry_id, start_us, end_us, can_appear_in_court, text))
BOOST_DESCRIBE_STRUCT(LawyerState, (),
                      (exists, active, practitioner, licence_number, firm, name, id_number, phone,
                       email, must_change_password, schedule, entries_added))

// filing.h
BOOST_DESCRIBE_STRUCT(FilingParty, (),
                      (party_id, position, kind, name, id_number, minor, phone, address,
                       legal_representative, legal_representative_id_number))
BOOST_DESCRIBE_STRUCT(FilingAgent, (), (licence_number, name, firm, id_number, phone, represents))
BOOST_DESCRIBE_STRUCT(ServiceAddress, (),
                      (party_id, address, phone, email, electronic_service_consent))
BOOST_DESCRIBE_STRUCT(FilingMaterial, (), (material_id, material_type, title, blob_hashes))
BOOST_DESCRIBE_STRUCT(IdentityPaper, (), (party_id, kind, blob_hash))
BOOST_DESCRIBE_STRUCT(IdentityCheck, (),
                      (party_id, method, result, note, recorded_by, recorded_at_us))
BOOST_DESCRIBE_STRUCT(CorrectionItem, (), (field, message))
BOOST_DESCRIBE_STRUCT(CorrectionNotice, (), (items, deadline_at_us, requested_by))
BOOST_DESCRIBE_STRUCT(MediationReferral, (),
                      (mediator, mediation_organisation, referred_by, referred_at_us,
                       deadline_at_us, outcome, agreement_blob_hash, outcome_note, concluded_by,
                       concluded_at_us, deadline_passed, judicial_confirmation,
                       confirmation_applied_by, confirmation_applied_at_us, confirmation_decided_by,
                       confirmation_reason))
BOOST_DESCRIBE_STRUCT(FilingState, (),
                      (exists, filing_id, filer, status, filing_notice_accepted, category,
                       application_type, case_information_saved, claims, facts_and_reasons,
                       amount_in_dispute_fen, parties, agents, service_address_notice_accepted,
                       service_addresses, court, court_name, materials, identity_papers,
                       identity_checks, mediation, submissions, review_due_at_us, review_overdue,
                       correction_notice, case_number, accepted_by, registered_automatically,
                       identity_override_reason, rejection_reason, cancellation_reason,
                       mediation_referral))

// payment.h
BOOST_DESCRIBE_STRUCT(PaymentAttempt, (), (attempt, channel, amount_fen, started_by))
BOOST_DESCRIBE_STRUCT(PaymentReliefApplication, (), (kind, reason, applied_by))
BOOST_DESCRIBE_STRUCT(PaymentRefund, (),
                      (refund_id, amount_fen, reason, hotline_request_id, ordered_by, ordered_at_us,
                       status, transaction_id, failure_reason, settled_at_us))
BOOST_DESCRIBE_STRUCT(PaymentNoticeState, (),
                      (exists, filing_id, case_number, court, code, amount_fen, due_at_us, payers,
                       status, attempts, paid_attempt, transaction_id, paid_amount_fen,
                       receipt_number, receipt_blob_hash, pending_relief, granted_reliefs, refunds))

// case.h
BOOST_DESCRIBE_STRUCT(CaseParty, (),
                      (party_id, name, kind, role, id_number, online_hearing_consent,
                       electronic_service_consent))
BOOST_DESCRIBE_STRUCT(CaseAgent, (), (licence, identity_number, name, firm, represents))
BOOST_DESCRIBE_STRUCT(LegacyBinding, (), (failed_attempts, locked, failures))
BOOST_DESCRIBE_STRUCT(HearingAbsence, (), (party_id, kind, cause, note, finding))
BOOST_DESCRIBE_STRUCT(AvoidanceRequest, (),
                      (request_id, licence, reason, phone, status, refusal_reason))
BOOST_DESCRIBE_STRUCT(TranscriptConfirmation, (), (kind, participant, recorded_by, confirmed_at_us))
BOOST_DESCRIBE_STRUCT(HearingTranscript, (),
                      (blob_hash, revision, recorded_by, recorded_at_us, confirmations))
BOOST_DESCRIBE_STRUCT(Hearing, (),
                      (hearing_id, starts_at_us, ends_at_us, place, online, video_room, status,
                       cancel_reason, absences, avoidance_requests, judge_location,
                       outside_courtroom, outside_courtroom_reason, outside_courtroom_decided_by,
                       outside_courtroom_refusal, transcript))
BOOST_DESCRIBE_STRUCT(EvidenceItem, (), (item_id, name, blob_hash, purpose, status, court_note))
BOOST_DESCRIBE_STRUCT(EvidenceBatch, (), (batch_id, licence, status, items, submitted_at_us))
BOOST_DESCRIBE_STRUCT(EvidenceExchangeItem, (), (item_id, title, blob_hash, result, opinion))
BOOST_DESCRIBE_STRUCT(EvidenceExchange, (),
                      (exchange_id, recipient_licence, items, respond_by_us, status, opened_at_us,
                       answered_at_us))
BOOST_DESCRIBE_STRUCT(CaseFileMaterial, (), (material_id, title, blob_hash))
BOOST_DESCRIBE_STRUCT(FileReviewAccess, (), (material_id, at_us))
BOOST_DESCRIBE_STRUCT(FileReview, (),
                      (application_id, licence, reason, status, material_ids, from_us, until_us,
                       refusal_reason, accesses))
BOOST_DESCRIBE_STRUCT(CaseAttachment, (), (name, blob_hash))
BOOST_DESCRIBE_STRUCT(JudgeMessage, (),
                      (message_id, licence, title, body, attachments, status, sent_at_us,
                       read_at_us, reply_body, reply_attachments, replied_at_us))
BOOST_DESCRIBE_STRUCT(CaseState, (),
                      (exists, case_number, court, category, judge, filing_id, accepted_on_us,
                       status, end_reason, withdrawal_notice, parties, agents, legacy_binding,
                       hearings, evidence_batches, evidence_exchanges, file_materials, file_reviews,
                       messages, online_hearing_exclusions, online_hearing_exclusion_note))

// service.h
BOOST_DESCRIBE_STRUCT(SmsKey, (), (serial, expires_at_us))
BOOST_DESCRIBE_STRUCT(DocumentDownload, (), (licence, at_us))
BOOST_DESCRIBE_STRUCT(ServiceState, (),
                      (exists, service_id, case_number, court, document_type, title, blob_hash,
                       recipient_licence, recipient_phone, served_by, served_at_us, status, sms_key,
                       keys_issued_at_us, failed_attempts, signing_locked, signed_at_us, downloads))

// staff.h
BOOST_DESCRIBE_STRUCT(StaffState, (),
                      (exists, active, staff_id, name, role, court, must_change_password))

// hotline.h
BOOST_DESCRIBE_STRUCT(HotlineCaller, (), (name, phone))
BOOST_DESCRIBE_STRUCT(HotlineRequestState, (),
                      (exists, hotline_request_id, court, kind, channel, case_number, title, body,
                       filer_licence_number, caller, recorded_by, filed_at_us, answer_due_at_us,
                       status, overdue, forwarded_to, forwarded_by, forward_note, forwarded_at_us,
                       answer, answered_by, answered_at_us))

}  // namespace docket::domain

namespace docket::replay::detail {

// Every described struct that has a serialize() member, for the coverage check.
using DescribedStates = boost::mp11::mp_list<
    domain::FeeBand, domain::FeeRule, domain::FeeSchedule, domain::CodeListEntry,
    domain::CaseCategory, domain::CourtCodeLists, domain::LawLink, domain::CourtPolicy,
    domain::CourtState, domain::CaseNumberSequenceState, domain::ScheduleEntry, domain::LawyerState,
    domain::FilingParty, domain::FilingAgent, domain::ServiceAddress, domain::FilingMaterial,
    domain::IdentityPaper, domain::IdentityCheck, domain::CorrectionItem, domain::CorrectionNotice,
    domain::MediationReferral, domain::FilingState, domain::PaymentAttempt,
    domain::PaymentReliefApplication, domain::PaymentNoticeState, domain::CaseParty,
    domain::CaseAgent, domain::LegacyBinding, domain::HearingAbsence, domain::AvoidanceRequest,
    domain::TranscriptConfirmation, domain::HearingTranscript, domain::Hearing,
    domain::EvidenceItem, domain::EvidenceBatch, domain::EvidenceExchangeItem,
    domain::EvidenceExchange, domain::CaseFileMaterial, domain::FileReviewAccess,
    domain::FileReview, domain::CaseAttachment, domain::JudgeMessage, domain::CaseState,
    domain::SmsKey, domain::DocumentDownload, domain::ServiceState, domain::StaffState,
    domain::PaymentRefund, domain::HotlineCaller, domain::HotlineRequestState>;

}  // namespace docket::replay::detail
