#include "docket/domain/hotline.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "docket/domain/case.h"
#include "fake_facts.h"
#include "stream_under_test.h"

namespace docket::domain {
namespace {

constexpr std::int64_t kDay = 86'400'000'000LL;
constexpr std::int64_t kT0 = 1'780'000'000'000'000;
constexpr std::string_view kLawyer = "15001201810012345";
constexpr std::string_view kOtherLawyer = "15001201810099999";
constexpr std::string_view kCourt = "渝0103";
const std::string kCaseNumber = "(2026)渝0103民初1234号";

// The court kCourt with judges judge-3 (in charge of kCaseNumber, where kLawyer is an agent) and
// judge-4, a clerk's account, and a judge of another court.
testing::FakeFacts world() {
  testing::FakeFacts facts;
  facts.add_court(std::string(kCourt));
  facts.add_court("渝0105", "重庆市南岸区人民法院");
  facts.add_lawyer(std::string(kLawyer));
  facts.add_lawyer(std::string(kOtherLawyer), "王律师", "某所", "500103198001019999");
  CaseState& kase = facts.cases[kCaseNumber];
  kase.exists = true;
  kase.case_number = kCaseNumber;
  kase.court = std::string(kCourt);
  kase.judge = "judge-3";
  kase.agents = {CaseAgent{std::string(kLawyer), "", "张律师", "重庆某某律师事务所", {}}};
  facts.add_staff("judge-3", Role::kJudge, std::string(kCourt));
  facts.add_staff("judge-4", Role::kJudge, std::string(kCourt), "王法官");
  facts.add_staff("clerk-7", Role::kClerk, std::string(kCourt), "陈立案");
  facts.add_staff("judge-9", Role::kJudge, "渝0105");
  facts.add_staff("judge-gone", Role::kJudge, std::string(kCourt)).active = false;
  return facts;
}

// A hotline request stream under test, deciding with its facts.
struct RequestStream : testing::StreamUnderTest<HotlineAggregate> {
  RequestStream() : StreamUnderTest("hotline-hr1", world()) {}
};

Context as(Role role, std::string_view id, std::string_view court = "", std::int64_t now = kT0) {
  Context ctx;
  ctx.now_us = now;
  ctx.actor = Principal{std::string(id), role, std::string(court)};
  return ctx;
}
Context lawyer(std::int64_t now = kT0) {
  return as(Role::kLawyer, kLawyer, "", now);
}
Context clerk(std::int64_t now = kT0) {
  return as(Role::kClerk, "clerk-7", kCourt, now);
}
Context judge(std::string_view id = "judge-3", std::int64_t now = kT0) {
  return as(Role::kJudge, id, kCourt, now);
}
Context system_at(std::int64_t now) {
  return as(Role::kSystem, "system", "", now);
}

FileHotlineRequest online(std::string case_number = kCaseNumber,
                          HotlineRequestKind kind = HotlineRequestKind::kCasePostponement) {
  return FileHotlineRequest{"hr1",          std::string(kCourt),
                            kind,           std::move(case_number),
                            "申请延期开庭", "因代理人另有庭审冲突，申请延期开庭。",
                            std::nullopt};
}

FileHotlineRequest call(std::string case_number = "") {
  return FileHotlineRequest{"hr1",
                            std::string(kCourt),
                            HotlineRequestKind::kEnquiry,
                            std::move(case_number),
                            "立案进度查询",
                            "来电询问本周提交的网上立案何时审查。",
                            HotlineCaller{"李四", "13900000001"}};
}

RequestStream filed(const FileHotlineRequest& command = online(), const Context& ctx = lawyer()) {
  RequestStream s;
  auto out = s.run(command, ctx);
  EXPECT_TRUE(out.has_value()) << (out ? "" : out.error().message);
  return s;
}

RejectionCode code_of(const Outcome& out) {
  return out.error().code;
}

std::vector<std::string> fields_of(const Outcome& out) {
  std::vector<std::string> fields;
  for (const auto& v : out.error().violations)
    fields.push_back(v.field);
  return fields;
}

TEST(HotlineTest, ALawyerFilesARequestOnlineAboutTheirCaseWithADueTime) {
  RequestStream s;
  auto out = s.run(online(), lawyer());
  ASSERT_TRUE(out.has_value()) << out.error().message;
  EXPECT_EQ(s.last_type(), "HotlineRequestFiled");
  EXPECT_EQ(s.state.hotline_request_id, "hr1");
  EXPECT_EQ(s.state.court, kCourt);
  EXPECT_EQ(s.state.kind, HotlineRequestKind::kCasePostponement);
  EXPECT_EQ(s.state.channel, HotlineChannel::kOnline);
  EXPECT_EQ(s.state.case_number, kCaseNumber);
  EXPECT_EQ(s.state.filer_licence_number, kLawyer);
  EXPECT_EQ(s.state.status, HotlineRequestStatus::kOpen);
  EXPECT_EQ(s.state.filed_at_us, kT0);
  EXPECT_EQ(s.state.answer_due_at_us, kT0 + 3 * kDay);
  ASSERT_EQ(out->timers_to_set.size(), 1u);
  const TimerRequest& timer = out->timers_to_set[0];
  EXPECT_EQ(timer.id, "hotline-hr1/answer-due");
  EXPECT_EQ(timer.stream, "hotline-hr1");
  EXPECT_EQ(timer.due_at_us, kT0 + 3 * kDay);
  auto command = HotlineAggregate::command_from_timer(timer.command_type, timer.payload);
  ASSERT_TRUE(command.has_value());
  EXPECT_EQ(std::get<HotlineAnswerDueReached>(*command).answer_due_at_us, kT0 + 3 * kDay);
  EXPECT_FALSE(HotlineAggregate::command_from_timer("Other", timer.payload).has_value());
  EXPECT_FALSE(HotlineAggregate::command_from_timer(timer.command_type, "junk").has_value());
}

TEST(HotlineTest, ALawyerNamesOnlyACaseWhereTheyAreAnAgentAndHearsNothingOfOthers) {
  RequestStream s;
  auto theirs = s.run(online(), as(Role::kLawyer, kOtherLawyer));
  auto none = s.run(online("(2026)渝0103民初9999号"), as(Role::kLawyer, kOtherLawyer));
  ASSERT_FALSE(theirs.has_value());
  ASSERT_FALSE(none.has_value());
  EXPECT_EQ(theirs.error().code, RejectionCode::kValidation);
  EXPECT_EQ(fields_of(theirs), std::vector<std::string>{"case_number"});
  // Word for word the same whether the case exists or not (but for its number).
  EXPECT_EQ(theirs.error().message.substr(0, 60), none.error().message.substr(0, 60));
  EXPECT_TRUE(s.log.empty());
  // A case of another court is refused too.
  s.facts.cases[kCaseNumber].court = "渝0105";
  EXPECT_EQ(fields_of(s.run(online(), lawyer())), std::vector<std::string>{"case_number"});
}

TEST(HotlineTest, AnAgentRecordedByIdentityNumberNamesTheCase) {
  RequestStream s;
  s.facts.cases[kCaseNumber].agents = {CaseAgent{"", "500103198001011234", "张律师", "", {}}};
  EXPECT_TRUE(s.run(online(), lawyer()).has_value());
}

TEST(HotlineTest, ARequestAboutNoCaseNeedsNoCase) {
  RequestStream s = filed(online("", HotlineRequestKind::kComplaint));
  EXPECT_EQ(s.state.case_number, "");
  EXPECT_EQ(s.state.kind, HotlineRequestKind::kComplaint);
}

TEST(HotlineTest, EveryBadFieldIsListedAtOnce) {
  RequestStream s;
  FileHotlineRequest bad{"", "渝9999", HotlineRequestKind::kPetition, "",
                         "", "",       HotlineCaller{"x", "1"}};
  auto out = s.run(bad, lawyer());
  ASSERT_FALSE(out.has_value());
  EXPECT_EQ(out.error().code, RejectionCode::kValidation);
  EXPECT_EQ(fields_of(out),
            (std::vector<std::string>{"hotline_request_id", "court", "title", "body", "caller"}));
  EXPECT_TRUE(s.log.empty());
}

TEST(HotlineTest, AClerkRecordsACallOnBehalfOfTheCaller) {
  RequestStream s = filed(call(), clerk());
  EXPECT_EQ(s.state.channel, HotlineChannel::kPhone);
  EXPECT_EQ(s.state.caller, (HotlineCaller{"李四", "13900000001"}));
  EXPECT_EQ(s.state.recorded_by, "clerk-7");
  EXPECT_EQ(s.state.filer_licence_number, "");
  // The court's system may record one too; a call needs its caller.
  RequestStream t;
  EXPECT_TRUE(t.run(call(kCaseNumber), as(Role::kCourtSystem, "cms", kCourt)).has_value());
  RequestStream u;
  auto no_caller = call();
  no_caller.caller.reset();
  EXPECT_EQ(fields_of(u.run(no_caller, clerk())), std::vector<std::string>{"caller"});
  auto empty_caller = call();
  empty_caller.caller = HotlineCaller{"", ""};
  EXPECT_EQ(fields_of(u.run(empty_caller, clerk())),
            (std::vector<std::string>{"caller.name", "caller.phone"}));
}

TEST(HotlineTest, OnlyTheCourtsOwnStaffRecordACall) {
  RequestStream s;
  EXPECT_EQ(code_of(s.run(call(), as(Role::kClerk, "clerk-9", "渝0105"))),
            RejectionCode::kForbidden);
  EXPECT_EQ(code_of(s.run(call(), judge())), RejectionCode::kForbidden);
  EXPECT_EQ(code_of(s.run(call(), as(Role::kAuditor, "aud"))), RejectionCode::kForbidden);
  EXPECT_TRUE(s.log.empty());
}

TEST(HotlineTest, ARequestIsFiledOnce) {
  RequestStream s = filed();
  EXPECT_EQ(code_of(s.run(online(), lawyer())), RejectionCode::kConflict);
}

TEST(HotlineTest, AClerkAnswersAtOnceAndTheTimerIsCancelled) {
  RequestStream s = filed();
  auto out = s.run(AnswerHotlineRequest{"已转交排期，请等待通知。"}, clerk(kT0 + kDay));
  ASSERT_TRUE(out.has_value()) << out.error().message;
  EXPECT_EQ(s.last_type(), "HotlineRequestAnswered");
  EXPECT_EQ(s.state.status, HotlineRequestStatus::kAnswered);
  EXPECT_EQ(s.state.answer, "已转交排期，请等待通知。");
  EXPECT_EQ(s.state.answered_by, "clerk-7");
  EXPECT_EQ(s.state.answered_at_us, kT0 + kDay);
  EXPECT_EQ(out->timers_to_cancel, std::vector<std::string>{"hotline-hr1/answer-due"});
  EXPECT_EQ(code_of(s.run(AnswerHotlineRequest{"again"}, clerk())), RejectionCode::kInvalidState);
  // The due time after the answer decides nothing.
  auto late = s.run(HotlineAnswerDueReached{kT0 + 3 * kDay}, system_at(kT0 + 3 * kDay));
  ASSERT_TRUE(late.has_value());
  EXPECT_TRUE(late->events.empty());
}

TEST(HotlineTest, ForwardedToTheJudgeInChargeWhoAloneAnswers) {
  RequestStream s = filed();
  auto out = s.run(ForwardHotlineRequest{"", "请承办法官答复"}, clerk());
  ASSERT_TRUE(out.has_value()) << out.error().message;
  EXPECT_EQ(s.state.status, HotlineRequestStatus::kForwarded);
  EXPECT_EQ(s.state.forwarded_to, "judge-3");
  EXPECT_EQ(s.state.forwarded_by, "clerk-7");
  EXPECT_EQ(s.state.forward_note, "请承办法官答复");
  EXPECT_EQ(code_of(s.run(AnswerHotlineRequest{"clerk"}, clerk())), RejectionCode::kForbidden);
  EXPECT_EQ(code_of(s.run(AnswerHotlineRequest{"other"}, judge("judge-4"))),
            RejectionCode::kForbidden);
  EXPECT_EQ(code_of(s.run(ForwardHotlineRequest{"", ""}, clerk())), RejectionCode::kInvalidState);
  ASSERT_TRUE(s.run(AnswerHotlineRequest{"同意延期，另行通知开庭时间。"}, judge()));
  EXPECT_EQ(s.state.answered_by, "judge-3");
  EXPECT_EQ(s.state.status, HotlineRequestStatus::kAnswered);
}

TEST(HotlineTest, ARequestAboutACaseGoesToItsJudgeInChargeOnly) {
  RequestStream s = filed();
  auto other = s.run(ForwardHotlineRequest{"judge-4", ""}, clerk());
  ASSERT_FALSE(other.has_value());
  EXPECT_EQ(fields_of(other), std::vector<std::string>{"judge"});
  s.facts.cases[kCaseNumber].judge.clear();
  EXPECT_EQ(code_of(s.run(ForwardHotlineRequest{"", ""}, clerk())), RejectionCode::kInvalidState);
  EXPECT_EQ(s.log.size(), 1u);
}

TEST(HotlineTest, ARequestAboutNoCaseGoesToANamedActiveJudgeOfTheCourt) {
  RequestStream s = filed(call(), clerk());
  for (const std::string judge_id : {"", "judge-9", "judge-gone", "clerk-7", "nobody"}) {
    auto out = s.run(ForwardHotlineRequest{judge_id, ""}, clerk());
    ASSERT_FALSE(out.has_value()) << judge_id;
    EXPECT_EQ(fields_of(out), std::vector<std::string>{"judge"}) << judge_id;
  }
  ASSERT_TRUE(s.run(ForwardHotlineRequest{"judge-4", ""}, clerk()));
  EXPECT_EQ(s.state.forwarded_to, "judge-4");
}

TEST(HotlineTest, OnlyAClerkOfTheCourtForwardsAndAnswersAnOpenRequest) {
  RequestStream s = filed();
  const Context outsiders[] = {lawyer(), judge(), as(Role::kClerk, "clerk-9", "渝0105"),
                               as(Role::kCourtSystem, "cms", kCourt), system_at(kT0)};
  for (const auto& who : outsiders) {
    EXPECT_EQ(code_of(s.run(ForwardHotlineRequest{"", ""}, who)), RejectionCode::kForbidden)
        << who.actor.id;
    EXPECT_EQ(code_of(s.run(AnswerHotlineRequest{"x"}, who)), RejectionCode::kForbidden)
        << who.actor.id;
  }
  auto empty = s.run(AnswerHotlineRequest{""}, clerk());
  EXPECT_EQ(fields_of(empty), std::vector<std::string>{"body"});
  EXPECT_EQ(s.log.size(), 1u);
  RequestStream none;
  EXPECT_EQ(code_of(none.run(AnswerHotlineRequest{"x"}, clerk())), RejectionCode::kNotFound);
  EXPECT_EQ(code_of(none.run(ForwardHotlineRequest{"", ""}, clerk())), RejectionCode::kNotFound);
}

TEST(HotlineTest, UnansweredAtItsDueTimeTheRequestIsRecordedOverdueAndStillAnswered) {
  RequestStream s = filed();
  const std::int64_t due = s.state.answer_due_at_us;
  // Too early, another due time, or not the system: nothing, or refused.
  auto early = s.run(HotlineAnswerDueReached{due}, system_at(due - 1));
  ASSERT_TRUE(early.has_value());
  EXPECT_TRUE(early->events.empty());
  auto stale = s.run(HotlineAnswerDueReached{due - kDay}, system_at(due));
  ASSERT_TRUE(stale.has_value());
  EXPECT_TRUE(stale->events.empty());
  EXPECT_EQ(code_of(s.run(HotlineAnswerDueReached{due}, clerk(due))), RejectionCode::kForbidden);
  ASSERT_TRUE(s.run(HotlineAnswerDueReached{due}, system_at(due)));
  EXPECT_EQ(s.last_type(), "HotlineRequestOverdue");
  EXPECT_TRUE(s.state.overdue);
  EXPECT_EQ(s.state.status, HotlineRequestStatus::kOpen);
  auto twice = s.run(HotlineAnswerDueReached{due}, system_at(due + 1));
  ASSERT_TRUE(twice.has_value());
  EXPECT_TRUE(twice->events.empty());
  // Answered late: no timer left to cancel.
  auto answered = s.run(AnswerHotlineRequest{"迟复为歉"}, clerk(due + kDay));
  ASSERT_TRUE(answered.has_value());
  EXPECT_TRUE(answered->timers_to_cancel.empty());
  EXPECT_TRUE(s.state.overdue);
  EXPECT_EQ(s.state.status, HotlineRequestStatus::kAnswered);
}

TEST(HotlineTest, ReplayFoldsTheSameStateAndRefusesTheUnknown) {
  RequestStream s = filed();
  ASSERT_TRUE(s.run(ForwardHotlineRequest{"", "n"}, clerk()));
  ASSERT_TRUE(s.run(AnswerHotlineRequest{"done"}, judge()));
  HotlineRequestState replayed = HotlineAggregate::initial();
  for (std::size_t i = 0; i < s.log.size(); ++i) {
    HotlineAggregate::evolve(replayed,
                             StoredEvent{"hotline-hr1", s.log[i].type, s.log[i].schema_version,
                                         s.log[i].payload, i + 1, 0, 0});
  }
  EXPECT_TRUE(replayed == s.state);
  EXPECT_THROW(HotlineAggregate::evolve(
                   replayed, StoredEvent{"hotline-hr1", "HotlineRequestFiled", 2, "", 4, 0, 0}),
               EventFoldError);
  EXPECT_THROW(HotlineAggregate::evolve(replayed, StoredEvent{"hotline-hr1", "HotlineRequestFiled",
                                                              1, "garbage", 4, 0, 0}),
               EventFoldError);
}

}  // namespace
}  // namespace docket::domain
