#include "docket/domain/staff.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "fake_facts.h"
#include "fake_secrets.h"

namespace docket::domain {
namespace {

const testing::FakeSecrets kSecrets;

struct StaffStream {
  StaffState state = StaffAggregate::initial();
  std::vector<EventData> log;
  testing::FakeFacts facts;  // the credential store the decisions write to and read from

  std::string password_hash() const {
    return facts.credential(staff_stream(state.staff_id), CredentialKind::kPassword);
  }
  std::string api_key_digest() const {
    return facts.credential(staff_stream(state.staff_id), CredentialKind::kApiKey);
  }

  Outcome run(const StaffCommand& command, const Context& ctx) {
    Outcome out = StaffAggregate::decide(state, command, testing::reading(facts, ctx));
    if (out) {
      facts.keep_credentials(*out);
      for (const auto& e : out->events) {
        log.push_back(e);
        const EventData& stored = log.back();
        StaffAggregate::evolve(state, StoredEvent{"staff-x", stored.type, stored.schema_version,
                                                  stored.payload, log.size(), 0, 0});
      }
    }
    return out;
  }
};

Context as(Role role, std::string_view id, std::string_view court = "") {
  Context ctx;
  ctx.now_us = 1'780'000'000'000'000;
  ctx.actor = Principal{std::string(id), role, std::string(court)};
  ctx.secrets = &kSecrets;
  return ctx;
}

Context admin() {
  return as(Role::kAdmin, "admin");
}

RegisterStaff clerk_registration() {
  return RegisterStaff{"clerk01", "陈立案", Role::kClerk, "渝0103", "initial-pass", ""};
}

RegisterStaff court_system_registration() {
  return RegisterStaff{"cms0103",
                       "案件管理系统",
                       Role::kCourtSystem,
                       "渝0103",
                       "",
                       "cms0103." + std::string(64, 'a')};
}

StaffStream registered_clerk() {
  StaffStream s;
  EXPECT_TRUE(s.run(clerk_registration(), admin()));
  return s;
}

std::vector<std::string> fields_of(const Rejection& r) {
  std::vector<std::string> out;
  for (const auto& v : r.violations)
    out.push_back(v.field);
  return out;
}

TEST(StaffTest, AnAdminOrTheSystemRegistersStaffAndNobodyElse) {
  for (Role role : {Role::kAdmin, Role::kSystem}) {
    StaffStream s;
    EXPECT_TRUE(s.run(clerk_registration(), as(role, "someone")));
  }
  for (Role role :
       {Role::kClerk, Role::kJudge, Role::kCourtSystem, Role::kAuditor, Role::kLawyer}) {
    StaffStream s;
    auto out = s.run(clerk_registration(), as(role, "someone", "渝0103"));
    ASSERT_FALSE(out.has_value());
    EXPECT_EQ(out.error().code, RejectionCode::kForbidden);
    EXPECT_TRUE(s.log.empty());
  }
}

TEST(StaffTest, APersonIsRegisteredWithOnlyAPasswordHashAndMustChangeIt) {
  StaffStream s = registered_clerk();
  ASSERT_EQ(s.log.size(), 1u);
  EXPECT_EQ(s.log[0].type, "StaffRegistered");
  EXPECT_TRUE(s.state.exists);
  EXPECT_TRUE(s.state.active);
  EXPECT_EQ(s.state.role, Role::kClerk);
  EXPECT_EQ(s.state.court, "渝0103");
  EXPECT_TRUE(kSecrets.verify_password(s.password_hash(), "initial-pass"));
  EXPECT_TRUE(s.api_key_digest().empty());
  EXPECT_TRUE(s.state.must_change_password);
  EXPECT_EQ(staff_principal(s.state).id, "clerk01");
  EXPECT_EQ(staff_principal(s.state).court, "渝0103");
}

TEST(StaffTest, ACourtSystemIsRegisteredWithOnlyItsApiKeyDigestAndNoPassword) {
  StaffStream s;
  const RegisterStaff reg = court_system_registration();
  ASSERT_TRUE(s.run(reg, admin()));
  EXPECT_EQ(s.log[0].payload.find(reg.api_key), std::string::npos);
  EXPECT_EQ(s.api_key_digest(), kSecrets.keyed_digest(kApiKeyPurpose, reg.api_key));
  EXPECT_TRUE(s.password_hash().empty());
  EXPECT_FALSE(s.state.must_change_password);
  EXPECT_EQ(s.state.role, Role::kCourtSystem);
}

TEST(StaffTest, RegistrationListsEveryBadFieldAtOnce) {
  StaffStream s;
  auto out = s.run(RegisterStaff{"1234", "", Role::kJudge, "", "short", ""}, admin());
  ASSERT_FALSE(out.has_value());
  EXPECT_EQ(out.error().code, RejectionCode::kValidation);
  EXPECT_EQ(fields_of(out.error()),
            (std::vector<std::string>{"staff_id", "court", "name", "initial_password"}));
  EXPECT_TRUE(s.log.empty());
}

TEST(StaffTest, CourtStaffBelongToACourtAndAuditorsAndAdminsToNone) {
  StaffStream auditor;
  auto out = auditor.run(
      RegisterStaff{"auditor01", "赵", Role::kAuditor, "渝0103", "long-enough", ""}, admin());
  ASSERT_FALSE(out.has_value());
  EXPECT_EQ(fields_of(out.error()), std::vector<std::string>{"court"});
  StaffStream cms;
  RegisterStaff reg = court_system_registration();
  reg.court.clear();
  out = cms.run(reg, admin());
  ASSERT_FALSE(out.has_value());
  EXPECT_EQ(fields_of(out.error()), std::vector<std::string>{"court"});
}

TEST(StaffTest, OnlyStaffRolesCanBeRegistered) {
  for (Role role : {Role::kLawyer, Role::kSystem}) {
    StaffStream s;
    auto out = s.run(RegisterStaff{"someone", "某", role, "", "long-enough", ""}, admin());
    ASSERT_FALSE(out.has_value());
    EXPECT_EQ(fields_of(out.error()), std::vector<std::string>{"role"});
  }
}

TEST(StaffTest, ACourtSystemNeedsALongApiKey) {
  StaffStream s;
  RegisterStaff reg = court_system_registration();
  reg.api_key = "short";
  auto out = s.run(reg, admin());
  ASSERT_FALSE(out.has_value());
  EXPECT_EQ(fields_of(out.error()), std::vector<std::string>{"api_key"});
}

TEST(StaffTest, RegisteringAnExistingAccountIsAConflict) {
  StaffStream s = registered_clerk();
  auto out = s.run(clerk_registration(), admin());
  ASSERT_FALSE(out.has_value());
  EXPECT_EQ(out.error().code, RejectionCode::kConflict);
  EXPECT_EQ(s.log.size(), 1u);
}

TEST(StaffTest, StaffIdsStartWithALetterSoTheyNeverLookLikeLicenceNumbers) {
  EXPECT_TRUE(is_staff_id("clerk01"));
  EXPECT_TRUE(is_staff_id("judge.liu_2-b"));
  EXPECT_FALSE(is_staff_id("15001201810010001"));
  EXPECT_FALSE(is_staff_id(""));
  EXPECT_FALSE(is_staff_id("clerk 01"));
  EXPECT_FALSE(is_staff_id("书记员"));
  EXPECT_FALSE(is_staff_id(std::string(65, 'a')));
}

TEST(StaffTest, OnlyTheStaffMemberChangesTheirOwnPassword) {
  StaffStream s = registered_clerk();
  for (const Context& other :
       {admin(), as(Role::kClerk, "clerk02", "渝0103"), as(Role::kJudge, "clerk01", "渝0103")}) {
    auto out = s.run(ChangeStaffPassword{"initial-pass", "brand-new-pass"}, other);
    ASSERT_FALSE(out.has_value());
    EXPECT_EQ(out.error().code, RejectionCode::kForbidden);
  }
  EXPECT_EQ(s.log.size(), 1u);
}

TEST(StaffTest, APasswordChangeNeedsTheCurrentPassword) {
  StaffStream s = registered_clerk();
  auto out = s.run(ChangeStaffPassword{"wrong-pass", "brand-new-pass"},
                   as(Role::kClerk, "clerk01", "渝0103"));
  ASSERT_FALSE(out.has_value());
  EXPECT_EQ(out.error().code, RejectionCode::kForbidden);
  EXPECT_TRUE(s.state.must_change_password);
}

TEST(StaffTest, ANewPasswordIsLongAndDiffersFromTheOldOneAndTheStaffId) {
  StaffStream s = registered_clerk();
  const Context self = as(Role::kClerk, "clerk01", "渝0103");
  auto out = s.run(ChangeStaffPassword{"initial-pass", "short"}, self);
  ASSERT_FALSE(out.has_value());
  EXPECT_EQ(fields_of(out.error()), std::vector<std::string>{"new_password"});
  out = s.run(ChangeStaffPassword{"initial-pass", "initial-pass"}, self);
  ASSERT_FALSE(out.has_value());
  EXPECT_EQ(out.error().code, RejectionCode::kValidation);
  EXPECT_EQ(s.log.size(), 1u);
}

TEST(StaffTest, AChangedPasswordReplacesTheInitialOne) {
  StaffStream s = registered_clerk();
  auto out = s.run(ChangeStaffPassword{"initial-pass", "brand-new-pass"},
                   as(Role::kClerk, "clerk01", "渝0103"));
  ASSERT_TRUE(out.has_value()) << out.error().message;
  EXPECT_EQ(out->events[0].type, "StaffPasswordChanged");
  EXPECT_FALSE(s.state.must_change_password);
  EXPECT_TRUE(kSecrets.verify_password(s.password_hash(), "brand-new-pass"));
  EXPECT_FALSE(kSecrets.verify_password(s.password_hash(), "initial-pass"));
}

TEST(StaffTest, ACourtSystemHasNoPasswordToChange) {
  StaffStream s;
  ASSERT_TRUE(s.run(court_system_registration(), admin()));
  auto out =
      s.run(ChangeStaffPassword{"", "brand-new-pass"}, as(Role::kCourtSystem, "cms0103", "渝0103"));
  ASSERT_FALSE(out.has_value());
  EXPECT_EQ(out.error().code, RejectionCode::kInvalidState);
}

TEST(StaffTest, OnlyAnAdminRotatesACourtSystemsApiKey) {
  StaffStream s;
  ASSERT_TRUE(s.run(court_system_registration(), admin()));
  const std::string next = "cms0103." + std::string(64, 'b');
  auto out = s.run(RotateStaffApiKey{next}, as(Role::kCourtSystem, "cms0103", "渝0103"));
  ASSERT_FALSE(out.has_value());
  EXPECT_EQ(out.error().code, RejectionCode::kForbidden);
  ASSERT_TRUE(s.run(RotateStaffApiKey{next}, admin()));
  EXPECT_EQ(s.api_key_digest(), kSecrets.keyed_digest(kApiKeyPurpose, next));
}

TEST(StaffTest, APersonsAccountHasNoApiKeyToRotate) {
  StaffStream s = registered_clerk();
  auto out = s.run(RotateStaffApiKey{std::string(40, 'k')}, admin());
  ASSERT_FALSE(out.has_value());
  EXPECT_EQ(out.error().code, RejectionCode::kInvalidState);
}

TEST(StaffTest, AnAdminDeactivatesOnceAndADeactivatedAccountChangesNothingMore) {
  StaffStream s = registered_clerk();
  auto out = s.run(DeactivateStaff{}, as(Role::kClerk, "clerk01", "渝0103"));
  ASSERT_FALSE(out.has_value());
  EXPECT_EQ(out.error().code, RejectionCode::kForbidden);
  ASSERT_TRUE(s.run(DeactivateStaff{}, admin()));
  EXPECT_FALSE(s.state.active);
  auto again = s.run(DeactivateStaff{}, admin());
  ASSERT_TRUE(again.has_value());
  EXPECT_TRUE(again->events.empty());
  out = s.run(ChangeStaffPassword{"initial-pass", "brand-new-pass"},
              as(Role::kClerk, "clerk01", "渝0103"));
  ASSERT_FALSE(out.has_value());
  EXPECT_EQ(out.error().code, RejectionCode::kInvalidState);
}

TEST(StaffTest, CommandsOnAnAccountThatDoesNotExistAreNotFound) {
  StaffStream s;
  EXPECT_EQ(s.run(DeactivateStaff{}, admin()).error().code, RejectionCode::kNotFound);
  EXPECT_EQ(s.run(ChangeStaffPassword{"a", "b"}, admin()).error().code, RejectionCode::kNotFound);
}

TEST(StaffTest, ReplayingTheLogFoldsToTheStateTheDecisionsProduced) {
  StaffStream s = registered_clerk();
  ASSERT_TRUE(s.run(ChangeStaffPassword{"initial-pass", "brand-new-pass"},
                    as(Role::kClerk, "clerk01", "渝0103")));
  ASSERT_TRUE(s.run(DeactivateStaff{}, admin()));
  StaffState replayed = StaffAggregate::initial();
  for (std::size_t i = 0; i < s.log.size(); ++i) {
    StaffAggregate::evolve(replayed, StoredEvent{"staff-x", s.log[i].type, s.log[i].schema_version,
                                                 s.log[i].payload, i + 1, 0, 0});
  }
  EXPECT_EQ(replayed, s.state);
  // An event the staff aggregate has no applier for is refused, never skipped.
  EXPECT_THROW(
      StaffAggregate::evolve(replayed, StoredEvent{"staff-x", "SomethingElse", 1, "", 9, 0, 0}),
      EventFoldError);
  EXPECT_EQ(replayed, s.state);
}

}  // namespace
}  // namespace docket::domain
