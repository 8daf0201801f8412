// Idempotency keys and If-Match pass through to the engine; person, case and account match.
#include "platform_fixture.h"

namespace docket::app::testing {
namespace {

using namespace domain;  // NOLINT(google-build-using-namespace)

using RequestTest = PlatformTest;

TEST_F(RequestTest, ARepeatedIdempotencyKeyReturnsTheFirstResultAndWritesNothing) {
  const std::string s = "lawyer-" + kFiler.id;
  must<LawyerAggregate>(s, ChangePassword{kFiler.id, "a-new-secret"}, kFiler);
  const AddScheduleEntry entry{clock_.now_us(), clock_.now_us() + kHourUs, false, "出差"};
  const Accepted first = must<LawyerAggregate>(s, entry, kFiler, "k-1");
  EXPECT_FALSE(first.deduplicated);
  const Accepted again = must<LawyerAggregate>(s, entry, kFiler, "k-1");
  EXPECT_TRUE(again.deduplicated);
  EXPECT_EQ(again.position, first.position);
  EXPECT_EQ(again.stream_version, first.stream_version);
  EXPECT_EQ(again.stream, s);
  EXPECT_EQ(last(), first.position);
  EXPECT_EQ(state<LawyerAggregate>(s).schedule.size(), 1u);
}

TEST_F(RequestTest, IdempotencyKeysAreScopedByWhoAsks) {
  must<LawyerAggregate>("lawyer-" + kFiler.id, ChangePassword{kFiler.id, "a-new-secret"}, kFiler,
                        "same-key");
  const Accepted other = must<LawyerAggregate>(
      "lawyer-" + kCoAgent.id, ChangePassword{kCoAgent.id, "another-secret"}, kCoAgent, "same-key");
  EXPECT_FALSE(other.deduplicated);
  EXPECT_FALSE(state<LawyerAggregate>("lawyer-" + kCoAgent.id).must_change_password);
}

TEST_F(RequestTest, AnOverlongIdempotencyKeyIsRefused) {
  const auto before = last();
  auto done = platform().execute<FilingAggregate>(
      "filing-f1", AcceptFilingNotice{},
      as(kFiler, std::string(kMaxIdempotencyKeyLength + 1, 'k')));
  ASSERT_FALSE(done);
  EXPECT_EQ(failure_code(done.error()), "validation");
  EXPECT_EQ(last(), before);
}

TEST_F(RequestTest, AStaleIfMatchIsAConflictAndWritesNothing) {
  fill_wizard("f1");
  const std::uint64_t version = platform().load<FilingAggregate>("filing-f1")->version;
  Request stale = as(kFiler);
  stale.if_match = version - 1;
  const auto before = last();
  auto refused = platform().execute<FilingAggregate>("filing-f1", ChooseMediation{true}, stale);
  ASSERT_FALSE(refused);
  ASSERT_TRUE(std::holds_alternative<engine::Error>(refused.error()));
  EXPECT_EQ(std::get<engine::Error>(refused.error()).code,
            engine::ErrorCode::kWrongExpectedVersion);
  EXPECT_EQ(std::get<engine::Error>(refused.error()).actual_version, version);
  EXPECT_EQ(last(), before);

  Request current = as(kFiler);
  current.if_match = version;
  auto done = platform().execute<FilingAggregate>("filing-f1", ChooseMediation{true}, current);
  ASSERT_TRUE(done) << describe(done.error());
  EXPECT_EQ(done->stream_version, version + 1);
}

TEST_F(RequestTest, AStaleIfMatchOnAcceptanceAllocatesNoCaseNumber) {
  submitted("f1");
  Request stale = as(kClerk);
  stale.if_match = 1;
  const auto before = last();
  auto refused = platform().accept_filing("f1", stale);
  ASSERT_FALSE(refused);
  EXPECT_EQ(failure_code(refused.error()), "wrong_expected_version");
  EXPECT_EQ(last(), before);
}

TEST_F(RequestTest, ARepeatedAcceptanceReturnsTheSameCaseNumberAndAllocatesOnce) {
  submitted("f1");
  auto first = platform().accept_filing("f1", as(kClerk, "accept-f1"));
  ASSERT_TRUE(first) << describe(first.error());
  const auto before = last();
  auto again = platform().accept_filing("f1", as(kClerk, "accept-f1"));
  ASSERT_TRUE(again) << describe(again.error());
  EXPECT_TRUE(again->deduplicated);
  EXPECT_EQ(again->case_number, first->case_number);
  EXPECT_EQ(again->position, first->position);
  EXPECT_EQ(last(), before);
  EXPECT_EQ(count("CaseNumberAllocated"), 1u);
}

TEST_F(RequestTest, ARepeatedServiceReturnsTheFirstServiceId) {
  const std::string number = registered("f1");
  must<CaseAggregate>(case_stream(number), AssignJudge{kJudge.id}, kCourtSystem);
  ServeDocument serve;
  serve.case_number = number;
  serve.document_type = "summons";
  serve.title = "开庭传票";
  serve.blob_hash = blob("summons");
  serve.recipient_licence = kFiler.id;
  auto first = platform().serve_document(serve, as(kJudge, "serve-1"));
  ASSERT_TRUE(first) << describe(first.error());
  auto again = platform().serve_document(serve, as(kJudge, "serve-1"));
  ASSERT_TRUE(again) << describe(again.error());
  EXPECT_TRUE(again->deduplicated);
  EXPECT_EQ(again->created_id, first->created_id);
  EXPECT_EQ(again->stream, first->stream);
  EXPECT_EQ(count("DocumentServed"), 1u);
}

TEST_F(RequestTest, ALawyerWhoIsNotAnAgentIsForbiddenToActOnTheCase) {
  const std::string number = registered("f1");
  must<CaseAggregate>(case_stream(number), AssignJudge{kJudge.id}, kCourtSystem);
  const std::string s = case_stream(number);
  EXPECT_EQ(failure_code(refused<CaseAggregate>(
                s, SendMessageToJudge{"m1", "询问", "何时开庭？", {}}, kOutsider)),
            "forbidden");
  EXPECT_EQ(failure_code(refused<CaseAggregate>(s, ApplyForFileReview{"a1", "阅卷"}, kOutsider)),
            "forbidden");
  EXPECT_EQ(failure_code(refused<CaseAggregate>(
                s, AddEvidenceItem{"b1", "i1", "借条", blob("iou"), "证明借款"}, kOutsider)),
            "forbidden");
  // The agents may.
  must<CaseAggregate>(s, SendMessageToJudge{"m1", "询问", "何时开庭？", {}}, kCoAgent);
}

TEST_F(RequestTest, ALawyerActsOnlyOnTheirOwnFiling) {
  fill_wizard("f1");
  EXPECT_EQ(failure_code(refused<FilingAggregate>("filing-f1", ChooseMediation{true}, kCoAgent)),
            "forbidden");
  EXPECT_EQ(failure_code(refused<FilingAggregate>("filing-f1", SubmitFiling{}, kOutsider)),
            "forbidden");
}

}  // namespace
}  // namespace docket::app::testing
