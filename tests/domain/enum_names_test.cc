// The wire names of the domain's enums. Each list below is the table the name had before the
// names came from one rule (enum_names.h): a rename of an enumerator that would change what the
// API, the read models or the feed write fails here.
#include "docket/domain/enum_names.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "docket/domain/case.h"
#include "docket/domain/core.h"
#include "docket/domain/filing.h"
#include "docket/domain/hotline.h"
#include "docket/domain/lawyer.h"
#include "docket/domain/payment.h"
#include "docket/domain/service.h"

namespace docket::domain {
namespace {

using Names = std::vector<std::string_view>;

template <class E>
void expect_names(const Names& expected) {
  EXPECT_EQ(enum_names<E>(), expected);
  for (std::size_t i = 0; i < expected.size(); ++i) {
    const auto value = static_cast<E>(i);
    EXPECT_EQ(enum_name(value), expected[i]);
    EXPECT_EQ(enum_from_name<E>(expected[i]), value) << expected[i];
  }
}

TEST(EnumNamesTest, CoreEnumsKeepTheirNames) {
  expect_names<Role>({"lawyer", "clerk", "judge", "court_system", "auditor", "admin", "system"});
  expect_names<CredentialKind>({"password", "api_key", "legacy_binding"});
  expect_names<RejectionCode>(
      {"not_found", "invalid_state", "forbidden", "validation", "conflict", "policy"});
}

TEST(EnumNamesTest, FilingEnumsKeepTheirNames) {
  expect_names<FilingStatus>({"draft", "submitted", "correction_requested", "accepted", "rejected",
                              "cancelled", "returned", "deleted", "in_mediation", "mediated"});
  expect_names<MediationOutcome>({"pending", "agreement", "failure"});
  expect_names<JudicialConfirmation>({"none", "applied", "confirmed", "refused"});
  expect_names<FilingPartyKind>({"natural_person", "legal_person", "other_organisation"});
  expect_names<FilingPartyPosition>({"plaintiff", "defendant", "third_party"});
  expect_names<IdentityPaperKind>({"id_card_front", "id_card_back", "household_register",
                                   "legal_representative_certificate",
                                   "legal_representative_id_card", "business_licence"});
  expect_names<IdentityCheckMethod>({"document_comparison", "real_name_phone"});
  expect_names<IdentityCheckResult>({"verified", "failed"});
}

TEST(EnumNamesTest, PractitionerKeepsItsNames) {
  expect_names<Practitioner>({"lawyer", "legal_service_worker"});
}

TEST(EnumNamesTest, PaymentEnumsKeepTheirNames) {
  // kWeChat is "wechat" by an override, not the rule's "we_chat".
  expect_names<PaymentChannel>({"wechat", "alipay", "bank"});
  expect_names<PaymentReliefKind>({"deferral", "reduction", "waiver"});
  expect_names<PaymentNoticeStatus>({"unpaid", "paid", "waived", "lapsed"});
  EXPECT_EQ(enum_from_name<PaymentChannel>("we_chat"), std::nullopt);
  expect_names<RefundStatus>({"requested", "completed", "failed"});
}

TEST(EnumNamesTest, ServiceStatusKeepsItsNames) {
  expect_names<ServiceStatus>({"sent", "delivered", "opened", "signed"});
}

TEST(EnumNamesTest, CaseEnumsKeepTheirNames) {
  expect_names<CaseStatus>({"open", "withdrawn", "closed"});
  expect_names<CasePartyKind>({"natural_person", "legal_person", "other_organisation"});
  expect_names<CasePartyRole>({"plaintiff", "defendant", "third_party"});
  expect_names<HearingStatus>({"scheduled", "held", "cancelled"});
  expect_names<HearingAbsenceKind>({"no_show", "left_midway"});
  expect_names<HearingAbsenceCause>(
      {"none", "network_failure", "device_failure", "power_failure", "force_majeure", "other"});
  expect_names<HearingAbsenceFinding>(
      {"refused_to_appear", "left_without_leave", "excused", "none"});
  expect_names<OnlineHearingExclusion>({"identity_to_check_in_person", "originals_to_compare",
                                        "physical_evidence_to_examine", "no_technical_means"});
  expect_names<OutsideCourtroomApproval>({"not_needed", "pending", "approved", "refused"});
  expect_names<TranscriptParticipantKind>({"judge", "clerk", "agent", "party"});
  expect_names<AvoidanceStatus>({"open", "granted", "refused"});
  expect_names<EvidenceBatchStatus>({"open", "submitted"});
  expect_names<EvidenceItemStatus>({"added", "submitted", "received", "accepted", "rejected"});
  expect_names<EvidenceItemMark>({"received", "accepted", "rejected"});
  expect_names<EvidenceExchangeResult>({"agree", "disagree", "partly_agree"});
  expect_names<EvidenceExchangeStatus>({"sent", "opened", "answered", "lapsed"});
  expect_names<FileReviewStatus>({"applied", "approved", "refused"});
  expect_names<JudgeMessageStatus>({"sent", "read", "replied"});
}

TEST(EnumNamesTest, AValueThatIsNoEnumeratorIsUnknown) {
  EXPECT_EQ(enum_name(static_cast<FilingStatus>(10)), "unknown");
  EXPECT_EQ(enum_name(static_cast<ServiceStatus>(4)), "unknown");
  EXPECT_EQ(enum_from_name<FilingStatus>("unknown"), std::nullopt);
  EXPECT_EQ(enum_from_name<FilingStatus>(""), std::nullopt);
  EXPECT_EQ(enum_from_name<FilingStatus>("Draft"), std::nullopt);
}

TEST(EnumNamesTest, TheRuleDropsTheLeadingKAndTrailingUnderscoreAndSnakeCases) {
  EXPECT_EQ(wire_name_of_enumerator("kNaturalPerson"), "natural_person");
  EXPECT_EQ(wire_name_of_enumerator("kNoShow"), "no_show");
  EXPECT_EQ(wire_name_of_enumerator("signed_"), "signed");
  EXPECT_EQ(wire_name_of_enumerator("court_system"), "court_system");
  EXPECT_EQ(wire_name_of_enumerator("kind"), "kind");
}

TEST(EnumNamesTest, ChoicesPairEachNameWithItsValue) {
  const auto choices = enum_choices<HearingAbsenceKind>();
  ASSERT_EQ(choices.size(), 2u);
  EXPECT_EQ(choices[0].first, "no_show");
  EXPECT_EQ(choices[0].second, HearingAbsenceKind::kNoShow);
  EXPECT_EQ(choices[1].first, "left_midway");
  EXPECT_EQ(choices[1].second, HearingAbsenceKind::kLeftMidway);
}

TEST(EnumNamesTest, HotlineEnumsKeepTheirNames) {
  expect_names<HotlineRequestKind>(
      {"enquiry", "case_postponement", "contact_judge", "refund", "petition", "complaint"});
  expect_names<HotlineChannel>({"online", "phone"});
  expect_names<HotlineRequestStatus>({"open", "forwarded", "answered"});
}

}  // namespace
}  // namespace docket::domain
