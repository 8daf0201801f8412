// Facts come from the streams that own them, never from the requester; a fact that cannot be
// read fails the command.
#include <memory>
#include <string>
#include <string_view>

#include "docket/app/engine_decider.h"
#include "docket/domain/fee.h"
#include "platform_fixture.h"

namespace docket::app::testing {
namespace {

using namespace domain;  // NOLINT(google-build-using-namespace)

using FactsTest = PlatformTest;

TEST_F(FactsTest, AgentsAreFilledFromTheLawyersAccounts) {
  fill_wizard("f1");
  const FilingState f = filing("f1");
  ASSERT_EQ(f.agents.size(), 2u);
  EXPECT_EQ(f.agents[0].name, "张明");
  EXPECT_EQ(f.agents[0].firm, "重庆山城律师事务所");
  EXPECT_EQ(f.agents[0].id_number, "500103198001010011");
  EXPECT_EQ(f.agents[0].phone, "13800000001");
  EXPECT_EQ(f.agents[1].name, "李华");
}

TEST_F(FactsTest, AnAgentWithoutAnActiveAccountIsRefused) {
  fill_wizard("f1");
  auto failure = refused<FilingAggregate>(
      "filing-f1",
      SaveAgents{{FilingAgent{kFiler.id, "", "", "", "", {"p1"}},
                  FilingAgent{"15001201899999999", "某", "某所", "1", "2", {"p1"}}}},
      kFiler);
  ASSERT_TRUE(std::holds_alternative<Rejection>(failure));
  ASSERT_EQ(std::get<Rejection>(failure).violations.size(), 1u);
  EXPECT_EQ(std::get<Rejection>(failure).violations[0].field, "agents[1].licence_number");
}

TEST_F(FactsTest, TheCourtsNameAndRegistrationComeFromTheCourt) {
  fill_wizard("f1");
  EXPECT_EQ(filing("f1").court_name, "重庆市渝中区人民法院");
  auto failure = refused<FilingAggregate>("filing-f1", ChooseCourt{"渝9999"}, kFiler);
  EXPECT_EQ(failure_code(failure), "not_found");
}

TEST_F(FactsTest, ASubmissionIsCheckedAgainstTheChosenCourtsCodeLists) {
  fill_wizard("f1");
  must<FilingAggregate>("filing-f1", ChooseCaseCategory{"maritime", "complaint"}, kFiler);
  auto failure = refused<FilingAggregate>("filing-f1", SubmitFiling{}, kFiler);
  ASSERT_TRUE(std::holds_alternative<Rejection>(failure));
  bool names_category = false;
  for (const auto& v : std::get<Rejection>(failure).violations)
    names_category = names_category || v.field.find("category") != std::string::npos;
  EXPECT_TRUE(names_category) << failure_message(failure);
}

TEST_F(FactsTest, TheReviewPeriodComesFromTheCourtPolicy) {
  CourtPolicy policy = state<CourtAggregate>("court-渝0103").policy;
  policy.review_period_us = 3 * kDayUs;
  must<CourtAggregate>("court-渝0103", ChangeCourtPolicy{policy}, kAdmin);
  submitted("f1");
  EXPECT_EQ(filing("f1").review_due_at_us, clock_.now_us() + 3 * kDayUs);
}

TEST_F(FactsTest, TheFeePayersCaseNumberAndDueDateComeFromTheFilingAndItsCourt) {
  submitted("f1");
  ASSERT_TRUE(platform().accept_filing("f1", as(kClerk)));
  IssuePaymentNotice notice{"f1"};
  // A lawyer may not issue notices at all.
  EXPECT_EQ(failure_code(refused<PaymentAggregate>("payment-f1", notice, kFiler)), "forbidden");
  // A clerk may; the amount, payers, case number and due date come from the streams.
  must<PaymentAggregate>("payment-f1", notice, kClerk);
  const PaymentNoticeState issued = payment("f1");
  EXPECT_EQ(issued.amount_fen, kExpectedFeeFen);
  auto schedule = state<CourtAggregate>("court-渝0103").policy.fee_schedule;
  EXPECT_EQ(issued.amount_fen, *fee_for(schedule, "civil_first_instance", kAmountInDisputeFen));
  EXPECT_EQ(issued.payers, (std::vector<std::string>{kFiler.id, kCoAgent.id}));
  EXPECT_EQ(issued.case_number, "(2026)渝0103民初1号");
  EXPECT_EQ(issued.due_at_us, clock_.now_us() + CourtPolicy{}.fee_due_period_us);
  // The reaction then finds the notice issued and decides nothing.
  ASSERT_TRUE(platform().settle());
  EXPECT_EQ(count("PaymentNoticeIssued"), 1u);
}

TEST_F(FactsTest, AClerkOfAnotherCourtNeitherAcceptsNorAllocates) {
  submitted("f1");
  const auto before = last();
  auto refused = platform().accept_filing("f1", as(Principal{"clerk09", Role::kClerk, "渝0105"}));
  ASSERT_FALSE(refused);
  EXPECT_EQ(failure_code(refused.error()), "forbidden");
  EXPECT_EQ(last(), before);
}

TEST_F(FactsTest, AcceptingAFilingThatIsNotSubmittedAllocatesNoCaseNumber) {
  fill_wizard("f1");
  const auto before = last();
  auto refused = platform().accept_filing("f1", as(kClerk));
  ASSERT_FALSE(refused);
  EXPECT_EQ(failure_code(refused.error()), "invalid_state");
  EXPECT_EQ(last(), before);
}

TEST_F(FactsTest, TheAvoidanceFormCarriesThePhoneOfTheLawyersAccount) {
  const std::string number = registered("f1");
  must<CaseAggregate>(case_stream(number), AssignJudge{kJudge.id}, kCourtSystem);
  must<CaseAggregate>(
      case_stream(number),
      ScheduleHearing{"h1", clock_.now_us() + 10 * kDayUs, 120, "第三法庭", false, ""}, kJudge);
  must<CaseAggregate>(case_stream(number), RequestHearingAvoidance{"h1", "r1", "另有开庭"}, kFiler);
  const CaseState c = kase(number);
  ASSERT_EQ(c.hearings.at("h1").avoidance_requests.size(), 1u);
  EXPECT_EQ(c.hearings.at("h1").avoidance_requests[0].phone, "13800000001");
}

TEST_F(FactsTest, ACommandMustNameTheStreamItCreates) {
  auto failure = refused<CourtAggregate>(
      "court-渝0104", RegisterCourt{"渝0105", "某法院", CourtCodeLists{}, CourtPolicy{}}, kAdmin);
  EXPECT_EQ(failure_code(failure), "validation");
  failure = refused<LawyerAggregate>(
      "lawyer-1", RegisterFromRoster{"所", "名", "2", "500", "138", "a@b.c"}, kAdmin);
  EXPECT_EQ(failure_code(failure), "validation");
  failure = refused<FilingAggregate>("case-x", AcceptFilingNotice{}, kFiler);
  EXPECT_EQ(failure_code(failure), "validation");
  failure = refused<StaffAggregate>(
      "staff-clerk02", RegisterStaff{"clerk03", "某", Role::kClerk, "渝0103", "long-enough", ""},
      kAdmin);
  EXPECT_EQ(failure_code(failure), "validation");
}

// Facts whose every read fails, as a storage error would.
class UnreadableFacts final : public FallibleFacts {
 public:
  const CourtState& court(std::string_view) const override { return fail(court_); }
  const LawyerState& lawyer(std::string_view) const override { return fail(lawyer_); }
  const FilingState& filing(std::string_view) const override { return fail(filing_); }
  const CaseState& case_state(std::string_view) const override { return fail(case_); }
  const StaffState& staff(std::string_view) const override { return fail(staff_); }
  const HotlineRequestState& hotline_request(std::string_view) const override {
    return fail(hotline_);
  }
  std::string credential(std::string_view, CredentialKind) const override {
    failed(engine::Error{engine::ErrorCode::kIo,
                         "Expected to read a credential, but the disk "
                         "failed"});
    return {};
  }

 private:
  template <class S>
  const S& fail(const S& empty) const {
    failed(engine::Error{engine::ErrorCode::kIo, "Expected to read a fact, but the disk failed"});
    return empty;
  }
  CourtState court_;
  LawyerState lawyer_;
  FilingState filing_;
  CaseState case_;
  StaffState staff_;
  HotlineRequestState hotline_;
};

TEST_F(FactsTest, AFactThatCannotBeReadFailsTheCommandAndDecidesNothing) {
  fill_wizard("f1");
  const auto before = last();
  // A decision made without the court it read (as though unregistered) must not stand.
  CommandContext ctx;
  ctx.now_us = clock_.now_us();
  ctx.actor = kFiler;
  ctx.entropy = std::string(32, 'e');
  ctx.give(std::make_shared<UnreadableFacts>());
  auto decided = EngineDecider<FilingAggregate>::decide(filing("f1"), ChooseCourt{"渝0103"}, ctx);
  ASSERT_TRUE(decided) << "a read error is not the decider's rejection";
  ASSERT_TRUE(decided->read_error.has_value());
  EXPECT_EQ(decided->read_error->code, engine::ErrorCode::kIo);
  EXPECT_TRUE(decided->events.empty());
  // Through the runner: the error is the command's, and nothing is written.
  auto ran = platform().runner<FilingAggregate>().handle("filing-f1", ChooseCourt{"渝0103"}, ctx,
                                                         engine::CommandOptions{});
  ASSERT_FALSE(ran);
  ASSERT_TRUE(std::holds_alternative<engine::Error>(ran.error()));
  EXPECT_EQ(std::get<engine::Error>(ran.error()).code, engine::ErrorCode::kIo);
  EXPECT_EQ(last(), before);
}

}  // namespace
}  // namespace docket::app::testing
