// docket backup and restore: a backup taken while the server appends holds every append
// acknowledged before it began, verifies, and restores into a data directory that verifies.
#include <gtest/gtest.h>
#include <boost/json/parse.hpp>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <thread>
#include <vector>

#include "cli_runner.h"
#include "court_fixture.h"
#include "docket/app/operator_socket.h"
#include "docket/replay/cli.h"
#include "docket/replay/data_dir.h"

namespace docket::replay {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;
using testing::run;

struct Acknowledged {
  std::uint64_t position = 0;
  std::string stream;
  std::uint64_t version = 0;
};

class BackupTest : public testing::CourtHistoryTest {
 protected:
  void TearDown() override { stop_writers(); }

  void serve_operator_socket() {
    auto socket = app::OperatorSocket::start(
        store(), (fs::path(data_dir()) / app::kOperatorSocketName).string());
    ASSERT_TRUE(socket) << socket.error();
    socket_ = std::move(*socket);
  }

  // `threads` writers append one event at a time to streams of their own, each for at most
  // `per_thread` appends, recording what was acknowledged.
  void start_writers(int threads, int per_thread) {
    for (int t = 0; t < threads; ++t) {
      writers_.emplace_back([this, t, per_thread] {
        for (int i = 0; i < per_thread && !stop_.load(); ++i) {
          engine::AppendRequest r;
          r.stream = "load-" + std::to_string(t);
          r.actor = {"tester", "system"};
          r.events.push_back({"Appended", 1, std::string(64, 'p'), {}});
          auto done = store().append(std::move(r));
          if (!done)
            continue;
          std::lock_guard lock(mu_);
          acknowledged_.push_back(
              {done->last_position, "load-" + std::to_string(t), done->stream_version});
        }
      });
    }
  }

  void stop_writers() {
    stop_ = true;
    for (auto& w : writers_)
      w.join();
    writers_.clear();
  }

  std::vector<Acknowledged> acknowledged() {
    std::lock_guard lock(mu_);
    return acknowledged_;
  }

  void wait_for_acknowledged(std::size_t count) {
    for (int i = 0; i < 500 && acknowledged().size() < count; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }

  std::string backup_dir_ = dir_.sub("backup");
  std::unique_ptr<app::OperatorSocket> socket_;
  std::vector<std::thread> writers_;
  std::atomic<bool> stop_{false};
  std::mutex mu_;
  std::vector<Acknowledged> acknowledged_;
};

TEST_F(BackupTest, ABackupUnderLoadHoldsEveryAppendAcknowledgedBeforeItBeganAndVerifies) {
  serve_operator_socket();
  start_writers(4, 2'000);
  wait_for_acknowledged(200);
  const auto before = acknowledged();
  ASSERT_GE(before.size(), 200u);
  auto r = run({"backup", "--no-progress", "--data", data_dir(), "--to", backup_dir_});
  const auto after = acknowledged().size();
  stop_writers();
  ASSERT_EQ(r.code, kExitOk) << r.err << r.out;
  EXPECT_GT(after, before.size()) << "the writers went on during the backup";
  auto summary = json::parse(r.out).as_object();
  EXPECT_EQ(summary.at("written_by"), "docketd");
  EXPECT_EQ(summary.at("verify").at("ok"), true);
  EXPECT_TRUE(fs::exists(backup_dir_ + "/store/CURRENT"));

  auto copy = ReadOnlyStore::open(backup_dir_);
  ASSERT_TRUE(copy) << copy.error().message;
  for (const auto& a : before) {
    auto e = (*copy)->store().read_event(a.position);
    ASSERT_TRUE(e) << "position " << a.position << ": " << e.error().message;
    EXPECT_EQ(e->stream, a.stream);
    EXPECT_EQ(e->version, a.version);
  }
}

TEST_F(BackupTest, ABackupWithNoServerRunningOpensTheStoreItself) {
  build_history();
  const auto last = store().last_position();
  close();
  auto r = run({"backup", "--no-progress", "--data", data_dir(), "--to", backup_dir_});
  ASSERT_EQ(r.code, kExitOk) << r.err << r.out;
  auto summary = json::parse(r.out).as_object();
  EXPECT_EQ(summary.at("written_by"), "docket");
  EXPECT_EQ(summary.at("position").to_number<std::uint64_t>(), last);
}

TEST_F(BackupTest, ABackupRefusesADirectoryThatHoldsFiles) {
  serve_operator_socket();
  fs::create_directories(backup_dir_);
  std::ofstream(backup_dir_ + "/something") << "x";
  auto r = run({"backup", "--no-progress", "--data", data_dir(), "--to", backup_dir_});
  EXPECT_EQ(r.code, kExitError);
  EXPECT_NE(r.err.find("holds files"), std::string::npos) << r.err;
}

TEST_F(BackupTest, ARestoreRoundTripsAndRefusesALiveOrNonEmptyTarget) {
  build_history();
  serve_operator_socket();
  const auto tip = engine::to_hex(store().read_event(store().last_position())->hash);
  auto b = run({"backup", "--no-progress", "--data", data_dir(), "--to", backup_dir_});
  ASSERT_EQ(b.code, kExitOk) << b.err;

  // Never over the live directory, nor over anything else.
  auto live = run({"restore", "--no-progress", "--from", backup_dir_, "--data", data_dir()});
  EXPECT_EQ(live.code, kExitError);
  EXPECT_NE(live.err.find("holds files"), std::string::npos) << live.err;

  const std::string restored = dir_.sub("restored");
  auto r = run({"restore", "--no-progress", "--from", backup_dir_, "--data", restored});
  ASSERT_EQ(r.code, kExitOk) << r.err << r.out;
  auto summary = json::parse(r.out).as_object();
  EXPECT_EQ(summary.at("verify").at("ok"), true);
  EXPECT_EQ(summary.at("verify").at("tip").as_string(), tip);
  EXPECT_TRUE(fs::exists(restored + "/store/CURRENT"));

  // The restored directory opens as a server's and goes on from where the backup ended.
  socket_.reset();
  close();
  engine::StoreOptions options;
  options.path = restored + "/store";
  auto reopened = engine::EventStore::open(options);
  ASSERT_TRUE(reopened) << reopened.error().message;
  EXPECT_EQ(engine::to_hex((*reopened)->read_event((*reopened)->last_position())->hash), tip);
}

}  // namespace
}  // namespace docket::replay
