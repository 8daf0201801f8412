// Hearings of a case: scheduling with 3 days' notice, online consent, holding, cancelling,
// absences, and hearing-avoidance requests.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "case_fixture.h"
#include "docket/domain/case.h"
#include "fake_secrets.h"

namespace docket::domain {
namespace {

using namespace case_testing;

ScheduleHearing hearing_at(std::int64_t starts_at_us, bool online = false) {
  return ScheduleHearing{"H1", starts_at_us, 90, "第三法庭", online, online ? "room-7" : ""};
}

CaseUnderTest case_with_hearing() {
  CaseUnderTest c = registered_case();
  EXPECT_TRUE(c.run(hearing_at(kNow + 10 * kDay), as(judge())));
  return c;
}

TEST(HearingTest, ScheduledAtLeastThreeDaysAhead) {
  CaseUnderTest c = registered_case();
  auto too_soon = c.run(hearing_at(kNow + 3 * kDay - 1), as(judge()));
  ASSERT_FALSE(too_soon);
  EXPECT_EQ(too_soon.error().code, RejectionCode::kPolicy);
  auto outcome = c.run(hearing_at(kNow + 3 * kDay), as(judge()));
  ASSERT_TRUE(outcome);
  EXPECT_EQ(types(outcome), (std::vector<std::string>{"HearingScheduled"}));
  EXPECT_EQ(outcome->events[0].schema_version, 2u);
  const Hearing& hearing = c.state.hearings.at("H1");
  EXPECT_EQ(hearing.starts_at_us, kNow + 3 * kDay);
  EXPECT_EQ(hearing.ends_at_us, kNow + 3 * kDay + 90 * kMinute);
  EXPECT_EQ(hearing.place, "第三法庭");
  EXPECT_EQ(hearing.status, HearingStatus::kScheduled);
}

TEST(HearingTest, SchedulingNeedsLengthAndPlaceAndTheJudgeSide) {
  CaseUnderTest c = registered_case();
  auto bad = c.run(ScheduleHearing{"H1", kNow + 5 * kDay, 0, "", false, ""}, as(judge()));
  ASSERT_FALSE(bad);
  EXPECT_EQ(fields(bad.error()), (std::vector<std::string>{"length_minutes", "place"}));
  auto by_lawyer = c.run(hearing_at(kNow + 5 * kDay), as(lawyer("L1")));
  ASSERT_FALSE(by_lawyer);
  EXPECT_EQ(by_lawyer.error().code, RejectionCode::kForbidden);
  ASSERT_TRUE(c.run(hearing_at(kNow + 5 * kDay), as(court_system())));
  auto duplicate = c.run(hearing_at(kNow + 6 * kDay), as(judge()));
  ASSERT_FALSE(duplicate);
  EXPECT_EQ(duplicate.error().code, RejectionCode::kConflict);
}

TEST(HearingTest, OnlineHearingNeedsEveryPartysRecordedConsent) {
  CaseUnderTest c = registered_case();
  auto none = c.run(hearing_at(kNow + 5 * kDay, true), as(judge()));
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().code, RejectionCode::kPolicy);
  EXPECT_EQ(fields(none.error()), (std::vector<std::string>{"parties[0].online_hearing_consent",
                                                            "parties[1].online_hearing_consent"}));
  ASSERT_TRUE(c.run(RecordOnlineHearingConsent{"p1", true}, as(lawyer("L1"))));
  ASSERT_TRUE(c.run(RecordOnlineHearingConsent{"p2", false}, as(lawyer("L2"))));
  auto refused = c.run(hearing_at(kNow + 5 * kDay, true), as(judge()));
  ASSERT_FALSE(refused);
  EXPECT_EQ(fields(refused.error()),
            (std::vector<std::string>{"parties[1].online_hearing_consent"}));
  ASSERT_TRUE(c.run(RecordOnlineHearingConsent{"p2", true}, as(lawyer("L2"))));
  ASSERT_TRUE(c.run(hearing_at(kNow + 5 * kDay, true), as(judge())));
  EXPECT_TRUE(c.state.hearings.at("H1").online);
  EXPECT_EQ(c.state.hearings.at("H1").video_room, "room-7");
}

TEST(HearingTest, ReschedulingFollowsTheSchedulingRules) {
  CaseUnderTest c = case_with_hearing();
  RescheduleHearing move{"H1", kNow + kDay, 60, "第一法庭", false, "", "judge on leave"};
  auto too_soon = c.run(move, as(judge()));
  ASSERT_FALSE(too_soon);
  EXPECT_EQ(too_soon.error().code, RejectionCode::kPolicy);
  move.online = true;
  move.starts_at_us = kNow + 4 * kDay;
  auto no_consent = c.run(move, as(judge()));
  ASSERT_FALSE(no_consent);
  EXPECT_EQ(no_consent.error().code, RejectionCode::kPolicy);
  move.online = false;
  ASSERT_TRUE(c.run(move, as(judge())));
  EXPECT_EQ(c.state.hearings.at("H1").starts_at_us, kNow + 4 * kDay);
  EXPECT_EQ(c.state.hearings.at("H1").ends_at_us, kNow + 4 * kDay + 60 * kMinute);
  EXPECT_EQ(c.state.hearings.at("H1").place, "第一法庭");
  auto unknown =
      c.run(RescheduleHearing{"H9", kNow + 5 * kDay, 60, "x", false, "", ""}, as(judge()));
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, RejectionCode::kNotFound);
}

TEST(HearingTest, HeldOnlyOnceItHasStarted) {
  CaseUnderTest c = case_with_hearing();
  auto early = c.run(HoldHearing{"H1"}, as(judge(), kNow + 10 * kDay - 1));
  ASSERT_FALSE(early);
  EXPECT_EQ(early.error().code, RejectionCode::kInvalidState);
  ASSERT_TRUE(c.run(HoldHearing{"H1"}, as(judge(), kNow + 10 * kDay)));
  EXPECT_EQ(c.state.hearings.at("H1").status, HearingStatus::kHeld);
  auto move = c.run(RescheduleHearing{"H1", kNow + 20 * kDay, 60, "x", false, "", ""},
                    as(judge(), kNow + 10 * kDay));
  ASSERT_FALSE(move);
  EXPECT_EQ(move.error().code, RejectionCode::kInvalidState);
}

TEST(HearingTest, CancellingNeedsAReasonAndEndsTheHearing) {
  CaseUnderTest c = case_with_hearing();
  auto no_reason = c.run(CancelHearing{"H1", ""}, as(judge()));
  ASSERT_FALSE(no_reason);
  EXPECT_EQ(fields(no_reason.error()), (std::vector<std::string>{"reason"}));
  ASSERT_TRUE(c.run(CancelHearing{"H1", "parties settled"}, as(judge())));
  EXPECT_EQ(c.state.hearings.at("H1").status, HearingStatus::kCancelled);
  EXPECT_EQ(c.state.hearings.at("H1").cancel_reason, "parties settled");
  auto hold = c.run(HoldHearing{"H1"}, as(judge(), kNow + 11 * kDay));
  ASSERT_FALSE(hold);
  EXPECT_EQ(hold.error().code, RejectionCode::kInvalidState);
}

TEST(HearingTest, UnexcusedAbsenceIsRefusalToAppearOrLeavingWithoutLeave) {
  CaseUnderTest c = case_with_hearing();
  const std::int64_t during = kNow + 10 * kDay + kMinute;
  auto before = c.run(
      RecordHearingAbsence{"H1", "p1", HearingAbsenceKind::kNoShow, HearingAbsenceCause::kNone, ""},
      as(judge(), kNow));
  ASSERT_FALSE(before);
  EXPECT_EQ(before.error().code, RejectionCode::kInvalidState);
  ASSERT_TRUE(c.run(
      RecordHearingAbsence{"H1", "p1", HearingAbsenceKind::kNoShow, HearingAbsenceCause::kNone, ""},
      as(judge(), during)));
  ASSERT_TRUE(c.run(RecordHearingAbsence{"H1", "p2", HearingAbsenceKind::kLeftMidway,
                                         HearingAbsenceCause::kOther, "said they were busy"},
                    as(judge(), during)));
  const auto& absences = c.state.hearings.at("H1").absences;
  ASSERT_EQ(absences.size(), 2u);
  EXPECT_EQ(absences[0].finding, HearingAbsenceFinding::kRefusedToAppear);
  EXPECT_EQ(absences[1].finding, HearingAbsenceFinding::kLeftWithoutLeave);
  auto twice = c.run(
      RecordHearingAbsence{"H1", "p1", HearingAbsenceKind::kNoShow, HearingAbsenceCause::kNone, ""},
      as(judge(), during));
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error().code, RejectionCode::kConflict);
}

TEST(HearingTest, AbsenceForNetworkDevicePowerFailureOrForceMajeureIsExcused) {
  const HearingAbsenceCause excused[] = {
      HearingAbsenceCause::kNetworkFailure, HearingAbsenceCause::kDeviceFailure,
      HearingAbsenceCause::kPowerFailure, HearingAbsenceCause::kForceMajeure};
  for (HearingAbsenceCause cause : excused) {
    for (HearingAbsenceKind kind : {HearingAbsenceKind::kNoShow, HearingAbsenceKind::kLeftMidway}) {
      CaseUnderTest c = case_with_hearing();
      ASSERT_TRUE(
          c.run(RecordHearingAbsence{"H1", "p1", kind, cause, ""}, as(judge(), kNow + 10 * kDay)));
      EXPECT_EQ(c.state.hearings.at("H1").absences.at(0).finding, HearingAbsenceFinding::kExcused);
    }
  }
  CaseUnderTest c = case_with_hearing();
  auto other_without_note = c.run(RecordHearingAbsence{"H1", "p1", HearingAbsenceKind::kNoShow,
                                                       HearingAbsenceCause::kOther, ""},
                                  as(judge(), kNow + 10 * kDay));
  ASSERT_FALSE(other_without_note);
  EXPECT_EQ(fields(other_without_note.error()), (std::vector<std::string>{"note"}));
}

TEST(HearingTest, AvoidanceIsAskedByAnAgentWithAReason) {
  CaseUnderTest c = case_with_hearing();
  c.facts.add_lawyer("L9");
  auto stranger = c.run(RequestHearingAvoidance{"H1", "R1", "another hearing"}, as(lawyer("L9")));
  ASSERT_FALSE(stranger);
  EXPECT_EQ(stranger.error().code, RejectionCode::kForbidden);
  auto no_reason = c.run(RequestHearingAvoidance{"H1", "R1", ""}, as(lawyer("L1")));
  ASSERT_FALSE(no_reason);
  EXPECT_EQ(fields(no_reason.error()), (std::vector<std::string>{"reason"}));
  c.facts.lawyers.at("L1").phone = "13800000000";
  ASSERT_TRUE(
      c.run(RequestHearingAvoidance{"H1", "R1", "hearing in another court"}, as(lawyer("L1"))));
  const auto& request = c.state.hearings.at("H1").avoidance_requests.at(0);
  EXPECT_EQ(request.licence, "L1");
  EXPECT_EQ(request.phone, "13800000000");  // the phone of the lawyer's account
  EXPECT_EQ(request.status, AvoidanceStatus::kOpen);
}

TEST(HearingTest, OneOpenAvoidanceRequestPerHearing) {
  CaseUnderTest c = case_with_hearing();
  ASSERT_TRUE(c.run(RequestHearingAvoidance{"H1", "R1", "conflict"}, as(lawyer("L1"))));
  auto second = c.run(RequestHearingAvoidance{"H1", "R2", "conflict too"}, as(lawyer("L2")));
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().code, RejectionCode::kConflict);
  ASSERT_TRUE(c.run(RefuseHearingAvoidance{"H1", "R1", "the date is fixed"}, as(judge())));
  EXPECT_TRUE(c.run(RequestHearingAvoidance{"H1", "R2", "conflict too"}, as(lawyer("L2"))));
}

TEST(HearingTest, OnlyTheJudgeInChargeDecidesAvoidance) {
  CaseUnderTest c = case_with_hearing();
  ASSERT_TRUE(c.run(RequestHearingAvoidance{"H1", "R1", "conflict"}, as(lawyer("L1"))));
  for (const Principal& who : {judge("J002"), lawyer("L1")}) {
    auto outcome = c.run(RefuseHearingAvoidance{"H1", "R1", "no"}, as(who));
    ASSERT_FALSE(outcome);
    EXPECT_EQ(outcome.error().code, RejectionCode::kForbidden);
  }
}

TEST(HearingTest, GrantingAvoidanceReschedulesTheHearing) {
  CaseUnderTest c = case_with_hearing();
  ASSERT_TRUE(c.run(RequestHearingAvoidance{"H1", "R1", "conflict"}, as(lawyer("L1"))));
  auto too_soon = c.run(GrantHearingAvoidance{"H1", "R1", kNow + kDay, 60, ""}, as(judge()));
  ASSERT_FALSE(too_soon);
  EXPECT_EQ(too_soon.error().code, RejectionCode::kPolicy);
  auto granted = c.run(GrantHearingAvoidance{"H1", "R1", kNow + 20 * kDay, 60, ""}, as(judge()));
  ASSERT_TRUE(granted);
  EXPECT_EQ(types(granted),
            (std::vector<std::string>{"HearingAvoidanceGranted", "HearingRescheduled"}));
  const Hearing& hearing = c.state.hearings.at("H1");
  EXPECT_EQ(hearing.avoidance_requests.at(0).status, AvoidanceStatus::kGranted);
  EXPECT_EQ(hearing.starts_at_us, kNow + 20 * kDay);
  EXPECT_EQ(hearing.place, "第三法庭");  // kept when none is given
  auto again = c.run(GrantHearingAvoidance{"H1", "R1", kNow + 30 * kDay, 60, ""}, as(judge()));
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, RejectionCode::kInvalidState);
}

TEST(HearingTest, RefusingAvoidanceNeedsAReason) {
  CaseUnderTest c = case_with_hearing();
  ASSERT_TRUE(c.run(RequestHearingAvoidance{"H1", "R1", "conflict"}, as(lawyer("L1"))));
  auto no_reason = c.run(RefuseHearingAvoidance{"H1", "R1", ""}, as(judge()));
  ASSERT_FALSE(no_reason);
  EXPECT_EQ(fields(no_reason.error()), (std::vector<std::string>{"reason"}));
  ASSERT_TRUE(c.run(RefuseHearingAvoidance{"H1", "R1", "the date is fixed"}, as(judge())));
  const auto& request = c.state.hearings.at("H1").avoidance_requests.at(0);
  EXPECT_EQ(request.status, AvoidanceStatus::kRefused);
  EXPECT_EQ(request.refusal_reason, "the date is fixed");
  EXPECT_EQ(c.state.hearings.at("H1").starts_at_us, kNow + 10 * kDay);
}

}  // namespace
}  // namespace docket::domain
