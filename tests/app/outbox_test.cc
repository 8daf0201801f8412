// The outbox composers: what the SMS gateway and the notifier send.
#include "docket/app/outbox.h"

#include <gtest/gtest.h>

#include "docket/app/secrets.h"
#include "payment_generated.h"
#include "service_generated.h"

namespace docket::app {
namespace {

template <class NativeT>
std::string pack(const NativeT& value) {
  flatbuffers::FlatBufferBuilder fbb;
  fbb.Finish(NativeT::TableType::Pack(fbb, &value));
  return std::string(reinterpret_cast<const char*>(fbb.GetBufferPointer()), fbb.GetSize());
}

engine::RecordedEvent event(std::string stream, std::string type, std::string payload) {
  engine::RecordedEvent e;
  e.position = 42;
  e.stream = std::move(stream);
  e.type = std::move(type);
  e.payload = std::move(payload);
  return e;
}

const SodiumSecrets kSecrets(std::string(32, 'k'), PasswordHashing::minimal());

TEST(OutboxTest, TheSmsCarriesTheKeyTheServiceRecordedTheDigestOf) {
  domain::fb::SmsKeyNotificationQueuedT queued;
  queued.phone = "13800000001";
  queued.serial = 3;
  queued.expires_at_us = 1'767'225'600'000'000 + 600'000'000;  // 2026-01-01 08:10 CST
  const SmsOutbox outbox(kSecrets);
  auto sms = outbox.compose(event("service-s1", "SmsKeyNotificationQueued", pack(queued)));
  ASSERT_TRUE(sms.has_value());
  EXPECT_EQ(sms->sms_key, kSecrets.sms_key("service-s1", 3));
  EXPECT_EQ(sms->phone, "13800000001");
  EXPECT_EQ(sms->serial, 3u);
  EXPECT_EQ(sms->position, 42u);
  EXPECT_NE(sms->text.find(sms->sms_key), std::string::npos);
  EXPECT_NE(sms->text.find("2026-01-01 08:10"), std::string::npos) << sms->text;
}

TEST(OutboxTest, TheSmsNamesTheCaseAndDocumentWhenTheServiceIsKnown) {
  domain::fb::SmsKeyNotificationQueuedT queued;
  queued.phone = "13800000001";
  queued.serial = 1;
  domain::ServiceState served;
  served.exists = true;
  served.case_number = "(2026)渝0103民初1号";
  served.title = "开庭传票";
  auto sms = SmsOutbox(kSecrets).compose(
      event("service-s1", "SmsKeyNotificationQueued", pack(queued)), &served);
  ASSERT_TRUE(sms.has_value());
  EXPECT_NE(sms->text.find("(2026)渝0103民初1号"), std::string::npos);
  EXPECT_NE(sms->text.find("开庭传票"), std::string::npos);
}

TEST(OutboxTest, OtherEventsAndBrokenPayloadsComposeNothing) {
  const SmsOutbox outbox(kSecrets);
  EXPECT_FALSE(outbox.compose(event("service-s1", "DocumentSigned", "")));
  EXPECT_FALSE(outbox.compose(event("service-s1", "SmsKeyNotificationQueued", "garbage")));
  EXPECT_FALSE(outbox.compose(event("filing-f1", "SmsKeyNotificationQueued", "")));
  EXPECT_FALSE(SmsOutbox::compose_payment_notice(event("payment-f1", "PaymentStarted", "")));
}

TEST(OutboxTest, APaymentNoticeTellsThePayersTheCodeAmountAndDueDate) {
  domain::fb::PaymentNoticeIssuedT issued;
  issued.case_number = "(2026)渝0103民初1号";
  issued.code = "5001032026ABCD";
  issued.amount_fen = 123'456'78;
  issued.due_at_us = 1'767'225'600'000'000;
  issued.payers = {"15001201810010001", "15001201810010002"};
  auto notice =
      SmsOutbox::compose_payment_notice(event("payment-f1", "PaymentNoticeIssued", pack(issued)));
  ASSERT_TRUE(notice.has_value());
  EXPECT_EQ(notice->recipients, issued.payers);
  EXPECT_NE(notice->text.find("5001032026ABCD"), std::string::npos);
  EXPECT_NE(notice->text.find("123,456.78"), std::string::npos) << notice->text;
  EXPECT_NE(notice->text.find("2026-01-01 08:00"), std::string::npos) << notice->text;
}

TEST(OutboxTest, AmountsAndTimesAreWrittenForPeople) {
  EXPECT_EQ(yuan_text(0), "0.00");
  EXPECT_EQ(yuan_text(5), "0.05");
  EXPECT_EQ(yuan_text(100'000'000), "1,000,000.00");
  EXPECT_EQ(yuan_text(-150), "-1.50");
  EXPECT_EQ(china_time_text(0), "1970-01-01 08:00");
  EXPECT_EQ(china_time_text(1'767'196'800'000'000 - 1), "2025-12-31 23:59");
}

}  // namespace
}  // namespace docket::app
