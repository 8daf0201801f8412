// Limits on guessing secrets that never let a stranger lock out the rightful person: failed
// logins counted per client address, SMS keys bounded per service, old-case binding attempts
// counted per lawyer.
#include <cstring>

#include "api_fixture.h"

namespace docket::api::testing {
namespace {

constexpr std::int64_t kMinuteUs = 60'000'000LL;
constexpr std::int64_t kOldCaseAcceptedUs = 1'500'000'000'000'000LL;  // 2017-07-14

class GuessingTest : public ApiTest {
 protected:
  // A client connecting from another loopback address: another machine, as the server sees it.
  std::unique_ptr<Client> from(const std::string& address) {
    auto c = anonymous();
    c->source_address = address;
    return c;
  }

  Reply log_in(Client& c, const std::string& login, const std::string& password) {
    return c.post("/v1/sessions", json::object{{"login", login}, {"password", password}});
  }

  std::string first_password(const std::string& login) { return logins_.at(login).secret; }
};

// Regression: five wrong passwords from anyone locked the account for everyone, again and again.
TEST_F(GuessingTest, AnAttackersAddressIsRefusedWhileTheOwnerLogsInFromAnother) {
  const std::string login(kCoAgent);  // a public licence number
  auto attacker = from("127.0.0.2");
  for (int i = 0; i < 10; ++i) {
    auto r = log_in(*attacker, login, "guess-" + std::to_string(i));
    EXPECT_EQ(r.status, i < 5 ? 401u : 429u) << i << ": " << r;
  }
  auto refused = log_in(*attacker, login, first_password(login));
  EXPECT_EQ(refused.status, 429u) << "the attacker's address, even with the right password";
  EXPECT_EQ(refused.header("content-type"), "application/problem+json");
  EXPECT_FALSE(refused.header("retry-after").empty());
  EXPECT_NE(refused.text("detail").find("of this account from this address"), std::string::npos)
      << refused;
  auto owner = anonymous();  // 127.0.0.1
  auto r = log_in(*owner, login, first_password(login));
  EXPECT_EQ(r.status, 201u) << "the owner from another address gets in: " << r;
}

TEST_F(GuessingTest, AnAddressThatFailsTooOftenIsRefusedForEveryAccount) {
  auto attacker = from("127.0.0.2");
  // Twenty failures spread over accounts, known or not, never five of one.
  for (int i = 0; i < 20; ++i) {
    const std::string login =
        i % 5 == 0 ? std::string(kCoAgent) : "1500888000000" + std::to_string(i);
    auto r = log_in(*attacker, login, "guess");
    EXPECT_EQ(r.status, 401u) << i << ": " << r;
  }
  const std::string other(kOutsider);
  auto refused = log_in(*attacker, other, first_password(other));
  EXPECT_EQ(refused.status, 429u) << "a second account from that address: " << refused;
  EXPECT_FALSE(refused.header("retry-after").empty());
  EXPECT_NE(refused.text("detail").find("from this address, whatever the account"),
            std::string::npos)
      << refused;
  // Any other address is unaffected, and the address itself may try again after the window.
  auto elsewhere = from("127.0.0.3");
  EXPECT_EQ(log_in(*elsewhere, other, first_password(other)).status, 201u);
  clock_.advance(15 * kMinuteUs + 1);
  EXPECT_EQ(log_in(*attacker, other, first_password(other)).status, 201u);
}

TEST_F(GuessingTest, ASuccessDoesNotClearTheAddresssTally) {
  auto attacker = from("127.0.0.2");
  const std::string own(kOutsider);
  for (int i = 0; i < 19; ++i)
    EXPECT_EQ(log_in(*attacker, "1500777000000" + std::to_string(i), "guess").status, 401u);
  // Logging in to an account of one's own forgives nothing of the other failures.
  EXPECT_EQ(log_in(*attacker, own, first_password(own)).status, 201u);
  EXPECT_EQ(log_in(*attacker, "15007770000099", "guess").status, 401u);
  EXPECT_EQ(log_in(*attacker, own, first_password(own)).status, 429u);
}

// A session's wrong old passwords follow the session to every address.
TEST_F(GuessingTest, WrongOldPasswordsAreCountedForTheSessionWhereverItIsUsed) {
  const std::string login(kFiler);
  auto lawyer = person(login);  // password now "changed-<login>"
  auto thief = from("127.0.0.2");
  thief->bearer = lawyer->bearer;
  for (int i = 0; i < 5; ++i) {
    auto r = thief->post("/v1/me/password",
                         json::object{{"old_password", "guess-" + std::to_string(i)},
                                      {"new_password", "stolen-session-77"}},
                         {{"Idempotency-Key", "thief-" + std::to_string(i)}});
    EXPECT_EQ(r.status, 403u) << r;
  }
  auto moved = from("127.0.0.3");
  moved->bearer = lawyer->bearer;
  auto r =
      moved->post("/v1/me/password",
                  json::object{{"old_password", "guess-5"}, {"new_password", "stolen-session-77"}},
                  {{"Idempotency-Key", "moved-1"}});
  EXPECT_EQ(r.status, 429u) << "the same session from another address: " << r;
  EXPECT_NE(r.text("detail").find("in this session"), std::string::npos) << r;
  // The owner, in a new session from their own address, is not held back.
  auto owner = anonymous();
  auto fresh = log_in(*owner, login, "changed-" + login);
  ASSERT_EQ(fresh.status, 201u) << fresh;
  owner->bearer = fresh.text("token");
  auto changed = owner->post(
      "/v1/me/password",
      json::object{{"old_password", "changed-" + login}, {"new_password", "a-new-password-42"}},
      {{"Idempotency-Key", "owner-1"}});
  EXPECT_EQ(changed.status, 200u) << changed;
}

class ServedDocumentTest : public GuessingTest {
 protected:
  void SetUp() override {
    GuessingTest::SetUp();
    lawyer_ = person(std::string(kFiler));
    const auto filing = submitted_filing(*lawyer_);
    auto accepted = person("clerk01")->post("/v1/filings/" + filing + "/accept");
    ASSERT_EQ(accepted.status, 200u) << accepted;
    const auto number = accepted.text("case_number");
    settle();
    const auto case_path = "/v1/cases/" + url_encode(number);
    ASSERT_EQ(court_system()->post(case_path + "/judge", json::object{{"judge", "judge01"}}).status,
              200u);
    auto judge = person("judge01");
    auto served =
        judge->post(case_path + "/services", json::object{{"document_type", "summons"},
                                                          {"title", "开庭传票"},
                                                          {"blob_hash", judge->upload(pdf("传票"))},
                                                          {"recipient_licence_number", kFiler}});
    ASSERT_EQ(served.status, 201u) << served;
    service_path_ = "/v1/services/" + served.text("created_id");
  }

  std::unique_ptr<Client> lawyer_;
  std::string service_path_;
};

// Regression: resends were unlimited, each key giving five more guesses.
TEST_F(ServedDocumentTest, AnSmsKeyResentPastTheLimitIsRefusedAndChangesNothing) {
  // The key sent with the service is the first of three in 24 hours.
  auto cms = court_system();
  EXPECT_EQ(lawyer_->post(service_path_ + "/sms-key").status, 200u);
  EXPECT_EQ(cms->post(service_path_ + "/sms-key").status, 200u);
  const auto before = last();
  for (auto* c : {lawyer_.get(), cms.get()}) {
    auto r = c->post(service_path_ + "/sms-key");
    EXPECT_EQ(r.status, 409u) << r;
    EXPECT_EQ(r.header("content-type"), "application/problem+json");
    EXPECT_EQ(r.text("code"), "policy");
    EXPECT_TRUE(
        r.text("detail").starts_with("Expected at most 3 SMS keys for a service in 24 "
                                     "hours, but 3 were sent"))
        << r;
  }
  EXPECT_EQ(last(), before) << "nothing written";
  clock_.advance(24LL * 60 * kMinuteUs);
  EXPECT_EQ(cms->post(service_path_ + "/sms-key").status, 200u) << "a day later";
}

// Regression: a wrong SMS key is recorded (it counts as a guess) and refused; its request's
// record under the Idempotency-Key was then dropped with the refusal while the engine kept the
// key, so the right SMS key sent under the same Idempotency-Key was answered with the first
// request's "wrong key" instead of being refused as another request under a used key.
TEST_F(ServedDocumentTest, AnIdempotencyKeySpentOnARecordedWrongGuessRefusesAnotherRequest) {
  auto admin = person("admin");
  settle();
  auto outbox = admin->get("/v1/outbox/sms?after=0&limit=1000");
  ASSERT_EQ(outbox.status, 200u) << outbox;
  std::string key;
  const auto rows = outbox.json();
  for (const auto& row : rows.at("items").as_array()) {
    const auto& o = row.as_object();
    if (o.at("service_id").as_string() == service_path_.substr(std::strlen("/v1/services/")))
      key = std::string(o.at("sms_key").as_string());
  }
  ASSERT_EQ(key.size(), 6u) << outbox;
  ASSERT_EQ(lawyer_->post(service_path_ + "/open").status, 200u);
  const std::string wrong = key == "000000" ? "111111" : "000000";
  auto guessed = lawyer_->post(service_path_ + "/signature", json::object{{"sms_key", wrong}},
                               {{"Idempotency-Key", "sign-1"}});
  ASSERT_EQ(guessed.status, 403u) << guessed;
  const auto recorded = last();
  // The same request again: the same refusal, nothing new written.
  auto repeated = lawyer_->post(service_path_ + "/signature", json::object{{"sms_key", wrong}},
                                {{"Idempotency-Key", "sign-1"}});
  EXPECT_EQ(repeated.status, 403u) << repeated;
  EXPECT_EQ(last(), recorded);
  // Another request under the spent key: refused as such, and the document stays unsigned.
  auto reused = lawyer_->post(service_path_ + "/signature", json::object{{"sms_key", key}},
                              {{"Idempotency-Key", "sign-1"}});
  EXPECT_EQ(reused.status, 422u) << reused;
  EXPECT_EQ(reused.text("code"), "idempotency_key_reused") << reused;
  EXPECT_EQ(last(), recorded);
  auto signed_ = lawyer_->post(service_path_ + "/signature", json::object{{"sms_key", key}},
                               {{"Idempotency-Key", "sign-2"}});
  EXPECT_EQ(signed_.status, 200u) << signed_;
}

// Regression: five wrong guesses by any lawyer locked an old case's binding for everyone, forever.
TEST_F(GuessingTest, AnotherLawyersWrongGuessesLeaveTheRightfulLawyerAbleToBind) {
  const std::string number = "(2017)渝0103民初77号";
  auto r = court_system()->post(
      "/v1/cases",
      json::object{
          {"case_number", number},
          {"category", "民初"},
          {"accepted_on_us", kOldCaseAcceptedUs},
          {"parties",
           json::array{
               json::object{{"party_id", "p1"}, {"name", "甲"}, {"standing", "plaintiff"}},
               json::object{{"party_id", "p2"}, {"name", "乙"}, {"standing", "defendant"}}}},
          {"query_code", "Q-2017-77"},
          {"password", "notice-pw-7731"}});
  ASSERT_EQ(r.status, 201u) << r;
  const std::string bind = "/v1/cases/" + url_encode(number) + "/binding";
  auto guesser = person(std::string(kOutsider));
  for (int i = 0; i < 5; ++i) {
    r = guesser->post(bind, json::object{{"query_code", "Q-2017-77"},
                                         {"password", "guess-" + std::to_string(i)}});
    EXPECT_EQ(r.status, 403u) << r;
  }
  r = guesser->post(bind, json::object{{"query_code", "Q-2017-77"}, {"password", "guess-5"}});
  EXPECT_EQ(r.status, 409u) << r;
  EXPECT_TRUE(r.text("detail").starts_with("Expected fewer than 5 wrong binding attempts by " +
                                           std::string(kOutsider)))
      << r;
  auto rightful = person(std::string(kCoAgent));
  r = rightful->post(bind,
                     json::object{{"query_code", "Q-2017-77"}, {"password", "notice-pw-7731"}});
  EXPECT_EQ(r.status, 200u) << "the rightful lawyer binds: " << r;
}

}  // namespace
}  // namespace docket::api::testing
