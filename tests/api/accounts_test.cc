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

}  // namespace
}  // namespace docket::api::testing
