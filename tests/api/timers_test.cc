// Deadlines over HTTP with the server built in-process on a manual clock: the review period, the
// correction deadline and the fee's due date fire through the platform's timers.
#include "api_fixture.h"

namespace docket::api::testing {
namespace {

class TimersTest : public ApiTest {
 protected:
  ServerOptions server_options() override {
    auto options = ApiTest::server_options();
    options.session_ttl_us = 90 * kDayUs;  // the clock jumps by weeks here
    return options;
  }

  void advance(std::int64_t us) {
    clock_.advance(us);
    settle();
  }

  std::string after() const { return "?after=" + std::to_string(last()); }

  bool history_has(const Reply& filing, std::string_view type) {
    auto v = filing.json();
    const auto* history = v.is_object() ? v.as_object().if_contains("history") : nullptr;
    if (history == nullptr || !history->is_array())
      return false;
    for (const auto& h : history->get_array()) {
      const auto* t = h.is_object() ? h.as_object().if_contains("type") : nullptr;
      if (t && t->is_string() && t->get_string() == type)
        return true;
    }
    return false;
  }
};

TEST_F(TimersTest, AFilingUndecidedForSevenDaysIsRecordedOverdueAndRegisteredByDefault) {
  auto lawyer = person(std::string(kFiler));
  const auto id = submitted_filing(*lawyer);
  settle();
  auto before = lawyer->get("/v1/filings/" + id + after());
  ASSERT_EQ(before.status, 200u) << before;
  EXPECT_EQ(before.text("status"), "submitted");

  advance(6 * kDayUs);
  EXPECT_EQ(lawyer->get("/v1/filings/" + id + after()).text("status"), "submitted")
      << "not before the review period has run out";
  advance(kDayUs + 1);
  auto filing = lawyer->get("/v1/filings/" + id + after());
  ASSERT_EQ(filing.status, 200u) << filing;
  EXPECT_EQ(filing.text("status"), "accepted") << filing;
  EXPECT_TRUE(filing.json().as_object()["registered_automatically"].as_bool()) << filing;
  EXPECT_TRUE(history_has(filing, "FilingReviewOverdue")) << filing;
  const auto number = filing.text("case_number");
  ASSERT_FALSE(number.empty());
  EXPECT_EQ(lawyer->get("/v1/cases/" + url_encode(number) + after()).status, 200u)
      << "the case was registered by the reaction";
}

TEST_F(TimersTest, WithoutAutomaticRegistrationAnOverdueFilingLeadsTheClerksQueue) {
  auto admin = person("admin");
  auto policy = admin->post("/v1/courts/" + url_encode(kCourt) + "/policy",
                            json::object{{"auto_register_when_review_overdue", false}});
  ASSERT_EQ(policy.status, 200u) << policy;
  auto lawyer = person(std::string(kFiler));
  const auto late = submitted_filing(*lawyer, "late");
  advance(3 * kDayUs);
  const auto fresh = submitted_filing(*lawyer, "fresh");
  advance(4 * kDayUs + 1);  // `late` is now past its seven days, `fresh` is not

  auto clerk = person("clerk01");
  auto queue = clerk->get("/v1/courts/" + url_encode(kCourt) + "/review-queue" + after());
  ASSERT_EQ(queue.status, 200u) << queue;
  const auto listed = queue.json();
  const auto& pending = listed.at("pending").at("items").as_array();
  ASSERT_EQ(pending.size(), 2u) << queue;
  EXPECT_EQ(pending[0].as_object().at("filing_id").as_string(), late) << queue;
  EXPECT_TRUE(pending[0].as_object().at("review_overdue").as_bool()) << queue;
  EXPECT_EQ(pending[1].as_object().at("filing_id").as_string(), fresh) << queue;
  EXPECT_FALSE(pending[1].as_object().at("review_overdue").as_bool()) << queue;
  EXPECT_EQ(lawyer->get("/v1/filings/" + late + after()).text("status"), "submitted");
}

TEST_F(TimersTest, AMediationOpenAtItsDeadlineFailsAndTheFilingIsReviewedAgain) {
  auto lawyer = person(std::string(kFiler));
  auto clerk = person("clerk01");
  const auto id = submitted_filing(*lawyer, "filing-1", std::string(kCourt), true);
  settle();
  const std::int64_t deadline = clock_.now_us() + 10 * kDayUs;
  auto referred = clerk->post("/v1/filings/" + id + "/mediation-referral",
                              json::object{{"mediator", "陈调解员"}, {"deadline_at_us", deadline}});
  ASSERT_EQ(referred.status, 200u) << referred;
  // The review period (7 days) passes while the mediation runs: nothing is overdue.
  advance(8 * kDayUs);
  auto during = lawyer->get("/v1/filings/" + id + after());
  ASSERT_EQ(during.status, 200u) << during;
  EXPECT_EQ(during.text("status"), "in_mediation") << during;
  EXPECT_FALSE(history_has(during, "FilingReviewOverdue")) << during;
  advance(3 * kDayUs);
  auto failed = lawyer->get("/v1/filings/" + id + after());
  ASSERT_EQ(failed.status, 200u) << failed;
  EXPECT_EQ(failed.text("status"), "submitted") << failed;
  EXPECT_TRUE(history_has(failed, "MediationConcluded")) << failed;
  const auto m = failed.json().as_object().at("mediation_referral").as_object();
  EXPECT_EQ(m.at("deadline_passed"), json::value(true)) << failed;
  EXPECT_GE(failed.json().as_object().at("review_due_at_us").to_number<std::int64_t>(),
            deadline + 7 * kDayUs)
      << "the review period starts again when the deadline passes";
}

TEST_F(TimersTest, AFilingNotCorrectedByTheDeadlineIsReturned) {
  auto lawyer = person(std::string(kFiler));
  const auto id = submitted_filing(*lawyer);
  auto clerk = person("clerk01");
  auto correction = clerk->post(
      "/v1/filings/" + id + "/correction",
      json::object{{"items", json::array{json::object{{"field", "materials"},
                                                      {"message", "请补充证据目录"}}}}});
  ASSERT_EQ(correction.status, 200u) << correction;
  advance(14 * kDayUs);
  EXPECT_EQ(lawyer->get("/v1/filings/" + id + after()).text("status"), "correction_requested");
  advance(kDayUs + 1);
  EXPECT_EQ(lawyer->get("/v1/filings/" + id + after()).text("status"), "returned");
  EXPECT_EQ(lawyer->post("/v1/filings/" + id + "/submit").status, 409u)
      << "a returned filing cannot be resubmitted";
}

class UnpaidFeeTest : public TimersTest {
 protected:
  // A filing accepted and its reactions run; returns {filing id, case number}.
  std::pair<std::string, std::string> accepted(Client& lawyer) {
    const auto id = submitted_filing(lawyer);
    auto clerk = person("clerk01");
    auto accepted = clerk->post("/v1/filings/" + id + "/accept");
    EXPECT_EQ(accepted.status, 200u) << accepted;
    settle();
    return {id, accepted.text("case_number")};
  }
};

TEST_F(UnpaidFeeTest, AFeeUnpaidByItsDueDateWithdrawsTheCase) {
  auto lawyer = person(std::string(kFiler));
  const auto [filing, number] = accepted(*lawyer);
  ASSERT_FALSE(number.empty());
  EXPECT_EQ(lawyer->get("/v1/payments/" + filing + after()).text("status"), "unpaid");
  advance(7 * kDayUs + 1);
  EXPECT_EQ(lawyer->get("/v1/payments/" + filing + after()).text("status"), "lapsed");
  auto kase = lawyer->get("/v1/cases/" + url_encode(number) + after());
  ASSERT_EQ(kase.status, 200u) << kase;
  EXPECT_EQ(kase.text("status"), "withdrawn") << kase;
}

TEST_F(UnpaidFeeTest, ADeferralGrantedBeforeTheDueDateKeepsTheCaseOpen) {
  auto lawyer = person(std::string(kFiler));
  const auto [filing, number] = accepted(*lawyer);
  auto applied = lawyer->post("/v1/payments/" + filing + "/relief",
                              json::object{{"kind", "deferral"}, {"reason", "经济困难"}});
  ASSERT_EQ(applied.status, 200u) << applied;
  auto clerk = person("clerk01");
  auto granted = clerk->post("/v1/payments/" + filing + "/relief/grant",
                             json::object{{"due_at_us", clock_.now_us() + 20 * kDayUs}});
  ASSERT_EQ(granted.status, 200u) << granted;
  advance(8 * kDayUs);
  EXPECT_EQ(lawyer->get("/v1/payments/" + filing + after()).text("status"), "unpaid");
  EXPECT_EQ(lawyer->get("/v1/cases/" + url_encode(number) + after()).text("status"), "open");
}

}  // namespace
}  // namespace docket::api::testing
