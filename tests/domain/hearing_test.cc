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

// An online hearing H1 ten days ahead, both parties having consented.
CaseUnderTest case_with_online_hearing() {
  CaseUnderTest c = registered_case();
  EXPECT_TRUE(c.run(RecordOnlineHearingConsent{"p1", true}, as(lawyer("L1"))));
  EXPECT_TRUE(c.run(RecordOnlineHearingConsent{"p2", true}, as(lawyer("L2"))));
  EXPECT_TRUE(c.run(hearing_at(kNow + 10 * kDay, true), as(judge())));
  return c;
}

TEST(HearingTest, UnexcusedAbsenceIsRefusalToAppearOrLeavingWithoutLeave) {
  CaseUnderTest c = case_with_online_hearing();
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

// Notice §4: a party who consented to an online hearing and does not attend (or leaves) may be
// found to have refused to appear (left without leave). The rule is the online hearing's: an
// in-person hearing's absence, or an online one's by a party whose consent no longer stands, is
// recorded without that finding.
TEST(HearingTest, TheOnlineNoShowRuleAppliesOnlyToOnlineHearingsThePartyConsentedTo) {
  CaseUnderTest in_person = case_with_hearing();
  const std::int64_t during = kNow + 10 * kDay + kMinute;
  ASSERT_TRUE(in_person.run(
      RecordHearingAbsence{"H1", "p1", HearingAbsenceKind::kNoShow, HearingAbsenceCause::kNone, ""},
      as(judge(), during)));
  ASSERT_TRUE(in_person.run(RecordHearingAbsence{"H1", "p2", HearingAbsenceKind::kLeftMidway,
                                                 HearingAbsenceCause::kNone, ""},
                            as(judge(), during)));
  for (const auto& absence : in_person.state.hearings.at("H1").absences) {
    EXPECT_NE(absence.finding, HearingAbsenceFinding::kRefusedToAppear) << absence.party_id;
    EXPECT_NE(absence.finding, HearingAbsenceFinding::kLeftWithoutLeave) << absence.party_id;
    EXPECT_NE(absence.finding, HearingAbsenceFinding::kExcused) << absence.party_id;
  }

  CaseUnderTest online = registered_case();
  ASSERT_TRUE(online.run(RecordOnlineHearingConsent{"p1", true}, as(lawyer("L1"))));
  ASSERT_TRUE(online.run(RecordOnlineHearingConsent{"p2", true}, as(lawyer("L2"))));
  ASSERT_TRUE(online.run(hearing_at(kNow + 10 * kDay, true), as(judge())));
  ASSERT_TRUE(online.run(RecordOnlineHearingConsent{"p2", false}, as(lawyer("L2"))));
  ASSERT_TRUE(online.run(
      RecordHearingAbsence{"H1", "p1", HearingAbsenceKind::kNoShow, HearingAbsenceCause::kNone, ""},
      as(judge(), during)));
  ASSERT_TRUE(online.run(
      RecordHearingAbsence{"H1", "p2", HearingAbsenceKind::kNoShow, HearingAbsenceCause::kNone, ""},
      as(judge(), during)));
  const auto& absences = online.state.hearings.at("H1").absences;
  EXPECT_EQ(absences.at(0).finding, HearingAbsenceFinding::kRefusedToAppear);
  EXPECT_NE(absences.at(1).finding, HearingAbsenceFinding::kRefusedToAppear)
      << "p2 withdrew their consent before the hearing";
  EXPECT_EQ(absences.at(1).finding, HearingAbsenceFinding::kNone);
  EXPECT_EQ(in_person.state.hearings.at("H1").absences.at(0).finding, HearingAbsenceFinding::kNone);
}

// --- online hearings: exclusions, the judge outside the courtroom, transcripts ---------------

TEST(HearingTest, AnOnlineHearingIsRefusedWhileTheJudgeRecordsAnExclusion) {
  CaseUnderTest c = registered_case();
  ASSERT_TRUE(c.run(RecordOnlineHearingConsent{"p1", true}, as(lawyer("L1"))));
  ASSERT_TRUE(c.run(RecordOnlineHearingConsent{"p2", true}, as(lawyer("L2"))));
  auto by_lawyer =
      c.run(RecordOnlineHearingExclusions{{OnlineHearingExclusion::kOriginalsToCompare}, ""},
            as(lawyer("L1")));
  ASSERT_FALSE(by_lawyer);
  EXPECT_EQ(by_lawyer.error().code, RejectionCode::kForbidden);
  ASSERT_TRUE(c.run(RecordOnlineHearingExclusions{{OnlineHearingExclusion::kOriginalsToCompare,
                                                   OnlineHearingExclusion::kIdentityToCheckInPerson,
                                                   OnlineHearingExclusion::kOriginalsToCompare},
                                                  "借条原件需当庭核对"},
                    as(judge())));
  EXPECT_EQ(
      c.state.online_hearing_exclusions,
      (std::vector<OnlineHearingExclusion>{OnlineHearingExclusion::kOriginalsToCompare,
                                           OnlineHearingExclusion::kIdentityToCheckInPerson}));
  auto same =
      c.run(RecordOnlineHearingExclusions{{OnlineHearingExclusion::kOriginalsToCompare,
                                           OnlineHearingExclusion::kIdentityToCheckInPerson},
                                          "借条原件需当庭核对"},
            as(judge()));
  ASSERT_TRUE(same);
  EXPECT_TRUE(same->events.empty());
  auto online = c.run(hearing_at(kNow + 5 * kDay, true), as(judge()));
  ASSERT_FALSE(online);
  EXPECT_EQ(online.error().code, RejectionCode::kPolicy);
  EXPECT_NE(online.error().message.find("originals_to_compare"), std::string::npos);
  ASSERT_TRUE(c.run(hearing_at(kNow + 5 * kDay, false), as(judge()))) << "in person it may be";
  ASSERT_TRUE(c.run(RecordOnlineHearingExclusions{{}, ""}, as(judge())));
  EXPECT_TRUE(c.state.online_hearing_exclusions.empty());
  ScheduleHearing second = hearing_at(kNow + 6 * kDay, true);
  second.hearing_id = "H2";
  EXPECT_TRUE(c.run(second, as(judge())));
}

TEST(HearingTest, AJudgeOutsideTheCourtroomHoldsTheHearingOnlyWithThePresidentsApproval) {
  CaseUnderTest c = case_with_online_hearing();
  c.facts.add_court(kCourt).policy.president = "P001";
  auto in_person = case_with_hearing();
  auto not_online =
      in_person.run(RequestHearingOutsideCourtroom{"H1", "法官工作站", "出差"}, as(judge()));
  ASSERT_FALSE(not_online);
  EXPECT_EQ(not_online.error().code, RejectionCode::kInvalidState);
  auto no_reason = c.run(RequestHearingOutsideCourtroom{"H1", "法官工作站", ""}, as(judge()));
  ASSERT_FALSE(no_reason);
  EXPECT_EQ(fields(no_reason.error()), (std::vector<std::string>{"reason"}));
  ASSERT_TRUE(
      c.run(RequestHearingOutsideCourtroom{"H1", "万州区人民法庭", "巡回审判"}, as(judge())));
  EXPECT_EQ(c.state.hearings.at("H1").outside_courtroom, OutsideCourtroomApproval::kPending);
  const std::int64_t during = kNow + 10 * kDay + kMinute;
  auto unapproved = c.run(HoldHearing{"H1"}, as(judge(), during));
  ASSERT_FALSE(unapproved);
  EXPECT_EQ(unapproved.error().code, RejectionCode::kPolicy);

  auto by_judge = c.run(DecideHearingOutsideCourtroom{"H1", true, ""}, as(judge()));
  ASSERT_FALSE(by_judge);
  EXPECT_EQ(by_judge.error().code, RejectionCode::kForbidden);
  auto no_reason_refusal = c.run(DecideHearingOutsideCourtroom{"H1", false, ""}, as(judge("P001")));
  ASSERT_FALSE(no_reason_refusal);
  EXPECT_EQ(fields(no_reason_refusal.error()), (std::vector<std::string>{"reason"}));
  ASSERT_TRUE(
      c.run(DecideHearingOutsideCourtroom{"H1", false, "应在法庭内开庭"}, as(judge("P001"))));
  EXPECT_EQ(c.state.hearings.at("H1").outside_courtroom, OutsideCourtroomApproval::kRefused);
  EXPECT_FALSE(c.run(HoldHearing{"H1"}, as(judge(), during)));
  // Asked again, the court system relays the president's approval.
  ASSERT_TRUE(c.run(RequestHearingOutsideCourtroom{"H1", "万州区人民法庭", "巡回审判，已报院长"},
                    as(judge())));
  ASSERT_TRUE(c.run(DecideHearingOutsideCourtroom{"H1", true, ""}, as(court_system())));
  EXPECT_EQ(c.state.hearings.at("H1").outside_courtroom, OutsideCourtroomApproval::kApproved);
  EXPECT_EQ(c.state.hearings.at("H1").outside_courtroom_decided_by, "cms");
  EXPECT_TRUE(c.run(HoldHearing{"H1"}, as(judge(), during)));
}

TEST(HearingTest, EachParticipantConfirmsTheTranscriptAndTheRecordShowsWhoHasNot) {
  CaseUnderTest c = case_with_online_hearing();
  auto early = c.run(RecordHearingTranscript{"H1", kHash}, as(judge()));
  ASSERT_FALSE(early);
  EXPECT_EQ(early.error().code, RejectionCode::kInvalidState) << "only a held hearing's";
  ASSERT_TRUE(c.run(HoldHearing{"H1"}, as(judge(), kNow + 10 * kDay + kMinute)));
  auto unconfirmable = c.run(ConfirmHearingTranscript{"H1", ""}, as(lawyer("L1")));
  ASSERT_FALSE(unconfirmable);
  EXPECT_EQ(unconfirmable.error().code, RejectionCode::kInvalidState);
  auto bad = c.run(RecordHearingTranscript{"H1", "not-a-hash"}, as(judge()));
  ASSERT_FALSE(bad);
  EXPECT_EQ(fields(bad.error()), (std::vector<std::string>{"blob_hash"}));
  ASSERT_TRUE(c.run(RecordHearingTranscript{"H1", kHash}, as(court_system())));
  const Hearing& h = c.state.hearings.at("H1");
  ASSERT_TRUE(h.transcript.has_value());
  EXPECT_EQ(h.transcript->revision, 1u);
  EXPECT_EQ(awaiting_transcript_confirmation(c.state, h).size(), 5u)
      << "the judge in charge, two agents, two parties";

  ASSERT_TRUE(c.run(ConfirmHearingTranscript{"H1", ""}, as(lawyer("L1"))));
  ASSERT_TRUE(c.run(ConfirmHearingTranscript{"H1", ""}, as(judge())));
  auto no_party = c.run(ConfirmHearingTranscript{"H1", "p9"}, as(court_system()));
  ASSERT_FALSE(no_party);
  EXPECT_EQ(fields(no_party.error()), (std::vector<std::string>{"party_id"}));
  ASSERT_TRUE(c.run(ConfirmHearingTranscript{"H1", "p1"}, as(court_system())));
  auto again = c.run(ConfirmHearingTranscript{"H1", ""}, as(lawyer("L1")));
  ASSERT_TRUE(again);
  EXPECT_TRUE(again->events.empty());
  auto stranger = c.run(ConfirmHearingTranscript{"H1", ""}, as(lawyer("L9")));
  ASSERT_FALSE(stranger);
  EXPECT_EQ(stranger.error().code, RejectionCode::kForbidden);
  auto awaiting = awaiting_transcript_confirmation(c.state, c.state.hearings.at("H1"));
  ASSERT_EQ(awaiting.size(), 2u);
  EXPECT_EQ(awaiting[0].kind, TranscriptParticipantKind::kAgent);
  EXPECT_EQ(awaiting[0].participant, "L2");
  EXPECT_EQ(awaiting[1].kind, TranscriptParticipantKind::kParty);
  EXPECT_EQ(awaiting[1].participant, "p2");
  EXPECT_EQ(c.state.hearings.at("H1").transcript->confirmations.size(), 3u);

  // A corrected transcript replaces the first; everyone confirms again.
  ASSERT_TRUE(c.run(RecordHearingTranscript{"H1", std::string(64, 'b')}, as(judge())));
  EXPECT_EQ(c.state.hearings.at("H1").transcript->revision, 2u);
  EXPECT_EQ(awaiting_transcript_confirmation(c.state, c.state.hearings.at("H1")).size(), 5u);
}

TEST(HearingTest, AbsenceForNetworkDevicePowerFailureOrForceMajeureIsExcused) {
  const HearingAbsenceCause excused[] = {
      HearingAbsenceCause::kNetworkFailure, HearingAbsenceCause::kDeviceFailure,
      HearingAbsenceCause::kPowerFailure, HearingAbsenceCause::kForceMajeure};
  for (HearingAbsenceCause cause : excused) {
    for (HearingAbsenceKind kind : {HearingAbsenceKind::kNoShow, HearingAbsenceKind::kLeftMidway}) {
      CaseUnderTest c = case_with_online_hearing();
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
