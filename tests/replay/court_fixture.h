// A court's history on a real data directory, for the auditors' tool's tests: the demo court
// bootstrapped on a Platform over an EventStore on a manual clock, then a filing that goes
// through the wizard, a correction, acceptance, a paid fee, a hearing, a message to the judge
// and an electronic service — each step on its own day. After every day the states the server
// held are recorded, so tests can compare what replay says with what the server saw.
#pragma once

#include <gtest/gtest.h>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "../engine/temp_dir.h"
#include "docket/app/demo.h"
#include "docket/app/outbox.h"
#include "docket/app/platform.h"
#include "docket/app/secrets.h"
#include "docket/engine/event_store.h"
#include "docket/replay/data_dir.h"
#include "docket/replay/verify.h"

namespace docket::replay::testing {

inline constexpr std::int64_t kDayUs = 86'400'000'000LL;
inline constexpr std::int64_t kHourUs = 3'600'000'000LL;

inline const domain::Principal kFiler{"15001201810010001", domain::Role::kLawyer, ""};
inline const domain::Principal kCoAgent{"15001201810010002", domain::Role::kLawyer, ""};
inline const domain::Principal kClerk{"clerk01", domain::Role::kClerk, "渝0103"};
inline const domain::Principal kJudge{"judge01", domain::Role::kJudge, "渝0103"};
inline const domain::Principal kCourtSystem{"cms0103", domain::Role::kCourtSystem, "渝0103"};
inline const domain::Principal kSystem{"system", domain::Role::kSystem, ""};

// A JSON value as text: the string itself, or the serialised value.
inline std::string str(const boost::json::value& v) {
  return v.is_string() ? std::string(v.as_string()) : boost::json::serialize(v);
}

inline app::Request as(const domain::Principal& actor) {
  app::Request r;
  r.actor = actor;
  return r;
}

inline std::string describe(const app::Failure& f) {
  return std::string(app::failure_code(f)) + ": " + app::failure_message(f);
}

// What the server held for one stream at the end of a day.
template <class A>
struct Held {
  std::int64_t at_us = 0;
  std::uint64_t position = 0;  // the log's last position then
  typename A::State state;
  std::uint64_t version = 0;
};

class CourtHistoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    open();
    auto logins = app::bootstrap_demo(*platform_);
    ASSERT_TRUE(logins) << describe(logins.error());
  }

  void open() {
    std::filesystem::create_directories(data_dir());
    engine::StoreOptions options;
    options.path = data_dir() + "/store";  // the layout docketd uses: DATA/store
    options.clock = &clock_;
    options.sync = false;  // durability is the engine's subject; these tests read what is there
    auto opened = engine::EventStore::open(options);
    ASSERT_TRUE(opened) << opened.error().message;
    store_ = std::move(*opened);
    platform_ = std::make_unique<app::Platform>(*store_, secrets_);
  }

  // Stops the "server": what remains is a data directory on disk.
  void close() {
    platform_.reset();
    store_.reset();
  }

  std::string data_dir() const { return dir_.sub("data"); }

  // Stops the "server" and verifies its data directory as `docket verify` would.
  VerifyReport verify() {
    close();
    auto ro = ReadOnlyStore::open(data_dir());
    EXPECT_TRUE(ro) << ro.error().message;
    if (!ro)
      return {};
    auto report = verify_store((*ro)->store());
    EXPECT_TRUE(report) << report.error().message;
    return report ? *report : VerifyReport{};
  }
  app::Platform& platform() { return *platform_; }
  engine::EventStore& store() { return *store_; }

  template <class A>
  app::Accepted must(const std::string& stream, typename A::Command command,
                     const domain::Principal& actor) {
    auto done = platform_->execute<A>(stream, std::move(command), as(actor));
    EXPECT_TRUE(done) << stream << ": " << (done ? "" : describe(done.error()));
    return done ? *done : app::Accepted{};
  }

  template <class A>
  typename app::Runner<A>::Loaded loaded(const std::string& stream) {
    auto l = platform_->load<A>(stream);
    EXPECT_TRUE(l) << (l ? "" : l.error().message);
    return l ? *l : typename app::Runner<A>::Loaded{A::initial(), 0, 0};
  }

  std::string blob(const std::string& content) {
    auto info = platform_->blobs().put(content, "application/pdf");
    EXPECT_TRUE(info) << (info ? "" : info.error().message);
    return info ? info->hash : std::string();
  }

  // Records what the server holds now for the filing, payment and case streams.
  void hold() {
    const auto now = clock_.now_us();
    const auto last = store_->last_position();
    auto f = loaded<domain::FilingAggregate>(filing_stream());
    held_filing_.push_back({now, last, f.state, f.version});
    auto p = loaded<domain::PaymentAggregate>(payment_stream());
    held_payment_.push_back({now, last, p.state, p.version});
    if (!case_number_.empty()) {
      auto c = loaded<domain::CaseAggregate>(case_stream());
      held_case_.push_back({now, last, c.state, c.version});
    }
  }

  // The whole history; each step on its own day, states held at the end of each day.
  void build_history() {
    using namespace domain;  // NOLINT(google-build-using-namespace)
    const std::string s = filing_stream();
    // Day 0: the wizard.
    must<FilingAggregate>(s, AcceptFilingNotice{}, kFiler);
    must<FilingAggregate>(s, ChooseCaseCategory{"civil_first_instance", "complaint"}, kFiler);
    must<FilingAggregate>(
        s, SaveCaseInformation{{"判令被告偿还借款10万元"}, "事实与理由……", 10'000'000}, kFiler);
    FilingParty plaintiff;
    plaintiff.party_id = "p1";
    plaintiff.position = FilingPartyPosition::kPlaintiff;
    plaintiff.name = "李四";
    plaintiff.id_number = "500103199001011234";
    plaintiff.phone = "13900000001";
    plaintiff.address = "重庆市渝中区解放碑1号";
    FilingParty defendant;
    defendant.party_id = "p2";
    defendant.position = FilingPartyPosition::kDefendant;
    defendant.kind = FilingPartyKind::kLegalPerson;
    defendant.name = "重庆某某有限公司";
    defendant.id_number = "91500103MA5U000000";
    defendant.address = "重庆市渝中区某路2号";
    defendant.legal_representative = "王五";
    must<FilingAggregate>(s, SaveParties{{plaintiff, defendant}}, kFiler);
    must<FilingAggregate>(s,
                          SaveAgents{{FilingAgent{kFiler.id, "", "", "", "", {"p1"}},
                                      FilingAgent{kCoAgent.id, "", "", "", "", {"p1"}}}},
                          kFiler);
    must<FilingAggregate>(s, AcceptServiceAddressNotice{}, kFiler);
    must<FilingAggregate>(s,
                          SaveServiceAddresses{{{"p1", "重庆市渝中区解放碑1号", "13900000001",
                                                 "p1@example.com", true}}},
                          kFiler);
    must<FilingAggregate>(s, ChooseCourt{"渝0103"}, kFiler);
    must<FilingAggregate>(s, SaveMaterials{{{"m1", "complaint", "起诉状", {blob("complaint")}}}},
                          kFiler);
    must<FilingAggregate>(
        s,
        SaveIdentityPapers{{{"p1", IdentityPaperKind::kIdCardFront, blob("front")},
                            {"p1", IdentityPaperKind::kIdCardBack, blob("back")}}},
        kFiler);
    must<FilingAggregate>(s, ChooseMediation{false}, kFiler);
    must<FilingAggregate>(s, SubmitFiling{}, kFiler);
    hold();

    // Day 1: the clerk asks for a correction; the lawyer resubmits.
    next_day();
    must<FilingAggregate>(
        s, RequestCorrection{{{"parties[1].id_number", "请核对被告统一社会信用代码"}}}, kClerk);
    hold();
    next_day();
    must<FilingAggregate>(s, SubmitFiling{}, kFiler);
    hold();

    // Day 3: accepted; the reactions register the case and issue the payment notice.
    next_day();
    auto accepted = platform_->accept_filing(filing_id_, as(kClerk));
    ASSERT_TRUE(accepted) << describe(accepted.error());
    case_number_ = accepted->case_number;
    settle();
    must<CaseAggregate>(case_stream(), AssignJudge{kJudge.id}, kCourtSystem);
    hold();
    accepted_day_ = clock_.now_us();

    // Day 4: the fee is paid.
    next_day();
    const auto notice = loaded<PaymentAggregate>(payment_stream()).state;
    must<PaymentAggregate>(payment_stream(), StartPayment{notice.code, PaymentChannel::kWeChat},
                           kFiler);
    must<PaymentAggregate>(payment_stream(), ConfirmPayment{1, "wx-0001", notice.amount_fen},
                           kSystem);
    must<PaymentAggregate>(payment_stream(), RecordReceipt{"R-2026-0001"}, kSystem);
    settle();
    hold();
    paid_day_ = clock_.now_us();

    // Day 5: a hearing, a message and its reply.
    next_day();
    must<CaseAggregate>(case_stream(),
                        ScheduleHearing{"h1", clock_.now_us() + 10 * kDayUs, 120, "第三法庭"},
                        kJudge);
    must<CaseAggregate>(case_stream(),
                        SendMessageToJudge{"msg1", "关于开庭时间", "能否调整开庭时间？", {}},
                        kFiler);
    must<CaseAggregate>(case_stream(), ReplyToMessage{"msg1", "不能调整。", {}}, kJudge);
    hold();

    // Day 6: a summons served electronically, signed with the SMS key and downloaded.
    next_day();
    ServeDocument serve;
    serve.case_number = case_number_;
    serve.document_type = "summons";
    serve.title = "开庭传票";
    serve.blob_hash = blob("summons");
    serve.recipient_licence = kFiler.id;
    auto served = platform_->serve_document(serve, as(kJudge));
    ASSERT_TRUE(served) << describe(served.error());
    service_id_ = served->created_id;
    const auto service = service_stream(service_id_);
    const auto key = sms_key(service);
    ASSERT_FALSE(key.empty());
    must<ServiceAggregate>(service, SignForReceipt{key}, kFiler);
    must<ServiceAggregate>(service, DownloadDocument{}, kFiler);
    hold();
  }

  std::string sms_key(const std::string& service) {
    const app::SmsOutbox outbox(secrets_);
    const auto served = loaded<domain::ServiceAggregate>(service).state;
    std::string key;
    for (std::uint64_t from = 1;;) {
      auto page = store_->read_stream(service, from, 100);
      if (!page || page->empty())
        break;
      for (const auto& e : *page) {
        if (auto m = outbox.compose(e, &served))
          key = m->sms_key;
      }
      from = page->back().version + 1;
    }
    return key;
  }

  void settle() {
    auto settled = platform_->settle();
    ASSERT_TRUE(settled) << settled.error().message;
  }

  void next_day() { clock_.advance(kDayUs); }

  std::string filing_stream() const { return "filing-" + filing_id_; }
  std::string payment_stream() const { return "payment-" + filing_id_; }
  std::string case_stream() const { return domain::case_stream(case_number_); }

  ::docket::testing::TempDir dir_;
  engine::ManualClock clock_;  // 2026-01-01T00:00:00Z
  app::SodiumSecrets secrets_{std::string(32, 's'), app::PasswordHashing::minimal()};
  std::unique_ptr<engine::EventStore> store_;
  std::unique_ptr<app::Platform> platform_;

  std::string filing_id_ = "f-audit-1";
  std::string case_number_;
  std::string service_id_;
  std::int64_t accepted_day_ = 0;
  std::int64_t paid_day_ = 0;
  std::vector<Held<domain::FilingAggregate>> held_filing_;
  std::vector<Held<domain::PaymentAggregate>> held_payment_;
  std::vector<Held<domain::CaseAggregate>> held_case_;
};

}  // namespace docket::replay::testing
