// The vocabulary of names that reach the log: stream ids, categories, event types, timer
// commands. The names are recorded in the log, so each is pinned here.
#include "docket/domain/vocabulary.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "docket/domain/case.h"
#include "docket/domain/case_number.h"
#include "docket/domain/court.h"
#include "docket/domain/filing.h"
#include "docket/domain/hotline.h"
#include "docket/domain/lawyer.h"
#include "docket/domain/payment.h"
#include "docket/domain/service.h"
#include "docket/domain/staff.h"

namespace docket::domain {
namespace {

TEST(VocabularyTest, StreamIdsAreTheCategoryADashAndTheId) {
  EXPECT_EQ(court_stream("渝0103"), "court-渝0103");
  EXPECT_EQ(lawyer_stream("15001201910123456"), "lawyer-15001201910123456");
  EXPECT_EQ(staff_stream("clerk-1"), "staff-clerk-1");
  EXPECT_EQ(filing_stream("F1"), "filing-F1");
  EXPECT_EQ(payment_stream("F1"), "payment-F1");
  EXPECT_EQ(case_stream("(2026)渝0103民初1234号"), "case-(2026)渝0103民初1234号");
  EXPECT_EQ(service_stream("S1"), "service-S1");
  EXPECT_EQ(hotline_stream("hr1"), "hotline-hr1");
  EXPECT_EQ(case_number_stream("渝0103", 2026), "case_number-渝0103-2026");
  EXPECT_EQ(case_number_stream("渝0103", 2026),
            stream_id(category::kCaseNumber, case_number_stream_id("渝0103", 2026)));
}

TEST(VocabularyTest, AnIdIsFoundOnlyInAStreamOfItsCategory) {
  EXPECT_EQ(id_in_stream("filing-F1", category::kFiling), "F1");
  EXPECT_EQ(id_in_stream("case-(2026)渝0103民初1号", category::kCase), "(2026)渝0103民初1号");
  EXPECT_EQ(id_in_stream("case_number-渝0103-2026", category::kCase), std::nullopt);
  EXPECT_EQ(id_in_stream("case_number-渝0103-2026", category::kCaseNumber), "渝0103-2026");
  EXPECT_EQ(id_in_stream("filing-", category::kFiling), std::nullopt);
  EXPECT_EQ(id_in_stream("filing", category::kFiling), std::nullopt);
  EXPECT_EQ(id_in_stream("filingX1", category::kFiling), std::nullopt);
}

TEST(VocabularyTest, EachAggregateHasItsCategory) {
  EXPECT_EQ(CourtAggregate::kCategory, "court");
  EXPECT_EQ(CaseNumberAggregate::kCategory, "case_number");
  EXPECT_EQ(LawyerAggregate::kCategory, "lawyer");
  EXPECT_EQ(StaffAggregate::kCategory, "staff");
  EXPECT_EQ(FilingAggregate::kCategory, "filing");
  EXPECT_EQ(PaymentAggregate::kCategory, "payment");
  EXPECT_EQ(CaseAggregate::kCategory, "case");
  EXPECT_EQ(ServiceAggregate::kCategory, "service");
  EXPECT_EQ(HotlineAggregate::kCategory, "hotline");
  EXPECT_EQ(std::set<std::string_view>(category::kAll.begin(), category::kAll.end()).size(),
            category::kAll.size());
}

TEST(VocabularyTest, EventTypesAreUniqueAndNamedAfterTheirConstant) {
  std::set<std::string_view> seen;
  for (const auto type : event_type::kAll) {
    EXPECT_TRUE(seen.insert(type).second) << type;
    ASSERT_FALSE(type.empty());
    EXPECT_TRUE(type.front() >= 'A' && type.front() <= 'Z') << type;
  }
  EXPECT_EQ(seen.size(), 105u);
  EXPECT_EQ(event_type::kFilingSubmitted, "FilingSubmitted");
  EXPECT_EQ(event_type::kSmsKeyNotificationQueued, "SmsKeyNotificationQueued");
  EXPECT_EQ(event_type::kLegacyBindingLocked, "LegacyBindingLocked");
  EXPECT_EQ(event_type::kRefundOrdered, "RefundOrdered");
  EXPECT_EQ(event_type::kHotlineRequestOverdue, "HotlineRequestOverdue");
}

TEST(VocabularyTest, TimerCommandsKeepTheirNames) {
  EXPECT_EQ(timer_command::kReviewDeadlineReached, "ReviewDeadlineReached");
  EXPECT_EQ(timer_command::kCorrectionDeadlineReached, "CorrectionDeadlineReached");
  EXPECT_EQ(timer_command::kPaymentDueDateReached, "PaymentDueDateReached");
  EXPECT_EQ(timer_command::kEvidenceExchangeDeadlineReached, "EvidenceExchangeDeadlineReached");
  EXPECT_EQ(CaseAggregate::kExchangeDeadlineCommand,
            timer_command::kEvidenceExchangeDeadlineReached);
  EXPECT_EQ(timer_command::kHotlineAnswerDueReached, "HotlineAnswerDueReached");
}

}  // namespace
}  // namespace docket::domain
