// Timers reach their aggregate by the category of their stream.
#include "platform_fixture.h"

namespace docket::app::testing {
namespace {

using namespace domain;  // NOLINT(google-build-using-namespace)

using TimersTest = PlatformTest;

TEST_F(TimersTest, AnUnansweredEvidenceExchangeLapsesAtItsDeadline) {
  const std::string number = registered("f1");
  const std::string s = case_stream(number);
  must<CaseAggregate>(s, AssignJudge{kJudge.id}, kCourtSystem);
  must<CaseAggregate>(
      s,
      SendEvidenceForExchange{
          "x1", kFiler.id, {{"e1", "被告证据一", blob("exhibit")}}, clock_.now_us() + 5 * kDayUs},
      kJudge);
  clock_.advance(5 * kDayUs + kHourUs);
  ASSERT_TRUE(platform().settle());
  EXPECT_EQ(kase(number).evidence_exchanges.at("x1").status, EvidenceExchangeStatus::kLapsed);
}

TEST_F(TimersTest, ATimerNoAggregateCanRunIsRemovedInsteadOfFiringForever) {
  engine::AppendRequest request;
  request.stream = "unknown-1";
  request.actor = {"tester", "system"};
  request.events.push_back({"Something", 1, "", {}});
  request.timers_to_set.push_back({"unknown-1/t", clock_.now_us(), "unknown-1", "Tick", ""});
  ASSERT_TRUE(store().append(std::move(request)));
  ASSERT_TRUE(platform().settle());
  auto pending = platform().timers().pending();
  ASSERT_TRUE(pending);
  EXPECT_TRUE(pending->empty());
}

TEST_F(TimersTest, ATimerWhosePayloadDoesNotParseIsRemoved) {
  submitted("f1");
  engine::AppendRequest request;
  request.stream = "filing-f1";
  request.actor = {"tester", "system"};
  request.timers_to_set.push_back(
      {"filing-f1/broken", clock_.now_us(), "filing-f1", "ReviewDeadlineReached", "garbage"});
  ASSERT_TRUE(store().append(std::move(request)));
  ASSERT_TRUE(platform().settle());
  auto pending = platform().timers().pending();
  ASSERT_TRUE(pending);
  ASSERT_EQ(pending->size(), 1u) << "only the real review deadline is left";
  EXPECT_EQ(pending->front().id, filing_review_timer_id("f1", 1));
  EXPECT_EQ(filing("f1").status, FilingStatus::kSubmitted);
}

}  // namespace
}  // namespace docket::app::testing
