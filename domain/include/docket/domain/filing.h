// The filing aggregate (stream "filing-<id>"): the online-filing wizard (网上立案) of module 2 and
// the review of a submitted filing by the court's filing office (立案庭).
//
// Lifecycle (our status -> ECF filing review code, see ecf_status):
//   draft (AcceptFilingNotice creates it; each wizard step saves an event and may be redone)
//     -> submitted ("received") by SubmitFiling, which lists every missing item at once
//        -> accepted ("accepted") by AcceptFiling, or automatically at the review deadline
//        -> correction requested (one notice per filing, every item at once, a deadline)
//             -> submitted again by SubmitFiling (the review clock restarts)
//             -> returned when the correction deadline passes
//        -> rejected ("rejected") by RejectFiling
//        -> in mediation by ReferToMediation (the parties agreed to mediation, the court's policy
//           lets the category be mediated; the review clock stops, a mediation deadline runs)
//             -> mediated by RecordMediationOutcome{agreement} (the agreement a document)
//                  -> ApplyForJudicialConfirmation (the filer, within 30 days)
//                       -> DecideJudicialConfirmation: confirmed (the filing ends mediated),
//                          or refused (the filing returns to review, the clock restarts)
//             -> submitted again by RecordMediationOutcome{failure}, or when the mediation
//                deadline passes (the review clock restarts)
//     -> cancelled ("cancelled") by CancelFiling (draft, submitted, correction requested or in
//        mediation)
//   draft -> deleted by DeleteDraft (the stream then answers not_found)
//
// Who: the filer (the lawyer whose AcceptFilingNotice created the draft) edits, submits, deletes
// and cancels; a clerk of the filing's court accepts, requests correction and rejects; kSystem
// runs the timers. Anyone else: forbidden.
//
// Events (payloads in schema/filing.fbs): FilingNoticeAccepted, CaseCategoryChosen,
// CaseInformationSaved (v1 and v2), PartiesSaved, AgentsSaved, ServiceAddressNoticeAccepted,
// ServiceAddressesSaved, CourtChosen, MaterialsSaved, IdentityPapersSaved, MediationChosen,
// FilingSubmitted, FilingDeleted, FilingCancelled, FilingAccepted, CorrectionRequested,
// FilingRejected, FilingReviewOverdue, FilingReturned, FilingReferredToMediation,
// MediationConcluded, JudicialConfirmationApplied, JudicialConfirmationDecided. All at schema
// version 1 except CaseInformationSaved at 2.
//
// Timers, on the filing's own stream:
//   "filing-<id>/review-deadline/<submission>", command type "ReviewDeadlineReached", set by
//   SubmitFiling at now + the review period, cancelled by accept, correction request, reject and
//   cancel. command_from_timer gives ReviewDeadlineReached{submission, auto_register = false}; the
//   app, on that timer, reads the court policy and, when it says an undecided filing is registered
//   automatically, allocates a case number (CaseNumberAggregate) and sets auto_register = true and
//   case_number before running the command. The decider records FilingReviewOverdue and, with
//   auto_register, also FilingAccepted{automatic = true}.
//   "filing-<id>/correction-deadline", command type "CorrectionDeadlineReached", set by
//   RequestCorrection, cancelled by resubmission and cancel; decides FilingReturned.
//   "filing-<id>/mediation-deadline", command type "MediationDeadlineReached", set by
//   ReferToMediation, cancelled by the mediation's outcome and cancel; decides MediationConcluded
//   {failure, deadline_passed} and restarts the review clock.
//   A timer that fires after the filing has moved on decides nothing.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "docket/domain/aggregate.h"
#include "docket/domain/core.h"

namespace docket::domain {

enum class FilingStatus : std::uint8_t {
  kDraft,
  kSubmitted,
  kCorrectionRequested,
  kAccepted,
  kRejected,
  kCancelled,
  kReturned,
  kDeleted,
  kInMediation,
  kMediated,
};
BOOST_DESCRIBE_ENUM(FilingStatus, kDraft, kSubmitted, kCorrectionRequested, kAccepted, kRejected,
                    kCancelled, kReturned, kDeleted, kInMediation, kMediated)

enum class FilingPartyKind : std::uint8_t { kNaturalPerson, kLegalPerson, kOtherOrganisation };
BOOST_DESCRIBE_ENUM(FilingPartyKind, kNaturalPerson, kLegalPerson, kOtherOrganisation)
enum class FilingPartyPosition : std::uint8_t { kPlaintiff, kDefendant, kThirdParty };
BOOST_DESCRIBE_ENUM(FilingPartyPosition, kPlaintiff, kDefendant, kThirdParty)
enum class IdentityPaperKind : std::uint8_t {
  kIdCardFront,
  kIdCardBack,
  kHouseholdRegister,
  kLegalRepresentativeCertificate,
  kLegalRepresentativeIdCard,
  kBusinessLicence,
};
BOOST_DESCRIBE_ENUM(IdentityPaperKind, kIdCardFront, kIdCardBack, kHouseholdRegister,
                    kLegalRepresentativeCertificate, kLegalRepresentativeIdCard, kBusinessLicence)

// A filing status's wire name (enum_names.h) is our own status code: "draft", "submitted",
// "correction_requested", "accepted", "rejected", "cancelled", "returned", "deleted",
// "in_mediation", "mediated".

// The material type that marks a complaint (起诉状); a submitted filing needs at least one.
inline constexpr std::string_view kComplaintMaterialType = "complaint";

struct FilingParty {
  std::string party_id;  // unique inside the filing
  FilingPartyPosition position = FilingPartyPosition::kPlaintiff;
  FilingPartyKind kind = FilingPartyKind::kNaturalPerson;
  std::string name;
  std::string id_number;  // resident ID number, or unified social credit code
  bool minor = false;     // natural persons only
  std::string phone;
  std::string address;
  std::string legal_representative;  // organisations
  std::string legal_representative_id_number;

  template <class Archive>
  void serialize(Archive& ar) {
    ar(party_id, position, kind, name, id_number, minor, phone, address, legal_representative,
       legal_representative_id_number);
  }
  friend bool operator==(const FilingParty&, const FilingParty&) = default;
};

struct FilingAgent {
  std::string licence_number;
  // The lawyer's own, from lawyer-<licence_number> when the agents are saved (facts.h).
  std::string name;
  std::string firm;
  std::string id_number;
  std::string phone;
  std::vector<std::string> represents;  // party ids

  template <class Archive>
  void serialize(Archive& ar) {
    ar(licence_number, name, firm, id_number, phone, represents);
  }
  friend bool operator==(const FilingAgent&, const FilingAgent&) = default;
};

struct ServiceAddress {
  std::string party_id;
  std::string address;
  std::string phone;
  std::string email;
  bool electronic_service_consent = false;

  template <class Archive>
  void serialize(Archive& ar) {
    ar(party_id, address, phone, email, electronic_service_consent);
  }
  friend bool operator==(const ServiceAddress&, const ServiceAddress&) = default;
};

struct FilingMaterial {
  std::string material_id;
  std::string material_type;  // a code of the court's material-type list
  std::string title;
  std::vector<std::string> blob_hashes;  // lower-hex SHA-256, 64 characters each

  template <class Archive>
  void serialize(Archive& ar) {
    ar(material_id, material_type, title, blob_hashes);
  }
  friend bool operator==(const FilingMaterial&, const FilingMaterial&) = default;
};

struct IdentityPaper {
  std::string party_id;
  IdentityPaperKind kind = IdentityPaperKind::kIdCardFront;
  std::string blob_hash;

  template <class Archive>
  void serialize(Archive& ar) {
    ar(party_id, kind, blob_hash);
  }
  friend bool operator==(const IdentityPaper&, const IdentityPaper&) = default;
};

// Real-name identity verification (notice §1): the court's identity service's latest result for a
// party, recorded through the court's system.
enum class IdentityCheckMethod : std::uint8_t { kDocumentComparison, kRealNamePhone };
BOOST_DESCRIBE_ENUM(IdentityCheckMethod, kDocumentComparison, kRealNamePhone)
enum class IdentityCheckResult : std::uint8_t { kVerified, kFailed };
BOOST_DESCRIBE_ENUM(IdentityCheckResult, kVerified, kFailed)

struct IdentityCheck {
  std::string party_id;
  IdentityCheckMethod method = IdentityCheckMethod::kDocumentComparison;
  IdentityCheckResult result = IdentityCheckResult::kVerified;
  std::string note;
  std::string recorded_by;
  std::int64_t recorded_at_us = 0;

  template <class Archive>
  void serialize(Archive& ar) {
    ar(party_id, method, result, note, recorded_by, recorded_at_us);
  }
  friend bool operator==(const IdentityCheck&, const IdentityCheck&) = default;
};

struct CorrectionItem {
  std::string field;    // what must be corrected, e.g. "parties[1].id_number"
  std::string message;  // what the clerk asks for

  template <class Archive>
  void serialize(Archive& ar) {
    ar(field, message);
  }
  friend bool operator==(const CorrectionItem&, const CorrectionItem&) = default;
};

// The one-time correction notice (一次性告知).
struct CorrectionNotice {
  std::vector<CorrectionItem> items;
  std::int64_t deadline_at_us = 0;
  std::string requested_by;

  template <class Archive>
  void serialize(Archive& ar) {
    ar(items, deadline_at_us, requested_by);
  }
  friend bool operator==(const CorrectionNotice&, const CorrectionNotice&) = default;
};

// Online mediation (notice §3): a submitted filing whose parties agreed to mediation, referred by
// a clerk to a mediator or mediation organisation on the court's mediation platform.
enum class MediationOutcome : std::uint8_t { kPending, kAgreement, kFailure };
BOOST_DESCRIBE_ENUM(MediationOutcome, kPending, kAgreement, kFailure)
// The judicial confirmation (司法确认) of an agreement reached online.
enum class JudicialConfirmation : std::uint8_t { kNone, kApplied, kConfirmed, kRefused };
BOOST_DESCRIBE_ENUM(JudicialConfirmation, kNone, kApplied, kConfirmed, kRefused)

struct MediationReferral {
  std::string mediator;                // the mediator's name; may be empty with an organisation
  std::string mediation_organisation;  // e.g. a people's mediation committee
  std::string referred_by;             // the clerk's staff id
  std::int64_t referred_at_us = 0;
  std::int64_t deadline_at_us = 0;
  MediationOutcome outcome = MediationOutcome::kPending;
  std::string agreement_blob_hash;  // the mediation agreement, with an agreement
  std::string outcome_note;
  std::string concluded_by;  // "" when the deadline passed
  std::int64_t concluded_at_us = 0;
  bool deadline_passed = false;
  JudicialConfirmation judicial_confirmation = JudicialConfirmation::kNone;
  std::string confirmation_applied_by;
  std::int64_t confirmation_applied_at_us = 0;
  std::string confirmation_decided_by;
  std::string confirmation_reason;  // why it was refused, or a note to the confirmation

  template <class Archive>
  void serialize(Archive& ar) {
    ar(mediator, mediation_organisation, referred_by, referred_at_us, deadline_at_us, outcome,
       agreement_blob_hash, outcome_note, concluded_by, concluded_at_us, deadline_passed,
       judicial_confirmation, confirmation_applied_by, confirmation_applied_at_us,
       confirmation_decided_by, confirmation_reason);
  }
  friend bool operator==(const MediationReferral&, const MediationReferral&) = default;
};

struct FilingState {
  bool exists = false;
  std::string filing_id;  // the stream id without "filing-"
  std::string filer;      // licence number
  FilingStatus status = FilingStatus::kDraft;
  bool filing_notice_accepted = false;
  std::string category;
  std::string application_type;
  bool case_information_saved = false;
  std::vector<std::string> claims;
  std::string facts_and_reasons;
  std::int64_t amount_in_dispute_fen = 0;
  std::vector<FilingParty> parties;
  std::vector<FilingAgent> agents;
  bool service_address_notice_accepted = false;
  std::vector<ServiceAddress> service_addresses;
  std::string court;
  std::string court_name;
  std::vector<FilingMaterial> materials;
  std::vector<IdentityPaper> identity_papers;
  std::vector<IdentityCheck> identity_checks;  // the latest per party, in the order first checked
  std::optional<bool> mediation;
  std::uint32_t submissions = 0;  // how many times submitted
  std::int64_t review_due_at_us = 0;
  bool review_overdue = false;  // the current submission's review period ran out undecided
  std::optional<CorrectionNotice> correction_notice;
  std::string case_number;
  std::string accepted_by;
  bool registered_automatically = false;
  std::string identity_override_reason;  // see AcceptFiling
  std::string rejection_reason;
  std::string cancellation_reason;
  std::optional<MediationReferral> mediation_referral;  // at most one per filing

  template <class Archive>
  void serialize(Archive& ar) {
    ar(exists, filing_id, filer, status, filing_notice_accepted, category, application_type,
       case_information_saved, claims, facts_and_reasons, amount_in_dispute_fen, parties, agents,
       service_address_notice_accepted, service_addresses, court, court_name, materials,
       identity_papers, identity_checks, mediation, submissions, review_due_at_us, review_overdue,
       correction_notice, case_number, accepted_by, registered_automatically,
       identity_override_reason, rejection_reason, cancellation_reason, mediation_referral);
  }
  friend bool operator==(const FilingState&, const FilingState&) = default;
};

// The ECF filing review code of the filing: "received" (submitted, review pending), "accepted",
// "rejected", "cancelled"; for states ECF has no code for, our own: "draft",
// "correction_requested", "returned", "deleted", "in_mediation", "mediated". "" when the filing
// does not exist.
std::string_view ecf_status(const FilingState& state);

// --- wizard steps: the filer, while the filing is a draft or has a correction requested -------

// Creates the draft (actor: a lawyer, who becomes the filer) or records the notice again.
struct AcceptFilingNotice {};

struct ChooseCaseCategory {
  std::string category;          // checked against the court's list at submit
  std::string application_type;  // checked against the court's list at submit
};

struct SaveCaseInformation {
  std::vector<std::string> claims;  // 诉讼请求, one item each
  std::string facts_and_reasons;
  std::int64_t amount_in_dispute_fen = 0;  // >= 0
};

// Replaces the list of parties. Party ids must be unique and non-empty.
struct SaveParties {
  std::vector<FilingParty> parties;
};

// Replaces the list of agents; the filer must be one of them, and each an active lawyer. Each
// agent's name, firm, id number and phone are the lawyer's own (facts: lawyer-<licence_number>),
// whatever the command says.
struct SaveAgents {
  std::vector<FilingAgent> agents;
};

struct AcceptServiceAddressNotice {};

// Replaces the service addresses; needs the service-address notice accepted first.
struct SaveServiceAddresses {
  std::vector<ServiceAddress> addresses;
};

// Chooses a registered court (facts: court-<court>, whose name the filing records).
struct ChooseCourt {
  std::string court;  // the court's code
};

struct SaveMaterials {
  std::vector<FilingMaterial> materials;
};

struct SaveIdentityPapers {
  std::vector<IdentityPaper> papers;
};

struct ChooseMediation {
  bool mediation = false;
};

// The facts of the chosen court that a submission is checked against, from court-<state.court>
// (left empty when no registered court is chosen).
struct FilingCourtFacts {
  std::vector<std::string> case_categories;              // category codes
  std::vector<std::string> application_types;            // application-type codes
  std::vector<std::string> material_types;               // material-type codes
  std::int64_t review_period_us = 7 * 86'400'000'000LL;  // the court policy's review period
};

// --- mediation (notice §3) -------------------------------------------------------------------

// A clerk of the filing's court refers a submitted filing to online mediation: its parties chose
// mediation (policy), the court's policy does not exclude its category from mediation (policy),
// at most one referral per filing (policy), a mediator or an organisation, and a deadline in the
// future. The review clock stops; the mediation deadline's timer starts. Reads the court's policy
// (facts: court-<state.court>).
struct ReferToMediation {
  std::string mediator;
  std::string mediation_organisation;
  std::int64_t deadline_at_us = 0;
};

// The mediation's end, relayed by the court system of the filing's court from the mediation
// platform or recorded by its clerk: an agreement (its document's blob hash required: the filing
// is then mediated) or a failure (the filing returns to review, the review period starting again).
struct RecordMediationOutcome {
  MediationOutcome outcome = MediationOutcome::kAgreement;
  std::string agreement_blob_hash;
  std::string note;
};

// The filer applies for judicial confirmation of the agreement reached online, within
// kJudicialConfirmationWindowUs of it (policy); once.
struct ApplyForJudicialConfirmation {};
inline constexpr std::int64_t kJudicialConfirmationWindowUs = 30 * 86'400'000'000LL;

// A judge of the filing's court confirms the agreement or refuses to (with a reason); a refusal
// returns the filing to review, the review period starting again.
struct DecideJudicialConfirmation {
  bool confirmed = false;
  std::string reason;
};

// Checks every step and returns ONE validation rejection listing every missing or invalid item
// (fields such as "case_information.claims", "parties", "parties[1].id_number",
// "identity_papers[p1].id_card_back"). On success records FilingSubmitted and sets the review
// timer; a resubmission after a correction request also cancels the correction timer. Reads the
// chosen court's code lists and review period (facts: court-<state.court>).
struct SubmitFiling {};

// Deletes a draft (never submitted, or not since); afterwards the stream answers not_found.
struct DeleteDraft {};

// Cancels a draft, submitted or correction-requested filing.
struct CancelFiling {
  std::string reason;
};

// --- review: a clerk of the filing's court, while the filing is submitted ---------------------

// When the court's policy requires real-name verification (identity_verification_required), every
// party's latest identity check must be verified; otherwise the clerk accepts only with
// identity_override_reason, which the acceptance records (policy). Reads the court's policy and
// fee schedule (facts: court-<state.court>).
struct AcceptFiling {
  // Filled by the app from CaseNumberAggregate's allocation for this filing.
  std::string case_number;
  std::string identity_override_reason;
};

// The court's identity service's result for a party of a draft or a filing awaiting review.
// Actor: the court system of the filing's court.
struct RecordIdentityCheck {
  std::string party_id;
  IdentityCheckMethod method = IdentityCheckMethod::kDocumentComparison;
  IdentityCheckResult result = IdentityCheckResult::kVerified;
  std::string note;
};

// The one-time correction notice: at least one item, at most one notice per filing (policy). The
// period to correct in is the filing's court's (facts: court-<state.court>).
struct RequestCorrection {
  std::vector<CorrectionItem> items;
};

struct RejectFiling {
  std::string reason;
};

// --- timers (actor: kSystem) -----------------------------------------------------------------

struct ReviewDeadlineReached {
  std::uint32_t submission = 0;
  // Filled by the app from the court policy ("register an undecided filing automatically").
  bool auto_register = false;
  // Filled by the app from CaseNumberAggregate when auto_register; required then.
  std::string case_number;
};

struct CorrectionDeadlineReached {
  std::int64_t deadline_at_us = 0;
};

struct MediationDeadlineReached {
  std::int64_t deadline_at_us = 0;
};

using FilingCommand =
    std::variant<AcceptFilingNotice, ChooseCaseCategory, SaveCaseInformation, SaveParties,
                 SaveAgents, AcceptServiceAddressNotice, SaveServiceAddresses, ChooseCourt,
                 SaveMaterials, SaveIdentityPapers, ChooseMediation, SubmitFiling, DeleteDraft,
                 CancelFiling, AcceptFiling, RequestCorrection, RejectFiling, ReviewDeadlineReached,
                 CorrectionDeadlineReached, RecordIdentityCheck, ReferToMediation,
                 RecordMediationOutcome, MediationDeadlineReached, ApplyForJudicialConfirmation,
                 DecideJudicialConfirmation>;

struct FilingAggregate : Aggregate<FilingAggregate, FilingState, FilingCommand> {
  static constexpr std::string_view kCategory = category::kFiling;
  static constexpr std::uint32_t kStateVersion = 3;  // 2: identity checks; 3: mediation
  static Outcome decide(const State& state, const Command& command, const Context& ctx);
  static Expected<Command, Rejection> command_from_timer(std::string_view command_type,
                                                         std::string_view payload);
  static const ApplierTable<State>& appliers();
};

std::string filing_review_timer_id(std::string_view filing_id, std::uint32_t submission);
std::string filing_correction_timer_id(std::string_view filing_id);
std::string filing_mediation_timer_id(std::string_view filing_id);

}  // namespace docket::domain
