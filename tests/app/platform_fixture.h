// A Platform over a real EventStore in a temporary directory, on a manual clock, with the demo
// court bootstrapped, and helpers that drive a filing through the wizard. For app tests.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "../engine/temp_dir.h"
#include "docket/app/demo.h"
#include "docket/app/platform.h"
#include "docket/app/secrets.h"
#include "docket/engine/event_store.h"

namespace docket::app::testing {

inline constexpr std::int64_t kDayUs = 86'400'000'000LL;
inline constexpr std::int64_t kHourUs = 3'600'000'000LL;

// The demo's people (see demo.cc).
inline const domain::Principal kFiler{"15001201810010001", domain::Role::kLawyer, ""};
inline const domain::Principal kCoAgent{"15001201810010002", domain::Role::kLawyer, ""};
inline const domain::Principal kOutsider{"15001201810010003", domain::Role::kLawyer, ""};
inline const domain::Principal kClerk{"clerk01", domain::Role::kClerk, "渝0103"};
inline const domain::Principal kJudge{"judge01", domain::Role::kJudge, "渝0103"};
inline const domain::Principal kCourtSystem{"cms0103", domain::Role::kCourtSystem, "渝0103"};
inline const domain::Principal kAdmin{"admin", domain::Role::kAdmin, ""};

// The fee of the demo filing: 100,000 yuan in dispute under the national property rule is
// 50 yuan + 2.5% of 90,000 yuan = 2,300 yuan.
inline constexpr std::int64_t kAmountInDisputeFen = 10'000'000;
inline constexpr std::int64_t kExpectedFeeFen = 230'000;

inline Request as(const domain::Principal& actor, std::string key = {}) {
  Request r;
  r.actor = actor;
  r.idempotency_key = std::move(key);
  return r;
}

inline std::string describe(const Failure& f) {
  return std::string(failure_code(f)) + ": " + failure_message(f);
}

class PlatformTest : public ::testing::Test {
 protected:
  void SetUp() override {
    open();
    auto logins = bootstrap_demo(*platform_);
    ASSERT_TRUE(logins) << describe(logins.error());
  }

  void open() {
    engine::StoreOptions options;
    options.path = dir_.sub("store");
    options.clock = &clock_;
    options.sync = false;  // logic tests: durability is the engine's own tests' subject
    auto opened = engine::EventStore::open(options);
    ASSERT_TRUE(opened) << opened.error().message;
    store_ = std::move(*opened);
    platform_ = std::make_unique<Platform>(*store_, secrets_, options_);
  }

  void reopen() {
    platform_.reset();
    store_.reset();
    open();
  }

  Platform& platform() { return *platform_; }
  engine::EventStore& store() { return *store_; }
  std::uint64_t last() const { return store_->last_position(); }

  // Runs a command that must go through.
  template <class A>
  Accepted must(const std::string& stream, typename A::Command command,
                const domain::Principal& actor, std::string key = {}) {
    auto done = platform_->execute<A>(stream, std::move(command), as(actor, std::move(key)));
    EXPECT_TRUE(done) << stream << ": " << (done ? "" : describe(done.error()));
    return done ? *done : Accepted{};
  }

  // Runs a command that must be refused, and checks that it wrote nothing.
  template <class A>
  Failure refused(const std::string& stream, typename A::Command command,
                  const domain::Principal& actor) {
    const auto before = last();
    auto done = platform_->execute<A>(stream, std::move(command), as(actor));
    EXPECT_FALSE(done) << stream << ": expected a refusal";
    EXPECT_EQ(last(), before) << "a refused command wrote something";
    return done ? Failure(domain::Rejection{}) : done.error();
  }

  template <class A>
  typename A::State state(const std::string& stream) {
    auto loaded = platform_->load<A>(stream);
    EXPECT_TRUE(loaded) << (loaded ? "" : loaded.error().message);
    return loaded ? loaded->state : A::initial();
  }

  domain::FilingState filing(const std::string& id) {
    return state<domain::FilingAggregate>("filing-" + id);
  }
  domain::CaseState kase(const std::string& number) {
    return state<domain::CaseAggregate>(domain::case_stream(number));
  }
  domain::PaymentNoticeState payment(const std::string& filing_id) {
    return state<domain::PaymentAggregate>("payment-" + filing_id);
  }

  std::string blob(const std::string& content) {
    auto info = platform_->blobs().put(content, "application/pdf");
    EXPECT_TRUE(info) << (info ? "" : info.error().message);
    return info ? info->hash : std::string();
  }

  // Every event of the log, in order.
  std::vector<engine::RecordedEvent> log() {
    std::vector<engine::RecordedEvent> out;
    for (std::uint64_t from = 1;;) {
      auto page = store_->read_all(from, 1000);
      EXPECT_TRUE(page);
      if (!page || page->empty())
        return out;
      from = page->back().position + 1;
      for (auto& e : *page)
        out.push_back(std::move(e));
    }
  }

  std::size_t count(std::string_view type) {
    std::size_t n = 0;
    for (const auto& e : log())
      n += e.type == type ? 1 : 0;
    return n;
  }

  // Every wizard step of filing `id` by kFiler, with kCoAgent as a second agent; the requester's
  // agent data is deliberately wrong (the platform fills it from the lawyers' accounts).
  void fill_wizard(const std::string& id) {
    using namespace domain;  // NOLINT(google-build-using-namespace)
    const std::string s = "filing-" + id;
    must<FilingAggregate>(s, AcceptFilingNotice{}, kFiler);
    must<FilingAggregate>(s, ChooseCaseCategory{"civil_first_instance", "complaint"}, kFiler);
    must<FilingAggregate>(
        s, SaveCaseInformation{{"判令被告偿还借款10万元"}, "事实与理由……", kAmountInDisputeFen},
        kFiler);
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
    must<FilingAggregate>(
        s,
        SaveAgents{{FilingAgent{kFiler.id, "冒名", "假律所", "000", "000", {"p1"}},
                    FilingAgent{kCoAgent.id, "", "", "", "", {"p1"}}}},
        kFiler);
    must<FilingAggregate>(s, AcceptServiceAddressNotice{}, kFiler);
    must<FilingAggregate>(s,
                          SaveServiceAddresses{{{"p1", "重庆市渝中区解放碑1号", "13900000001",
                                                 "p1@example.com", true}}},
                          kFiler);
    must<FilingAggregate>(s, ChooseCourt{"渝0103"}, kFiler);
    must<FilingAggregate>(
        s, SaveMaterials{{{"m1", "complaint", "起诉状", {blob("complaint of " + id)}}}}, kFiler);
    must<FilingAggregate>(
        s,
        SaveIdentityPapers{{{"p1", IdentityPaperKind::kIdCardFront, blob("front")},
                            {"p1", IdentityPaperKind::kIdCardBack, blob("back")}}},
        kFiler);
    must<FilingAggregate>(s, ChooseMediation{false}, kFiler);
  }

  void submitted(const std::string& id) {
    fill_wizard(id);
    // Checked against the chosen court's code lists, which the filing's court gives.
    must<domain::FilingAggregate>("filing-" + id, domain::SubmitFiling{}, kFiler);
  }

  // A filing accepted by the clerk and its reactions run; returns the case number.
  std::string registered(const std::string& id) {
    submitted(id);
    auto accepted = platform_->accept_filing(id, as(kClerk));
    EXPECT_TRUE(accepted) << (accepted ? "" : describe(accepted.error()));
    auto settled = platform_->settle();
    EXPECT_TRUE(settled) << (settled ? "" : settled.error().message);
    return accepted ? accepted->case_number : std::string();
  }

  ::docket::testing::TempDir dir_;
  engine::ManualClock clock_;  // 2026-01-01T00:00:00Z
  SodiumSecrets secrets_{std::string(32, 's'), PasswordHashing::minimal()};
  PlatformOptions options_;  // a test may set them before SetUp() opens the platform
  std::unique_ptr<engine::EventStore> store_;
  std::unique_ptr<Platform> platform_;
};

}  // namespace docket::app::testing
