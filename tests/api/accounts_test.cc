// Accounts: sessions, passwords and logins, over HTTP and against the platform.
#include "api_fixture.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <thread>

#include "docket/app/hashing_limit.h"
#include "docket/app/secret_source.h"

namespace docket::api::testing {
namespace {

class AccountsTest : public ApiTest {
 protected:
  // A fresh session of `login` (already past its first password change) with `password`.
  std::unique_ptr<Client> log_in(const std::string& login, const std::string& password) {
    auto c = anonymous();
    auto r = c->post("/v1/sessions", json::object{{"login", login}, {"password", password}});
    EXPECT_EQ(r.status, 201u) << r;
    c->bearer = r.text("token");
    return c;
  }
};

// Notice §1, §2: a basic-level legal service worker (基层法律服务工作者) is onboarded from their
// legal service office's roster and then works as a lawyer does, logging in with their
// practising-certificate number.
TEST_F(AccountsTest, ALegalServiceWorkerImportedFromARosterWorksAsALawyerDoes) {
  auto admin = person("admin");
  const std::string number = "25001201890000001";
  auto imported = admin->post(
      "/v1/roster",
      json::object{
          {"firm", "重庆市渝中区某某法律服务所"},
          {"lawyers", json::array{json::object{{"name", "赵工作者"},
                                               {"licence_number", number},
                                               {"id_number", "500103198801010055"},
                                               {"phone", "13900000055"},
                                               {"email", "zhao@example.com"},
                                               {"practitioner", "legal_service_worker"}}}}});
  ASSERT_EQ(imported.status, 200u) << imported;
  auto worker = std::make_unique<Client>(port());
  auto login = worker->post("/v1/sessions", json::object{{"login", number}, {"password", number}});
  ASSERT_EQ(login.status, 201u) << login;
  worker->bearer = login.text("token");
  ASSERT_EQ(worker
                ->post("/v1/me/password", json::object{{"old_password", number},
                                                       {"new_password", "worker-password-1"}})
                .status,
            200u);
  auto home = worker->get("/v1/me/home?after=" + std::to_string(last()));
  ASSERT_EQ(home.status, 200u) << home;
  EXPECT_EQ(home.text("practitioner"), "legal_service_worker") << home;
  auto started = worker->post("/v1/filings", json::object{}, {{"Idempotency-Key", "worker-1"}});
  EXPECT_EQ(started.status, 201u) << "files as a lawyer does: " << started;
  // Re-imported as a lawyer under the same number: refused, the account unchanged.
  auto other = admin->post(
      "/v1/roster",
      json::object{{"firm", "重庆市渝中区某某法律服务所"},
                   {"lawyers", json::array{json::object{{"name", "赵工作者"},
                                                        {"licence_number", number},
                                                        {"id_number", "500103198801010055"},
                                                        {"phone", "13900000055"},
                                                        {"email", "zhao@example.com"}}}}});
  EXPECT_EQ(other.status, 422u) << other;
}

TEST_F(AccountsTest, APasswordChangeEndsEveryOtherSessionOfTheAccountButKeepsItsOwn) {
  const std::string login(kFiler);
  auto first = person(login);  // the first password is now "changed-<login>"
  auto second = log_in(login, "changed-" + login);
  auto third = log_in(login, "changed-" + login);
  auto other = person(std::string(kCoAgent));
  ASSERT_EQ(second->get("/v1/me").status, 200u);
  ASSERT_EQ(third->get("/v1/me").status, 200u);

  auto changed = second->post(
      "/v1/me/password",
      json::object{{"old_password", "changed-" + login}, {"new_password", "another-pass-77"}},
      {{"Idempotency-Key", "change-from-the-second-session"}});
  ASSERT_EQ(changed.status, 200u) << changed;
  EXPECT_EQ(second->get("/v1/me").status, 200u) << "the session that changed it stays";
  EXPECT_EQ(first->get("/v1/me").status, 401u) << "every other session of the account ends";
  EXPECT_EQ(third->get("/v1/me").status, 401u);
  EXPECT_EQ(other->get("/v1/me").status, 200u) << "other accounts are untouched";
  auto fresh = log_in(login, "another-pass-77");
  EXPECT_EQ(fresh->get("/v1/me").status, 200u) << "later logins work";
}

TEST_F(AccountsTest, AStaffPasswordChangeEndsTheStaffMembersOtherSessions) {
  const std::string clerk = "clerk01";
  auto first = person(clerk);
  auto second = log_in(clerk, "changed-" + clerk);
  auto changed = second->post(
      "/v1/me/password",
      json::object{{"old_password", "changed-" + clerk}, {"new_password", "another-pass-77"}},
      {{"Idempotency-Key", "change-from-the-second-session"}});
  ASSERT_EQ(changed.status, 200u) << changed;
  EXPECT_EQ(second->get("/v1/me").status, 200u);
  EXPECT_EQ(first->get("/v1/me").status, 401u);
}

TEST_F(AccountsTest, ThePasswordPolicyRefusesShortRepeatedBlankControlAndCommonPasswords) {
  const std::string login(kFiler);
  auto lawyer = person(login);
  const std::string current = "changed-" + login;
  const std::vector<std::string> refused = {
      "12345678",             // eight characters
      "abcdefghi",            // nine
      std::string(12, ' '),   // whitespace only
      std::string(12, '\0'),  // NUL bytes
      "zzzzzzzzzzzz",         // one repeated character
      "good-pass\x01word",    // a control character
      "good\npassword",       // a line break is a control character too
      login,                  // the licence number
      "1234567890",           // common passwords
      "qwertyuiop",
      "123456789a",
      "Password123",  // common, whatever the case
  };
  for (const auto& bad : refused) {
    auto r = lawyer->post("/v1/me/password",
                          json::object{{"old_password", current}, {"new_password", bad}});
    EXPECT_EQ(r.status, 422u) << json::serialize(json::string(bad)) << " " << r;
    EXPECT_NE(r.text("detail").find("Expected"), std::string::npos) << r;
  }
  auto ok = lawyer->post("/v1/me/password",
                         json::object{{"old_password", current}, {"new_password", "ten chars!"}});
  EXPECT_EQ(ok.status, 200u) << ok;

  // The same rules hold for the first password an admin gives a staff member.
  auto admin = person("admin");
  auto staff = admin->post("/v1/staff", json::object{{"staff_id", "clerk09"},
                                                     {"name", "某书记员"},
                                                     {"role", "clerk"},
                                                     {"court", kCourt},
                                                     {"initial_password", "1234567890"}});
  EXPECT_EQ(staff.status, 422u) << staff;
  staff = admin->post("/v1/staff", json::object{{"staff_id", "clerk09"},
                                                {"name", "某书记员"},
                                                {"role", "clerk"},
                                                {"court", kCourt},
                                                {"initial_password", "clerk09"}});
  EXPECT_EQ(staff.status, 422u) << staff;
}

TEST_F(AccountsTest, WrongOldPasswordsAreThrottledLikeFailedLogins) {
  const std::string login(kFiler);
  auto lawyer = person(login);
  const std::uint32_t limit = 5;  // of one account from one address, and of one session
  for (std::uint32_t i = 0; i < limit; ++i) {
    auto r = lawyer->post("/v1/me/password",
                          json::object{{"old_password", "a-wrong-guess-" + std::to_string(i)},
                                       {"new_password", "another-pass-77"}});
    EXPECT_EQ(r.status, 403u) << r;
  }
  auto locked = lawyer->post("/v1/me/password", json::object{{"old_password", "changed-" + login},
                                                             {"new_password", "another-pass-77"}});
  EXPECT_EQ(locked.status, 429u) << "even the right old password waits: " << locked;
  EXPECT_FALSE(locked.header("retry-after").empty());
  auto relogin = anonymous()->post(
      "/v1/sessions", json::object{{"login", login}, {"password", "changed-" + login}});
  EXPECT_EQ(relogin.status, 429u) << "the same counter as logins from this address: " << relogin;
}

// At most app::hashing_limit() password computations run at once, however many requests ask.
TEST_F(AccountsTest, ConcurrentWrongLoginsNeverHashMoreThanTheBoundAtOnce) {
  const auto before = app::hashing_limit();
  app::set_hashing_limit(2);
  app::reset_peak_concurrent_hashes();
  // Real-sized work, so that computations overlap when nothing bounds them.
  app::SodiumSecrets heavy(std::string(32, 's'), app::PasswordHashing{1, 8u << 20});
  const auto hash = heavy.hash_password("the-right-password");
  std::vector<std::thread> threads;
  for (int i = 0; i < 12; ++i) {
    threads.emplace_back([&, i] {
      EXPECT_FALSE(heavy.verify_password(hash, "wrong-" + std::to_string(i)));
      Client c(port());
      auto r =
          c.post("/v1/sessions", json::object{{"login", "1500120181001" + std::to_string(1000 + i)},
                                              {"password", "a-wrong-password"}});
      EXPECT_TRUE(r.status == 401u || r.status == 503u) << r;
    });
  }
  for (auto& t : threads)
    t.join();
  EXPECT_GE(app::peak_concurrent_hashes(), 1u);
  EXPECT_LE(app::peak_concurrent_hashes(), 2u);
  app::set_hashing_limit(before);
}

TEST_F(AccountsTest, ALoginThatFindsNoFreeHashingSlotInTimeIsAnswered503WithRetryAfter) {
  const auto before = app::hashing_limit();
  app::set_hashing_limit(1);
  {
    auto held = app::HashingSlot::reserve(std::chrono::milliseconds(1000));
    ASSERT_TRUE(held);
    auto r = anonymous()->post("/v1/sessions", json::object{{"login", std::string(kFiler)},
                                                            {"password", "a-wrong-password"}});
    EXPECT_EQ(r.status, 503u) << r;
    EXPECT_EQ(r.header("content-type"), "application/problem+json");
    EXPECT_FALSE(r.header("retry-after").empty());
  }
  auto r = anonymous()->post("/v1/sessions", json::object{{"login", std::string(kFiler)},
                                                          {"password", "a-wrong-password"}});
  EXPECT_EQ(r.status, 401u) << "a slot is free again: " << r;
  app::set_hashing_limit(before);
}

// Refusing a login that has no account costs what refusing a known one does, so timing tells
// nobody which licence numbers have accounts.
TEST(LoginTiming, RefusingAnUnknownLoginCostsWhatRefusingAKnownOneDoes) {
  ::docket::testing::TempDir dir;
  engine::ManualClock clock;
  engine::StoreOptions store_options;
  store_options.path = dir.sub("store");
  store_options.clock = &clock;
  store_options.sync = false;
  auto store = engine::EventStore::open(store_options);
  ASSERT_TRUE(store) << store.error().message;
  // Real-sized work per hash (but small enough for a test): 1 pass over 16 MiB.
  app::SodiumSecrets secrets(std::string(32, 's'), app::PasswordHashing{1, 16u << 20});
  app::Platform platform(**store, secrets);
  auto logins = app::bootstrap_demo(platform, app::DemoOptions{});
  ASSERT_TRUE(logins) << app::failure_message(logins.error());

  auto time_of = [&](const std::string& login) {
    const auto start = std::chrono::steady_clock::now();
    auto r = platform.verify_password(login, "not-the-password");
    EXPECT_FALSE(r) << login;
    return std::chrono::steady_clock::now() - start;
  };
  std::vector<std::chrono::steady_clock::duration> known;
  std::vector<std::chrono::steady_clock::duration> unknown;
  for (int i = 0; i < 3; ++i) {
    known.push_back(time_of(std::string(kFiler)));
    unknown.push_back(time_of("15001201899999999"));  // no such lawyer
    unknown.push_back(time_of("clerk77"));            // no such staff member
  }
  std::sort(known.begin(), known.end());
  std::sort(unknown.begin(), unknown.end());
  const auto known_median = known[known.size() / 2];
  EXPECT_GE(unknown.front() * 2, known_median)
      << "unknown: "
      << std::chrono::duration_cast<std::chrono::microseconds>(unknown.front()).count()
      << " µs, known: "
      << std::chrono::duration_cast<std::chrono::microseconds>(known_median).count() << " µs";
}

// docketd takes the payment secret from a file or the environment, never from its arguments.
TEST(SecretSource, ASecretIsReadFromAFileOrElseTheEnvironment) {
  ::docket::testing::TempDir dir;
  const std::string file = dir.sub("payment.secret");
  {
    std::ofstream out(file, std::ios::binary);
    out << "from-the-file\n";
  }
  ::setenv("DOCKET_TEST_SECRET", "from-the-environment", 1);
  auto from_file = app::read_secret(file, "DOCKET_TEST_SECRET");
  ASSERT_TRUE(from_file) << from_file.error();
  EXPECT_EQ(*from_file, "from-the-file") << "the file wins, without its line break";
  auto from_env = app::read_secret("", "DOCKET_TEST_SECRET");
  ASSERT_TRUE(from_env);
  EXPECT_EQ(*from_env, "from-the-environment");
  ::unsetenv("DOCKET_TEST_SECRET");
  auto none = app::read_secret("", "DOCKET_TEST_SECRET");
  ASSERT_TRUE(none);
  EXPECT_EQ(*none, "") << "neither: no secret";
  EXPECT_FALSE(app::read_secret(dir.sub("missing"), "DOCKET_TEST_SECRET"));
  { std::ofstream out(dir.sub("empty"), std::ios::binary); }
  EXPECT_FALSE(app::read_secret(dir.sub("empty"), "DOCKET_TEST_SECRET")) << "an empty file";
}

}  // namespace
}  // namespace docket::api::testing
