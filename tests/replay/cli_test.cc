// The docket command line: each command end to end on a real data directory.
#include "docket/replay/cli.h"

#include <gtest/gtest.h>
#include <rocksdb/db.h>
#include <boost/json/parse.hpp>

#include "cli_runner.h"
#include "court_fixture.h"
#include "docket/engine/format.h"
#include "docket/replay/time_format.h"

namespace docket::replay {
namespace {

namespace json = boost::json;
using testing::lines;
using testing::run;

class CliTest : public testing::CourtHistoryTest {
 protected:
  void SetUp() override {
    CourtHistoryTest::SetUp();
    build_history();
    last_ = store().last_position();
    close();
  }
  std::uint64_t last_ = 0;
};

TEST_F(CliTest, VerifyExitsZeroAndReportsTheTip) {
  auto r = run({"verify", "--data", data_dir()});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  auto report = json::parse(r.out).as_object();
  EXPECT_EQ(report.at("ok"), true);
  EXPECT_EQ(report.at("records").to_number<std::uint64_t>(), last_);
  EXPECT_NE(r.err.find("verified " + std::to_string(last_) + " records"), std::string::npos);
}

TEST_F(CliTest, VerifyExitsOneAndNamesThePositionOfABadRecord) {
  {
    open();
    auto* log = store().column_family_if_exists(engine::format::kCfLog);
    std::string value;
    ASSERT_TRUE(store().db()->Get({}, log, engine::format::log_key(7), &value).ok());
    value[40] ^= 0x04;
    ASSERT_TRUE(store().db()->Put({}, log, engine::format::log_key(7), value).ok());
    close();
  }
  auto r = run({"verify", "--data", data_dir()});
  EXPECT_EQ(r.code, kExitVerifyFailed);
  EXPECT_NE(r.err.find("chain check failed at position 7"), std::string::npos) << r.err;
  auto report = json::parse(r.out).as_object();
  EXPECT_EQ(report.at("ok"), false);
  EXPECT_EQ(report.at("findings").at(0).at("position").as_int64(), 7);
}

TEST_F(CliTest, HistoryPrintsOneJsonLinePerEventWithItsPayload) {
  auto r = run({"history", filing_stream(), "--data", data_dir()});
  ASSERT_EQ(r.code, 0) << r.err;
  auto l = lines(r.out);
  ASSERT_GE(l.size(), 15u);
  auto first = json::parse(l[0]).as_object();
  EXPECT_EQ(first.at("type"), "FilingNoticeAccepted");
  EXPECT_EQ(first.at("version").as_int64(), 1);
  EXPECT_EQ(testing::str(first.at("stream")), filing_stream());
  EXPECT_EQ(testing::str(first.at("actor").at("id")), testing::kFiler.id);
  EXPECT_EQ(first.at("actor").at("role"), "lawyer");
  EXPECT_EQ(first.at("time"), "2026-01-01T00:00:00Z");
  bool saw_parties = false;
  for (const auto& line : l) {
    auto e = json::parse(line).as_object();
    EXPECT_TRUE(e.contains("payload")) << line;
    if (e.at("type") == "PartiesSaved") {
      saw_parties = true;
      EXPECT_EQ(e.at("payload").at("parties").at(0).at("name"), "李四") << line;
    }
  }
  EXPECT_TRUE(saw_parties);
}

TEST_F(CliTest, HistoryAsATableIsForAPerson) {
  auto r =
      run({"history", filing_stream(), "--data", data_dir(), "--format", "table", "--limit", "3"});
  ASSERT_EQ(r.code, 0) << r.err;
  auto l = lines(r.out);
  ASSERT_EQ(l.size(), 4u);
  EXPECT_EQ(l[0].rfind("POSITION", 0), 0u);
  EXPECT_NE(l[1].find("FilingNoticeAccepted"), std::string::npos);
  EXPECT_NE(l[1].find("lawyer:" + testing::kFiler.id), std::string::npos);
}

TEST_F(CliTest, HistoryAtATimeStopsThere) {
  auto r = run({"history", filing_stream(), "--data", data_dir(), "--at", "2026-01-01"});
  ASSERT_EQ(r.code, 0) << r.err;
  for (const auto& line : lines(r.out))
    EXPECT_EQ(json::parse(line).at("time"), "2026-01-01T00:00:00Z");
  EXPECT_EQ(json::parse(lines(r.out).back()).at("type"), "FilingSubmitted");
}

TEST_F(CliTest, HistoryOfAnUnknownStreamExitsTwo) {
  auto r = run({"history", "filing-nobody", "--data", data_dir()});
  EXPECT_EQ(r.code, kExitError);
  EXPECT_NE(r.err.find("Expected events in filing-nobody"), std::string::npos) << r.err;
}

TEST_F(CliTest, StateAtATimeShowsTheAggregateThen) {
  // 2026-01-02 (court time) is the end of day 1: the correction was requested.
  auto r = run({"state", filing_stream(), "--data", data_dir(), "--at", "2026-01-02T12:00:00Z"});
  ASSERT_EQ(r.code, 0) << r.err;
  auto body = json::parse(r.out).as_object();
  EXPECT_EQ(body.at("state").at("status"), "correction_requested");
  EXPECT_EQ(body.at("as_of").at("at"), "2026-01-02T12:00:00Z");
  r = run({"state", filing_stream(), "--data", data_dir()});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(json::parse(r.out).at("state").at("status"), "accepted");
  r = run({"state", filing_stream(), "--data", data_dir(), "--position", "1"});
  EXPECT_EQ(r.code, kExitError) << "the filing has no event at position 1";
}

TEST_F(CliTest, CaseShowsEverythingAboutACaseAsItStoodThen) {
  auto r = run({"case", case_number_, "--data", data_dir()});
  ASSERT_EQ(r.code, 0) << r.err;
  auto view = json::parse(r.out).as_object();
  EXPECT_EQ(testing::str(view.at("case").at("state").at("case_number")), case_number_);
  EXPECT_EQ(testing::str(view.at("filing").at("state").at("filing_id")), filing_id_);
  EXPECT_EQ(view.at("payment_notice").at("state").at("status"), "paid");
  ASSERT_EQ(view.at("services").as_array().size(), 1u);
  EXPECT_EQ(view.at("services").at(0).at("state").at("status"), "signed");
  ASSERT_EQ(view.at("messages").as_array().size(), 1u);
  EXPECT_EQ(view.at("messages").at(0).at("reply_body"), "不能调整。");
  EXPECT_GT(view.at("timeline").as_array().size(), 20u);

  // On the day it was accepted: unpaid, no hearing, no message, nothing served.
  r = run(
      {"case", case_number_, "--data", data_dir(), "--at", "@" + std::to_string(accepted_day_)});
  ASSERT_EQ(r.code, 0) << r.err;
  view = json::parse(r.out).as_object();
  EXPECT_EQ(view.at("payment_notice").at("state").at("status"), "unpaid");
  EXPECT_TRUE(view.at("case").at("state").at("hearings").as_object().empty());
  EXPECT_TRUE(view.at("messages").as_array().empty());
  EXPECT_TRUE(view.at("services").as_array().empty());
  for (const auto& t : view.at("timeline").as_array())
    EXPECT_LE(*parse_time(std::string(t.at("time").as_string())), accepted_day_);

  r = run({"case", case_number_, "--data", data_dir(), "--at", "2025-12-31"});
  EXPECT_EQ(r.code, kExitError) << "not registered yet";
}

TEST_F(CliTest, BadArgumentsExitTwoAndSayWhy) {
  EXPECT_EQ(run({}).code, kExitError);
  EXPECT_EQ(run({"verify"}).code, kExitError) << "--data is required";
  EXPECT_EQ(run({"frobnicate", "--data", data_dir()}).code, kExitError);
  auto r = run({"state", filing_stream(), "--data", data_dir(), "--at", "soon"});
  EXPECT_EQ(r.code, kExitError);
  EXPECT_NE(r.err.find("Expected a time"), std::string::npos) << r.err;
  r = run(
      {"state", filing_stream(), "--data", data_dir(), "--at", "2026-01-01", "--position", "3"});
  EXPECT_EQ(r.code, kExitError) << "--at and --position exclude each other";
  r = run({"history", filing_stream(), "--data", data_dir(), "--format", "xml"});
  EXPECT_EQ(r.code, kExitError);
  r = run({"verify", "--data", dir_.sub("nothing-here")});
  EXPECT_EQ(r.code, kExitError);
  EXPECT_NE(r.err.find("Expected a Docket data directory"), std::string::npos) << r.err;
  EXPECT_EQ(run({"--help"}).code, kExitOk);
}

TEST_F(CliTest, TheDocketBinaryRunsTheSameCommands) {
  auto r = testing::shell(std::string(DOCKET_CLI) + " verify --data " + data_dir());
  EXPECT_EQ(r.code, 0) << r.out;
  r = testing::shell(std::string(DOCKET_CLI) + " state '" + case_stream() + "' --data " +
                     data_dir());
  EXPECT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("\"judge\":\"judge01\""), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("\033["), std::string::npos) << "no progress bar when piped";
}

}  // namespace
}  // namespace docket::replay
