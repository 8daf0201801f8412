// Electronic service: serving on a consenting agent, forbidden document types, SMS keys kept by
// serial only (never the key nor a digest of it), resend, signing, the lock after five wrong keys,
// expiry, downloads.
#include "docket/domain/service.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "fake_facts.h"
#include "fake_secrets.h"
#include "service_generated.h"

namespace docket::domain {
namespace {

const testing::FakeSecrets kSecrets;
constexpr std::int64_t kMinute = 60'000'000LL;
constexpr std::int64_t kNow = 1'775'000'000'000'000LL;  // 2026-03-31
constexpr std::int64_t kValidity = 30 * kMinute;
const std::string kCourt = "渝0103";
const std::string kCaseNumber = "(2026)渝0103民初1234号";
const std::string kStream = "service-S1";

Context as(Principal actor, std::int64_t now = kNow) {
  Context ctx;
  ctx.now_us = now;
  ctx.actor = std::move(actor);
  ctx.entropy = std::string(16, 'e');
  ctx.secrets = &kSecrets;
  return ctx;
}
Principal lawyer(std::string licence) {
  return {std::move(licence), Role::kLawyer, ""};
}
Principal judge(std::string id = "J001") {
  return {std::move(id), Role::kJudge, kCourt};
}
Principal court_system(std::string court = kCourt) {
  return {"cms", Role::kCourtSystem, court};
}
Principal system_actor() {
  return {"docket", Role::kSystem, ""};
}

// What a service reads: case kCaseNumber of court kCourt with judge J001, where L1 represents p1,
// who consents to electronic service, and L2 represents p2, who does not; L1's and L2's accounts;
// the court, whose policy gives SMS keys kValidity and forbids serving judgments, rulings and
// mediation agreements electronically.
testing::FakeFacts world() {
  testing::FakeFacts facts;
  facts.add_court(kCourt).policy.sms_key_validity_us = kValidity;
  CaseState& kase = facts.cases[kCaseNumber];
  kase.exists = true;
  kase.case_number = kCaseNumber;
  kase.court = kCourt;
  kase.judge = "J001";
  CaseParty consenting{"p1",
                       "张三",
                       CasePartyKind::kNaturalPerson,
                       CasePartyRole::kPlaintiff,
                       "500101199001011234",
                       std::nullopt};
  consenting.electronic_service_consent = true;
  kase.parties = {consenting,
                  CaseParty{"p2", "李四", CasePartyKind::kNaturalPerson, CasePartyRole::kDefendant,
                            "500101199001015678", std::nullopt}};
  kase.agents = {CaseAgent{"L1", "ID-L1", "李律师", "甲律所", {"p1"}},
                 CaseAgent{"L2", "ID-L2", "王律师", "乙律所", {"p2"}}};
  facts.add_lawyer("L1", "李律师", "甲律所", "ID-L1", "13800000000");
  facts.add_lawyer("L2", "王律师", "乙律所", "ID-L2", "13800000002");
  return facts;
}

// A service stream under test: decides with `facts` (world() unless a test changes them), and
// folds emitted events through ServiceAggregate::evolve.
struct ServiceUnderTest {
  ServiceState state = ServiceAggregate::initial();
  std::vector<EventData> events;
  testing::FakeFacts facts = world();

  Outcome run(const ServiceCommand& command, const Context& ctx) {
    Outcome outcome = ServiceAggregate::decide(state, command, testing::reading(facts, ctx));
    if (outcome) {
      for (const auto& event : outcome->events) {
        events.push_back(event);
        const EventData& kept = events.back();
        ServiceAggregate::evolve(
            state, StoredEvent{kStream, kept.type, kept.schema_version, kept.payload, events.size(),
                               events.size(), ctx.now_us});
      }
    }
    return outcome;
  }
};

ServeDocument serve() {
  ServeDocument s;
  s.service_id = "S1";
  s.case_number = kCaseNumber;
  s.document_type = "hearing_notice";
  s.title = "开庭传票";
  s.blob_hash = std::string(64, 'b');
  s.recipient_licence = "L1";
  return s;
}

ServiceUnderTest served() {
  ServiceUnderTest s;
  EXPECT_TRUE(s.run(serve(), as(judge())));
  return s;
}

std::string key(std::uint32_t serial) {
  return kSecrets.sms_key(kStream, serial);
}

std::vector<std::string> types(const Outcome& outcome) {
  std::vector<std::string> out;
  for (const auto& event : outcome->events)
    out.push_back(event.type);
  return out;
}

TEST(ServiceTest, ServesOnAnAgentWhoConsentedAndQueuesTheSmsKey) {
  ServiceUnderTest s;
  auto outcome = s.run(serve(), as(judge()));
  ASSERT_TRUE(outcome);
  EXPECT_EQ(types(outcome), (std::vector<std::string>{"DocumentServed", "SmsKeyIssued",
                                                      "SmsKeyNotificationQueued"}));
  EXPECT_EQ(s.state.status, ServiceStatus::kSent);
  EXPECT_EQ(enum_name(s.state.status), "sent");
  EXPECT_EQ(s.state.recipient_licence, "L1");
  EXPECT_EQ(s.state.court, kCourt);  // the case's
  ASSERT_TRUE(s.state.sms_key.has_value());
  EXPECT_EQ(s.state.sms_key->serial, 1u);
  EXPECT_EQ(s.state.sms_key->expires_at_us, kNow + kValidity);
  const auto* queued =
      flatbuffers::GetRoot<fb::SmsKeyNotificationQueued>(outcome->events[2].payload.data());
  EXPECT_EQ(queued->phone()->str(), "13800000000");
  EXPECT_EQ(queued->serial(), 1u);
  EXPECT_EQ(service_stream("S1"), kStream);
}

TEST(ServiceTest, ServeListsEveryMissingFieldAtOnce) {
  ServeDocument bad = serve();
  bad.title.clear();
  bad.blob_hash = "nope";
  ServiceUnderTest s;
  s.facts.lawyers.at("L1").phone.clear();
  s.facts.courts.at(kCourt).policy.sms_key_validity_us = 0;
  auto outcome = s.run(bad, as(judge()));
  ASSERT_FALSE(outcome);
  EXPECT_EQ(outcome.error().code, RejectionCode::kValidation);
  std::vector<std::string> fields;
  for (const auto& v : outcome.error().violations)
    fields.push_back(v.field);
  EXPECT_EQ(fields, (std::vector<std::string>{"title", "blob_hash", "recipient_phone",
                                              "sms_key_validity_us"}));
}

TEST(ServiceTest, TheRecipientMustBeAnAgentOfTheCase) {
  ServeDocument not_agent = serve();
  not_agent.recipient_licence = "L9";
  ServiceUnderTest s;
  s.facts.add_lawyer("L9");  // a lawyer with an account, but not in this case
  auto outcome = s.run(not_agent, as(judge()));
  ASSERT_FALSE(outcome);
  ASSERT_EQ(outcome.error().violations.size(), 1u);
  EXPECT_EQ(outcome.error().violations[0].field, "recipient_licence");
}

TEST(ServiceTest, TheKeyGoesToThePhoneOfTheRecipientsActiveAccount) {
  ServiceUnderTest inactive;
  inactive.facts.lawyers.at("L1").active = false;
  auto refused = inactive.run(serve(), as(judge()));
  ASSERT_FALSE(refused);
  ASSERT_EQ(refused.error().violations.size(), 1u);
  EXPECT_EQ(refused.error().violations[0].field, "recipient_phone");
  ServiceUnderTest s;
  s.facts.lawyers.at("L1").phone = "13700000000";
  ASSERT_TRUE(s.run(serve(), as(judge())));
  EXPECT_EQ(s.state.recipient_phone, "13700000000");
}

TEST(ServiceTest, ServiceIsInARegisteredCase) {
  ServeDocument no_number = serve();
  no_number.case_number.clear();
  ServiceUnderTest s;
  auto empty = s.run(no_number, as(judge()));
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.error().code, RejectionCode::kValidation);
  ASSERT_EQ(empty.error().violations.size(), 1u);
  EXPECT_EQ(empty.error().violations[0].field, "case_number");
  ServeDocument elsewhere = serve();
  elsewhere.case_number = "(2026)渝0103民初9999号";
  auto missing = s.run(elsewhere, as(judge()));
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, RejectionCode::kNotFound);
  EXPECT_TRUE(s.events.empty());
}

TEST(ServiceTest, TheJudgeAndCourtAreTheCases) {
  ServiceUnderTest s;
  s.facts.cases.at(kCaseNumber).judge = "J002";
  auto former_judge = s.run(serve(), as(judge("J001")));
  ASSERT_FALSE(former_judge);
  EXPECT_EQ(former_judge.error().code, RejectionCode::kForbidden);
  ASSERT_TRUE(s.run(serve(), as(judge("J002"))));
  EXPECT_EQ(s.state.served_by, "J002");
}

TEST(ServiceTest, ThePolicysForbiddenDocumentTypesAreNotServedElectronically) {
  for (const char* type : {"judgment", "ruling", "mediation_agreement"}) {
    ServeDocument s = serve();
    s.document_type = type;
    ServiceUnderTest service;
    auto outcome = service.run(s, as(judge()));
    ASSERT_FALSE(outcome) << type;
    EXPECT_EQ(outcome.error().code, RejectionCode::kPolicy);
  }
  // The list is policy data: a court that allows judgments serves them.
  ServeDocument allowed = serve();
  allowed.document_type = "judgment";
  ServiceUnderTest service;
  service.facts.courts.at(kCourt).policy.no_electronic_service_document_types = {"ruling"};
  EXPECT_TRUE(service.run(allowed, as(judge())));
}

TEST(ServiceTest, ServiceNeedsTheRecipientsConsent) {
  // L2 represents p2, who did not consent to electronic service.
  ServeDocument s = serve();
  s.recipient_licence = "L2";
  ServiceUnderTest service;
  auto outcome = service.run(s, as(judge()));
  ASSERT_FALSE(outcome);
  EXPECT_EQ(outcome.error().code, RejectionCode::kPolicy);
  // Nor does L1 once they also represent p2.
  ServiceUnderTest both;
  both.facts.cases.at(kCaseNumber).agents[0].represents = {"p1", "p2"};
  auto represents_both = both.run(serve(), as(judge()));
  ASSERT_FALSE(represents_both);
  EXPECT_EQ(represents_both.error().code, RejectionCode::kPolicy);
}

TEST(ServiceTest, OnlyTheJudgeInChargeOrTheCourtSystemServes) {
  for (const Principal& who : {judge("J002"), lawyer("L1"), court_system("渝0105"),
                               Principal{"J001", Role::kJudge, "渝0105"}}) {
    ServiceUnderTest s;
    auto outcome = s.run(serve(), as(who));
    ASSERT_FALSE(outcome) << who.id;
    EXPECT_EQ(outcome.error().code, RejectionCode::kForbidden);
  }
  ServiceUnderTest s;
  EXPECT_TRUE(s.run(serve(), as(court_system())));
  auto again = s.run(serve(), as(court_system()));
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, RejectionCode::kConflict);
}

TEST(ServiceTest, TheSmsKeyIsNeverStoredOrQueuedInPlain) {
  ServiceUnderTest s = served();
  ASSERT_TRUE(s.run(ResendSmsKey{}, as(lawyer("L1"))));
  for (std::uint32_t serial : {1u, 2u}) {
    for (const auto& event : s.events) {
      EXPECT_EQ(event.payload.find(key(serial)), std::string::npos) << event.type;
    }
  }
  // Nor a digest of it: six digits are reversed by trying them all.
  for (const auto& event : s.events) {
    if (event.type == "SmsKeyIssued") {
      EXPECT_EQ(event.schema_version, 3u);
      const auto* issued = flatbuffers::GetRoot<fb::SmsKeyIssued>(event.payload.data());
      EXPECT_GT(issued->serial(), 0u);
    }
    for (const auto* table : {"SmsKeyIssued", "SmsKeyNotificationQueued"}) {
      if (event.type == table) {
        EXPECT_LT(event.payload.size(), 64u) << table << " has room for no digest";
      }
    }
  }
  EXPECT_EQ(s.state.sms_key->serial, 2u);
}

TEST(ServiceTest, SigningNeedsTheCurrentKeyFromTheRecipient) {
  ServiceUnderTest s = served();
  auto other = s.run(SignForReceipt{key(1)}, as(lawyer("L2")));
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().code, RejectionCode::kForbidden);
  auto empty = s.run(SignForReceipt{""}, as(lawyer("L1")));
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.error().code, RejectionCode::kValidation);
  auto signed_outcome = s.run(SignForReceipt{key(1)}, as(lawyer("L1"), kNow + kMinute));
  ASSERT_TRUE(signed_outcome);
  EXPECT_EQ(types(signed_outcome), (std::vector<std::string>{"DocumentSigned"}));
  EXPECT_EQ(s.state.status, ServiceStatus::kSigned);
  EXPECT_EQ(s.state.signed_at_us, kNow + kMinute);
  auto twice = s.run(SignForReceipt{key(1)}, as(lawyer("L1")));
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error().code, RejectionCode::kInvalidState);
}

TEST(ServiceTest, AResendMakesANewKeyAndVoidsTheOld) {
  ServiceUnderTest s = served();
  s.facts.lawyers.at("L1").phone = "13900000000";  // changed since the service
  auto resent = s.run(ResendSmsKey{}, as(lawyer("L1"), kNow + kMinute));
  ASSERT_TRUE(resent);
  EXPECT_EQ(types(resent),
            (std::vector<std::string>{"SmsKeyVoided", "SmsKeyIssued", "SmsKeyNotificationQueued"}));
  EXPECT_EQ(s.state.sms_key->serial, 2u);
  EXPECT_EQ(s.state.sms_key->expires_at_us, kNow + kMinute + kValidity);
  EXPECT_EQ(s.state.recipient_phone, "13900000000");
  ASSERT_NE(key(1), key(2));
  auto old_key = s.run(SignForReceipt{key(1)}, as(lawyer("L1")));
  ASSERT_TRUE(old_key);
  EXPECT_EQ(types(old_key), (std::vector<std::string>{"SigningAttemptFailed"}));
  EXPECT_NE(s.state.status, ServiceStatus::kSigned);
  ASSERT_TRUE(s.run(SignForReceipt{key(2)}, as(lawyer("L1"))));
  EXPECT_EQ(s.state.status, ServiceStatus::kSigned);
  auto after = s.run(ResendSmsKey{}, as(lawyer("L1")));
  ASSERT_FALSE(after);
  EXPECT_EQ(after.error().code, RejectionCode::kInvalidState);
}

TEST(ServiceTest, AResendTakesTheCourtsValidityNowAndKeepsThePhoneWhenTheAccountHasNone) {
  ServiceUnderTest s = served();
  s.facts.courts.at(kCourt).policy.sms_key_validity_us = 5 * kMinute;
  s.facts.lawyers.erase("L1");
  auto resent = s.run(ResendSmsKey{}, as(lawyer("L1"), kNow + kMinute));
  ASSERT_TRUE(resent);
  EXPECT_EQ(s.state.sms_key->expires_at_us, kNow + kMinute + 5 * kMinute);
  EXPECT_EQ(s.state.recipient_phone, "13800000000");
  const auto* queued =
      flatbuffers::GetRoot<fb::SmsKeyNotificationQueued>(resent->events.at(2).payload.data());
  EXPECT_EQ(queued->phone()->str(), "13800000000");
  // A court whose policy gives no validity sends no key.
  s.facts.courts.at(kCourt).policy.sms_key_validity_us = 0;
  auto refused = s.run(ResendSmsKey{}, as(lawyer("L1"), kNow + 2 * kMinute));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, RejectionCode::kValidation);
  EXPECT_EQ(refused.error().violations.at(0).field, "sms_key_validity_us");
}

TEST(ServiceTest, FiveWrongKeysLockSigningUntilAResend) {
  ServiceUnderTest s = served();
  for (std::uint32_t attempt = 1; attempt <= 5; ++attempt) {
    auto outcome = s.run(SignForReceipt{"000000"}, as(lawyer("L1")));
    ASSERT_TRUE(outcome);
    // Recorded, and rejected all the same.
    ASSERT_TRUE(outcome->rejection.has_value());
    EXPECT_EQ(outcome->rejection->code, RejectionCode::kForbidden);
    EXPECT_TRUE(outcome->rejection->message.starts_with("Expected the current SMS key"));
    EXPECT_EQ(s.state.failed_attempts, attempt);
    EXPECT_EQ(s.state.signing_locked, attempt == 5);
  }
  auto locked = s.run(SignForReceipt{key(1)}, as(lawyer("L1")));
  ASSERT_FALSE(locked);
  EXPECT_EQ(locked.error().code, RejectionCode::kPolicy);
  ASSERT_TRUE(s.run(ResendSmsKey{}, as(lawyer("L1"))));
  EXPECT_FALSE(s.state.signing_locked);
  EXPECT_EQ(s.state.failed_attempts, 0u);
  ASSERT_TRUE(s.run(SignForReceipt{key(2)}, as(lawyer("L1"))));
  EXPECT_EQ(s.state.status, ServiceStatus::kSigned);
}

// Each key gives five guesses, so keys are bounded too: at most three per service in any 24
// hours (the first, sent with the service, included), whoever asks.
TEST(ServiceTest, AtMostThreeSmsKeysAreSentForAServiceInTwentyFourHours) {
  constexpr std::int64_t kDay = 24 * 60 * kMinute;
  ServiceUnderTest s = served();  // key 1 at kNow
  ASSERT_TRUE(s.run(ResendSmsKey{}, as(lawyer("L1"), kNow + kMinute)));
  ASSERT_TRUE(s.run(ResendSmsKey{}, as(court_system(), kNow + 2 * kMinute)));
  const auto before = s.events.size();
  for (const auto& who : {lawyer("L1"), court_system()}) {
    auto refused = s.run(ResendSmsKey{}, as(who, kNow + 3 * kMinute));
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, RejectionCode::kPolicy);
    EXPECT_TRUE(refused.error().message.starts_with("Expected at most 3 SMS keys"))
        << refused.error().message;
  }
  EXPECT_EQ(s.events.size(), before);
  EXPECT_EQ(s.state.sms_key->serial, 3u);
  // The key in hand still signs; a day after the first key, the next may be sent.
  auto early = s.run(ResendSmsKey{}, as(lawyer("L1"), kNow + kDay - 1));
  ASSERT_FALSE(early);
  ASSERT_TRUE(s.run(ResendSmsKey{}, as(lawyer("L1"), kNow + kDay)));
  EXPECT_EQ(s.state.sms_key->serial, 4u);
  auto fifth = s.run(ResendSmsKey{}, as(lawyer("L1"), kNow + kDay + 1));
  ASSERT_FALSE(fifth);
  ASSERT_TRUE(s.run(ResendSmsKey{}, as(lawyer("L1"), kNow + kDay + kMinute)));
  ASSERT_TRUE(s.run(SignForReceipt{key(5)}, as(lawyer("L1"), kNow + kDay + kMinute + 2)));
}

TEST(ServiceTest, SigningWithAnExpiredKeyIsRefused) {
  ServiceUnderTest s = served();
  auto expired = s.run(SignForReceipt{key(1)}, as(lawyer("L1"), kNow + kValidity + 1));
  ASSERT_FALSE(expired);
  EXPECT_EQ(expired.error().code, RejectionCode::kPolicy);
  EXPECT_EQ(s.state.failed_attempts, 0u);
  ASSERT_TRUE(s.run(SignForReceipt{key(1)}, as(lawyer("L1"), kNow + kValidity)));
}

TEST(ServiceTest, DownloadOnlyAfterSigningAndEachDownloadIsRecorded) {
  ServiceUnderTest s = served();
  auto early = s.run(DownloadDocument{}, as(lawyer("L1")));
  ASSERT_FALSE(early);
  EXPECT_EQ(early.error().code, RejectionCode::kInvalidState);
  ASSERT_TRUE(s.run(SignForReceipt{key(1)}, as(lawyer("L1"))));
  auto other = s.run(DownloadDocument{}, as(lawyer("L2")));
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().code, RejectionCode::kForbidden);
  ASSERT_TRUE(s.run(DownloadDocument{}, as(lawyer("L1"), kNow + 1)));
  ASSERT_TRUE(s.run(DownloadDocument{}, as(lawyer("L1"), kNow + 2)));
  ASSERT_EQ(s.state.downloads.size(), 2u);
  EXPECT_EQ(s.state.downloads[1], (DocumentDownload{"L1", kNow + 2}));
}

TEST(ServiceTest, StatusMovesSentDeliveredOpenedSigned) {
  ServiceUnderTest s = served();
  auto by_lawyer = s.run(RecordSmsDelivery{1}, as(lawyer("L1")));
  ASSERT_FALSE(by_lawyer);
  EXPECT_EQ(by_lawyer.error().code, RejectionCode::kForbidden);
  auto stale = s.run(RecordSmsDelivery{7}, as(system_actor()));
  ASSERT_TRUE(stale);
  EXPECT_TRUE(stale->events.empty());
  ASSERT_TRUE(s.run(RecordSmsDelivery{1}, as(system_actor())));
  EXPECT_EQ(enum_name(s.state.status), "delivered");
  ASSERT_TRUE(s.run(OpenServiceNotice{}, as(lawyer("L1"))));
  EXPECT_EQ(enum_name(s.state.status), "opened");
  auto reopened = s.run(OpenServiceNotice{}, as(lawyer("L1")));
  ASSERT_TRUE(reopened);
  EXPECT_TRUE(reopened->events.empty());
  auto late_delivery = s.run(RecordSmsDelivery{1}, as(system_actor()));
  ASSERT_TRUE(late_delivery);
  EXPECT_TRUE(late_delivery->events.empty());
  ASSERT_TRUE(s.run(SignForReceipt{key(1)}, as(lawyer("L1"))));
  EXPECT_EQ(enum_name(s.state.status), "signed");
}

TEST(ServiceTest, CommandsOnAnUnservedStreamAreNotFound) {
  ServiceUnderTest s;
  auto outcome = s.run(SignForReceipt{"123456"}, as(lawyer("L1")));
  ASSERT_FALSE(outcome);
  EXPECT_EQ(outcome.error().code, RejectionCode::kNotFound);
}

}  // namespace
}  // namespace docket::domain
