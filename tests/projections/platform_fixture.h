// A Platform over a real EventStore in a temp dir, on a manual clock, with the demo court
// bootstrapped, plus a Projector with the standard projections and their queries. Helpers run
// the commands of a lawyer's journey through the platform, as the API would.
#pragma once

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <memory>
#include <string>
#include <variant>

#include "../engine/temp_dir.h"
#include "docket/app/demo.h"
#include "docket/app/platform.h"
#include "docket/app/secrets.h"
#include "docket/engine/event_store.h"
#include "docket/projections/projector.h"
#include "docket/projections/read_models.h"

namespace docket::testing {

using namespace docket::domain;

inline constexpr std::string_view kCourt = "渝0103";
inline constexpr std::string_view kLawyerA = "15001201810010001";  // 张明
inline constexpr std::string_view kLawyerB = "15001201810010002";  // 李华
inline constexpr std::string_view kLawyerC = "15001201810010003";  // 王芳: in no case
inline constexpr std::string_view kJudge = "judge01";
inline constexpr std::string_view kClerk = "clerk01";
inline constexpr std::string_view kCourtSystem = "cms0103";
inline constexpr std::int64_t kDay = engine::kMicrosPerDay;
inline constexpr std::int64_t kHour = 3'600'000'000LL;

inline std::string blob(int n) {
  std::string hash(64, 'a');
  const std::string tag = std::to_string(n);
  hash.replace(hash.size() - tag.size(), tag.size(), tag);
  return hash;
}

class PlatformTest : public ::testing::Test {
 protected:
  void SetUp() override {
    open_store();
    auto logins = app::bootstrap_demo(*platform_);
    ASSERT_TRUE(logins) << app::failure_message(logins.error());
  }

  void open_store() {
    projector_.reset();
    platform_.reset();
    store_.reset();
    engine::StoreOptions options;
    options.path = dir_.sub("store");
    options.clock = &clock_;
    options.sync = false;  // tests of logic; durability is the engine's own tests' business
    auto opened = engine::EventStore::open(options);
    ASSERT_TRUE(opened) << opened.error().message;
    store_ = std::move(*opened);
    platform_ = std::make_unique<app::Platform>(*store_, secrets_);
    projector_ =
        std::make_unique<projections::Projector>(*store_, projections::standard_projections());
    read_models_ = std::make_unique<projections::ReadModels>(*store_);
  }

  static domain::Principal lawyer(std::string_view licence) {
    return {std::string(licence), domain::Role::kLawyer, ""};
  }
  static domain::Principal judge() {
    return {std::string(kJudge), domain::Role::kJudge, std::string(kCourt)};
  }
  static domain::Principal clerk() {
    return {std::string(kClerk), domain::Role::kClerk, std::string(kCourt)};
  }
  static domain::Principal court_system() {
    return {std::string(kCourtSystem), domain::Role::kCourtSystem, std::string(kCourt)};
  }
  static app::Request as(domain::Principal actor) {
    app::Request r;
    r.actor = std::move(actor);
    return r;
  }

  template <class A, class Command>
  app::Accepted run(const std::string& stream, Command command, const app::Request& request) {
    auto r = platform_->execute<A>(stream, typename A::Command(std::move(command)), request);
    EXPECT_TRUE(r) << stream << ": " << (r ? "" : app::failure_message(r.error()));
    return r ? *r : app::Accepted{};
  }

  void filing_step(const std::string& id, domain::FilingCommand command,
                   std::string_view licence = kLawyerA) {
    run<domain::FilingAggregate>("filing-" + id, std::move(command), as(lawyer(licence)));
  }

  // A filing through every wizard step, submitted, with lawyers A (filer) and B as agents.
  void submit_filing(const std::string& id, const std::string& plaintiff,
                     const std::string& defendant, std::int64_t amount_fen = 10'000'000,
                     bool mediation = false) {
    using namespace domain;
    filing_step(id, AcceptFilingNotice{});
    filing_step(id, ChooseCaseCategory{"civil_first_instance", "complaint"});
    filing_step(id, SaveCaseInformation{{"判令被告偿还借款"}, "事实与理由", amount_fen});
    FilingParty p1;
    p1.party_id = "p1";
    p1.position = FilingPartyPosition::kPlaintiff;
    p1.name = plaintiff;
    p1.id_number = "500103199001011234";
    p1.phone = "13900000001";
    p1.address = "重庆市渝中区解放碑1号";
    FilingParty p2;
    p2.party_id = "p2";
    p2.position = FilingPartyPosition::kDefendant;
    p2.kind = FilingPartyKind::kLegalPerson;
    p2.name = defendant;
    p2.id_number = "91500103MA5U000000";
    p2.address = "重庆市渝中区某路2号";
    p2.legal_representative = "王五";
    filing_step(id, SaveParties{{p1, p2}});
    FilingAgent a;
    a.licence_number = std::string(kLawyerA);
    a.represents = {"p1"};
    FilingAgent b;
    b.licence_number = std::string(kLawyerB);
    b.represents = {"p1"};
    filing_step(id, SaveAgents{{a, b}});
    filing_step(id, AcceptServiceAddressNotice{});
    filing_step(id, SaveServiceAddresses{
                        {{"p1", "重庆市渝中区解放碑1号", "13900000001", "p1@example.com", true}}});
    filing_step(id, ChooseCourt{std::string(kCourt)});
    filing_step(id, SaveMaterials{{{"m1", "complaint", "起诉状", {blob(1), blob(2)}}}});
    filing_step(id, SaveIdentityPapers{{{"p1", IdentityPaperKind::kIdCardFront, blob(3)},
                                        {"p1", IdentityPaperKind::kIdCardBack, blob(4)}}});
    filing_step(id, ChooseMediation{mediation});
    filing_step(id, SubmitFiling{});
  }

  // The clerk accepts; returns the case number.
  std::string accept(const std::string& filing_id) {
    auto r = platform_->accept_filing(filing_id, as(clerk()));
    EXPECT_TRUE(r) << (r ? "" : app::failure_message(r.error()));
    return r ? r->case_number : std::string();
  }

  void change_password(std::string_view licence) {
    auto r =
        platform_->change_password(std::string(licence), "a-new-password-1", as(lawyer(licence)));
    ASSERT_TRUE(r) << app::failure_message(r.error());
  }

  void settle() {
    auto r = platform_->settle();
    ASSERT_TRUE(r) << r.error().message;
  }

  void project() {
    auto r = projector_->catch_up();
    ASSERT_TRUE(r) << r.error().message;
    ASSERT_EQ(projector_->position(), store_->last_position());
  }

  // Unwraps a query's JSON, failing the test on an error.
  static boost::json::value ok(engine::Result<boost::json::value> result) {
    EXPECT_TRUE(result) << (result ? "" : result.error().message);
    return result ? std::move(*result) : boost::json::value();
  }

  std::int64_t now() const { return clock_.now_us(); }

  // Ids and numbers the journey creates.
  struct Journey {
    std::int64_t t0 = 0;
    std::string case1;  // filing f1: 李四 v 重庆某某有限公司
    std::string case2;  // filing f2: 赵六 v 孙七
    std::string service_id;
    std::string code1;  // case1's payment code
  };

  Journey journey() {
    Journey j;
    j.t0 = now();
    change_password(kLawyerA);
    change_password(kLawyerB);
    run<LawyerAggregate>(
        std::string("lawyer-") + std::string(kLawyerA),
        AddScheduleEntry{j.t0 + 10 * kDay, j.t0 + 10 * kDay + 4 * kHour, false, "仲裁开庭"},
        as(lawyer(kLawyerA)));
    run<LawyerAggregate>(
        std::string("lawyer-") + std::string(kLawyerA),
        AddScheduleEntry{j.t0 + 20 * kDay, j.t0 + 20 * kDay + 2 * kHour, true, "所内会议"},
        as(lawyer(kLawyerA)));
    submit_filing("f1", "李四", "重庆某某有限公司");
    submit_filing("f2", "赵六", "孙七");
    j.case1 = accept("f1");
    j.case2 = accept("f2");
    settle();  // the reactions register both cases and issue both payment notices
    for (const auto& n : {j.case1, j.case2})
      run<CaseAggregate>(case_stream(n), AssignJudge{std::string(kJudge)}, as(court_system()));
    const std::string c1 = case_stream(j.case1);
    const std::string c2 = case_stream(j.case2);
    run<CaseAggregate>(c1, ScheduleHearing{"h1", j.t0 + 10 * kDay + kHour, 60, "第一法庭"},
                       as(judge()));
    run<CaseAggregate>(c2,
                       ScheduleHearing{"h2", j.t0 + 10 * kDay + 90 * 60'000'000LL, 60, "第二法庭"},
                       as(judge()));
    run<CaseAggregate>(c1, ScheduleHearing{"h3", j.t0 + 5 * kDay, 60, "第一法庭"}, as(judge()));
    run<CaseAggregate>(c1, RequestHearingAvoidance{"h1", "r1", "另有仲裁开庭"},
                       as(lawyer(kLawyerA)));
    run<CaseAggregate>(c1, SendMessageToJudge{"m1", "关于证据", "请问证据提交期限", {}},
                       as(lawyer(kLawyerA)));
    run<CaseAggregate>(c1, ApplyForFileReview{"fr1", "准备庭审"}, as(lawyer(kLawyerA)));
    run<CaseAggregate>(c1, AddCaseFileMaterial{"cm1", "庭审笔录", blob(20)}, as(judge()));
    run<CaseAggregate>(
        c1,
        SendEvidenceForExchange{
            "x1", std::string(kLawyerA), {{"i1", "被告证据", blob(21)}}, j.t0 + 8 * kDay},
        as(judge()));
    run<CaseAggregate>(c1,
                       AnswerEvidenceExchange{"x1", {{"i1", EvidenceExchangeResult::kAgree, ""}}},
                       as(lawyer(kLawyerA)));
    auto notice = platform_->load<PaymentAggregate>("payment-f1");
    EXPECT_TRUE(notice && notice->state.exists);
    j.code1 = notice->state.code;
    run<PaymentAggregate>("payment-f1", StartPayment{j.code1, PaymentChannel::kWeChat},
                          as(lawyer(kLawyerA)));
    run<PaymentAggregate>("payment-f1", ConfirmPayment{1, "tx-0001", notice->state.amount_fen},
                          app::Request::system());
    run<PaymentAggregate>("payment-f1", RecordReceipt{"R-2026-0001"}, app::Request::system());
    ServeDocument serve;
    serve.case_number = j.case1;
    serve.document_type = "summons";
    serve.title = "传票";
    serve.blob_hash = blob(30);
    serve.recipient_licence = std::string(kLawyerA);
    auto served = platform_->serve_document(std::move(serve), as(judge()));
    EXPECT_TRUE(served) << (served ? "" : app::failure_message(served.error()));
    if (served)
      j.service_id = served->created_id;
    clock_.advance(6 * kDay);
    run<CaseAggregate>(c1, HoldHearing{"h3"}, as(judge()));
    // The hotline: a request about case 1, forwarded to its judge; a call about no case, left
    // to run overdue; a refund of case 1's fee that answers the first.
    run<HotlineAggregate>(
        hotline_stream("hr1"),
        FileHotlineRequest{"hr1", std::string(kCourt), HotlineRequestKind::kRefund, j.case1,
                           "申请退费", "变更诉讼请求，申请退还差额。", std::nullopt},
        as(lawyer(kLawyerA)));
    run<HotlineAggregate>(hotline_stream("hr1"), ForwardHotlineRequest{"", "请承办法官处理"},
                          as(clerk()));
    run<HotlineAggregate>(
        hotline_stream("hr2"),
        FileHotlineRequest{"hr2", std::string(kCourt), HotlineRequestKind::kEnquiry, "", "立案咨询",
                           "来电咨询立案材料。", HotlineCaller{"赵六", "13900000006"}},
        as(clerk()));
    run<PaymentAggregate>("payment-f1", OrderRefund{"rf1", 1'000, "退还差额", "hr1"}, as(clerk()));
    run<PaymentAggregate>("payment-f1", RecordRefundResult{"rf1", true, "tx-r1", 1'000, ""},
                          app::Request::system());
    // Online hearings: case 2 records what rules one out; held hearing h3's transcript, confirmed
    // by lawyer A.
    run<CaseAggregate>(
        c2, RecordOnlineHearingExclusions{{OnlineHearingExclusion::kOriginalsToCompare}, "原件"},
        as(judge()));
    run<CaseAggregate>(c1, RecordHearingTranscript{"h3", blob(40)}, as(court_system()));
    run<CaseAggregate>(c1, ConfirmHearingTranscript{"h3", ""}, as(lawyer(kLawyerA)));
    // Mediation: filing f3, mediated to an agreement whose judicial confirmation is applied for.
    submit_filing("f3", "钱八", "周九", 10'000'000, true);
    run<FilingAggregate>(filing_stream("f3"), ReferToMediation{"陈调解员", "", now() + 20 * kDay},
                         as(clerk()));
    run<FilingAggregate>(filing_stream("f3"),
                         RecordMediationOutcome{MediationOutcome::kAgreement, blob(41), ""},
                         as(court_system()));
    run<FilingAggregate>(filing_stream("f3"), ApplyForJudicialConfirmation{}, as(lawyer(kLawyerA)));
    return j;
  }

  TempDir dir_;
  engine::ManualClock clock_;
  app::SodiumSecrets secrets_{std::string(32, 'k'), app::PasswordHashing::minimal()};
  std::unique_ptr<engine::EventStore> store_;
  std::unique_ptr<app::Platform> platform_;
  std::unique_ptr<projections::Projector> projector_;
  std::unique_ptr<projections::ReadModels> read_models_;
};

}  // namespace docket::testing
