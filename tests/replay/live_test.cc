// Reading while docketd runs: every read command opens the directory as a secondary, so it works
// during live appends, without stopping, blocking or changing the server's store.
#include <gtest/gtest.h>
#include <boost/json/parse.hpp>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <map>
#include <sstream>
#include <thread>

#include "cli_runner.h"
#include "court_fixture.h"
#include "docket/replay/data_dir.h"
#include "docket/replay/history.h"
#include "docket/replay/state_json.h"
#include "docket/replay/verify.h"

namespace docket::replay {
namespace {

namespace json = boost::json;
namespace fs = std::filesystem;

class LiveTest : public testing::CourtHistoryTest {
 protected:
  // A lawyer adds schedule entries on the live server, one after another (with `pause` between
  // them), up to `count` or until stop_.
  void start_appending(int count, std::chrono::milliseconds pause = std::chrono::milliseconds(0)) {
    if (!password_changed_) {  // a lawyer's account acts only after the first password change
      auto changed = platform().change_password(testing::kFiler.id, "a-new-password-1",
                                                testing::as(testing::kFiler));
      ASSERT_TRUE(changed) << testing::describe(changed.error());
      password_changed_ = true;
    }
    writer_ = std::thread([this, count, pause] {
      for (int i = 0; i < count && !stop_.load(); ++i) {
        domain::AddScheduleEntry entry;
        entry.start_us = clock_.now_us() + (i + 1) * testing::kHourUs;
        entry.end_us = entry.start_us + testing::kHourUs;
        entry.text = "会见当事人 " + std::to_string(i);
        auto done = platform().execute<domain::LawyerAggregate>(
            "lawyer-" + testing::kFiler.id, entry, testing::as(testing::kFiler));
        if (!done) {
          if (failures_.fetch_add(1) == 0)
            first_failure_ = testing::describe(done.error());
        } else
          appended_.fetch_add(1);
        std::this_thread::sleep_for(pause);
      }
    });
  }

  // Waits for the writer to finish its appends.
  void finish_appending() {
    if (writer_.joinable())
      writer_.join();
  }

  void TearDown() override {
    stop_ = true;
    finish_appending();
  }

  // Every file of the store with its size and modification time.
  std::map<std::string, std::pair<std::uintmax_t, fs::file_time_type>> files() {
    std::map<std::string, std::pair<std::uintmax_t, fs::file_time_type>> out;
    for (const auto& entry : fs::directory_iterator(data_dir() + "/store")) {
      if (entry.is_regular_file())
        out[entry.path().filename().string()] = {entry.file_size(), entry.last_write_time()};
    }
    return out;
  }

  bool password_changed_ = false;
  std::thread writer_;
  std::atomic<bool> stop_{false};
  std::atomic<int> appended_{0};
  std::atomic<int> failures_{0};
  std::string first_failure_;  // written by the writer before it counts the failure
};

TEST_F(LiveTest, ReadCommandsWorkDuringLiveAppendsAndTheServerKeepsWriting) {
  build_history();
  // Bounded in count and time: at most 5000 appends, paced, for as long as five rounds of reads.
  start_appending(5000, std::chrono::milliseconds(1));
  std::uint64_t seen_first = 0, seen_last = 0;
  int rounds = 0;
  // Bounded: a few rounds of every read command while the writer runs.
  for (; rounds < 5; ++rounds) {
    auto ro = ReadOnlyStore::open(data_dir());
    ASSERT_TRUE(ro) << ro.error().message;
    auto& store = (*ro)->store();
    if (rounds == 0)
      seen_first = store.last_position();
    seen_last = store.last_position();
    auto report = verify_store(store);
    ASSERT_TRUE(report) << report.error().message;
    for (const auto& f : report->findings)
      ADD_FAILURE() << "round " << rounds << ": " << f.check << ": " << f.message;
    EXPECT_EQ(report->records, report->last_position);

    auto lawyer = state_at(store, "lawyer-" + testing::kFiler.id, Moment::latest());
    ASSERT_TRUE(lawyer) << lawyer.error().message;
    std::ostringstream exported;
    ExportOptions options;
    auto summary = write_export(store, options, exported);
    ASSERT_TRUE(summary) << summary.error().message;
    EXPECT_EQ(summary->to, report->last_position);

    // The same through the real binary, in another process.
    auto r = testing::shell(std::string(DOCKET_CLI) + " verify --data " + data_dir());
    EXPECT_EQ(r.code, 0) << r.out;
  }
  stop_ = true;
  finish_appending();
  EXPECT_EQ(failures_.load(), 0) << "the server's appends never failed while auditors read: "
                                 << first_failure_;
  EXPECT_GT(appended_.load(), 0);
  EXPECT_GT(seen_last, seen_first) << "the reads ran while the log grew";

  // Everything acknowledged is there, and the store still verifies as a whole.
  auto ro = ReadOnlyStore::open(data_dir());
  ASSERT_TRUE(ro);
  EXPECT_EQ((*ro)->store().last_position(), store().last_position());
  auto report = verify_store((*ro)->store());
  ASSERT_TRUE(report);
  EXPECT_TRUE(report->ok());
}

TEST_F(LiveTest, ASecondaryCatchesUpWithCommitsMadeAfterItOpened) {
  build_history();
  auto ro = ReadOnlyStore::open(data_dir());
  ASSERT_TRUE(ro);
  const auto before = (*ro)->store().last_position();
  EXPECT_EQ(before, store().last_position());
  start_appending(5);
  finish_appending();
  ASSERT_EQ(appended_.load(), 5);
  EXPECT_EQ((*ro)->store().last_position(), before) << "a secondary reads as of its catch-up";
  ASSERT_TRUE((*ro)->refresh());
  EXPECT_EQ((*ro)->store().last_position(), store().last_position());
  auto lawyer = state_at((*ro)->store(), "lawyer-" + testing::kFiler.id, Moment::latest());
  ASSERT_TRUE(lawyer);
  EXPECT_EQ(lawyer->state.at("schedule").as_array().size(), 5u);
}

TEST_F(LiveTest, ReadingChangesNothingInTheServersDirectory) {
  build_history();
  const auto last = store().last_position();
  const auto before = files();
  for (const char* command : {"verify", "export"}) {
    auto r = testing::run({command, "--data", data_dir()});
    EXPECT_EQ(r.code, 0) << command << ": " << r.err;
  }
  auto r = testing::run({"case", case_number_, "--data", data_dir()});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(files(), before) << "no file of the store was created, changed or removed";
  EXPECT_EQ(store().last_position(), last);
  // And the server still writes.
  start_appending(1);
  finish_appending();
  EXPECT_EQ(appended_.load(), 1);
}

TEST_F(LiveTest, RebuildRefusesADirectoryTheServerHolds) {
  build_history();
  auto r = testing::run({"rebuild", "--all", "--data", data_dir()});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("Expected a stopped data directory"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace docket::replay
