// replay_log / docket replay: the whole log folded as a fresh server would, stopping at the first
// bad record.
#include "docket/replay/replay.h"

#include <gtest/gtest.h>
#include <rocksdb/db.h>
#include <boost/json/parse.hpp>

#include "cli_runner.h"
#include "court_fixture.h"
#include "docket/engine/format.h"
#include "docket/engine/sha256.h"
#include "docket/replay/data_dir.h"

namespace docket::replay {
namespace {

namespace format = engine::format;

class ReplayLogTest : public testing::CourtHistoryTest {
 protected:
  void SetUp() override {
    CourtHistoryTest::SetUp();
    build_history();
    last_ = store().last_position();
  }

  void corrupt(std::uint64_t position, std::size_t byte) {
    auto* log = store().column_family_if_exists(format::kCfLog);
    std::string value;
    ASSERT_TRUE(store().db()->Get({}, log, format::log_key(position), &value).ok());
    value[byte] ^= 0x10;
    ASSERT_TRUE(store().db()->Put({}, log, format::log_key(position), value).ok());
  }

  std::uint64_t last_ = 0;
};

TEST_F(ReplayLogTest, EveryEventOfARealLogFoldsWhateverTheNumberOfWorkers) {
  const auto tip = engine::to_hex(store().read_event(last_)->hash);
  std::set<std::string> streams;
  for (std::uint64_t p = 1; p <= last_; ++p)
    streams.insert(store().read_event(p)->stream);
  for (unsigned workers : {1u, 2u, 3u}) {
    auto stats = replay_log(store(), UINT64_MAX, nullptr, workers);
    ASSERT_TRUE(stats) << stats.error().message;
    EXPECT_FALSE(stats->failure.has_value()) << stats->failure->message;
    EXPECT_EQ(stats->events, last_);
    EXPECT_EQ(stats->folded, last_) << "every category of the log is an aggregate's";
    EXPECT_EQ(stats->streams, streams.size());
    EXPECT_EQ(stats->tip, tip);
  }
}

TEST_F(ReplayLogTest, ReplayUpToAPositionStopsThere) {
  auto stats = replay_log(store(), 10);
  ASSERT_TRUE(stats);
  EXPECT_EQ(stats->events, 10u);
  EXPECT_EQ(stats->tip, engine::to_hex(store().read_event(10)->hash));
}

TEST_F(ReplayLogTest, AChangedRecordStopsTheReplayThereWhicheverWorkerChecksIt) {
  const std::uint64_t bad = last_ / 2;
  corrupt(bad, 5);  // a byte of the stored hash
  for (unsigned workers : {1u, 2u, 3u}) {
    auto stats = replay_log(store(), UINT64_MAX, nullptr, workers);
    ASSERT_TRUE(stats);
    ASSERT_TRUE(stats->failure.has_value());
    EXPECT_EQ(stats->failure->position, bad) << stats->failure->message;
    EXPECT_EQ(stats->events, bad - 1);
    EXPECT_EQ(stats->tip, engine::to_hex(store().read_event(bad - 1)->hash));
  }
}

TEST_F(ReplayLogTest, AnEnvelopeThatDoesNotParseIsNamed) {
  corrupt(3, format::kHashSize + 1);  // the envelope's root offset
  auto stats = replay_log(store());
  ASSERT_TRUE(stats);
  ASSERT_TRUE(stats->failure.has_value());
  EXPECT_EQ(stats->failure->position, 3u);
}

TEST_F(ReplayLogTest, DocketReplayReportsTheEventsAndExitsOneOnABadRecord) {
  close();
  auto r = testing::run({"replay", "--data", data_dir()});
  ASSERT_EQ(r.code, 0) << r.err;
  auto body = boost::json::parse(r.out).as_object();
  EXPECT_EQ(body.at("ok"), true);
  EXPECT_EQ(body.at("events").to_number<std::uint64_t>(), last_);
  open();
  corrupt(7, 0);
  close();
  r = testing::run({"replay", "--data", data_dir()});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("replay stopped at position 7"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace docket::replay
