// Reactions: an accepted filing registers its case and issues its payment notice; a lapsed
// payment notice withdraws the case; each reaction is keyed by its triggering event's position.
#include "docket/domain/reactions.h"

#include <flatbuffers/flatbuffers.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "docket/domain/fee.h"
#include "fake_facts.h"
#include "fake_secrets.h"
#include "filing_generated.h"
#include "payment_generated.h"

namespace docket::domain {
namespace {

const testing::FakeSecrets kSecrets;
constexpr std::int64_t kDay = 86'400'000'000LL;
constexpr std::int64_t kNow = 1'775'000'000'000'000LL;  // 2026-03-31
const std::string kCaseNumber = "(2026)渝0103民初1234号";

Context as_system(std::int64_t now = kNow) {
  Context ctx;
  ctx.now_us = now;
  ctx.actor = Principal{"docket", Role::kSystem, ""};
  ctx.entropy = "0123456789abcdef0123";
  ctx.secrets = &kSecrets;
  return ctx;
}

template <class NativeT>
std::string payload_of(const NativeT& value) {
  flatbuffers::FlatBufferBuilder fbb;
  fbb.Finish(NativeT::TableType::Pack(fbb, &value));
  return std::string(reinterpret_cast<const char*>(fbb.GetBufferPointer()), fbb.GetSize());
}

std::string filing_accepted_payload() {
  fb::FilingAcceptedT e;
  e.filing_id = "F1";
  e.case_number = kCaseNumber;
  e.court = "渝0103";
  e.court_name = "重庆市渝中区人民法院";
  e.category = "民初";
  e.application_type = "起诉";
  e.filer = "L1";
  auto plaintiff = std::make_unique<fb::FilingPartyT>();
  plaintiff->party_id = "p1";
  plaintiff->position = fb::FilingPartyPosition::Plaintiff;
  plaintiff->kind = fb::FilingPartyKind::NaturalPerson;
  plaintiff->name = "张三";
  plaintiff->id_number = "500101199001011234";
  auto defendant = std::make_unique<fb::FilingPartyT>();
  defendant->party_id = "p2";
  defendant->position = fb::FilingPartyPosition::Defendant;
  defendant->kind = fb::FilingPartyKind::LegalPerson;
  defendant->name = "某某有限公司";
  defendant->id_number = "91500000MA5U000000";
  e.parties.push_back(std::move(plaintiff));
  e.parties.push_back(std::move(defendant));
  auto agent = std::make_unique<fb::FilingAgentT>();
  agent->licence_number = "L1";
  agent->name = "李律师";
  agent->firm = "甲律师事务所";
  agent->id_number = "500101198001011111";
  agent->represents = {"p1"};
  e.agents.push_back(std::move(agent));
  auto address = std::make_unique<fb::FilingServiceAddressT>();
  address->party_id = "p1";
  address->address = "重庆市渝中区";
  address->electronic_service_consent = true;
  e.service_addresses.push_back(std::move(address));
  e.amount_in_dispute_fen = 50'000'000;  // 500,000 yuan
  e.accepted_by = "C1";
  return payload_of(e);
}

std::string payment_lapsed_payload() {
  fb::PaymentNoticeLapsedT e;
  e.filing_id = "F1";
  e.case_number = kCaseNumber;
  e.due_at_us = kNow;
  e.amount_fen = 880'000;
  return payload_of(e);
}

StoredEvent stored(std::string_view stream, std::string_view type, const std::string& payload,
                   std::uint64_t position) {
  return StoredEvent{stream, type, 1, payload, 7, position, kNow - kDay};
}

TEST(ReactionTest, AnAcceptedFilingRegistersItsCase) {
  const std::string payload = filing_accepted_payload();
  const auto commands = react(stored("filing-F1", "FilingAccepted", payload, 42));
  ASSERT_EQ(commands.size(), 2u);
  const RoutedCommand& routed = commands[0];
  EXPECT_EQ(routed.stream, "case-" + kCaseNumber);
  EXPECT_EQ(routed.idempotency_key, "register-case/42");
  const auto& register_case = std::get<RegisterCase>(std::get<CaseCommand>(routed.command));
  EXPECT_EQ(register_case.case_number, kCaseNumber);
  EXPECT_EQ(register_case.court, "渝0103");
  EXPECT_EQ(register_case.category, "民初");
  EXPECT_EQ(register_case.filing_id, "F1");
  EXPECT_EQ(register_case.accepted_on_us, kNow - kDay);  // the event's recorded time
  EXPECT_TRUE(register_case.judge.empty());
  ASSERT_EQ(register_case.parties.size(), 2u);
  EXPECT_EQ(register_case.parties[0].role, CasePartyRole::kPlaintiff);
  EXPECT_TRUE(register_case.parties[0].electronic_service_consent);
  EXPECT_EQ(register_case.parties[1].role, CasePartyRole::kDefendant);
  EXPECT_EQ(register_case.parties[1].kind, CasePartyKind::kLegalPerson);
  EXPECT_FALSE(register_case.parties[1].electronic_service_consent);
  ASSERT_EQ(register_case.agents.size(), 1u);
  EXPECT_EQ(register_case.agents[0],
            (CaseAgent{"L1", "500101198001011111", "李律师", "甲律师事务所", {"p1"}}));

  // The command registers the case as it stands.
  auto outcome = CaseAggregate::decide(CaseAggregate::initial(),
                                       std::get<CaseCommand>(routed.command), as_system());
  ASSERT_TRUE(outcome) << outcome.error().message;
  EXPECT_EQ(outcome->events.at(0).type, "CaseRegistered");
}

TEST(ReactionTest, AnAcceptedFilingIssuesItsPaymentNoticeWhichThePaymentDeciderPrices) {
  const std::string payload = filing_accepted_payload();
  const auto commands = react(stored("filing-F1", "FilingAccepted", payload, 42));
  ASSERT_EQ(commands.size(), 2u);
  const RoutedCommand& routed = commands[1];
  EXPECT_EQ(routed.stream, "payment-F1");
  EXPECT_EQ(routed.idempotency_key, "issue-payment-notice/42");
  // The command names the filing; the decider reads the rest.
  const auto& notice = std::get<IssuePaymentNotice>(std::get<PaymentCommand>(routed.command));
  EXPECT_EQ(notice.filing_id, "F1");

  // Without the filing among its facts, the payment decider refuses it rather than issue a
  // fee-free notice.
  auto unread = PaymentAggregate::decide(PaymentAggregate::initial(), notice, as_system());
  ASSERT_FALSE(unread);
  EXPECT_EQ(unread.error().code, RejectionCode::kInvalidState);
  // With the accepted filing and its court's policy, it prices the notice and names the payers.
  testing::FakeFacts facts;
  FilingState& filing = facts.filings["F1"];
  filing.exists = true;
  filing.filing_id = "F1";
  filing.status = FilingStatus::kAccepted;
  filing.case_number = kCaseNumber;
  filing.court = "渝0103";  // as the accepted filing says
  filing.category = "民初";
  filing.amount_in_dispute_fen = 50'000'000;
  filing.agents = {FilingAgent{"L1", "李律师", "甲律师事务所", "500101198001011111", "", {"p1"}}};
  CourtState& court = facts.add_court("渝0103");
  court.policy.fee_schedule.rules_by_category["民初"] = national_property_fee_rule();
  court.policy.fee_due_period_us = 7 * kDay;
  Context ctx = as_system();
  ctx.facts = &facts;
  auto outcome = PaymentAggregate::decide(PaymentAggregate::initial(), notice, ctx);
  ASSERT_TRUE(outcome) << outcome.error().message;
  ASSERT_EQ(outcome->events.size(), 1u);
  EXPECT_EQ(outcome->events[0].type, "PaymentNoticeIssued");
  const std::unique_ptr<fb::PaymentNoticeIssuedT> issued(
      flatbuffers::GetRoot<fb::PaymentNoticeIssued>(outcome->events[0].payload.data())->UnPack());
  EXPECT_EQ(issued->filing_id, "F1");
  EXPECT_EQ(issued->case_number, kCaseNumber);
  EXPECT_EQ(issued->court, "渝0103");
  EXPECT_EQ(issued->payers, (std::vector<std::string>{"L1"}));
  EXPECT_EQ(issued->amount_fen, 880'000);  // 8,800 yuan on 500,000 yuan
  EXPECT_EQ(issued->due_at_us, kNow + 7 * kDay);
}

TEST(ReactionTest, ALapsedPaymentNoticeWithdrawsTheCase) {
  const std::string payload = payment_lapsed_payload();
  const auto commands = react(stored("payment-F1", "PaymentNoticeLapsed", payload, 99));
  ASSERT_EQ(commands.size(), 1u);
  EXPECT_EQ(commands[0].stream, "case-" + kCaseNumber);
  EXPECT_EQ(commands[0].idempotency_key, "withdraw-case/99");
  const auto& withdraw = std::get<WithdrawCase>(std::get<CaseCommand>(commands[0].command));
  EXPECT_EQ(withdraw.payment_notice, "payment-F1");

  // Registered from the accepted filing, the case ends withdrawn.
  const std::string accepted = filing_accepted_payload();
  const auto registration = react(stored("filing-F1", "FilingAccepted", accepted, 42));
  CaseState state = CaseAggregate::initial();
  std::vector<EventData> log;
  for (const CaseCommand& command : {std::get<CaseCommand>(registration[0].command),
                                     std::get<CaseCommand>(commands[0].command)}) {
    auto outcome = CaseAggregate::decide(state, command, as_system());
    ASSERT_TRUE(outcome) << outcome.error().message;
    for (const auto& event : outcome->events) {
      log.push_back(event);
      CaseAggregate::evolve(state, StoredEvent{"case-x", log.back().type, log.back().schema_version,
                                               log.back().payload, log.size(), log.size(), kNow});
    }
  }
  EXPECT_EQ(state.status, CaseStatus::kWithdrawn);
  EXPECT_EQ(state.withdrawal_notice, "payment-F1");
}

TEST(ReactionTest, IdempotencyKeysComeFromTheTriggeringEvent) {
  const std::string payload = filing_accepted_payload();
  const auto first = react(stored("filing-F1", "FilingAccepted", payload, 42));
  const auto replayed = react(stored("filing-F1", "FilingAccepted", payload, 42));
  const auto other = react(stored("filing-F1", "FilingAccepted", payload, 43));
  ASSERT_EQ(first.size(), replayed.size());
  for (std::size_t i = 0; i < first.size(); ++i) {
    EXPECT_EQ(first[i].idempotency_key, replayed[i].idempotency_key);
    EXPECT_NE(first[i].idempotency_key, other[i].idempotency_key);
  }
  EXPECT_NE(first[0].idempotency_key, first[1].idempotency_key);
}

TEST(ReactionTest, OtherEventsCauseNothing) {
  const std::string accepted = filing_accepted_payload();
  EXPECT_TRUE(react(stored("filing-F1", "FilingSubmitted", accepted, 1)).empty());
  EXPECT_TRUE(react(stored("case-N1", "HearingScheduled", accepted, 2)).empty());
  EXPECT_TRUE(react(stored("payment-F1", "PaymentConfirmed", accepted, 3)).empty());
  EXPECT_TRUE(react(stored("filing-F1", "FilingAccepted", "not a flatbuffer", 4)).empty());
  StoredEvent unknown_version = stored("filing-F1", "FilingAccepted", accepted, 5);
  unknown_version.schema_version = 9;
  EXPECT_TRUE(react(unknown_version).empty());
}

TEST(ReactionTest, CausesReactionsNamesTheEventsThatReactTurnsIntoCommands) {
  EXPECT_TRUE(causes_reactions("FilingAccepted", 1));
  EXPECT_TRUE(causes_reactions("PaymentNoticeLapsed", 1));
  EXPECT_FALSE(causes_reactions("FilingAccepted", 9));
  EXPECT_FALSE(causes_reactions("FilingSubmitted", 1));
  EXPECT_FALSE(causes_reactions("CaseRegistered", 1));
  // The same table drives react(): an event it names routes commands.
  EXPECT_FALSE(react(stored("filing-F1", "FilingAccepted", filing_accepted_payload(), 1)).empty());
}

}  // namespace
}  // namespace docket::domain
