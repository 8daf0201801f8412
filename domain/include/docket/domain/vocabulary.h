// The domain's one vocabulary of names that reach the log: stream categories, stream ids, event
// types and timer commands. Each is spelled here and only here, so a rename fails to compile
// wherever the old name was used (domain, app, projections, replay, api).
//
// A stream id is "<category>-<id>": "filing-<filing id>", "case-<case number>" (verbatim, e.g.
// "case-(2026)渝0103民初1234号"), "case_number-<court>-<year>". Event types and timer commands
// are recorded in the log and never change once shipped; a new event type is added to
// event_type here (and to kAll).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace docket::domain {

// The categories of streams, one per aggregate.
namespace category {
inline constexpr std::string_view kCourt = "court";
inline constexpr std::string_view kCaseNumber = "case_number";
inline constexpr std::string_view kLawyer = "lawyer";
inline constexpr std::string_view kStaff = "staff";
inline constexpr std::string_view kFiling = "filing";
inline constexpr std::string_view kPayment = "payment";
inline constexpr std::string_view kCase = "case";
inline constexpr std::string_view kService = "service";
inline constexpr std::string_view kHotline = "hotline";

inline constexpr std::array kAll{kCourt,   kCaseNumber, kLawyer,  kStaff,  kFiling,
                                 kPayment, kCase,       kService, kHotline};
}  // namespace category

// "<category>-<id>".
inline std::string stream_id(std::string_view category, std::string_view id) {
  std::string out;
  out.reserve(category.size() + 1 + id.size());
  out.append(category);
  out.push_back('-');
  out.append(id);
  return out;
}

// The id part of `stream` when it is "<category>-<id>" with a non-empty id, else nullopt.
inline std::optional<std::string_view> id_in_stream(std::string_view stream,
                                                    std::string_view category) {
  if (stream.size() <= category.size() + 1 || stream.substr(0, category.size()) != category ||
      stream[category.size()] != '-') {
    return std::nullopt;
  }
  return stream.substr(category.size() + 1);
}

// One function per stream family.
inline std::string court_stream(std::string_view court) {
  return stream_id(category::kCourt, court);
}
inline std::string lawyer_stream(std::string_view licence_number) {
  return stream_id(category::kLawyer, licence_number);
}
inline std::string staff_stream(std::string_view staff_id) {
  return stream_id(category::kStaff, staff_id);
}
inline std::string filing_stream(std::string_view filing_id) {
  return stream_id(category::kFiling, filing_id);
}
// A payment notice's stream is named after the filing it bills.
inline std::string payment_stream(std::string_view filing_id) {
  return stream_id(category::kPayment, filing_id);
}
inline std::string case_stream(std::string_view case_number) {
  return stream_id(category::kCase, case_number);
}
inline std::string service_stream(std::string_view service_id) {
  return stream_id(category::kService, service_id);
}
// A hotline request's stream (a request to the litigation-service hotline, 12368).
inline std::string hotline_stream(std::string_view hotline_request_id) {
  return stream_id(category::kHotline, hotline_request_id);
}
// The stream of `court`'s case-number allocations for `year`: "case_number-<court>-<year>".
inline std::string case_number_stream(std::string_view court, std::int32_t year) {
  std::string id(court);
  id.push_back('-');
  id.append(std::to_string(year));
  return stream_id(category::kCaseNumber, id);
}

// The event types, grouped by the stream that records them.
namespace event_type {

// The court stream (court.cc).
inline constexpr std::string_view kCourtRegistered = "CourtRegistered";
inline constexpr std::string_view kCourtPolicyChanged = "CourtPolicyChanged";
inline constexpr std::string_view kCourtCodeListsChanged = "CourtCodeListsChanged";

// A court's case-number sequence (case_number.cc).
inline constexpr std::string_view kCaseNumberAllocated = "CaseNumberAllocated";

// A lawyer's stream (lawyer.cc).
inline constexpr std::string_view kLawyerRegistered = "LawyerRegistered";
inline constexpr std::string_view kLawyerRosterDataUpdated = "LawyerRosterDataUpdated";
inline constexpr std::string_view kLawyerDeactivated = "LawyerDeactivated";
inline constexpr std::string_view kLawyerReactivated = "LawyerReactivated";
inline constexpr std::string_view kPasswordChanged = "PasswordChanged";
inline constexpr std::string_view kProfileUpdated = "ProfileUpdated";
inline constexpr std::string_view kScheduleEntryAdded = "ScheduleEntryAdded";
inline constexpr std::string_view kScheduleEntryRemoved = "ScheduleEntryRemoved";

// A staff member's stream (staff.cc).
inline constexpr std::string_view kStaffRegistered = "StaffRegistered";
inline constexpr std::string_view kStaffPasswordChanged = "StaffPasswordChanged";
inline constexpr std::string_view kStaffApiKeyRotated = "StaffApiKeyRotated";
inline constexpr std::string_view kStaffDeactivated = "StaffDeactivated";

// A filing's stream (filing.cc).
inline constexpr std::string_view kFilingNoticeAccepted = "FilingNoticeAccepted";
inline constexpr std::string_view kCaseCategoryChosen = "CaseCategoryChosen";
inline constexpr std::string_view kCaseInformationSaved = "CaseInformationSaved";
inline constexpr std::string_view kPartiesSaved = "PartiesSaved";
inline constexpr std::string_view kAgentsSaved = "AgentsSaved";
inline constexpr std::string_view kServiceAddressNoticeAccepted = "ServiceAddressNoticeAccepted";
inline constexpr std::string_view kServiceAddressesSaved = "ServiceAddressesSaved";
inline constexpr std::string_view kCourtChosen = "CourtChosen";
inline constexpr std::string_view kMaterialsSaved = "MaterialsSaved";
inline constexpr std::string_view kIdentityPapersSaved = "IdentityPapersSaved";
inline constexpr std::string_view kIdentityCheckRecorded = "IdentityCheckRecorded";
inline constexpr std::string_view kIdentityCheckOverridden = "IdentityCheckOverridden";
inline constexpr std::string_view kMediationChosen = "MediationChosen";
inline constexpr std::string_view kFilingSubmitted = "FilingSubmitted";
inline constexpr std::string_view kFilingDeleted = "FilingDeleted";
inline constexpr std::string_view kFilingCancelled = "FilingCancelled";
inline constexpr std::string_view kFilingAccepted = "FilingAccepted";
inline constexpr std::string_view kCorrectionRequested = "CorrectionRequested";
inline constexpr std::string_view kFilingRejected = "FilingRejected";
inline constexpr std::string_view kFilingReviewOverdue = "FilingReviewOverdue";
inline constexpr std::string_view kFilingReturned = "FilingReturned";
inline constexpr std::string_view kFilingReferredToMediation = "FilingReferredToMediation";
inline constexpr std::string_view kMediationConcluded = "MediationConcluded";
inline constexpr std::string_view kJudicialConfirmationApplied = "JudicialConfirmationApplied";
inline constexpr std::string_view kJudicialConfirmationDecided = "JudicialConfirmationDecided";

// A payment notice's stream (payment.cc).
inline constexpr std::string_view kPaymentNoticeIssued = "PaymentNoticeIssued";
inline constexpr std::string_view kPaymentStarted = "PaymentStarted";
inline constexpr std::string_view kPaymentConfirmed = "PaymentConfirmed";
inline constexpr std::string_view kPaymentReceiptRecorded = "PaymentReceiptRecorded";
inline constexpr std::string_view kPaymentReceiptDocumentRecorded =
    "PaymentReceiptDocumentRecorded";
inline constexpr std::string_view kPaymentReliefApplied = "PaymentReliefApplied";
inline constexpr std::string_view kPaymentReliefGranted = "PaymentReliefGranted";
inline constexpr std::string_view kPaymentReliefRefused = "PaymentReliefRefused";
inline constexpr std::string_view kPaymentNoticeLapsed = "PaymentNoticeLapsed";

// A case's stream: docketing (case.cc).
inline constexpr std::string_view kCaseRegistered = "CaseRegistered";
inline constexpr std::string_view kJudgeAssigned = "JudgeAssigned";
inline constexpr std::string_view kLawyerBoundToCase = "LawyerBoundToCase";
inline constexpr std::string_view kLegacyBindingFailed = "LegacyBindingFailed";
inline constexpr std::string_view kLegacyBindingLocked = "LegacyBindingLocked";
inline constexpr std::string_view kOnlineHearingConsentRecorded = "OnlineHearingConsentRecorded";
inline constexpr std::string_view kCaseWithdrawn = "CaseWithdrawn";
inline constexpr std::string_view kCaseClosed = "CaseClosed";

// A case's stream: hearings and avoidance.
inline constexpr std::string_view kHearingScheduled = "HearingScheduled";
inline constexpr std::string_view kHearingRescheduled = "HearingRescheduled";
inline constexpr std::string_view kHearingHeld = "HearingHeld";
inline constexpr std::string_view kHearingCancelled = "HearingCancelled";
inline constexpr std::string_view kHearingAbsenceRecorded = "HearingAbsenceRecorded";
inline constexpr std::string_view kHearingAvoidanceRequested = "HearingAvoidanceRequested";
inline constexpr std::string_view kHearingAvoidanceGranted = "HearingAvoidanceGranted";
inline constexpr std::string_view kHearingAvoidanceRefused = "HearingAvoidanceRefused";
inline constexpr std::string_view kOnlineHearingExclusionsRecorded =
    "OnlineHearingExclusionsRecorded";
inline constexpr std::string_view kHearingOutsideCourtroomRequested =
    "HearingOutsideCourtroomRequested";
inline constexpr std::string_view kHearingOutsideCourtroomDecided =
    "HearingOutsideCourtroomDecided";
inline constexpr std::string_view kHearingTranscriptRecorded = "HearingTranscriptRecorded";
inline constexpr std::string_view kHearingTranscriptConfirmed = "HearingTranscriptConfirmed";

// A case's stream: evidence.
inline constexpr std::string_view kEvidenceBatchOpened = "EvidenceBatchOpened";
inline constexpr std::string_view kEvidenceItemAdded = "EvidenceItemAdded";
inline constexpr std::string_view kEvidenceItemsRemoved = "EvidenceItemsRemoved";
inline constexpr std::string_view kEvidenceBatchSubmitted = "EvidenceBatchSubmitted";
inline constexpr std::string_view kEvidenceItemMarked = "EvidenceItemMarked";

// A case's stream: evidence exchange.
inline constexpr std::string_view kEvidenceSentForExchange = "EvidenceSentForExchange";
inline constexpr std::string_view kEvidenceExchangeOpened = "EvidenceExchangeOpened";
inline constexpr std::string_view kEvidenceExchangeAnswered = "EvidenceExchangeAnswered";
inline constexpr std::string_view kEvidenceExchangeLapsed = "EvidenceExchangeLapsed";

// A case's stream: the case file and file review.
inline constexpr std::string_view kCaseFileMaterialAdded = "CaseFileMaterialAdded";
inline constexpr std::string_view kFileReviewApplied = "FileReviewApplied";
inline constexpr std::string_view kFileReviewApproved = "FileReviewApproved";
inline constexpr std::string_view kFileReviewRefused = "FileReviewRefused";
inline constexpr std::string_view kFileReviewAccessed = "FileReviewAccessed";

// A case's stream: messages to the judge.
inline constexpr std::string_view kMessageSentToJudge = "MessageSentToJudge";
inline constexpr std::string_view kMessageRead = "MessageRead";
inline constexpr std::string_view kMessageReplied = "MessageReplied";

// A service's stream (service.cc).
inline constexpr std::string_view kDocumentServed = "DocumentServed";
inline constexpr std::string_view kSmsKeyIssued = "SmsKeyIssued";
inline constexpr std::string_view kSmsKeyNotificationQueued = "SmsKeyNotificationQueued";
inline constexpr std::string_view kSmsKeyVoided = "SmsKeyVoided";
inline constexpr std::string_view kServiceDelivered = "ServiceDelivered";
inline constexpr std::string_view kServiceOpened = "ServiceOpened";
inline constexpr std::string_view kDocumentDownloaded = "DocumentDownloaded";
inline constexpr std::string_view kSigningAttemptFailed = "SigningAttemptFailed";
inline constexpr std::string_view kSigningLocked = "SigningLocked";
inline constexpr std::string_view kDocumentSigned = "DocumentSigned";

// A payment notice's stream: refunds (payment.cc).
inline constexpr std::string_view kRefundOrdered = "RefundOrdered";
inline constexpr std::string_view kRefundCompleted = "RefundCompleted";
inline constexpr std::string_view kRefundFailed = "RefundFailed";

// A hotline request's stream (hotline.cc).
inline constexpr std::string_view kHotlineRequestFiled = "HotlineRequestFiled";
inline constexpr std::string_view kHotlineRequestForwarded = "HotlineRequestForwarded";
inline constexpr std::string_view kHotlineRequestAnswered = "HotlineRequestAnswered";
inline constexpr std::string_view kHotlineRequestOverdue = "HotlineRequestOverdue";

// Every event type above, for checks that must see them all.
inline constexpr std::array kAll{
    kCourtRegistered,
    kCourtPolicyChanged,
    kCourtCodeListsChanged,
    kCaseNumberAllocated,
    kLawyerRegistered,
    kLawyerRosterDataUpdated,
    kLawyerDeactivated,
    kLawyerReactivated,
    kPasswordChanged,
    kProfileUpdated,
    kScheduleEntryAdded,
    kScheduleEntryRemoved,
    kStaffRegistered,
    kStaffPasswordChanged,
    kStaffApiKeyRotated,
    kStaffDeactivated,
    kFilingNoticeAccepted,
    kCaseCategoryChosen,
    kCaseInformationSaved,
    kPartiesSaved,
    kAgentsSaved,
    kServiceAddressNoticeAccepted,
    kServiceAddressesSaved,
    kCourtChosen,
    kMaterialsSaved,
    kIdentityPapersSaved,
    kIdentityCheckRecorded,
    kIdentityCheckOverridden,
    kMediationChosen,
    kFilingSubmitted,
    kFilingDeleted,
    kFilingCancelled,
    kFilingAccepted,
    kCorrectionRequested,
    kFilingRejected,
    kFilingReviewOverdue,
    kFilingReturned,
    kFilingReferredToMediation,
    kMediationConcluded,
    kJudicialConfirmationApplied,
    kJudicialConfirmationDecided,
    kPaymentNoticeIssued,
    kPaymentStarted,
    kPaymentConfirmed,
    kPaymentReceiptRecorded,
    kPaymentReceiptDocumentRecorded,
    kPaymentReliefApplied,
    kPaymentReliefGranted,
    kPaymentReliefRefused,
    kPaymentNoticeLapsed,
    kCaseRegistered,
    kJudgeAssigned,
    kLawyerBoundToCase,
    kLegacyBindingFailed,
    kLegacyBindingLocked,
    kOnlineHearingConsentRecorded,
    kCaseWithdrawn,
    kCaseClosed,
    kHearingScheduled,
    kHearingRescheduled,
    kHearingHeld,
    kHearingCancelled,
    kHearingAbsenceRecorded,
    kHearingAvoidanceRequested,
    kHearingAvoidanceGranted,
    kHearingAvoidanceRefused,
    kOnlineHearingExclusionsRecorded,
    kHearingOutsideCourtroomRequested,
    kHearingOutsideCourtroomDecided,
    kHearingTranscriptRecorded,
    kHearingTranscriptConfirmed,
    kEvidenceBatchOpened,
    kEvidenceItemAdded,
    kEvidenceItemsRemoved,
    kEvidenceBatchSubmitted,
    kEvidenceItemMarked,
    kEvidenceSentForExchange,
    kEvidenceExchangeOpened,
    kEvidenceExchangeAnswered,
    kEvidenceExchangeLapsed,
    kCaseFileMaterialAdded,
    kFileReviewApplied,
    kFileReviewApproved,
    kFileReviewRefused,
    kFileReviewAccessed,
    kMessageSentToJudge,
    kMessageRead,
    kMessageReplied,
    kDocumentServed,
    kSmsKeyIssued,
    kSmsKeyNotificationQueued,
    kSmsKeyVoided,
    kServiceDelivered,
    kServiceOpened,
    kDocumentDownloaded,
    kSigningAttemptFailed,
    kSigningLocked,
    kDocumentSigned,
    kRefundOrdered,
    kRefundCompleted,
    kRefundFailed,
    kHotlineRequestFiled,
    kHotlineRequestForwarded,
    kHotlineRequestAnswered,
    kHotlineRequestOverdue,
};

}  // namespace event_type

// The commands timers run (TimerRequest::command_type).
namespace timer_command {
inline constexpr std::string_view kReviewDeadlineReached = "ReviewDeadlineReached";
inline constexpr std::string_view kCorrectionDeadlineReached = "CorrectionDeadlineReached";
inline constexpr std::string_view kMediationDeadlineReached = "MediationDeadlineReached";
inline constexpr std::string_view kPaymentDueDateReached = "PaymentDueDateReached";
inline constexpr std::string_view kEvidenceExchangeDeadlineReached =
    "EvidenceExchangeDeadlineReached";
inline constexpr std::string_view kHotlineAnswerDueReached = "HotlineAnswerDueReached";
}  // namespace timer_command

}  // namespace docket::domain
