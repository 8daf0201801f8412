// Evidence of a case: batches added, removed and submitted by a lawyer and marked by the court;
// and evidence exchange — items sent by the judge, opened and answered by the lawyer by a deadline.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "case_fixture.h"
#include "docket/domain/case.h"
#include "fake_secrets.h"

namespace docket::domain {
namespace {

using namespace case_testing;

AddEvidenceItem item(std::string batch, std::string id) {
  return AddEvidenceItem{std::move(batch), id, "Exhibit " + id, kHash, "proves the loan"};
}

CaseUnderTest case_with_submitted_batch() {
  CaseUnderTest c = registered_case();
  EXPECT_TRUE(c.run(item("B1", "E1"), as(lawyer("L1"))));
  EXPECT_TRUE(c.run(item("B1", "E2"), as(lawyer("L1"))));
  EXPECT_TRUE(c.run(SubmitEvidenceBatch{"B1"}, as(lawyer("L1"))));
  return c;
}

const std::int64_t kRespondBy = kNow + 7 * kDay;

SendEvidenceForExchange exchange_to(std::string recipient) {
  return SendEvidenceForExchange{"X1",
                                 std::move(recipient),
                                 {EvidenceExchangeItemToSend{"I1", "Loan contract", kHash},
                                  EvidenceExchangeItemToSend{"I2", "Bank statement", kHash}},
                                 kRespondBy};
}

CaseUnderTest case_with_exchange() {
  CaseUnderTest c = registered_case();
  EXPECT_TRUE(c.run(exchange_to("L2"), as(judge())));
  return c;
}

TEST(EvidenceTest, AddingToANewBatchOpensIt) {
  CaseUnderTest c = registered_case();
  auto first = c.run(item("B1", "E1"), as(lawyer("L1")));
  ASSERT_TRUE(first);
  EXPECT_EQ(types(first), (std::vector<std::string>{"EvidenceBatchOpened", "EvidenceItemAdded"}));
  auto second = c.run(item("B1", "E2"), as(lawyer("L1")));
  ASSERT_TRUE(second);
  EXPECT_EQ(types(second), (std::vector<std::string>{"EvidenceItemAdded"}));
  const EvidenceBatch& batch = c.state.evidence_batches.at("B1");
  EXPECT_EQ(batch.status, EvidenceBatchStatus::kOpen);
  EXPECT_EQ(batch.licence, "L1");
  ASSERT_EQ(batch.items.size(), 2u);
  EXPECT_EQ(batch.items[1].item_id, "E2");
  auto duplicate = c.run(item("B1", "E2"), as(lawyer("L1")));
  ASSERT_FALSE(duplicate);
  EXPECT_EQ(duplicate.error().code, RejectionCode::kConflict);
}

TEST(EvidenceTest, ItemsNeedANameAndABlobHash) {
  CaseUnderTest c = registered_case();
  auto outcome = c.run(AddEvidenceItem{"B1", "E1", "", "ABC", ""}, as(lawyer("L1")));
  ASSERT_FALSE(outcome);
  EXPECT_EQ(fields(outcome.error()), (std::vector<std::string>{"name", "blob_hash"}));
  auto upper_hex =
      c.run(AddEvidenceItem{"B1", "E1", "x", std::string(64, 'A'), ""}, as(lawyer("L1")));
  ASSERT_FALSE(upper_hex);
  EXPECT_EQ(fields(upper_hex.error()), (std::vector<std::string>{"blob_hash"}));
}

TEST(EvidenceTest, OnlyAgentsAddEvidenceAndOnlyTheBatchOwnerChangesIt) {
  CaseUnderTest c = registered_case();
  auto stranger = c.run(item("B1", "E1"), as(lawyer("L9")));
  ASSERT_FALSE(stranger);
  EXPECT_EQ(stranger.error().code, RejectionCode::kForbidden);
  ASSERT_TRUE(c.run(item("B1", "E1"), as(lawyer("L1"))));
  for (const CaseCommand& command :
       {CaseCommand{item("B1", "E2")}, CaseCommand{RemoveEvidenceItems{"B1", {"E1"}}},
        CaseCommand{SubmitEvidenceBatch{"B1"}}}) {
    auto outcome = c.run(command, as(lawyer("L2")));
    ASSERT_FALSE(outcome);
    EXPECT_EQ(outcome.error().code, RejectionCode::kForbidden);
  }
}

TEST(EvidenceTest, ItemsAreRemovedInBatchesAndEveryUnknownIdIsListed) {
  CaseUnderTest c = registered_case();
  for (const char* id : {"E1", "E2", "E3"})
    ASSERT_TRUE(c.run(item("B1", id), as(lawyer("L1"))));
  auto unknown = c.run(RemoveEvidenceItems{"B1", {"E1", "E8", "E9"}}, as(lawyer("L1")));
  ASSERT_FALSE(unknown);
  EXPECT_EQ(fields(unknown.error()), (std::vector<std::string>{"item_ids[1]", "item_ids[2]"}));
  ASSERT_TRUE(c.run(RemoveEvidenceItems{"B1", {"E1", "E3"}}, as(lawyer("L1"))));
  const auto& items = c.state.evidence_batches.at("B1").items;
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].item_id, "E2");
}

TEST(EvidenceTest, AnEmptyBatchCannotBeSubmitted) {
  CaseUnderTest c = registered_case();
  ASSERT_TRUE(c.run(item("B1", "E1"), as(lawyer("L1"))));
  ASSERT_TRUE(c.run(RemoveEvidenceItems{"B1", {"E1"}}, as(lawyer("L1"))));
  auto outcome = c.run(SubmitEvidenceBatch{"B1"}, as(lawyer("L1")));
  ASSERT_FALSE(outcome);
  EXPECT_EQ(outcome.error().code, RejectionCode::kValidation);
}

TEST(EvidenceTest, ASubmittedBatchIsClosedToChanges) {
  CaseUnderTest c = case_with_submitted_batch();
  const EvidenceBatch& batch = c.state.evidence_batches.at("B1");
  EXPECT_EQ(batch.status, EvidenceBatchStatus::kSubmitted);
  EXPECT_EQ(batch.submitted_at_us, kNow);
  EXPECT_EQ(batch.items[0].status, EvidenceItemStatus::kSubmitted);
  for (const CaseCommand& command :
       {CaseCommand{item("B1", "E3")}, CaseCommand{RemoveEvidenceItems{"B1", {"E1"}}},
        CaseCommand{SubmitEvidenceBatch{"B1"}}}) {
    auto outcome = c.run(command, as(lawyer("L1")));
    ASSERT_FALSE(outcome);
    EXPECT_EQ(outcome.error().code, RejectionCode::kInvalidState);
  }
}

TEST(EvidenceTest, ACaseTakesManyBatches) {
  CaseUnderTest c = case_with_submitted_batch();
  ASSERT_TRUE(c.run(item("B2", "E1"), as(lawyer("L1"))));
  ASSERT_TRUE(c.run(item("B3", "E1"), as(lawyer("L2"))));
  ASSERT_TRUE(c.run(SubmitEvidenceBatch{"B2"}, as(lawyer("L1"))));
  EXPECT_EQ(c.state.evidence_batches.size(), 3u);
  EXPECT_EQ(c.state.evidence_batches.at("B3").licence, "L2");
}

TEST(EvidenceTest, TheCourtMarksEachItemReceivedAcceptedOrRejected) {
  CaseUnderTest c = registered_case();
  ASSERT_TRUE(c.run(item("B1", "E1"), as(lawyer("L1"))));
  auto unsubmitted =
      c.run(MarkEvidenceItem{"B1", "E1", EvidenceItemMark::kReceived, ""}, as(judge()));
  ASSERT_FALSE(unsubmitted);
  EXPECT_EQ(unsubmitted.error().code, RejectionCode::kInvalidState);
  ASSERT_TRUE(c.run(item("B1", "E2"), as(lawyer("L1"))));
  ASSERT_TRUE(c.run(SubmitEvidenceBatch{"B1"}, as(lawyer("L1"))));
  auto by_lawyer =
      c.run(MarkEvidenceItem{"B1", "E1", EvidenceItemMark::kAccepted, ""}, as(lawyer("L1")));
  ASSERT_FALSE(by_lawyer);
  EXPECT_EQ(by_lawyer.error().code, RejectionCode::kForbidden);
  ASSERT_TRUE(c.run(MarkEvidenceItem{"B1", "E1", EvidenceItemMark::kReceived, ""}, as(judge())));
  ASSERT_TRUE(
      c.run(MarkEvidenceItem{"B1", "E1", EvidenceItemMark::kAccepted, ""}, as(court_system())));
  ASSERT_TRUE(
      c.run(MarkEvidenceItem{"B1", "E2", EvidenceItemMark::kRejected, "illegible"}, as(judge())));
  const auto& items = c.state.evidence_batches.at("B1").items;
  EXPECT_EQ(items[0].status, EvidenceItemStatus::kAccepted);
  EXPECT_EQ(items[1].status, EvidenceItemStatus::kRejected);
  EXPECT_EQ(items[1].court_note, "illegible");
  auto remark = c.run(MarkEvidenceItem{"B1", "E1", EvidenceItemMark::kRejected, "x"}, as(judge()));
  ASSERT_FALSE(remark);
  EXPECT_EQ(remark.error().code, RejectionCode::kInvalidState);
}

TEST(EvidenceTest, RejectingAnItemNeedsANote) {
  CaseUnderTest c = case_with_submitted_batch();
  auto outcome = c.run(MarkEvidenceItem{"B1", "E1", EvidenceItemMark::kRejected, ""}, as(judge()));
  ASSERT_FALSE(outcome);
  EXPECT_EQ(fields(outcome.error()), (std::vector<std::string>{"note"}));
}

TEST(EvidenceTest, ExchangeGoesToAnAgentWithADeadlineTimer) {
  CaseUnderTest c = registered_case();
  auto stranger = c.run(exchange_to("L9"), as(judge()));
  ASSERT_FALSE(stranger);
  EXPECT_EQ(fields(stranger.error()), (std::vector<std::string>{"recipient_licence"}));
  SendEvidenceForExchange past = exchange_to("L2");
  past.respond_by_us = kNow;
  EXPECT_FALSE(c.run(past, as(judge())));
  auto by_lawyer = c.run(exchange_to("L2"), as(lawyer("L1")));
  ASSERT_FALSE(by_lawyer);
  EXPECT_EQ(by_lawyer.error().code, RejectionCode::kForbidden);
  auto sent = c.run(exchange_to("L2"), as(judge()));
  ASSERT_TRUE(sent);
  ASSERT_EQ(sent->timers_to_set.size(), 1u);
  const TimerRequest& timer = sent->timers_to_set[0];
  EXPECT_EQ(timer.id, "case-N1/evidence-exchange/X1/deadline");
  EXPECT_EQ(timer.stream, "case-N1");
  EXPECT_EQ(timer.due_at_us, kRespondBy);
  auto command = CaseAggregate::command_from_timer(timer.command_type, timer.payload);
  ASSERT_TRUE(command);
  ASSERT_TRUE(std::holds_alternative<EvidenceExchangeDeadlineReached>(*command));
  EXPECT_EQ(std::get<EvidenceExchangeDeadlineReached>(*command).exchange_id, "X1");
  EXPECT_EQ(c.state.evidence_exchanges.at("X1").status, EvidenceExchangeStatus::kSent);
  EXPECT_FALSE(CaseAggregate::command_from_timer("Unknown", "X1"));
}

TEST(EvidenceTest, OnlyTheRecipientOpensTheExchangeAndItIsRecordedOnce) {
  CaseUnderTest c = case_with_exchange();
  auto other = c.run(OpenEvidenceExchange{"X1"}, as(lawyer("L1")));
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().code, RejectionCode::kForbidden);
  ASSERT_TRUE(c.run(OpenEvidenceExchange{"X1"}, as(lawyer("L2"), kNow + 1)));
  auto again = c.run(OpenEvidenceExchange{"X1"}, as(lawyer("L2"), kNow + 2));
  ASSERT_TRUE(again);
  EXPECT_TRUE(again->events.empty());
  EXPECT_EQ(c.state.evidence_exchanges.at("X1").status, EvidenceExchangeStatus::kOpened);
  EXPECT_EQ(c.state.evidence_exchanges.at("X1").opened_at_us, kNow + 1);
}

TEST(EvidenceTest, TheLawyerAnswersEveryItemWithAnOpinionUnlessAgreeing) {
  CaseUnderTest c = case_with_exchange();
  auto incomplete = c.run(AnswerEvidenceExchange{"X1",
                                                 {{"I1", EvidenceExchangeResult::kDisagree, ""},
                                                  {"I9", EvidenceExchangeResult::kAgree, ""},
                                                  {"I1", EvidenceExchangeResult::kAgree, ""}}},
                          as(lawyer("L2")));
  ASSERT_FALSE(incomplete);
  EXPECT_EQ(fields(incomplete.error()),
            (std::vector<std::string>{"answers[0].opinion", "answers[1].item_id",
                                      "answers[2].item_id", "answers"}));
  auto answered = c.run(
      AnswerEvidenceExchange{"X1",
                             {{"I1", EvidenceExchangeResult::kPartlyAgree, "Signature disputed"},
                              {"I2", EvidenceExchangeResult::kAgree, ""}}},
      as(lawyer("L2"), kNow + kDay));
  ASSERT_TRUE(answered);
  EXPECT_EQ(answered->timers_to_cancel,
            (std::vector<std::string>{"case-N1/evidence-exchange/X1/deadline"}));
  const EvidenceExchange& exchange = c.state.evidence_exchanges.at("X1");
  EXPECT_EQ(exchange.status, EvidenceExchangeStatus::kAnswered);
  EXPECT_EQ(exchange.items[0].result, EvidenceExchangeResult::kPartlyAgree);
  EXPECT_EQ(exchange.items[0].opinion, "Signature disputed");
  EXPECT_EQ(exchange.items[1].result, EvidenceExchangeResult::kAgree);
  auto twice = c.run(AnswerEvidenceExchange{"X1", {}}, as(lawyer("L2")));
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error().code, RejectionCode::kInvalidState);
}

TEST(EvidenceTest, AnswersAfterTheDeadlineAreRefused) {
  CaseUnderTest c = case_with_exchange();
  const AnswerEvidenceExchange answer{
      "X1",
      {{"I1", EvidenceExchangeResult::kAgree, ""}, {"I2", EvidenceExchangeResult::kAgree, ""}}};
  auto late = c.run(answer, as(lawyer("L2"), kRespondBy + 1));
  ASSERT_FALSE(late);
  EXPECT_EQ(late.error().code, RejectionCode::kPolicy);
}

TEST(EvidenceTest, TheDeadlineTimerLapsesAnUnansweredExchangeAndIsHarmlessOtherwise) {
  CaseUnderTest c = case_with_exchange();
  auto early = c.run(EvidenceExchangeDeadlineReached{"X1"}, as(system_actor(), kRespondBy - 1));
  ASSERT_TRUE(early);
  EXPECT_TRUE(early->events.empty());
  auto by_lawyer = c.run(EvidenceExchangeDeadlineReached{"X1"}, as(lawyer("L2"), kRespondBy));
  ASSERT_FALSE(by_lawyer);
  EXPECT_EQ(by_lawyer.error().code, RejectionCode::kForbidden);
  auto lapsed = c.run(EvidenceExchangeDeadlineReached{"X1"}, as(system_actor(), kRespondBy));
  ASSERT_TRUE(lapsed);
  EXPECT_EQ(types(lapsed), (std::vector<std::string>{"EvidenceExchangeLapsed"}));
  EXPECT_EQ(c.state.evidence_exchanges.at("X1").status, EvidenceExchangeStatus::kLapsed);
  auto fired_again = c.run(EvidenceExchangeDeadlineReached{"X1"}, as(system_actor(), kRespondBy));
  ASSERT_TRUE(fired_again);
  EXPECT_TRUE(fired_again->events.empty());

  CaseUnderTest answered = case_with_exchange();
  ASSERT_TRUE(answered.run(AnswerEvidenceExchange{"X1",
                                                  {{"I1", EvidenceExchangeResult::kAgree, ""},
                                                   {"I2", EvidenceExchangeResult::kAgree, ""}}},
                           as(lawyer("L2"))));
  auto after_answer =
      answered.run(EvidenceExchangeDeadlineReached{"X1"}, as(system_actor(), kRespondBy + kDay));
  ASSERT_TRUE(after_answer);
  EXPECT_TRUE(after_answer->events.empty());
  EXPECT_EQ(answered.state.evidence_exchanges.at("X1").status, EvidenceExchangeStatus::kAnswered);
}

TEST(EvidenceTest, EndingTheCaseCancelsPendingExchangeDeadlines) {
  CaseUnderTest c = case_with_exchange();
  auto closed = c.run(CloseCase{"settled"}, as(judge()));
  ASSERT_TRUE(closed);
  EXPECT_EQ(closed->timers_to_cancel,
            (std::vector<std::string>{"case-N1/evidence-exchange/X1/deadline"}));
}

}  // namespace
}  // namespace docket::domain
