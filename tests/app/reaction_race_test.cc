// Reactions see at least the state up to their cause; one that fails for good is listed; a
// snapshot the log does not back is not trusted at login.
#include <gtest/gtest.h>
#include <rocksdb/db.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "docket/engine/snapshot_store.h"
#include "platform_fixture.h"

namespace docket::app::testing {
namespace {

// Holds the thread that appended FilingAccepted between its durable append and its cache
// update, so the reactor sees the event while the runner's cache still holds the older state.
class AppendGate {
 public:
  void arm() {
    std::lock_guard lock(mu_);
    armed_ = true;
  }
  void on_append(const std::string& stream) {
    std::unique_lock lock(mu_);
    if (!armed_ || !stream.starts_with("filing-"))
      return;
    armed_ = false;
    held_ = true;
    cv_.notify_all();
    cv_.wait_for(lock, std::chrono::seconds(10), [this] { return released_; });
  }
  bool wait_held() {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, std::chrono::seconds(10), [this] { return held_; });
  }
  void release() {
    std::lock_guard lock(mu_);
    released_ = true;
    cv_.notify_all();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool armed_ = false;
  bool held_ = false;
  bool released_ = false;
};

class ReactionRaceTest : public PlatformTest {
 protected:
  void SetUp() override {
    options_.runner.after_append = [this](const std::string& stream, const engine::AppendResult&) {
      gate_.on_append(stream);
    };
    PlatformTest::SetUp();
  }

  AppendGate gate_;
};

TEST_F(ReactionRaceTest, APaymentNoticeIsIssuedWhenTheReactorSeesTheAcceptanceBeforeTheCache) {
  submitted("f-race");
  ASSERT_TRUE(platform().settle());
  // The filing is cached as submitted.
  ASSERT_EQ(filing("f-race").status, domain::FilingStatus::kSubmitted);

  gate_.arm();
  Outcome<Accepted> accepted = unexpected(Failure(domain::Rejection{}));
  std::thread clerk([&] { accepted = platform().accept_filing("f-race", as(kClerk)); });
  ASSERT_TRUE(gate_.wait_held()) << "the acceptance never reached its append";
  // FilingAccepted is in the log; the runner has not folded it into its cache yet.
  auto handled = platform().reactor().run_once();
  gate_.release();
  clerk.join();
  ASSERT_TRUE(accepted) << describe(accepted.error());
  ASSERT_TRUE(handled) << handled.error().message;

  const auto notice = payment("f-race");
  EXPECT_TRUE(notice.exists) << "the payment notice was dropped";
  EXPECT_EQ(notice.amount_fen, kExpectedFeeFen);
  EXPECT_TRUE(kase(accepted->case_number).exists);
  EXPECT_EQ(platform().reactor().stats().failed, 0u);
}

TEST_F(PlatformTest, AReactionRejectedForGoodIsListedAndLaterReactionsStillRun) {
  submitted("f-dup");
  auto accepted = platform().accept_filing("f-dup", as(kClerk));
  ASSERT_TRUE(accepted) << describe(accepted.error());
  // The court system registers the case under that number before the reactor gets to it.
  domain::RegisterCase mine;
  mine.case_number = accepted->case_number;
  mine.court = "渝0103";
  mine.category = "civil_first_instance";
  mine.accepted_on_us = clock_.now_us();
  mine.parties = {domain::CaseParty{"a", "甲", {}, domain::CasePartyRole::kPlaintiff},
                  domain::CaseParty{"b", "乙", {}, domain::CasePartyRole::kDefendant}};
  must<domain::CaseAggregate>(domain::case_stream(mine.case_number), mine, kCourtSystem);

  auto settled = platform().settle();
  ASSERT_TRUE(settled) << settled.error().message;
  EXPECT_TRUE(payment("f-dup").exists) << "the other reaction of the event still ran";
  EXPECT_EQ(platform().reactor().checkpoint(), last());
  auto listed = platform().reactor().failed();
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ(listed->front().event_type, "FilingAccepted");
  EXPECT_EQ(listed->front().code, "conflict");
  EXPECT_NE(listed->front().message.find("register-case/"), std::string::npos)
      << listed->front().message;
  EXPECT_EQ(platform().reactor().stats().failed, 1u);

  // Later events still flow.
  submitted("f-next");
  auto next = platform().accept_filing("f-next", as(kClerk));
  ASSERT_TRUE(next) << describe(next.error());
  ASSERT_TRUE(platform().settle());
  EXPECT_TRUE(kase(next->case_number).exists);
  EXPECT_TRUE(payment("f-next").exists);
}

class SnapshotTrustTest : public PlatformTest {
 protected:
  void SetUp() override {
    options_.runner.snapshot_every = 1;  // every command leaves a snapshot
    PlatformTest::SetUp();
  }
};

TEST_F(SnapshotTrustTest, ALawyersSnapshotEditedToDeactivateTheAccountIsIgnored) {
  // The demo's lawyers start with their licence number as password.
  ASSERT_TRUE(platform().verify_password(kFiler.id, kFiler.id));
  ASSERT_FALSE(platform().verify_password(kFiler.id, kOutsider.id));
  const std::string stream = "lawyer-" + kFiler.id;
  const auto victim = state<domain::LawyerAggregate>(stream);

  // Find the victim's newest snapshot and deactivate the account inside its state bytes.
  auto* family = store().column_family(engine::format::kCfSnapshots);
  std::unique_ptr<rocksdb::Iterator> it(store().db()->NewIterator(rocksdb::ReadOptions(), family));
  it->SeekForPrev(engine::format::snapshot_key(stream, UINT64_MAX));
  ASSERT_TRUE(it->Valid() && it->key().starts_with(stream + '\0')) << "no snapshot of " << stream;
  const std::string key = it->key().ToString();
  std::string value = it->value().ToString();
  it.reset();
  const auto encoded = engine::SnapshotStore::encode(victim);
  ASSERT_TRUE(value.ends_with(encoded)) << "the snapshot holds the folded state";
  auto forged = victim;
  forged.active = false;
  value.replace(value.size() - encoded.size(), encoded.size(),
                engine::SnapshotStore::encode(forged));
  ASSERT_TRUE(store().db()->Put(rocksdb::WriteOptions(), family, key, value).ok());

  reopen();  // no cached state: the next login loads from the snapshot store
  EXPECT_TRUE(platform().verify_password(kFiler.id, kFiler.id))
      << "the forged snapshot locked the victim out";
  EXPECT_FALSE(platform().verify_password(kFiler.id, kOutsider.id));
}

}  // namespace
}  // namespace docket::app::testing
