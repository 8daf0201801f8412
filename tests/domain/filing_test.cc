#include "docket/domain/filing.h"

#include <flatbuffers/flatbuffers.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "docket/domain/court.h"
#include "fake_facts.h"
#include "filing_generated.h"
#include "stream_under_test.h"

namespace docket::domain {
namespace {

constexpr std::int64_t kDay = 86'400'000'000LL;
constexpr std::int64_t kT0 = 1'780'000'000'000'000;  // 2026-05-28
constexpr std::string_view kFiler = "15001201810012345";
constexpr std::string_view kOtherLawyer = "15001201810099999";
constexpr std::string_view kCourt = "渝0103";

// What a filing reads: the court kCourt, which lists civil first instance cases, complaints, and
// complaints and evidence as materials, reviews in 7 days and gives 15 to correct; the accounts
// of the filer and of another lawyer.
testing::FakeFacts world() {
  testing::FakeFacts facts;
  CourtState& court = facts.add_court(std::string(kCourt), "重庆市渝中区人民法院");
  court.code_lists.case_categories = {{"civil_first_instance", "民事一审", "民初"}};
  court.code_lists.application_types = {{"complaint", "起诉"}};
  court.code_lists.material_types = {{"complaint", "起诉状"}, {"evidence", "证据"}};
  court.policy.review_period_us = 7 * kDay;
  court.policy.correction_period_us = 15 * kDay;
  court.policy.fee_schedule.rules_by_category["civil_first_instance"] =
      national_property_fee_rule();
  facts.add_lawyer(std::string(kFiler), "张三", "重庆某某律师事务所", "500103198001011234",
                   "13800000000");
  facts.add_lawyer(std::string(kOtherLawyer), "李律师", "重庆另一律师事务所", "500103198201015678",
                   "13900000000");
  return facts;
}

// A filing stream under test: decides with `facts` (world() unless a test changes them).
struct FilingStream : testing::StreamUnderTest<FilingAggregate> {
  FilingStream() : StreamUnderTest("filing-f42", world()) {}
};

Context as(Role role, std::string_view id, std::string_view court = "", std::int64_t now = kT0) {
  Context ctx;
  ctx.now_us = now;
  ctx.actor = Principal{std::string(id), role, std::string(court)};
  return ctx;
}

Context filer(std::int64_t now = kT0) {
  return as(Role::kLawyer, kFiler, "", now);
}
Context clerk(std::int64_t now = kT0) {
  return as(Role::kClerk, "clerk-7", kCourt, now);
}
Context system_at(std::int64_t now) {
  return as(Role::kSystem, "engine", "", now);
}

std::string blob(int n) {
  std::string hash(64, '0');
  hash.back() = "0123456789abcdef"[n % 16];
  hash[0] = 'a';
  return hash;
}

FilingParty plaintiff() {
  FilingParty p;
  p.party_id = "p1";
  p.position = FilingPartyPosition::kPlaintiff;
  p.kind = FilingPartyKind::kNaturalPerson;
  p.name = "李四";
  p.id_number = "500103199001011234";
  p.phone = "13800000001";
  p.address = "重庆市渝中区解放碑1号";
  return p;
}

FilingParty defendant() {
  FilingParty p;
  p.party_id = "p2";
  p.position = FilingPartyPosition::kDefendant;
  p.kind = FilingPartyKind::kLegalPerson;
  p.name = "重庆某某有限公司";
  p.id_number = "91500103MA5U000000";
  p.address = "重庆市渝中区某路2号";
  p.legal_representative = "王五";
  return p;
}

// The filer as an agent, with the name, firm, identity number and phone of their account.
FilingAgent the_filer_as_agent() {
  return FilingAgent{std::string(kFiler),  "张三",        "重庆某某律师事务所",
                     "500103198001011234", "13800000000", {"p1"}};
}

void expect_ok(const Outcome& out) {
  EXPECT_TRUE(out.has_value()) << (out ? "" : out.error().message);
}

FilingStream draft() {
  FilingStream f;
  expect_ok(f.run(AcceptFilingNotice{}, filer()));
  return f;
}

// Every wizard step, correctly filled.
void fill_every_step(FilingStream& f) {
  expect_ok(f.run(ChooseCaseCategory{"civil_first_instance", "complaint"}, filer()));
  expect_ok(
      f.run(SaveCaseInformation{{"判令被告偿还借款10万元"}, "事实与理由……", 10'000'000}, filer()));
  expect_ok(f.run(SaveParties{{plaintiff(), defendant()}}, filer()));
  expect_ok(f.run(SaveAgents{{the_filer_as_agent()}}, filer()));
  expect_ok(f.run(AcceptServiceAddressNotice{}, filer()));
  expect_ok(f.run(
      SaveServiceAddresses{{{"p1", "重庆市渝中区解放碑1号", "13800000001", "l@example.com", true}}},
      filer()));
  expect_ok(f.run(ChooseCourt{std::string(kCourt)}, filer()));
  expect_ok(f.run(SaveMaterials{{{"m1", "complaint", "起诉状", {blob(1), blob(2)}}}}, filer()));
  expect_ok(f.run(SaveIdentityPapers{{{"p1", IdentityPaperKind::kIdCardFront, blob(3)},
                                      {"p1", IdentityPaperKind::kIdCardBack, blob(4)}}},
                  filer()));
  expect_ok(f.run(ChooseMediation{true}, filer()));
}

FilingStream submitted() {
  FilingStream f = draft();
  fill_every_step(f);
  expect_ok(f.run(SubmitFiling{}, filer()));
  return f;
}

FilingStream correction_requested() {
  FilingStream f = submitted();
  expect_ok(f.run(RequestCorrection{{{"parties[1].id_number", "请补充被告统一社会信用代码"}}},
                  clerk(kT0 + kDay)));
  return f;
}

std::vector<std::string> fields_of(const Rejection& r) {
  std::vector<std::string> out;
  for (const auto& v : r.violations)
    out.push_back(v.field);
  return out;
}

bool has_field(const Rejection& r, std::string_view field) {
  const auto fields = fields_of(r);
  return std::find(fields.begin(), fields.end(), field) != fields.end();
}

// --- the wizard ------------------------------------------------------------------------------

TEST(FilingTest, FirstNoticeAcceptanceCreatesADraftOwnedByTheFilingLawyer) {
  FilingStream f;
  auto out = f.run(AcceptFilingNotice{}, filer());
  ASSERT_TRUE(out.has_value());
  EXPECT_EQ(f.types(), std::vector<std::string>{"FilingNoticeAccepted"});
  EXPECT_TRUE(f.state.exists);
  EXPECT_EQ(f.state.filing_id, "f42");
  EXPECT_EQ(f.state.filer, kFiler);
  EXPECT_EQ(f.state.status, FilingStatus::kDraft);
  EXPECT_TRUE(f.state.filing_notice_accepted);
}

TEST(FilingTest, OnlyALawyerStartsAFiling) {
  FilingStream f;
  auto out = f.run(AcceptFilingNotice{}, clerk());
  ASSERT_FALSE(out.has_value());
  EXPECT_EQ(out.error().code, RejectionCode::kForbidden);
}

TEST(FilingTest, StepsOnAFilingThatDoesNotExistAreNotFound) {
  FilingStream f;
  auto out = f.run(ChooseMediation{true}, filer());
  ASSERT_FALSE(out.has_value());
  EXPECT_EQ(out.error().code, RejectionCode::kNotFound);
}

TEST(FilingTest, OnlyTheFilerEditsSubmitsAndCancels) {
  FilingStream f = draft();
  fill_every_step(f);
  const Context other = as(Role::kLawyer, kOtherLawyer);
  const std::vector<FilingCommand> commands = {AcceptFilingNotice{},         ChooseMediation{false},
                                               SaveParties{{plaintiff()}},   SubmitFiling{},
                                               CancelFiling{"changed mind"}, DeleteDraft{}};
  for (const auto& command : commands) {
    for (const Context& ctx : {other, clerk(), as(Role::kAdmin, "admin")}) {
      auto out = f.run(command, ctx);
      ASSERT_FALSE(out.has_value());
      EXPECT_EQ(out.error().code, RejectionCode::kForbidden) << command.index();
    }
  }
}

TEST(FilingTest, StepsMayBeRedoneWhileADraft) {
  FilingStream f = draft();
  expect_ok(f.run(SaveParties{{plaintiff()}}, filer()));
  expect_ok(f.run(SaveParties{{plaintiff(), defendant()}}, filer()));
  EXPECT_EQ(f.state.parties, (std::vector<FilingParty>{plaintiff(), defendant()}));
  expect_ok(f.run(ChooseMediation{true}, filer()));
  expect_ok(f.run(ChooseMediation{false}, filer()));
  EXPECT_EQ(f.state.mediation, false);
  EXPECT_EQ(f.log.size(), 5u);  // every save is an event
}

TEST(FilingTest, StepsMayBeRedoneWhileACorrectionIsRequested) {
  FilingStream f = correction_requested();
  FilingParty fixed = defendant();
  fixed.id_number = "91500103MA5U999999";
  expect_ok(f.run(SaveParties{{plaintiff(), fixed}}, filer()));
  EXPECT_EQ(f.state.parties[1].id_number, "91500103MA5U999999");
}

TEST(FilingTest, StepsAreRefusedOnceSubmitted) {
  FilingStream f = submitted();
  auto out = f.run(ChooseMediation{false}, filer());
  ASSERT_FALSE(out.has_value());
  EXPECT_EQ(out.error().code, RejectionCode::kInvalidState);
  EXPECT_NE(out.error().message.find("Expected a draft"), std::string::npos);
}

TEST(FilingTest, SubmitListsEveryMissingItemAtOnce) {
  FilingStream f = draft();
  auto out = f.run(SubmitFiling{}, filer());
  ASSERT_FALSE(out.has_value());
  const Rejection& r = out.error();
  EXPECT_EQ(r.code, RejectionCode::kValidation);
  EXPECT_EQ(r.message.rfind("Expected a complete filing, but ", 0), 0u) << r.message;
  for (std::string_view field : {"category", "application_type", "case_information", "parties",
                                 "agents", "service_address_notice", "service_addresses", "court",
                                 "materials", "identity_papers", "mediation"}) {
    EXPECT_TRUE(has_field(r, field)) << field;
  }
  // Both missing positions are listed, not just the first.
  const auto fields = fields_of(r);
  EXPECT_EQ(std::count(fields.begin(), fields.end(), "parties"), 2);
  EXPECT_EQ(f.log.size(), 1u);
}

TEST(FilingTest, SubmitRequiresAPlaintiffAndADefendant) {
  FilingStream f = draft();
  fill_every_step(f);
  expect_ok(f.run(SaveParties{{plaintiff()}}, filer()));
  auto out = f.run(SubmitFiling{}, filer());
  ASSERT_FALSE(out.has_value());
  EXPECT_EQ(fields_of(out.error()), std::vector<std::string>{"parties"});
  EXPECT_NE(out.error().violations[0].message.find("defendant"), std::string::npos);
}

TEST(FilingTest, SubmitChecksEachPartysIdentityData) {
  FilingStream f = draft();
  fill_every_step(f);
  FilingParty p = plaintiff();
  p.id_number = "";
  FilingParty d = defendant();
  d.address = "";
  expect_ok(f.run(SaveParties{{p, d}}, filer()));
  auto out = f.run(SubmitFiling{}, filer());
  ASSERT_FALSE(out.has_value());
  EXPECT_EQ(fields_of(out.error()),
            (std::vector<std::string>{"parties[0].id_number", "parties[1].address"}));
}

TEST(FilingTest, TheFilingLawyerIsAlwaysAnAgent) {
  FilingStream f = draft();
  FilingAgent someone_else = the_filer_as_agent();
  someone_else.licence_number = std::string(kOtherLawyer);
  auto out = f.run(SaveAgents{{someone_else}}, filer());
  ASSERT_FALSE(out.has_value());
  EXPECT_EQ(out.error().code, RejectionCode::kValidation);
  EXPECT_EQ(fields_of(out.error()), std::vector<std::string>{"agents"});
}

TEST(FilingTest, OtherAgentsMustBeRegisteredLawyers) {
  FilingStream f = draft();
  FilingAgent colleague = the_filer_as_agent();
  colleague.licence_number = std::string(kOtherLawyer);
  FilingAgent stranger = the_filer_as_agent();
  stranger.licence_number = "15001201810077777";                 // no account at all
  f.facts.lawyers.at(std::string(kOtherLawyer)).active = false;  // left the roster
  auto out = f.run(SaveAgents{{the_filer_as_agent(), colleague, stranger}}, filer());
  ASSERT_FALSE(out.has_value());
  EXPECT_EQ(out.error().code, RejectionCode::kValidation);
  EXPECT_EQ(fields_of(out.error()),
            (std::vector<std::string>{"agents[1].licence_number", "agents[2].licence_number"}));
  EXPECT_TRUE(f.state.agents.empty());
  f.facts.lawyers.at(std::string(kOtherLawyer)).active = true;
  expect_ok(f.run(SaveAgents{{the_filer_as_agent(), colleague}}, filer()));
  EXPECT_EQ(f.state.agents.size(), 2u);
}

TEST(FilingTest, EachAgentIsSavedAsTheLawyersAccountSays) {
  FilingStream f = draft();
  FilingAgent filer_agent{std::string(kFiler), "", "", "", "", {"p1"}};
  FilingAgent colleague{std::string(kOtherLawyer), "冒名", "假律所", "000", "110", {"p2"}};
  expect_ok(f.run(SaveAgents{{filer_agent, colleague}}, filer()));
  EXPECT_EQ(f.state.agents,
            (std::vector<FilingAgent>{the_filer_as_agent(), FilingAgent{std::string(kOtherLawyer),
                                                                        "李律师",
                                                                        "重庆另一律师事务所",
                                                                        "500103198201015678",
                                                                        "13900000000",
                                                                        {"p2"}}}));
}

TEST(FilingTest, SubmitRequiresAServiceAddressPerRepresentedParty) {
  FilingStream f = draft();
  fill_every_step(f);
  FilingAgent agent = the_filer_as_agent();
  agent.represents = {"p1", "p2"};
  expect_ok(f.run(SaveAgents{{agent}}, filer()));
  auto out = f.run(SubmitFiling{}, filer());
  ASSERT_FALSE(out.has_value());
  EXPECT_EQ(fields_of(out.error()), std::vector<std::string>{"service_addresses[p2]"});
}

TEST(FilingTest, ServiceAddressesNeedTheServiceAddressNoticeFirst) {
  FilingStream f = draft();
  auto out = f.run(SaveServiceAddresses{{{"p1", "addr", "", "", false}}}, filer());
  ASSERT_FALSE(out.has_value());
  EXPECT_EQ(out.error().code, RejectionCode::kInvalidState);
}

TEST(FilingTest, SubmitRequiresAtLeastOneComplaint) {
  FilingStream f = draft();
  fill_every_step(f);
  expect_ok(f.run(SaveMaterials{{{"m1", "evidence", "借条", {blob(1)}}}}, filer()));
  auto out = f.run(SubmitFiling{}, filer());
  ASSERT_FALSE(out.has_value());
  EXPECT_EQ(fields_of(out.error()), std::vector<std::string>{"materials"});
}

TEST(FilingTest, MaterialsReferToStoredBlobsByHash) {
  FilingStream f = draft();
  auto out = f.run(SaveMaterials{{{"m1", "complaint", "起诉状", {"not-a-hash", blob(1)}},
                                  {"m2", "evidence", "借条", {}}}},
                   filer());
  ASSERT_FALSE(out.has_value());
  EXPECT_EQ(fields_of(out.error()),
            (std::vector<std::string>{"materials[0].blob_hashes[0]", "materials[1].blob_hashes"}));
}

TEST(FilingTest, MaterialTypesMustBeOnTheCourtsList) {
  FilingStream f = draft();
  fill_every_step(f);
  expect_ok(f.run(
      SaveMaterials{{{"m1", "complaint", "起诉状", {blob(1)}}, {"m2", "video", "录像", {blob(2)}}}},
      filer()));
  auto out = f.run(SubmitFiling{}, filer());
  ASSERT_FALSE(out.has_value());
  EXPECT_EQ(fields_of(out.error()), std::vector<std::string>{"materials[1].material_type"});
}

TEST(FilingTest, CategoryAndApplicationTypeMustBeOnTheCourtsLists) {
  FilingStream f = draft();
  fill_every_step(f);
  expect_ok(f.run(ChooseCaseCategory{"maritime", "appeal"}, filer()));
  auto out = f.run(SubmitFiling{}, filer());
  ASSERT_FALSE(out.has_value());
  EXPECT_EQ(fields_of(out.error()), (std::vector<std::string>{"category", "application_type"}));
}

TEST(FilingTest, ChosenCourtMustBeRegistered) {
  FilingStream f = draft();
  auto out = f.run(ChooseCourt{"渝9999"}, filer());
  ASSERT_FALSE(out.has_value());
  EXPECT_EQ(out.error().code, RejectionCode::kNotFound);
  EXPECT_EQ(f.log.size(), 1u);
}

TEST(FilingTest, ChosenCourtIsRecordedWithItsRegisteredName) {
  FilingStream f = draft();
  expect_ok(f.run(ChooseCourt{std::string(kCourt)}, filer()));
  EXPECT_EQ(f.state.court, kCourt);
  EXPECT_EQ(f.state.court_name, "重庆市渝中区人民法院");
}

TEST(FilingTest, SubmitChecksTheChosenCourtsListsAndTakesItsReviewPeriod) {
  FilingStream f = draft();
  fill_every_step(f);
  CourtState& other = f.facts.add_court("渝0104", "重庆市江北区人民法院");
  other.code_lists.case_categories = {{"civil_second_instance", "民事二审", "民终"}};
  other.code_lists.application_types = {{"complaint", "起诉"}};
  other.code_lists.material_types = {{"complaint", "起诉状"}};
  other.policy.review_period_us = 3 * kDay;
  expect_ok(f.run(ChooseCourt{"渝0104"}, filer()));
  auto out = f.run(SubmitFiling{}, filer());
  ASSERT_FALSE(out.has_value());
  EXPECT_EQ(fields_of(out.error()), std::vector<std::string>{"category"});
  other.code_lists.case_categories.push_back({"civil_first_instance", "民事一审", "民初"});
  auto submitted = f.run(SubmitFiling{}, filer());
  ASSERT_TRUE(submitted.has_value()) << submitted.error().message;
  EXPECT_EQ(f.state.review_due_at_us, kT0 + 3 * kDay);
}

TEST(FilingTest, IdentityPapersFollowThePartyKind) {
  FilingStream f = draft();
  fill_every_step(f);
  FilingParty minor = plaintiff();
  minor.minor = true;
  FilingParty company = defendant();
  company.party_id = "p3";
  company.position = FilingPartyPosition::kPlaintiff;
  expect_ok(f.run(SaveParties{{minor, defendant(), company}}, filer()));
  expect_ok(f.run(SaveIdentityPapers{{{"p1", IdentityPaperKind::kIdCardFront, blob(3)}}}, filer()));
  auto out = f.run(SubmitFiling{}, filer());
  ASSERT_FALSE(out.has_value());
  EXPECT_EQ(fields_of(out.error()),
            (std::vector<std::string>{"identity_papers[p1].id_card_back",
                                      "identity_papers[p1].household_register",
                                      "identity_papers[p3].legal_representative_certificate",
                                      "identity_papers[p3].legal_representative_id_card"}));
}

TEST(FilingTest, SubmitRequiresAMediationChoice) {
  FilingStream f = draft();
  fill_every_step(f);
  f.state.mediation.reset();  // as if never chosen
  auto out = FilingAggregate::decide(f.state, SubmitFiling{}, f.reading(filer()));
  ASSERT_FALSE(out.has_value());
  EXPECT_EQ(fields_of(out.error()), std::vector<std::string>{"mediation"});
}

TEST(FilingTest, SubmitSetsTheReviewDeadlineTimer) {
  FilingStream f = draft();
  fill_every_step(f);
  auto out = f.run(SubmitFiling{}, filer());
  ASSERT_TRUE(out.has_value()) << out.error().message;
  ASSERT_EQ(out->events.size(), 1u);
  EXPECT_EQ(out->events[0].type, "FilingSubmitted");
  ASSERT_EQ(out->timers_to_set.size(), 1u);
  const TimerRequest& timer = out->timers_to_set[0];
  EXPECT_EQ(timer.id, "filing-f42/review-deadline/1");
  EXPECT_EQ(timer.stream, "filing-f42");
  EXPECT_EQ(timer.due_at_us, kT0 + 7 * kDay);
  EXPECT_EQ(timer.command_type, "ReviewDeadlineReached");
  EXPECT_EQ(f.state.status, FilingStatus::kSubmitted);
  EXPECT_EQ(f.state.review_due_at_us, kT0 + 7 * kDay);
  EXPECT_EQ(ecf_status(f.state), "received");
}

TEST(FilingTest, DraftCanBeDeletedAndIsThenGone) {
  FilingStream f = draft();
  auto out = f.run(DeleteDraft{}, filer());
  ASSERT_TRUE(out.has_value());
  EXPECT_EQ(f.state.status, FilingStatus::kDeleted);
  auto after = f.run(ChooseMediation{true}, filer());
  ASSERT_FALSE(after.has_value());
  EXPECT_EQ(after.error().code, RejectionCode::kNotFound);
}

TEST(FilingTest, SubmittedFilingCannotBeDeleted) {
  FilingStream f = submitted();
  auto out = f.run(DeleteDraft{}, filer());
  ASSERT_FALSE(out.has_value());
  EXPECT_EQ(out.error().code, RejectionCode::kInvalidState);
}

TEST(FilingTest, FilerCancelsADraftOrASubmittedFiling) {
  FilingStream d = draft();
  expect_ok(d.run(CancelFiling{"duplicate"}, filer()));
  EXPECT_EQ(d.state.status, FilingStatus::kCancelled);
  EXPECT_EQ(ecf_status(d.state), "cancelled");

  FilingStream s = submitted();
  auto out = s.run(CancelFiling{"settled out of court"}, filer());
  ASSERT_TRUE(out.has_value());
  EXPECT_EQ(out->timers_to_cancel, std::vector<std::string>{"filing-f42/review-deadline/1"});
  EXPECT_EQ(s.state.cancellation_reason, "settled out of court");

  FilingStream c = correction_requested();
  auto out2 = c.run(CancelFiling{""}, filer());
  ASSERT_TRUE(out2.has_value());
  EXPECT_EQ(out2->timers_to_cancel, std::vector<std::string>{"filing-f42/correction-deadline"});

  auto again = s.run(CancelFiling{""}, filer());
  ASSERT_FALSE(again.has_value());
  EXPECT_EQ(again.error().code, RejectionCode::kInvalidState);
}

// --- review ----------------------------------------------------------------------------------

TEST(FilingTest, OnlyAClerkOfTheFilingsCourtReviews) {
  FilingStream f = submitted();
  const std::vector<FilingCommand> reviews = {AcceptFiling{"(2026)渝0103民初1号"},
                                              RequestCorrection{{{"x", "y"}}},
                                              RejectFiling{"no jurisdiction"}};
  for (const auto& command : reviews) {
    for (const Context& ctx :
         {as(Role::kClerk, "clerk-9", "渝0104"), as(Role::kJudge, "judge-1", kCourt), filer(),
          as(Role::kSystem, "engine")}) {
      auto out = f.run(command, ctx);
      ASSERT_FALSE(out.has_value());
      EXPECT_EQ(out.error().code, RejectionCode::kForbidden);
    }
  }
}

TEST(FilingTest, ReviewNeedsASubmittedFiling) {
  FilingStream f = draft();
  fill_every_step(f);
  auto out = f.run(AcceptFiling{"(2026)渝0103民初1号"}, clerk());
  ASSERT_FALSE(out.has_value());
  EXPECT_EQ(out.error().code, RejectionCode::kInvalidState);
}

TEST(FilingTest, AcceptRegistersTheCaseWithEverythingItsRegistrationNeeds) {
  FilingStream f = submitted();
  auto out = f.run(AcceptFiling{"(2026)渝0103民初1234号"}, clerk(kT0 + kDay));
  ASSERT_TRUE(out.has_value()) << out.error().message;
  ASSERT_EQ(out->events.size(), 1u);
  EXPECT_EQ(out->events[0].type, "FilingAccepted");
  EXPECT_EQ(out->timers_to_cancel, std::vector<std::string>{"filing-f42/review-deadline/1"});
  EXPECT_EQ(f.state.status, FilingStatus::kAccepted);
  EXPECT_EQ(f.state.case_number, "(2026)渝0103民初1234号");
  EXPECT_EQ(ecf_status(f.state), "accepted");

  const std::string& payload = out->events[0].payload;
  flatbuffers::Verifier verifier(reinterpret_cast<const std::uint8_t*>(payload.data()),
                                 payload.size());
  ASSERT_TRUE(verifier.VerifyBuffer<fb::FilingAccepted>(nullptr));
  auto accepted = flatbuffers::GetRoot<fb::FilingAccepted>(payload.data())->UnPack();
  EXPECT_EQ(accepted->filing_id, "f42");
  EXPECT_EQ(accepted->case_number, "(2026)渝0103民初1234号");
  EXPECT_EQ(accepted->court, kCourt);
  EXPECT_EQ(accepted->category, "civil_first_instance");
  EXPECT_EQ(accepted->filer, kFiler);
  EXPECT_EQ(accepted->amount_in_dispute_fen, 10'000'000);
  ASSERT_EQ(accepted->parties.size(), 2u);
  EXPECT_EQ(accepted->parties[0]->id_number, "500103199001011234");
  EXPECT_EQ(accepted->parties[1]->position, fb::FilingPartyPosition::Defendant);
  ASSERT_EQ(accepted->agents.size(), 1u);
  EXPECT_EQ(accepted->agents[0]->licence_number, kFiler);
  EXPECT_EQ(accepted->agents[0]->id_number, "500103198001011234");
  EXPECT_EQ(accepted->accepted_by, "clerk-7");
  EXPECT_FALSE(accepted->automatic);
  delete accepted;
}

// Regression: a court listed a category without a fee rule, and a clerk accepted its filings,
// which then never got a payment notice (its reaction failed, seen only in the log).
TEST(FilingTest, AcceptIsRefusedWhenTheCourtsFeeScheduleCannotBillTheFiling) {
  FilingStream f = submitted();
  f.facts.add_court(std::string(kCourt)).policy.fee_schedule.rules_by_category.clear();
  const auto before = f.log.size();
  auto out = f.run(AcceptFiling{"(2026)渝0103民初1234号"}, clerk(kT0 + kDay));
  ASSERT_FALSE(out.has_value());
  EXPECT_EQ(out.error().code, RejectionCode::kPolicy);
  EXPECT_EQ(out.error().message.rfind("Expected the fee schedule of court", 0), 0u)
      << out.error().message;
  EXPECT_NE(out.error().message.find("civil_first_instance"), std::string::npos);
  EXPECT_EQ(f.log.size(), before);
  EXPECT_EQ(f.state.status, FilingStatus::kSubmitted);
}

// Notice §1: real-name verification. Where the court's policy requires it, a clerk accepts a
// filing only when the court's identity service verified every party, or with a reason recorded.
TEST(FilingTest, AcceptNeedsEveryPartysIdentityVerifiedWhereTheCourtRequiresIt) {
  FilingStream f = submitted();
  f.facts.add_court(std::string(kCourt)).policy.identity_verification_required = true;
  const auto cms = as(Role::kCourtSystem, "cms0103", kCourt, kT0 + kDay);
  auto unverified = f.run(AcceptFiling{"(2026)渝0103民初1234号"}, clerk(kT0 + kDay));
  ASSERT_FALSE(unverified.has_value());
  EXPECT_EQ(unverified.error().code, RejectionCode::kPolicy);
  EXPECT_NE(unverified.error().message.find("(p1) is unverified"), std::string::npos)
      << unverified.error().message;
  EXPECT_NE(unverified.error().message.find("(p2) is unverified"), std::string::npos);

  ASSERT_TRUE(f.run(RecordIdentityCheck{"p1", IdentityCheckMethod::kDocumentComparison,
                                        IdentityCheckResult::kVerified, ""},
                    cms));
  EXPECT_EQ(f.log.back().type, "IdentityCheckRecorded");
  ASSERT_TRUE(f.run(RecordIdentityCheck{"p2", IdentityCheckMethod::kRealNamePhone,
                                        IdentityCheckResult::kFailed, "手机号未实名"},
                    cms));
  auto failed = f.run(AcceptFiling{"(2026)渝0103民初1234号"}, clerk(kT0 + kDay));
  ASSERT_FALSE(failed.has_value());
  EXPECT_NE(failed.error().message.find("(p2) failed real_name_phone"), std::string::npos)
      << failed.error().message;
  EXPECT_EQ(failed.error().message.find("(p1)"), std::string::npos) << "p1 is verified";

  // The latest result counts.
  ASSERT_TRUE(f.run(RecordIdentityCheck{"p2", IdentityCheckMethod::kDocumentComparison,
                                        IdentityCheckResult::kVerified, ""},
                    cms));
  ASSERT_EQ(f.state.identity_checks.size(), 2u);
  EXPECT_EQ(f.state.identity_checks[1].result, IdentityCheckResult::kVerified);
  auto accepted = f.run(AcceptFiling{"(2026)渝0103民初1234号"}, clerk(kT0 + kDay));
  ASSERT_TRUE(accepted.has_value()) << accepted.error().message;
  EXPECT_TRUE(f.state.identity_override_reason.empty());
}

TEST(FilingTest, AClerkAcceptsAnUnverifiedFilingOnlyWithAReasonThatIsRecorded) {
  FilingStream f = submitted();
  f.facts.add_court(std::string(kCourt)).policy.identity_verification_required = true;
  auto accepted =
      f.run(AcceptFiling{"(2026)渝0103民初1234号", "当事人到庭核验身份"}, clerk(kT0 + kDay));
  ASSERT_TRUE(accepted.has_value()) << accepted.error().message;
  EXPECT_EQ(f.state.identity_override_reason, "当事人到庭核验身份");
  // A court that does not require verification accepts without any check.
  FilingStream plain = submitted();
  EXPECT_TRUE(plain.run(AcceptFiling{"(2026)渝0103民初1235号"}, clerk(kT0 + kDay)).has_value());
}

TEST(FilingTest, OnlyTheCourtSystemOfTheFilingsCourtRecordsIdentityChecksOnItsParties) {
  FilingStream f = submitted();
  const RecordIdentityCheck check{"p1", IdentityCheckMethod::kDocumentComparison,
                                  IdentityCheckResult::kVerified, ""};
  for (const auto& ctx : {clerk(), filer(), as(Role::kCourtSystem, "cms0104", "渝0104")}) {
    auto out = f.run(check, ctx);
    ASSERT_FALSE(out.has_value());
    EXPECT_EQ(out.error().code, RejectionCode::kForbidden);
  }
  const auto cms = as(Role::kCourtSystem, "cms0103", kCourt);
  auto unknown = f.run(RecordIdentityCheck{"p9", IdentityCheckMethod::kDocumentComparison,
                                           IdentityCheckResult::kVerified, ""},
                       cms);
  ASSERT_FALSE(unknown.has_value());
  EXPECT_EQ(unknown.error().code, RejectionCode::kValidation);
  ASSERT_TRUE(f.run(check, cms));
  EXPECT_TRUE(f.run(check, cms)->events.empty()) << "the same result again changes nothing";
  ASSERT_TRUE(f.run(AcceptFiling{"(2026)渝0103民初1234号"}, clerk(kT0 + kDay)));
  auto closed = f.run(check, cms);
  ASSERT_FALSE(closed.has_value());
  EXPECT_EQ(closed.error().code, RejectionCode::kInvalidState);
}

TEST(FilingTest, AcceptNeedsACaseNumber) {
  FilingStream f = submitted();
  auto out = f.run(AcceptFiling{""}, clerk());
  ASSERT_FALSE(out.has_value());
  EXPECT_EQ(out.error().code, RejectionCode::kValidation);
}

TEST(FilingTest, CorrectionNoticeListsEveryItemAndAtMostOnePerFiling) {
  FilingStream f = submitted();
  const std::vector<CorrectionItem> items = {
      {"parties[1].id_number", "请补充被告统一社会信用代码"},
      {"materials", "请补充借条原件照片"},
  };
  auto out = f.run(RequestCorrection{items}, clerk(kT0 + kDay));
  ASSERT_TRUE(out.has_value()) << out.error().message;
  EXPECT_EQ(out->events.at(0).type, "CorrectionRequested");
  ASSERT_TRUE(f.state.correction_notice.has_value());
  EXPECT_EQ(f.state.correction_notice->items, items);
  EXPECT_EQ(f.state.correction_notice->deadline_at_us, kT0 + 16 * kDay);
  EXPECT_EQ(f.state.status, FilingStatus::kCorrectionRequested);
  EXPECT_EQ(out->timers_to_cancel, std::vector<std::string>{"filing-f42/review-deadline/1"});
  ASSERT_EQ(out->timers_to_set.size(), 1u);
  EXPECT_EQ(out->timers_to_set[0].id, "filing-f42/correction-deadline");
  EXPECT_EQ(out->timers_to_set[0].due_at_us, kT0 + 16 * kDay);

  // Resubmitted, the filing cannot get a second notice.
  expect_ok(f.run(SubmitFiling{}, filer(kT0 + 2 * kDay)));
  auto second = f.run(RequestCorrection{{{"court", "x"}}}, clerk(kT0 + 3 * kDay));
  ASSERT_FALSE(second.has_value());
  EXPECT_EQ(second.error().code, RejectionCode::kPolicy);
}

TEST(FilingTest, CorrectionNoticeNeedsAtLeastOneCompleteItem) {
  FilingStream f = submitted();
  auto none = f.run(RequestCorrection{{}}, clerk());
  ASSERT_FALSE(none.has_value());
  EXPECT_EQ(none.error().code, RejectionCode::kValidation);
  f.facts.courts.at(std::string(kCourt)).policy.correction_period_us = 0;
  auto blank = f.run(RequestCorrection{{{"", ""}}}, clerk());
  ASSERT_FALSE(blank.has_value());
  EXPECT_EQ(
      fields_of(blank.error()),
      (std::vector<std::string>{"items[0].field", "items[0].message", "correction_period_us"}));
}

TEST(FilingTest, TheCorrectionPeriodIsTheFilingsCourts) {
  FilingStream f = submitted();
  f.facts.courts.at(std::string(kCourt)).policy.correction_period_us = 3 * kDay;
  expect_ok(f.run(RequestCorrection{{{"materials", "请补充借条原件照片"}}}, clerk(kT0 + kDay)));
  EXPECT_EQ(f.state.correction_notice->deadline_at_us, kT0 + 4 * kDay);
}

TEST(FilingTest, ResubmissionRestartsTheReviewClock) {
  FilingStream f = correction_requested();
  const std::int64_t resubmitted_at = kT0 + 5 * kDay;
  auto out = f.run(SubmitFiling{}, filer(resubmitted_at));
  ASSERT_TRUE(out.has_value()) << out.error().message;
  EXPECT_EQ(f.state.status, FilingStatus::kSubmitted);
  EXPECT_EQ(f.state.submissions, 2u);
  EXPECT_EQ(f.state.review_due_at_us, resubmitted_at + 7 * kDay);
  ASSERT_EQ(out->timers_to_set.size(), 1u);
  EXPECT_EQ(out->timers_to_set[0].id, "filing-f42/review-deadline/2");
  EXPECT_EQ(out->timers_to_set[0].due_at_us, resubmitted_at + 7 * kDay);
  EXPECT_EQ(out->timers_to_cancel, std::vector<std::string>{"filing-f42/correction-deadline"});
}

TEST(FilingTest, UncorrectedFilingIsReturnedAtTheCorrectionDeadline) {
  FilingStream f = correction_requested();
  const std::int64_t deadline = f.state.correction_notice->deadline_at_us;
  auto out = f.run(CorrectionDeadlineReached{deadline}, system_at(deadline));
  ASSERT_TRUE(out.has_value());
  EXPECT_EQ(f.types().back(), "FilingReturned");
  EXPECT_EQ(f.state.status, FilingStatus::kReturned);
  EXPECT_EQ(ecf_status(f.state), "returned");
  auto again = f.run(CorrectionDeadlineReached{deadline}, system_at(deadline + 1));
  ASSERT_TRUE(again.has_value());
  EXPECT_TRUE(again->events.empty());
}

TEST(FilingTest, CorrectionDeadlineAfterResubmissionDecidesNothing) {
  FilingStream f = correction_requested();
  const std::int64_t deadline = f.state.correction_notice->deadline_at_us;
  expect_ok(f.run(SubmitFiling{}, filer(kT0 + 2 * kDay)));
  auto out = f.run(CorrectionDeadlineReached{deadline}, system_at(deadline));
  ASSERT_TRUE(out.has_value());
  EXPECT_TRUE(out->events.empty());
  EXPECT_EQ(f.state.status, FilingStatus::kSubmitted);
}

TEST(FilingTest, RejectNeedsAReason) {
  FilingStream f = submitted();
  auto blank = f.run(RejectFiling{""}, clerk());
  ASSERT_FALSE(blank.has_value());
  EXPECT_EQ(blank.error().code, RejectionCode::kValidation);
  auto out = f.run(RejectFiling{"不属于本院管辖"}, clerk());
  ASSERT_TRUE(out.has_value());
  EXPECT_EQ(out->timers_to_cancel, std::vector<std::string>{"filing-f42/review-deadline/1"});
  EXPECT_EQ(f.state.status, FilingStatus::kRejected);
  EXPECT_EQ(f.state.rejection_reason, "不属于本院管辖");
  EXPECT_EQ(ecf_status(f.state), "rejected");
}

// --- the review deadline ---------------------------------------------------------------------

TEST(FilingTest, OverdueReviewIsRecordedAndStaysVisible) {
  FilingStream f = submitted();
  const std::int64_t due = f.state.review_due_at_us;
  auto out = f.run(ReviewDeadlineReached{1, false, ""}, system_at(due));
  ASSERT_TRUE(out.has_value()) << out.error().message;
  EXPECT_EQ(f.types().back(), "FilingReviewOverdue");
  EXPECT_TRUE(f.state.review_overdue);
  EXPECT_EQ(f.state.status, FilingStatus::kSubmitted);  // still awaiting the clerk
  // Recorded once; the clerk can still decide.
  EXPECT_TRUE(f.run(ReviewDeadlineReached{1, false, ""}, system_at(due + 1))->events.empty());
  expect_ok(f.run(AcceptFiling{"(2026)渝0103民初7号"}, clerk(due + kDay)));
}

TEST(FilingTest, OverdueReviewRegistersAutomaticallyWhenThePolicySays) {
  FilingStream f = submitted();
  const std::int64_t due = f.state.review_due_at_us;
  auto out = f.run(ReviewDeadlineReached{1, true, "(2026)渝0103民初8号"}, system_at(due));
  ASSERT_TRUE(out.has_value()) << out.error().message;
  const auto types = f.types();
  ASSERT_GE(types.size(), 3u);
  EXPECT_EQ(std::vector<std::string>(types.end() - 3, types.end()),
            (std::vector<std::string>{"FilingSubmitted", "FilingReviewOverdue", "FilingAccepted"}));
  EXPECT_EQ(f.state.status, FilingStatus::kAccepted);
  EXPECT_TRUE(f.state.registered_automatically);
  EXPECT_EQ(f.state.case_number, "(2026)渝0103民初8号");
  EXPECT_EQ(f.state.accepted_by, "");
}

TEST(FilingTest, AutomaticRegistrationNeedsACaseNumber) {
  FilingStream f = submitted();
  auto out = f.run(ReviewDeadlineReached{1, true, ""}, system_at(f.state.review_due_at_us));
  ASSERT_FALSE(out.has_value());
  EXPECT_EQ(out.error().code, RejectionCode::kValidation);
}

TEST(FilingTest, LateReviewTimerDecidesNothing) {
  FilingStream f = submitted();
  const std::int64_t due = f.state.review_due_at_us;
  expect_ok(f.run(AcceptFiling{"(2026)渝0103民初1号"}, clerk(kT0 + kDay)));
  const auto before = f.state;
  auto out = f.run(ReviewDeadlineReached{1, true, "(2026)渝0103民初2号"}, system_at(due));
  ASSERT_TRUE(out.has_value());
  EXPECT_TRUE(out->events.empty());
  EXPECT_EQ(f.state, before);
}

TEST(FilingTest, ReviewTimerOfAnEarlierSubmissionDecidesNothing) {
  FilingStream f = correction_requested();
  expect_ok(f.run(SubmitFiling{}, filer(kT0 + 3 * kDay)));
  auto out = f.run(ReviewDeadlineReached{1, false, ""}, system_at(kT0 + 7 * kDay));
  ASSERT_TRUE(out.has_value());
  EXPECT_TRUE(out->events.empty());
}

TEST(FilingTest, DeadlinesRunOnlyAsTheSystem) {
  FilingStream f = submitted();
  auto out =
      f.run(ReviewDeadlineReached{1, true, "(2026)渝0103民初1号"}, clerk(f.state.review_due_at_us));
  ASSERT_FALSE(out.has_value());
  EXPECT_EQ(out.error().code, RejectionCode::kForbidden);
}

TEST(FilingTest, TimerPayloadsTurnBackIntoCommands) {
  FilingStream h = submitted();
  auto submit = FilingAggregate::decide(correction_requested().state, SubmitFiling{},
                                        h.reading(filer(kT0 + 2 * kDay)));
  ASSERT_TRUE(submit.has_value());
  const TimerRequest& review = submit->timers_to_set.at(0);
  auto command = FilingAggregate::command_from_timer(review.command_type, review.payload);
  ASSERT_TRUE(command.has_value());
  const auto* reached = std::get_if<ReviewDeadlineReached>(&*command);
  ASSERT_NE(reached, nullptr);
  EXPECT_EQ(reached->submission, 2u);
  EXPECT_FALSE(reached->auto_register);

  h.facts.courts.at(std::string(kCourt)).policy.correction_period_us = kDay;
  auto request =
      FilingAggregate::decide(h.state, RequestCorrection{{{"a", "b"}}}, h.reading(clerk()));
  ASSERT_TRUE(request.has_value());
  const TimerRequest& timer = request->timers_to_set.at(0);
  auto correction_command = FilingAggregate::command_from_timer(timer.command_type, timer.payload);
  ASSERT_TRUE(correction_command.has_value());
  EXPECT_EQ(std::get<CorrectionDeadlineReached>(*correction_command).deadline_at_us, kT0 + kDay);

  auto unknown = FilingAggregate::command_from_timer("Nope", "");
  ASSERT_FALSE(unknown.has_value());
  auto garbage = FilingAggregate::command_from_timer("ReviewDeadlineReached", "garbage");
  ASSERT_FALSE(garbage.has_value());
}

// --- mediation (notice §3) -------------------------------------------------------------------

Context court_system(std::int64_t now = kT0) {
  return as(Role::kCourtSystem, "cms-渝0103", kCourt, now);
}
Context judge(std::int64_t now = kT0) {
  return as(Role::kJudge, "judge-3", kCourt, now);
}

FilingStream in_mediation(std::int64_t deadline = kT0 + 30 * kDay) {
  FilingStream f = submitted();
  expect_ok(
      f.run(ReferToMediation{"陈调解员", "渝中区人民调解委员会", deadline}, clerk(kT0 + kDay)));
  return f;
}

FilingStream mediated(std::int64_t at = kT0 + 10 * kDay) {
  FilingStream f = in_mediation();
  expect_ok(f.run(RecordMediationOutcome{MediationOutcome::kAgreement, blob(9), "双方自愿达成协议"},
                  court_system(at)));
  return f;
}

TEST(FilingTest, AClerkRefersAFilingWhosePartiesChoseMediationAndTheReviewClockStops) {
  FilingStream f = submitted();
  const std::int64_t deadline = kT0 + 30 * kDay;
  auto out =
      f.run(ReferToMediation{"陈调解员", "渝中区人民调解委员会", deadline}, clerk(kT0 + kDay));
  ASSERT_TRUE(out.has_value()) << out.error().message;
  EXPECT_EQ(f.types().back(), "FilingReferredToMediation");
  EXPECT_EQ(f.state.status, FilingStatus::kInMediation);
  EXPECT_EQ(ecf_status(f.state), "in_mediation");
  ASSERT_TRUE(f.state.mediation_referral.has_value());
  EXPECT_EQ(f.state.mediation_referral->mediation_organisation, "渝中区人民调解委员会");
  EXPECT_EQ(f.state.mediation_referral->referred_by, "clerk-7");
  EXPECT_EQ(f.state.mediation_referral->deadline_at_us, deadline);
  EXPECT_EQ(out->timers_to_cancel, std::vector<std::string>{"filing-f42/review-deadline/1"});
  ASSERT_EQ(out->timers_to_set.size(), 1u);
  EXPECT_EQ(out->timers_to_set[0].id, "filing-f42/mediation-deadline");
  EXPECT_EQ(out->timers_to_set[0].due_at_us, deadline);
  auto command = FilingAggregate::command_from_timer(out->timers_to_set[0].command_type,
                                                     out->timers_to_set[0].payload);
  ASSERT_TRUE(command.has_value());
  EXPECT_EQ(std::get<MediationDeadlineReached>(*command).deadline_at_us, deadline);

  // In mediation, the clerk cannot decide the filing, nor refer it again.
  auto accept = f.run(AcceptFiling{"(2026)渝0103民初1号", ""}, clerk(kT0 + 2 * kDay));
  ASSERT_FALSE(accept.has_value());
  EXPECT_EQ(accept.error().code, RejectionCode::kInvalidState);
  auto again = f.run(ReferToMediation{"陈调解员", "", deadline}, clerk(kT0 + 2 * kDay));
  ASSERT_FALSE(again.has_value());
}

TEST(FilingTest, OnlyAFilingWhosePartiesChoseMediationAndWhoseCategoryMayBeMediatedIsReferred) {
  FilingStream opted_out = draft();
  fill_every_step(opted_out);
  expect_ok(opted_out.run(ChooseMediation{false}, filer()));
  expect_ok(opted_out.run(SubmitFiling{}, filer()));
  auto refused = opted_out.run(ReferToMediation{"陈调解员", "", kT0 + 30 * kDay}, clerk());
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().code, RejectionCode::kPolicy);
  EXPECT_NE(refused.error().message.find("opted out"), std::string::npos);

  FilingStream excluded = submitted();
  excluded.facts.courts.at(std::string(kCourt)).policy.no_mediation_case_categories = {
      "civil_first_instance"};
  auto policy = excluded.run(ReferToMediation{"陈调解员", "", kT0 + 30 * kDay}, clerk());
  ASSERT_FALSE(policy.has_value());
  EXPECT_EQ(policy.error().code, RejectionCode::kPolicy);
  EXPECT_NE(policy.error().message.find("civil_first_instance"), std::string::npos);

  FilingStream f = submitted();
  auto incomplete = f.run(ReferToMediation{"", "", kT0 - 1}, clerk());
  ASSERT_FALSE(incomplete.has_value());
  EXPECT_EQ(incomplete.error().code, RejectionCode::kValidation);
  EXPECT_TRUE(has_field(incomplete.error(), "mediator"));
  EXPECT_TRUE(has_field(incomplete.error(), "deadline_at_us"));
  auto by_lawyer = f.run(ReferToMediation{"陈调解员", "", kT0 + kDay}, filer());
  ASSERT_FALSE(by_lawyer.has_value());
  EXPECT_EQ(by_lawyer.error().code, RejectionCode::kForbidden);
  EXPECT_EQ(f.state.status, FilingStatus::kSubmitted);
}

TEST(FilingTest, AFailedMediationReturnsTheFilingToReviewWithTheReviewPeriodStartingAgain) {
  FilingStream f = in_mediation();
  const std::int64_t failed_at = kT0 + 12 * kDay;
  auto out = f.run(RecordMediationOutcome{MediationOutcome::kFailure, "", "被告不同意调解"},
                   court_system(failed_at));
  ASSERT_TRUE(out.has_value()) << out.error().message;
  EXPECT_EQ(f.types().back(), "MediationConcluded");
  EXPECT_EQ(f.state.status, FilingStatus::kSubmitted);
  EXPECT_EQ(f.state.review_due_at_us, failed_at + 7 * kDay);
  EXPECT_EQ(f.state.mediation_referral->outcome, MediationOutcome::kFailure);
  EXPECT_EQ(out->timers_to_cancel, std::vector<std::string>{"filing-f42/mediation-deadline"});
  ASSERT_EQ(out->timers_to_set.size(), 1u);
  EXPECT_EQ(out->timers_to_set[0].id, "filing-f42/review-deadline/1");
  EXPECT_EQ(out->timers_to_set[0].due_at_us, failed_at + 7 * kDay);
  // The review deadline's first timer, had it fired at its old time, decides nothing now.
  auto early = f.run(ReviewDeadlineReached{1, false, ""}, system_at(kT0 + 7 * kDay));
  ASSERT_TRUE(early.has_value());
  EXPECT_TRUE(early->events.empty());
  expect_ok(f.run(AcceptFiling{"(2026)渝0103民初1号", ""}, clerk(failed_at + kDay)));
  EXPECT_EQ(f.state.status, FilingStatus::kAccepted);
}

TEST(FilingTest, TheMediationDeadlinePassingEndsItAsAFailure) {
  FilingStream f = in_mediation(kT0 + 30 * kDay);
  auto early = f.run(MediationDeadlineReached{kT0 + 30 * kDay}, system_at(kT0 + 29 * kDay));
  ASSERT_TRUE(early.has_value());
  EXPECT_TRUE(early->events.empty());
  auto out = f.run(MediationDeadlineReached{kT0 + 30 * kDay}, system_at(kT0 + 30 * kDay));
  ASSERT_TRUE(out.has_value());
  EXPECT_EQ(f.types().back(), "MediationConcluded");
  EXPECT_TRUE(f.state.mediation_referral->deadline_passed);
  EXPECT_EQ(f.state.status, FilingStatus::kSubmitted);
  EXPECT_EQ(f.state.review_due_at_us, kT0 + 37 * kDay);
  auto again = f.run(MediationDeadlineReached{kT0 + 30 * kDay}, system_at(kT0 + 31 * kDay));
  ASSERT_TRUE(again.has_value());
  EXPECT_TRUE(again->events.empty());
}

TEST(FilingTest, AnAgreementNeedsItsDocumentAndOnlyTheCourtsSystemOrClerkRecordsIt) {
  FilingStream f = in_mediation();
  auto by_lawyer =
      f.run(RecordMediationOutcome{MediationOutcome::kAgreement, blob(9), ""}, filer());
  ASSERT_FALSE(by_lawyer.has_value());
  EXPECT_EQ(by_lawyer.error().code, RejectionCode::kForbidden);
  auto other_court = f.run(RecordMediationOutcome{MediationOutcome::kAgreement, blob(9), ""},
                           as(Role::kCourtSystem, "cms-other", "渝0105"));
  ASSERT_FALSE(other_court.has_value());
  EXPECT_EQ(other_court.error().code, RejectionCode::kForbidden);
  auto no_document =
      f.run(RecordMediationOutcome{MediationOutcome::kAgreement, "", ""}, court_system());
  ASSERT_FALSE(no_document.has_value());
  EXPECT_TRUE(has_field(no_document.error(), "agreement_blob_hash"));
  auto pending = f.run(RecordMediationOutcome{MediationOutcome::kPending, "", ""}, clerk());
  ASSERT_FALSE(pending.has_value());
  EXPECT_TRUE(has_field(pending.error(), "outcome"));
  EXPECT_EQ(f.state.status, FilingStatus::kInMediation);

  auto out = f.run(RecordMediationOutcome{MediationOutcome::kAgreement, blob(9), "达成协议"},
                   clerk(kT0 + 3 * kDay));
  ASSERT_TRUE(out.has_value()) << out.error().message;
  EXPECT_EQ(f.state.status, FilingStatus::kMediated);
  EXPECT_EQ(ecf_status(f.state), "mediated");
  EXPECT_EQ(f.state.mediation_referral->agreement_blob_hash, blob(9));
  EXPECT_EQ(f.state.mediation_referral->concluded_by, "clerk-7");
  EXPECT_TRUE(out->timers_to_set.empty());
  auto twice = f.run(RecordMediationOutcome{MediationOutcome::kFailure, "", ""}, clerk());
  ASSERT_FALSE(twice.has_value());
  EXPECT_EQ(twice.error().code, RejectionCode::kInvalidState);
}

TEST(FilingTest, TheFilerAppliesOnceWithin30DaysForJudicialConfirmationAndAJudgeDecides) {
  FilingStream late = mediated(kT0 + 10 * kDay);
  auto too_late = late.run(ApplyForJudicialConfirmation{}, filer(kT0 + 41 * kDay));
  ASSERT_FALSE(too_late.has_value());
  EXPECT_EQ(too_late.error().code, RejectionCode::kPolicy);

  FilingStream f = mediated(kT0 + 10 * kDay);
  auto early_decision = f.run(DecideJudicialConfirmation{true, ""}, judge());
  ASSERT_FALSE(early_decision.has_value());
  EXPECT_EQ(early_decision.error().code, RejectionCode::kInvalidState);
  auto by_other =
      f.run(ApplyForJudicialConfirmation{}, as(Role::kLawyer, kOtherLawyer, "", kT0 + 11 * kDay));
  ASSERT_FALSE(by_other.has_value());
  EXPECT_EQ(by_other.error().code, RejectionCode::kForbidden);
  expect_ok(f.run(ApplyForJudicialConfirmation{}, filer(kT0 + 11 * kDay)));
  EXPECT_EQ(f.types().back(), "JudicialConfirmationApplied");
  EXPECT_EQ(f.state.mediation_referral->judicial_confirmation, JudicialConfirmation::kApplied);
  auto twice = f.run(ApplyForJudicialConfirmation{}, filer(kT0 + 12 * kDay));
  ASSERT_FALSE(twice.has_value());
  EXPECT_EQ(twice.error().code, RejectionCode::kConflict);

  auto by_clerk = f.run(DecideJudicialConfirmation{true, ""}, clerk());
  ASSERT_FALSE(by_clerk.has_value());
  EXPECT_EQ(by_clerk.error().code, RejectionCode::kForbidden);
  auto confirmed = f.run(DecideJudicialConfirmation{true, ""}, judge(kT0 + 13 * kDay));
  ASSERT_TRUE(confirmed.has_value()) << confirmed.error().message;
  EXPECT_EQ(f.state.mediation_referral->judicial_confirmation, JudicialConfirmation::kConfirmed);
  EXPECT_EQ(f.state.mediation_referral->confirmation_decided_by, "judge-3");
  EXPECT_EQ(f.state.status, FilingStatus::kMediated);
  EXPECT_TRUE(confirmed->timers_to_set.empty());
}

TEST(FilingTest, ARefusedConfirmationNeedsAReasonAndReturnsTheFilingToReview) {
  FilingStream f = mediated(kT0 + 10 * kDay);
  expect_ok(f.run(ApplyForJudicialConfirmation{}, filer(kT0 + 11 * kDay)));
  auto blank = f.run(DecideJudicialConfirmation{false, ""}, judge(kT0 + 12 * kDay));
  ASSERT_FALSE(blank.has_value());
  EXPECT_EQ(blank.error().code, RejectionCode::kValidation);
  auto out = f.run(DecideJudicialConfirmation{false, "协议内容违反法律强制性规定"},
                   judge(kT0 + 12 * kDay));
  ASSERT_TRUE(out.has_value()) << out.error().message;
  EXPECT_EQ(f.state.mediation_referral->judicial_confirmation, JudicialConfirmation::kRefused);
  EXPECT_EQ(f.state.mediation_referral->confirmation_reason, "协议内容违反法律强制性规定");
  EXPECT_EQ(f.state.status, FilingStatus::kSubmitted);
  EXPECT_EQ(f.state.review_due_at_us, kT0 + 19 * kDay);
  ASSERT_EQ(out->timers_to_set.size(), 1u);
  EXPECT_EQ(out->timers_to_set[0].id, "filing-f42/review-deadline/1");
}

TEST(FilingTest, TheFilerMayWithdrawAFilingInMediation) {
  FilingStream f = in_mediation();
  auto out = f.run(CancelFiling{"已和解"}, filer(kT0 + 2 * kDay));
  ASSERT_TRUE(out.has_value()) << out.error().message;
  EXPECT_EQ(f.state.status, FilingStatus::kCancelled);
  EXPECT_EQ(out->timers_to_cancel, std::vector<std::string>{"filing-f42/mediation-deadline"});
}

TEST(FilingTest, EcfStatusMapsEveryState) {
  FilingState s;
  EXPECT_EQ(ecf_status(s), "");
  s.exists = true;
  const std::vector<std::pair<FilingStatus, std::string_view>> expected = {
      {FilingStatus::kDraft, "draft"},
      {FilingStatus::kSubmitted, "received"},
      {FilingStatus::kCorrectionRequested, "correction_requested"},
      {FilingStatus::kAccepted, "accepted"},
      {FilingStatus::kRejected, "rejected"},
      {FilingStatus::kCancelled, "cancelled"},
      {FilingStatus::kReturned, "returned"},
      {FilingStatus::kDeleted, "deleted"},
      {FilingStatus::kInMediation, "in_mediation"},
      {FilingStatus::kMediated, "mediated"},
  };
  for (const auto& [status, code] : expected) {
    s.status = status;
    EXPECT_EQ(ecf_status(s), code);
  }
}

// --- schema versions -------------------------------------------------------------------------

template <class NativeT>
std::string pack(const NativeT& value) {
  flatbuffers::FlatBufferBuilder fbb;
  fbb.Finish(NativeT::TableType::Pack(fbb, &value));
  return std::string(reinterpret_cast<const char*>(fbb.GetBufferPointer()), fbb.GetSize());
}

TEST(FilingTest, CaseInformationSavedV1StillReplaysBesideV2) {
  FilingStream f = draft();
  fb::CaseInformationSavedT v1;
  v1.claims = "判令被告偿还借款10万元及利息";
  v1.facts_and_reasons = "2024年被告向原告借款……";
  v1.amount_in_dispute_fen = 10'000'000;
  f.append(EventData{"CaseInformationSaved", 1, pack(v1)});
  EXPECT_TRUE(f.state.case_information_saved);
  EXPECT_EQ(f.state.claims, std::vector<std::string>{"判令被告偿还借款10万元及利息"});
  EXPECT_EQ(f.state.facts_and_reasons, "2024年被告向原告借款……");
  EXPECT_EQ(f.state.amount_in_dispute_fen, 10'000'000);

  fb::CaseInformationSavedT v2;
  v2.claim_items = {"判令被告偿还借款10万元", "判令被告支付利息"};
  v2.facts_and_reasons = "事实";
  v2.amount_in_dispute_fen = 12'000'000;
  f.append(EventData{"CaseInformationSaved", 2, pack(v2)});
  EXPECT_EQ(f.state.claims,
            (std::vector<std::string>{"判令被告偿还借款10万元", "判令被告支付利息"}));
  EXPECT_EQ(f.state.amount_in_dispute_fen, 12'000'000);

  // The decider writes v2.
  auto out = f.run(SaveCaseInformation{{"a", "b"}, "c", 1}, filer());
  ASSERT_TRUE(out.has_value());
  EXPECT_EQ(out->events.at(0).schema_version, 2u);
}

// An event the filing has no applier for is refused, never skipped; the state stays as it was.
TEST(FilingTest, UnknownEventVersionsAndTypesAreRefusedByEvolve) {
  FilingStream f = draft();
  const FilingState before = f.state;
  EXPECT_THROW(f.append(EventData{"CaseInformationSaved", 99, "whatever"}), EventFoldError);
  EXPECT_THROW(f.append(EventData{"SomethingElse", 1, ""}), EventFoldError);
  EXPECT_EQ(f.state, before);
}

}  // namespace
}  // namespace docket::domain
