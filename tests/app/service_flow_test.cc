// Electronic service on the engine: the SMS key the outbox sends is the one signing accepts.
#include "docket/app/outbox.h"
#include "platform_fixture.h"

namespace docket::app::testing {
namespace {

using namespace domain;  // NOLINT(google-build-using-namespace)

class ServiceFlowTest : public PlatformTest {
 protected:
  void SetUp() override {
    PlatformTest::SetUp();
    number_ = registered("f1");
    must<CaseAggregate>(case_stream(number_), AssignJudge{kJudge.id}, kCourtSystem);
  }

  // Serves a summons on kFiler; returns the service id.
  std::string serve(std::string document_type = "summons") {
    ServeDocument serve;
    serve.case_number = number_;
    serve.document_type = std::move(document_type);
    serve.title = "开庭传票";
    serve.blob_hash = blob("summons of " + number_);
    serve.recipient_licence = kFiler.id;
    auto served = platform().serve_document(serve, as(kJudge));
    EXPECT_TRUE(served) << (served ? "" : describe(served.error()));
    return served ? served->created_id : std::string();
  }

  // The SMS the outbox sends for the latest key of a service.
  std::optional<SmsMessage> latest_sms(const std::string& service_id) {
    const SmsOutbox outbox(secrets_);
    const auto served = state<ServiceAggregate>(service_stream(service_id));
    std::optional<SmsMessage> sms;
    for (const auto& e : log()) {
      if (e.stream == service_stream(service_id)) {
        if (auto m = outbox.compose(e, &served))
          sms = m;
      }
    }
    return sms;
  }

  Outcome<Accepted> sign(const std::string& service_id, const std::string& key) {
    return platform().execute<ServiceAggregate>(service_stream(service_id), SignForReceipt{key},
                                                as(kFiler));
  }

  std::string number_;
};

TEST_F(ServiceFlowTest, TheKeyTheOutboxSendsSignsForTheDocumentWhichCanThenBeDownloaded) {
  const std::string id = serve();
  ASSERT_FALSE(id.empty());
  const ServiceState served = state<ServiceAggregate>(service_stream(id));
  EXPECT_EQ(served.recipient_phone, "13800000001") << "from the lawyer's account";
  EXPECT_EQ(served.court, "渝0103");

  auto sms = latest_sms(id);
  ASSERT_TRUE(sms.has_value());
  EXPECT_EQ(sms->phone, "13800000001");
  EXPECT_EQ(sms->serial, 1u);
  EXPECT_EQ(sms->sms_key.size(), 6u);
  EXPECT_NE(sms->text.find(sms->sms_key), std::string::npos);
  EXPECT_NE(sms->text.find(number_), std::string::npos);
  EXPECT_EQ(log().back().payload.find(sms->sms_key), std::string::npos)
      << "the key is never in the log";

  // Not before signing.
  refused<ServiceAggregate>(service_stream(id), DownloadDocument{}, kFiler);
  auto signed_ = sign(id, sms->sms_key);
  ASSERT_TRUE(signed_) << describe(signed_.error());
  EXPECT_EQ(state<ServiceAggregate>(service_stream(id)).status, ServiceStatus::kSigned);
  must<ServiceAggregate>(service_stream(id), DownloadDocument{}, kFiler);
  const auto downloads = state<ServiceAggregate>(service_stream(id)).downloads;
  ASSERT_EQ(downloads.size(), 1u);
  EXPECT_EQ(downloads[0].licence, kFiler.id);
}

TEST_F(ServiceFlowTest, FiveWrongKeysLockSigningUntilANewKeyIsSent) {
  const std::string id = serve();
  const auto first = latest_sms(id);
  ASSERT_TRUE(first.has_value());
  const std::string wrong = first->sms_key == "000000" ? "111111" : "000000";
  for (int attempt = 1; attempt <= 5; ++attempt) {
    const auto before = last();
    auto refused = sign(id, wrong);
    ASSERT_FALSE(refused) << "attempt " << attempt;
    ASSERT_TRUE(std::holds_alternative<Rejection>(refused.error()));
    EXPECT_EQ(std::get<Rejection>(refused.error()).code, RejectionCode::kForbidden);
    EXPECT_GT(last(), before) << "a wrong key is recorded";
  }
  EXPECT_TRUE(state<ServiceAggregate>(service_stream(id)).signing_locked);
  auto locked = sign(id, first->sms_key);
  ASSERT_FALSE(locked);
  EXPECT_EQ(failure_code(locked.error()), "policy");

  must<ServiceAggregate>(service_stream(id), ResendSmsKey{}, kFiler);
  const auto second = latest_sms(id);
  ASSERT_TRUE(second.has_value());
  EXPECT_EQ(second->serial, 2u);
  EXPECT_FALSE(state<ServiceAggregate>(service_stream(id)).signing_locked);
  auto stale = sign(id, first->sms_key);
  if (first->sms_key != second->sms_key) {
    ASSERT_FALSE(stale) << "the voided key no longer signs";
  }
  auto signed_ = sign(id, second->sms_key);
  ASSERT_TRUE(signed_) << describe(signed_.error());
}

TEST_F(ServiceFlowTest, ARepeatedWrongKeyRequestIsStillReportedAsFailed) {
  const std::string id = serve();
  auto first = platform().execute<ServiceAggregate>(service_stream(id), SignForReceipt{"999999x"},
                                                    as(kFiler, "sign-1"));
  ASSERT_FALSE(first);
  EXPECT_EQ(failure_code(first.error()), "forbidden");
  const auto before = last();
  auto again = platform().execute<ServiceAggregate>(service_stream(id), SignForReceipt{"999999x"},
                                                    as(kFiler, "sign-1"));
  ASSERT_FALSE(again);
  EXPECT_EQ(failure_code(again.error()), "forbidden");
  EXPECT_EQ(last(), before);
}

TEST_F(ServiceFlowTest, TheCourtsPolicyForbidsServingAJudgmentElectronically) {
  ServeDocument serve;
  serve.service_id = "s-judgment";
  serve.case_number = number_;
  serve.document_type = "judgment";
  serve.title = "民事判决书";
  serve.blob_hash = blob("judgment");
  serve.recipient_licence = kFiler.id;
  // The court's policy (facts) forbids it, whoever serves.
  auto failure = refused<ServiceAggregate>(service_stream("s-judgment"), serve, kJudge);
  EXPECT_EQ(failure_code(failure), "policy");
}

TEST_F(ServiceFlowTest, ServiceNeedsThePartysConsentToElectronicService) {
  // The co-agent represents p1 too, who consented; a lawyer bound to no party has no consent.
  ServeDocument serve;
  serve.service_id = "s-outsider";
  serve.case_number = number_;
  serve.document_type = "summons";
  serve.title = "开庭传票";
  serve.blob_hash = blob("summons");
  serve.recipient_licence = kOutsider.id;
  // Whether the recipient is an agent who consented is the case's to say (facts).
  auto failure = refused<ServiceAggregate>(service_stream("s-outsider"), serve, kJudge);
  EXPECT_EQ(failure_code(failure), "validation");
}

TEST_F(ServiceFlowTest, OnlyTheJudgeInChargeOrTheCourtSystemServes) {
  ServeDocument serve;
  serve.service_id = "s-other-judge";
  serve.case_number = number_;
  serve.document_type = "summons";
  serve.title = "开庭传票";
  serve.blob_hash = blob("summons");
  serve.recipient_licence = kFiler.id;
  // The case names its judge (facts): another judge of the court may not serve.
  auto failure = refused<ServiceAggregate>(service_stream("s-other-judge"), serve,
                                           Principal{"judge02", Role::kJudge, "渝0103"});
  EXPECT_EQ(failure_code(failure), "forbidden");
  serve.service_id = "s-cms";
  auto served =
      platform().execute<ServiceAggregate>(service_stream("s-cms"), serve, as(kCourtSystem));
  ASSERT_TRUE(served) << describe(served.error());
  EXPECT_EQ(served->created_id, "s-cms");
}

}  // namespace
}  // namespace docket::app::testing
