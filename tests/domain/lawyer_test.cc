#include "docket/domain/lawyer.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "fake_facts.h"
#include "fake_secrets.h"

namespace docket::domain {
namespace {

constexpr std::string_view kLicence = "15001201810012345";
const testing::FakeSecrets kSecrets;

struct LawyerStream {
  std::string name = "lawyer-" + std::string(kLicence);
  LawyerState state = LawyerAggregate::initial();
  std::vector<EventData> log;
  testing::FakeFacts facts;  // the credential store the decisions write to and read from

  std::string password_hash() const {
    return facts.credential(lawyer_stream(kLicence), CredentialKind::kPassword);
  }

  Outcome run(const LawyerCommand& command, const Context& ctx) {
    Outcome out = LawyerAggregate::decide(state, command, testing::reading(facts, ctx));
    if (out) {
      facts.keep_credentials(*out);
      for (const auto& e : out->events) {
        log.push_back(e);
        const EventData& stored = log.back();
        LawyerAggregate::evolve(state, StoredEvent{name, stored.type, stored.schema_version,
                                                   stored.payload, log.size(), 0, 0});
      }
    }
    return out;
  }
};

Context as(Role role, std::string_view id) {
  Context ctx;
  ctx.now_us = 1'780'000'000'000'000;
  ctx.actor = Principal{std::string(id), role, ""};
  ctx.secrets = &kSecrets;
  return ctx;
}

Context admin() {
  return as(Role::kAdmin, "admin-1");
}
Context self() {
  return as(Role::kLawyer, kLicence);
}

RegisterFromRoster roster_entry() {
  return RegisterFromRoster{"重庆某某律师事务所", "张三",        std::string(kLicence),
                            "500103198001011234", "13800000000", "zhang@example.com"};
}

LawyerStream registered() {
  LawyerStream lawyer;
  EXPECT_TRUE(lawyer.run(roster_entry(), admin()));
  return lawyer;
}

LawyerStream with_password_changed() {
  LawyerStream lawyer = registered();
  EXPECT_TRUE(lawyer.run(ChangePassword{std::string(kLicence), "a-new-secret"}, self()));
  return lawyer;
}

RejectionCode code_of(const Outcome& out) {
  return out.error().code;
}

TEST(LawyerTest, RosterImportCreatesAnAccountWhoseFirstPasswordIsTheLicence) {
  LawyerStream lawyer;
  auto out = lawyer.run(roster_entry(), admin());
  ASSERT_TRUE(out.has_value()) << out.error().message;
  ASSERT_EQ(out->events.size(), 1u);
  EXPECT_EQ(out->events[0].type, "LawyerRegistered");
  EXPECT_TRUE(lawyer.state.exists);
  EXPECT_TRUE(lawyer.state.active);
  EXPECT_EQ(lawyer.state.licence_number, kLicence);
  EXPECT_EQ(lawyer.state.name, "张三");
  EXPECT_EQ(lawyer.state.firm, "重庆某某律师事务所");
  EXPECT_TRUE(kSecrets.verify_password(lawyer.password_hash(), kLicence));
  EXPECT_TRUE(lawyer.state.must_change_password);
}

// Notice §1, §2: basic-level legal service workers (基层法律服务工作者) act on the platform as
// lawyers do, under their practising-certificate number; the kind is fixed once registered.
TEST(LawyerTest, ALegalServiceWorkerIsRegisteredAsOneAndStaysOne) {
  LawyerStream worker;
  RegisterFromRoster entry = roster_entry();
  entry.firm = "重庆市渝中区某某法律服务所";
  entry.practitioner = Practitioner::kLegalServiceWorker;
  auto out = worker.run(entry, admin());
  ASSERT_TRUE(out.has_value()) << out.error().message;
  EXPECT_EQ(out->events[0].schema_version, 3u);
  EXPECT_EQ(worker.state.practitioner, Practitioner::kLegalServiceWorker);
  EXPECT_TRUE(worker.run(entry, admin())->events.empty());
  entry.practitioner = Practitioner::kLawyer;
  auto other = worker.run(entry, admin());
  ASSERT_FALSE(other.has_value());
  EXPECT_EQ(code_of(other), RejectionCode::kValidation);
  EXPECT_NE(other.error().message.find("legal_service_worker"), std::string::npos);
  // A lawyer from a roster that names no kind is a lawyer.
  EXPECT_EQ(registered().state.practitioner, Practitioner::kLawyer);
}

TEST(LawyerTest, OnlyAnAdminImportsRosters) {
  LawyerStream lawyer;
  auto out = lawyer.run(roster_entry(), as(Role::kClerk, "clerk-1"));
  ASSERT_FALSE(out.has_value());
  EXPECT_EQ(code_of(out), RejectionCode::kForbidden);
  lawyer = registered();
  EXPECT_EQ(code_of(lawyer.run(Deactivate{}, self())), RejectionCode::kForbidden);
}

TEST(LawyerTest, RosterImportListsEveryMissingField) {
  LawyerStream lawyer;
  auto out = lawyer.run(RegisterFromRoster{"", "", "", "", "", "no-at-sign"}, admin());
  ASSERT_FALSE(out.has_value());
  EXPECT_EQ(code_of(out), RejectionCode::kValidation);
  std::vector<std::string> fields;
  for (const auto& v : out.error().violations)
    fields.push_back(v.field);
  EXPECT_EQ(fields, (std::vector<std::string>{"firm", "name", "licence_number", "id_number",
                                              "phone", "email"}));
}

TEST(LawyerTest, ReimportWithTheSameDataChangesNothing) {
  LawyerStream lawyer = with_password_changed();
  const LawyerState before = lawyer.state;
  auto out = lawyer.run(roster_entry(), admin());
  ASSERT_TRUE(out.has_value());
  EXPECT_TRUE(out->events.empty());
  EXPECT_EQ(lawyer.state, before);
}

TEST(LawyerTest, ReimportWithOtherRosterDataUpdatesItAndKeepsThePassword) {
  LawyerStream lawyer = with_password_changed();
  RegisterFromRoster moved = roster_entry();
  moved.firm = "另一律师事务所";
  auto out = lawyer.run(moved, admin());
  ASSERT_TRUE(out.has_value());
  ASSERT_EQ(out->events.size(), 1u);
  EXPECT_EQ(out->events[0].type, "LawyerRosterDataUpdated");
  EXPECT_EQ(lawyer.state.firm, "另一律师事务所");
  EXPECT_FALSE(lawyer.state.must_change_password);
  EXPECT_TRUE(kSecrets.verify_password(lawyer.password_hash(), "a-new-secret"));
}

TEST(LawyerTest, ReimportUnderAnotherLicenceIsRefused) {
  LawyerStream lawyer = registered();
  RegisterFromRoster other = roster_entry();
  other.licence_number = "15001201810099999";
  auto out = lawyer.run(other, admin());
  ASSERT_FALSE(out.has_value());
  EXPECT_EQ(out.error().violations.at(0).field, "licence_number");
}

TEST(LawyerTest, LawyerAbsentFromTheRosterIsDeactivated) {
  LawyerStream lawyer = with_password_changed();
  auto out = lawyer.run(Deactivate{}, admin());
  ASSERT_TRUE(out.has_value());
  ASSERT_EQ(out->events.size(), 1u);
  EXPECT_EQ(out->events[0].type, "LawyerDeactivated");
  EXPECT_FALSE(lawyer.state.active);
  EXPECT_TRUE(lawyer.run(Deactivate{}, admin())->events.empty());
  EXPECT_EQ(code_of(lawyer.run(AddScheduleEntry{1, 2, true, "x"}, self())),
            RejectionCode::kInvalidState);
  EXPECT_EQ(code_of(lawyer.run(ChangePassword{"a-new-secret", "another-secret"}, self())),
            RejectionCode::kInvalidState);
}

TEST(LawyerTest, DeactivatingAnUnknownAccountIsNotFound) {
  LawyerStream lawyer;
  EXPECT_EQ(code_of(lawyer.run(Deactivate{}, admin())), RejectionCode::kNotFound);
}

TEST(LawyerTest, DeactivatedLawyerBackOnTheRosterIsReactivated) {
  LawyerStream lawyer = with_password_changed();
  ASSERT_TRUE(lawyer.run(Deactivate{}, admin()));
  auto out = lawyer.run(roster_entry(), admin());
  ASSERT_TRUE(out.has_value());
  ASSERT_EQ(out->events.size(), 1u);
  EXPECT_EQ(out->events[0].type, "LawyerReactivated");
  EXPECT_TRUE(lawyer.state.active);
  EXPECT_TRUE(kSecrets.verify_password(lawyer.password_hash(), "a-new-secret"));
}

TEST(LawyerTest, FirstPasswordMustBeChangedBeforeAnythingElse) {
  LawyerStream lawyer = registered();
  EXPECT_EQ(code_of(lawyer.run(UpdateProfile{"13900000000", "z@example.com"}, self())),
            RejectionCode::kPolicy);
  EXPECT_EQ(code_of(lawyer.run(AddScheduleEntry{1, 2, true, "x"}, self())), RejectionCode::kPolicy);
  EXPECT_EQ(code_of(lawyer.run(RemoveScheduleEntry{"e1"}, self())), RejectionCode::kPolicy);
  auto changed = lawyer.run(ChangePassword{std::string(kLicence), "a-new-secret"}, self());
  ASSERT_TRUE(changed.has_value()) << changed.error().message;
  EXPECT_FALSE(lawyer.state.must_change_password);
  EXPECT_TRUE(lawyer.run(UpdateProfile{"13900000000", "z@example.com"}, self()));
}

TEST(LawyerTest, PasswordChangeNeedsTheOldPassword) {
  LawyerStream lawyer = registered();
  auto out = lawyer.run(ChangePassword{"wrong-password", "a-new-secret"}, self());
  ASSERT_FALSE(out.has_value());
  EXPECT_EQ(code_of(out), RejectionCode::kForbidden);
  EXPECT_TRUE(lawyer.state.must_change_password);
}

TEST(LawyerTest, NewPasswordHasAtLeastTenCharactersAndIsNotTheLicence) {
  LawyerStream lawyer = registered();
  auto short_one = lawyer.run(ChangePassword{std::string(kLicence), "short"}, self());
  ASSERT_FALSE(short_one.has_value());
  EXPECT_EQ(code_of(short_one), RejectionCode::kValidation);
  auto licence = lawyer.run(ChangePassword{std::string(kLicence), std::string(kLicence)}, self());
  ASSERT_FALSE(licence.has_value());
  EXPECT_EQ(code_of(licence), RejectionCode::kValidation);
  // Ten characters, counted as characters rather than bytes.
  EXPECT_FALSE(lawyer.run(ChangePassword{std::string(kLicence), "密码密码密码密码密"}, self()));
  EXPECT_TRUE(lawyer.run(ChangePassword{std::string(kLicence), "密码密码密码密码密码"}, self()));
}

TEST(LawyerTest, APasswordEventHoldsNeitherThePasswordNorItsHashWhichGoesToTheCredentialStore) {
  LawyerStream lawyer = registered();
  ASSERT_EQ(lawyer.log.at(0).schema_version, 3u);
  EXPECT_EQ(lawyer.log.at(0).payload.find(kSecrets.hash_password(kLicence)), std::string::npos);
  auto out = lawyer.run(ChangePassword{std::string(kLicence), "plain-text-secret"}, self());
  ASSERT_TRUE(out.has_value());
  ASSERT_EQ(out->events.size(), 1u);
  EXPECT_EQ(out->events[0].type, "PasswordChanged");
  EXPECT_EQ(out->events[0].schema_version, 2u);
  const std::string& payload = out->events[0].payload;
  // The fake hash embeds the text: neither the hash nor the text is in the event.
  EXPECT_EQ(payload.find("plain-text-secret"), std::string::npos);
  EXPECT_EQ(payload.find("fake$"), std::string::npos);
  ASSERT_EQ(out->credentials.size(), 1u);
  EXPECT_EQ(out->credentials[0].key,
            credential_key("lawyer-" + std::string(kLicence), CredentialKind::kPassword));
  EXPECT_TRUE(kSecrets.verify_password(lawyer.password_hash(), "plain-text-secret"));
}

TEST(LawyerTest, OnlyTheLawyerChangesTheirAccount) {
  LawyerStream lawyer = with_password_changed();
  const Context other_lawyer = as(Role::kLawyer, "15001201810099999");
  EXPECT_EQ(code_of(lawyer.run(ChangePassword{"a-new-secret", "x-new-secret"}, other_lawyer)),
            RejectionCode::kForbidden);
  EXPECT_EQ(code_of(lawyer.run(UpdateProfile{"1", "a@b"}, admin())), RejectionCode::kForbidden);
  EXPECT_EQ(code_of(lawyer.run(AddScheduleEntry{1, 2, true, "x"}, other_lawyer)),
            RejectionCode::kForbidden);
}

TEST(LawyerTest, ProfileUpdateChangesPhoneAndEmail) {
  LawyerStream lawyer = with_password_changed();
  auto out = lawyer.run(UpdateProfile{"13900000000", "new@example.com"}, self());
  ASSERT_TRUE(out.has_value());
  ASSERT_EQ(out->events.size(), 1u);
  EXPECT_EQ(out->events[0].type, "ProfileUpdated");
  EXPECT_EQ(lawyer.state.phone, "13900000000");
  EXPECT_EQ(lawyer.state.email, "new@example.com");
  EXPECT_TRUE(lawyer.run(UpdateProfile{"13900000000", "new@example.com"}, self())->events.empty());
  auto bad = lawyer.run(UpdateProfile{"", "nope"}, self());
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().violations.size(), 2u);
}

TEST(LawyerTest, ScheduleEntryStartsBeforeItEnds) {
  LawyerStream lawyer = with_password_changed();
  EXPECT_EQ(code_of(lawyer.run(AddScheduleEntry{100, 100, true, "x"}, self())),
            RejectionCode::kValidation);
  EXPECT_EQ(code_of(lawyer.run(AddScheduleEntry{200, 100, true, "x"}, self())),
            RejectionCode::kValidation);
  EXPECT_TRUE(lawyer.state.schedule.empty());
}

TEST(LawyerTest, ScheduleEntriesAreAddedAndRemoved) {
  LawyerStream lawyer = with_password_changed();
  ASSERT_TRUE(lawyer.run(AddScheduleEntry{100, 200, false, "出差"}, self()));
  ASSERT_TRUE(lawyer.run(AddScheduleEntry{300, 400, true, "可出庭"}, self()));
  ASSERT_EQ(lawyer.state.schedule.size(), 2u);
  EXPECT_EQ(lawyer.state.schedule[0], (ScheduleEntry{"e1", 100, 200, false, "出差"}));
  EXPECT_EQ(lawyer.state.schedule[1], (ScheduleEntry{"e2", 300, 400, true, "可出庭"}));
  auto removed = lawyer.run(RemoveScheduleEntry{"e1"}, self());
  ASSERT_TRUE(removed.has_value());
  EXPECT_EQ(removed->events.at(0).type, "ScheduleEntryRemoved");
  ASSERT_EQ(lawyer.state.schedule.size(), 1u);
  EXPECT_EQ(lawyer.state.schedule[0].entry_id, "e2");
  // Ids are never reused.
  ASSERT_TRUE(lawyer.run(AddScheduleEntry{500, 600, true, ""}, self()));
  EXPECT_EQ(lawyer.state.schedule.back().entry_id, "e3");
}

TEST(LawyerTest, RemovingAnUnknownScheduleEntryIsNotFound) {
  LawyerStream lawyer = with_password_changed();
  EXPECT_EQ(code_of(lawyer.run(RemoveScheduleEntry{"e9"}, self())), RejectionCode::kNotFound);
}

}  // namespace
}  // namespace docket::domain
