// The filing's life on the engine: the wizard, review, the reactions that register the case and
// issue the payment notice, and the deadlines that the timers run.
#include <rocksdb/db.h>

#include "docket/engine/format.h"
#include "docket/engine/reactor.h"
#include "platform_fixture.h"

namespace docket::app::testing {
namespace {

using namespace domain;  // NOLINT(google-build-using-namespace)

class FilingFlowTest : public PlatformTest {
 protected:
  void reset_reactor_checkpoint() {
    std::string zero;
    engine::format::put_u64be(zero, 0);
    auto* family = store().column_family(engine::format::kCfCheckpoints);
    ASSERT_NE(family, nullptr);
    ASSERT_TRUE(store()
                    .db()
                    ->Put(rocksdb::WriteOptions(), family,
                          engine::Reactor::checkpoint_key("domain-reactions"), zero)
                    .ok());
  }
};

// Regression: the decider counted the review deadline from its own reading of the clock and the
// store stamped the event with a later one, so the deadline came 7 days minus the time between
// the two after the submission's recorded time (and likewise every deadline counted from "now").
TEST_F(FilingFlowTest, DeadlinesCountFromTheTimeTheirEventIsRecorded) {
  fill_wizard("f-time");
  clock_.tick_on_read(100);  // the clock moves on between any two readings
  must<FilingAggregate>("filing-f-time", SubmitFiling{}, kFiler);
  auto events = store().read_stream("filing-f-time", 1, 1000);
  ASSERT_TRUE(events) << events.error().message;
  ASSERT_FALSE(events->empty());
  const auto& submitted_event = events->back();
  ASSERT_EQ(submitted_event.type, event_type::kFilingSubmitted);
  EXPECT_EQ(filing("f-time").review_due_at_us,
            submitted_event.recorded_at_us + CourtPolicy{}.review_period_us);

  must<FilingAggregate>("filing-f-time",
                        RequestCorrection{{{"parties[1].id_number", "请核对被告统一社会信用代码"}}},
                        kClerk);
  events = store().read_stream("filing-f-time", 1, 1000);
  ASSERT_TRUE(events);
  const auto notice = filing("f-time").correction_notice;
  ASSERT_TRUE(notice.has_value());
  EXPECT_EQ(notice->deadline_at_us,
            events->back().recorded_at_us + CourtPolicy{}.correction_period_us);
  clock_.tick_on_read(0);
}

TEST_F(FilingFlowTest, AFilingCorrectedAndAcceptedIsRegisteredAndBilledExactlyOnce) {
  submitted("f1");
  EXPECT_EQ(filing("f1").status, FilingStatus::kSubmitted);

  // One correction notice; its period comes from the court policy, not from the clerk.
  const std::int64_t asked_at = clock_.now_us() + kDayUs;
  clock_.set(asked_at);
  must<FilingAggregate>("filing-f1",
                        RequestCorrection{{{"parties[1].id_number", "请核对被告统一社会信用代码"}}},
                        kClerk);
  auto corrected = filing("f1");
  ASSERT_EQ(corrected.status, FilingStatus::kCorrectionRequested);
  ASSERT_TRUE(corrected.correction_notice.has_value());
  EXPECT_EQ(corrected.correction_notice->deadline_at_us,
            asked_at + CourtPolicy{}.correction_period_us);

  // Resubmitted, then accepted by the clerk: the case number comes from the court's sequence.
  must<FilingAggregate>("filing-f1", SubmitFiling{}, kFiler);
  EXPECT_EQ(filing("f1").submissions, 2u);
  auto accepted = platform().accept_filing("f1", as(kClerk));
  ASSERT_TRUE(accepted) << describe(accepted.error());
  EXPECT_EQ(accepted->case_number, "(2026)渝0103民初1号");
  EXPECT_EQ(filing("f1").status, FilingStatus::kAccepted);
  EXPECT_FALSE(kase(accepted->case_number).exists) << "registered by the reactor, not inline";

  auto settled = platform().settle();
  ASSERT_TRUE(settled) << settled.error().message;
  const CaseState registered = kase(accepted->case_number);
  ASSERT_TRUE(registered.exists);
  EXPECT_EQ(registered.filing_id, "f1");
  EXPECT_EQ(registered.court, "渝0103");
  ASSERT_EQ(registered.agents.size(), 2u);
  EXPECT_EQ(registered.agents[0].name, "张明");
  const PaymentNoticeState notice = payment("f1");
  ASSERT_TRUE(notice.exists);
  EXPECT_EQ(notice.amount_fen, kExpectedFeeFen);
  EXPECT_EQ(notice.case_number, accepted->case_number);
  EXPECT_EQ(notice.payers, (std::vector<std::string>{kFiler.id, kCoAgent.id}));
  EXPECT_EQ(notice.due_at_us, asked_at + CourtPolicy{}.fee_due_period_us);

  // The reactor sees everything again: nothing new happens.
  const auto before = last();
  reset_reactor_checkpoint();
  reopen();
  EXPECT_EQ(platform().reactor().checkpoint(), 0u);
  ASSERT_TRUE(platform().settle());
  EXPECT_EQ(last(), before);
  EXPECT_EQ(count("CaseRegistered"), 1u);
  EXPECT_EQ(count("PaymentNoticeIssued"), 1u);
  EXPECT_EQ(count("CaseNumberAllocated"), 1u);
}

TEST_F(FilingFlowTest, CaseNumbersFollowTheCourtsSequence) {
  EXPECT_EQ(registered("f1"), "(2026)渝0103民初1号");
  EXPECT_EQ(registered("f2"), "(2026)渝0103民初2号");
}

TEST_F(FilingFlowTest, AnUndecidedFilingIsRegisteredAtTheReviewDeadlineOnceAcrossAReopen) {
  submitted("f1");
  clock_.advance(7 * kDayUs - kHourUs);
  ASSERT_TRUE(platform().settle());
  EXPECT_FALSE(filing("f1").review_overdue) << "not before the review period ends";

  clock_.advance(2 * kHourUs);
  ASSERT_TRUE(platform().settle());
  const FilingState f = filing("f1");
  EXPECT_TRUE(f.review_overdue);
  EXPECT_EQ(f.status, FilingStatus::kAccepted);
  EXPECT_TRUE(f.registered_automatically);
  EXPECT_EQ(f.case_number, "(2026)渝0103民初1号");
  EXPECT_TRUE(kase(f.case_number).exists);
  EXPECT_TRUE(payment("f1").exists);

  const auto before = last();
  reopen();
  clock_.advance(30 * kDayUs);
  ASSERT_TRUE(platform().settle());
  EXPECT_EQ(count("FilingReviewOverdue"), 1u);
  EXPECT_EQ(count("CaseNumberAllocated"), 1u);
  EXPECT_EQ(count("CaseRegistered"), 1u);
  // The only thing later time brings is the unpaid fee's lapse.
  EXPECT_EQ(count("PaymentNoticeLapsed"), 1u);
  EXPECT_EQ(last(), before + 2);  // PaymentNoticeLapsed and CaseWithdrawn
}

TEST_F(FilingFlowTest, TheReviewDeadlineOnlyRecordsOverdueWhenThePolicySaysSo) {
  CourtPolicy policy = state<CourtAggregate>("court-渝0103").policy;
  policy.auto_register_when_review_overdue = false;
  must<CourtAggregate>("court-渝0103", ChangeCourtPolicy{policy}, kAdmin);
  submitted("f1");
  clock_.advance(8 * kDayUs);
  ASSERT_TRUE(platform().settle());
  const FilingState f = filing("f1");
  EXPECT_TRUE(f.review_overdue);
  EXPECT_EQ(f.status, FilingStatus::kSubmitted);
  EXPECT_EQ(count("CaseNumberAllocated"), 0u);
  // The clerk can still accept it.
  auto accepted = platform().accept_filing("f1", as(kClerk));
  ASSERT_TRUE(accepted) << describe(accepted.error());
}

TEST_F(FilingFlowTest, AFilingNotCorrectedByTheDeadlineIsReturned) {
  submitted("f1");
  must<FilingAggregate>("filing-f1", RequestCorrection{{{"materials", "请补充证据材料"}}}, kClerk);
  clock_.advance(15 * kDayUs - kHourUs);
  ASSERT_TRUE(platform().settle());
  EXPECT_EQ(filing("f1").status, FilingStatus::kCorrectionRequested);
  clock_.advance(2 * kHourUs);
  ASSERT_TRUE(platform().settle());
  EXPECT_EQ(filing("f1").status, FilingStatus::kReturned);
  EXPECT_EQ(count("FilingReturned"), 1u);
}

TEST_F(FilingFlowTest, AResubmittedFilingIsNotReturnedAtTheOldCorrectionDeadline) {
  submitted("f1");
  must<FilingAggregate>("filing-f1", RequestCorrection{{{"materials", "请补充证据材料"}}}, kClerk);
  must<FilingAggregate>("filing-f1", SubmitFiling{}, kFiler);
  clock_.advance(16 * kDayUs);
  ASSERT_TRUE(platform().settle());
  EXPECT_EQ(count("FilingReturned"), 0u);
}

TEST_F(FilingFlowTest, AFeeUnpaidByTheDueDateWithdrawsTheCase) {
  const std::string number = registered("f1");
  clock_.advance(7 * kDayUs + kHourUs);
  ASSERT_TRUE(platform().settle());
  EXPECT_EQ(payment("f1").status, PaymentNoticeStatus::kLapsed);
  const CaseState c = kase(number);
  EXPECT_EQ(c.status, CaseStatus::kWithdrawn);
  EXPECT_EQ(c.withdrawal_notice, "payment-f1");
}

TEST_F(FilingFlowTest, AFeePaidInTimeKeepsTheCaseOpen) {
  const std::string number = registered("f1");
  const PaymentNoticeState notice = payment("f1");
  must<PaymentAggregate>("payment-f1", StartPayment{notice.code, PaymentChannel::kWeChat}, kFiler);
  must<PaymentAggregate>("payment-f1", ConfirmPayment{1, "wx-0001", kExpectedFeeFen},
                         Principal{"system", Role::kSystem, ""});
  clock_.advance(8 * kDayUs);
  ASSERT_TRUE(platform().settle());
  EXPECT_EQ(payment("f1").status, PaymentNoticeStatus::kPaid);
  EXPECT_EQ(kase(number).status, CaseStatus::kOpen);
}

TEST_F(FilingFlowTest, ADeferralGrantedKeepsTheCaseOpenPastTheFirstDueDate) {
  const std::string number = registered("f1");
  must<PaymentAggregate>("payment-f1", ApplyForRelief{PaymentReliefKind::kDeferral, "经济困难"},
                         kFiler);
  const std::int64_t new_due = clock_.now_us() + 30 * kDayUs;
  must<PaymentAggregate>("payment-f1", GrantRelief{new_due, 0}, kClerk);
  clock_.advance(8 * kDayUs);
  ASSERT_TRUE(platform().settle());
  EXPECT_EQ(payment("f1").status, PaymentNoticeStatus::kUnpaid);
  EXPECT_EQ(kase(number).status, CaseStatus::kOpen);
  EXPECT_EQ(count("CaseWithdrawn"), 0u);
}

TEST_F(FilingFlowTest, APendingReliefApplicationKeepsTheNoticeFromLapsing) {
  const std::string number = registered("f1");
  must<PaymentAggregate>("payment-f1", ApplyForRelief{PaymentReliefKind::kWaiver, "法律援助"},
                         kFiler);
  clock_.advance(8 * kDayUs);
  ASSERT_TRUE(platform().settle());
  EXPECT_EQ(kase(number).status, CaseStatus::kOpen);
  must<PaymentAggregate>("payment-f1", GrantRelief{}, kJudge);
  EXPECT_EQ(payment("f1").status, PaymentNoticeStatus::kWaived);
}

TEST_F(FilingFlowTest, TheReactorAndTimersRunOnTheirOwnThreadsWhenStarted) {
  submitted("f1");
  auto accepted = platform().accept_filing("f1", as(kClerk));
  ASSERT_TRUE(accepted) << describe(accepted.error());
  platform().start();
  // Bounded wait for the reactor thread (generous for sanitizer builds).
  for (int i = 0; i < 600 && !payment("f1").exists; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  platform().stop();
  EXPECT_TRUE(payment("f1").exists);
  EXPECT_TRUE(kase(accepted->case_number).exists);
}

}  // namespace
}  // namespace docket::app::testing
