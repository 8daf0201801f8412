#include "docket/domain/court.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace docket::domain {
namespace {

constexpr std::int64_t kDay = CourtPolicy::kDayUs;

// Folds decided events into the state through the same evolve replay uses.
struct CourtStream {
  std::string name = "court-渝0103";
  CourtState state = CourtAggregate::initial();
  std::vector<EventData> log;

  Outcome run(const CourtCommand& command, const Context& ctx) {
    Outcome out = CourtAggregate::decide(state, command, ctx);
    if (out) {
      for (const auto& e : out->events) {
        log.push_back(e);
        const EventData& stored = log.back();
        CourtAggregate::evolve(state, StoredEvent{name, stored.type, stored.schema_version,
                                                  stored.payload, log.size(), 0, 0});
      }
    }
    return out;
  }
};

Context as(Role role, std::string id = "someone") {
  Context ctx;
  ctx.now_us = 1'780'000'000'000'000;
  ctx.actor = Principal{std::move(id), role, ""};
  return ctx;
}

Context admin() {
  return as(Role::kAdmin, "admin-1");
}

CourtCodeLists code_lists() {
  CourtCodeLists lists;
  lists.case_categories = {{"civil_first_instance", "民事一审", "民初"},
                           {"civil_second_instance", "民事二审", "民终"}};
  lists.application_types = {{"complaint", "起诉"}};
  lists.material_types = {{"complaint", "起诉状"}, {"evidence", "证据"}};
  lists.document_types = {{"judgment", "判决书"}, {"summons", "传票"}};
  return lists;
}

RegisterCourt registration() {
  RegisterCourt c{"渝0103", "重庆市渝中区人民法院", code_lists(), CourtPolicy{}};
  c.policy.fee_schedule.rules_by_category["civil_first_instance"] = national_property_fee_rule();
  c.policy.law_links = {{"国家法律法规数据库", "https://flk.npc.gov.cn"}};
  return c;
}

TEST(CourtTest, AdminRegistersACourtWithCodeListsAndPolicy) {
  CourtStream court;
  const RegisterCourt c = registration();
  auto out = court.run(c, admin());
  ASSERT_TRUE(out.has_value()) << out.error().message;
  ASSERT_EQ(out->events.size(), 1u);
  EXPECT_EQ(out->events[0].type, "CourtRegistered");
  EXPECT_TRUE(court.state.exists);
  EXPECT_EQ(court.state.code, "渝0103");
  EXPECT_EQ(court.state.code_lists, c.code_lists);
  EXPECT_EQ(court.state.policy, c.policy);
}

TEST(CourtTest, OnlyAnAdminManagesCourts) {
  for (Role role : {Role::kLawyer, Role::kClerk, Role::kJudge, Role::kCourtSystem, Role::kAuditor,
                    Role::kSystem}) {
    CourtStream court;
    auto out = court.run(registration(), as(role));
    ASSERT_FALSE(out.has_value());
    EXPECT_EQ(out.error().code, RejectionCode::kForbidden) << enum_name(role);
  }
  CourtStream court;
  ASSERT_TRUE(court.run(registration(), admin()));
  auto out = court.run(ChangeCourtPolicy{CourtPolicy{}}, as(Role::kClerk));
  ASSERT_FALSE(out.has_value());
  EXPECT_EQ(out.error().code, RejectionCode::kForbidden);
}

TEST(CourtTest, DefaultPolicyFollowsTheOnlineLitigationNotice) {
  const CourtPolicy policy;
  EXPECT_EQ(policy.review_period_us, 7 * kDay);
  EXPECT_EQ(policy.correction_period_us, 15 * kDay);
  EXPECT_EQ(policy.fee_due_period_us, 7 * kDay);
  EXPECT_GT(policy.sms_key_validity_us, 0);
  EXPECT_TRUE(policy.auto_register_when_review_overdue);
  EXPECT_FALSE(may_serve_electronically(policy, "judgment"));
  EXPECT_FALSE(may_serve_electronically(policy, "ruling"));
  EXPECT_FALSE(may_serve_electronically(policy, "mediation_agreement"));
  EXPECT_TRUE(may_serve_electronically(policy, "summons"));
}

TEST(CourtTest, ElectronicServiceBanIsPolicyData) {
  CourtStream court;
  ASSERT_TRUE(court.run(registration(), admin()));
  CourtPolicy relaxed = court.state.policy;
  relaxed.no_electronic_service_document_types = {"mediation_agreement"};
  ASSERT_TRUE(court.run(ChangeCourtPolicy{relaxed}, admin()));
  EXPECT_TRUE(may_serve_electronically(court.state.policy, "judgment"));
  EXPECT_FALSE(may_serve_electronically(court.state.policy, "mediation_agreement"));
}

TEST(CourtTest, RegistrationListsEveryInvalidField) {
  RegisterCourt c = registration();
  c.code = "";
  c.name = "";
  c.code_lists.case_categories.push_back({"civil_first_instance", "dup", ""});
  c.policy.review_period_us = 0;
  c.policy.correction_period_us = -1;
  c.policy.fee_schedule.rules_by_category["unknown_category"] = FeeRule{100, 0, {}};
  c.policy.law_links.push_back({"", "ftp://example"});
  CourtStream court;
  auto out = court.run(c, admin());
  ASSERT_FALSE(out.has_value());
  EXPECT_EQ(out.error().code, RejectionCode::kValidation);
  std::vector<std::string> fields;
  for (const auto& v : out.error().violations)
    fields.push_back(v.field);
  const std::vector<std::string> expected = {
      "code",
      "name",
      "code_lists.case_categories[2].code",
      "code_lists.case_categories[2].case_number_code",
      "policy.review_period_us",
      "policy.correction_period_us",
      "policy.fee_schedule[unknown_category]",
      "policy.law_links[1].title",
      "policy.law_links[1].url",
  };
  EXPECT_EQ(fields, expected);
  EXPECT_TRUE(court.log.empty());
}

TEST(CourtTest, RegisteringAgainIsAConflictUnlessIdentical) {
  CourtStream court;
  ASSERT_TRUE(court.run(registration(), admin()));
  auto again = court.run(registration(), admin());
  ASSERT_TRUE(again.has_value());
  EXPECT_TRUE(again->events.empty());
  RegisterCourt other = registration();
  other.name = "another name";
  auto conflict = court.run(other, admin());
  ASSERT_FALSE(conflict.has_value());
  EXPECT_EQ(conflict.error().code, RejectionCode::kConflict);
}

TEST(CourtTest, PolicyChangesAreEvents) {
  CourtStream court;
  ASSERT_TRUE(court.run(registration(), admin()));
  CourtPolicy policy = court.state.policy;
  policy.review_period_us = 5 * kDay;
  policy.auto_register_when_review_overdue = false;
  auto out = court.run(ChangeCourtPolicy{policy}, admin());
  ASSERT_TRUE(out.has_value()) << out.error().message;
  ASSERT_EQ(out->events.size(), 1u);
  EXPECT_EQ(out->events[0].type, "CourtPolicyChanged");
  EXPECT_EQ(court.state.policy, policy);
  auto same = court.run(ChangeCourtPolicy{policy}, admin());
  ASSERT_TRUE(same.has_value());
  EXPECT_TRUE(same->events.empty());
}

TEST(CourtTest, PolicyChangeOfAnUnregisteredCourtIsNotFound) {
  CourtStream court;
  auto out = court.run(ChangeCourtPolicy{CourtPolicy{}}, admin());
  ASSERT_FALSE(out.has_value());
  EXPECT_EQ(out.error().code, RejectionCode::kNotFound);
}

TEST(CourtTest, FeeRulesMustNameListedCategories) {
  CourtStream court;
  ASSERT_TRUE(court.run(registration(), admin()));
  CourtPolicy policy = court.state.policy;
  policy.fee_schedule.rules_by_category["criminal"] = FeeRule{0, 0, {}};
  auto out = court.run(ChangeCourtPolicy{policy}, admin());
  ASSERT_FALSE(out.has_value());
  ASSERT_EQ(out.error().violations.size(), 1u);
  EXPECT_EQ(out.error().violations[0].field, "policy.fee_schedule[criminal]");
}

TEST(CourtTest, CodeListChangeKeepsFeeRulesValid) {
  CourtStream court;
  ASSERT_TRUE(court.run(registration(), admin()));
  CourtCodeLists lists = court.state.code_lists;
  lists.case_categories.erase(lists.case_categories.begin());  // the one with a fee rule
  auto out = court.run(ChangeCodeLists{lists}, admin());
  ASSERT_FALSE(out.has_value());
  EXPECT_EQ(out.error().code, RejectionCode::kValidation);
  lists = court.state.code_lists;
  lists.material_types.push_back({"power_of_attorney", "授权委托书"});
  auto ok = court.run(ChangeCodeLists{lists}, admin());
  ASSERT_TRUE(ok.has_value()) << ok.error().message;
  ASSERT_EQ(ok->events.size(), 1u);
  EXPECT_EQ(ok->events[0].type, "CourtCodeListsChanged");
  EXPECT_EQ(court.state.code_lists, lists);
}

TEST(CourtTest, FilingFactsComeFromTheCourtsListsAndPolicy) {
  CourtStream court;
  ASSERT_TRUE(court.run(registration(), admin()));
  const FilingCourtFacts facts = filing_facts(court.state);
  EXPECT_EQ(facts.case_categories,
            (std::vector<std::string>{"civil_first_instance", "civil_second_instance"}));
  EXPECT_EQ(facts.application_types, (std::vector<std::string>{"complaint"}));
  EXPECT_EQ(facts.material_types, (std::vector<std::string>{"complaint", "evidence"}));
  EXPECT_EQ(facts.review_period_us, 7 * kDay);
  ASSERT_NE(find_case_category(court.state, "civil_second_instance"), nullptr);
  EXPECT_EQ(find_case_category(court.state, "civil_second_instance")->case_number_code, "民终");
  EXPECT_EQ(find_case_category(court.state, "nope"), nullptr);
}

}  // namespace
}  // namespace docket::domain
