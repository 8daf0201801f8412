// The auditors' tool reads through a RocksDB secondary, which cannot read blob files: uploads of
// 4 KiB or more once went to blob files, and the tool crashed on any store where docketd had
// restarted after one. It must work beside a live server on every store the server makes, refuse
// (exit 2) a store that still has blob files, and leave no secondary directory behind.
#include <gtest/gtest.h>
#include <boost/json/parse.hpp>

#include <filesystem>
#include <fstream>
#include <string>

#include "../engine/format1_store.h"
#include "cli_runner.h"
#include "court_fixture.h"
#include "docket/engine/blob_store.h"
#include "docket/replay/cli.h"

namespace docket::replay {
namespace {

namespace fs = std::filesystem;
using testing::shell;

class SecondaryTest : public testing::CourtHistoryTest {
 protected:
  void SetUp() override {
    CourtHistoryTest::SetUp();
    fs::create_directories(temp_);
  }

  // Runs the docket binary with its temporary directory in temp_.
  testing::CliResult docket(const std::string& args) {
    return shell("TMPDIR=" + temp_ + " " + DOCKET_CLI + " " + args + " --no-progress --data " +
                 data_dir());
  }

  std::size_t left_in_temp() {
    std::size_t n = 0;
    for (const auto& entry : fs::directory_iterator(temp_))
      n += entry.path().filename().string().rfind("docket-secondary-", 0) == 0;
    return n;
  }

  // An upload of `bytes` bytes, then a restart of the server (which flushes the memtable).
  std::string upload_and_restart(std::size_t bytes) {
    auto info = platform().blobs().put(std::string(bytes, 'u'), "application/pdf");
    EXPECT_TRUE(info) << info.error().message;
    close();
    open();
    return info ? info->hash : std::string();
  }

  // The number of blobs a verify's report (its JSON line) says it checked.
  static std::uint64_t blobs_checked(const std::string& out) {
    for (const auto& line : testing::lines(out)) {
      if (line.front() == '{')
        return boost::json::parse(line).at("blobs").to_number<std::uint64_t>();
    }
    return 0;
  }

  std::string temp_ = dir_.sub("tmp");
};

TEST_F(SecondaryTest, EveryReadCommandWorksBesideALiveServerAfterALargeUploadAndARestart) {
  upload_and_restart(64 * 1024);
  upload_and_restart(5 * 1024);
  // The server goes on writing while the tool reads.
  std::atomic<bool> stop{false};
  std::thread writer([&] {
    for (int i = 0; i < 200 && !stop.load(); ++i) {
      (void)platform().blobs().put(
          std::string(8 * 1024, static_cast<char>('a' + i % 26)) + std::to_string(i),
          "application/pdf");
    }
  });
  auto verify = docket("verify");
  auto history = docket("history lawyer-" + testing::kFiler.id);
  auto exported = docket("export");
  stop = true;
  writer.join();
  EXPECT_EQ(verify.code, kExitOk) << verify.out;
  EXPECT_GE(blobs_checked(verify.out), 2u) << verify.out;
  EXPECT_EQ(history.code, kExitOk) << history.out;
  EXPECT_EQ(exported.code, kExitOk) << exported.out;
  EXPECT_EQ(left_in_temp(), 0u);
  EXPECT_EQ(docket::testing::blob_files_in(data_dir() + "/store"), 0u);
}

TEST_F(SecondaryTest, AStoreWithBlobFilesIsRefusedWithExitTwoAndNothingLeftBehind) {
  upload_and_restart(64 * 1024);
  close();
  ASSERT_EQ(docket::testing::make_format1(data_dir() + "/store"), "");
  ASSERT_GT(docket::testing::blob_files_in(data_dir() + "/store"), 0u);
  for (const char* command : {"verify", "export", "replay"}) {
    auto r = docket(command);
    EXPECT_EQ(r.code, kExitError) << command << ": " << r.out;
    EXPECT_NE(r.out.find("blob files"), std::string::npos) << r.out;
  }
  EXPECT_EQ(left_in_temp(), 0u);
}

TEST_F(SecondaryTest, SecondaryDirectoriesOfProcessesThatNoLongerRunAreSwept) {
  close();
  const std::string dead = temp_ + "/docket-secondary-2147483646-abcdef";  // above any pid
  const std::string alive = temp_ + "/docket-secondary-" + std::to_string(::getpid()) + "-abcdef";
  fs::create_directories(dead);
  fs::create_directories(alive);
  std::ofstream(dead + "/LOG") << "left behind";
  auto r = docket("verify");
  EXPECT_EQ(r.code, kExitOk) << r.out;
  EXPECT_FALSE(fs::exists(dead));
  EXPECT_TRUE(fs::exists(alive));
}

TEST_F(SecondaryTest, AnInterruptedRunLeavesNoSecondaryDirectory) {
  close();
  // The export blocks on a FIFO nobody reads, after it opened the store; SIGTERM then.
  const std::string fifo = dir_.sub("fifo");
  auto r = shell("mkfifo " + fifo + "; TMPDIR=" + temp_ + " " + DOCKET_CLI +
                 " export --no-progress --data " + data_dir() + " --output " + fifo +
                 " & pid=$!; for i in $(seq 500); do ls " + temp_ +
                 " | grep -q docket-secondary && echo opened && break; sleep 0.01; done; "
                 "kill -TERM $pid; wait $pid; echo exit=$?");
  EXPECT_NE(r.out.find("opened"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("exit=143"), std::string::npos) << r.out;
  EXPECT_EQ(left_in_temp(), 0u) << r.out;
}

}  // namespace
}  // namespace docket::replay
