// A reaction that fails for good is visible to an operator: /healthz, /metrics and the list.
#include <flatbuffers/flatbuffers.h>
#include <gtest/gtest.h>

#include "api_fixture.h"
#include "payment_generated.h"

namespace docket::api::testing {
namespace {

class FailedReactionsTest : public ApiTest {};

TEST_F(FailedReactionsTest, AReactionThatFailsForGoodShowsInHealthMetricsAndTheOpsList) {
  // A lapsed payment notice of a case that was never registered: withdrawing it is refused.
  domain::fb::PaymentNoticeLapsedT lapsed;
  lapsed.filing_id = "f-nowhere";
  lapsed.case_number = "(2026)渝0103民初9999号";
  lapsed.due_at_us = 1;
  lapsed.amount_fen = 1;
  flatbuffers::FlatBufferBuilder builder;
  builder.Finish(domain::fb::PaymentNoticeLapsed::Pack(builder, &lapsed));
  engine::AppendRequest request;
  request.stream = "payment-f-nowhere";
  request.actor = {"system", "system"};
  request.events.push_back(
      {"PaymentNoticeLapsed",
       1,
       std::string(reinterpret_cast<const char*>(builder.GetBufferPointer()), builder.GetSize()),
       {}});
  auto appended = platform().store().append(std::move(request));
  ASSERT_TRUE(appended) << appended.error().message;
  settle();

  auto health = anonymous()->get("/healthz");
  ASSERT_EQ(health.status, 200u);
  EXPECT_EQ(health.text("status"), "degraded");
  EXPECT_EQ(health.number("failed_reactions"), 1u);

  auto metrics = anonymous()->get("/metrics");
  EXPECT_NE(metrics.body.find("\ndocket_reactions_failed 1\n"), std::string::npos) << metrics.body;
  EXPECT_NE(metrics.body.find("\ndocket_reaction_failures_total 1\n"), std::string::npos);

  auto auditor = person("auditor01");
  auto listed = auditor->get("/v1/ops/reactions/failed");
  ASSERT_EQ(listed.status, 200u) << listed;
  const auto body = listed.json();
  const auto& failed = body.at("failed").as_array();
  ASSERT_EQ(failed.size(), 1u) << listed;
  EXPECT_EQ(failed[0].at("position").to_number<std::uint64_t>(), appended->last_position);
  EXPECT_EQ(failed[0].at("event_type").as_string(), "PaymentNoticeLapsed");

  auto admin = person("admin");
  const auto retry =
      "/v1/ops/reactions/failed/" + std::to_string(appended->last_position) + "/retry";
  auto again = admin->post(retry, json::object{});
  EXPECT_EQ(again.status, 409u) << again;
  auto missing = admin->post("/v1/ops/reactions/failed/1/retry", json::object{});
  EXPECT_EQ(missing.status, 404u) << missing;
  EXPECT_EQ(auditor->post(retry, json::object{}).status, 403u);
}

}  // namespace
}  // namespace docket::api::testing
