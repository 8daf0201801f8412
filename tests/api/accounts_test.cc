// Accounts: sessions, passwords and logins, over HTTP and against the platform.
#include "api_fixture.h"

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

}  // namespace
}  // namespace docket::api::testing
