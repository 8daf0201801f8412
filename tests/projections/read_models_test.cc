// Read models over real commands: every query's answers after a lawyer's journey through the
// platform, and the same answers after rebuilding every projection from position 0.
#include "docket/projections/read_models.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "platform_fixture.h"

namespace docket::testing {
namespace {

namespace json = boost::json;
using namespace docket::domain;

const json::value& at(const json::value& v, std::string_view key) {
  return v.as_object().at(key);
}
std::string str(const json::value& v, std::string_view key) {
  return std::string(at(v, key).as_string());
}
std::int64_t num(const json::value& v, std::string_view key) {
  return at(v, key).to_number<std::int64_t>();
}
std::size_t size(const json::value& v, std::string_view key) {
  return at(v, key).as_array().size();
}
std::vector<std::string> strings_of(const json::value& array, std::string_view key) {
  std::vector<std::string> out;
  for (const auto& item : array.as_array())
    out.push_back(str(item, key));
  return out;
}

using ReadModelsTest = PlatformTest;

TEST_F(ReadModelsTest, FilingProgressAndReviewQueueCountDaysLeftFromNow) {
  change_password(kLawyerA);
  submit_filing("f1", "李四", "重庆某某有限公司");
  project();

  auto mine = ok(read_models_->lawyer_filings(kLawyerA, now()));
  ASSERT_EQ(mine.as_array().size(), 1u);
  const auto& f = mine.as_array()[0];
  EXPECT_EQ(str(f, "filing_id"), "f1");
  EXPECT_EQ(str(f, "role"), "filer");
  EXPECT_EQ(str(f, "status"), "submitted");
  EXPECT_EQ(str(f, "ecf_status"), "received");
  EXPECT_EQ(num(f, "review_days_left"), 7);
  EXPECT_TRUE(at(at(f, "steps"), "identity_papers").as_bool());
  EXPECT_EQ(at(f, "plaintiffs").as_array()[0].as_string(), "李四");

  auto as_agent = ok(read_models_->lawyer_filings(kLawyerB, now()));
  ASSERT_EQ(as_agent.as_array().size(), 1u);
  EXPECT_EQ(str(as_agent.as_array()[0], "role"), "agent");
  EXPECT_TRUE(ok(read_models_->lawyer_filings(kLawyerC, now())).as_array().empty());

  // Days left are computed from the query's "now", not stored.
  auto later = ok(read_models_->review_queue(kCourt, now() + 3 * kDay + 1));
  ASSERT_EQ(size(later, "pending"), 1u);
  EXPECT_EQ(num(at(later, "pending").as_array()[0], "review_days_left"), 4);
  EXPECT_FALSE(at(at(later, "pending").as_array()[0], "review_overdue").as_bool());

  auto detail = ok(read_models_->filing("f1", now()));
  EXPECT_EQ(size(detail, "parties"), 2u);
  EXPECT_EQ(str(at(detail, "agents").as_array()[1], "name"), "李华") << "filled by the app";
  ASSERT_EQ(size(detail, "history"), 2u);
  EXPECT_EQ(str(at(detail, "history").as_array()[1], "type"), "FilingSubmitted");
  EXPECT_EQ(**read_models_->filing_filer("f1"), kLawyerA);
}

TEST_F(ReadModelsTest, ReviewQueueListsOverdueFilingsFirst) {
  change_password(kLawyerA);
  submit_filing("late", "甲", "乙");
  clock_.advance(3 * kDay);
  submit_filing("early", "丙", "丁");
  project();

  // Eight days after the first submission: "late" is overdue, "early" has two days left.
  auto queue = ok(read_models_->review_queue(kCourt, now() + 5 * kDay));
  const auto& pending = at(queue, "pending").as_array();
  ASSERT_EQ(pending.size(), 2u);
  EXPECT_EQ(str(pending[0], "filing_id"), "late");
  EXPECT_TRUE(at(pending[0], "review_overdue").as_bool());
  EXPECT_EQ(num(pending[0], "review_days_left"), 0);
  EXPECT_EQ(str(pending[1], "filing_id"), "early");
  EXPECT_EQ(num(pending[1], "review_days_left"), 2);
  EXPECT_TRUE(
      ok(read_models_->review_queue("渝0101", now())).as_object().at("pending").as_array().empty());
}

TEST_F(ReadModelsTest, CorrectionRequestMovesFilingToAwaitingCorrectionWithDeadline) {
  change_password(kLawyerA);
  submit_filing("f1", "李四", "重庆某某有限公司");
  run<FilingAggregate>("filing-f1",
                       RequestCorrection{{{"parties[1].id_number", "请补充被告统一社会信用代码"}}},
                       as(clerk()));
  project();

  auto queue = ok(read_models_->review_queue(kCourt, now()));
  EXPECT_TRUE(at(queue, "pending").as_array().empty());
  ASSERT_EQ(size(queue, "awaiting_correction"), 1u);
  const auto& waiting = at(queue, "awaiting_correction").as_array()[0];
  EXPECT_EQ(num(waiting, "correction_deadline_at_us"), now() + 15 * kDay);
  EXPECT_EQ(num(waiting, "correction_days_left"), 15);
  auto detail = ok(read_models_->filing("f1", now()));
  EXPECT_EQ(str(at(at(detail, "correction_notice"), "items").as_array()[0], "field"),
            "parties[1].id_number");

  filing_step("f1", SubmitFiling{});
  project();
  queue = ok(read_models_->review_queue(kCourt, now()));
  EXPECT_EQ(size(queue, "pending"), 1u);
  EXPECT_TRUE(at(queue, "awaiting_correction").as_array().empty());
  EXPECT_EQ(num(ok(read_models_->filing("f1", now())), "submissions"), 2);
}

TEST_F(ReadModelsTest, DeletedDraftDisappearsFromLawyersFilings) {
  filing_step("draft", AcceptFilingNotice{});
  project();
  EXPECT_EQ(ok(read_models_->lawyer_filings(kLawyerA, now())).as_array().size(), 1u);
  filing_step("draft", DeleteDraft{});
  project();
  EXPECT_TRUE(ok(read_models_->lawyer_filings(kLawyerA, now())).as_array().empty());
  auto gone = read_models_->filing("draft", now());
  ASSERT_FALSE(gone);
  EXPECT_EQ(gone.error().code, engine::ErrorCode::kNotFound);
  EXPECT_FALSE(*read_models_->filing_filer("draft"));
}

TEST_F(ReadModelsTest, AcceptedFilingShowsItsCaseAndPaymentNoticeByCode) {
  auto j = journey();
  project();

  auto filing = ok(read_models_->filing("f1", now()));
  EXPECT_EQ(str(filing, "status"), "accepted");
  EXPECT_EQ(str(filing, "case_number"), j.case1);
  EXPECT_EQ(**read_models_->case_of_filing("f1"), j.case1);

  auto notice = ok(read_models_->payment_by_code(j.code1, now()));
  EXPECT_EQ(str(notice, "case_number"), j.case1);
  EXPECT_EQ(str(notice, "status"), "paid");
  EXPECT_GT(num(notice, "amount_fen"), 0);
  EXPECT_EQ(**read_models_->payment_filing(j.code1), "f1");
  auto unknown = read_models_->payment_by_code("no-such-code", now());
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, engine::ErrorCode::kNotFound);
}

TEST_F(ReadModelsTest, PayersSeeTheirNoticesAndReceipts) {
  auto j = journey();
  project();

  auto payments = ok(read_models_->lawyer_payments(kLawyerB, now()));
  ASSERT_EQ(size(payments, "notices"), 2u);
  ASSERT_EQ(size(payments, "receipts"), 1u);
  const auto& receipt = at(payments, "receipts").as_array()[0];
  EXPECT_EQ(str(receipt, "receipt_number"), "R-2026-0001");
  EXPECT_EQ(str(receipt, "case_number"), j.case1);
  EXPECT_GT(num(receipt, "paid_at_us"), 0);
  // The unpaid notice of case 2 is due seven days after issue: one day left at day six.
  for (const auto& n : at(payments, "notices").as_array()) {
    if (str(n, "case_number") == j.case2) {
      EXPECT_EQ(str(n, "status"), "unpaid");
      EXPECT_EQ(num(n, "days_left"), 1);
      EXPECT_FALSE(at(n, "overdue").as_bool());
    }
  }
  EXPECT_TRUE(ok(read_models_->lawyer_payments(kLawyerC, now()))
                  .as_object()
                  .at("notices")
                  .as_array()
                  .empty());
}

TEST_F(ReadModelsTest, LawyersCasesAreSearchableByPlaintiffDefendantAndCaseNumber) {
  auto j = journey();
  project();

  auto all = ok(read_models_->lawyer_cases(kLawyerA, {}));
  EXPECT_EQ(all.as_array().size(), 2u);
  auto by_plaintiff = ok(read_models_->lawyer_cases(kLawyerA, {"赵", "", ""}));
  ASSERT_EQ(by_plaintiff.as_array().size(), 1u);
  EXPECT_EQ(str(by_plaintiff.as_array()[0], "case_number"), j.case2);
  auto by_defendant = ok(read_models_->lawyer_cases(kLawyerA, {"", "有限公司", ""}));
  ASSERT_EQ(by_defendant.as_array().size(), 1u);
  EXPECT_EQ(str(by_defendant.as_array()[0], "case_number"), j.case1);
  // A plaintiff's name does not match as a defendant.
  EXPECT_TRUE(ok(read_models_->lawyer_cases(kLawyerA, {"", "李四", ""})).as_array().empty());
  auto by_number = ok(read_models_->lawyer_cases(kLawyerB, {"", "", j.case2}));
  ASSERT_EQ(by_number.as_array().size(), 1u);
  EXPECT_EQ(str(by_number.as_array()[0], "judge"), kJudge);
  // Person, case and account match: a lawyer who is no agent sees none of them.
  EXPECT_TRUE(ok(read_models_->lawyer_cases(kLawyerC, {})).as_array().empty());
  EXPECT_EQ(ok(read_models_->judge_cases(kJudge)).as_array().size(), 2u);
  EXPECT_EQ(ok(read_models_->court_cases(kCourt)).as_array().size(), 2u);
}

TEST_F(ReadModelsTest, AccessLookupsNameAgentsJudgeAndStreams) {
  auto j = journey();
  project();

  EXPECT_TRUE(*read_models_->is_case_agent(kLawyerA, j.case1));
  EXPECT_TRUE(*read_models_->is_case_agent(kLawyerB, j.case1));
  EXPECT_FALSE(*read_models_->is_case_agent(kLawyerC, j.case1));
  EXPECT_FALSE(*read_models_->is_case_agent(kLawyerA, "(2026)渝0103民初9999号"));
  EXPECT_EQ(**read_models_->judge_of(j.case1), kJudge);
  EXPECT_FALSE(*read_models_->judge_of("(2026)渝0103民初9999号"));
  EXPECT_EQ(**read_models_->case_stream(j.case2), case_stream(j.case2));
  auto access = *read_models_->case_access(j.case1);
  ASSERT_TRUE(access);
  EXPECT_EQ(access->court, kCourt);
  EXPECT_EQ(access->filing_id, "f1");
  EXPECT_EQ(access->status, "open");
  EXPECT_EQ(access->agents,
            (std::vector<std::string>{std::string(kLawyerA), std::string(kLawyerB)}));
  EXPECT_EQ(**read_models_->filing_filer("f2"), kLawyerA);
  EXPECT_EQ(**read_models_->service_recipient(j.service_id), kLawyerA);
}

TEST_F(ReadModelsTest, HearingsSplitIntoUpcomingHeldAndConflicts) {
  auto j = journey();
  project();

  auto hearings = ok(read_models_->lawyer_hearings(kLawyerA, now()));
  EXPECT_EQ(strings_of(at(hearings, "upcoming"), "hearing_id"),
            (std::vector<std::string>{"h1", "h2"}));
  EXPECT_EQ(strings_of(at(hearings, "held"), "hearing_id"), (std::vector<std::string>{"h3"}));
  EXPECT_EQ(str(at(hearings, "held").as_array()[0], "status"), "held");
  // h1 and h2 overlap; both fall inside the "cannot appear" entry.
  std::vector<std::string> kinds;
  for (const auto& c : at(hearings, "conflicts").as_array())
    kinds.push_back(str(c, "kind"));
  EXPECT_EQ(kinds,
            (std::vector<std::string>{"hearings_overlap", "cannot_appear", "cannot_appear"}));
  const auto& overlap = at(hearings, "conflicts").as_array()[0];
  EXPECT_EQ(strings_of(at(overlap, "hearings"), "case_number"),
            (std::vector<std::string>{j.case1, j.case2}));
  // Avoidance requests show on the requesting lawyer's row.
  const auto& h1 = at(hearings, "upcoming").as_array()[0];
  ASSERT_EQ(size(h1, "avoidance_requests"), 1u);
  EXPECT_EQ(str(at(h1, "avoidance_requests").as_array()[0], "status"), "open");

  // Lawyer B has no schedule: only the overlap, and no avoidance request of their own.
  auto theirs = ok(read_models_->lawyer_hearings(kLawyerB, now()));
  ASSERT_EQ(size(theirs, "conflicts"), 1u);
  EXPECT_TRUE(at(at(theirs, "upcoming").as_array()[0], "avoidance_requests").as_array().empty());

  // After both hearings end they count as past.
  auto later = ok(read_models_->lawyer_hearings(kLawyerA, j.t0 + 11 * kDay));
  EXPECT_TRUE(at(later, "upcoming").as_array().empty());
  EXPECT_TRUE(at(later, "conflicts").as_array().empty());
  EXPECT_EQ(size(later, "held"), 3u);
}

TEST_F(ReadModelsTest, LawyerHomeShowsScheduleAndUpcomingHearings) {
  auto j = journey();
  project();

  auto home = ok(read_models_->lawyer_home(kLawyerA, now()));
  EXPECT_EQ(str(home, "name"), "张明");
  EXPECT_FALSE(at(home, "must_change_password").as_bool());
  EXPECT_FALSE(home.as_object().contains("password_hash"));
  ASSERT_EQ(size(home, "schedule"), 2u);
  EXPECT_EQ(str(at(home, "schedule").as_array()[0], "text"), "仲裁开庭");
  EXPECT_FALSE(at(at(home, "schedule").as_array()[0], "can_appear_in_court").as_bool());
  EXPECT_EQ(strings_of(at(home, "upcoming_hearings"), "hearing_id"),
            (std::vector<std::string>{"h1", "h2"}));
  auto unknown = read_models_->lawyer_home("15001201810099999", now());
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, engine::ErrorCode::kNotFound);
  (void)j;
}

TEST_F(ReadModelsTest, JudgeSeesScheduleEntriesOfTheLawyersInTheirCases) {
  auto j = journey();
  project();

  auto view = ok(read_models_->judge_lawyer_schedules(kJudge, now()));
  ASSERT_EQ(view.as_array().size(), 2u);
  const auto& a = view.as_array()[0];
  EXPECT_EQ(str(a, "licence_number"), kLawyerA);
  EXPECT_EQ(strings_of(at(a, "schedule"), "text"),
            (std::vector<std::string>{"仲裁开庭", "所内会议"}));
  EXPECT_EQ(size(a, "cases"), 2u);
  EXPECT_TRUE(at(view.as_array()[1], "schedule").as_array().empty());
  // Entries that have ended are no longer pushed.
  auto later = ok(read_models_->judge_lawyer_schedules(kJudge, j.t0 + 15 * kDay));
  EXPECT_EQ(strings_of(at(later.as_array()[0], "schedule"), "text"),
            (std::vector<std::string>{"所内会议"}));
  EXPECT_TRUE(ok(read_models_->judge_lawyer_schedules("judge99", now())).as_array().empty());
}

TEST_F(ReadModelsTest, JudgeInboxListsOpenItemsUntilDecided) {
  auto j = journey();
  project();

  auto inbox = ok(read_models_->judge_inbox(kJudge));
  ASSERT_EQ(size(inbox, "avoidance_requests"), 1u);
  EXPECT_EQ(str(at(inbox, "avoidance_requests").as_array()[0], "request_id"), "r1");
  EXPECT_EQ(str(at(inbox, "avoidance_requests").as_array()[0], "case_number"), j.case1);
  ASSERT_EQ(size(inbox, "messages"), 1u);
  EXPECT_EQ(str(at(inbox, "messages").as_array()[0], "title"), "关于证据");
  ASSERT_EQ(size(inbox, "file_reviews"), 1u);
  ASSERT_EQ(size(inbox, "exchange_answers"), 1u);
  EXPECT_EQ(str(at(at(inbox, "exchange_answers").as_array()[0], "items").as_array()[0], "result"),
            "agree");

  const std::string c1 = case_stream(j.case1);
  run<CaseAggregate>(c1, RefuseHearingAvoidance{"h1", "r1", "不能改期"}, as(judge()));
  run<CaseAggregate>(c1, ReplyToMessage{"m1", "请于十日内提交", {}}, as(judge()));
  run<CaseAggregate>(c1, ApproveFileReview{"fr1", {"cm1"}, now(), now() + 5 * kDay}, as(judge()));
  project();
  inbox = ok(read_models_->judge_inbox(kJudge));
  EXPECT_TRUE(at(inbox, "avoidance_requests").as_array().empty());
  EXPECT_TRUE(at(inbox, "messages").as_array().empty());
  EXPECT_TRUE(at(inbox, "file_reviews").as_array().empty());
  EXPECT_EQ(size(inbox, "exchange_answers"), 1u);

  // The lawyer sees the outcomes in the case detail.
  auto detail = ok(read_models_->case_detail(j.case1, now()));
  EXPECT_EQ(str(at(detail, "messages").as_array()[0], "status"), "replied");
  EXPECT_EQ(str(at(detail, "file_reviews").as_array()[0], "status"), "approved");
}

TEST_F(ReadModelsTest, DocumentsMoveFromToSignToSignedAndTheOutboxNamesTheSms) {
  auto j = journey();
  project();

  auto documents = ok(read_models_->lawyer_documents(kLawyerA));
  ASSERT_EQ(size(documents, "to_sign"), 1u);
  EXPECT_TRUE(at(documents, "signed").as_array().empty());
  const auto& pending = at(documents, "to_sign").as_array()[0];
  EXPECT_EQ(str(pending, "title"), "传票");
  EXPECT_TRUE(at(pending, "blob_hash").is_null()) << "readable only once signed";

  auto outbox = ok(read_models_->sms_outbox(0, 10));
  ASSERT_EQ(outbox.as_array().size(), 1u);
  const auto& sms = outbox.as_array()[0];
  EXPECT_EQ(str(sms, "stream"), service_stream(j.service_id));
  EXPECT_EQ(str(sms, "phone"), "13800000001");
  EXPECT_EQ(num(sms, "serial"), 1);
  EXPECT_EQ(str(sms, "status"), "queued");
  EXPECT_FALSE(sms.as_object().contains("sms_key"));
  const auto position = static_cast<std::uint64_t>(num(sms, "position"));
  EXPECT_TRUE(ok(read_models_->sms_outbox(position, 10)).as_array().empty());

  // A resend voids key 1 and queues key 2.
  run<ServiceAggregate>(service_stream(j.service_id), ResendSmsKey{}, as(lawyer(kLawyerA)));
  const std::string key = secrets_.sms_key(service_stream(j.service_id), 2);
  run<ServiceAggregate>(service_stream(j.service_id), SignForReceipt{key}, as(lawyer(kLawyerA)));
  project();
  outbox = ok(read_models_->sms_outbox(0, 10));
  ASSERT_EQ(outbox.as_array().size(), 2u);
  EXPECT_EQ(str(outbox.as_array()[0], "status"), "voided");
  EXPECT_EQ(str(outbox.as_array()[1], "status"), "signed");
  EXPECT_EQ(ok(read_models_->sms_outbox(0, 1)).as_array().size(), 1u);

  documents = ok(read_models_->lawyer_documents(kLawyerA));
  EXPECT_TRUE(at(documents, "to_sign").as_array().empty());
  ASSERT_EQ(size(documents, "signed"), 1u);
  EXPECT_EQ(str(at(documents, "signed").as_array()[0], "blob_hash"), blob(30));
  EXPECT_TRUE(
      ok(read_models_->lawyer_documents(kLawyerB)).as_object().at("to_sign").as_array().empty());
}

TEST_F(ReadModelsTest, CaseDetailHoldsPartiesAgentsHearingsEvidenceMessagesAndDocuments) {
  auto j = journey();
  project();

  auto detail = ok(read_models_->case_detail(j.case1, now()));
  EXPECT_EQ(str(detail, "judge"), kJudge);
  EXPECT_EQ(str(detail, "status"), "open");
  EXPECT_EQ(size(detail, "parties"), 2u);
  EXPECT_EQ(size(detail, "agent_details"), 2u);
  EXPECT_EQ(strings_of(at(detail, "hearings"), "hearing_id"),
            (std::vector<std::string>{"h3", "h1"}));
  EXPECT_FALSE(at(at(detail, "hearings").as_array()[0], "upcoming").as_bool());
  EXPECT_TRUE(at(at(detail, "hearings").as_array()[1], "upcoming").as_bool());
  EXPECT_EQ(size(detail, "evidence_exchanges"), 1u);
  EXPECT_EQ(size(detail, "file_materials"), 1u);
  EXPECT_EQ(size(detail, "messages"), 1u);
  ASSERT_EQ(size(detail, "documents"), 1u);
  EXPECT_EQ(str(at(detail, "documents").as_array()[0], "service_id"), j.service_id);
  EXPECT_EQ(str(at(detail, "payment"), "receipt_number"), "R-2026-0001");
  auto missing = read_models_->case_detail("(2026)渝0103民初9999号", now());
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, engine::ErrorCode::kNotFound);
}

TEST_F(ReadModelsTest, LawLinksAndCourtPolicyComeFromTheCourtStream) {
  project();
  auto links = ok(read_models_->law_links(kCourt));
  ASSERT_EQ(links.as_array().size(), 2u);
  EXPECT_EQ(str(links.as_array()[0], "url"), "https://flk.npc.gov.cn");
  auto court = ok(read_models_->court(kCourt));
  EXPECT_EQ(num(at(court, "policy"), "review_period_us"), 7 * kDay);
  EXPECT_EQ(size(at(court, "code_lists"), "case_categories"), 4u);
  auto courts = ok(read_models_->courts());
  ASSERT_EQ(courts.as_array().size(), 1u);
  EXPECT_EQ(str(courts.as_array()[0], "code"), kCourt);
  EXPECT_FALSE(read_models_->law_links("渝0101"));
}

TEST_F(ReadModelsTest, WithdrawnCaseAndLapsedNoticeShowTheirEnd) {
  auto j = journey();
  clock_.advance(2 * kDay);  // past case 2's fee due date, no relief asked
  settle();                  // the due-date timer lapses the notice; the reaction withdraws
  project();
  auto notice = ok(read_models_->payment("f2", now()));
  EXPECT_EQ(str(notice, "status"), "lapsed");
  EXPECT_EQ(str(ok(read_models_->case_detail(j.case2, now())), "status"), "withdrawn");
  EXPECT_EQ((*read_models_->case_access(j.case2))->status, "withdrawn");
}

TEST_F(ReadModelsTest, AMediatedFilingAwaitsConfirmationAndATranscriptShowsWhoHasNotConfirmed) {
  auto j = journey();
  project();
  auto queue = ok(read_models_->review_queue(kCourt, now()));
  EXPECT_EQ(strings_of(at(queue, "awaiting_confirmation"), "filing_id"),
            std::vector<std::string>{"f3"});
  EXPECT_TRUE(at(queue, "in_mediation").as_array().empty());
  auto filing = ok(read_models_->filing("f3", now()));
  EXPECT_EQ(str(filing, "status"), "mediated");
  EXPECT_EQ(str(at(filing, "mediation_referral"), "judicial_confirmation"), "applied");
  EXPECT_EQ(str(filing, "judicial_confirmation"), "applied");

  auto kase = ok(read_models_->case_detail(j.case1, now()));
  const boost::json::value* h3 = nullptr;
  for (const auto& h : at(kase, "hearings").as_array()) {
    if (str(h, "hearing_id") == "h3")
      h3 = &h;
  }
  ASSERT_NE(h3, nullptr);
  const auto& transcript = at(*h3, "transcript");
  EXPECT_EQ(at(transcript, "confirmations").as_array().size(), 1u);
  EXPECT_EQ(str(at(transcript, "confirmations").as_array()[0], "participant"), kLawyerA);
  // The judge in charge, lawyer B and the two parties have not confirmed.
  EXPECT_EQ(at(transcript, "awaiting").as_array().size(), 4u) << transcript;
  auto case2 = ok(read_models_->case_detail(j.case2, now()));
  EXPECT_EQ(at(case2, "online_hearing_exclusions").as_array().size(), 1u);
}

TEST_F(ReadModelsTest, HotlineListsByCourtJudgeAndLawyerAndOverdueFromNowOrTheLog) {
  journey();
  project();
  using projections::HotlineFilter;
  const auto t = now();
  auto court = ok(read_models_->court_hotline_requests(kCourt, HotlineFilter::kAll, t));
  EXPECT_EQ(court.as_array().size(), 2u);
  auto inbox = ok(read_models_->judge_hotline_requests(kJudge, HotlineFilter::kAll, t));
  ASSERT_EQ(strings_of(inbox, "hotline_request_id"), std::vector<std::string>{"hr1"});
  EXPECT_EQ(str(inbox.as_array()[0], "status"), "forwarded");
  EXPECT_EQ(str(inbox.as_array()[0], "forwarded_to"), kJudge);
  auto mine = ok(read_models_->lawyer_hotline_requests(kLawyerA, HotlineFilter::kAll, t));
  ASSERT_EQ(strings_of(mine, "hotline_request_id"), std::vector<std::string>{"hr1"});
  EXPECT_TRUE(at(mine.as_array()[0], "caller").is_null());
  EXPECT_TRUE(ok(read_models_->lawyer_hotline_requests(kLawyerB, HotlineFilter::kAll, t))
                  .as_array()
                  .empty());
  auto call = ok(read_models_->hotline_request("hr2", t));
  EXPECT_EQ(str(at(call, "caller"), "phone"), "13900000006");
  EXPECT_FALSE(at(call, "overdue").as_bool());
  EXPECT_EQ(call.as_object().count("overdue_recorded"), 0u) << "the row's flag stays inside";
  EXPECT_FALSE(read_models_->hotline_request("hr-none", t));
  // Overdue from the due time, before any timer ran; recorded by the timer after it ran.
  const auto due = num(call, "answer_due_at_us");
  EXPECT_TRUE(ok(read_models_->court_hotline_requests(kCourt, HotlineFilter::kOverdue, due - 1))
                  .as_array()
                  .empty());
  EXPECT_EQ(ok(read_models_->court_hotline_requests(kCourt, HotlineFilter::kOverdue, due))
                .as_array()
                .size(),
            2u);
  clock_.advance(3 * kDay);
  settle();
  project();
  EXPECT_TRUE(at(ok(read_models_->hotline_request("hr2", t)), "overdue").as_bool())
      << "recorded overdue, it reads overdue even at an earlier now";
  run<HotlineAggregate>(hotline_stream("hr1"), AnswerHotlineRequest{"已退还差额。"}, as(judge()));
  project();
  EXPECT_EQ(
      strings_of(ok(read_models_->court_hotline_requests(kCourt, HotlineFilter::kAnswered, now())),
                 "hotline_request_id"),
      std::vector<std::string>{"hr1"});
  EXPECT_EQ(
      strings_of(ok(read_models_->court_hotline_requests(kCourt, HotlineFilter::kOpen, now())),
                 "hotline_request_id"),
      std::vector<std::string>{"hr2"});
  // The refund that answered it shows on the notice.
  auto notice = ok(read_models_->payment("f1", now()));
  ASSERT_EQ(size(notice, "refunds"), 1u);
  EXPECT_EQ(str(at(notice, "refunds").as_array()[0], "status"), "completed");
  EXPECT_EQ(str(at(notice, "refunds").as_array()[0], "hotline_request_id"), "hr1");
  EXPECT_EQ(num(notice, "refunded_amount_fen"), 1'000);
  EXPECT_EQ(num(notice, "refundable_fen"), num(notice, "paid_amount_fen") - 1'000);
}

}  // namespace
}  // namespace docket::testing
