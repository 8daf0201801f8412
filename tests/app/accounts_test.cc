// Logins, passwords and court systems' API keys through the platform; the demo bootstrap.
#include <filesystem>
#include <map>

#include "platform_fixture.h"

namespace docket::app::testing {
namespace {

using namespace domain;  // NOLINT(google-build-using-namespace)

using AccountsTest = PlatformTest;

TEST_F(AccountsTest, ALawyerLogsInWithTheLicenceNumberAndMustChangeThatPassword) {
  auto login = platform().verify_password(kFiler.id, kFiler.id);
  ASSERT_TRUE(login) << describe(login.error());
  EXPECT_EQ(login->principal.id, kFiler.id);
  EXPECT_EQ(login->principal.role, Role::kLawyer);
  EXPECT_TRUE(login->must_change_password);

  ASSERT_TRUE(platform().change_password(kFiler.id, "a-new-secret", as(kFiler)));
  EXPECT_FALSE(platform().verify_password(kFiler.id, kFiler.id));
  login = platform().verify_password(kFiler.id, "a-new-secret");
  ASSERT_TRUE(login);
  EXPECT_FALSE(login->must_change_password);
}

TEST_F(AccountsTest, AStaffMemberLogsInAsTheirRoleAndCourt) {
  auto login = platform().verify_password("clerk01", "demo-clerk-0103");
  ASSERT_TRUE(login) << describe(login.error());
  EXPECT_EQ(login->principal.role, Role::kClerk);
  EXPECT_EQ(login->principal.court, "渝0103");
  EXPECT_TRUE(login->must_change_password);
  ASSERT_TRUE(platform().change_password("demo-clerk-0103", "clerk-secret-2", as(kClerk)));
  login = platform().verify_password("clerk01", "clerk-secret-2");
  ASSERT_TRUE(login);
  EXPECT_FALSE(login->must_change_password);
}

TEST_F(AccountsTest, AWrongPasswordAndAnUnknownLoginFailAlike) {
  auto wrong = platform().verify_password("clerk01", "not-the-password");
  auto unknown = platform().verify_password("nobody", "demo-clerk-0103");
  auto unknown_lawyer = platform().verify_password("15001201800000000", "x");
  ASSERT_FALSE(wrong);
  ASSERT_FALSE(unknown);
  ASSERT_FALSE(unknown_lawyer);
  EXPECT_EQ(failure_code(wrong.error()), "forbidden");
  EXPECT_EQ(failure_message(wrong.error()), failure_message(unknown.error()));
  EXPECT_EQ(failure_message(wrong.error()), failure_message(unknown_lawyer.error()));
  EXPECT_FALSE(platform().verify_password("cms0103", "")) << "a court system has no password";
}

TEST_F(AccountsTest, ADeactivatedAccountNoLongerLogsIn) {
  must<StaffAggregate>(staff_stream("judge01"), DeactivateStaff{}, kAdmin);
  EXPECT_FALSE(platform().verify_password("judge01", "demo-judge-0103"));
  must<LawyerAggregate>("lawyer-" + kOutsider.id, Deactivate{}, kAdmin);
  EXPECT_FALSE(platform().verify_password(kOutsider.id, kOutsider.id));
}

TEST_F(AccountsTest, ACourtSystemsApiKeyIsGeneratedReturnedOnceAndStoredAsADigest) {
  RegisterStaff reg{"cms0105", "南岸区法院案件管理系统", Role::kCourtSystem, "渝0108", "",
                    "chosen"};
  auto done = platform().register_staff(reg, as(kAdmin, "reg-cms0105"));
  ASSERT_TRUE(done) << describe(done.error());
  const std::string key = done->api_key;
  ASSERT_EQ(key.rfind("cms0105.", 0), 0u) << key;
  EXPECT_EQ(key.size(), std::string("cms0105.").size() + 64);
  for (const auto& e : log())
    EXPECT_EQ(e.payload.find(key.substr(8)), std::string::npos) << "the key is never in the log";

  auto login = platform().verify_api_key(key);
  ASSERT_TRUE(login) << describe(login.error());
  EXPECT_EQ(login->principal.role, Role::kCourtSystem);
  EXPECT_EQ(login->principal.court, "渝0108");

  auto again = platform().register_staff(reg, as(kAdmin, "reg-cms0105"));
  ASSERT_TRUE(again);
  EXPECT_TRUE(again->deduplicated);
  EXPECT_TRUE(again->api_key.empty()) << "shown once";
}

TEST_F(AccountsTest, AWrongOrRotatedApiKeyIsRefused) {
  auto done = platform().register_staff(
      RegisterStaff{"cms0105", "系统", Role::kCourtSystem, "渝0108", "", ""}, as(kAdmin));
  ASSERT_TRUE(done);
  const std::string key = done->api_key;
  std::string tampered = key;
  tampered.back() = tampered.back() == '0' ? '1' : '0';
  EXPECT_FALSE(platform().verify_api_key(tampered));
  EXPECT_FALSE(platform().verify_api_key("cms0103." + key.substr(8)));
  EXPECT_FALSE(platform().verify_api_key("no-dot-at-all"));
  EXPECT_FALSE(platform().verify_api_key(""));

  auto rotated = platform().rotate_api_key("cms0105", as(kAdmin));
  ASSERT_TRUE(rotated) << describe(rotated.error());
  EXPECT_NE(rotated->api_key, key);
  EXPECT_FALSE(platform().verify_api_key(key));
  EXPECT_TRUE(platform().verify_api_key(rotated->api_key));
}

TEST_F(AccountsTest, OnlyAnAdminRegistersStaff) {
  const auto before = last();
  auto done = platform().register_staff(
      RegisterStaff{"clerk02", "某", Role::kClerk, "渝0103", "long-enough", ""}, as(kClerk));
  ASSERT_FALSE(done);
  EXPECT_EQ(failure_code(done.error()), "forbidden");
  EXPECT_EQ(last(), before);
}

TEST_F(AccountsTest, TheDemoBootstrapIsIdempotentAndListsEveryLogin) {
  const auto before = last();
  auto logins = bootstrap_demo(platform());
  ASSERT_TRUE(logins) << describe(logins.error());
  EXPECT_EQ(last(), before) << "a second run writes nothing";
  std::map<std::string, int> roles;
  for (const auto& l : *logins)
    ++roles[l.role];
  EXPECT_EQ(roles, (std::map<std::string, int>{{"admin", 1},
                                               {"auditor", 1},
                                               {"clerk", 1},
                                               {"court_system", 1},
                                               {"judge", 2},
                                               {"lawyer", 3}}));
  for (const auto& l : *logins) {
    if (l.role == "court_system") {
      EXPECT_FALSE(l.secret_known) << "an unpinned key is shown only when issued";
    } else {
      EXPECT_TRUE(platform().verify_password(l.login, l.secret)) << l.login;
    }
  }
  const CourtState court = state<CourtAggregate>("court-渝0103");
  const auto* civil = find_case_category(court, "civil_first_instance");
  ASSERT_NE(civil, nullptr);
  EXPECT_EQ(civil->case_number_code, "民初");
  EXPECT_EQ(civil->name, "民事一审");
}

TEST_F(AccountsTest, ARestartedDemoDoesNotShowAnInitialPasswordThatWasChanged) {
  ASSERT_TRUE(platform().change_password(kFiler.id, "a-new-secret-2", as(kFiler)));
  ASSERT_TRUE(platform().change_password("demo-clerk-0103", "another-secret-3", as(kClerk)))
      << "the demo clerk's initial password";
  auto logins = bootstrap_demo(platform());
  ASSERT_TRUE(logins) << describe(logins.error());
  for (const auto& l : *logins) {
    if (l.login == kFiler.id || l.login == kClerk.id) {
      EXPECT_FALSE(l.secret_known) << l.login << ": its initial password was changed";
      EXPECT_EQ(l.secret, "") << l.login;
    } else if (l.role != "court_system") {
      EXPECT_TRUE(l.secret_known) << l.login;
      EXPECT_TRUE(platform().verify_password(l.login, l.secret)) << l.login;
    }
  }
}

TEST_F(AccountsTest, APinnedDemoApiKeyWorksAndIsShownAgain) {
  // A fresh store, bootstrapped with a pinned key.
  platform_.reset();
  store_.reset();
  std::filesystem::remove_all(dir_.sub("store"));
  open();
  DemoOptions options;
  options.court_system_api_key =
      SodiumSecrets::hmac_sha256_hex("server secret", "demo/court-system");
  auto first = bootstrap_demo(platform(), options);
  ASSERT_TRUE(first) << describe(first.error());
  auto second = bootstrap_demo(platform(), options);
  ASSERT_TRUE(second);
  for (const auto* logins : {&*first, &*second}) {
    for (const auto& l : *logins) {
      if (l.role != "court_system")
        continue;
      EXPECT_TRUE(l.secret_known);
      auto login = platform().verify_api_key(l.secret);
      ASSERT_TRUE(login) << l.secret;
      EXPECT_EQ(login->principal.id, "cms0103");
    }
  }
}

TEST_F(AccountsTest, EveryAggregateIsFoundByItsStreamCategory) {
  std::vector<std::string_view> found;
  for (std::string_view stream :
       {"court-渝0103", "case_number-渝0103-2026", "lawyer-1", "filing-f", "payment-f",
        "case-(2026)渝0103民初1号", "service-s", "staff-a"}) {
    EXPECT_TRUE(with_aggregate(category_of(stream), [&]<class A>() {
      found.push_back(A::kCategory);
    })) << stream;
  }
  EXPECT_EQ(found, (std::vector<std::string_view>{"court", "case_number", "lawyer", "filing",
                                                  "payment", "case", "service", "staff"}));
  EXPECT_FALSE(with_aggregate("unknown", []<class A>() {}));
}

}  // namespace
}  // namespace docket::app::testing
