// The case aggregate: registration, binding of old cases, who may act, consent, file review,
// messages to the judge, withdrawal and closing. Hearings and evidence have their own files.
#include "docket/domain/case.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "case_fixture.h"
#include "case_generated.h"

namespace docket::domain {
namespace {

using case_testing::as;
using case_testing::CaseUnderTest;
using case_testing::judge;
using case_testing::kCourt;
using case_testing::kDay;
using case_testing::kHash;
using case_testing::kNow;
using case_testing::kSecrets;
using case_testing::lawyer;
using case_testing::system_actor;

const std::string kCaseNumber = "(2026)渝0103民初1234号";

// Unlike the shared fixture's, this court system may belong to another court.
Principal court_system(std::string court = kCourt) {
  return {"cms-" + court, Role::kCourtSystem, court};
}

RegisterCase registration(std::int64_t accepted_on_us = kNow - kDay) {
  RegisterCase r;
  r.case_number = kCaseNumber;
  r.court = kCourt;
  r.category = "民初";
  r.judge = "J001";
  r.filing_id = "F1";
  r.accepted_on_us = accepted_on_us;
  r.parties = {
      CaseParty{"p1", "张三", CasePartyKind::kNaturalPerson, CasePartyRole::kPlaintiff,
                "500101199001011234", std::nullopt},
      CaseParty{"p2", "某公司", CasePartyKind::kLegalPerson, CasePartyRole::kDefendant,
                "91500000MA5U000000", std::nullopt},
  };
  r.agents = {CaseAgent{"L1", "500101198001011111", "李律师", "甲律所", {"p1"}},
              CaseAgent{"L2", "500101198001012222", "王律师", "乙律所", {"p2"}}};
  return r;
}

CaseUnderTest registered_case() {
  CaseUnderTest c;
  EXPECT_TRUE(c.run(registration(), as(system_actor())));
  return c;
}

// An old case, and two lawyers with accounts who may try to bind it.
CaseUnderTest legacy_case() {
  CaseUnderTest c;
  c.facts.add_lawyer("L9", "赵律师", "丙律所", "500101198501013333");
  c.facts.add_lawyer("L8", "钱律师", "丁律所", "500101198501014444");
  RegisterCase r = registration(CaseAggregate::kLegacyCutoffUs - kDay);
  r.agents.clear();
  r.query_code = "Q-2017-889";
  r.password = "pw123456";
  EXPECT_TRUE(c.run(r, as(court_system())));
  return c;
}

BindLegacyCase bind(std::string code, std::string password) {
  return BindLegacyCase{std::move(code), std::move(password)};
}

using case_testing::fields;
using case_testing::types;

TEST(CaseTest, StreamIdIsTheCaseNumber) {
  EXPECT_EQ(case_stream(kCaseNumber), "case-" + kCaseNumber);
  EXPECT_EQ(evidence_exchange_deadline_timer(case_stream("N1"), "X1"),
            "case-N1/evidence-exchange/X1/deadline");
}

TEST(CaseTest, RegisteredBySystemOrItsOwnCourtSystemOnly) {
  for (const Principal& who : {lawyer("L1"), judge(), court_system("渝0105")}) {
    CaseUnderTest c;
    auto outcome = c.run(registration(), as(who));
    ASSERT_FALSE(outcome) << who.id;
    EXPECT_EQ(outcome.error().code, RejectionCode::kForbidden);
  }
  CaseUnderTest by_court;
  ASSERT_TRUE(by_court.run(registration(), as(court_system())));
  CaseUnderTest by_reaction = registered_case();
  EXPECT_TRUE(by_reaction.state.exists);
  EXPECT_EQ(by_reaction.state.court, kCourt);
  EXPECT_EQ(by_reaction.state.judge, "J001");
  EXPECT_EQ(by_reaction.state.parties.size(), 2u);
  EXPECT_EQ(by_reaction.state.agents.size(), 2u);
  EXPECT_EQ(by_reaction.state.status, CaseStatus::kOpen);
}

TEST(CaseTest, RegistrationListsEveryViolationAtOnce) {
  RegisterCase r = registration();
  r.case_number.clear();
  r.parties[1].role = CasePartyRole::kThirdParty;  // no defendant left
  r.parties.push_back(r.parties[0]);               // duplicate party id, second plaintiff
  r.agents[0].represents = {"p9"};
  CaseUnderTest c;
  auto outcome = c.run(r, as(system_actor()));
  ASSERT_FALSE(outcome);
  EXPECT_EQ(outcome.error().code, RejectionCode::kValidation);
  EXPECT_EQ(fields(outcome.error()), (std::vector<std::string>{"case_number", "parties[2].party_id",
                                                               "parties", "agents[0].represents"}));
  EXPECT_NE(outcome.error().message.find("Expected"), std::string::npos);
  EXPECT_TRUE(c.events.empty());
}

// Manual §3.3.7: cases are linked to a lawyer by licence number *and* identity number.
TEST(CaseTest, AnAgentRecordedByIdentityNumberIsTheLawyerWithThatIdentity) {
  CaseUnderTest c;
  c.facts.add_lawyer("L9", "赵律师", "丙律所", "500101198501013333");
  c.facts.add_lawyer("L8", "钱律师", "丁律所", "500101198501014444");
  RegisterCase r = registration();
  // No licence at all, and a licence that names nobody (a typo) beside the right identity.
  r.agents = {CaseAgent{"", "500101198501013333", "赵律师", "丙律所", {"p1"}},
              CaseAgent{"L-TYPO", "500101198501014444", "钱律师", "丁律所", {"p2"}}};
  ASSERT_TRUE(c.run(r, as(court_system())));
  EXPECT_TRUE(is_case_agent(c.state, lawyer("L9"), c.facts));
  EXPECT_TRUE(is_case_agent(c.state, lawyer("L8"), c.facts));
  EXPECT_FALSE(is_case_agent(c.state, lawyer("L1"), c.facts));
  // And acts on it as an agent.
  EXPECT_TRUE(c.run(ApplyForFileReview{"A1", "prepare for appeal"}, as(lawyer("L9"))));
  // A lawyer whose account has no identity number is linked by licence only.
  c.facts.lawyers["L9"].id_number.clear();
  EXPECT_FALSE(is_case_agent(c.state, lawyer("L9"), c.facts));
}

TEST(CaseTest, AnAgentNeedsALicenceOrAnIdentityNumberAndNeitherRepeats) {
  RegisterCase r = registration();
  r.agents = {CaseAgent{"", "", "无名", "", {}},
              CaseAgent{"L1", "500101198001011111", "李律师", "甲律所", {"p1"}},
              CaseAgent{"", "500101198001011111", "李律师", "甲律所", {"p1"}}};
  CaseUnderTest c;
  auto outcome = c.run(r, as(system_actor()));
  ASSERT_FALSE(outcome);
  EXPECT_EQ(fields(outcome.error()),
            (std::vector<std::string>{"agents[0].licence_number", "agents[2].id_number"}));
  EXPECT_TRUE(c.events.empty());
}

TEST(CaseTest, RegisteringTwiceIsAConflict) {
  CaseUnderTest c = registered_case();
  auto outcome = c.run(registration(), as(system_actor()));
  ASSERT_FALSE(outcome);
  EXPECT_EQ(outcome.error().code, RejectionCode::kConflict);
}

TEST(CaseTest, OldCaseNeedsQueryCodeAndPasswordAtRegistration) {
  CaseUnderTest c;
  auto outcome = c.run(registration(CaseAggregate::kLegacyCutoffUs - 1), as(court_system()));
  ASSERT_FALSE(outcome);
  EXPECT_EQ(fields(outcome.error()), (std::vector<std::string>{"query_code", "password"}));
  // A case accepted on 2018-09-01 (China Standard Time) or later needs none.
  CaseUnderTest later;
  ASSERT_TRUE(later.run(registration(CaseAggregate::kLegacyCutoffUs), as(court_system())));
  EXPECT_FALSE(later.state.legacy_binding.has_value());
}

TEST(CaseTest, OldCaseCredentialsAreAKeyedDigestInTheCredentialStoreAndNothingInTheLog) {
  CaseUnderTest c = legacy_case();
  ASSERT_TRUE(c.state.legacy_binding.has_value());
  const std::string digest =
      kSecrets.keyed_digest(kLegacyBindingPurpose, std::string("Q-2017-889") + '\0' + "pw123456");
  EXPECT_EQ(c.facts.credential(case_stream(kCaseNumber), CredentialKind::kLegacyBinding), digest);
  ASSERT_EQ(c.events.at(0).type, "CaseRegistered");
  EXPECT_EQ(c.events.at(0).schema_version, 2u);
  for (const auto& event : c.events) {
    EXPECT_EQ(event.payload.find("Q-2017-889"), std::string::npos);
    EXPECT_EQ(event.payload.find("pw123456"), std::string::npos);
    EXPECT_EQ(event.payload.find(digest), std::string::npos);
  }
}

TEST(CaseTest, BindingWithTheRightCredentialsAddsTheLawyerAsAgent) {
  CaseUnderTest c = legacy_case();
  auto outcome = c.run(bind("Q-2017-889", "pw123456"), as(lawyer("L9")));
  ASSERT_TRUE(outcome);
  EXPECT_EQ(types(outcome), (std::vector<std::string>{"LawyerBoundToCase"}));
  ASSERT_TRUE(is_case_agent(c.state, lawyer("L9"), c.facts));
  // As the lawyer's account says.
  EXPECT_EQ(c.state.agents.back().identity_number, "500101198501013333");
  EXPECT_EQ(c.state.agents.back().name, "赵律师");
  EXPECT_EQ(c.state.agents.back().firm, "丙律所");
  // Bound lawyers act on the case.
  EXPECT_TRUE(c.run(ApplyForFileReview{"A1", "prepare for appeal"}, as(lawyer("L9"))));
  // Binding again is refused: already an agent.
  auto again = c.run(bind("Q-2017-889", "pw123456"), as(lawyer("L9")));
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, RejectionCode::kInvalidState);
}

TEST(CaseTest, BindingChecksTheCredentialsAgainstTheDigestInTheCredentialStore) {
  CaseUnderTest c = legacy_case();
  c.facts.credentials.clear();  // the store lost the notice's digest
  auto outcome = c.run(bind("Q-2017-889", "pw123456"), as(lawyer("L9")));
  ASSERT_TRUE(outcome);
  EXPECT_EQ(types(outcome), (std::vector<std::string>{"LegacyBindingFailed"}));
  ASSERT_TRUE(outcome->rejection.has_value());
  EXPECT_EQ(outcome->rejection->code, RejectionCode::kForbidden);
  EXPECT_FALSE(is_case_agent(c.state, lawyer("L9"), c.facts));
}

TEST(CaseTest, WrongBindingCountsAnAttemptOfThatLawyerAndFiveLockThatLawyerForADay) {
  CaseUnderTest c = legacy_case();
  for (std::uint32_t attempt = 1; attempt <= 5; ++attempt) {
    auto outcome = c.run(bind("Q-2017-889", "wrong"), as(lawyer("L9"), kNow + attempt));
    ASSERT_TRUE(outcome) << attempt;
    EXPECT_EQ(types(outcome), (std::vector<std::string>{"LegacyBindingFailed"}));
    EXPECT_EQ(outcome->events.front().schema_version, 2u);
    ASSERT_TRUE(outcome->rejection.has_value()) << "recorded, and rejected all the same";
    EXPECT_EQ(outcome->rejection->code, RejectionCode::kForbidden);
    EXPECT_EQ(c.state.legacy_binding->failures.at("L9").size(), attempt);
    EXPECT_FALSE(is_case_agent(c.state, lawyer("L9"), c.facts));
  }
  auto locked = c.run(bind("Q-2017-889", "pw123456"), as(lawyer("L9"), kNow + 10));
  ASSERT_FALSE(locked);
  EXPECT_EQ(locked.error().code, RejectionCode::kPolicy);
  EXPECT_TRUE(locked.error().message.starts_with("Expected fewer than 5 wrong binding attempts"))
      << locked.error().message;
  EXPECT_FALSE(is_case_agent(c.state, lawyer("L9"), c.facts));
  // 24 hours after the first wrong attempt, that lawyer may try again.
  auto still = c.run(bind("Q-2017-889", "pw123456"), as(lawyer("L9"), kNow + kDay));
  ASSERT_FALSE(still);
  ASSERT_TRUE(c.run(bind("Q-2017-889", "pw123456"), as(lawyer("L9"), kNow + 1 + kDay)));
  EXPECT_TRUE(is_case_agent(c.state, lawyer("L9"), c.facts));
}

// Regression: five wrong guesses by anyone locked binding for everyone, for good.
TEST(CaseTest, AnotherLawyersWrongGuessesLeaveTheRightfulLawyerAbleToBind) {
  CaseUnderTest c = legacy_case();
  for (int attempt = 0; attempt < 8; ++attempt)
    (void)c.run((bind)("Q-2017-889", "guess-" + std::to_string(attempt)), as(lawyer("L8")));
  auto refused = c.run(bind("Q-2017-889", "pw123456"), as(lawyer("L8")));
  ASSERT_FALSE(refused) << "the guesser is locked";
  auto rightful = c.run(bind("Q-2017-889", "pw123456"), as(lawyer("L9")));
  ASSERT_TRUE(rightful) << rightful.error().message;
  EXPECT_EQ(types(rightful), (std::vector<std::string>{"LawyerBoundToCase"}));
  EXPECT_TRUE(is_case_agent(c.state, lawyer("L9"), c.facts));
}

TEST(CaseTest, BindingIsOnlyForCasesAcceptedBefore20180901) {
  CaseUnderTest c = registered_case();
  auto outcome = c.run(bind("any", "any"), as(lawyer("L9")));
  ASSERT_FALSE(outcome);
  EXPECT_EQ(outcome.error().code, RejectionCode::kInvalidState);
}

TEST(CaseTest, OnlyAgentsOfTheCaseActAsLawyer) {
  CaseUnderTest c = registered_case();
  const SendMessageToJudge message{"M1", "Hearing date", "Could we talk?", {}};
  auto stranger = c.run(message, as(lawyer("L9")));
  ASSERT_FALSE(stranger);
  EXPECT_EQ(stranger.error().code, RejectionCode::kForbidden);
  // A judge or clerk is not a lawyer agent either, even with an agent's id.
  auto not_a_lawyer = c.run(message, as(Principal{"L1", Role::kClerk, kCourt}));
  ASSERT_FALSE(not_a_lawyer);
  EXPECT_EQ(not_a_lawyer.error().code, RejectionCode::kForbidden);
  EXPECT_TRUE(c.run(message, as(lawyer("L1"))));
}

TEST(CaseTest, OnlyTheJudgeInChargeOrTheCourtSystemDoesJudgeActions) {
  CaseUnderTest c = registered_case();
  const AddCaseFileMaterial material{"D1", "Complaint", kHash};
  for (const Principal& who :
       {judge("J002"), lawyer("L1"), court_system("渝0105"), Principal{"C1", Role::kClerk, kCourt},
        Principal{"J001", Role::kJudge, "渝0105"}}) {
    auto outcome = c.run(material, as(who));
    ASSERT_FALSE(outcome) << who.id;
    EXPECT_EQ(outcome.error().code, RejectionCode::kForbidden);
  }
  EXPECT_TRUE(c.run(material, as(judge())));
  EXPECT_TRUE(c.run(AddCaseFileMaterial{"D2", "Defence", kHash}, as(court_system())));
}

TEST(CaseTest, TheCourtSystemAssignsTheJudgeInCharge) {
  CaseUnderTest c = registered_case();
  auto by_judge = c.run(AssignJudge{"J002"}, as(judge()));
  ASSERT_FALSE(by_judge);
  EXPECT_EQ(by_judge.error().code, RejectionCode::kForbidden);
  ASSERT_TRUE(c.run(AssignJudge{"J002"}, as(court_system())));
  EXPECT_EQ(c.state.judge, "J002");
  // The former judge no longer acts; the new one does.
  EXPECT_FALSE(c.run(CloseCase{"settled"}, as(judge("J001"))));
  auto same = c.run(AssignJudge{"J002"}, as(court_system()));
  ASSERT_TRUE(same);
  EXPECT_TRUE(same->events.empty());
}

TEST(CaseTest, OnlineConsentIsRecordedByTheRepresentingAgentOrTheJudgeSide) {
  CaseUnderTest c = registered_case();
  auto other_side = c.run(RecordOnlineHearingConsent{"p1", true}, as(lawyer("L2")));
  ASSERT_FALSE(other_side);
  EXPECT_EQ(other_side.error().code, RejectionCode::kForbidden);
  ASSERT_TRUE(c.run(RecordOnlineHearingConsent{"p1", true}, as(lawyer("L1"))));
  EXPECT_EQ(c.state.parties[0].online_hearing_consent, std::optional<bool>(true));
  ASSERT_TRUE(c.run(RecordOnlineHearingConsent{"p2", false}, as(judge())));
  EXPECT_EQ(c.state.parties[1].online_hearing_consent, std::optional<bool>(false));
  auto unknown = c.run(RecordOnlineHearingConsent{"p9", true}, as(judge()));
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, RejectionCode::kNotFound);
}

TEST(CaseTest, MessageToTheJudgeIsSentReadAndReplied) {
  CaseUnderTest c = registered_case();
  ASSERT_TRUE(c.run(
      SendMessageToJudge{
          "M1", "Evidence", "Please see the attachment.", {CaseAttachment{"contract.pdf", kHash}}},
      as(lawyer("L1"), kNow + 1)));
  EXPECT_EQ(c.state.messages.at("M1").status, JudgeMessageStatus::kSent);
  EXPECT_EQ(c.state.messages.at("M1").attachments.size(), 1u);
  ASSERT_TRUE(c.run(MarkMessageRead{"M1"}, as(judge(), kNow + 2)));
  EXPECT_EQ(c.state.messages.at("M1").status, JudgeMessageStatus::kRead);
  EXPECT_EQ(c.state.messages.at("M1").read_at_us, kNow + 2);
  auto lawyer_reply = c.run(ReplyToMessage{"M1", "ok", {}}, as(lawyer("L1")));
  ASSERT_FALSE(lawyer_reply);
  EXPECT_EQ(lawyer_reply.error().code, RejectionCode::kForbidden);
  ASSERT_TRUE(c.run(ReplyToMessage{"M1", "Received, thank you.", {}}, as(judge(), kNow + 3)));
  EXPECT_EQ(c.state.messages.at("M1").status, JudgeMessageStatus::kReplied);
  EXPECT_EQ(c.state.messages.at("M1").reply_body, "Received, thank you.");
  auto twice = c.run(ReplyToMessage{"M1", "again", {}}, as(judge()));
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error().code, RejectionCode::kInvalidState);
}

TEST(CaseTest, MessageNeedsTitleBodyAndAttachmentsByBlobHash) {
  CaseUnderTest c = registered_case();
  auto outcome =
      c.run(SendMessageToJudge{"M1", "", "", {CaseAttachment{"", "not-a-hash"}}}, as(lawyer("L1")));
  ASSERT_FALSE(outcome);
  EXPECT_EQ(outcome.error().code, RejectionCode::kValidation);
  EXPECT_EQ(fields(outcome.error()),
            (std::vector<std::string>{"title", "body", "attachments[0].name",
                                      "attachments[0].blob_hash"}));
}

CaseUnderTest case_with_file() {
  CaseUnderTest c = registered_case();
  EXPECT_TRUE(c.run(AddCaseFileMaterial{"D1", "Complaint", kHash}, as(court_system())));
  EXPECT_TRUE(c.run(AddCaseFileMaterial{"D2", "Hearing transcript", kHash}, as(court_system())));
  EXPECT_TRUE(c.run(AddCaseFileMaterial{"D3", "Internal note", kHash}, as(court_system())));
  EXPECT_TRUE(c.run(ApplyForFileReview{"A1", "prepare the closing statement"}, as(lawyer("L1"))));
  return c;
}

TEST(CaseTest, FileReviewNeedsAReason) {
  CaseUnderTest c = registered_case();
  auto outcome = c.run(ApplyForFileReview{"A1", ""}, as(lawyer("L1")));
  ASSERT_FALSE(outcome);
  EXPECT_EQ(fields(outcome.error()), (std::vector<std::string>{"reason"}));
}

TEST(CaseTest, FileReviewApprovesAChosenSubsetForAWindow) {
  CaseUnderTest c = case_with_file();
  auto bad = c.run(ApproveFileReview{"A1", {"D1", "D9", "D1"}, kNow + kDay, kNow}, as(judge()));
  ASSERT_FALSE(bad);
  EXPECT_EQ(fields(bad.error()), (std::vector<std::string>{"material_ids[1]", "material_ids[2]",
                                                           "until_us", "until_us"}));
  ASSERT_TRUE(c.run(ApproveFileReview{"A1", {"D1", "D2"}, kNow, kNow + 7 * kDay}, as(judge())));
  const FileReview& review = c.state.file_reviews.at("A1");
  EXPECT_EQ(review.status, FileReviewStatus::kApproved);
  EXPECT_EQ(review.material_ids, (std::vector<std::string>{"D1", "D2"}));
  auto again = c.run(RefuseFileReview{"A1", "changed my mind"}, as(judge()));
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, RejectionCode::kInvalidState);
}

TEST(CaseTest, FileReviewRefusalNeedsAReason) {
  CaseUnderTest c = case_with_file();
  EXPECT_FALSE(c.run(RefuseFileReview{"A1", ""}, as(judge())));
  ASSERT_TRUE(c.run(RefuseFileReview{"A1", "not a party's agent for this stage"}, as(judge())));
  EXPECT_EQ(c.state.file_reviews.at("A1").status, FileReviewStatus::kRefused);
  auto read = c.run(RecordFileReviewAccess{"A1", "D1"}, as(lawyer("L1")));
  ASSERT_FALSE(read);
  EXPECT_EQ(read.error().code, RejectionCode::kInvalidState);
}

TEST(CaseTest, FileReviewReadsOnlyApprovedMaterialsInsideTheWindowAndRecordsEach) {
  CaseUnderTest c = case_with_file();
  ASSERT_TRUE(
      c.run(ApproveFileReview{"A1", {"D1", "D2"}, kNow + kDay, kNow + 3 * kDay}, as(judge())));
  auto early = c.run(RecordFileReviewAccess{"A1", "D1"}, as(lawyer("L1"), kNow));
  ASSERT_FALSE(early);
  EXPECT_EQ(early.error().code, RejectionCode::kPolicy);
  auto not_approved = c.run(RecordFileReviewAccess{"A1", "D3"}, as(lawyer("L1"), kNow + kDay));
  ASSERT_FALSE(not_approved);
  EXPECT_EQ(not_approved.error().code, RejectionCode::kForbidden);
  auto other_lawyer = c.run(RecordFileReviewAccess{"A1", "D1"}, as(lawyer("L2"), kNow + kDay));
  ASSERT_FALSE(other_lawyer);
  EXPECT_EQ(other_lawyer.error().code, RejectionCode::kForbidden);
  ASSERT_TRUE(c.run(RecordFileReviewAccess{"A1", "D1"}, as(lawyer("L1"), kNow + kDay)));
  ASSERT_TRUE(c.run(RecordFileReviewAccess{"A1", "D1"}, as(lawyer("L1"), kNow + 2 * kDay)));
  ASSERT_TRUE(c.run(RecordFileReviewAccess{"A1", "D2"}, as(lawyer("L1"), kNow + 2 * kDay)));
  auto late = c.run(RecordFileReviewAccess{"A1", "D1"}, as(lawyer("L1"), kNow + 3 * kDay));
  ASSERT_FALSE(late);
  EXPECT_EQ(late.error().code, RejectionCode::kPolicy);
  const auto& accesses = c.state.file_reviews.at("A1").accesses;
  ASSERT_EQ(accesses.size(), 3u);
  EXPECT_EQ(accesses[0], (FileReviewAccess{"D1", kNow + kDay}));
  EXPECT_EQ(accesses[2], (FileReviewAccess{"D2", kNow + 2 * kDay}));
}

TEST(CaseTest, WithdrawnIsAStateThatStopsFurtherProceedings) {
  CaseUnderTest c = registered_case();
  auto by_lawyer = c.run(WithdrawCase{"unpaid", "payment-F1"}, as(lawyer("L1")));
  ASSERT_FALSE(by_lawyer);
  EXPECT_EQ(by_lawyer.error().code, RejectionCode::kForbidden);
  ASSERT_TRUE(c.run(WithdrawCase{"litigation fee unpaid", "payment-F1"}, as(system_actor())));
  EXPECT_EQ(c.state.status, CaseStatus::kWithdrawn);
  EXPECT_EQ(c.state.withdrawal_notice, "payment-F1");
  ScheduleHearing hearing{"H1", kNow + 5 * kDay, 60, "第一法庭", false, ""};
  auto outcome = c.run(hearing, as(judge()));
  ASSERT_FALSE(outcome);
  EXPECT_EQ(outcome.error().code, RejectionCode::kInvalidState);
  // A second lapse (or a late reaction) changes nothing.
  auto again = c.run(WithdrawCase{"again", "payment-F1"}, as(system_actor()));
  ASSERT_TRUE(again);
  EXPECT_TRUE(again->events.empty());
}

TEST(CaseTest, ClosingNeedsTheJudgeSideAndAReason) {
  CaseUnderTest c = registered_case();
  EXPECT_FALSE(c.run(CloseCase{""}, as(judge())));
  auto by_lawyer = c.run(CloseCase{"done"}, as(lawyer("L1")));
  ASSERT_FALSE(by_lawyer);
  EXPECT_EQ(by_lawyer.error().code, RejectionCode::kForbidden);
  ASSERT_TRUE(c.run(CloseCase{"judgment served"}, as(judge())));
  EXPECT_EQ(c.state.status, CaseStatus::kClosed);
  auto twice = c.run(CloseCase{"again"}, as(judge()));
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error().code, RejectionCode::kInvalidState);
  // The file can still be read after closing.
  EXPECT_TRUE(c.run(ApplyForFileReview{"A1", "appeal"}, as(lawyer("L1"))));
}

TEST(CaseTest, CommandsOnAnUnregisteredCaseAreNotFound) {
  CaseUnderTest c;
  auto outcome = c.run(SendMessageToJudge{"M1", "t", "b", {}}, as(lawyer("L1")));
  ASSERT_FALSE(outcome);
  EXPECT_EQ(outcome.error().code, RejectionCode::kNotFound);
}

TEST(CaseTest, RegisteredEventCarriesTheCaseAsRegistered) {
  CaseUnderTest c = registered_case();
  ASSERT_EQ(c.events.size(), 1u);
  const auto* registered = flatbuffers::GetRoot<fb::CaseRegistered>(c.events[0].payload.data());
  EXPECT_EQ(registered->case_number()->str(), kCaseNumber);
  EXPECT_EQ(registered->agents()->size(), 2u);
  EXPECT_EQ(c.events[0].schema_version, 2u);
}

}  // namespace
}  // namespace docket::domain
