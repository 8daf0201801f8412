#include "docket/domain/payment.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "docket/domain/fee.h"
#include "fake_facts.h"
#include "stream_under_test.h"

namespace docket::domain {
namespace {

constexpr std::int64_t kDay = 86'400'000'000LL;
constexpr std::int64_t kT0 = 1'780'000'000'000'000;
constexpr std::string_view kPayer = "15001201810012345";
constexpr std::string_view kCourt = "渝0103";
constexpr std::int64_t kFee = 230'000;  // 2,300 yuan: the national fee on 100,000 yuan
const std::string kCaseNumber = "(2026)渝0103民初1234号";

// What a notice reads: filing f42, accepted as kCaseNumber in court kCourt, a civil first
// instance case of 100,000 yuan filed by kPayer; the court, whose schedule prices such a case by
// the national rule (kFee), and divorces at nothing, with fees due in 7 days.
testing::FakeFacts world() {
  testing::FakeFacts facts;
  CourtState& court = facts.add_court(std::string(kCourt));
  court.policy.fee_due_period_us = 7 * kDay;
  court.policy.fee_schedule.rules_by_category["civil_first_instance"] =
      national_property_fee_rule();
  court.policy.fee_schedule.rules_by_category["divorce"] = FeeRule{0, 0, {}};
  FilingState& filing = facts.filings["f42"];
  filing.exists = true;
  filing.filing_id = "f42";
  filing.filer = std::string(kPayer);
  filing.status = FilingStatus::kAccepted;
  filing.category = "civil_first_instance";
  filing.amount_in_dispute_fen = 10'000'000;
  filing.agents = {FilingAgent{std::string(kPayer),
                               "张三",
                               "重庆某某律师事务所",
                               "500103198001011234",
                               "13800000000",
                               {"p1"}}};
  filing.court = std::string(kCourt);
  filing.case_number = kCaseNumber;
  return facts;
}

// A payment notice stream under test: decides with `facts` (world() unless a test changes them).
struct NoticeStream : testing::StreamUnderTest<PaymentAggregate> {
  NoticeStream() : StreamUnderTest("payment-f42", world()) {}
};

Context as(Role role, std::string_view id, std::string_view court = "", std::int64_t now = kT0) {
  Context ctx;
  ctx.now_us = now;
  ctx.actor = Principal{std::string(id), role, std::string(court)};
  ctx.entropy = std::string("0123456789abcdef0123");
  return ctx;
}

Context system_at(std::int64_t now = kT0) {
  return as(Role::kSystem, "engine", "", now);
}
Context payer(std::int64_t now = kT0) {
  return as(Role::kLawyer, kPayer, "", now);
}
Context clerk(std::int64_t now = kT0) {
  return as(Role::kClerk, "clerk-7", kCourt, now);
}
Context judge(std::int64_t now = kT0) {
  return as(Role::kJudge, "judge-3", kCourt, now);
}

IssuePaymentNotice issue() {
  return IssuePaymentNotice{"f42"};
}

NoticeStream issued() {
  NoticeStream n;
  auto out = n.run(issue(), system_at());
  EXPECT_TRUE(out.has_value()) << (out ? "" : out.error().message);
  return n;
}

NoticeStream started() {
  NoticeStream n = issued();
  EXPECT_TRUE(n.run(StartPayment{n.state.code, PaymentChannel::kAlipay}, payer()));
  return n;
}

NoticeStream paid() {
  NoticeStream n = started();
  EXPECT_TRUE(n.run(ConfirmPayment{1, "ALI-2026-0001", kFee}, system_at(kT0 + 60'000'000)));
  return n;
}

NoticeStream with_application(PaymentReliefKind kind) {
  NoticeStream n = issued();
  EXPECT_TRUE(n.run(ApplyForRelief{kind, "当事人经济困难"}, payer(kT0 + kDay)));
  return n;
}

// Whether `out` is a forbidden rejection (false, not a crash, when it was decided).
bool forbidden(const Outcome& out) {
  return !out.has_value() && out.error().code == RejectionCode::kForbidden;
}

RejectionCode code_of(const Outcome& out) {
  return out.error().code;
}

TEST(PaymentTest, AcceptedFilingGetsANoticeWithAmountDueDateAndTimer) {
  NoticeStream n;
  auto out = n.run(issue(), system_at());
  ASSERT_TRUE(out.has_value()) << out.error().message;
  EXPECT_EQ(n.last_type(), "PaymentNoticeIssued");
  EXPECT_EQ(n.state.amount_fen, kFee);
  EXPECT_EQ(n.state.due_at_us, kT0 + 7 * kDay);
  EXPECT_EQ(n.state.status, PaymentNoticeStatus::kUnpaid);
  EXPECT_EQ(n.state.case_number, kCaseNumber);
  EXPECT_EQ(n.state.court, kCourt);
  EXPECT_EQ(n.state.payers, std::vector<std::string>{std::string(kPayer)});
  ASSERT_EQ(out->timers_to_set.size(), 1u);
  const TimerRequest& timer = out->timers_to_set[0];
  EXPECT_EQ(timer.id, payment_due_timer_id("f42", kT0 + 7 * kDay));
  EXPECT_EQ(timer.stream, "payment-f42");
  EXPECT_EQ(timer.due_at_us, kT0 + 7 * kDay);
  EXPECT_EQ(timer.command_type, "PaymentDueDateReached");
}

TEST(PaymentTest, NoticeCodeIsUnguessableFromEntropy) {
  NoticeStream a = issued();
  NoticeStream b;
  Context other = system_at();
  other.entropy = std::string("fedcba9876543210fedc");
  ASSERT_TRUE(b.run(issue(), other));
  EXPECT_EQ(a.state.code.size(), 20u);
  EXPECT_EQ(a.state.code.find_first_not_of("0123456789"), std::string::npos);
  EXPECT_NE(a.state.code, b.state.code);
  // The same entropy gives the same code: decisions are reproducible.
  EXPECT_EQ(issued().state.code, a.state.code);
}

TEST(PaymentTest, IssuingNeedsEnoughEntropy) {
  NoticeStream n;
  Context poor = system_at();
  poor.entropy = "short";
  auto out = n.run(issue(), poor);
  ASSERT_FALSE(out.has_value());
  EXPECT_EQ(out.error().violations.at(0).field, "entropy");
}

TEST(PaymentTest, IssuingIsIdempotent) {
  NoticeStream n = issued();
  const auto before = n.state;
  auto again = n.run(issue(), system_at(kT0 + kDay));
  ASSERT_TRUE(again.has_value());
  EXPECT_TRUE(again->events.empty());
  EXPECT_EQ(n.state, before);
}

TEST(PaymentTest, OnlyTheSystemOrAClerkOfTheCourtIssues) {
  EXPECT_TRUE(NoticeStream{}.run(issue(), clerk()));
  for (const Context& ctx : {payer(), judge(), as(Role::kClerk, "clerk-9", "渝0104")}) {
    NoticeStream n;
    EXPECT_EQ(code_of(n.run(issue(), ctx)), RejectionCode::kForbidden);
  }
}

TEST(PaymentTest, IssuingListsEveryMissingField) {
  NoticeStream n;
  n.facts.filings.at("f42").case_number.clear();
  n.facts.filings.at("f42").agents.clear();
  n.facts.courts.at(std::string(kCourt)).policy.fee_due_period_us = 0;
  Context poor = system_at();
  poor.entropy = "short";
  auto out = n.run(issue(), poor);
  ASSERT_FALSE(out.has_value());
  EXPECT_EQ(out.error().code, RejectionCode::kValidation);
  std::vector<std::string> fields;
  for (const auto& v : out.error().violations)
    fields.push_back(v.field);
  EXPECT_EQ(fields,
            (std::vector<std::string>{"case_number", "payers", "due_period_us", "entropy"}));
}

TEST(PaymentTest, OnlyAnAcceptedFilingGetsANotice) {
  for (FilingStatus status :
       {FilingStatus::kDraft, FilingStatus::kSubmitted, FilingStatus::kCorrectionRequested,
        FilingStatus::kRejected, FilingStatus::kCancelled, FilingStatus::kReturned}) {
    NoticeStream n;
    n.facts.filings.at("f42").status = status;
    auto out = n.run(issue(), system_at());
    ASSERT_FALSE(out.has_value()) << enum_name(status);
    EXPECT_EQ(code_of(out), RejectionCode::kInvalidState);
    EXPECT_TRUE(n.log.empty());
  }
  NoticeStream unknown;
  auto out = unknown.run(IssuePaymentNotice{"f43"}, system_at());
  ASSERT_FALSE(out.has_value());
  EXPECT_EQ(code_of(out), RejectionCode::kInvalidState);
}

TEST(PaymentTest, TheAmountIsTheFeeOfTheFilingUnderItsCourtsSchedule) {
  NoticeStream n;
  FilingState& filing = n.facts.filings.at("f42");
  filing.amount_in_dispute_fen = 50'000'000;  // 500,000 yuan: 8,800 yuan
  ASSERT_TRUE(n.run(issue(), system_at()));
  EXPECT_EQ(n.state.amount_fen, 880'000);
  // The court's own schedule and due period, not the platform's.
  NoticeStream fixed;
  CourtPolicy& policy = fixed.facts.courts.at(std::string(kCourt)).policy;
  policy.fee_schedule.rules_by_category["civil_first_instance"] = FeeRule{5'000, 0, {}};
  policy.fee_due_period_us = 3 * kDay;
  ASSERT_TRUE(fixed.run(issue(), system_at()));
  EXPECT_EQ(fixed.state.amount_fen, 5'000);
  EXPECT_EQ(fixed.state.due_at_us, kT0 + 3 * kDay);
  // A category the schedule does not price is not found.
  NoticeStream unpriced;
  unpriced.facts.filings.at("f42").category = "maritime";
  auto out = unpriced.run(issue(), system_at());
  ASSERT_FALSE(out.has_value());
  EXPECT_EQ(code_of(out), RejectionCode::kNotFound);
}

TEST(PaymentTest, TheFilingsAgentsMayPay) {
  NoticeStream n;
  n.facts.filings.at("f42").agents.push_back(FilingAgent{
      "15001201810099999", "李四", "另一律所", "500103198001015678", "13900000000", {}});
  ASSERT_TRUE(n.run(issue(), system_at()));
  EXPECT_EQ(n.state.payers, (std::vector<std::string>{std::string(kPayer), "15001201810099999"}));
}

TEST(PaymentTest, FeeFreeNoticeIsSettledAtOnce) {
  NoticeStream n;
  n.facts.filings.at("f42").category = "divorce";
  auto out = n.run(issue(), system_at());
  ASSERT_TRUE(out.has_value());
  EXPECT_TRUE(out->timers_to_set.empty());
  EXPECT_EQ(n.state.status, PaymentNoticeStatus::kWaived);
}

TEST(PaymentTest, OnlyAPayerStartsAPaymentWithTheNoticesCode) {
  NoticeStream n = issued();
  EXPECT_EQ(code_of(n.run(StartPayment{n.state.code, PaymentChannel::kWeChat},
                          as(Role::kLawyer, "15001201810099999"))),
            RejectionCode::kForbidden);
  EXPECT_EQ(code_of(n.run(StartPayment{"00000000000000000000", PaymentChannel::kWeChat}, payer())),
            RejectionCode::kValidation);
  auto out = n.run(StartPayment{n.state.code, PaymentChannel::kWeChat}, payer());
  ASSERT_TRUE(out.has_value());
  EXPECT_EQ(n.last_type(), "PaymentStarted");
  ASSERT_EQ(n.state.attempts.size(), 1u);
  EXPECT_EQ(n.state.attempts[0],
            (PaymentAttempt{1, PaymentChannel::kWeChat, kFee, std::string(kPayer)}));
}

TEST(PaymentTest, PaymentIsPossibleOnlyOnAnIssuedNotice) {
  NoticeStream n;
  EXPECT_EQ(code_of(n.run(StartPayment{"x", PaymentChannel::kBank}, payer())),
            RejectionCode::kNotFound);
}

TEST(PaymentTest, ConfirmedAmountMustMatch) {
  NoticeStream n = started();
  auto out = n.run(ConfirmPayment{1, "ALI-1", kFee - 1}, system_at());
  ASSERT_FALSE(out.has_value());
  EXPECT_EQ(code_of(out), RejectionCode::kValidation);
  EXPECT_EQ(out.error().violations.at(0).field, "amount_fen");
  EXPECT_EQ(n.state.status, PaymentNoticeStatus::kUnpaid);
}

TEST(PaymentTest, ConfirmationSettlesTheNoticeAndCancelsTheDueTimer) {
  NoticeStream n = started();
  auto out = n.run(ConfirmPayment{1, "ALI-2026-0001", kFee}, system_at());
  ASSERT_TRUE(out.has_value()) << out.error().message;
  EXPECT_EQ(n.last_type(), "PaymentConfirmed");
  EXPECT_EQ(n.state.status, PaymentNoticeStatus::kPaid);
  EXPECT_EQ(n.state.transaction_id, "ALI-2026-0001");
  EXPECT_EQ(n.state.paid_amount_fen, kFee);
  EXPECT_EQ(out->timers_to_cancel,
            std::vector<std::string>{payment_due_timer_id("f42", kT0 + 7 * kDay)});
}

TEST(PaymentTest, ConfirmationNamesAStartedPayment) {
  NoticeStream n = started();
  EXPECT_EQ(code_of(n.run(ConfirmPayment{2, "ALI-1", kFee}, system_at())),
            RejectionCode::kNotFound);
}

TEST(PaymentTest, OnlyTheSystemRelaysTheProvider) {
  NoticeStream n = started();
  EXPECT_EQ(code_of(n.run(ConfirmPayment{1, "ALI-1", kFee}, payer())), RejectionCode::kForbidden);
  EXPECT_TRUE(n.run(ConfirmPayment{1, "ALI-1", kFee}, as(Role::kCourtSystem, "cms", kCourt)));
}

// Regression: the court system of another court confirmed this court's payments and recorded
// their fiscal receipts.
TEST(PaymentTest, CourtSystemOfAnotherCourtNeitherConfirmsNorRecordsAReceipt) {
  NoticeStream n = started();
  const auto other = as(Role::kCourtSystem, "cms-9", "渝0104");
  const auto courtless = as(Role::kCourtSystem, "cms-0", "");
  EXPECT_TRUE(forbidden(n.run(ConfirmPayment{1, "ALI-1", kFee}, other)));
  EXPECT_TRUE(forbidden(n.run(ConfirmPayment{1, "ALI-1", kFee}, courtless)));
  EXPECT_EQ(n.state.status, PaymentNoticeStatus::kUnpaid);
  ASSERT_TRUE(n.run(ConfirmPayment{1, "ALI-1", kFee}, as(Role::kCourtSystem, "cms", kCourt)));
  EXPECT_TRUE(forbidden(n.run(RecordReceipt{"R-1"}, other)));
  EXPECT_TRUE(forbidden(n.run(RecordReceipt{"R-1"}, courtless)));
  EXPECT_TRUE(n.state.receipt_number.empty());
  EXPECT_TRUE(n.run(RecordReceipt{"R-1"}, as(Role::kCourtSystem, "cms", kCourt)));
}

// Staff of another court, or with no court, never act on this court's notice.
TEST(PaymentTest, StaffOfAnotherCourtNeitherIssuesNorDecidesRelief) {
  NoticeStream fresh;
  for (const Context& ctx : {as(Role::kClerk, "clerk-9", "渝0104"), as(Role::kClerk, "c", ""),
                             as(Role::kCourtSystem, "cms", kCourt)}) {
    EXPECT_TRUE(forbidden(fresh.run(issue(), ctx)));
  }
  NoticeStream n = with_application(PaymentReliefKind::kWaiver);
  for (const Context& ctx : {as(Role::kClerk, "clerk-9", "渝0104"), as(Role::kJudge, "j", ""),
                             as(Role::kCourtSystem, "cms", kCourt)}) {
    EXPECT_TRUE(forbidden(n.run(GrantRelief{}, ctx)));
    EXPECT_TRUE(forbidden(n.run(RefuseRelief{"x"}, ctx)));
  }
}

TEST(PaymentTest, SameTransactionTwiceChangesNothing) {
  NoticeStream n = paid();
  const auto before = n.state;
  auto again = n.run(ConfirmPayment{1, "ALI-2026-0001", kFee}, system_at());
  ASSERT_TRUE(again.has_value());
  EXPECT_TRUE(again->events.empty());
  EXPECT_EQ(n.state, before);
}

TEST(PaymentTest, SecondDifferentPaymentIsRefused) {
  NoticeStream n = paid();
  auto out = n.run(ConfirmPayment{1, "WX-9999", kFee}, system_at());
  ASSERT_FALSE(out.has_value());
  EXPECT_EQ(code_of(out), RejectionCode::kConflict);
  EXPECT_EQ(code_of(n.run(StartPayment{n.state.code, PaymentChannel::kWeChat}, payer())),
            RejectionCode::kInvalidState);
}

TEST(PaymentTest, ElectronicReceiptNumberIsRecorded) {
  NoticeStream unpaid = issued();
  EXPECT_EQ(code_of(unpaid.run(RecordReceipt{"R-1"}, system_at())), RejectionCode::kInvalidState);
  NoticeStream n = paid();
  ASSERT_TRUE(n.run(RecordReceipt{"5000012026000000123"}, system_at()));
  EXPECT_EQ(n.last_type(), "PaymentReceiptRecorded");
  EXPECT_EQ(n.state.receipt_number, "5000012026000000123");
  EXPECT_TRUE(n.run(RecordReceipt{"5000012026000000123"}, system_at())->events.empty());
  EXPECT_EQ(code_of(n.run(RecordReceipt{"other"}, system_at())), RejectionCode::kConflict);
}

// Manual §3.3.3: the receipt is a document the payer downloads, not only a number.
TEST(PaymentTest, TheReceiptDocumentIsRecordedWithTheNumberOrAfterIt) {
  const std::string doc(64, 'a');
  NoticeStream with = paid();
  auto together = with.run(RecordReceipt{"R-1", doc}, system_at());
  ASSERT_TRUE(together);
  ASSERT_EQ(together->events.size(), 2u);
  EXPECT_EQ(together->events[0].type, "PaymentReceiptRecorded");
  EXPECT_EQ(together->events[1].type, "PaymentReceiptDocumentRecorded");
  EXPECT_EQ(with.state.receipt_blob_hash, doc);

  NoticeStream later = paid();
  ASSERT_TRUE(later.run(RecordReceipt{"R-1", ""}, system_at()));
  EXPECT_TRUE(later.state.receipt_blob_hash.empty());
  ASSERT_TRUE(later.run(RecordReceipt{"R-1", doc}, system_at()));
  EXPECT_EQ(later.last_type(), "PaymentReceiptDocumentRecorded");
  EXPECT_EQ(later.state.receipt_blob_hash, doc);
  EXPECT_TRUE(later.run(RecordReceipt{"R-1", doc}, system_at())->events.empty());
  EXPECT_TRUE(later.run(RecordReceipt{"R-1", ""}, system_at())->events.empty());
  EXPECT_EQ(code_of(later.run(RecordReceipt{"R-1", std::string(64, 'b')}, system_at())),
            RejectionCode::kConflict);
  EXPECT_EQ(later.state.receipt_blob_hash, doc);
}

TEST(PaymentTest, UnpaidByTheDueDateLapses) {
  NoticeStream n = issued();
  const std::int64_t due = n.state.due_at_us;
  auto out = n.run(PaymentDueDateReached{due}, system_at(due));
  ASSERT_TRUE(out.has_value());
  EXPECT_EQ(n.last_type(), "PaymentNoticeLapsed");
  EXPECT_EQ(n.state.status, PaymentNoticeStatus::kLapsed);
  EXPECT_EQ(code_of(n.run(StartPayment{n.state.code, PaymentChannel::kBank}, payer(due + 1))),
            RejectionCode::kInvalidState);
  EXPECT_TRUE(n.run(PaymentDueDateReached{due}, system_at(due + 1))->events.empty());
}

TEST(PaymentTest, DueTimerAfterPaymentDecidesNothing) {
  NoticeStream n = paid();
  auto out = n.run(PaymentDueDateReached{kT0 + 7 * kDay}, system_at(kT0 + 7 * kDay));
  ASSERT_TRUE(out.has_value());
  EXPECT_TRUE(out->events.empty());
  EXPECT_EQ(n.state.status, PaymentNoticeStatus::kPaid);
}

TEST(PaymentTest, DueDateRunsOnlyAsTheSystem) {
  NoticeStream n = issued();
  EXPECT_EQ(code_of(n.run(PaymentDueDateReached{n.state.due_at_us}, clerk(n.state.due_at_us))),
            RejectionCode::kForbidden);
}

TEST(PaymentTest, DeferralMovesTheDueDate) {
  NoticeStream n = with_application(PaymentReliefKind::kDeferral);
  const std::int64_t old_due = n.state.due_at_us;
  const std::int64_t new_due = old_due + 30 * kDay;
  auto out = n.run(GrantRelief{new_due, 0}, clerk(kT0 + 2 * kDay));
  ASSERT_TRUE(out.has_value()) << out.error().message;
  EXPECT_EQ(n.last_type(), "PaymentReliefGranted");
  EXPECT_EQ(n.state.due_at_us, new_due);
  EXPECT_EQ(n.state.amount_fen, kFee);
  EXPECT_EQ(out->timers_to_cancel, std::vector<std::string>{payment_due_timer_id("f42", old_due)});
  ASSERT_EQ(out->timers_to_set.size(), 1u);
  EXPECT_EQ(out->timers_to_set[0].due_at_us, new_due);
  // The old date's timer, if it still fires, decides nothing.
  EXPECT_TRUE(n.run(PaymentDueDateReached{old_due}, system_at(old_due))->events.empty());
  EXPECT_EQ(n.state.status, PaymentNoticeStatus::kUnpaid);
  ASSERT_TRUE(n.run(PaymentDueDateReached{new_due}, system_at(new_due)));
  EXPECT_EQ(n.state.status, PaymentNoticeStatus::kLapsed);
}

TEST(PaymentTest, DeferralMustMoveTheDueDateLater) {
  NoticeStream n = with_application(PaymentReliefKind::kDeferral);
  auto out = n.run(GrantRelief{n.state.due_at_us, 0}, clerk(kT0 + 2 * kDay));
  ASSERT_FALSE(out.has_value());
  EXPECT_EQ(out.error().violations.at(0).field, "due_at_us");
}

TEST(PaymentTest, ReductionLowersTheAmount) {
  NoticeStream n = with_application(PaymentReliefKind::kReduction);
  EXPECT_EQ(code_of(n.run(GrantRelief{0, kFee}, judge(kT0 + 2 * kDay))),
            RejectionCode::kValidation);
  auto out = n.run(GrantRelief{0, kFee / 2}, judge(kT0 + 2 * kDay));
  ASSERT_TRUE(out.has_value()) << out.error().message;
  EXPECT_EQ(n.state.amount_fen, kFee / 2);
  EXPECT_EQ(n.state.due_at_us, kT0 + 7 * kDay);
  EXPECT_TRUE(out->timers_to_cancel.empty());
  ASSERT_TRUE(n.run(StartPayment{n.state.code, PaymentChannel::kBank}, payer(kT0 + 3 * kDay)));
  EXPECT_EQ(code_of(n.run(ConfirmPayment{1, "B-1", kFee}, system_at())),
            RejectionCode::kValidation);
  EXPECT_TRUE(n.run(ConfirmPayment{1, "B-1", kFee / 2}, system_at()));
  EXPECT_EQ(n.state.status, PaymentNoticeStatus::kPaid);
}

TEST(PaymentTest, WaiverSettlesTheNotice) {
  NoticeStream n = with_application(PaymentReliefKind::kWaiver);
  auto out = n.run(GrantRelief{}, clerk(kT0 + 2 * kDay));
  ASSERT_TRUE(out.has_value()) << out.error().message;
  EXPECT_EQ(n.state.status, PaymentNoticeStatus::kWaived);
  EXPECT_EQ(n.state.amount_fen, 0);
  EXPECT_EQ(out->timers_to_cancel,
            std::vector<std::string>{payment_due_timer_id("f42", kT0 + 7 * kDay)});
  EXPECT_TRUE(out->timers_to_set.empty());
  EXPECT_TRUE(
      n.run(PaymentDueDateReached{kT0 + 7 * kDay}, system_at(kT0 + 7 * kDay))->events.empty());
}

TEST(PaymentTest, RefusalKeepsTheNoticeAsItWas) {
  NoticeStream n = with_application(PaymentReliefKind::kWaiver);
  auto blank = n.run(RefuseRelief{""}, clerk(kT0 + 2 * kDay));
  ASSERT_FALSE(blank.has_value());
  ASSERT_TRUE(n.run(RefuseRelief{"不符合免交条件"}, clerk(kT0 + 2 * kDay)));
  EXPECT_EQ(n.last_type(), "PaymentReliefRefused");
  EXPECT_FALSE(n.state.pending_relief.has_value());
  EXPECT_EQ(n.state.status, PaymentNoticeStatus::kUnpaid);
  EXPECT_EQ(n.state.amount_fen, kFee);
}

TEST(PaymentTest, PendingApplicationHoldsTheLapseUntilDecided) {
  NoticeStream n = with_application(PaymentReliefKind::kDeferral);
  const std::int64_t due = n.state.due_at_us;
  auto held = n.run(PaymentDueDateReached{due}, system_at(due));
  ASSERT_TRUE(held.has_value());
  EXPECT_TRUE(held->events.empty());
  EXPECT_EQ(n.state.status, PaymentNoticeStatus::kUnpaid);
  // Refused after the due date: the notice lapses with the refusal.
  auto out = n.run(RefuseRelief{"理由不成立"}, clerk(due + kDay));
  ASSERT_TRUE(out.has_value());
  ASSERT_EQ(out->events.size(), 2u);
  EXPECT_EQ(out->events[0].type, "PaymentReliefRefused");
  EXPECT_EQ(out->events[1].type, "PaymentNoticeLapsed");
  EXPECT_EQ(n.state.status, PaymentNoticeStatus::kLapsed);
}

TEST(PaymentTest, ReductionGrantedAfterTheDueDateNeedsANewDueDate) {
  NoticeStream n = with_application(PaymentReliefKind::kReduction);
  const std::int64_t due = n.state.due_at_us;
  auto out = n.run(GrantRelief{0, kFee / 2}, clerk(due + kDay));
  ASSERT_FALSE(out.has_value());
  EXPECT_EQ(out.error().violations.at(0).field, "due_at_us");
  auto ok = n.run(GrantRelief{due + 10 * kDay, kFee / 2}, clerk(due + kDay));
  ASSERT_TRUE(ok.has_value()) << ok.error().message;
  EXPECT_EQ(n.state.due_at_us, due + 10 * kDay);
  ASSERT_EQ(ok->timers_to_set.size(), 1u);
}

TEST(PaymentTest, OnlyAClerkOrJudgeOfTheCourtDecidesRelief) {
  NoticeStream n = with_application(PaymentReliefKind::kWaiver);
  for (const Context& ctx : {payer(), as(Role::kJudge, "judge-9", "渝0104"), system_at()}) {
    EXPECT_EQ(code_of(n.run(GrantRelief{}, ctx)), RejectionCode::kForbidden);
    EXPECT_EQ(code_of(n.run(RefuseRelief{"x"}, ctx)), RejectionCode::kForbidden);
  }
}

TEST(PaymentTest, ReliefDecisionNeedsAPendingApplication) {
  NoticeStream n = issued();
  EXPECT_EQ(code_of(n.run(GrantRelief{}, clerk())), RejectionCode::kInvalidState);
}

TEST(PaymentTest, OnlyAPayerAppliesForReliefWithAReason) {
  NoticeStream n = issued();
  EXPECT_EQ(code_of(n.run(ApplyForRelief{PaymentReliefKind::kWaiver, "x"}, clerk())),
            RejectionCode::kForbidden);
  EXPECT_EQ(code_of(n.run(ApplyForRelief{PaymentReliefKind::kWaiver, ""}, payer())),
            RejectionCode::kValidation);
  ASSERT_TRUE(n.run(ApplyForRelief{PaymentReliefKind::kWaiver, "低保户"}, payer()));
  EXPECT_EQ(n.state.pending_relief,
            (PaymentReliefApplication{PaymentReliefKind::kWaiver, "低保户", std::string(kPayer)}));
}

TEST(PaymentTest, ApplicationMustComeBeforeTheDueDate) {
  NoticeStream n = issued();
  EXPECT_EQ(code_of(n.run(ApplyForRelief{PaymentReliefKind::kDeferral, "late"},
                          payer(n.state.due_at_us))),
            RejectionCode::kPolicy);
}

TEST(PaymentTest, OneApplicationAtATime) {
  NoticeStream n = with_application(PaymentReliefKind::kDeferral);
  EXPECT_EQ(code_of(n.run(ApplyForRelief{PaymentReliefKind::kWaiver, "again"}, payer())),
            RejectionCode::kConflict);
}

TEST(PaymentTest, DueTimerPayloadTurnsBackIntoACommand) {
  NoticeStream n;
  auto out = n.run(issue(), system_at());
  ASSERT_TRUE(out.has_value());
  const TimerRequest& timer = out->timers_to_set.at(0);
  auto command = PaymentAggregate::command_from_timer(timer.command_type, timer.payload);
  ASSERT_TRUE(command.has_value());
  EXPECT_EQ(std::get<PaymentDueDateReached>(*command).due_at_us, kT0 + 7 * kDay);
  EXPECT_FALSE(PaymentAggregate::command_from_timer("Other", timer.payload).has_value());
  EXPECT_FALSE(PaymentAggregate::command_from_timer(timer.command_type, "junk").has_value());
}

// --- refunds (交费退费) ------------------------------------------------------------------

OrderRefund refund(std::string id, std::int64_t amount, std::string hotline_request = "") {
  return OrderRefund{std::move(id), amount, "多交诉讼费，退还差额", std::move(hotline_request)};
}

TEST(PaymentTest, AClerkOrdersARefundOfAPaidFeeAndTheProviderCompletesIt) {
  NoticeStream n = paid();
  auto ordered = n.run(refund("rf1", 30'000), clerk(kT0 + kDay));
  ASSERT_TRUE(ordered.has_value()) << ordered.error().message;
  EXPECT_EQ(n.last_type(), "RefundOrdered");
  ASSERT_EQ(n.state.refunds.size(), 1u);
  EXPECT_EQ(n.state.refunds[0].status, RefundStatus::kRequested);
  EXPECT_EQ(n.state.refunds[0].ordered_by, "clerk-7");
  EXPECT_EQ(n.state.refunds[0].ordered_at_us, kT0 + kDay);
  EXPECT_EQ(refundable_fen(n.state), kFee - 30'000) << "a requested refund holds its amount";
  auto done =
      n.run(RecordRefundResult{"rf1", true, "ALI-REFUND-1", 30'000, ""}, system_at(kT0 + 2 * kDay));
  ASSERT_TRUE(done.has_value()) << done.error().message;
  EXPECT_EQ(n.last_type(), "RefundCompleted");
  EXPECT_EQ(n.state.refunds[0].status, RefundStatus::kCompleted);
  EXPECT_EQ(n.state.refunds[0].transaction_id, "ALI-REFUND-1");
  EXPECT_EQ(n.state.refunds[0].settled_at_us, kT0 + 2 * kDay);
  EXPECT_EQ(n.state.status, PaymentNoticeStatus::kPaid) << "a refund leaves the notice paid";
}

TEST(PaymentTest, TheSameRefundResultAgainDecidesNothingAndAnotherIsAConflict) {
  NoticeStream n = paid();
  ASSERT_TRUE(n.run(refund("rf1", 30'000), judge()));
  ASSERT_TRUE(n.run(RecordRefundResult{"rf1", true, "R-1", 30'000, ""}, system_at()));
  const auto events = n.log.size();
  auto again = n.run(RecordRefundResult{"rf1", true, "R-1", 30'000, ""}, system_at());
  ASSERT_TRUE(again.has_value());
  EXPECT_TRUE(again->events.empty());
  EXPECT_EQ(code_of(n.run(RecordRefundResult{"rf1", true, "R-2", 30'000, ""}, system_at())),
            RejectionCode::kConflict);
  EXPECT_EQ(code_of(n.run(RecordRefundResult{"rf1", false, "", 0, "卡已注销"}, system_at())),
            RejectionCode::kConflict);
  EXPECT_EQ(n.log.size(), events);
}

TEST(PaymentTest, RefundsNeverExceedWhatWasPaid) {
  NoticeStream n = paid();
  ASSERT_TRUE(n.run(refund("rf1", kFee - 1'000), clerk()));
  auto too_much = n.run(refund("rf2", 1'001), clerk());
  ASSERT_FALSE(too_much.has_value());
  EXPECT_EQ(too_much.error().code, RejectionCode::kValidation);
  EXPECT_EQ(too_much.error().violations.at(0).field, "amount_fen");
  EXPECT_NE(too_much.error().message.find("Expected an amount between 1 and 1000 fen"),
            std::string::npos)
      << too_much.error().message;
  EXPECT_EQ(code_of(n.run(refund("rf2", 0), clerk())), RejectionCode::kValidation);
  EXPECT_EQ(code_of(n.run(refund("rf2", -5), clerk())), RejectionCode::kValidation);
  // A failed refund frees its amount.
  ASSERT_TRUE(n.run(RecordRefundResult{"rf1", false, "", 0, "原账户已注销"}, system_at()));
  EXPECT_EQ(n.state.refunds[0].status, RefundStatus::kFailed);
  EXPECT_EQ(n.state.refunds[0].failure_reason, "原账户已注销");
  EXPECT_EQ(refundable_fen(n.state), kFee);
  EXPECT_TRUE(n.run(refund("rf2", kFee), clerk()));
  EXPECT_EQ(refundable_fen(n.state), 0);
}

TEST(PaymentTest, OnlyAPaidNoticeIsRefundedByItsCourtsClerkOrJudge) {
  NoticeStream unpaid = issued();
  EXPECT_EQ(code_of(unpaid.run(refund("rf1", 1'000), clerk())), RejectionCode::kInvalidState);
  NoticeStream n = paid();
  EXPECT_TRUE(forbidden(n.run(refund("rf1", 1'000), payer())));
  EXPECT_TRUE(forbidden(n.run(refund("rf1", 1'000), as(Role::kClerk, "clerk-9", "渝0105"))));
  EXPECT_TRUE(forbidden(n.run(refund("rf1", 1'000), as(Role::kCourtSystem, "cms", kCourt))));
  EXPECT_TRUE(forbidden(n.run(refund("rf1", 1'000), system_at())));
  auto no_reason = n.run(OrderRefund{"rf1", 1'000, "", ""}, clerk());
  ASSERT_FALSE(no_reason.has_value());
  EXPECT_EQ(no_reason.error().violations.at(0).field, "reason");
  ASSERT_TRUE(n.run(refund("rf1", 1'000), clerk()));
  EXPECT_EQ(code_of(n.run(refund("rf1", 1'000), clerk())), RejectionCode::kConflict)
      << "a refund id is used once";
}

TEST(PaymentTest, ARefundNamesAHotlineRequestOfItsCourt) {
  NoticeStream n = paid();
  HotlineRequestState& request = n.facts.hotline_requests["hr1"];
  request.exists = true;
  request.hotline_request_id = "hr1";
  request.court = std::string(kCourt);
  request.kind = HotlineRequestKind::kRefund;
  HotlineRequestState& elsewhere = n.facts.hotline_requests["hr2"];
  elsewhere.exists = true;
  elsewhere.court = "渝0105";
  for (const std::string id : {"hr2", "hr-none"}) {
    auto out = n.run(refund("rf1", 1'000, id), clerk());
    ASSERT_FALSE(out.has_value()) << id;
    EXPECT_EQ(out.error().violations.at(0).field, "hotline_request_id") << id;
  }
  ASSERT_TRUE(n.run(refund("rf1", 1'000, "hr1"), clerk()));
  EXPECT_EQ(n.state.refunds.at(0).hotline_request_id, "hr1");
}

TEST(PaymentTest, ARefundResultComesFromTheProviderForAnOrderedRefund) {
  NoticeStream n = paid();
  ASSERT_TRUE(n.run(refund("rf1", 1'000), clerk()));
  EXPECT_EQ(code_of(n.run(RecordRefundResult{"rf9", true, "R-1", 1'000, ""}, system_at())),
            RejectionCode::kNotFound);
  EXPECT_TRUE(forbidden(n.run(RecordRefundResult{"rf1", true, "R-1", 1'000, ""}, clerk())));
  EXPECT_TRUE(forbidden(n.run(RecordRefundResult{"rf1", true, "R-1", 1'000, ""},
                              as(Role::kCourtSystem, "cms-5", "渝0105"))));
  auto wrong = n.run(RecordRefundResult{"rf1", true, "", 999, ""}, system_at());
  ASSERT_FALSE(wrong.has_value());
  EXPECT_EQ(wrong.error().violations.size(), 2u) << "transaction id and amount";
  // The court's own system may relay it.
  ASSERT_TRUE(n.run(RecordRefundResult{"rf1", true, "R-1", 1'000, ""},
                    as(Role::kCourtSystem, "cms", kCourt)));
  EXPECT_EQ(n.state.refunds.at(0).status, RefundStatus::kCompleted);
}

TEST(PaymentTest, ARefundResultForARefundNeverOrderedIsRefusedWhenFolded) {
  NoticeStream n = paid();
  PaymentNoticeState state = n.state;
  const auto before = state;
  NoticeStream other = paid();
  ASSERT_TRUE(other.run(refund("rf1", 1'000), clerk()));
  ASSERT_TRUE(other.run(RecordRefundResult{"rf1", true, "R-1", 1'000, ""}, system_at()));
  const EventData& completed = other.log.back();
  EXPECT_THROW(PaymentAggregate::evolve(state, StoredEvent{"payment-f42", completed.type, 1,
                                                           completed.payload, 9, 9, kT0}),
               EventFoldError);
  EXPECT_TRUE(state == before);
}

}  // namespace
}  // namespace docket::domain
